"""Form plumbing shared by the feature apps' views: a service's refusal shown on the form."""

from django import forms
from django.core.exceptions import ValidationError


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError inline, on the field it names when the form has it, else on top."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for field_name, messages in errors.items():
        for message in messages:
            form.add_error(field_name if field_name in form.fields else None, message)


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
