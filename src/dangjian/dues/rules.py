"""Pure dues rules: the bracket a base falls in, the amount, when a month falls into arrears.

Brackets: each upper bound is inclusive (≤ 3000 pays 0.5 %, 3000.01 pays 1 %).
Rounding: base × rate, rounded half-up to the fen (0.01 yuan).
Bases and amounts (2008 党费规定 一, core.references.ARTICLES "dues.*"):
- employed (第一、二条) and annual-salary members (第三条: this month's actual pay)
  by the employed brackets; self-employed members (第四条: last quarter's
  average monthly net income) by the same brackets; retired members (第五条)
  by theirs;
- students, the laid-off and unemployed, members on relief or the subsistence
  allowance pay 0.20 a month (第六条), nothing else;
- rural members without fixed salary pay 0.20–1.00 (第六条): the branch sets
  each one's amount; the installation's default for a member without one is a
  setting (0.50), since the text names none;
- a reduction or exemption approved by the superior committee (第七条) replaces
  the amount for the months it covers.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dangjian.core.dates import add_months, month_start

FEN = Decimal("0.01")
# 第六条: a flat 0.20 (the special groups), or 0.20–1.00 (rural members).
SPECIAL_FAMILIES = ("student", "unemployed", "relief")
FARMER = "farmer"
FIXED_FAMILIES = (*SPECIAL_FAMILIES, FARMER)
# 第三条、第四条: "参照第一条、第二条规定" — the employed brackets on their own base.
EMPLOYED_BRACKETS = ("employed", "annual_salary", "self_employed")

# DOMAIN.md defaults, shown next to the configured value on the rules page.
DEFAULTS = {
    "employed_limit_1": Decimal("3000"), "employed_limit_2": Decimal("5000"),
    "employed_limit_3": Decimal("10000"),
    "employed_rate_1": Decimal("0.5"), "employed_rate_2": Decimal("1"),
    "employed_rate_3": Decimal("1.5"), "employed_rate_4": Decimal("2"),
    "retired_limit_1": Decimal("5000"), "retired_rate_1": Decimal("0.5"), "retired_rate_2": Decimal("1"),
    "fixed_default": Decimal("0.50"), "fixed_min": Decimal("0.20"), "fixed_max": Decimal("1.00"),
    "special_amount": Decimal("0.20"),
    "warn_months": 3, "alarm_months": 5,
}


@dataclass(frozen=True)
class Assessed:
    base: Decimal | None
    rate: Decimal | None  # percent
    amount: Decimal


class MissingBase(ValueError):
    pass


def rate_for(rules, *, employment: str, base: Decimal) -> Decimal:
    """The percentage rate for a salaried base (employed, or retired)."""
    if employment == "retired":
        return rules.retired_rate_1 if base <= rules.retired_limit_1 else rules.retired_rate_2
    if base <= rules.employed_limit_1:
        return rules.employed_rate_1
    if base <= rules.employed_limit_2:
        return rules.employed_rate_2
    if base <= rules.employed_limit_3:
        return rules.employed_rate_3
    return rules.employed_rate_4


def round_fen(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def assess(rules, *, employment: str, base: Decimal | None, fixed: Decimal | None = None,
           reduced: Decimal | None = None) -> Assessed:
    """What a member owes for a month. Raises MissingBase when a salaried member has none.

    `reduced`: the amount of an approved reduction (0 for an exemption) covering the month.
    """
    if reduced is not None:
        return Assessed(None, None, reduced)
    if employment in SPECIAL_FAMILIES:
        return Assessed(None, None, rules.special_amount)
    if employment == FARMER:
        return Assessed(None, None, fixed if fixed is not None else rules.fixed_default)
    if base is None:
        raise MissingBase(employment)
    rate = rate_for(rules, employment=employment, base=base)
    return Assessed(base, rate, round_fen(base * rate / 100))


def in_arrears(month: dt.date, today: dt.date) -> bool:
    """A month's dues fall into arrears once the month has ended."""
    return month < month_start(today)


def trailing_unpaid(unpaid_months: set[dt.date], today: dt.date) -> int:
    """Consecutive ended months without payment, counted back from last month."""
    n, m = 0, add_months(month_start(today), -1)
    while m in unpaid_months:
        n += 1
        m = add_months(m, -1)
    return n


# 党章第九条 (core.references.ARTICLES["member.lapsed"]): six consecutive months without dues, without good
# reason, and the member is regarded as having left the Party: the branch meeting decides on removal.
LAPSE_MONTHS = 6


def lapsed(streak: int) -> bool:
    return streak >= LAPSE_MONTHS


def arrears_level(streak: int, rules) -> str:
    """"bad" from alarm_months consecutive unpaid months, "warn" from warn_months, else ""."""
    if streak >= rules.alarm_months:
        return "bad"
    if streak >= rules.warn_months:
        return "warn"
    return ""
