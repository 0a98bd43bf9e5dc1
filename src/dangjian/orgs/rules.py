"""Rules on a member's record shared by the form, the API and the importer."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import crypto
from dangjian.core.dates import add_months
from dangjian.orgs.idnumber import IdNumberError, parse_id_number
from dangjian.orgs.models import Category, Gender, Member

# ARTICLES["roster.join_age"]: 18 at application, then more than a year as an activist before the
# branch meeting can vote: nobody joins before their 19th birthday.
JOIN_MIN_AGE_MONTHS = 18 * 12 + 12
# ARTICLES["roster.full_on"]: probation is a year from joining, extended once by 6 to 12 months.
PROBATION_MONTHS, EXTENSION_MIN_MONTHS, EXTENSION_MAX_MONTHS = 12, 6, 12


def earliest_join(birth_date: dt.date) -> dt.date:
    return add_months(birth_date, JOIN_MIN_AGE_MONTHS)


def full_member_on_errors(joined_on: dt.date, full_member_on: dt.date) -> str:
    """"" when the full-membership date can follow from the joining date: probation ends a year later, or a
    year and an extension of 6–12 whole months later (extensions are decided in months); else the message."""
    lawful = [add_months(joined_on, PROBATION_MONTHS)] + [
        add_months(joined_on, PROBATION_MONTHS + n) for n in range(EXTENSION_MIN_MONTHS, EXTENSION_MAX_MONTHS + 1)]
    if full_member_on in lawful:
        return ""
    return _(
        "A member becomes a full member when probation ends: one year after joining (%(on_time)s), or after an "
        "extension of 6 to 12 months (%(from)s to %(to)s, on the same day of the month)"
    ) % {"on_time": f"{lawful[0]:%Y-%m-%d}", "from": f"{lawful[1]:%Y-%m-%d}", "to": f"{lawful[-1]:%Y-%m-%d}"}


# ARTICLES["transfer.letter"]: an introduction letter is valid a month as a rule, three months at most.
LETTER_VALID_MONTHS, LETTER_VALID_MAX_MONTHS = 1, 3
REPORT_REMIND_DAYS = 7


def letter_valid_until(requested_on: dt.date) -> dt.date:
    return add_months(requested_on, LETTER_VALID_MONTHS)


def letter_validity_error(requested_on: dt.date, valid_until: dt.date) -> str:
    latest = add_months(requested_on, LETTER_VALID_MAX_MONTHS)
    if valid_until < requested_on:
        return _("The letter cannot expire before it is issued")
    if valid_until > latest:
        return _("An introduction letter is valid for three months at most (until %(date)s)") % {
            "date": f"{latest:%Y-%m-%d}"}
    return ""


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
        elif birth_date and joined_on < earliest_join(birth_date):
            errors["joined_on"] = _(
                "Members apply at 18 and are activists for more than a year before joining: nobody joins before "
                "19 (%(date)s): check the date of joining") % {"date": f"{earliest_join(birth_date):%Y-%m-%d}"}
    if full_member_on:
        if joined_on and full_member_on < joined_on:
            errors["full_member_on"] = _("The full-membership date cannot be earlier than the date of joining")
        elif full_member_on > today:
            errors["full_member_on"] = _("The full-membership date cannot be later than today")
        elif joined_on and (problem := full_member_on_errors(joined_on, full_member_on)):
            errors["full_member_on"] = problem
        if category == Category.PROBATIONARY:
            errors["full_member_on"] = _("A probationary member has no full-membership date")
    return errors


def _gender_word(code: str) -> str:
    return str(Gender(code).label) if code in Gender.values else code


def id_number_taken(id_number: str, *, exclude_pk: int | None = None) -> bool:
    qs = Member.objects.filter(id_number_index__in=crypto.blind_index_variants(id_number))
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()
