"""Metrics computed from recorded work: one registry for targets, duty items, indicators, warnings and the API.

The app that owns the records owns the metric (`<app>/metrics.py`, registered
in its AppConfig.ready()). A metric has two faces that must agree:

- `compute(start=, end=, within=)` in bulk: one grouped query gives
  {org id: (numerator, denominator)} for the orgs that own records, and
  `rollup` sums them up the tree, so a committee's value covers its subtree;
- `records(org=, start=, end=)`: the records behind one org's figure, each with
  its contribution to the numerator and to the denominator. They add up exactly
  to the figure. For a compliance metric, every expected item is a record; the
  expected items not done (a meeting due and not held, a month's dues unpaid, an
  appeal whose resident was not called back) are flagged `missing`.

Kinds: `count` (value = numerator; denominator 0), `sum` (value = numerator, an
amount or hours; denominator 0), `rate` (value = Σ numerators ÷ Σ denominators;
no denominator, no value).

Most metrics are a list of `Source`s: a queryset of records with a per-record
numerator and denominator expression. The bulk compute sums those expressions
grouped by org; the records are the same rows, annotated with the same
expressions, so the two cannot drift apart.
"""

import contextlib
import contextvars
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, FloatField, Func, Q, Sum, Value, When
from django.db.models.functions import Cast, Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from dangjian.core.dates import day_bounds  # noqa: F401  (re-exported: metrics count whole local days)

Pairs = dict[int, tuple[float, float]]

COUNT, SUM, RATE = "count", "sum", "rate"


@dataclass(frozen=True)
class Record:
    """One record behind a figure (or one expected item, `missing` when not done)."""

    id: int | str
    model: str  # "app_label.model", or "app_label.slot" for an expected item that is not a row
    label: str
    date: dt.date | None
    numerator: float
    denominator: float
    url: str = ""
    org_id: int | None = None
    missing: bool = False


@dataclass(frozen=True)
class Source:
    """Records of one model: which rows, whose org, and what each row adds to the numerator and denominator."""

    queryset: Callable[[dt.date, dt.date], object]  # (start, end) -> QuerySet
    org: str  # the org field path, e.g. "meeting__org"
    numerator: object  # per-row expression (0/1 from `flag(q)`, or a number field)
    denominator: object
    label: Callable[[object], str]
    date: Callable[[object], dt.date | None]
    url: Callable[[object], str] = lambda _obj: ""
    related: tuple[str, ...] = ()
    # A row with numerator < denominator is an expected item not done (compliance metrics).
    compliance: bool = False
    # Or: rows matching this are the expected items not done, even if they count in neither term
    # (an appeal not called back is missing from the satisfaction rate's answers).
    missing: object = None
    memo: str = ""  # share the grouped result within one computation (e.g. members on the roll)


@dataclass(frozen=True)
class Metric:
    code: str
    name: str  # gettext: shown to users
    unit: str
    description: str
    compute: Callable[..., Pairs] | None = None  # (start=, end=, within=) -> Pairs
    kind: str = COUNT  # count | sum | rate
    higher_is_better: bool = True
    app: str = field(default="", compare=False)
    records: Callable[..., Iterable[Record]] | None = field(default=None, compare=False)  # (org=, start=, end=)
    sources: tuple[Source, ...] = field(default=(), compare=False)
    # The records are the sources' rows, so the database can count and page them (breakdown_page).
    records_from_sources: bool = field(default=False, init=False, compare=False, repr=False)

    def __post_init__(self):
        if self.sources:
            if self.compute is None:
                object.__setattr__(self, "compute", lambda *, start, end, within=None: sources_pairs(
                    self.sources, start=start, end=end, within=within))
            if self.records is None:
                object.__setattr__(self, "records_from_sources", True)
                object.__setattr__(self, "records", lambda *, org, start, end: sources_records(
                    self.sources, org=org, start=start, end=end))
        if self.compute is None:
            raise ValueError(f"metric {self.code} has neither compute nor sources")


_registry: dict[str, Metric] = {}


def register(metric: Metric) -> Metric:
    _registry[metric.code] = metric
    return metric


def get(code: str) -> Metric:
    return _registry[code]


