"""Turning one raw cell into a value, the way people actually type it.

Pure functions: each returns the value or raises CellError with a message for
the person who filled in the cell.
"""

import datetime as dt
import re

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from dangjian.core.text import join_items

_joined = lazy(join_items, str)


class CellError(ValueError):
    """Why a cell cannot be taken: a lazy message and its values, put together when shown (str()).

    The fast conversions raise and drop many of these, and a valid cell never
    makes one: the catalogue is asked only for an error that is reported.
    """

    def __init__(self, message, values: dict | None = None):
        super().__init__(message)
        self.values = values

    def __str__(self) -> str:
        message = str(self.args[0])
        return message % self.values if self.values else message


_DATE_PARTS = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
MOBILE = re.compile(r"1\d{10}")  # whole value: use fullmatch
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
TAG_SPLIT = re.compile(r"[、,，;；\s]+")


def display(value) -> str:
    """How a raw cell reads back to the user in an error message."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}" if (value.hour or value.minute) else f"{value:%Y-%m-%d}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def to_text(value, *, max_length: int = 0) -> str:
    text = display(value)
    if max_length and len(text) > max_length:
        raise CellError(ngettext_lazy("Too long: at most %(max)d character, %(n)d given",
                                      "Too long: at most %(max)d characters, %(n)d given", max_length),
                        {"max": max_length, "n": len(text)})
    return text


def to_date(value) -> dt.date:
    if value.__class__ is str and (
        (len(value) == 10 and value[4] == "-" and value[7] == "-") or (len(value) == 8 and value.isdigit())
    ):
        # Fast path for 2020-01-05 and 20200105 (the C parser); anything else below.
        try:
            parsed = dt.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            if parsed.year >= 1900:
                return parsed
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = str(int(value))  # 20200105 typed into a number cell
    text = str(value).strip()
    match = _DATE_PARTS.match(text) or _DATE_COMPACT.match(text)
    if not match:
        raise CellError(_("Date not recognised: write it as 2020-01-05, 2020/1/5, 2020.1.5 or 20200105"))
    year, month, day = (int(p) for p in match.groups())
    try:
        day_value = dt.date(year, month, day)
    except ValueError as exc:
        raise CellError(_("No such date: check the year, month and day")) from exc
    if year < 1900:
        raise CellError(_("The date is before 1900: check it"))
    return day_value


def to_enum(value, lookup: dict[str, str], labels: list[str]) -> str:
    text = "".join(display(value).split())
    try:
        return lookup[text]
    except KeyError:
        raise CellError(_("Only these can be entered: %(labels)s"), {"labels": _joined(labels)}) from None


def to_id_text(value) -> str:
    if isinstance(value, float):
        # Excel keeps 15 significant digits: an 18-digit number typed into a
        # number cell has already lost its last digits.
        raise CellError(_(
            "The ID number was stored as a number and its last digits may be lost: set the column to “Text” "
            "and enter it again"))
    return "".join(str(value).split()).upper()


def to_phone(value) -> str:
    compact = "".join(display(value).split())
    if MOBILE.fullmatch(compact) or _LANDLINE.match(compact):
        return compact
    raise CellError(_("A mobile number has 11 digits starting with 1; write a landline as 010-12345678"))


def to_tags(value) -> list[str]:
    names = [t for t in TAG_SPLIT.split(display(value)) if t]
    too_long = [t for t in names if len(t) > 20]
    if too_long:
        raise CellError(_("Tag “%(tag)s” is too long: at most 20 characters per tag"), {"tag": too_long[0]})
    return list(dict.fromkeys(names))
