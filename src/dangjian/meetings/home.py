"""The secretary's home: the meetings due this period for their organisations (core.home)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.core.home import Line, Panel
from dangjian.meetings.models import Meeting
from dangjian.meetings.selectors import compliance_gaps, meeting_orgs, meetings_for

SHOWN = 6


def meetings_due(user) -> list[Panel]:
    """三会一课 due this period (and overdue), meetings held but not recorded, meetings planned this month."""
    today = timezone.localdate()
    now = timezone.now()
    due, overdue, gaps = compliance_gaps(meeting_orgs(user), today.year, today, limit=50)
    gaps.sort(key=lambda g: (g.state != "due", g.period.end))  # this period's first: still in time
    mine = meetings_for(user, roles.EDIT_WORK)
    unrecorded = mine.filter(state=Meeting.State.PLANNED, starts_at__lt=now).count()
    lines = []
    if unrecorded:
        lines.append(Line(_("%(n)d meetings held, minutes and attendance not recorded") % {"n": unrecorded},
                          url=f"{reverse('meetings:list')}?state=planned", severity="warn"))
    for m in mine.filter(state=Meeting.State.PLANNED, starts_at__gte=now, starts_at__year=today.year,
                         starts_at__month=today.month).select_related("org").order_by("starts_at")[:3]:
        lines.append(Line(_("Planned: %(meeting)s (%(org)s)") % {"meeting": m, "org": m.org.name},
                          url=reverse("meetings:detail", args=[m.pk]),
                          note=f"{timezone.localtime(m.starts_at):%m-%d %H:%M}"))
    for gap in gaps[:SHOWN]:
        lines.append(Line(
            _("%(org)s: %(type)s") % {"org": gap.org.name, "type": gap.label},
            url=f"{reverse('meetings:compliance')}?org={gap.org.pk}&year={today.year}",
            note=(_("overdue, was due by %(end)s") if gap.state == "overdue" else _("due by %(end)s")) % {
                "end": f"{gap.period.end:%Y-%m-%d}"},
            severity="bad" if gap.state == "overdue" else "warn",
        ))
    return [Panel(
        title=_("Meetings due"),
        summary=_("This period: %(due)d meetings still to hold; %(overdue)d overdue this year.") % {
            "due": due, "overdue": overdue},
        lines=lines, url=reverse("meetings:compliance"), url_label=_("Meeting compliance"),
        actions=[(reverse("meetings:new"), _("Record a meeting"))], order=10,
    )]