def all_metrics() -> list[Metric]:
    return sorted(_registry.values(), key=lambda m: m.code)


# ------------------------------------------------------------------ helpers


_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("metrics_memo", default=None)


@contextlib.contextmanager
def memo():
    """Within one period computation, reuse loads several metrics and rules share (member counts, meeting slots)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def cached(key, compute):
    store = _memo.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


def within(qs, org, org_field: str):
    """Restrict to a subtree; org_field "" means the queryset is of Org itself."""
    if org is None:
        return qs
    return qs.filter(**{f"{org_field}__path__subtree" if org_field else "path__subtree": org.path})


def flag(q: Q):
    """1 for a row matching q, else 0: a per-record contribution."""
    return Case(When(q, then=Value(1.0)), default=Value(0.0), output_field=FloatField())


ONE = Value(1.0, output_field=FloatField())
ZERO = Value(0.0, output_field=FloatField())


def number(name: str):
    return Cast(F(name), FloatField())


class HoursBetween(Func):
    """Hours from one datetime column to another, as a float per row (NULL when either is NULL): the same
    number in the grouped compute and in the records, on PostgreSQL and SQLite alike."""

    output_field = FloatField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        (since, sp), (until, up) = (compiler.compile(e) for e in self.source_expressions)
        return f"(EXTRACT(EPOCH FROM ({until} - {since})) / 3600.0)", (*up, *sp)

    def as_sqlite(self, compiler, connection, **extra_context):
        (since, sp), (until, up) = (compiler.compile(e) for e in self.source_expressions)
        return f"((julianday({until}) - julianday({since})) * 24.0)", (*up, *sp)


def hours_between(since: str, until: str):
    return HoursBetween(F(since), F(until))


def _org_key(org_field: str) -> str:
    return f"{org_field}_id" if "__" not in org_field else f"{org_field}__id"


def source_pairs(src: Source, *, start, end, within_org=None) -> Pairs:
    def load():
        key = _org_key(src.org)
        rows = (within(src.queryset(start, end), within_org, src.org).order_by().values(key)
                .annotate(n=Sum(src.numerator), d=Sum(src.denominator)))
        return {r[key]: (float(r["n"] or 0), float(r["d"] or 0)) for r in rows if r["n"] or r["d"]}

    if src.memo:
        return cached((src.memo, start, end, getattr(within_org, "path", None)), load)
    return load()


def merge(*parts: Pairs) -> Pairs:
    out: dict[int, list[float]] = {}
    for part in parts:
        for oid, (n, d) in part.items():
            acc = out.setdefault(oid, [0.0, 0.0])
            acc[0] += n
            acc[1] += d
    return {oid: (n, d) for oid, (n, d) in out.items()}


def sources_pairs(sources: Iterable[Source], *, start, end, within=None) -> Pairs:
    return merge(*(source_pairs(s, start=start, end=end, within_org=within) for s in sources))


def _annotated(src: Source, *, org, start, end):
    qs = within(src.queryset(start, end), org, src.org)
    if src.related:
        qs = qs.select_related(*src.related)
    return qs.annotate(_num=src.numerator, _den=src.denominator, _org=F(_org_key(src.org)),
                       _miss=flag(src.missing) if src.missing is not None else ZERO)


def _record(src: Source, obj) -> Record:
    num, den, miss = float(obj._num or 0), float(obj._den or 0), bool(obj._miss)
    return Record(id=obj.pk, model=f"{obj._meta.app_label}.{obj._meta.model_name}", label=src.label(obj),
                  date=src.date(obj), numerator=num, denominator=den, url=src.url(obj), org_id=obj._org,
                  missing=miss or (src.compliance and num < den))


def sources_records(sources: Iterable[Source], *, org, start, end) -> Iterator[Record]:
    for src in sources:
        for obj in _annotated(src, org=org, start=start, end=end).order_by("pk").iterator(chunk_size=2000):
            if obj._num or obj._den or obj._miss:
                yield _record(src, obj)


def url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def local_date(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localdate(value)
    return value


# ------------------------------------------------------------------ rollup and values


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
    if metric.kind in (COUNT, SUM):
        return num
    return None if den == 0 else num / den


def org_pair(code: str, *, org, start: dt.date, end: dt.date) -> tuple[float, float]:
    """One org's (numerator, denominator) over its subtree."""
    pairs = get(code).compute(start=start, end=end, within=org)
    return (sum(float(n) for n, _ in pairs.values()), sum(float(d) for _, d in pairs.values()))


