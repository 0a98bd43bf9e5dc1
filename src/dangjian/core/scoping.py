"""The one scoping selector: what of the org tree a user may see or act on.

A role grant on a node covers the node's subtree (materialised path prefix).
Every list, detail, API endpoint, export and search goes through here; what is
out of scope does not exist for the user (404, never 403).
"""

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from dangjian.accounts.roles import CAPABILITIES


def _grant_paths(user) -> dict[str, list[str]]:
    """{capability: [org paths]}, cached on the user object for the request."""
    cached = getattr(user, "_scope_cache", None)
    if cached is not None:
        return cached
    by_cap: dict[str, list[str]] = {}
    if user is not None and user.is_authenticated and user.is_active:
        for role, path in user.grants.values_list("role", "org__path"):
            for cap in CAPABILITIES.get(role, ()):
                by_cap.setdefault(cap, []).append(path)
    for cap, paths in by_cap.items():
        # A path inside another granted subtree adds nothing.
        paths.sort()
        kept: list[str] = []
        for p in paths:
            if not kept or not p.startswith(kept[-1]):
                kept.append(p)
        by_cap[cap] = kept
    user._scope_cache = by_cap
    return by_cap


def is_unrestricted(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def scope_paths(user, capability: str) -> list[str] | None:
    """Org paths whose subtrees the user may act on; None means the whole tree."""
    if is_unrestricted(user):
        return None
    return _grant_paths(user).get(capability, [])


def scope_q(user, capability: str, *, path_field: str = "org__path") -> Q:
    """A Q over a model's path to the org tree (e.g. "org__path", or "path" for Org)."""
    paths = scope_paths(user, capability)
    if paths is None:
        # Always true, and stays so when OR-ed: `Q() | other` is just `other` (a superuser saw
        # only their own reflections and partner projects through `scope_q(...) | own`).
        return ~Q(pk__in=[])
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for p in paths:
        q |= Q(**{f"{path_field}__subtree": p})
    return q


def scoped(queryset: QuerySet, user, capability: str, *, path_field: str = "org__path") -> QuerySet:
    return queryset.filter(scope_q(user, capability, path_field=path_field))


def get_scoped_or_404(
    queryset: QuerySet, user, capability: str, *, path_field: str = "org__path", **lookup
) -> Model:
    try:
        return scoped(queryset, user, capability, path_field=path_field).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def org_in_scope(user, capability: str, org) -> bool:
    paths = scope_paths(user, capability)
    if paths is None:
        return True
    return any(org.path.startswith(p) for p in paths)


def has_capability(user, capability: str) -> bool:
    paths = scope_paths(user, capability)
    return paths is None or bool(paths)


def visible_orgs(user, capability: str) -> QuerySet:
    from dangjian.orgs.models import Org

    return scoped(Org.objects.all(), user, capability, path_field="path")


def scope_roots(user, capability: str) -> QuerySet:
    """The topmost nodes a user sees: where their tree view starts."""
    from dangjian.orgs.models import Org

    paths = scope_paths(user, capability)
    if paths is None:
        return Org.objects.get_root_nodes()
    return Org.objects.filter(path__in=paths).order_by("path")
