"""What every correction shares (docs/corrections.md): a reason, and the values before and after
stored as JSON on the app's correction row (the abstract CorrectionRecord in core.models)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

REASON_LENGTH = 200


def reason_given(reason: str | None, message: str | None = None) -> str:
    """The reason, trimmed; a blank one is refused on the `reason` field (with message, if given)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message or _("Give the reason for this correction")})
    return reason[:REASON_LENGTH]


def json_values(values: dict[str, Any]) -> dict[str, Any]:
    """Dates and times as ISO text, the rest as is: what a JSONField keeps of a record's values."""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in values.items()}


def user_or_none(by):
    """The user to store on a row; system writes (demo seeding, timers) have none."""
    return by if getattr(by, "pk", None) else None
