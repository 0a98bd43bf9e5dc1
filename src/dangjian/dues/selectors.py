"""Dues reads: the scoped ledger, arrears by member and month, org totals, to-do items."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from dangjian.accounts import roles
from dangjian.core.dates import add_months, month_start
from dangjian.core.scoping import is_superior, scope_paths, scoped, visible_orgs
from dangjian.dues import rules
from dangjian.dues.models import Due, Reduction, Remittance
from dangjian.dues.services import dues_rules
from dangjian.orgs.models import BRANCH_KINDS, Member, Org, Status


def paid_to(member: Member) -> dt.date | None:
    """The month a member's dues are paid up to, for the introduction letter (党费交到…月).

    The month before the earliest unpaid due; with none unpaid, the latest due's
    month; None when the member has no dues at all.
    """
    unpaid = Due.objects.filter(member=member, payment__isnull=True).order_by("month").values_list("month", flat=True)
    first_unpaid = unpaid.first()
    if first_unpaid is not None:
        earlier = Due.objects.filter(member=member, month__lt=first_unpaid).exists()
        return add_months(first_unpaid, -1) if earlier else None
    return Due.objects.filter(member=member).order_by("-month").values_list("month", flat=True).first()


def _fen(value) -> Decimal:
    """SQLite sums decimals as floats; every total leaves with exactly two places."""
    return Decimal(value or 0).quantize(rules.FEN)


def dues_for(user, *, org: Org | None = None, month: dt.date | None = None, state: str = "") -> QuerySet:
    qs = scoped(Due.objects.select_related("member", "org", "payment", "payment__payer"), user, roles.VIEW_WORK)
    if org is not None:
        qs = qs.filter(org__path__subtree=org.path)
    if month is not None:
        qs = qs.filter(month=month_start(month))
    if state == "paid":
        qs = qs.filter(payment__isnull=False)
    elif state == "unpaid":
        qs = qs.filter(payment__isnull=True)
    return qs.order_by("-month", "org__path", "member__name", "id")


def bases_for(user, *, org: Org | None = None) -> QuerySet:
    qs = scoped(Member.objects.filter(status=Status.ACTIVE).select_related("org", "dues_base"), user, roles.VIEW_WORK)
    if org is not None:
        qs = qs.filter(org__path__subtree=org.path)
    return qs.order_by("org__path", "name", "id")


@dataclass
class Arrears:
    member: Member
    months: list[dt.date] = field(default_factory=list)
    total: Decimal = Decimal("0")
    streak: int = 0  # consecutive unpaid months back from last month
    level: str = ""  # "", "warn" (≥ warn_months), "bad" (≥ alarm_months)


def _unpaid(user, today: dt.date, org: Org | None) -> QuerySet:
    # amount 0: a month exempted by an approved reduction (第七条) is owed by nobody.
    qs = Due.objects.filter(payment__isnull=True, month__lt=month_start(today), amount__gt=0)
    if scope_paths(user, roles.VIEW_WORK) is not None:
        # A subtree through its org ids (org_id IN (...)), not a join on the path:
        # SQLite then reads each org's months through due_org_month; with the
        # join it took the whole tree's months through due_month_member.
        qs = qs.filter(org_id__in=visible_orgs(user, roles.VIEW_WORK).values("pk"))
    if org is not None:
        qs = qs.filter(org__path__subtree=org.path)
    return qs


def _trailing_at_least(unpaid: QuerySet, today: dt.date, months: int) -> QuerySet:
    """Member ids whose last `months` ended months are all unpaid (one due per member and month)."""
    last = add_months(month_start(today), -1)
    window = unpaid.filter(month__gte=add_months(last, -(months - 1)), month__lte=last)
    return window.order_by().values("member_id").annotate(n=Count("id")).filter(n=months).values("member_id")


def arrears(user, *, today: dt.date | None = None, org: Org | None = None, min_streak: int = 0,
            member_orgs: list[int] | None = None) -> list[Arrears]:
    """Members with unpaid dues for ended months, most months first.

    min_streak > 0 keeps only members with at least that many consecutive unpaid
    months, chosen in SQL before any row leaves the database; member_orgs keeps
    only members now on those organisations' rolls.
    """
    today = today or timezone.localdate()
    config = dues_rules()
    qs = _unpaid(user, today, org)
    if member_orgs is not None:
        qs = qs.filter(member__org_id__in=member_orgs)
    if min_streak > 0:
        qs = qs.filter(member_id__in=_trailing_at_least(qs, today, min_streak))
    by_member: dict[int, Arrears] = {}
    members = {}
    rows = list(qs.values_list("member_id", "month", "amount"))
    if rows:
        members = Member.objects.select_related("org").in_bulk({r[0] for r in rows})
    for member_id, month, amount in rows:
        entry = by_member.setdefault(member_id, Arrears(member=members[member_id]))
        entry.months.append(month)
        entry.total = _fen(entry.total + amount)
    for entry in by_member.values():
        entry.months.sort()
        entry.streak = rules.trailing_unpaid(set(entry.months), today)
        entry.level = rules.arrears_level(entry.streak, config)
    return sorted(by_member.values(), key=lambda a: (-a.streak, -len(a.months), a.member.org.path, a.member.name))


def arrears_warnings(user, *, today: dt.date | None = None, member_orgs: list[int] | None = None) -> list[Arrears]:
    """For the warnings engine: members whose consecutive arrears reached a warning level."""
    config = dues_rules()
    streak = min(config.warn_months, config.alarm_months)
    return [a for a in arrears(user, today=today, min_streak=streak, member_orgs=member_orgs) if a.level]


@dataclass
class OrgTotals:
    org: Org
    due_count: int = 0
    paid_count: int = 0
    due_total: Decimal = Decimal("0")
    collected: Decimal = Decimal("0")
    remitted: Decimal = Decimal("0")

    @property
    def outstanding(self) -> Decimal:
        return self.due_total - self.collected

    @property
    def unremitted(self) -> Decimal:
        return self.collected - self.remitted


def org_totals(user, *, first: dt.date, last: dt.date) -> list[OrgTotals]:
    """Per organisation holding dues: due, collected, remitted upward, for months first..last."""
    months = Q(month__gte=month_start(first), month__lte=month_start(last))
    dues = (
        scoped(Due.objects.filter(months), user, roles.VIEW_WORK).values("org")
        .annotate(n=Count("id"), paid=Count("payment"), due=Sum("amount"), got=Sum("payment__amount"))
    )
    remitted = dict(
        scoped(Remittance.objects.filter(months), user, roles.VIEW_WORK)
        .values("org").annotate(s=Sum("amount")).values_list("org", "s")
    )
    orgs = Org.objects.in_bulk({d["org"] for d in dues} | set(remitted))
    out = {}
    for d in dues:
        out[d["org"]] = OrgTotals(org=orgs[d["org"]], due_count=d["n"], paid_count=d["paid"],
                                  due_total=_fen(d["due"]), collected=_fen(d["got"]))
    for org_id, total in remitted.items():
        out.setdefault(org_id, OrgTotals(org=orgs[org_id])).remitted = _fen(total)
    return sorted(out.values(), key=lambda t: t.org.path)


def orgs_without_ledger(user, *, month: dt.date) -> QuerySet:
    """Branches in the user's write scope with members on the roll but no dues for the month."""
    return (
        scoped(Org.objects.filter(kind__in=BRANCH_KINDS, is_active=True), user, roles.EDIT_WORK, path_field="path")
        .filter(members__status=Status.ACTIVE).exclude(dues__month=month).distinct().order_by("path")
    )


