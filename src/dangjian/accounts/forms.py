from django import forms
from django.conf import settings
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


class ReauthForm(forms.Form):
    """Sensitive account actions ask for the password again."""

    password = forms.CharField(label=_("Your password, to confirm"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class TokenForm(ReauthForm):
    name = forms.CharField(label=_("Token name"), max_length=50)
    days = forms.TypedChoiceField(label=_("Valid for"), coerce=int, choices=[
        (30, _("30 days")), (90, _("90 days")), (180, _("180 days")), (365, _("one year"))])
    field_order = ["name", "days", "password"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = settings.API_TOKEN_DAYS
        self.fields["days"].choices = [c for c in self.fields["days"].choices if c[0] <= settings.API_TOKEN_MAX_DAYS]


class TotpSetupForm(ReauthForm, OtpForm):
    field_order = ["token", "password"]
