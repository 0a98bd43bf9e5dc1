"""Demo users, one per persona, with fixed documented passwords (docs/demo.md).

These passwords are public: a demo installation must never hold real data.
"""

from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.db.models import Case, Q, When

from dangjian.accounts.models import RoleGrant, User
from dangjian.accounts.roles import Role
from dangjian.orgs.models import BRANCH_KINDS, Member, Org, OrgKind, Status


@dataclass(frozen=True)
class Persona:
    username: str
    password: str
    role: str | None  # None: superuser
    where: str  # which org: root, street, community, branch_a, branch_b
    display_name: str = ""  # empty: the linked member's name
    linked: str = ""  # "secretary": the org's secretary; "member": a plain member of the org


PERSONAS = (
    Persona("admin", "Demo-2026!admin", None, "root", display_name="系统管理员"),
    Persona("officer", "Demo-2026!officer", Role.ORG_OFFICER, "street", display_name="街道组织委员"),
    Persona("community", "Demo-2026!community", Role.SECRETARY, "community", linked="secretary"),
    Persona("branch_a", "Demo-2026!branch-a", Role.SECRETARY, "branch_a", linked="secretary"),
    Persona("branch_b", "Demo-2026!branch-b", Role.SECRETARY, "branch_b", linked="secretary"),
    Persona("grid", "Demo-2026!grid", Role.GRID_WORKER, "community", display_name="社区网格员"),
    Persona("auditor", "Demo-2026!auditor", Role.AUDITOR, "street", display_name="街道审计员"),
    Persona("reviewer", "Demo-2026!reviewer", Role.REVIEWER, "street", display_name="街道考核员"),
    Persona("member", "Demo-2026!member", Role.MEMBER, "branch_a", linked="member"),
)


def persona_orgs() -> dict[str, Org]:
    """The orgs the personas sit on, found in the tree the demo built."""
    root = Org.objects.get_root_nodes().order_by("path").first()
    street = root if root.kind == OrgKind.STREET_COMMITTEE else (
        Org.objects.filter(path__subtree=root.path, kind=OrgKind.STREET_COMMITTEE).order_by("path").first()
    )
    community = Org.objects.filter(path__subtree=street.path, kind=OrgKind.COMMUNITY_COMMITTEE).order_by("path").first()
    branches = list(Org.objects.get_children(community).filter(kind=OrgKind.BRANCH).order_by("path")[:2])
    return {"root": root, "street": street, "community": community, "branch_a": branches[0], "branch_b": branches[1]}


def _plain_member(org: Org) -> Member:
    # A full member if the branch has one free, else a probationary one: the persona must be someone's
    # own record, or the member's own pages (dues, study, home) show nothing.
    # At the smallest scale the branch may hold only its secretary: then the nearest free member above it.
    secretaries = Org.objects.exclude(secretary=None).values("secretary_id")
    for where in (org, *reversed(org.get_ancestors())):
        free = (Member.objects.filter(org__path__subtree=where.path, status=Status.ACTIVE, user=None)
                .exclude(pk__in=secretaries))
        found = free.order_by(Case(When(category="full", then=0), default=1), "org__path", "pk").first()
        if found is not None:
            return found
    return None


def create_personas(*, log=print) -> list[User]:
    """One user per persona; a username already taken is left alone (and reported)."""
    orgs = persona_orgs()
    taken = set(User.objects.filter(username__in=[p.username for p in PERSONAS]).values_list("username", flat=True))
    users = []
    for p in PERSONAS:
        if p.username in taken:
            log(f"  user {p.username!r} already exists: left unchanged")
            continue
        org = orgs[p.where]
        member = None
        if p.linked == "secretary":
            member = org.secretary
        elif p.linked == "member":
            member = _plain_member(org)
        user = User(
            username=p.username, display_name=p.display_name or (member.name if member else p.username),
            member=member, is_superuser=p.role is None, is_staff=p.role is None,
        )
        validate_password(p.password, user)
        user.set_password(p.password)
        user.save()
        if p.role:
            # A plain member's grant sits on their own branch (a neighbour's, in the smallest demo).
            RoleGrant.objects.create(user=user, org=member.org if p.linked == "member" and member else org, role=p.role)
        users.append(user)
    return users


def login_rows() -> list[tuple[str, str, str, str]]:
    """(username, password, role, org) for every persona user that exists."""
    users = {u.username: u for u in User.objects.filter(username__in=[p.username for p in PERSONAS])}
    grants = {
        g.user.username: g
        for g in RoleGrant.objects.filter(Q(user__in=users.values())).select_related("user", "org")
    }
    rows = []
    for p in PERSONAS:
        if p.username not in users:
            continue
        grant = grants.get(p.username)
        if grant is None:
            role, org = ("superuser", "(all)") if users[p.username].is_superuser else ("-", "-")
        else:
            role, org = str(grant.get_role_display()), grant.org.name
        rows.append((p.username, p.password, role, org))
    return rows


def superior_and_branches(limit: int) -> tuple[Org | None, list[Org]]:
    """The street org the officer persona sits on, and up to `limit` branches below it (persona branches first)."""
    grant = RoleGrant.objects.select_related("org").filter(user__username="officer").first()
    top = grant.org if grant else (Org.objects.filter(kind="street").order_by("path").first()
                                   or Org.objects.order_by("path").first())
    if top is None:
        return None, []
    persona = list(RoleGrant.objects.filter(user__username__in=("branch_a", "branch_b"), org__kind__in=BRANCH_KINDS)
                   .order_by("user__username").values_list("org_id", flat=True))
    branches = list(Org.objects.filter(path__subtree=top.path, kind__in=BRANCH_KINDS).order_by("path")[:limit * 4])
    branches.sort(key=lambda o: (o.pk not in persona, persona.index(o.pk) if o.pk in persona else 0, o.path))
    return top, branches[:limit]
