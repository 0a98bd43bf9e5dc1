"""Pure dues rules: the bracket a base falls in, the amount, when a month falls into arrears.

Brackets: each upper bound is inclusive (≤ 3000 pays 0.5 %, 3000.01 pays 1 %).
Rounding: base × rate, rounded half-up to the fen (0.01 yuan).
Students, rural members without fixed salary and the unemployed pay a fixed
monthly amount (default 0.50, allowed range 0.20–1.00).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dangjian.core.dates import add_months, month_start

FEN = Decimal("0.01")
FIXED_FAMILIES = ("student", "farmer", "unemployed")

# DOMAIN.md defaults, shown next to the configured value on the rules page.
DEFAULTS = {
    "employed_limit_1": Decimal("3000"), "employed_limit_2": Decimal("5000"),
    "employed_limit_3": Decimal("10000"),
    "employed_rate_1": Decimal("0.5"), "employed_rate_2": Decimal("1"),
    "employed_rate_3": Decimal("1.5"), "employed_rate_4": Decimal("2"),
    "retired_limit_1": Decimal("5000"), "retired_rate_1": Decimal("0.5"), "retired_rate_2": Decimal("1"),
    "fixed_default": Decimal("0.50"), "fixed_min": Decimal("0.20"), "fixed_max": Decimal("1.00"),
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


def assess(rules, *, employment: str, base: Decimal | None, fixed: Decimal | None = None) -> Assessed:
    """What a member owes for a month. Raises MissingBase when a salaried member has none."""
    if employment in FIXED_FAMILIES:
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


def arrears_level(streak: int, rules) -> str:
    """"bad" from alarm_months consecutive unpaid months, "warn" from warn_months, else ""."""
    if streak >= rules.alarm_months:
        return "bad"
    if streak >= rules.warn_months:
        return "warn"
    return ""
