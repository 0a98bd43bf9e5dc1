"""Reads of the org tree and the roster, always through the scoping selector."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from dangjian.accounts import roles
from dangjian.core import crypto
from dangjian.core.scoping import has_capability, org_in_scope, scope_roots, scoped
from dangjian.orgs.models import BRANCH_KINDS, Member, Org, Status, Transfer

# A committee term ending within this many days is flagged before it is overdue.
TERM_WARNING_DAYS = 180


@dataclass(frozen=True)
class TermState:
    key: str  # "none" | "ok" | "expiring" | "overdue"
    severity: str  # badge class: "" | "ok" | "warn" | "bad"
    days_left: int | None = None

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def term_state(term_end: dt.date | None, today: dt.date) -> TermState:
    """Whether a committee term is running, about to end, or overdue for election."""
    if term_end is None:
        return TermState("none", "")
    days = (term_end - today).days
    if days < 0:
        return TermState("overdue", "bad", days)
    if days <= TERM_WARNING_DAYS:
        return TermState("expiring", "warn", days)
    return TermState("ok", "ok", days)


# --- Tree -------------------------------------------------------------------


@dataclass
class TreeNode:
    org: Org
    current: bool = False
    expanded: bool = False
    children: list["TreeNode"] = field(default_factory=list)


def org_children(org: Org) -> QuerySet:
    return Org.objects.filter(path__subtree=org.path, depth=org.depth + 1).order_by("path")


def org_tree(user, current: Org | None) -> list[TreeNode]:
    """The sidebar tree: the user's roots, with the path down to `current` opened.

    Only the ancestors of the current org have their children loaded; every
    other node expands lazily.
    """
    roots = list(scope_roots(user, roles.VIEW_ROSTER))
    if current is None:
        return [TreeNode(org=r) for r in roots]
    steplen = Org.steplen
    open_paths = [current.path[:i] for i in range(steplen, len(current.path) + 1, steplen)]
    # Only ancestors inside the user's subtrees are opened.
    open_paths = [p for p in open_paths if any(p.startswith(r.path) for r in roots)]
    children_q = Q(pk__in=[])
    for p in open_paths:
        children_q |= Q(path__subtree=p, depth=len(p) // steplen + 1)
    by_parent: dict[str, list[Org]] = {}
    for org in Org.objects.filter(children_q).order_by("path"):
        by_parent.setdefault(org.path[:-steplen], []).append(org)

    def build(org: Org) -> TreeNode:
        node = TreeNode(org=org, current=org.pk == current.pk)
        if org.path in by_parent:
            node.expanded = True
            node.children = [build(c) for c in by_parent[org.path]]
        return node

    return [build(r) for r in roots]


def branch_search(text: str, *, limit: int = 20) -> QuerySet:
    """Branches anywhere in the installation by code or name, for a transfer's receiving side.

    The receiving branch is often outside the requester's scope; only names and
    codes are shown, never members.
    """
    text = text.strip()
    if not text:
        return Org.objects.none()
    return (
        Org.objects.filter(kind__in=BRANCH_KINDS, is_active=True)
        .filter(Q(code__iexact=text) | Q(name__contains=text) | Q(code__istartswith=text))
        .order_by("path")[:limit]
    )


# --- Roster -------------------------------------------------------------------


def members_visible(user) -> QuerySet:
    # Records entered in error are kept for auditors only (member_search, status filter).
    return scoped(Member.objects.exclude(status=Status.ENTERED_IN_ERROR), user, roles.VIEW_ROSTER)


def member_visible_to(user, member: Member) -> bool:
    """A record entered in error stays readable only to auditors of its organisation."""
    return member.status != Status.ENTERED_IN_ERROR or org_in_scope(user, roles.VIEW_AUDIT, member.org)


def member_search(
    user,
    *,
    org: Org | None = None,
    q: str = "",
    status: str = "",
    category: str = "",
    gender: str = "",
    education: str = "",
    tag=None,
    index: str = "",
) -> QuerySet:
    """The roster a user may see, filtered. `q` matches a name fragment, or an
    exact ID number or phone number through their blind indexes; `index` is such
    a blind index already computed (what the roster page puts in its URL)."""
    if status == Status.ENTERED_IN_ERROR:
        qs = scoped(Member.objects.all(), user, roles.VIEW_AUDIT)
    else:
        qs = members_visible(user)
    if org is not None:
        qs = qs.filter(org__path__subtree=org.path)
    q = q.strip()
    if q:
        typed = crypto.blind_index_variants(q)
        qs = qs.filter(Q(name__contains=q) | Q(id_number_index__in=typed) | Q(phone_index__in=typed))
    if index:
        qs = qs.filter(Q(id_number_index=index) | Q(phone_index=index))
    for name, value in (("status", status), ("category", category), ("gender", gender), ("education", education)):
        if value:
            qs = qs.filter(**{name: value})
    if tag is not None:
        qs = qs.filter(tags=tag)
    return qs.select_related("org").prefetch_related("tags").order_by("org__path", "name", "id")


def org_member_counts(org: Org) -> dict[str, int]:
    """Members on the roll in the org itself and in its whole subtree."""
    return Member.objects.filter(org__path__subtree=org.path, status=Status.ACTIVE).aggregate(
        subtree=Count("id"), own=Count("id", filter=Q(org=org))
    )


def member_history(member: Member) -> dict[str, list]:
    return {
        "status_changes": list(member.status_changes.select_related("by")),
        "transfers": list(member.transfers.select_related("from_org", "to_org", "requested_by", "decided_by")),
    }


# --- Transfers ----------------------------------------------------------------


def transfers_awaiting(user) -> QuerySet:
    """Pending transfers this user may decide: internal ones into their scope,
    outgoing ones (to outside the platform) from their scope."""
    if not has_capability(user, roles.TRANSFER):
        return Transfer.objects.none()
    pending = Transfer.objects.filter(state=Transfer.State.PENDING)
    incoming = scoped(pending.filter(kind=Transfer.Kind.INTERNAL), user, roles.TRANSFER, path_field="to_org__path")
    outgoing = scoped(pending.exclude(kind=Transfer.Kind.INTERNAL), user, roles.TRANSFER, path_field="from_org__path")
    return (
        Transfer.objects.filter(Q(pk__in=incoming.values("pk")) | Q(pk__in=outgoing.values("pk")))
        .select_related("member", "from_org", "to_org", "requested_by")
        .order_by("requested_on", "id")
    )


def transfers_sent(user) -> QuerySet:
    """Pending internal transfers out of the user's scope, waiting on the other side."""
    pending = Transfer.objects.filter(state=Transfer.State.PENDING, kind=Transfer.Kind.INTERNAL)
    return (
        scoped(pending, user, roles.TRANSFER, path_field="from_org__path")
        .select_related("member", "from_org", "to_org")
        .order_by("requested_on", "id")
    )


def roster(org: Org) -> QuerySet:
    """The members on the roll of an org and of the groups below it."""
    return Member.objects.filter(org__path__subtree=org.path, status=Status.ACTIVE).order_by("name", "id")


def roll_sizes(orgs: list[Org], *, category: str | None = None) -> dict[int, int]:
    """{org id: active members (of `category` if given) of the org and of the listed orgs below it}, one query."""
    from dangjian.core.metrics import rollup

    members = Member.objects.filter(org_id__in=[o.pk for o in orgs], status=Status.ACTIVE)
    if category:
        members = members.filter(category=category)
    direct = (
        members
        .order_by().values_list("org_id").annotate(n=Count("id")).values_list("org_id", "n")
    )
    totals = rollup({org_id: (n, 0) for org_id, n in direct}, {o.pk: o.path for o in orgs})
    return {org_id: int(n) for org_id, (n, _d) in totals.items()}
