"""Metrics over the roster, for targets and indicators."""

from django.db.models import Count

from dangjian.core.metrics import Metric, register
from dangjian.orgs.models import Member, Status


def _members_on_roll(*, start, end, within=None):
    qs = Member.objects.filter(status=Status.ACTIVE, joined_on__lte=end)
    if within is not None:
        qs = qs.filter(org__path__subtree=within.path)
    return {row["org_id"]: (row["n"], 1) for row in qs.values("org_id").annotate(n=Count("id"))}


def register_all() -> None:
    register(Metric(
        code="members_on_roll", name="在册党员数", unit="人",
        description="统计期末在册的党员人数（含预备党员）。", compute=_members_on_roll, app="orgs",
    ))
