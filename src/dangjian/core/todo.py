"""The home page's to-do list, assembled from every feature app.

Each app registers a provider in its AppConfig.ready(); a provider takes the
user and returns the items waiting for them (already scoped).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

SEVERITY_LABELS = {"bad": _("Urgent"), "warn": _("To watch"), "info": _("For information")}


@dataclass(frozen=True)
class TodoItem:
    title: str
    url: str
    severity: str = "info"  # info | warn | bad
    due: str = ""
    area: str = ""

    @property
    def severity_label(self):
        return SEVERITY_LABELS.get(self.severity, "")


_providers: list[Callable] = []


def register(provider: Callable) -> Callable:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def todo_for(user) -> list[TodoItem]:
    items: list[TodoItem] = []
    for provider in _providers:
        items.extend(provider(user))
    order = {"bad": 0, "warn": 1, "info": 2}
    return sorted(items, key=lambda i: (order.get(i.severity, 3), i.due or "9999"))


_ORDER = {"bad": 0, "warn": 1, "info": 2}


@dataclass
class TodoGroup:
    """One area of the home page (meetings, dues, appeals, ...) with its items, most urgent first."""

    area: str
    items: list[TodoItem] = field(default_factory=list)

    def _count(self, severity: str) -> int:
        return sum(1 for i in self.items if i.severity == severity)

    @property
    def bad(self) -> int:
        return self._count("bad")

    @property
    def warn(self) -> int:
        return self._count("warn")

    @property
    def info(self) -> int:
        return len(self.items) - self.bad - self.warn

    @property
    def rank(self) -> tuple:
        return (min((_ORDER.get(i.severity, 3) for i in self.items), default=3), -len(self.items), self.area)


def todo_groups(user) -> list[TodoGroup]:
    """The to-do list grouped by area; areas with anything overdue come first."""
    groups: dict[str, TodoGroup] = {}
    for item in todo_for(user):
        groups.setdefault(item.area, TodoGroup(item.area)).items.append(item)
    return sorted(groups.values(), key=lambda g: g.rank)