def metric_value(code: str, *, org, start: dt.date, end: dt.date) -> float | None:
    """One org's value over its subtree: what a target or a duty item shows."""
    return value(get(code), org_pair(code, org=org, start=start, end=end))


@dataclass
class Breakdown:
    code: str
    numerator: float
    denominator: float
    value: float | None
    records: list[Record]
    missing: list[Record]


def breakdown(code: str, *, org, start: dt.date, end: dt.date) -> Breakdown:
    """The figure and every record behind it (sums of the records' contributions)."""
    metric = get(code)
    rows = list(metric.records(org=org, start=start, end=end)) if metric.records else []
    num = sum(r.numerator for r in rows)
    den = sum(r.denominator for r in rows)
    return Breakdown(code, num, den, value(metric, (num, den)), rows, [r for r in rows if r.missing])


@dataclass
class BreakdownPage:
    """The figure, how many records are behind it, and one page of them (and of the missing items)."""

    code: str
    numerator: float
    denominator: float
    value: float | None
    count: int
    records: list[Record]
    missing_count: int
    missing: list[Record]


def breakdown_page(code: str, *, org, start: dt.date, end: dt.date, offset: int, limit: int,
                   missing_offset: int = 0) -> BreakdownPage:
    """`breakdown` a page at a time: records ordered by source, then id; at most `limit` of them from `offset`,
    and of the missing items from `missing_offset`.

    A metric made of sources is summed, counted and paged by the database (one aggregate and at most two
    slices per source); a metric with its own `records` (generated expected items) is streamed once,
    keeping only the page."""
    metric = get(code)
    if metric.records_from_sources:
        num = den = 0.0
        count = missing_count = 0
        pages, missing_pages = [], []
        skip, skip_missing = offset, missing_offset
        for src in metric.sources:
            qs = _annotated(src, org=org, start=start, end=end).annotate(
                _n=Coalesce("_num", ZERO), _d=Coalesce("_den", ZERO)).exclude(_n=0, _d=0, _miss=0)
            is_missing = Q(_miss=1) | Q(_n__lt=F("_d")) if src.compliance else Q(_miss=1)
            agg = qs.aggregate(n=Sum("_n"), d=Sum("_d"), c=Count("pk"), m=Count("pk", filter=is_missing))
            num, den = num + float(agg["n"] or 0), den + float(agg["d"] or 0)
            count, missing_count = count + agg["c"], missing_count + agg["m"]
            pages.append((src, qs, agg["c"]))
            missing_pages.append((src, qs.filter(is_missing), agg["m"]))
        records = _slice(pages, skip, limit)
        missing = _slice(missing_pages, skip_missing, limit)
    else:
        num = den = 0.0
        count = missing_count = 0
        records, missing = [], []
        for r in metric.records(org=org, start=start, end=end) if metric.records else ():
            num, den = num + r.numerator, den + r.denominator
            if offset <= count < offset + limit:
                records.append(r)
            count += 1
            if r.missing:
                if missing_offset <= missing_count < missing_offset + limit:
                    missing.append(r)
                missing_count += 1
    return BreakdownPage(code, num, den, value(metric, (num, den)), count, records, missing_count, missing)


def _slice(parts: list, skip: int, limit: int) -> list[Record]:
    out: list[Record] = []
    for src, qs, size in parts:
        if len(out) >= limit:
            break
        if skip >= size:
            skip -= size
            continue
        out.extend(_record(src, obj) for obj in qs.order_by("pk")[skip:skip + limit - len(out)])
        skip = 0
    return out


def subtree_ids(orgs: Iterable) -> list[int]:
    return [o.pk for o in orgs]


def roll_denominator() -> Source:
    """The members on the roll as a denominator (per-member rates): the roster's own metric, turned over."""
    from dataclasses import replace

    roll = get("members_on_roll").sources[0]
    return replace(roll, numerator=ZERO, denominator=ONE, memo=f"{roll.memo}:den")
