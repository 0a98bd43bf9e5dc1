"""Reads for responsibility lists: live item values and the list's score out of 100."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.core import metrics
from dangjian.core.scoping import scoped
from dangjian.duty.models import DutyItem, DutyList, ItemKind


def lists_for(user, *, year: int | None = None) -> QuerySet:
    qs = scoped(DutyList.objects.select_related("org"), user, roles.VIEW_WORK)
    return qs.filter(year=year) if year else qs


def period(year: int, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    return dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)


@dataclass
class ItemScore:
    item: DutyItem
    value: float | None  # the metric's value for quantitative items
    score: float | None  # points earned; None while a qualitative item is unrated
    source: str  # how the score came about, shown in the breakdown


def item_score(item: DutyItem, *, org, year: int, today: dt.date | None = None,
               values: dict[tuple[str, int], float] | None = None) -> ItemScore:
    """values: precomputed {(metric code, org id): value} from bulk_values, else one query per item."""
    if item.kind == ItemKind.QUALITATIVE:
        if item.rating is None:
            return ItemScore(item, None, None, _("Awaiting the superior's rating"))
        return ItemScore(item, None, float(item.rating), _("Rated by the superior: %(reason)s") % {"reason": item.reason})
    start, end = period(year, today)
    try:
        name = metrics.get(item.metric_code).name
        if values is not None:
            value = values.get((item.metric_code, org.pk), 0.0)
        else:
            value = metrics.metric_value(item.metric_code, org=org, start=start, end=end) if end >= start else 0.0
    except KeyError:
        return ItemScore(item, None, 0.0, _("Metric not available"))
    value = value or 0.0
    target = float(item.target_value or 0)
    ratio = 1.0 if target <= 0 else min(1.0, value / target)
    return ItemScore(item, value, round(item.points * ratio, 2),
                     _("%(metric)s %(value)s/%(target)s (%(start)s to %(end)s)") % {
                         "metric": name, "value": f"{value:g}", "target": f"{target:g}",
                         "start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"})


def bulk_values(lists: list[DutyList], *, today: dt.date | None = None) -> dict[tuple[str, int], float]:
    """{(metric code, org id): subtree value} for every quantitative item of the lists, one grouped query
    per (metric, year) and one for the paths, instead of one query per item."""
    from dangjian.orgs.models import Org

    wanted: dict[tuple[str, int], set[int]] = {}
    for dl in lists:
        for item in dl.items.all():
            if item.kind == ItemKind.QUANTITATIVE and item.metric_code:
                wanted.setdefault((item.metric_code, dl.year), set()).add(dl.org_id)
    out: dict[tuple[str, int], float] = {}
    for (code, year), org_ids in wanted.items():
        try:
            metric = metrics.get(code)
        except KeyError:
            continue
        start, end = period(year, today)
        pairs = metric.compute(start=start, end=end, within=None) if end >= start else {}
        paths = dict(Org.objects.filter(pk__in=set(pairs) | org_ids).values_list("pk", "path"))
        for oid, pair in metrics.rollup(pairs, paths).items():
            if oid in org_ids:
                out[(code, oid)] = metrics.value(metric, pair) or 0.0
    return out


def list_scores(duty_list: DutyList, *, today: dt.date | None = None,
                values: dict[tuple[str, int], float] | None = None) -> tuple[list[ItemScore], float | None]:
    """Items with their scores and the list's total scaled to 100 (None until every item is scored)."""
    scores = [item_score(i, org=duty_list.org, year=duty_list.year, today=today, values=values)
              for i in duty_list.items.all()]
    total_points = sum(s.item.points for s in scores)
    if not scores or total_points == 0 or any(s.score is None for s in scores):
        return scores, None
    return scores, round(100 * sum(s.score for s in scores) / total_points, 2)


def unrated_items(user) -> QuerySet:
    """Qualitative items waiting for the user's rating as superior (not their own org's)."""
    qs = DutyItem.objects.filter(kind=ItemKind.QUALITATIVE, rating__isnull=True).select_related("duty_list__org")
    return scoped(qs, user, roles.ASSESS, path_field="duty_list__org__path")
