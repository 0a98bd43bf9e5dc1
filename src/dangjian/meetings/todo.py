"""To-do items for the home page: meetings due or overdue, members near the six-month rule."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.core.scoping import has_capability, visible_orgs
from dangjian.core.todo import SECRETARY, TodoItem
from dangjian.meetings.models import Meeting
from dangjian.meetings.selectors import (
    DUTY_WARN_FROM_MONTH,
    compliance_gaps,
    life_warning_count,
    life_warnings,
    meeting_orgs,
    meetings_for,
    secretary_duties,
)
from dangjian.orgs.models import OrgKind

# Beyond this many items of one kind, one summary line links to the full list.
MAX_ITEMS = 8


def todo_items(user, today=None) -> list[TodoItem]:
    if not has_capability(user, roles.EDIT_WORK):
        return []
    today = today or timezone.localdate()
    area = _("Meetings")
    items: list[TodoItem] = []

    unrecorded = meetings_for(user, roles.EDIT_WORK).filter(
        state=Meeting.State.PLANNED, starts_at__lt=timezone.now()
    ).order_by("starts_at")
    shown = list(unrecorded[:MAX_ITEMS + 1])
    for m in shown[:MAX_ITEMS]:
        items.append(TodoItem(
            title=_("Record the minutes and attendance of %(meeting)s (%(org)s)") % {"meeting": m, "org": m.org},
            url=reverse("meetings:hold", args=[m.pk]), severity="warn",
            due=f"{timezone.localdate(m.starts_at):%Y-%m-%d}", area=area, actor=SECRETARY,
        ))
    if len(shown) > MAX_ITEMS:
        items.append(TodoItem(
            title=_("%(n)d held meetings still need their minutes and attendance") % {"n": unrecorded.count()},
            url=f"{reverse('meetings:list')}?state=planned", severity="warn", area=area, actor=SECRETARY,
        ))

    due, overdue, gaps = compliance_gaps(meeting_orgs(user), today.year, today, limit=MAX_ITEMS)
    url = reverse("meetings:compliance")
    if due + overdue > MAX_ITEMS:
        items.append(TodoItem(
            title=_("%(n)d meetings are due this period and %(m)d are overdue") % {"n": due, "m": overdue},
            url=url, severity="bad" if overdue else "warn", area=area, actor=SECRETARY,
        ))
    else:
        for gap in gaps:
            title = (_("%(org)s: %(type)s for %(period)s is overdue") if gap.state == "overdue"
                     else _("%(org)s: %(type)s is due by %(end)s"))
            items.append(TodoItem(
                title=title % {"org": gap.org, "type": gap.label, "period": gap.period.label,
                               "end": f"{gap.period.end:%Y-%m-%d}"},
                url=f"{url}?org={gap.org.pk}&year={today.year}", severity="bad" if gap.state == "overdue" else "warn",
                due=f"{gap.period.end:%Y-%m-%d}", area=area, actor=SECRETARY,
            ))

    count = life_warning_count(user, today)
    if count > MAX_ITEMS:
        items.append(TodoItem(
            title=_("%(n)d members have had no organisational life for three months or more") % {"n": count},
            url=reverse("meetings:life"), severity="bad", area=area, actor=SECRETARY,
        ))
    elif count:
        for w in life_warnings(user, today):
            items.append(TodoItem(
                title=_("%(name)s (%(org)s) has had no organisational life for %(months)d months") % {
                    "name": w.member.name, "org": w.member.org, "months": w.months},
                url=reverse("meetings:member", args=[w.member.pk]), severity=w.severity,
                due=f"{w.since:%Y-%m-%d}", area=area, actor=SECRETARY,
            ))
    items.extend(_duty_items(user, today, area))
    return items


def _duty_items(user, today, area) -> list[TodoItem]:
    """ARTICLES["secretary.duties"]: the secretary's 党课 and talks of the year, asked for from October on."""
    if today.month < DUTY_WARN_FROM_MONTH:
        return []
    orgs = visible_orgs(user, roles.EDIT_WORK).filter(is_active=True).exclude(kind=OrgKind.GROUP)
    short = [d for d in secretary_duties(orgs, today.year) if d.missing]
    due = f"{today.year}-12-31"
    url = f"{reverse('meetings:talks')}?year={today.year}"
    if len(short) > MAX_ITEMS:
        return [TodoItem(title=_("%(n)d secretaries have not yet given this year's Party lecture or talks with "
                                 "the members") % {"n": len(short)}, url=url, severity="warn", due=due, area=area, actor=SECRETARY)]
    items = []
    for d in short:
        what = {("lecture", "talk"): _("has given no Party lecture and recorded no talks with the members this year"),
                ("lecture",): _("has given no Party lecture this year"),
                ("talk",): _("has recorded no talks with the members this year")}[tuple(d.missing)]
        items.append(TodoItem(title=_("Secretary %(name)s (%(org)s) %(what)s") % {
            "name": d.secretary.name, "org": d.org.name, "what": what}, url=url, severity="warn", due=due, area=area,
            actor=SECRETARY))
    return items
