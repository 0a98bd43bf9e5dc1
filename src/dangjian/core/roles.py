"""Roles and what each may do, declared by the apps that need them and collected here.

A role is a name held on an org node (accounts.RoleGrant); a capability is a
plain string "<area>.<verb>". An app declares in its AppConfig.ready():

    roles.grant("secretary", "roster.view", "work.view")     # the role holds these
    roles.narrow("grid_worker", through="grid", ids=...)      # ... but not over the subtree

A narrowed role's grant does not cover the node's subtree: it reaches only the
records linked through `through` to the ids its hook returns (a grid worker's
grids), and only where a selector asks for that link. Everything else in the
tree, the roster, dues and meetings included, stays out of its scope.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

_capabilities: dict[str, set[str]] = {}
_narrowings: dict[str, "Narrowing"] = {}


@dataclass(frozen=True)
class Narrowing:
    through: str  # the name selectors use for the link, e.g. "grid"
    # ids(user, capability, org paths of the role's grants) -> ids of the linked records in reach
    ids: Callable[[object, str, Sequence[str]], list[int]]


def grant(role: str, *capabilities: str) -> None:
    _capabilities.setdefault(str(role), set()).update(capabilities)


def narrow(role: str, *, through: str, ids: Callable[[object, str, Sequence[str]], list[int]]) -> None:
    _narrowings[str(role)] = Narrowing(through, ids)


def capabilities_of(role: str) -> frozenset[str]:
    return frozenset(_capabilities.get(str(role), ()))


def roles_with(capability: str) -> list[str]:
    return [role for role, caps in _capabilities.items() if capability in caps]


def narrowing_of(role: str) -> Narrowing | None:
    return _narrowings.get(str(role))
