"""Reads: rosters, compliance with the configured frequencies, the six-month rule."""

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from dangjian.accounts import roles
from dangjian.core import provided
from dangjian.core.dates import day_bounds, latest_start, months_between
from dangjian.core.scoping import scoped
from dangjian.meetings import life_dates
from dangjian.meetings.life_dates import ACTIVE_ATTENDANCE
from dangjian.meetings.models import (
    Appraisal,
    Attendance,
    FollowUp,
    Frequency,
    LastLife,
    LifeRule,
    Meeting,
    MeetingRule,
    MeetingType,
    Outcome,
    Talk,
)
from dangjian.meetings.periods import Period, periods_of_year
from dangjian.orgs.models import BRANCH_KINDS, Category, Member, Org, OrgKind, Status
from dangjian.orgs.selectors import roll_sizes, roster

# Kinds that hold 三会一课 and are measured against the frequencies.
MEETING_KINDS = tuple(BRANCH_KINDS)
# A branch of seven or more members elects a committee (支委会); below seven, a secretary only (DOMAIN.md).
DEFAULT_COMMITTEE_THRESHOLD = 7


def meetings_for(user, capability: str = roles.VIEW_WORK) -> QuerySet:
    return scoped(Meeting.objects.select_related("org", "host"), user, capability)


def appraisals_for(user) -> QuerySet:
    return scoped(Appraisal.objects.select_related("org", "member"), user, roles.VIEW_WORK)


def meeting_orgs(user, capability: str = roles.EDIT_WORK) -> QuerySet:
    from dangjian.core.scoping import visible_orgs

    return visible_orgs(user, capability).filter(kind__in=MEETING_KINDS, is_active=True).order_by("path")


# ------------------------------------------------------ who is expected


def committee_terms(org_ids) -> dict[int, list[tuple[dt.date, list[int]]]]:
    """{org id: [(term start, seated member ids)] latest first}, from committees (core.provided); {} without it."""
    provider = provided.value("committee_terms", default=None)
    return provider(org_ids) if provider is not None else {}


def committee_on(terms: list[tuple[dt.date, list[int]]], on: dt.date) -> list[int] | None:
    """The members seated on `on`: the latest term begun by then (None: no committee on record yet)."""
    return next((ids for start, ids in terms if start <= on), None)


@dataclass(frozen=True)
class Expected:
    """Who is expected at a meeting: the members its attendance covers, and on what basis.

    basis: "committee" (the committee seated on the meeting date), "no_committee"
    (no committee term on record by then: the whole roll, so nobody is left out),
    "group" (the group's roll) or "roll" (the branch's roll, its groups included).
    """

    members: QuerySet
    basis: str


def expected_attendees(org: Org, meeting_type: str, on: dt.date) -> Expected:
    """The one definition of a meeting's expected attendance: the form lists them, the record covers them.

    支委会 expects the committee's members on the meeting date (committees
    provides them; meetings does not import committees), 党小组会 the group's
    members, 党员大会, 党课 and the other meetings the branch's roll. The
    participation rate and the six-month rule count attendance records, so they
    follow the same expectation.
    """
    if meeting_type == MeetingType.COMMITTEE:
        seated = committee_on(committee_terms([org.pk]).get(org.pk, ()), on)
        if seated is not None:
            members = (Member.objects.filter(pk__in=seated, status=Status.ACTIVE)
                       .select_related("org").order_by("name", "id"))
            return Expected(members, "committee")
        return Expected(roster(org).select_related("org"), "no_committee")
    basis = "group" if org.kind == OrgKind.GROUP else "roll"
    return Expected(roster(org).select_related("org"), basis)


# ---------------------------------------------------------------- compliance


def committee_threshold() -> int:
    """Members from which a branch elects a committee, and so holds committee meetings.

    The committees app owns the rule and provides it (core.provided); without
    it, the regulation's seven.
    """
    return provided.value("committee_threshold", default=DEFAULT_COMMITTEE_THRESHOLD)


