"""Form plumbing shared by the feature apps' views, each piece once.

- The date, date-time and month widgets. A `type=date` input only shows an
  ISO value (2026-01-01); Chinese locale formats (2026/01/01) leave it blank
  and the form refuses to submit, so the formats are fixed here.
- A service's refusal (ValidationError) shown on the form: inline on the
  field it names, else on top; or as messages after a one-button POST.
"""

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core import metrics
from dangjian.core.dates import parse_month

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    """<input type=date>, always rendered as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 (Django's argument name)
        super().__init__(attrs=attrs, format=format or ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    """<input type=datetime-local>, rendered as local YYYY-MM-DDTHH:MM."""

    input_type = "datetime-local"

    def __init__(self, attrs=None, format=None):  # noqa: A002
        super().__init__(attrs=attrs, format=format or ISO_DATETIME)

    def format_value(self, value):
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        return super().format_value(value)


class MonthInput(forms.TextInput):
    """<input type=month>: YYYY-MM."""

    input_type = "month"

    def format_value(self, value):
        if isinstance(value, dt.date):
            return f"{value:%Y-%m}"
        return super().format_value(value)


class MonthField(forms.CharField):
    """A month as its first day, from what <input type=month> sends ("2025-03")."""

    widget = MonthInput

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        month = parse_month(value)
        if month is None:
            raise ValidationError(_("Enter a month like 2025-03."))
        return month


def target_metric_choices() -> list[tuple[str, str]]:
    """What a target (project, responsibility item) may be bound to: a registered metric, or evidence."""
    return [("", _("Reported with evidence"))] + [
        (m.code, _("%(name)s (%(unit)s)") % {"name": m.name, "unit": m.unit}) for m in metrics.all_metrics()]


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError inline, on the field it names when the form has it, else on top."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for field_name, msgs in errors.items():
        for message in msgs:
            form.add_error(field_name if field_name in form.fields else None, message)


def flash_errors(request, exc: ValidationError) -> None:
    """A service's refusal after a one-button POST: shown as messages on the page redirected to."""
    for msgs in (exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]):
        for m in msgs:
            messages.error(request, m)


def save_form(request, form: forms.Form, write):
    """write(cleaned_data) when a valid form was posted; a service's refusal lands in the form. None otherwise."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return None


def submitted(request, form: forms.Form, action) -> bool:
    """True when the form was posted, is valid and the service accepted it.

    Otherwise the service's ValidationError is shown inline on the form.
    """
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        action(**form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return False
    return True
