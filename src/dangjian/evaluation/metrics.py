"""The metrics behind the default indicator set, each one grouped query (or a few) over all orgs.

Every compute returns {org_id: (numerator, denominator)} for the orgs that own
records; `dangjian.core.metrics.rollup` sums them up the tree, so a committee's
rate is the rate over its whole subtree. Apps that are not installed are
skipped: their metrics are simply not registered.
`records_for` gives the records behind a figure (the drill-down's last step).
"""

import contextlib
import contextvars
import datetime as dt
from collections import defaultdict

from django.apps import apps
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.dates import day_bounds
from dangjian.core.metrics import Metric, Pairs, register

_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("evaluation_metrics_memo", default=None)


@contextlib.contextmanager
def memo():
    """Within one period computation, reuse loads several metrics and rules share (member counts, meeting slots)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def _cached(key, compute):
    store = _memo.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


def _within(qs, within, org_field: str):
    """Restrict to a subtree; org_field "" means the queryset is of Org itself."""
    if within is None:
        return qs
    return qs.filter(**{f"{org_field}__path__subtree" if org_field else "path__subtree": within.path})


def _pairs(qs, org_field: str, num, den) -> Pairs:
    """One grouped query: {org id: (num, den)} from two aggregate expressions."""
    key = f"{org_field}_id" if "__" not in org_field else f"{org_field}__id"
    rows = qs.order_by().values(key).annotate(n=num, d=den)
    return {r[key]: (float(r["n"] or 0), float(r["d"] or 0)) for r in rows if r["d"]}


def _merge(nums: dict[int, float], dens: dict[int, float]) -> Pairs:
    return {oid: (float(nums.get(oid, 0)), float(d)) for oid, d in dens.items() if d}


def _members(end: dt.date, within) -> dict[int, float]:
    from dangjian.orgs.models import Member, Status

    def load():
        qs = _within(Member.objects.filter(status=Status.ACTIVE, joined_on__lte=end), within, "org")
        return dict(qs.order_by().values_list("org_id").annotate(n=Count("id")).values_list("org_id", "n"))

    return _cached(("members", end, getattr(within, "path", None)), load)


# ---------------------------------------------------------------- cohesion


def meeting_attendance(*, start, end, within=None) -> Pairs:
    from dangjian.meetings.models import Attendance, Meeting

    lo, hi = day_bounds(start, end)
    qs = Attendance.objects.filter(meeting__state=Meeting.State.HELD, meeting__starts_at__gte=lo, meeting__starts_at__lt=hi)
    return _pairs(_within(qs, within, "meeting__org"), "meeting__org",
                  Count("id", filter=Q(status=Attendance.Status.PRESENT)), Count("id"))


def dues_on_time(*, start, end, within=None) -> Pairs:
    """Months due in the period paid by the end of that month (one grouped query)."""
    from dangjian.core.dates import add_months
    from dangjian.dues.models import Due

    on_time = Q(pk__in=[])
    month = start.replace(day=1)
    while month <= end:
        on_time |= Q(month=month, payment__paid_on__lte=add_months(month, 1) - dt.timedelta(days=1))
        month = add_months(month, 1)
    qs = _within(Due.objects.filter(month__gte=start.replace(day=1), month__lte=end), within, "org")
    return _pairs(qs, "org", Count("id", filter=on_time), Count("id"))


def appraisal_good(*, start, end, within=None) -> Pairs:
    from dangjian.meetings.models import Appraisal, Outcome

    qs = _within(Appraisal.objects.filter(year__gte=start.year, year__lte=end.year), within, "org")
    return _pairs(qs, "org", Count("id", filter=Q(outcome__in=(Outcome.EXCELLENT, Outcome.QUALIFIED))), Count("id"))


def volunteer_hours_per_member(*, start, end, within=None) -> Pairs:
    from dangjian.volunteering.models import SignUp

    lo, hi = day_bounds(start, end)
    qs = _within(SignUp.objects.filter(attended=True, activity__starts_at__gte=lo, activity__starts_at__lt=hi),
                 within, "member__org")
    hours = dict(qs.order_by().values_list("member__org_id").annotate(h=Sum("hours")).values_list("member__org_id", "h"))
    return _merge({k: float(v or 0) for k, v in hours.items()}, _members(end, within))


# --------------------------------------------------------------- influence


def _appeals(start, end, within):
    from dangjian.appeals.models import Appeal, State

    lo, hi = day_bounds(start, end)
    return _within(Appeal.objects.filter(received_at__gte=lo, received_at__lt=hi).exclude(state=State.REJECTED), within, "org")


def appeal_response(*, start, end, within=None) -> Pairs:
    return _pairs(_appeals(start, end, within), "org",
                  Count("id", filter=Q(accepted_at__isnull=False, accepted_at__lte=F("accept_due_at"))), Count("id"))


def appeal_resolution(*, start, end, within=None) -> Pairs:
    from dangjian.appeals.models import State

    return _pairs(_appeals(start, end, within), "org",
                  Count("id", filter=Q(state__in=(State.RESOLVED, State.CLOSED))), Count("id"))


def appeal_satisfaction(*, start, end, within=None) -> Pairs:
    from dangjian.appeals.models import Rating

    return _pairs(_appeals(start, end, within), "org",
                  Count("id", filter=Q(rating__in=(Rating.SATISFIED, Rating.BASIC))),
                  Count("id", filter=Q(rating__in=Rating.values)))


def appeal_on_time(*, start, end, within=None) -> Pairs:
    from dangjian.appeals.models import State

    done = Q(state__in=(State.RESOLVED, State.CLOSED))
    return _pairs(_appeals(start, end, within), "org", Count("id", filter=done & Q(resolved_late=False)), Count("id", filter=done))


def visits_per_member(*, start, end, within=None) -> Pairs:
    from dangjian.grids.models import Visit

    qs = _within(Visit.objects.filter(visited_on__range=(start, end)), within, "org")
    visits = dict(qs.order_by().values_list("org_id").annotate(n=Count("id")).values_list("org_id", "n"))
    return _merge(visits, _members(end, within))


# -------------------------------------------------------- governing capacity


def _slots_in(start: dt.date, end: dt.date, every: int) -> list[tuple[dt.date, dt.date]]:
    """Calendar slots of `every` months that end inside [start, end]."""
    from dangjian.meetings.periods import periods_of_year

    return [(p.start, p.end) for year in range(start.year, end.year + 1)
            for p in periods_of_year(year, every) if start <= p.end <= end]


def meeting_slots(start: dt.date, end: dt.date, within=None) -> dict[int, list[tuple[dt.date, bool]]]:
    """{org id: [(slot end, held?)]} for every required meeting slot ending in [start, end] (memoised per run)."""
    return _cached(("slots", start, end, getattr(within, "path", None)), lambda: _meeting_slots(start, end, within))


def _meeting_slots(start, end, within):
    from dangjian.meetings.models import Meeting, MeetingRule
    from dangjian.meetings.selectors import MEETING_KINDS, committee_threshold, required_types
    from dangjian.orgs.models import Org

    orgs = _within(Org.objects.filter(kind__in=MEETING_KINDS, is_active=True), within, "")
    orgs = list(orgs.order_by("path").only("id", "path", "kind"))
    if not orgs:
        return {}
    direct = _members(end, within)
    by_path = {o.path: o.pk for o in orgs}
    sizes = {o.pk: 0 for o in orgs}
    # Groups' members count towards the branch above them: children (longer paths) first.
    for o in reversed(orgs):
        sizes[o.pk] += direct.get(o.pk, 0)
        parent = by_path.get(o.path[:-Org.steplen])
        if parent is not None:
            sizes[parent] += sizes[o.pk]
    rules = dict(MeetingRule.objects.values_list("meeting_type", "every_months"))
    threshold = committee_threshold()
    slots = {every: _slots_in(start, end, every) for every in set(rules.values()) if every}
    first = min((s for spans in slots.values() for s, _e in spans), default=start)
    # A half-yearly or yearly slot ending in the period may begin before it.
    lo, hi = day_bounds(min(first, start), end)
    held: dict[tuple[int, str], list[dt.date]] = defaultdict(list)
    meetings = _within(Meeting.objects.filter(state=Meeting.State.HELD, starts_at__gte=lo, starts_at__lt=hi), within, "org")
    for oid, mtype, at in meetings.values_list("org_id", "meeting_type", "starts_at").iterator(chunk_size=5000):
        held[(oid, mtype)].append(timezone.localdate(at))
    out: dict[int, list[tuple[dt.date, bool]]] = {}
    for o in orgs:
        rows = []
        for mtype, every in required_types(o, sizes[o.pk], rules, threshold).items():
            days = held.get((o.pk, mtype), ())
            rows.extend((e, any(s <= d <= e for d in days)) for s, e in slots.get(every, ()))
        if rows:
            out[o.pk] = rows
    return out


def meeting_compliance(*, start, end, within=None) -> Pairs:
    """Required meeting slots ending in the period that had a held meeting of their type."""
    return {oid: (float(sum(done for _e, done in rows)), float(len(rows)))
            for oid, rows in meeting_slots(start, end, within).items()}


def committee_term_ok(*, start, end, within=None) -> Pairs:
    """Orgs that elect a committee whose latest term (begun by the period end) runs to the period end."""
    from dangjian.committees.models import Term, TermRule
    from dangjian.orgs.models import Org

    kinds = list(TermRule.objects.values_list("kind", flat=True))
    orgs = _within(Org.objects.filter(kind__in=kinds, is_active=True), within, "")
    ok = set()
    latest: dict[int, dt.date] = {}
    terms = _within(Term.objects.filter(start__lte=end), within, "org")
    for oid, t_end in terms.order_by("org_id", "start", "id").values_list("org_id", "end"):
        latest[oid] = t_end
    for oid, t_end in latest.items():
        if t_end >= end:
            ok.add(oid)
    return {oid: (1.0 if oid in ok else 0.0, 1.0) for oid in orgs.values_list("id", flat=True)}


def project_targets(*, start, end, within=None) -> Pairs:
    from dangjian.projects.models import Status, Target

    qs = Target.objects.filter(due_on__range=(start, end)).exclude(project__status__in=(Status.PROPOSAL, Status.SUBMITTED))
    return _pairs(_within(qs, within, "project__org"), "project__org",
                  Count("id", filter=Q(reported_value__gte=F("target_value"))), Count("id"))


def project_spending(*, start, end, within=None) -> Pairs:
    from dangjian.projects.models import Spending

    qs = _within(Spending.objects.filter(spent_on__range=(start, end)), within, "project__org")
    rows = qs.order_by().values_list("project__org_id").annotate(n=Sum("amount")).values_list("project__org_id", "n")
    return {oid: (float(n or 0), 1.0) for oid, n in rows}


def duty_score(*, start, end, within=None) -> Pairs:
    from dangjian.duty.models import DutyItem

    qs = DutyItem.objects.filter(duty_list__year__gte=start.year, duty_list__year__lte=end.year, rating__isnull=False)
    return _pairs(_within(qs, within, "duty_list__org"), "duty_list__org", Sum("rating"), Sum("points"))


def recruitment_on_schedule(*, start, end, within=None) -> Pairs:
    from dangjian.recruitment.models import Step

    qs = _within(Step.objects.filter(on__range=(start, end)), within, "applicant__org")
    return _pairs(qs, "applicant__org", Count("id", filter=Q(late="")), Count("id"))


def rectification_on_time(*, start, end, within=None) -> Pairs:
    """Rectifications due in the period that were submitted by their deadline and accepted."""
    from dangjian.evaluation.models import Rectification, RectState

    qs = _within(Rectification.objects.filter(deadline__range=(start, end)), within, "org")
    done = Q(state=RectState.ACCEPTED, submitted_on__lte=F("deadline"))
    return _pairs(qs, "org", Count("id", filter=done), Count("id"))


# -------------------------------------------------------------- registry

_RATE = "rate"
METRICS: list[tuple[str, Metric]] = [
    ("dangjian.meetings", Metric(code="meeting_attendance_rate", name=_("Meeting attendance rate"), unit="%", kind=_RATE,
                                 description=_("Share of the expected attendances at meetings held in the period that were present."), compute=meeting_attendance, app="evaluation")),
    ("dangjian.meetings", Metric(code="meeting_compliance_rate", name=_("On-time rate of the three meetings and one lecture"), unit="%", kind=_RATE,
                                 description=_("Share of the meetings due in the period that were held on time (period by period, at each meeting type's required frequency)."),
                                 compute=meeting_compliance, app="evaluation")),
    ("dangjian.dues", Metric(code="dues_on_time_rate", name=_("Monthly dues payment rate"), unit="%", kind=_RATE,
                             description=_("Share of the monthly dues due in the period that were paid by the end of their month."), compute=dues_on_time, app="evaluation")),
    ("dangjian.meetings", Metric(code="appraisal_good_rate", name=_("Democratic appraisal pass rate"), unit="%", kind=_RATE,
                                 description=_("Share of members appraised as excellent or qualified (by appraisal year)."), compute=appraisal_good, app="evaluation")),
    ("dangjian.volunteering", Metric(code="volunteer_hours_per_member", name=_("Volunteer hours per member"), unit=pgettext_lazy("unit", "hours"), kind=_RATE,
                                     description=_("Hours of volunteer service by members in the period, divided by the members on the roll."),
                                     compute=volunteer_hours_per_member, app="evaluation")),
    ("dangjian.appeals", Metric(code="appeal_response_rate", name=_("Appeal response rate"), unit="%", kind=_RATE,
                                description=_("Share of the residents' appeals received in the period that were answered within the accept deadline."), compute=appeal_response, app="evaluation")),
    ("dangjian.appeals", Metric(code="appeal_resolution_rate", name=_("Appeal resolution rate"), unit="%", kind=_RATE,
                                description=_("Share of the residents' appeals received in the period that are resolved."), compute=appeal_resolution, app="evaluation")),
    ("dangjian.appeals", Metric(code="appeal_satisfaction_rate", name=_("Residents' satisfaction rate"), unit="%", kind=_RATE,
                                description=_("Share of the appeals rated in the period that residents rated satisfied or fairly satisfied."),
                                compute=appeal_satisfaction, app="evaluation")),
    ("dangjian.appeals", Metric(code="appeal_on_time_rate", name=_("Appeal on-time resolution rate"), unit="%", kind=_RATE,
                                description=_("Share of the appeals received and resolved in the period that were resolved within the deadline."), compute=appeal_on_time, app="evaluation")),
    ("dangjian.grids", Metric(code="visits_per_member", name=pgettext_lazy("metric", "Visits per member"), unit=pgettext_lazy("unit", "times"), kind=_RATE,
                              description=_("Visits recorded in the period, divided by the members on the roll at its end."), compute=visits_per_member, app="evaluation")),
    ("dangjian.committees", Metric(code="committee_term_ok_rate", name=_("Committees in place and renewed on time"), unit="%", kind=_RATE,
                                   description=_("Share of the organisations that need a committee that have one within its term (renewed on time) at the end of the period."),
                                   compute=committee_term_ok, app="evaluation")),
    ("dangjian.projects", Metric(code="project_target_rate", name=_("Project target completion rate"), unit="%", kind=_RATE,
                                 description=_("Share of the project targets due in the period that reached their value."), compute=project_targets, app="evaluation")),
    ("dangjian.projects", Metric(code="project_spending", name=_("Project spending"), unit=pgettext_lazy("unit", "yuan"),
                                 description=_("Total spending recorded on Party-building projects in the period."), compute=project_spending, app="evaluation")),
    ("dangjian.duty", Metric(code="duty_score_rate", name=_("Responsibility list score rate"), unit="%", kind=_RATE,
                             description=_("Points earned on the scored items of responsibility lists, as a share of their maximum (by list year)."), compute=duty_score, app="evaluation")),
    ("dangjian.recruitment", Metric(code="recruitment_on_schedule_rate", name=_("Recruitment on-schedule rate"), unit="%", kind=_RATE,
                                    description=_("Share of the recruitment steps recorded in the period that kept to the required time limits."),
                                    compute=recruitment_on_schedule, app="evaluation")),
    ("dangjian.evaluation", Metric(code="rectification_on_time_rate", name=_("Rectification on-time rate"), unit="%", kind=_RATE,
                                   description=_("Share of the rectification tasks due in the period that were submitted on time and accepted by the superior."),
                                   compute=rectification_on_time, app="evaluation")),
]


def register_all() -> None:
    for app_name, metric in METRICS:
        if apps.is_installed(app_name):
            register(metric)