def required_types(org: Org, full_members: int, rules: dict[str, int], threshold: int) -> dict[str, int]:
    """{meeting type: every_months} this org must hold under the configured rules.

    full_members: its full members (正式党员), its groups' included. A branch sets up a committee, and so
    holds committee meetings, from seven full members (ARTICLES["branch.committee"], 支部工作条例 第八条);
    probationary members do not count.
    """
    if org.kind == OrgKind.GROUP:
        wanted = [MeetingType.GROUP]
    elif org.kind in MEETING_KINDS:
        wanted = [t for t in MeetingType.values if t != MeetingType.GROUP]
        # A committee meeting needs a committee: general branches have one,
        # a branch only from the threshold (7 members) up.
        if org.kind != OrgKind.GENERAL_BRANCH and full_members < threshold:
            wanted.remove(MeetingType.COMMITTEE)
    else:
        wanted = []
    return {t: rules[t] for t in wanted if rules.get(t)}


@dataclass
class Slot:
    period: Period
    state: str  # held | due | overdue | upcoming
    held_on: list[dt.date] = field(default_factory=list)


@dataclass
class TypeCompliance:
    meeting_type: str
    every_months: int
    slots: list[Slot]

    @property
    def label(self) -> str:
        return MeetingType(self.meeting_type).label

    @property
    def every_label(self) -> str:
        return str(Frequency(self.every_months).label)

    def _count(self, state: str) -> int:
        return sum(1 for s in self.slots if s.state == state)

    @property
    def required(self) -> int:
        return sum(1 for s in self.slots if s.state != "upcoming")

    @property
    def held(self) -> int:
        return self._count("held")

    @property
    def due(self) -> int:
        return self._count("due")

    @property
    def overdue(self) -> int:
        return self._count("overdue")


def slot_state(period: Period, held_on: list[dt.date], today: dt.date) -> str:
    """Held if a meeting fell in the period; overdue from the day after the period ends."""
    if held_on:
        return "held"
    if today > period.end:
        return "overdue"
    if today >= period.start:
        return "due"
    return "upcoming"


# The same few calendars for every org in a year: built once per process, never mutated.
_periods = functools.lru_cache(maxsize=64)(periods_of_year)


def type_compliance(meeting_type: str, every_months: int, year: int, held: list[dt.date], today: dt.date) -> TypeCompliance:
    slots = []
    held = sorted(held)
    for period in _periods(year, every_months):
        days = [d for d in held if period.start <= d <= period.end] if held else []
        slots.append(Slot(period, slot_state(period, days, today), days))
    return TypeCompliance(meeting_type, every_months, slots)


@dataclass
class OrgCompliance:
    org: Org
    roll_size: int
    types: list[TypeCompliance]

    @property
    def overdue(self) -> int:
        return sum(t.overdue for t in self.types)

    @property
    def due(self) -> int:
        return sum(t.due for t in self.types)

    @property
    def required(self) -> int:
        return sum(t.required for t in self.types)

    @property
    def held(self) -> int:
        return sum(t.held for t in self.types)


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime(year, 1, 1, tzinfo=tz),
        dt.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def _held_months(ids: list[int], year: int) -> dict[tuple[int, str], list[int]]:
    """{(org id, meeting type): months (1-12) of the year with a held meeting}, one grouped query.

    Every period is a run of whole months, so counting per month is enough to
    tell which periods were held, without fetching every meeting.
    """
    tz = timezone.get_current_timezone()
    bounds = [dt.datetime(year + (m == 13), (m - 1) % 12 + 1, 1, tzinfo=tz) for m in range(1, 14)]
    counts = {
        f"m{m}": Count("pk", filter=Q(starts_at__gte=bounds[m - 1], starts_at__lt=bounds[m]))
        for m in range(1, 13)
    }
    rows = (
        Meeting.objects.filter(org_id__in=ids, state=Meeting.State.HELD, starts_at__gte=bounds[0], starts_at__lt=bounds[12])
        .order_by().values("org_id", "meeting_type").annotate(**counts)
    )
    return {(r["org_id"], r["meeting_type"]): [m for m in range(1, 13) if r[f"m{m}"]] for r in rows}


def _held_days(ids: list[int], year: int) -> dict[tuple[int, str], list[dt.date]]:
    start, end = _year_bounds(year)
    held: dict[tuple[int, str], list[dt.date]] = defaultdict(list)
    for org_id, mtype, at in Meeting.objects.filter(
        org_id__in=ids, state=Meeting.State.HELD, starts_at__gte=start, starts_at__lt=end
    ).values_list("org_id", "meeting_type", "starts_at"):
        held[(org_id, mtype)].append(timezone.localdate(at))
    return held


