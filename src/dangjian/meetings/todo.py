"""To-do items for the home page: meetings due or overdue, members near the six-month rule, lapsed members
(党章第九条) and unqualified members (民主评议) waiting for the branch."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.core.scoping import has_capability, is_superior, visible_orgs
from dangjian.core.todo import OFFICER, SECRETARY, TodoItem
from dangjian.meetings import lapse
from dangjian.meetings.models import Appraisal, FollowUp, Measure, Meeting, Outcome
from dangjian.meetings.selectors import (
    DUTY_WARN_FROM_MONTH,
    compliance_gaps,
    life_warning_count,
    life_warnings,
    meeting_orgs,
    meetings_for,
    secretary_duties,
)
from dangjian.orgs.models import Member, OrgKind, Status

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
    items.extend(_unqualified_items(user, today, area))
    items.extend(_removal_approvals(user, area))
    items.extend(_lapsed_items(user, today, area))
    return items


def _unqualified_items(user, today, area) -> list[TodoItem]:
    """ARTICLES["member.unqualified"]: an unqualified member the branch has not decided on; a 限期改正 past its
    deadline without its review."""
    orgs = visible_orgs(user, roles.EDIT_WORK)
    appraisals = Appraisal.objects.filter(outcome=Outcome.UNQUALIFIED, org__in=orgs.values("pk"),
                                          member__status=Status.ACTIVE).select_related("member", "org")
    undecided = list(appraisals.filter(followups__isnull=True).order_by("year", "pk")[:MAX_ITEMS + 1])
    overdue = list(FollowUp.objects.filter(appraisal__in=appraisals, result="", measure=Measure.CORRECT,
                                           deadline__lt=today).select_related("appraisal__member", "appraisal__org")
                   .order_by("deadline", "pk")[:MAX_ITEMS + 1])
    items = []
    if len(undecided) + len(overdue) > MAX_ITEMS:
        return [TodoItem(title=_("Members appraised as unqualified wait for the branch's decision or review"),
                         url=reverse("meetings:unqualified"), severity="bad", area=area, actor=SECRETARY)]
    for a in undecided:
        items.append(TodoItem(
            title=_("Decide on %(name)s (%(org)s), appraised as unqualified in %(year)s: correct within a deadline, "
                    "persuade to leave or remove") % {"name": a.member.name, "org": a.org.name, "year": a.year},
            url=reverse("meetings:unqualified_followup", args=[a.pk]), severity="bad", area=area, actor=SECRETARY))
    for f in overdue:
        items.append(TodoItem(
            title=_("Review whether %(name)s (%(org)s) corrected: the deadline was %(date)s") % {
                "name": f.appraisal.member.name, "org": f.appraisal.org.name, "date": f"{f.deadline:%Y-%m-%d}"},
            url=reverse("meetings:unqualified_followup", args=[f.appraisal_id]), severity="bad",
            due=f"{f.deadline:%Y-%m-%d}", area=area, actor=SECRETARY))
    return items


def _removal_approvals(user, area) -> list[TodoItem]:
    """党章第九条 (ARTICLES["member.unqualified"]): 除名 decided by the branch meeting waits for the superior
    committee's approval; the member stays on the roll until then. Shown to whoever approves (the branch's
    superior), one query."""
    waiting = [f for f in FollowUp.objects.filter(
        result="", measure=Measure.REMOVE, appraisal__member__status=Status.ACTIVE,
        appraisal__org__in=visible_orgs(user, roles.ASSESS).values("pk"),
    ).select_related("appraisal__member", "appraisal__org").order_by("decided_on", "pk")[:50]
        if is_superior(user, f.appraisal.org, roles.ASSESS)]
    if len(waiting) > MAX_ITEMS:
        return [TodoItem(title=_("%(n)d removals from the Party decided by branches wait for your approval") % {
            "n": len(waiting)}, url=reverse("meetings:unqualified"), severity="bad", area=area, actor=OFFICER)]
    return [TodoItem(
        title=_("Approve or return the removal of %(name)s (%(org)s), decided by the branch on %(date)s") % {
            "name": f.appraisal.member.name, "org": f.appraisal.org.name, "date": f"{f.decided_on:%Y-%m-%d}"},
        url=reverse("meetings:unqualified_followup", args=[f.appraisal_id]), severity="bad", area=area,
        actor=OFFICER) for f in waiting]


def _lapsed_items(user, today, area) -> list[TodoItem]:
    """ARTICLES["member.lapsed"] (党章第九条): members who meet a condition of 自行脱党, without a good reason."""
    found = lapse.lapsed_members(Member.objects.filter(org__in=visible_orgs(user, roles.EDIT_WORK).values("pk")),
                                 today=today)
    url = reverse("meetings:lapsed")
    if len(found) > MAX_ITEMS:
        return [TodoItem(title=_("%(n)d members meet a condition of having left the Party (six months): decide on "
                                 "removal or record a good reason") % {"n": len(found)},
                         url=url, severity="bad", area=area, actor=SECRETARY)]
    return [TodoItem(title=_("%(name)s (%(org)s) meets a condition of having left the Party (six months): decide on "
                             "removal or record a good reason") % {"name": f.member.name, "org": f.member.org.name},
                     url=url, severity="bad", area=area, actor=SECRETARY) for f in found]


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
