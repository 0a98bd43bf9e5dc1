"""Base schemas for API input, shared by every app's api.py."""

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ConfigDict, field_validator


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, (list, tuple)):
        return any(_has_nul(v) for v in value)
    return False


class CleanInput(Schema):
    """Text with a NUL character is refused (PostgreSQL cannot store or compare it)."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value):
        if _has_nul(value):
            raise ValueError(_("Null characters are not allowed"))
        return value


class StrictInput(CleanInput):
    """A request body: a misspelt field is an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")
