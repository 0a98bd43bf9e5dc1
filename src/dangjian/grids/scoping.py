"""Grid-level narrowing of the org scope.

A GRID_WORKER grant on an org would cover its whole subtree; grid workers are
meant to see only the grids they are posted to (GridStaff). Every other role
sees by org scope, through dangjian.core.scoping. Records reachable through a
grid (households, visits, appeals) use the same Q, given their path to the org
and to the grid.
"""

from django.db.models import Q

from dangjian.accounts.roles import CAPABILITIES, Role
from dangjian.core.scoping import is_unrestricted, scope_paths


def _paths_by_kind(user, capability: str) -> tuple[list[str], list[str]]:
    """(paths granted by roles other than grid worker, paths granted as grid worker)."""
    cache = user.__dict__.setdefault("_grid_scope_cache", {})
    if capability in cache:
        return cache[capability]
    other: list[str] = []
    grid: list[str] = []
    if user.is_authenticated and user.is_active and scope_paths(user, capability):
        for role, path in user.grants.values_list("role", "org__path"):
            if capability not in CAPABILITIES.get(role, ()):
                continue
            (grid if role == Role.GRID_WORKER else other).append(path)
    cache[capability] = (other, grid)
    return other, grid


def assigned_grid_ids(user, capability: str) -> list[int]:
    """Grids a grid worker is posted to, within the orgs of their grid-worker grants."""
    from dangjian.grids.models import GridStaff

    _, grid_paths = _paths_by_kind(user, capability)
    if not grid_paths:
        return []
    q = Q()
    for p in grid_paths:
        q |= Q(grid__org__path__subtree=p)
    return list(GridStaff.objects.filter(q, user=user).values_list("grid_id", flat=True))


def grid_scope_q(user, capability: str, *, path_field: str, grid_field: str) -> Q:
    """Q over a model with a path to the org tree and (maybe) a grid.

    path_field: e.g. "org__path"; grid_field: e.g. "grid" (or "pk" for Grid itself).
    """
    if is_unrestricted(user):
        return Q()
    other, _ = _paths_by_kind(user, capability)
    q = Q(pk__in=[])
    for p in other:
        q |= Q(**{f"{path_field}__subtree": p})
    grid_ids = assigned_grid_ids(user, capability)
    if grid_ids:
        q |= Q(**{f"{grid_field}__in": grid_ids})
    return q


def grid_scoped(queryset, user, capability: str, *, path_field: str, grid_field: str):
    return queryset.filter(grid_scope_q(user, capability, path_field=path_field, grid_field=grid_field))


def manages_org(user, capability: str, org) -> bool:
    """Whether a role other than grid worker grants the capability on org.

    Setting up grids and posting staff is for the community's officers and
    secretaries; a grid worker's grant must not let them post themselves.
    """
    if is_unrestricted(user):
        return True
    other, _ = _paths_by_kind(user, capability)
    return any(org.path.startswith(p) for p in other)