def _requirements(orgs: QuerySet, year: int, *, with_days: bool):
    """(org, roll size, {meeting type: every_months}, {(org id, type): held dates}) for the orgs that meet."""
    orgs = list(orgs.filter(kind__in=MEETING_KINDS).order_by("path"))
    if not orgs:
        return [], {}
    rules = dict(MeetingRule.objects.values_list("meeting_type", "every_months"))
    threshold = committee_threshold()
    ids = [o.pk for o in orgs]
    if with_days:
        held = _held_days(ids, year)
    else:
        # A stand-in date inside each month is all slot_state and Period.contains need.
        held = {key: [dt.date(year, m, 1) for m in months] for key, months in _held_months(ids, year).items()}
    # Groups' members count towards the branch above them.
    sizes = roll_sizes(orgs)
    full = roll_sizes(orgs, category=Category.FULL)
    rows = []
    for org in orgs:
        size = sizes.get(org.pk, 0)
        rows.append((org, size, required_types(org, full.get(org.pk, 0), rules, threshold)))
    return rows, held


def compliance(orgs: QuerySet, year: int, today: dt.date | None = None, *, with_days: bool = True) -> list[OrgCompliance]:
    """Due / held / overdue per org and meeting type for one calendar year (a fixed number of queries).

    Without with_days, slots know whether a meeting was held but not its dates
    (one grouped query instead of every meeting of the year).
    """
    today = today or timezone.localdate()
    rows, held = _requirements(orgs, year, with_days=with_days)
    return [
        OrgCompliance(org, size, [type_compliance(t, m, year, held.get((org.pk, t), []), today) for t, m in wanted.items()])
        for org, size, wanted in rows
    ]


@dataclass(frozen=True)
class Gap:
    org: Org
    meeting_type: str
    period: Period
    state: str  # due | overdue

    @property
    def label(self) -> str:
        return MeetingType(self.meeting_type).label


def compliance_gaps(orgs: QuerySet, year: int, today: dt.date, *, limit: int) -> tuple[int, int, list[Gap]]:
    """(due, overdue, the first `limit` gaps) of the year so far: the to-do's counts without a slot per period."""
    rows, held = _requirements(orgs, year, with_days=False)
    due = overdue = 0
    shown: list[Gap] = []
    for org, _size, wanted in rows:
        for mtype, every in wanted.items():
            months = held.get((org.pk, mtype), ())
            for period in _periods(year, every):
                if period.start > today:
                    break
                if any(period.start <= d <= period.end for d in months):
                    continue
                state = "overdue" if today > period.end else "due"
                if state == "overdue":
                    overdue += 1
                else:
                    due += 1
                if len(shown) < limit:
                    shown.append(Gap(org, mtype, period, state))
    return due, overdue, shown


# ------------------------------------------------------------ six-month rule


@dataclass
class LifeStatus:
    member: Member
    last_on: dt.date | None  # last meeting attended or excused from
    since: dt.date  # the date the count runs from (last meeting, else joining)
    months: int
    level: str  # "" | first | second | limit

    @property
    def severity(self) -> str:
        return {"first": "warn", "second": "bad", "limit": "bad"}.get(self.level, "info")


def life_level(since: dt.date, today: dt.date, rule: LifeRule) -> tuple[int, str]:
    """Whole months without organisational life, and the warning reached."""
    months = months_between(since, today)
    if months >= rule.limit_months:
        return months, "limit"
    if months >= rule.second_warning_months:
        return months, "second"
    if months >= rule.first_warning_months:
        return months, "first"
    return months, ""


def _with_last_life(members: QuerySet) -> QuerySet:
    """Each member's last organisational life (the stored LastLife, kept by the meetings services)."""
    last = LastLife.objects.filter(member=OuterRef("pk")).values("last_at")[:1]
    return members.annotate(last_life_at=Subquery(last))


