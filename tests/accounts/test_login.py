import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangjian.audit.models import Action, AuditEntry

PASSWORD = "correct-horse-battery"


def _login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_page_is_chinese(as_anonymous):
    response = as_anonymous.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_pages_need_login(as_anonymous):
    for url in ("/", reverse("accounts:security"), reverse("audit:list")):
        response = as_anonymous.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_successful_login_is_audited(officer):
    client = Client()
    response = _login(client, "officer")
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action=Action.LOGIN, actor=officer).count() == 1


def test_wrong_password_shows_chinese_error(officer):
    response = _login(Client(), "officer", "nope-nope-nope")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()


def test_brute_force_locks_the_account(officer, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "officer", "wrong-password")
    # Even the right password is refused while locked.
    response = _login(client, "officer")
    assert response.status_code == 429
    assert "登录已被锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_user(officer, secretary_a, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "officer", "wrong-password")
    assert _login(client, "sec_a").status_code == 302


@pytest.fixture
def officer_with_totp(officer):
    return TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)


def test_totp_required_when_enabled(officer_with_totp):
    client = Client()
    response = _login(client, "officer")
    assert response["Location"] == reverse("accounts:login_otp")
    assert "_auth_user_id" not in client.session
    # The home page is still closed.
    assert client.get("/").status_code == 302

    bad = client.post(reverse("accounts:login_otp"), {"token": "000000"})
    assert bad.status_code == 200 and "验证码错误" in bad.content.decode()

    device = officer_with_totp
    device.refresh_from_db()
    device.throttle_reset()  # django-otp backs off after a wrong code; the test doesn't wait
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    good = client.post(reverse("accounts:login_otp"), {"token": code})
    assert good.status_code == 302
    assert client.get("/").status_code == 200


def test_otp_step_without_password_goes_back_to_login(officer_with_totp):
    response = Client().get(reverse("accounts:login_otp"))
    assert response["Location"] == reverse("accounts:login")


def test_session_expires(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_password_rules_are_djangos():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("12345678")


def test_failed_sign_ins_and_sign_outs_are_audited(officer, settings):
    """Issue 16 #7: a refused password, a refused second factor, a lockout and a sign-out each leave an entry."""
    client = Client()
    _login(client, "officer", "wrong-password")
    _login(client, "nobody-here", "wrong-password")
    failed = AuditEntry.objects.filter(action=Action.LOGIN_FAILED).order_by("id")
    assert [(e.actor_name, e.target_id, e.changes) for e in failed] == [
        ("officer", str(officer.pk), {"stage": "password"}),
        ("nobody-here", "", {"stage": "password"}),
    ]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "officer", "wrong-password")
    assert _login(client, "officer").status_code == 429  # locked: refused, and audited as such
    assert AuditEntry.objects.filter(action=Action.LOGIN_FAILED, actor_name="officer").count() == 1 + 5 + 1

    other = Client()
    other.force_login(officer)
    other.post(reverse("accounts:logout"))
    assert AuditEntry.objects.filter(action=Action.LOGOUT, actor=officer).count() == 1


def test_a_wrong_second_factor_code_is_audited(officer):
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    client = Client()
    _login(client, "officer")
    wrong = f"{(int(totp(device.bin_key)) + 1) % 1000000:06d}"
    client.post(reverse("accounts:login_otp"), {"token": wrong})
    entry = AuditEntry.objects.get(action=Action.LOGIN_FAILED)
    assert (entry.actor_name, entry.changes) == ("officer", {"stage": "totp"})
