"""Reads for grids: every query goes through the grid-aware scope."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dangjian.accounts import roles
from dangjian.core.references import open_records, related_work
from dangjian.core.scoping import scoped
from dangjian.grids.models import (
    Grid,
    GridStaff,
    Household,
    HouseholdLink,
    Resident,
    ServicePlan,
    Visit,
)
from dangjian.orgs.models import Member, Status

# A household nobody has visited for this long shows up on the grid page.
STALE_VISIT_DAYS = 90


def posted_grid_ids(user, capability: str, paths) -> list[int]:
    """Grids a grid worker is posted to (GridStaff), within the orgs of their grid-worker grants."""
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(grid__org__path__subtree=p)
    return list(GridStaff.objects.filter(q, user=user).values_list("grid_id", flat=True))


def grids_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[Grid]:
    return scoped(Grid.objects.select_related("org"), user, capability, path_field="org__path", through={"grid": "pk"})


def _get_or_404(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def grid_get(user, pk, capability: str = roles.VIEW_WORK) -> Grid:
    return _get_or_404(grids_for(user, capability), pk)


def households_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[Household]:
    """Households in the user's grids; those entered in error are left out (see households_in_error)."""
    return scoped(
        Household.objects.in_use().select_related("grid"), user, capability,
        path_field="grid__org__path", through={"grid": "grid"},
    )


def households_in_error(user) -> QuerySet[Household]:
    """Households marked entered in error: for auditors (VIEW_AUDIT on the grid's community) only."""
    return scoped(Household.objects.filter(entered_in_error_at__isnull=False).select_related("grid", "grid__org"),
                  user, roles.VIEW_AUDIT, path_field="grid__org__path")


def household_get(user, pk, capability: str = roles.VIEW_WORK) -> Household:
    return _get_or_404(households_for(user, capability), pk)


def household_page_get(user, pk) -> Household:
    """A household's page: in scope and in use, or entered in error and the user audits its community."""
    try:
        return household_get(user, pk)
    except Http404:
        return _get_or_404(households_in_error(user), pk)


def household_head(household: Household) -> Resident | None:
    """The head of household's own resident row: written with the household (same name and phone),
    the first such row. It follows the household's corrections, not the resident ones."""
    return household.residents.filter(
        name=household.head_name, phone_index=household.phone_index
    ).order_by("pk").first()


def household_residents(household: Household) -> list[Resident]:
    """The residents, the head's row marked `is_head`."""
    head = household_head(household)
    residents = list(household.residents.order_by("pk"))
    for r in residents:
        r.is_head = head is not None and r.pk == head.pk
    return residents


def residents_but_head(household: Household) -> QuerySet[Resident]:
    """The residents corrected or removed one by one: all but the head's own row."""
    head = household_head(household)
    residents = household.residents.order_by("pk")
    return residents.exclude(pk=head.pk) if head is not None else residents


def household_history(household: Household) -> dict:
    """What the household page lists: residents, links, visits, earlier versions."""
    return {
        "residents": household_residents(household),
        "links": household.links.select_related("member", "ended_by").order_by("-since", "-id"),
        "visits": household.visits.select_related("visitor").order_by("-visited_on", "-id")[:50],
        "versions": household.versions.select_related("grid", "by"),
        "resident_versions": household.resident_versions.select_related("by"),
    }


def move_targets(user, household: Household) -> QuerySet[Grid]:
    """Other grids of the household's community the user may move it to (in use)."""
    return (grids_for(user, roles.EDIT_WORK).filter(org=household.grid.org_id, is_active=True)
            .exclude(pk=household.grid_id).order_by("code"))


def links_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[HouseholdLink]:
    return scoped(
        HouseholdLink.objects.select_related("member", "household", "household__grid"), user, capability,
        path_field="household__grid__org__path", through={"grid": "household__grid"},
    )


def visits_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[Visit]:
    return scoped(
        Visit.objects.select_related("grid", "household", "member", "visitor", "plan"), user, capability,
        path_field="org__path", through={"grid": "grid"},
    )


def plans_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[ServicePlan]:
    return scoped(ServicePlan.objects.select_related("org"), user, capability)


