"""Rules on a member's record shared by the form, the API and the importer."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import crypto
from dangjian.core.dates import add_years
from dangjian.orgs.idnumber import IdNumberError, parse_id_number
from dangjian.orgs.models import Category, Gender, Member


def member_consistency_errors(
    *,
    id_number: str,
    birth_date: dt.date | None,
    gender: str | None,
    joined_on: dt.date | None = None,
    full_member_on: dt.date | None = None,
    category: str | None = None,
    today: dt.date | None = None,
) -> dict[str, str]:
    """{field: message} for everything that disagrees; empty if all agree."""
    errors: dict[str, str] = {}
    today = today or timezone.localdate()  # the platform's day (Asia/Shanghai), not the host's
    try:
        parsed = parse_id_number(id_number)
    except IdNumberError as exc:
        errors["id_number"] = str(exc)
        parsed = None
    if parsed and birth_date and parsed.birth_date != birth_date:
        errors["birth_date"] = _("Birth date %(given)s differs from %(in_number)s in the resident ID number") % {
            "given": f"{birth_date:%Y-%m-%d}", "in_number": f"{parsed.birth_date:%Y-%m-%d}"}
    if parsed and gender and parsed.gender != gender:
        errors["gender"] = _("Gender “%(given)s” differs from the resident ID number (%(in_number)s)") % {
            "given": _gender_word(gender), "in_number": _gender_word(parsed.gender)}
    if birth_date and birth_date > today:
        errors["birth_date"] = _("The birth date cannot be later than today")
    if joined_on:
        if joined_on > today:
            errors["joined_on"] = _("The date of joining cannot be later than today")
        elif birth_date and joined_on < add_years(birth_date, 18):
            errors["joined_on"] = _("Members join at 18 or older: check the date of joining")
    if full_member_on:
        if joined_on and full_member_on < joined_on:
            errors["full_member_on"] = _("The full-membership date cannot be earlier than the date of joining")
        elif full_member_on > today:
            errors["full_member_on"] = _("The full-membership date cannot be later than today")
        if category == Category.PROBATIONARY:
            errors["full_member_on"] = _("A probationary member has no full-membership date")
    return errors


def _gender_word(code: str) -> str:
    return str(Gender(code).label) if code in Gender.values else code


def id_number_taken(id_number: str, *, exclude_pk: int | None = None) -> bool:
    qs = Member.objects.filter(id_number_index=crypto.blind_index(id_number))
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()
