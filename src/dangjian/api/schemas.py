"""Base schemas for API input, shared by every app's api.py."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Schema
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


class ErrorOut(Schema):
    # Every error answer (400, 401, 403, 404); the description is for readers of the docs.
    model_config = ConfigDict(
        json_schema_extra={"description": gettext_lazy("Error answer (the same for 400, 401, 403 and 404)")})

    detail: str = Field(description=gettext_lazy("The first error message (in the interface language)"))
    errors: dict[str, list[str]] | None = Field(None, description=gettext_lazy(
        "On 400: field → list of error messages; __all__ holds errors about the whole input"))


# Declared on operations so the schema documents the error answers.
READ_ERRORS = {401: ErrorOut, 404: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
