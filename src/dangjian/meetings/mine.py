"""The member's own meetings and attendance, for the home page (core.home)."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.home import Line, Panel
from dangjian.meetings.models import Attendance, Meeting


def home_panels(user) -> list[Panel]:
    member = user.member if user.member_id else None
    if member is None:
        return []
    now = timezone.now()
    year = timezone.localdate().year
    # Rows marked not expected (an old whole-branch record of a committee meeting) are no meeting of the member's.
    mine = Attendance.objects.filter(member=member, meeting__state=Meeting.State.HELD, expected=True)
    counts = mine.filter(meeting__starts_at__year=year).aggregate(
        present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
        leave=Count("pk", filter=Q(status=Attendance.Status.LEAVE)),
        absent=Count("pk", filter=Q(status=Attendance.Status.ABSENT)),
    )
    lines = [
        Line(f"{timezone.localtime(m.starts_at):%Y-%m-%d %H:%M} {m}", note=m.place)
        for m in Meeting.objects.filter(org_id=member.org_id, state=Meeting.State.PLANNED, starts_at__gte=now)
        .order_by("starts_at")[:3]
    ]
    status = dict(Attendance.Status.choices)
    lines += [
        Line(f"{timezone.localtime(a.meeting.starts_at):%Y-%m-%d} {a.meeting}", note=str(status[a.status]),
             severity="ok" if a.status == Attendance.Status.PRESENT else "warn")
        for a in mine.select_related("meeting").order_by("-meeting__starts_at")[:3]
    ]
    return [Panel(
        title=_("My meetings"),
        summary=_("This year: present %(present)d times, on leave %(leave)d, absent %(absent)d.") % counts,
        lines=lines, order=10,
    )]
