"""The grid worker's home: the households of their grids due a visit (core.home)."""

import datetime as dt
from collections import Counter

from django.db.models import F, Max, Q
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
    due = households_for(user, roles.EDIT_WORK).annotate(last=Max("visits__visited_on")).filter(
        Q(last__lt=since) | Q(last__isnull=True))
    # Counted per grid in Python: the HAVING on the last visit cannot be grouped again in one query.
    per_grid = Counter(due.order_by().values_list("grid_id", "grid__name"))
    total = sum(per_grid.values())
    lines = [Line(_("%(grid)s: %(n)d households") % {"grid": name, "n": n}, url=reverse("grids:detail", args=[pk]))
             for (pk, name), n in sorted(per_grid.items(), key=lambda kv: (-kv[1], kv[0][1]))[:3]]
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
