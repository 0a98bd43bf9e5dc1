from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password. Note that too many failures lock the account for a while."),
        "inactive": _("This account is disabled."),
    }


class OtpForm(forms.Form):
    token = forms.CharField(
        label=_("6-digit code from your authenticator app"), max_length=6, min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=50)