def life_status(member: Member, today: dt.date | None = None, rule: LifeRule | None = None) -> LifeStatus:
    today = today or timezone.localdate()
    rule = rule or LifeRule.current()
    m = _with_last_life(Member.objects.filter(pk=member.pk)).get()
    return _status_of(m, today, rule)


def _status_of(m: Member, today: dt.date, rule: LifeRule) -> LifeStatus:
    last_on = timezone.localdate(m.last_life_at) if m.last_life_at else None
    since = max(d for d in (last_on, m.joined_on) if d is not None)
    months, level = life_level(since, today, rule)
    return LifeStatus(m, last_on, since, months, level)


def _life_since(after: dt.datetime, until: dt.date | None = None) -> QuerySet:
    """Attendance or leave at a held meeting that started at or after `after` (and by the end of `until`)."""
    qs = Attendance.objects.filter(
        status__in=ACTIVE_ATTENDANCE, meeting__state=Meeting.State.HELD, meeting__starts_at__gte=after, expected=True,
    )
    if until is not None:
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), tzinfo=timezone.get_current_timezone())
        qs = qs.filter(meeting__starts_at__lt=end)
    return qs


def without_life_since(today: dt.date, months: int, *, whole_tree: bool = False, until: dt.date | None = None) -> Q:
    """Members whose organisational life stopped `months` or more whole months ago, in SQL.

    The same rule as life_level: the count runs from the later of the last
    meeting (local date) and joining, and reaches `months` up to a cutoff day.
    Read from the stored last date (LastLife): a primary-key look-up per member,
    where searching each member's attendance cost about a second at 100k members.
    `until` (the rule as it stood on an earlier day, for the evaluation's warning
    rules) cannot be read from the last date and still searches attendance.
    `whole_tree` is kept for the callers; the stored date needs no special form.
    """
    cutoff = latest_start(today, months)
    after = day_bounds(cutoff)[1]
    if until is None:
        return Q(joined_on__lte=cutoff) & ~Exists(LastLife.objects.filter(member=OuterRef("pk"), last_at__gte=after))
    if whole_tree and connection.vendor == "sqlite":
        # SQLite runs a correlated NOT EXISTS once per member, reading each one's
        # attendance from the oldest. For the whole tree, one pass over the
        # attendance of the meetings since the cutoff (index
        # att_meeting_status_member) gives the ids to leave out. PostgreSQL plans
        # the NOT EXISTS as a hash anti-join itself, and could not hash a NOT IN
        # this large.
        return Q(joined_on__lte=cutoff) & ~Q(pk__in=_life_since(after, until).values("member_id"))
    return Q(joined_on__lte=cutoff) & ~Exists(_life_since(after, until).filter(member=OuterRef("pk")))


def _life_members(user, today: dt.date, rule: LifeRule, org: Org | None) -> QuerySet:
    from dangjian.core.scoping import is_unrestricted, visible_orgs

    # Scoped through the org ids (org_id IN (...)), not a join on the path: SQLite
    # then starts from the orgs in scope and runs the NOT EXISTS below only for
    # their members, instead of for every active member of the installation.
    orgs = visible_orgs(user, roles.VIEW_WORK)
    if org is not None:
        orgs = orgs.filter(path__subtree=org.path)
    members = Member.objects.filter(status=Status.ACTIVE, org__in=orgs.values("pk"))
    whole_tree = org is None and is_unrestricted(user)
    return members.filter(without_life_since(today, rule.first_warning_months, whole_tree=whole_tree))


def life_warning_count(user, today: dt.date | None = None, *, org: Org | None = None) -> int:
    """How many members in scope reached a warning: one count query."""
    today = today or timezone.localdate()
    return _life_members(user, today, LifeRule.current(), org).count()


def life_warnings(user, today: dt.date | None = None, *, org: Org | None = None) -> list[LifeStatus]:
    """Members in scope who reached a warning (3 and 5 months) or the six-month rule itself."""
    today = today or timezone.localdate()
    rule = LifeRule.current()
    # Only the members past the first warning leave the database.
    members = list(_life_members(user, today, rule, org).select_related("org"))
    last = life_dates.stored([m.pk for m in members])
    out = []
    for m in members:
        m.last_life_at = last.get(m.pk)
        status = _status_of(m, today, rule)
        if status.level:
            out.append(status)
    out.sort(key=lambda s: (-s.months, s.member.org.path, s.member.name, s.member.pk))
    return out


