"""The one scoping selector: what of the org tree a user may see or act on.

A role grant on a node covers the node's subtree (materialised path prefix).
A narrowed role (`core.roles.narrow`, e.g. a grid worker) covers no subtree:
only the records linked to what its hook returns (their grids), where a
selector names that link (`through={"grid": "grid"}`). Every list, detail,
API endpoint, export and search goes through here; what is out of scope does
not exist for the user (404, never 403).

Core imports no app: roles come from `core.roles`, the org model by name.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from dangjian.core import roles

ORG_MODEL = "orgs.Org"


@dataclass
class _Reach:
    paths: list[str] = field(default_factory=list)  # whole subtrees
    narrowed: dict[str, list[str]] = field(default_factory=dict)  # through -> grant paths of narrowed roles


def _collapse(paths: list[str]) -> list[str]:
    # A path inside another granted subtree adds nothing.
    kept: list[str] = []
    for p in sorted(paths):
        if not kept or not p.startswith(kept[-1]):
            kept.append(p)
    return kept


def _reach(user) -> dict[str, _Reach]:
    """{capability: reach}, cached on the user object for the request."""
    cached = getattr(user, "_scope_cache", None)
    if cached is not None:
        return cached["reach"]
    by_cap: dict[str, _Reach] = {}
    if user is not None and user.is_authenticated and user.is_active:
        for role, path in user.grants.values_list("role", "org__path"):
            narrowing = roles.narrowing_of(role)
            for cap in roles.capabilities_of(role):
                reach = by_cap.setdefault(cap, _Reach())
                if narrowing is None:
                    reach.paths.append(path)
                else:
                    reach.narrowed.setdefault(narrowing.through, []).append(path)
    for reach in by_cap.values():
        reach.paths = _collapse(reach.paths)
    if user is not None:
        user._scope_cache = {"reach": by_cap, "ids": {}}
    return by_cap


def is_unrestricted(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def scope_paths(user, capability: str) -> list[str] | None:
    """Org paths whose subtrees the user may act on; None means the whole tree."""
    if is_unrestricted(user):
        return None
    reach = _reach(user).get(capability)
    return list(reach.paths) if reach else []


def narrowed_ids(user, capability: str, through: str) -> list[int]:
    """Ids of the `through` records (e.g. grids) a narrowed role reaches with the capability."""
    reach = _reach(user).get(capability)
    paths = reach.narrowed.get(through) if reach else None
    if not paths:
        return []
    ids = user._scope_cache["ids"]
    key = (capability, through)
    if key not in ids:
        found: list[int] = []
        for role in {r for r in roles.roles_with(capability) if (n := roles.narrowing_of(r)) and n.through == through}:
            found.extend(roles.narrowing_of(role).ids(user, capability, paths))
        ids[key] = sorted(set(found))
    return ids[key]


def scope_q(user, capability: str, *, path_field: str = "org__path", through: dict[str, str] | None = None) -> Q:
    """A Q over a model's path to the org tree (e.g. "org__path", or "path" for Org).

    through: {link name: field} for models a narrowed role reaches, e.g.
    {"grid": "grid"} for appeals and households, {"grid": "pk"} for grids.
    """
    paths = scope_paths(user, capability)
    if paths is None:
        # Always true, and stays so when OR-ed: `Q() | other` is just `other` (a superuser saw
        # only their own reflections and partner projects through `scope_q(...) | own`).
        return ~Q(pk__in=[])
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{path_field}__subtree": p})
    for name, field_name in (through or {}).items():
        ids = narrowed_ids(user, capability, name)
        if ids:
            q |= Q(**{f"{field_name}__in": ids})
    return q


def scoped(queryset: QuerySet, user, capability: str, *, path_field: str = "org__path",
           through: dict[str, str] | None = None) -> QuerySet:
    return queryset.filter(scope_q(user, capability, path_field=path_field, through=through))


def get_scoped_or_404(
    queryset: QuerySet, user, capability: str, *, path_field: str = "org__path",
    through: dict[str, str] | None = None, **lookup
) -> Model:
    try:
        return scoped(queryset, user, capability, path_field=path_field, through=through).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def org_in_scope(user, capability: str, org) -> bool:
    """The org lies in a subtree the user holds the capability over (a narrowed role's grant does not count)."""
    paths = scope_paths(user, capability)
    if paths is None:
        return True
    return any(org.path.startswith(p) for p in paths)


def is_superior(user, org, capability: str) -> bool:
    """The capability over the org's parent: the one who approves, accepts, rates and scores it.

    The parent's path is the org's path less one step, so no query is needed (lists call this per row).
    """
    step = type(org).steplen
    if len(org.path) <= step:
        return False  # the root has no superior
    parent_path = org.path[:-step]
    paths = scope_paths(user, capability)
    return paths is None or any(parent_path.startswith(p) for p in paths)


def has_capability(user, capability: str, *, through: tuple[str, ...] = ()) -> bool:
    """The user holds the capability over some subtree, or (through) reaches some linked records."""
    paths = scope_paths(user, capability)
    if paths is None or paths:
        return True
    reach = _reach(user).get(capability)
    return bool(reach) and any(reach.narrowed.get(name) for name in through)


def has_any_capability(user) -> bool:
    """The user holds some role with a capability (staff of some kind), or is the superuser."""
    return is_unrestricted(user) or any(
        reach.paths or any(reach.narrowed.values()) for reach in _reach(user).values())


def visible_orgs(user, capability: str) -> QuerySet:
    org_model = apps.get_model(ORG_MODEL)
    return scoped(org_model.objects.all(), user, capability, path_field="path")


def scope_roots(user, capability: str) -> QuerySet:
    """The topmost nodes a user sees: where their tree view starts."""
    org_model = apps.get_model(ORG_MODEL)
    paths = scope_paths(user, capability)
    if paths is None:
        return org_model.objects.get_root_nodes()
    return org_model.objects.filter(path__in=paths).order_by("path")
