import datetime as dt

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dangjian.accounts.models import ApiToken, User
from dangjian.audit.services import Action, audit_record

# How stale last_used_at may get before an API request records it again.
TOKEN_TOUCH_INTERVAL = dt.timedelta(minutes=5)


@transaction.atomic
def sign_in_failed(*, username: str, stage: str) -> None:
    """Audit a refused sign-in (wrong password, locked out, wrong second-factor code)."""
    user = User.objects.filter(username=username).first() if username else None
    audit_record(actor=username[:150], action=Action.LOGIN_FAILED, target=user,
                 target_repr=username[:200], changes={"stage": stage})


@transaction.atomic
def sign_out(*, user) -> None:
    audit_record(actor=user, action=Action.LOGOUT, target=user)


def two_factor_required(user) -> bool:
    """Superusers always; others when they hold a role in settings.TWO_FACTOR_REQUIRED_ROLES."""
    if user.is_superuser:
        return True
    roles = settings.TWO_FACTOR_REQUIRED_ROLES
    return bool(roles) and user.grants.filter(role__in=roles).exists()


def reauthenticate(request, *, password: str) -> bool:
    """The signed-in user proves again who they are before a sensitive account action.

    Through authenticate(), so wrong passwords count towards the lockout like sign-ins.
    """
    user = authenticate(request, username=request.user.get_username(), password=password)
    if user is None or user.pk != request.user.pk:
        sign_in_failed(username=request.user.get_username(), stage="reauthentication")
        return False
    return True


@transaction.atomic
def api_token_create(*, user, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    days = min(days or settings.API_TOKEN_DAYS, settings.API_TOKEN_MAX_DAYS)
    raw = ApiToken.new_raw()
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[3:11], digest=ApiToken.digest_of(raw),
                                    expires_at=timezone.now() + dt.timedelta(days=days))
    audit_record(actor=user, action=Action.CREATE, target=token, target_repr=f"API token {name}",
                 changes={"expires_at": [None, token.expires_at.isoformat()]})
    return token, raw


@transaction.atomic
def api_token_revoke(*, user, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=user, action=Action.DELETE, target=token, target_repr=f"API token {token.name}")


def api_token_user(raw: str):
    """The active user behind a raw token, or None."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True, user__is_active=True)
        .filter(Q(expires_at__gt=now)
                | Q(expires_at__isnull=True, created_at__gt=now - dt.timedelta(days=settings.API_TOKEN_DAYS)))
        .first()
    )
    if token is None:
        return None
    # Coarse on purpose: a write on every request would turn each GET into a write (a lock on SQLite).
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
