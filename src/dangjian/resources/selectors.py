"""Reads of the three lists, all through the scoping selector, and resource matching."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.core.dates import day_bounds
from dangjian.core.scoping import scope_paths, scope_q
from dangjian.orgs.models import Org
from dangjian.resources.models import Booking, Evaluation, Need, PartnerUnit, Project, Resource

STEP = Org.steplen


def ancestor_paths(path: str) -> list[str]:
    """The paths of a node and every node above it."""
    return [path[:i] for i in range(STEP, len(path) + 1, STEP)]


def offered_to_q(user, capability: str = roles.VIEW_WORK, *, path_field: str = "org__path") -> Q:
    """Resources in the user's scope, plus those offered from above it (a community's venue
    serves its branches)."""
    paths = scope_paths(user, capability)
    if paths is None:
        return Q()
    above = sorted({a for p in paths for a in ancestor_paths(p)})
    return scope_q(user, capability, path_field=path_field) | Q(**{f"{path_field}__in": above})


def resources_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[Resource]:
    return Resource.objects.filter(offered_to_q(user, capability)).select_related("org", "partner")


def own_resources_for(user, capability: str = roles.EDIT_WORK) -> QuerySet[Resource]:
    """Resources the user may change (their own subtree only)."""
    return Resource.objects.filter(scope_q(user, capability)).select_related("org", "partner")


def needs_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[Need]:
    return Need.objects.filter(scope_q(user, capability)).select_related("org")


def projects_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[Project]:
    return Project.objects.filter(scope_q(user, capability)).select_related("org", "need")


def partners_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[PartnerUnit]:
    return PartnerUnit.objects.filter(scope_q(user, capability)).select_related("org")


def bookings_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[Booking]:
    q = scope_q(user, capability) | scope_q(user, capability, path_field="resource__org__path")
    return Booking.objects.filter(q).select_related("resource", "org")


def evaluations_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(scope_q(user, capability, path_field="partner__org__path")).select_related(
        "partner", "partner__org"
    )


def overlapping(resource_id: int, starts_at: dt.datetime, ends_at: dt.datetime) -> QuerySet[Booking]:
    """Active bookings sharing time with [starts_at, ends_at): touching ends do not overlap."""
    return Booking.objects.filter(
        resource_id=resource_id, cancelled=False, starts_at__lt=ends_at, ends_at__gt=starts_at
    )


# ------------------------------------------------------------------ matching


@dataclass
class Suggestion:
    resource: Resource
    score: int
    reasons: list[str] = field(default_factory=list)


def _place_overlap(a: str, b: str) -> bool:
    """Places written freely: share a two-character run (e.g. 和平社区 / 和平社区活动室)."""
    a, b = a.strip(), b.strip()
    if not a or not b:
        return False
    return any(a[i : i + 2] in b for i in range(len(a) - 1))


def suggest_resources(need: Need, *, limit: int = 10) -> list[Suggestion]:
    """Resources that could meet a need, best first.

    Must: active, offered on the need's line of the tree (by the need's org, an
    org above it, or a sibling unit under the same parent) and available on the
    day needed. Ranked by category, place, capacity and, for bookable venues, a
    free day.
    """
    org_path = need.org.path
    parent = org_path[:-STEP] if len(org_path) > STEP else org_path
    line = Q(org__path__in=ancestor_paths(org_path)) | Q(org__path__subtree=parent)
    qs = Resource.objects.filter(line, is_active=True).select_related("org", "partner")
    if need.needed_on:
        qs = qs.filter(
            Q(available_from__isnull=True) | Q(available_from__lte=need.needed_on),
            Q(available_until__isnull=True) | Q(available_until__gte=need.needed_on),
        )
    busy: set[int] = set()
    if need.needed_on:
        day_start, day_end = day_bounds(need.needed_on)
        busy = set(
            Booking.objects.filter(cancelled=False, starts_at__lt=day_end, ends_at__gt=day_start).values_list(
                "resource_id", flat=True
            )
        )
    out = []
    for r in qs[:500]:
        score, reasons = 0, []
        if r.category == need.category:
            score += 5
            reasons.append(_("same category"))
        if _place_overlap(r.place, need.place):
            score += 2
            reasons.append(_("nearby place"))
        if need.people and r.capacity is not None:
            if r.capacity >= need.people:
                score += 2
                reasons.append(_("capacity enough"))
            else:
                score -= 3
                reasons.append(_("capacity too small"))
        if r.bookable and need.needed_on:
            if r.pk in busy:
                score -= 2
                reasons.append(_("already booked that day"))
            else:
                score += 1
                reasons.append(_("free that day"))
        if r.org.path == org_path:
            score += 1
            reasons.append(_("own resource"))
        if score > 0:
            out.append(Suggestion(r, score, reasons))
    out.sort(key=lambda s: (-s.score, s.resource.pk))
    return out[:limit]


# ------------------------------------------------------------------ to-do


def resources_near(user, area: Org, categories, *, limit: int = 20) -> list:
    """Active resources of the given categories in an area's subtree, in the user's scope (mobilisation)."""
    from dangjian.core.scoping import scoped

    qs = Resource.objects.filter(org__path__subtree=area.path, is_active=True, category__in=categories)
    return list(scoped(qs, user, roles.VIEW_WORK).select_related("org").order_by("category", "title")[:limit])