def participation(member: Member) -> QuerySet:
    return (
        Attendance.objects.filter(member=member, meeting__state=Meeting.State.HELD, expected=True)
        .select_related("meeting", "meeting__org")
        .order_by("-meeting__starts_at")
    )


# ------------------------------------------------------------------ calendar


def month_meetings(meetings: QuerySet, year: int, month: int) -> dict[dt.date, list[Meeting]]:
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, month, 1, tzinfo=tz)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    by_day: dict[dt.date, list[Meeting]] = defaultdict(list)
    for m in meetings.filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at"):
        by_day[timezone.localdate(m.starts_at)].append(m)
    return by_day


# ---------------------------------------------------------- the secretary's yearly duties

# ARTICLES["secretary.duties"] (支部工作条例 第十九条、第二十一条): a Party committee's or branch's secretary
# gives at least one 党课 a year and has heart-to-heart talks with the members at least once a year.
# The yearly check warns from this month on, while there is still time in the year.
DUTY_WARN_FROM_MONTH = 10


@dataclass(frozen=True)
class SecretaryDuty:
    org: Org
    secretary: Member
    lectures: int  # 党课 given (held, as lecturer) in the year
    talks: int  # talks recorded with the secretary as the one who talked

    @property
    def missing(self) -> list[str]:
        out = []
        if not self.lectures:
            out.append("lecture")
        if not self.talks:
            out.append("talk")
        return out


def secretary_duties(orgs: QuerySet, year: int) -> list[SecretaryDuty]:
    """Per organisation with a secretary on record: the 党课 and talks the secretary gave in the year (3 queries)."""
    orgs = list(orgs.exclude(secretary=None).select_related("secretary").order_by("path"))
    ids = {o.secretary_id for o in orgs}
    start, end = _year_bounds(year)
    lectures = dict(
        Meeting.objects.filter(meeting_type=MeetingType.LECTURE, state=Meeting.State.HELD, lecturer_id__in=ids,
                               starts_at__gte=start, starts_at__lt=end)
        .order_by().values_list("lecturer_id").annotate(n=Count("id")).values_list("lecturer_id", "n"))
    talks = dict(
        Talk.objects.filter(talker_id__in=ids, held_on__year=year)
        .order_by().values_list("talker_id").annotate(n=Count("id")).values_list("talker_id", "n"))
    return [SecretaryDuty(o, o.secretary, lectures.get(o.secretary_id, 0), talks.get(o.secretary_id, 0)) for o in orgs]


def talks_for(user) -> QuerySet:
    return scoped(Talk.objects.select_related("org", "talker", "member"), user, roles.VIEW_WORK)


# ------------------------------------------------ 不合格党员 follow-up (ARTICLES["member.unqualified"])


@dataclass
class Unqualified:
    """An appraisal of 不合格 and its follow-up: `steps` in order, `open` the step under way."""

    appraisal: Appraisal
    steps: list

    @property
    def open(self):
        return next((s for s in self.steps if s.result == ""), None)

    @property
    def state(self) -> str:
        """undecided | correcting | overdue (限期改正 past its deadline) | persuading | removing | corrected | ended"""
        if not self.steps:
            return "undecided"
        step = self.open
        if step is None:
            return self.steps[-1].result
        if step.measure == "correct":
            return "overdue" if step.deadline < timezone.localdate() else "correcting"
        return {"persuade": "persuading", "remove": "removing"}[step.measure]


def unqualified_for(user, *, org: Org | None = None, year: int | None = None) -> QuerySet:
    """Appraisals of 不合格 the user sees, with their follow-up steps."""
    qs = scoped(Appraisal.objects.filter(outcome=Outcome.UNQUALIFIED).select_related("org", "member"), user,
                roles.VIEW_WORK)
    if org is not None:
        qs = qs.filter(org__path__subtree=org.path)
    if year:
        qs = qs.filter(year=year)
    return qs.prefetch_related(Prefetch("followups", queryset=FollowUp.objects.order_by("decided_on", "id")))


def unqualified_rows(qs) -> list[Unqualified]:
    return [Unqualified(a, list(a.followups.all())) for a in qs]
