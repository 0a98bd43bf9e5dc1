"""Pure rules of the assessment: weights, component scores, grades and the five-star cap."""

import math
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError


def check_weights(weights: Mapping[str, int]) -> None:
    if any(w is None or w < 0 for w in weights.values()):
        raise ValidationError({"weights": "权重不能为负数"})
    total = sum(weights.values())
    if total != 100:
        raise ValidationError({"weights": f"各组成部分权重之和须为 100，当前为 {total}"})


def check_thresholds(thresholds: Sequence[int]) -> None:
    if len(thresholds) != 4 or any(not 0 < t <= 100 for t in thresholds) or list(thresholds) != sorted(thresholds, reverse=True) \
            or len(set(thresholds)) != 4:
        raise ValidationError({"thresholds": "等次分数线须为四个由高到低、互不相同的 1–100 之间的分数（五星、四星、三星、二星）"})


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
