"""Metrics over the roster, for targets and indicators."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.metrics import Metric, register
from dangjian.orgs.models import Member, Status


def _members_on_roll(*, start, end, within=None):
    qs = Member.objects.filter(status=Status.ACTIVE, joined_on__lte=end)
    if within is not None:
        qs = qs.filter(org__path__subtree=within.path)
    return {row["org_id"]: (row["n"], 1) for row in qs.values("org_id").annotate(n=Count("id"))}


def register_all() -> None:
    register(Metric(
        code="members_on_roll", name=_("Number of members on the roll"), unit=pgettext_lazy("unit", "people"),
        description=_("Members on the roll at the end of the period (probationary members included)."),
        compute=_members_on_roll, app="orgs",
    ))
