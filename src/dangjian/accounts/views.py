import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangjian.accounts.forms import LoginForm, OtpForm, TokenForm, TotpSetupForm
from dangjian.accounts.models import User
from dangjian.accounts.services import (
    api_token_create,
    api_token_revoke,
    reauthenticate,
    sign_in_failed,
    sign_out,
    two_factor_required,
)
from dangjian.audit.services import Action, audit_record

_PENDING = "pending_otp_user"


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return "/"


def _confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@sensitive_post_parameters("password")
def login_view(request):
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if _confirmed_device(user):
            # Password checked; the second factor decides.
            request.session[_PENDING] = user.pk
            request.session["pending_next"] = _next_url(request)
            return redirect("accounts:login_otp")
        login(request, user)
        with transaction.atomic():
            audit_record(actor=user, action=Action.LOGIN, target=user)
        return redirect(_next_url(request))
    if request.method == "POST":
        sign_in_failed(username=request.POST.get("username", "").strip(), stage="password")
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


def login_otp(request):
    user = User.objects.filter(pk=request.session.get(_PENDING), is_active=True).first()
    if user is None:
        return redirect("accounts:login")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = _confirmed_device(user)
        if device and device.verify_token(form.cleaned_data["token"]):
            next_url = request.session.pop("pending_next", "/")
            request.session.pop(_PENDING, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            with transaction.atomic():
                audit_record(actor=user, action=Action.LOGIN, target=user, changes={"second_factor": "totp"})
            return redirect(next_url)
        sign_in_failed(username=user.username, stage="totp")
        form.add_error("token", _("The code is wrong or has expired. Check your phone's clock and try again."))
    return render(request, "accounts/login_otp.html", {"form": form})


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        sign_out(user=request.user)
    logout(request)
    return redirect("accounts:login")


def _security_context(request) -> dict:
    return {
        "device": _confirmed_device(request.user),
        "tokens": request.user.api_tokens.filter(revoked_at__isnull=True).order_by("-created_at"),
        "token_form": TokenForm(),
        "grants": request.user.grants.select_related("org").order_by("org__path"),
        "two_factor_required": two_factor_required(request.user),
        "now": timezone.now(),
    }


@login_required
def security(request):
    return render(request, "accounts/security.html", _security_context(request))


@login_required
def totp_setup(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = TotpSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not reauthenticate(request, password=form.cleaned_data["password"]):
            form.add_error("password", _("The password is wrong."))
        elif device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=request.user, confirmed=True).delete()
                device.confirmed = True
                device.save()
                audit_record(actor=request.user, action=Action.UPDATE, target=request.user,
                             changes={"second_factor": [None, "totp"]})
            otp_login(request, device)  # this session has now passed the second factor
            messages.success(request, _("Two-factor sign-in is on. From now on you will be asked for a code."))
            return redirect("accounts:security")
        else:
            form.add_error("token", _("The code is wrong or has expired. Check your phone's clock and try again."))
    buf = io.BytesIO()
    qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).save(buf)
    return render(request, "accounts/totp_setup.html", {"form": form, "qr_svg": buf.getvalue().decode(), "device": device})


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if form.is_valid() and not reauthenticate(request, password=form.cleaned_data["password"]):
        form.add_error("password", _("The password is wrong."))
    if not form.is_valid():
        return render(request, "accounts/security.html", {**_security_context(request), "token_form": form},
                      status=400)
    token, raw = api_token_create(user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"])
    return render(request, "accounts/token_created.html", {"raw": raw, "token": token})


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(request.user.api_tokens, pk=pk, revoked_at__isnull=True)
    api_token_revoke(user=request.user, token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:security")

