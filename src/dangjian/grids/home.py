"""The grid worker's home: the households of their grids due a visit (core.home)."""

import datetime as dt

from django.db.models import Count, F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.core.home import Line, Panel
from dangjian.grids.selectors import STALE_VISIT_DAYS, households_for

SHOWN = 6


def visits_due(user) -> list[Panel]:
    """Households not visited for STALE_VISIT_DAYS (or never), the longest waiting first; counts per grid."""
    since = timezone.localdate() - dt.timedelta(days=STALE_VISIT_DAYS)
    due = households_for(user, roles.EDIT_WORK).annotate(last=Max("visits__visited_on")).exclude(last__gte=since)
    per_grid = list(due.order_by().values("grid_id", "grid__name").annotate(n=Count("pk")).order_by("-n", "grid__name"))
    total = sum(g["n"] for g in per_grid)
    lines = [Line(_("%(grid)s: %(n)d households") % {"grid": g["grid__name"], "n": g["n"]},
                  url=reverse("grids:detail", args=[g["grid_id"]])) for g in per_grid[:3]]
    lines += [
        Line(str(h), url=reverse("grids:household", args=[h.pk]),
             note=_("last visit %(date)s") % {"date": f"{h.last:%Y-%m-%d}"} if h.last else _("never visited"),
             severity="warn")
        for h in due.order_by(F("last").asc(nulls_first=True), "pk")[:SHOWN]
    ]
    return [Panel(
        title=_("Visits due"),
        summary=_("%(n)d households not visited for %(days)d days or more.") % {"n": total, "days": STALE_VISIT_DAYS}
        if total else _("Every household of your grids was visited in the last %(days)d days.") % {"days": STALE_VISIT_DAYS},
        lines=lines, url=reverse("grids:list"), url_label=_("My grids"), order=20,
    )]
