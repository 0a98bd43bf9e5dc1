"""Resident ID numbers (GB 11643-1999): structure and check character."""

import datetime as dt
import operator
from dataclasses import dataclass

from django.utils.translation import gettext as _

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


class IdNumberError(ValueError):
    pass


@dataclass(frozen=True)
class IdNumber:
    value: str
    birth_date: dt.date
    gender: str  # "M" or "F"


def check_char(first17: str) -> str:
    # map/operator rather than a generator: the importer calls this 100,000 times a file.
    return _CHECK[sum(map(operator.mul, map(int, first17), _WEIGHTS)) % 11]


def parse_id_number(raw: str) -> IdNumber:
    """Validate and return the number's parts; messages are for the person typing it."""
    value = "".join(str(raw).split()).upper()
    if len(value) != 18:
        raise IdNumberError(_("A resident ID number has 18 characters, not %(n)d") % {"n": len(value)})
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise IdNumberError(_("The first 17 characters of a resident ID number are digits, the last a digit or X"))
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise IdNumberError(_("The birth date in the resident ID number is not a valid date")) from exc
    if value[17] != check_char(value[:17]):
        raise IdNumberError(_("The check character of the resident ID number is wrong: check the number"))
    gender = "M" if int(value[16]) % 2 == 1 else "F"
    return IdNumber(value=value, birth_date=birth, gender=gender)


def make_id_number(*, area: str, birth_date: dt.date, sequence: int, gender: str) -> str:
    """Build a valid number (demo data, tests): sequence parity follows gender."""
    seq = sequence % 1000
    if (seq % 2 == 1) != (gender == "M"):
        seq = (seq + 1) % 1000
    first17 = f"{area}{birth_date:%Y%m%d}{seq:03d}"
    return first17 + check_char(first17)
