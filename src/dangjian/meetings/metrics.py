"""Metrics over organisational life: attendance, 三会一课 compliance, democratic appraisal, meetings held.

Registered by MeetingsConfig.ready(). `meeting_slots` is the one definition of
"a required meeting slot and whether it was held": the compliance metric, its
records (a missed slot is the missing item) and the meetings-overdue warning
all read it.
"""

import datetime as dt
from bisect import bisect_left
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core import metrics as m
from dangjian.meetings.models import (
    Appraisal,
    Attendance,
    Meeting,
    MeetingRule,
    MeetingType,
    Outcome,
)
from dangjian.meetings.periods import periods_of_year
from dangjian.meetings.selectors import MEETING_KINDS, committee_threshold, required_types
from dangjian.orgs.models import Category, Member, Org, Status


def _held(start, end):
    lo, hi = m.day_bounds(start, end)
    return Meeting.objects.filter(state=Meeting.State.HELD, starts_at__gte=lo, starts_at__lt=hi)


def _meeting_url(obj) -> str:
    return m.url("meetings:detail", obj.pk)


MEETINGS_HELD = m.Source(
    queryset=_held, org="org", numerator=m.ONE, denominator=m.ZERO,
    label=lambda o: f"{o.org.name} · {o}", date=lambda o: m.local_date(o.starts_at), url=_meeting_url,
    related=("org",),
)


def _attendance(start, end):
    lo, hi = m.day_bounds(start, end)
    return Attendance.objects.filter(meeting__state=Meeting.State.HELD, meeting__starts_at__gte=lo,
                                     meeting__starts_at__lt=hi, expected=True)


ATTENDANCE = m.Source(
    queryset=_attendance, org="meeting__org",
    numerator=m.flag(Q(status=Attendance.Status.PRESENT)), denominator=m.ONE,
    label=lambda o: f"{o.member.name} · {o.meeting} · {o.get_status_display()}",
    date=lambda o: m.local_date(o.meeting.starts_at), url=lambda o: m.url("meetings:detail", o.meeting_id),
    related=("member", "meeting"),
)


def _appraisals(start, end):
    return Appraisal.objects.filter(year__gte=start.year, year__lte=end.year)


def _appraisals_url(o) -> str:
    base = m.url("meetings:appraisals")
    return f"{base}?{urlencode({'org': o.org_id, 'year': o.year})}" if base else ""


APPRAISALS = m.Source(
    queryset=_appraisals, org="org",
    numerator=m.flag(Q(outcome__in=(Outcome.EXCELLENT, Outcome.QUALIFIED))), denominator=m.ONE,
    label=lambda o: f"{o.member.name} · {o.year} · {o.get_outcome_display()}",
    date=lambda o: dt.date(o.year, 12, 31), url=_appraisals_url, related=("member",),
)


# ------------------------------------------------------------------ compliance


def _slots_in(start: dt.date, end: dt.date, every: int) -> list[tuple[dt.date, dt.date]]:
    """Calendar slots of `every` months that end inside [start, end]."""
    return [(p.start, p.end) for year in range(start.year, end.year + 1)
            for p in periods_of_year(year, every) if start <= p.end <= end]


def meeting_slots(start: dt.date, end: dt.date, within=None) -> dict[int, list[tuple]]:
    """{org id: [(meeting type, slot start, slot end, held meeting id or None)]} for every required slot
    ending in [start, end] (memoised within one computation)."""
    return m.cached(("meeting_slots", start, end, getattr(within, "path", None)),
                    lambda: _meeting_slots(start, end, within))


