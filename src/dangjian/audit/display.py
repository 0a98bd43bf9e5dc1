"""An audit entry as people read it: the field's Chinese label and displayed values, not `passed: None → True`.

The entry keeps what the service recorded (field names and stored values,
hashed into the chain); this only translates for the page. Labels come from
the recorded model's fields (verbose_name), values through their choices,
是/否 for booleans and plain dates; what is not a field of the model (counts,
a reason) is labelled by the catalogue when it knows the word.
"""

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.text import join_items, join_messages, shown

EMPTY = "—"


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None  # None: the entry recorded one value, not a change
    after: str


def _model(label: str):
    try:
        return apps.get_model(label) if label else None
    except (LookupError, ValueError):
        return None


def _own_field(model, name: str):
    for candidate in (name, name.removesuffix("_id")):
        try:
            return model._meta.get_field(candidate)
        except FieldDoesNotExist:
            continue
    return None


def _field(model, name: str):
    """The model's field, or else a field of a record it points to (a recruitment step records its
    applicant's `stage`)."""
    if model is None:
        return None
    found = _own_field(model, name)
    if found is None:
        for link in model._meta.get_fields():
            if link.many_to_one and link.related_model is not None and link.related_model is not model:
                found = _own_field(link.related_model, name)
                if found is not None:
                    break
    return found


def _label(field, name: str) -> str:
    if field is not None and getattr(field, "verbose_name", None):
        return str(field.verbose_name)
    words = name.replace("_", " ")
    translated = gettext(words)
    return translated if translated != words else name  # unknown to the catalogue: the recorded key


def _value(field, value) -> str:
    if value is None or value == "":
        return EMPTY
    if field is not None and getattr(field, "flatchoices", None):
        choices = {str(k): v for k, v in field.flatchoices}
        if str(value) in choices:
            return str(choices[str(value)])
    if isinstance(value, bool):
        return shown(value)
    if isinstance(value, str) and field is not None:
        if isinstance(field, models.DateTimeField):
            try:
                return shown(dt.datetime.fromisoformat(value))
            except ValueError:
                return value
        if isinstance(field, models.BooleanField) and value in ("True", "False"):
            return shown(value == "True")
    if isinstance(value, list | tuple):
        return join_items(_value(field, v) for v in value) or EMPTY
    if isinstance(value, dict):
        return join_messages(f"{gettext(str(k))}: {_value(None, v)}" for k, v in value.items())
    return str(shown(value))


def entry_changes(entry) -> list[Change]:
    model = _model(entry.target_type)
    out = []
    for name, value in (entry.changes or {}).items():
        field = _field(model, name)
        if isinstance(value, list) and len(value) == 2:
            out.append(Change(_label(field, name), _value(field, value[0]), _value(field, value[1])))
        else:
            out.append(Change(_label(field, name), None, _value(field, value)))
    return out


# Who acted when no user did: names the services record, shown in words.
_ACTORS = {"system": _("system"), "demo": _("demo data"), "demo_org": _("demo data")}


def actor_shown(entry) -> str:
    if entry.actor_id is None and entry.actor_name in _ACTORS:
        return str(_ACTORS[entry.actor_name])
    return entry.actor_name


def record_kind(entry) -> str:
    model = _model(entry.target_type)
    return str(model._meta.verbose_name) if model is not None else ""


