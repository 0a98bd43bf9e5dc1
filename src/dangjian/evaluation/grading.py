"""Grading by thresholds with quota caps, movement and the weak-and-lax rules (pure functions)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

GRADE_LABELS = {
    "5": _("five stars"), "4": _("four stars"), "3": _("three stars"), "2": _("two stars"), "1": _("one star"),
    "advanced": _("advanced"), "good": _("good"), "average": _("average"), "lagging": _("lagging"),
}
DEFAULT_THRESHOLDS = {
    "stars": [[90, "5"], [80, "4"], [70, "3"], [60, "2"], [0, "1"]],
    "levels": [[85, "advanced"], [70, "good"], [60, "average"], [0, "lagging"]],
}
DEFAULT_CAPS = {"stars": {"5": 0.3}, "levels": {"advanced": 0.3}}


def grade_label(code: str) -> str:
    return str(GRADE_LABELS.get(code, code))


def badge(code: str, weak_lax: bool = False) -> str:
    """CSS badge class of a grade: bad for weak and lax, warn for the lowest grades, ok above."""
    if weak_lax:
        return "bad"
    return "warn" if code in ("1", "2", "lagging", "average") else "ok"


def order_of(thresholds: list) -> list[str]:
    """Grade codes from best to worst."""
    return [code for _min, code in thresholds]


def by_threshold(score: float, thresholds: list) -> str:
    for lowest, code in thresholds:
        if score >= lowest:
            return code
    return thresholds[-1][1]


CAP_ROUNDINGS = ("half_up", "floor", "ceil")


def cap_limit(share: float, n: int, rounding: str = "half_up") -> int:
    """How many of n organisations a grade capped at `share` may hold.

    The 30% of the five-star rule is a share of the organisations assessed; the texts
    do not say how a fraction is rounded, so it is a setting: half_up (四舍五入,
    the default: 2 assessed → 1, 3 → 1, 1 → 0), floor (never above the share: 3 → 0),
    ceil (at least one whenever the share is above zero). Thousandths decide, so
    0.3 × 10 is 3 and not 2.9999.
    """
    exact = round(share * n * 1000)  # thousandths of an organisation, free of float noise
    if rounding == "floor":
        return exact // 1000
    if rounding == "ceil":
        return -(-exact // 1000)
    return (exact + 500) // 1000


def assign(scores: dict[int, float], thresholds: list, caps: dict[str, float],
           rounding: str = "half_up") -> dict[int, tuple[str, bool]]:
    """{org id: (grade, demoted by a quota)}.

    A grade capped at share c holds at most cap_limit(c, n) organisations (n: all
    graded together); the lowest-scoring of the rest drop to the next grade,
    where that grade's cap applies in turn. Equal scores: the earlier id stays.
    """
    order = order_of(thresholds)
    n = len(scores)
    grade = {oid: by_threshold(s, thresholds) for oid, s in scores.items()}
    demoted = dict.fromkeys(scores, False)
    for i, code in enumerate(order[:-1]):
        cap = caps.get(code)
        if cap is None:
            continue
        limit = cap_limit(cap, n, rounding)
        holders = sorted((oid for oid, g in grade.items() if g == code), key=lambda o: (-scores[o], o))
        for oid in holders[limit:]:
            grade[oid] = order[i + 1]
            demoted[oid] = True
    return {oid: (grade[oid], demoted[oid]) for oid in scores}


def movement(current: str, previous: str, thresholds: list) -> int | None:
    order = order_of(thresholds)
    if not previous or previous not in order or current not in order:
        return None
    a, b = order.index(current), order.index(previous)
    return (a < b) - (a > b)


@dataclass
class WeakRule:
    score_below: float
    bad_warnings: int
    lowest_twice: bool
    reasons: list = field(default_factory=list)


def weak_reasons(*, score: float, bad_warnings: int, grade: str, previous: str, thresholds: list,
                 rule: WeakRule) -> list[str]:
    """Why an organisation counts as weak and lax (软弱涣散); empty if it does not."""
    lowest = order_of(thresholds)[-1]
    out = []
    if score < rule.score_below:
        out.append(str(_("overall index %(score).1f is below %(limit).0f") % {"score": score, "limit": rule.score_below}))
    if rule.bad_warnings and bad_warnings >= rule.bad_warnings:
        out.append(str(_("%(n)d serious warnings in the period") % {"n": bad_warnings}))
    if rule.lowest_twice and grade == lowest and previous == lowest:
        out.append(str(_("lowest grade two periods running")))
    return out
