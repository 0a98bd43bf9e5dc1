"""Issue 16 #9: 2FA required for superusers and chosen roles, re-authentication for sensitive
account actions, API tokens that expire."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangjian.accounts.models import ApiToken
from dangjian.accounts.roles import Role
from dangjian.accounts.services import api_token_create, api_token_user
from dangjian.audit.models import Action, AuditEntry
from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"
pytestmark = pytest.mark.django_db


def _signed_in(username) -> Client:
    client = Client()
    assert client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD}).status_code == 302
    return client


def _code(device) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_a_superuser_without_two_factor_reaches_only_its_set_up(tree):
    UserFactory(username="root", is_superuser=True, is_staff=True)
    client = _signed_in("root")
    for path in ("/", reverse("orgs:member_list"), reverse("audit:list"), reverse("accounts:security")):
        r = client.get(path)
        assert r.status_code == 302 and r["Location"] == reverse("accounts:totp_setup"), path
    page = client.get(reverse("accounts:totp_setup"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user__username="root", confirmed=False)
    done = client.post(reverse("accounts:totp_setup"), {"token": _code(device), "password": PASSWORD})
    assert done.status_code == 302
    assert client.get("/").status_code == 200  # this session passed the second factor when it was set up


def test_roles_can_be_made_to_use_two_factor(tree, settings, secretary_a, officer):
    settings.TWO_FACTOR_REQUIRED_ROLES = [Role.ORG_OFFICER]
    assert _signed_in("officer").get("/")["Location"] == reverse("accounts:totp_setup")
    assert _signed_in("sec_a").get("/").status_code == 200
    settings.TWO_FACTOR_REQUIRED_ROLES = [Role.SECRETARY]
    assert _signed_in("sec_a").get("/").status_code == 302


def test_setting_up_two_factor_needs_the_password(officer):
    client = _signed_in("officer")
    client.get(reverse("accounts:totp_setup"))
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    wrong = client.post(reverse("accounts:totp_setup"), {"token": _code(device), "password": "not-it"})
    assert wrong.status_code == 200 and "密码错误" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert AuditEntry.objects.filter(action=Action.LOGIN_FAILED, changes__stage="reauthentication").exists()


def test_creating_an_api_token_needs_the_password(officer):
    client = _signed_in("officer")
    refused = client.post(reverse("accounts:token_create"), {"name": "报表脚本", "days": 90, "password": "x"})
    assert refused.status_code == 400 and "密码错误" in refused.content.decode()
    assert not ApiToken.objects.exists()
    made = client.post(reverse("accounts:token_create"), {"name": "报表脚本", "days": 30, "password": PASSWORD})
    assert made.status_code == 200
    token = ApiToken.objects.get()
    assert dt.timedelta(days=29) < token.expires_at - timezone.now() <= dt.timedelta(days=30)
    assert token.expires_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d") in made.content.decode()


def test_api_tokens_expire(officer, settings):
    token, raw = api_token_create(user=officer, name="t")
    assert round((token.expires_at - token.created_at).total_seconds() / 86400) == settings.API_TOKEN_DAYS
    assert api_token_user(raw) == officer
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api_token_user(raw) is None
    r = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/members/")
    assert r.status_code == 401
    # A token from before expiry existed lapses API_TOKEN_DAYS after it was made.
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=None, created_at=timezone.now() - dt.timedelta(days=settings.API_TOKEN_DAYS, seconds=1))
    assert api_token_user(raw) is None
    ApiToken.objects.filter(pk=token.pk).update(created_at=timezone.now() - dt.timedelta(days=1))
    assert api_token_user(raw) == officer


def test_the_security_page_shows_when_each_token_expires(officer):
    token, _raw = api_token_create(user=officer, name="报表脚本", days=180)
    page = _signed_in("officer").get(reverse("accounts:security")).content.decode()
    assert timezone.localtime(token.expires_at).strftime("%Y-%m-%d") in page