def _meeting_slots(start, end, within):
    """One pass over the orgs and one over the held meetings, as plain rows: at a province's size (50,000
    organisations, 200,000 meetings a quarter) no model instances, no per-meeting date conversion."""
    orgs = list(m.within(Org.objects.filter(kind__in=MEETING_KINDS, is_active=True), within, "")
                .order_by("path").values_list("id", "path", "kind"))
    if not orgs:
        return {}
    # ARTICLES["branch.committee"] (支部工作条例 第八条): the committee threshold counts full members.
    full = m.within(Member.objects.filter(status=Status.ACTIVE, category=Category.FULL, joined_on__lte=end),
                    within, "org")
    direct = dict(full.order_by().values_list("org_id").annotate(n=Count("id")).values_list("org_id", "n"))
    by_path = {path: oid for oid, path, _k in orgs}
    sizes = dict.fromkeys(by_path.values(), 0)
    # Groups' members count towards the branch above them: children (longer paths) first.
    for oid, path, _k in reversed(orgs):
        sizes[oid] += direct.get(oid, 0)
        parent = by_path.get(path[:-Org.steplen])
        if parent is not None:
            sizes[parent] += sizes[oid]
    rules = dict(MeetingRule.objects.values_list("meeting_type", "every_months"))
    threshold = committee_threshold()
    # A slot [s, e] holds a meeting held from s 00:00 to the day after e 00:00, local time.
    slots = {every: [(s, e, *m.day_bounds(s, e)) for s, e in _slots_in(start, end, every)]
             for every in set(rules.values()) if every}
    first = min((s for spans in slots.values() for s, *_x in spans), default=start)
    # A half-yearly or yearly slot ending in the period may begin before it.
    lo, hi = m.day_bounds(min(first, start), end)
    held: dict[tuple[int, str], tuple[list, list]] = {}
    meetings = m.within(Meeting.objects.filter(state=Meeting.State.HELD, starts_at__gte=lo, starts_at__lt=hi), within, "org")
    for pk, oid, mtype, at in (meetings.order_by("starts_at", "id").values_list("id", "org_id", "meeting_type", "starts_at")
                               .iterator(chunk_size=20000)):
        times, pks = held.setdefault((oid, mtype), ([], []))
        times.append(at)
        pks.append(pk)
    # What an org must hold depends on its kind and its full members only: asked once per pair.
    required: dict[tuple[str, int], dict[str, int]] = {}
    out: dict[int, list[tuple]] = {}
    for oid, _path, kind in orgs:
        key = (kind, sizes[oid])
        types = required.get(key)
        if types is None:
            types = required[key] = required_types(Org(kind=kind), sizes[oid], rules, threshold)
        rows = []
        for mtype, every in types.items():
            times, pks = held.get((oid, mtype), ((), ()))
            for s, e, s_at, e_at in slots.get(every, ()):
                # The first meeting of the slot by (starts_at, id), as the meetings come sorted.
                i = bisect_left(times, s_at)
                rows.append((mtype, s, e, pks[i] if i < len(times) and times[i] < e_at else None))
        if rows:
            out[oid] = rows
    return out


def meeting_compliance(*, start, end, within=None) -> m.Pairs:
    """Required meeting slots ending in the period that had a held meeting of their type."""
    return {oid: (float(sum(pk is not None for *_x, pk in rows)), float(len(rows)))
            for oid, rows in meeting_slots(start, end, within).items()}


def meeting_compliance_records(*, org, start, end):
    slots = meeting_slots(start, end, org)
    names = dict(Org.objects.filter(pk__in=slots).values_list("pk", "name"))
    ids = [pk for rows in slots.values() for *_x, pk in rows if pk]
    meetings = Meeting.objects.in_bulk(ids)
    types = dict(MeetingType.choices)
    compliance_url = m.url("meetings:compliance")
    for oid in sorted(slots):
        for mtype, s, e, pk in slots[oid]:
            if pk is not None:
                mt = meetings[pk]
                yield m.Record(id=pk, model="meetings.meeting", label=f"{names[oid]} · {mt}",
                               date=timezone.localdate(mt.starts_at), numerator=1.0, denominator=1.0,
                               url=m.url("meetings:detail", pk), org_id=oid)
            else:
                yield m.Record(
                    id=f"{oid}:{mtype}:{e.isoformat()}", model="meetings.slot",
                    label=_t("%(org)s · %(type)s due %(start)s to %(end)s, not held") % {
                        "org": names[oid], "type": types.get(mtype, mtype), "start": s, "end": e},
                    date=e, numerator=0.0, denominator=1.0, org_id=oid, missing=True,
                    url=f"{compliance_url}?{urlencode({'org': oid, 'year': e.year})}" if compliance_url else "")


def register_all() -> None:
    rate = m.RATE
    m.register(m.Metric(
        code="meeting_attendance_rate", name=_("Meeting attendance rate"), unit="%", kind=rate, app="meetings",
        description=_("Share of the expected attendances at meetings held in the period that were present."),
        sources=(ATTENDANCE,)))
    m.register(m.Metric(
        code="meeting_compliance_rate", name=_("On-time rate of the three meetings and one lecture"), unit="%",
        kind=rate, app="meetings",
        description=_("Share of the meetings due in the period that were held on time (period by period, at each "
                      "meeting type's required frequency)."),
        compute=meeting_compliance, records=meeting_compliance_records))
    m.register(m.Metric(
        code="appraisal_good_rate", name=_("Democratic appraisal pass rate"), unit="%", kind=rate, app="meetings",
        description=_("Share of members appraised as excellent or qualified (by appraisal year)."),
        sources=(APPRAISALS,)))
    m.register(m.Metric(
        code="meetings_held", name=_("Meetings held"), unit=pgettext_lazy("unit", "times"), app="meetings",
        description=_("Organisational-life meetings (three meetings and one lecture, Party days and so on) held and "
                      "minuted in the period."),
        sources=(MEETINGS_HELD,)))
