"""Dues reads: the scoped ledger, arrears by member and month, org totals, to-do items."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts import roles
from dangjian.core.scoping import has_capability, scoped
from dangjian.core.todo import TodoItem
from dangjian.dues import rules
from dangjian.dues.models import Due, Remittance
from dangjian.dues.services import dues_rules
from dangjian.orgs.models import BRANCH_KINDS, Member, Org, Status


def _fen(value) -> Decimal:
    """SQLite sums decimals as floats; every total leaves with exactly two places."""
    return Decimal(value or 0).quantize(rules.FEN)


def dues_for(user, *, org: Org | None = None, month: dt.date | None = None, state: str = "") -> QuerySet:
    qs = scoped(Due.objects.select_related("member", "org", "payment", "payment__payer"), user, roles.VIEW_WORK)
    if org is not None:
        qs = qs.filter(org__path__subtree=org.path)
    if month is not None:
        qs = qs.filter(month=rules.month_start(month))
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


def arrears(user, *, today: dt.date | None = None, org: Org | None = None) -> list[Arrears]:
    """Members with unpaid dues for ended months, most months first."""
    today = today or timezone.localdate()
    config = dues_rules()
    qs = scoped(Due.objects.filter(payment__isnull=True, month__lt=rules.month_start(today)), user, roles.VIEW_WORK)
    if org is not None:
        qs = qs.filter(org__path__subtree=org.path)
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
        if entry.streak >= config.alarm_months:
            entry.level = "bad"
        elif entry.streak >= config.warn_months:
            entry.level = "warn"
    return sorted(by_member.values(), key=lambda a: (-a.streak, -len(a.months), a.member.org.path, a.member.name))


def arrears_warnings(user, *, today: dt.date | None = None) -> list[Arrears]:
    """For the warnings engine: members whose consecutive arrears reached a warning level."""
    return [a for a in arrears(user, today=today) if a.level]


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
    months = Q(month__gte=rules.month_start(first), month__lte=rules.month_start(last))
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


def dues_todo(user) -> list[TodoItem]:
    today = timezone.localdate()
    items: list[TodoItem] = []
    url = reverse("dues:arrears")
    if has_capability(user, roles.EDIT_WORK):
        per_org: dict[Org, list[Arrears]] = defaultdict(list)
        for a in arrears_warnings(user, today=today):
            per_org[a.member.org].append(a)
        for org, rows in per_org.items():
            worst = max(r.streak for r in rows)
            items.append(TodoItem(
                title=f"{org.name}：{len(rows)} 名党员连续欠缴党费（最长 {worst} 个月）",
                url=f"{url}?org={org.pk}", severity="bad" if any(r.level == "bad" for r in rows) else "warn",
                area="党费",
            ))
        month = rules.month_start(today)
        for org in orgs_without_ledger(user, month=month)[:20]:
            items.append(TodoItem(
                title=f"{org.name}：{month.year}年{month.month}月党费账目尚未生成",
                url=f"{reverse('dues:ledger')}?org={org.pk}", severity="info", area="党费",
                due=rules.add_months(month, 1).isoformat(),
            ))
    member = getattr(user, "member", None)
    if member is not None:
        unpaid = set(Due.objects.filter(member=member, payment__isnull=True, month__lt=rules.month_start(today))
                     .values_list("month", flat=True))
        if unpaid:
            streak = rules.trailing_unpaid(unpaid, today)
            items.append(TodoItem(
                title=f"您有 {len(unpaid)} 个月的党费尚未缴纳", url=reverse("dues:mine"),
                severity="bad" if streak >= dues_rules().alarm_months else "warn", area="党费",
            ))
    return items
