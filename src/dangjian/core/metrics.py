"""Metrics computed from recorded work: one registry for targets, duty items and indicators.

A metric is computed in bulk: one grouped query gives (numerator, denominator)
per organisation that owns records, and the tree rolls them up, so a committee's
value covers its whole subtree. A count has denominator 1 per record-owning org
(its rollup is the sum); a rate's value is sum(numerators) / sum(denominators).
Feature apps register their metrics in AppConfig.ready().
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

Pairs = dict[int, tuple[float, float]]


@dataclass(frozen=True)
class Metric:
    code: str
    name: str  # Chinese, shown to users
    unit: str
    description: str
    # (start, end inclusive, within: Org | None) -> {org_id: (numerator, denominator)}
    compute: Callable[..., Pairs]
    kind: str = "count"  # count | rate
    higher_is_better: bool = True
    app: str = field(default="", compare=False)


_registry: dict[str, Metric] = {}


def register(metric: Metric) -> Metric:
    _registry[metric.code] = metric
    return metric


def get(code: str) -> Metric:
    return _registry[code]


def all_metrics() -> list[Metric]:
    return sorted(_registry.values(), key=lambda m: m.code)


def rollup(pairs: Pairs, org_paths: dict[int, str]) -> Pairs:
    """Sum each org's own pairs into every ancestor present in org_paths."""
    by_path = {path: oid for oid, path in org_paths.items()}
    totals: dict[int, list[float]] = {oid: [0.0, 0.0] for oid in org_paths}
    steplen = 4
    for oid, (num, den) in pairs.items():
        path = org_paths.get(oid)
        if path is None:
            continue
        for depth in range(len(path) // steplen, 0, -1):
            ancestor = by_path.get(path[: depth * steplen])
            if ancestor is not None:
                totals[ancestor][0] += float(num)
                totals[ancestor][1] += float(den)
    return {oid: (n, d) for oid, (n, d) in totals.items()}


def value(metric: Metric, pair: tuple[float, float]) -> float | None:
    num, den = pair
    if metric.kind == "count":
        return num
    return None if den == 0 else num / den


def metric_value(code: str, *, org, start: dt.date, end: dt.date) -> float | None:
    """One org's value over its subtree: what a target or a duty item shows."""
    metric = get(code)
    pairs = metric.compute(start=start, end=end, within=org)
    num = sum(float(n) for n, _ in pairs.values())
    den = sum(float(d) for _, d in pairs.values())
    return value(metric, (num, den))


def subtree_ids(orgs: Iterable) -> list[int]:
    return [o.pk for o in orgs]