def plan_get(user, pk, capability: str = roles.VIEW_WORK) -> ServicePlan:
    return _get_or_404(plans_for(user, capability), pk)


def linkable_members(grid: Grid) -> QuerySet[Member]:
    """Members on the roll anywhere in the grid's community."""
    return Member.objects.filter(org__path__subtree=grid.org.path, status=Status.ACTIVE).order_by("name")


def open_link_count(member: Member) -> int:
    return HouseholdLink.objects.filter(member=member, ended_on__isnull=True).count()


@dataclass
class PlanRow:
    member: Member
    done: int
    required: int

    @property
    def complete(self) -> bool:
        return self.done >= self.required


def plan_targets(plan: ServicePlan) -> QuerySet[Member]:
    return Member.objects.filter(
        org__path__subtree=plan.org.path, status=Status.ACTIVE, tags__name=plan.tag_name
    ).select_related("org").order_by("org__path", "name").distinct()


def plan_progress(plan: ServicePlan) -> list[PlanRow]:
    members = plan_targets(plan).annotate(
        done=Count("visits_received", filter=Q(visits_received__plan=plan), distinct=True)
    )
    return [PlanRow(m, m.done, plan.visits_per_member) for m in members]


def plan_shortfalls(plans: QuerySet[ServicePlan], *, today: dt.date, within_days: int = 14):
    """(plan, missing visits) for plans ending within N days or already ended: three queries, however many plans."""
    plans = list(
        plans.filter(ends_on__lte=today + dt.timedelta(days=within_days), ends_on__gte=today - dt.timedelta(days=31))
        .select_related("org")
    )
    if not plans:
        return []
    roots: list[str] = []
    for path in sorted({p.org.path for p in plans}):
        if not roots or not path.startswith(roots[-1]):
            roots.append(path)
    within = Q()
    for path in roots:
        within |= Q(org__path__subtree=path)
    # The same targets as plan_targets, for every plan at once: (member, org path, tag).
    tagged = (
        Member.objects.filter(within, status=Status.ACTIVE, tags__name__in={p.tag_name for p in plans})
        .values_list("pk", "org__path", "tags__name").distinct()
    )
    done = {
        (row["plan_id"], row["member_id"]): row["n"]
        for row in Visit.objects.filter(plan__in=plans, member__isnull=False)
        .order_by().values("plan_id", "member_id").annotate(n=Count("pk"))
    }
    tagged = list(tagged)
    out = []
    for plan in plans:
        missing = sum(
            1 for pk, path, tag in tagged
            if tag == plan.tag_name and path.startswith(plan.org.path)
            and done.get((plan.pk, pk), 0) < plan.visits_per_member
        )
        if missing:
            out.append((plan, missing))
    return out


def grid_overview(user, grid: Grid) -> dict:
    """What the grid page shows: people, households, open appeals, visits, overdue items."""
    today = timezone.localdate()
    households = (
        households_for(user).filter(grid=grid)
        .annotate(linked=Count("links", filter=Q(links__ended_on__isnull=True)))
        .order_by("address")
    )
    stale_since = today - dt.timedelta(days=STALE_VISIT_DAYS)
    stale = households.exclude(visits__visited_on__gte=stale_since)
    appeals = open_records(grid, user=user).get("appeals")
    now = timezone.now()
    return {
        "related_work": related_work(grid, user=user),
        "staff": grid.staff.select_related("user").order_by("role", "user__username"),
        "members": (
            Member.objects.filter(household_links__household__grid=grid, household_links__ended_on__isnull=True)
            .annotate(households=Count("household_links", filter=Q(household_links__ended_on__isnull=True)))
            .order_by("name").distinct()
        ),
        "households": households,
        "household_count": households.count(),
        "open_appeals": appeals[:50] if appeals is not None else [],
        "open_appeal_count": appeals.count() if appeals is not None else 0,
        "overdue_appeals": [a for a in appeals if a.is_overdue(now)] if appeals is not None else [],
        "recent_visits": visits_for(user).filter(grid=grid)[:20],
        "stale_households": stale.count(),
    }
