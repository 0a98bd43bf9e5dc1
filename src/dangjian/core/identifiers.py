"""ID numbers and phones in edit forms: the stored value never goes back to the browser.

An edit form shows the masked value as the input's placeholder, leaves the input
empty, and reads an empty input as "keep what is stored"; an optional value is
removed with its own checkbox. The services decide who may change one (the
reveal right) and audit the change with the value redacted.
"""

import re
from collections.abc import Callable, Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

KEEP_HELP = _("Leave blank to keep it as it is.")
CLEAR_LABELS = {"phone": _("Remove the phone number")}


def protect_identifiers(form: forms.Form, *, stored: Mapping[str, str],
                        masks: Mapping[str, Callable[[str], str]], clearable: tuple[str, ...] = ()) -> None:
    """Turn the named fields of an edit form into keep-unless-retyped inputs."""
    order = []
    for name in form.fields:
        order.append(name)
        if name not in stored:
            continue
        value = stored[name] or ""
        field = form.fields[name]
        form.initial.pop(name, None)
        field.initial = None
        field.required = False
        field.widget.attrs.update({"placeholder": masks[name](value) if value else "", "autocomplete": "off"})
        field.help_text = f"{KEEP_HELP} {field.help_text}".strip() if field.help_text else KEEP_HELP
        if name in clearable and value:
            order.append(f"clear_{name}")
    for name in clearable:
        if stored.get(name):
            form.fields[f"clear_{name}"] = forms.BooleanField(label=CLEAR_LABELS.get(name, _("Remove")), required=False)
    form.fields = {name: form.fields[name] for name in order}
    form.protected_identifiers = dict(stored)


def identifier_changes(form: forms.Form, data: dict) -> dict:
    """data without the protected fields left blank (kept); a ticked "remove" gives ""."""
    data = dict(data)
    for name in getattr(form, "protected_identifiers", {}):
        cleared = data.pop(f"clear_{name}", False)
        typed = data.get(name)
        if cleared:
            data[name] = ""
        elif typed in ("", None):
            data.pop(name, None)
    return data


def require_reveal_to_change(*, by, org, data: Mapping, fields: tuple[str, ...], capability: str) -> None:
    """Sending an identifier (even the same one) needs the reveal right (capability) on org.

    Otherwise retyping a guess would tell whether it is the stored value.
    """
    from dangjian.core.scoping import org_in_scope

    sent = [name for name in fields if name in data]
    if sent and not org_in_scope(by, capability, org):
        raise ValidationError({name: gettext(
            "Only users who may see it in full can change it: leave it blank to keep it") for name in sent})


_IDENTIFIER = re.compile(r"^\d{6,19}[\dX]?$")


def looks_like_identifier(text: str) -> bool:
    """A whole ID number or phone number (digits, a final X), as typed into a search box."""
    return bool(_IDENTIFIER.match("".join((text or "").replace("-", " ").split()).upper()))
