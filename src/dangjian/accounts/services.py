from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import ApiToken
from dangjian.audit.services import Action, audit_record


@transaction.atomic
def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    raw = ApiToken.new_raw()
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[3:11], digest=ApiToken.digest_of(raw))
    audit_record(actor=user, action=Action.CREATE, target=token, target_repr=f"API token {name}")
    return token, raw


@transaction.atomic
def api_token_revoke(*, user, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=user, action=Action.DELETE, target=token, target_repr=f"API token {token.name}")


def api_token_user(raw: str):
    """The active user behind a raw token, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
