"""Warning rules over the recorded data, evaluated in bulk for every org as of one day.

Each rule returns {org_id: Finding} from a fixed number of grouped queries, so
a past period's warnings can be recomputed exactly: everything is judged "as
of" the period's last day (or today, for a period still running).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core.dates import day_bounds


@dataclass(frozen=True)
class Finding:
    severity: str  # warn | bad
    count: int
    detail: str


Rule = Callable[..., dict[int, Finding]]


def _severity(count: int, serious: int) -> str:
    return "bad" if count >= serious else "warn"


def meetings_overdue(*, period_start: dt.date, as_of: dt.date, config) -> dict[int, Finding]:
    """Required meeting slots of the period that ended before `as_of` without a held meeting."""
    from dangjian.evaluation.metrics import meeting_slots

    out = {}
    # The slots up to as_of are those the indicator counted (shared within a computation).
    for oid, rows in meeting_slots(period_start, as_of).items():
        missing = sum(1 for end, done in rows if end < as_of and not done)
        if missing > 0:
            out[oid] = Finding(_severity(missing, 2), missing,
                               _("%(n)d required meetings were not held on time") % {"n": missing})
    return out


def dues_arrears(*, period_start: dt.date, as_of: dt.date, config) -> dict[int, Finding]:
    """Members whose unpaid months, counted back from last month, reached the dues warning level."""
    from dangjian.core.dates import add_months, month_start
    from dangjian.dues.models import Due
    from dangjian.dues.rules import trailing_unpaid
    from dangjian.dues.services import dues_rules

    rules = dues_rules()
    this_month = month_start(as_of)
    window = add_months(this_month, -rules.alarm_months)
    unpaid: dict[tuple[int, int], set[dt.date]] = defaultdict(set)
    qs = Due.objects.filter(month__gte=window, month__lt=this_month).filter(
        Q(payment__isnull=True) | Q(payment__paid_on__gt=as_of))
    for oid, mid, month in qs.values_list("org_id", "member_id", "month").iterator(chunk_size=5000):
        unpaid[(oid, mid)].add(month)
    per_org: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for (oid, _mid), months in unpaid.items():
        streak = trailing_unpaid(months, as_of)
        if streak >= rules.warn_months:
            per_org[oid][0] += 1
            per_org[oid][1] += streak >= rules.alarm_months
    return {oid: Finding("bad" if alarm else "warn", n,
                         _("%(n)d members have not paid dues for %(m)d months or more") % {"n": n, "m": rules.warn_months})
            for oid, (n, alarm) in per_org.items()}


def term_expiring(*, period_start: dt.date, as_of: dt.date, config) -> dict[int, Finding]:
    """The latest committee term ended (overdue election) or ends within the committee warning window."""
    from dangjian.committees.models import CommitteeRule, Term
    from dangjian.core.dates import add_months

    rule = CommitteeRule.current()
    latest: dict[int, dt.date] = {}
    for oid, end in Term.objects.filter(start__lte=as_of, org__is_active=True).order_by(
            "org_id", "start", "id").values_list("org_id", "end"):
        latest[oid] = end
    out = {}
    for oid, end in latest.items():
        if as_of > end:
            out[oid] = Finding("bad", 1, _("the committee term ended on %(end)s; the election is overdue") % {"end": end})
        elif as_of >= add_months(end, -rule.first_warning_months):
            sev = "bad" if as_of >= add_months(end, -rule.second_warning_months) else "warn"
            out[oid] = Finding(sev, 1, _("the committee term ends on %(end)s; prepare the election") % {"end": end})
    return out


def appeals_overdue(*, period_start: dt.date, as_of: dt.date, config) -> dict[int, Finding]:
    """Appeals past their resolve-by time and not resolved by the end of `as_of`."""
    from dangjian.appeals.models import Appeal, State

    _lo, hi = day_bounds(as_of, as_of)
    qs = (Appeal.objects.filter(received_at__lt=hi, resolve_due_at__lt=hi).exclude(state=State.REJECTED)
          .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=hi)))
    rows = qs.order_by().values_list("org_id").annotate(n=Count("id")).values_list("org_id", "n")
    return {oid: Finding(_severity(n, config.serious_count), n, _("%(n)d appeals are past their deadline") % {"n": n})
            for oid, n in rows}


def low_satisfaction(*, period_start: dt.date, as_of: dt.date, config) -> dict[int, Finding]:
    from dangjian.evaluation.metrics import appeal_satisfaction

    out = {}
    for oid, (ok, rated) in appeal_satisfaction(start=period_start, end=as_of).items():
        if rated >= config.satisfaction_min_rated and ok / rated < config.satisfaction_below:
            rate = ok / rated
            sev = "bad" if rate < round(config.satisfaction_below - 0.2, 6) else "warn"
            out[oid] = Finding(sev, int(rated), _("residents' satisfaction is %(rate).0f%% over %(n)d ratings") % {
                "rate": 100 * rate, "n": rated})
    return out


def project_overdue(*, period_start: dt.date, as_of: dt.date, config) -> dict[int, Finding]:
    from dangjian.projects.models import Project, Status

    late = as_of - dt.timedelta(days=config.project_late_days)
    rows = (Project.objects.filter(status=Status.EXECUTING, ends_on__lt=as_of).order_by().values_list("org_id")
            .annotate(n=Count("id"), bad=Count("id", filter=Q(ends_on__lt=late))).values_list("org_id", "n", "bad"))
    return {oid: Finding("bad" if bad else "warn", n, _("%(n)d projects are past their end date and not submitted") % {"n": n})
            for oid, n, bad in rows}


def six_month_near(*, period_start: dt.date, as_of: dt.date, config) -> dict[int, Finding]:
    """Members near (second warning) or at the six-month rule without organisational life."""
    from dangjian.core.dates import add_months
    from dangjian.meetings.models import Attendance, LifeRule, Meeting
    from dangjian.meetings.selectors import ACTIVE_ATTENDANCE
    from dangjian.orgs.models import Member, Status

    rule = LifeRule.current()
    _lo, hi = day_bounds(as_of, as_of)

    def since(months: int) -> dt.datetime:
        # Life on the cutoff day itself is `months` whole months ago: only later meetings keep it going.
        cutoff = add_months(as_of, -months) + dt.timedelta(days=1)
        return day_bounds(cutoff, cutoff)[0]

    def life(lo: dt.datetime, hi_: dt.datetime):
        return Attendance.objects.filter(status__in=ACTIVE_ATTENDANCE, meeting__state=Meeting.State.HELD,
                                         meeting__starts_at__gte=lo, meeting__starts_at__lt=hi_).values("member_id")

    near_from, limit_from = since(rule.second_warning_months), since(rule.limit_months)
    joined_by = add_months(as_of, -rule.second_warning_months)
    # One pass over the roll; the (one month) window between the two cutoffs tells "near" from "at the limit".
    flagged = list(Member.objects.filter(status=Status.ACTIVE, joined_on__lte=joined_by)
                   .exclude(pk__in=life(near_from, hi)).values_list("id", "org_id", "joined_on").iterator(chunk_size=20000))
    in_window = set(life(limit_from, near_from).values_list("member_id", flat=True))
    limit_joined = add_months(as_of, -rule.limit_months)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for mid, oid, joined in flagged:
        counts[oid][0] += 1
        counts[oid][1] += mid not in in_window and joined <= limit_joined
    return {oid: Finding("bad" if limit else "warn", n,
                         _("%(n)d members have had no organisational life for %(m)d months or more") % {
                             "n": n, "m": rule.second_warning_months})
            for oid, (n, limit) in counts.items()}


# rule code -> (required app, function, label)
RULES: dict[str, tuple[str, Rule, object]] = {
    "meetings_overdue": ("dangjian.meetings", meetings_overdue, gettext_lazy("Meetings overdue")),
    "dues_arrears": ("dangjian.dues", dues_arrears, gettext_lazy("Dues in arrears")),
    "term_expiring": ("dangjian.committees", term_expiring, gettext_lazy("Term expiring or overdue")),
    "appeals_overdue": ("dangjian.appeals", appeals_overdue, gettext_lazy("Appeals overdue")),
    "low_satisfaction": ("dangjian.appeals", low_satisfaction, gettext_lazy("Low satisfaction")),
    "project_overdue": ("dangjian.projects", project_overdue, gettext_lazy("Project overdue")),
    "six_month_near": ("dangjian.meetings", six_month_near, gettext_lazy("Members near the six-month rule")),
}


def rule_label(code: str) -> str:
    return str(RULES[code][2]) if code in RULES else code


def active_rules() -> dict[str, Rule]:
    return {code: fn for code, (app, fn, _label) in RULES.items() if apps.is_installed(app)}


def evaluate(*, period_start: dt.date, as_of: dt.date, config) -> dict[str, dict[int, Finding]]:
    return {code: fn(period_start=period_start, as_of=as_of, config=config) for code, fn in active_rules().items()}
