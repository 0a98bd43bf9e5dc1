"""Is a new appeal the same problem as an open one? Pure scoring, no database.

Residents describe one burst pipe in different words, so the text is compared
by character bigrams (Chinese has no spaces to split words on), the address
the same way, and an agreeing category adds a little. The weights and the
threshold are settings (`DANGJIAN["APPEAL_DUPLICATE"]`) with these defaults.
"""

import unicodedata
from dataclasses import dataclass

DEFAULTS = {"text": 0.6, "address": 0.3, "category": 0.1, "threshold": 0.35, "window_days": 14}


def _skipped(char: str) -> bool:
    """Spaces and punctuation, Chinese or not: they say nothing about the problem."""
    return char.isspace() or unicodedata.category(char).startswith("P")


def bigrams(text: str) -> set[str]:
    chars = [c for c in (text or "").lower() if not _skipped(c)]
    if len(chars) < 2:
        return set(chars)
    return {a + b for a, b in zip(chars, chars[1:], strict=False)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass(frozen=True)
class Case:
    text: str
    address: str = ""
    category: str = ""


def similarity(a: Case, b: Case, weights: dict | None = None) -> float:
    """0..1: weighted text and address overlap, plus the category when both have one and they agree.
    A part that one side lacks (no address given) drops out and the rest is renormalised."""
    w = {**DEFAULTS, **(weights or {})}
    parts = [(w["text"], jaccard(bigrams(a.text), bigrams(b.text)))]
    if a.address and b.address:
        parts.append((w["address"], jaccard(bigrams(a.address), bigrams(b.address))))
    if a.category and b.category:
        parts.append((w["category"], 1.0 if a.category == b.category else 0.0))
    total = sum(weight for weight, _score in parts)
    return round(sum(weight * score for weight, score in parts) / total, 4) if total else 0.0
