"""The grid worker's home: the open appeals of their grids, the nearest deadline first (core.home)."""

from django.db.models import Case, Count, F, Q, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.appeals.models import OPEN_STATES, State
from dangjian.appeals.selectors import appeals_for, overdue_q
from dangjian.core.home import Line, Panel

SHOWN = 10  # the panel is a queue to work down, not the list: the list has the rest

STEP = {
    State.RECEIVED: _("to accept"), State.ACCEPTED: _("to assign"),
    State.ASSIGNED: _("to handle"), State.IN_PROGRESS: _("to resolve"),
}


def grid_queue(user) -> list[Panel]:
    """Open appeals in the grid worker's reach, ordered by the deadline of their current step."""
    now = timezone.now()
    queue = appeals_for(user, roles.EDIT_WORK).filter(state__in=OPEN_STATES).annotate(
        deadline=Case(When(state=State.RECEIVED, then=F("accept_due_at")), default=F("resolve_due_at"))
    )
    counts = queue.aggregate(n=Count("pk"), overdue=Count("pk", filter=overdue_q(now)),
                             new=Count("pk", filter=Q(state=State.RECEIVED)))
    lines = []
    for appeal in queue.select_related("grid").order_by("deadline", "pk")[:SHOWN]:
        late = appeal.is_overdue(now)
        lines.append(Line(
            _("%(code)s %(step)s: %(text)s") % {"code": appeal.tracking_code, "step": STEP[appeal.state],
                                                 "text": appeal.text[:24]},
            url=reverse("appeals:detail", args=[appeal.pk]),
            note=(_("overdue since %(at)s") if late else _("due %(at)s")) % {
                "at": f"{timezone.localtime(appeal.deadline):%m-%d %H:%M}"},
            severity="bad" if late else "",
        ))
    return [Panel(
        title=_("My grids' appeals"),
        summary=_("%(n)d open, %(overdue)d overdue, %(new)d waiting to be accepted.") % counts if counts["n"]
        else _("No open appeals in your grids."),
        lines=lines, url=reverse("appeals:list") + "?open=1", url_label=_("All open appeals"),
        actions=[(reverse("appeals:new"), _("Record an appeal"))], order=10,
    )]