def arrears_by_org(user, *, today: dt.date) -> list[tuple[int, int, int]]:
    """(org id, members warned, members alarmed) per organisation of the members.

    One pass over the last alarm_months of unpaid dues: a member is warned when
    each of the last warn_months months is unpaid (one due per member and month).
    """
    config = dues_rules()
    warn, alarm = sorted((config.warn_months, config.alarm_months))
    last = add_months(month_start(today), -1)
    since = {n: add_months(last, -(n - 1)) for n in (warn, alarm)}
    unpaid = _unpaid(user, today, None)
    window = unpaid.filter(month__gte=since[alarm], month__lte=last)
    if warn > 0:  # always (dues_rules_update keeps 0 < warn < alarm)
        # A warned member owes last month's dues: finding those first (one month,
        # through the index due_month_member) spares the payment look-up for every
        # due of the window (whole tree at 100k members: 490k look-ups -> 120k).
        window = window.filter(member_id__in=unpaid.filter(month=last).values("member_id"))
    rows = (
        window.order_by().values("member_id", "member__org_id")
        .annotate(w=Count("pk", filter=Q(month__gte=since[warn])), a=Count("pk"))
        .filter(w=warn).values_list("member__org_id", "a")
    )
    per_org: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for org_id, unpaid_months in rows:
        per_org[org_id][0] += 1
        per_org[org_id][1] += unpaid_months == alarm
    return [(org_id, n, bad) for org_id, (n, bad) in per_org.items()]


def reductions_for(user, *, org: Org | None = None, state: str = "") -> QuerySet:
    """少交/免交 proposals and decisions (2008 党费规定 一、第七条) of the members the user sees."""
    qs = scoped(Reduction.objects.select_related("member__org", "proposed_by", "decided_by"), user, roles.VIEW_WORK,
                path_field="member__org__path")
    if org is not None:
        qs = qs.filter(member__org__path__subtree=org.path)
    if state in Reduction.State.values:
        qs = qs.filter(state=state)
    return qs.order_by("-proposed_on", "-id")


def reductions_to_decide(user) -> list[Reduction]:
    """Proposals waiting for the user as the superior committee (approval comes from above)."""
    pending = reductions_for(user, state=Reduction.State.PROPOSED)
    return [r for r in pending if is_superior(user, r.member.org, roles.ASSESS)]


def lapsed_ids(member_ids, *, today: dt.date, months: int) -> set[int]:
    """Of these members, those whose last `months` ended months are all unpaid (党章第九条,
    core.references.ARTICLES["member.lapsed"]); provided to meetings.lapse as "dues_lapsed_ids".
    A month exempted by an approved reduction (amount 0) is owed by nobody."""
    unpaid = Due.objects.filter(payment__isnull=True, month__lt=month_start(today), amount__gt=0,
                                member_id__in=list(member_ids))
    return {row["member_id"] for row in _trailing_at_least(unpaid, today, months)}


def unpaid_since(member_ids, *, today: dt.date) -> dict[int, dt.date]:
    """{member id: the first month of the unpaid run that reaches the last ended month}, for the members of
    `member_ids` whose last ended month is unpaid; provided to meetings.lapse as "dues_unpaid_since" (the
    lapsed-members page shows since when, 党章第九条). A month exempted (amount 0) counts as settled."""
    ids = list(member_ids)
    ended = Due.objects.filter(member_id__in=ids, month__lt=month_start(today))
    settled = dict(ended.filter(Q(payment__isnull=False) | Q(amount=0)).order_by().values("member_id")
                   .annotate(last=Max("month")).values_list("member_id", "last"))
    unpaid = ended.filter(payment__isnull=True, amount__gt=0).order_by().values_list("member_id", "month")
    out: dict[int, dt.date] = {}
    for member_id, month in unpaid:
        last = settled.get(member_id)
        if (last is None or month > last) and (member_id not in out or month < out[member_id]):
            out[member_id] = month
    return out
