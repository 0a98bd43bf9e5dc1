"""Warning rules: one registry, each rule defined once by the app that owns the records it judges.

A rule is evaluated in bulk for every org as of one day and returns
{org id: Finding} from a fixed number of grouped queries, so a past period's
warnings can be recomputed exactly. Feature apps register theirs in
AppConfig.ready() (`<app>/rules.py`); the evaluation stores the findings as
warnings. `config` carries the thresholds not owned by an app (the
evaluation's WarningConfig: serious_count, satisfaction_below, ...).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    severity: str  # warn | bad
    count: int
    detail: str


@dataclass(frozen=True)
class Rule:
    code: str
    label: str  # gettext_lazy
    # (period_start=, as_of=, config=) -> {org id: Finding}
    evaluate: Callable[..., dict[int, Finding]]
    # The owning app's list of the records behind a warning (URL name; it takes ?org=).
    list_url: str = ""
    app: str = field(default="", compare=False)


_registry: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    _registry[rule.code] = rule
    return rule


def get(code: str) -> Rule:
    return _registry[code]


def all_rules() -> list[Rule]:
    return list(_registry.values())


def label(code: str) -> str:
    return str(_registry[code].label) if code in _registry else code


def severity(count: int, serious: int) -> str:
    return "bad" if count >= serious else "warn"


def evaluate(*, period_start: dt.date, as_of: dt.date, config) -> dict[str, dict[int, Finding]]:
    return {r.code: r.evaluate(period_start=period_start, as_of=as_of, config=config) for r in _registry.values()}
