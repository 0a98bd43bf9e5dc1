"""Rules on a member's record shared by the form, the API and the importer."""

import datetime as dt

from django.utils import timezone

from dangjian.core import crypto
from dangjian.orgs.idnumber import IdNumberError, parse_id_number
from dangjian.orgs.models import Category, Member

GENDER_WORD = {"M": "男", "F": "女"}


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
    """{field: Chinese message} for everything that disagrees; empty if all agree."""
    errors: dict[str, str] = {}
    today = today or timezone.localdate()  # the platform's day (Asia/Shanghai), not the host's
    try:
        parsed = parse_id_number(id_number)
    except IdNumberError as exc:
        errors["id_number"] = str(exc)
        parsed = None
    if parsed and birth_date and parsed.birth_date != birth_date:
        errors["birth_date"] = (
            f"出生日期 {birth_date:%Y-%m-%d} 与身份证号中的 {parsed.birth_date:%Y-%m-%d} 不一致"
        )
    if parsed and gender and parsed.gender != gender:
        errors["gender"] = f"性别“{GENDER_WORD.get(gender, gender)}”与身份证号（{GENDER_WORD[parsed.gender]}）不一致"
    if birth_date and birth_date > today:
        errors["birth_date"] = "出生日期不能晚于今天"
    if joined_on:
        if joined_on > today:
            errors["joined_on"] = "入党日期不能晚于今天"
        elif birth_date and joined_on < _add_years(birth_date, 18):
            errors["joined_on"] = "入党时须年满18周岁，请核对入党日期"
    if full_member_on:
        if joined_on and full_member_on < joined_on:
            errors["full_member_on"] = "转正日期不能早于入党日期"
        elif full_member_on > today:
            errors["full_member_on"] = "转正日期不能晚于今天"
        if category == Category.PROBATIONARY:
            errors["full_member_on"] = "预备党员不应有转正日期"
    return errors


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def id_number_taken(id_number: str, *, exclude_pk: int | None = None) -> bool:
    qs = Member.objects.filter(id_number_index=crypto.blind_index(id_number))
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()
