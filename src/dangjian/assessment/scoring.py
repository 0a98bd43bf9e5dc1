"""Pure rules of the assessment: weights, component scores, grades and the five-star cap."""

import math
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def check_weights(weights: Mapping[str, int]) -> None:
    if any(w is None or w < 0 for w in weights.values()):
        raise ValidationError({"weights": _("Weights cannot be negative")})
    total = sum(weights.values())
    if total != 100:
        raise ValidationError({"weights": _("The component weights must add up to 100; now they add up to %(total)s") % {"total": total}})


def check_thresholds(thresholds: Sequence[int]) -> None:
    if len(thresholds) != 4 or any(not 0 < t <= 100 for t in thresholds) or list(thresholds) != sorted(thresholds, reverse=True) \
            or len(set(thresholds)) != 4:
        raise ValidationError({"thresholds": _(
            "The grade thresholds must be four different scores between 1 and 100, highest first (five, four, three "
            "and two stars)")})


def superior_score(scores: Sequence[float], deductions: Sequence[float], max_points: Sequence[float]) -> float:
    """(items − deductions) scaled to 100, never below 0."""
    top = sum(max_points)
    if top <= 0:
        return 0.0
    return round(max(0.0, sum(scores) - sum(deductions)) * 100 / top, 2)


def final_score(parts: Mapping[str, tuple[int, float]]) -> float:
    """parts: {component: (weight %, score out of 100)}."""
    return round(sum(w * s for w, s in parts.values()) / 100, 2)


def stars_for(score: float, thresholds: Sequence[int]) -> int:
    for stars, line in zip((5, 4, 3, 2), thresholds, strict=True):
        if score >= line:
            return stars
    return 1


def grade_all(scores: Mapping[int, float], thresholds: Sequence[int], five_star_cap: int) -> dict[int, int]:
    """Stars per key; at most floor(cap% × n) five stars, best scores first.

    When organisations tie at the cap's edge, all of them drop to four stars:
    the cap is never exceeded and equal scores get equal grades.
    """
    stars = {k: stars_for(v, thresholds) for k, v in scores.items()}
    allowed = math.floor(len(scores) * five_star_cap / 100)
    fives = sorted((k for k, s in stars.items() if s == 5), key=lambda k: -scores[k])
    if len(fives) > allowed:
        cutoff = scores[fives[allowed]]  # the best score that no longer fits
        for k in fives:
            if scores[k] <= cutoff:
                stars[k] = 4
    return stars
