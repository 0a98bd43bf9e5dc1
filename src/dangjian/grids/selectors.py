"""Reads for grids: every query goes through the grid-aware scope."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.core.scoping import scoped
from dangjian.core.todo import TodoItem
from dangjian.grids.models import Grid, Household, HouseholdLink, ServicePlan, Visit
from dangjian.grids.scoping import grid_scoped
from dangjian.orgs.models import Member, Status

# A household nobody has visited for this long shows up on the grid page.
STALE_VISIT_DAYS = 90


def grids_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[Grid]:
    return grid_scoped(Grid.objects.select_related("org"), user, capability, path_field="org__path", grid_field="pk")


def _get_or_404(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def grid_get(user, pk, capability: str = roles.VIEW_WORK) -> Grid:
    return _get_or_404(grids_for(user, capability), pk)


def households_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[Household]:
    return grid_scoped(
        Household.objects.select_related("grid"), user, capability,
        path_field="grid__org__path", grid_field="grid",
    )


def household_get(user, pk, capability: str = roles.VIEW_WORK) -> Household:
    return _get_or_404(households_for(user, capability), pk)


def links_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[HouseholdLink]:
    return grid_scoped(
        HouseholdLink.objects.select_related("member", "household", "household__grid"), user, capability,
        path_field="household__grid__org__path", grid_field="household__grid",
    )


def visits_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[Visit]:
    return grid_scoped(
        Visit.objects.select_related("grid", "household", "member", "visitor", "plan"), user, capability,
        path_field="org__path", grid_field="grid",
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
    """(plan, missing visits) for plans ending within N days or already ended."""
    out = []
    for plan in plans.filter(ends_on__lte=today + dt.timedelta(days=within_days), ends_on__gte=today - dt.timedelta(days=31)):
        missing = sum(1 for row in plan_progress(plan) if not row.complete)
        if missing:
            out.append((plan, missing))
    return out


def grid_overview(user, grid: Grid) -> dict:
    """What the grid page shows: people, households, open appeals, visits, overdue items."""
    from dangjian.appeals.selectors import appeals_for, open_states

    today = timezone.localdate()
    households = (
        households_for(user).filter(grid=grid)
        .annotate(linked=Count("links", filter=Q(links__ended_on__isnull=True)))
        .order_by("address")
    )
    stale_since = today - dt.timedelta(days=STALE_VISIT_DAYS)
    stale = households.exclude(visits__visited_on__gte=stale_since)
    appeals = appeals_for(user).filter(grid=grid, state__in=open_states()).order_by("received_at")
    now = timezone.now()
    return {
        "staff": grid.staff.select_related("user").order_by("role", "user__username"),
        "members": (
            Member.objects.filter(household_links__household__grid=grid, household_links__ended_on__isnull=True)
            .annotate(households=Count("household_links", filter=Q(household_links__ended_on__isnull=True)))
            .order_by("name").distinct()
        ),
        "households": households,
        "household_count": households.count(),
        "open_appeals": appeals[:50],
        "open_appeal_count": appeals.count(),
        "overdue_appeals": [a for a in appeals if a.is_overdue(now)],
        "recent_visits": visits_for(user).filter(grid=grid)[:20],
        "stale_households": stale.count(),
    }


def grid_todo(user) -> list[TodoItem]:
    """Service plans about to end, or ended, with members still waiting for a visit."""
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    items = []
    for plan, missing in plan_shortfalls(plans_for(user, roles.EDIT_WORK), today=today):
        items.append(TodoItem(
            title=_("%(org)s, %(plan)s: %(n)d members not yet visited") % {
                "org": plan.org.name, "plan": plan.get_kind_display(), "n": missing,
            },
            url=reverse("grids:plan_detail", args=[plan.pk]),
            severity="bad" if plan.ends_on < today else "warn",
            due=plan.ends_on.isoformat(),
            area=_("Service plan"),
        ))
    return items
