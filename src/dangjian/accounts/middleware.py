"""Two-factor sign-in where the installation requires it."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.services import two_factor_required

# Reachable before the second factor is set up: setting it up, and leaving.
_OPEN = ("accounts:totp_setup", "accounts:logout", "accounts:login", "accounts:login_otp")


class TwoFactorRequiredMiddleware:
    """A signed-in user who must use two-factor sign-in and has not passed it
    this session (superusers; the roles in TWO_FACTOR_REQUIRED_ROLES) reaches
    only the set-up page until it is done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and not user.is_verified()
                and not request.path.startswith(("/static/", "/media/"))
                and request.path not in {reverse(name) for name in _OPEN}
                and two_factor_required(user)):
            messages.warning(request, _("Your account must use two-factor sign-in: set it up to continue."))
            return redirect("accounts:totp_setup")
        return self.get_response(request)
