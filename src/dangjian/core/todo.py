"""The home page's to-do list, assembled from every feature app.

Each app registers a provider in its AppConfig.ready(); a provider takes the
user and returns the items waiting for them (already scoped).

Each item names who must act on it (`actor`): the officer of the superior
organisation, a branch's secretary, a grid worker, a member, a functional
department, or nobody in particular but the person reading ("", e.g. their
own unpaid dues, a decision addressed to them). An officer sees the whole
street's to-dos: the home page puts first what the officer must do and
summarises the rest by who must act on it, with counts.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SEVERITY_LABELS = {"bad": _("Urgent"), "warn": _("To watch"), "info": _("For information")}

# Who must act on an item; "" is the person reading it (their own dues, a decision addressed to them).
YOU = ""
OFFICER = "officer"
SECRETARY = "secretary"
GRID_WORKER = "grid_worker"
MEMBER = "member"
DEPARTMENT = "department"
ACTOR_LABELS = {
    YOU: pgettext_lazy("to-do actor", "You"),
    OFFICER: pgettext_lazy("to-do actor", "Officer of the superior organisation"),
    SECRETARY: pgettext_lazy("to-do actor", "Branch secretaries"),
    GRID_WORKER: pgettext_lazy("to-do actor", "Grid workers"),
    MEMBER: pgettext_lazy("to-do actor", "Members"),
    DEPARTMENT: pgettext_lazy("to-do actor", "Functional departments"),
}


@dataclass(frozen=True)
class TodoItem:
    title: str
    url: str
    severity: str = "info"  # info | warn | bad
    due: str = ""
    area: str = ""
    actor: str = YOU

    @property
    def actor_label(self):
        return ACTOR_LABELS.get(self.actor, self.actor)

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


@dataclass
class ActorGroup:
    """What one kind of actor must do, summarised: counts by severity, one line per area."""

    actor: str
    groups: list[TodoGroup] = field(default_factory=list)

    @property
    def label(self):
        return ACTOR_LABELS.get(self.actor, self.actor)

    @property
    def items(self) -> list[TodoItem]:
        return [i for g in self.groups for i in g.items]

    @property
    def bad(self) -> int:
        return sum(g.bad for g in self.groups)

    @property
    def warn(self) -> int:
        return sum(g.warn for g in self.groups)

    @property
    def info(self) -> int:
        return sum(g.info for g in self.groups)


_ACTOR_ORDER = [YOU, OFFICER, SECRETARY, GRID_WORKER, DEPARTMENT, MEMBER]


def group_by_actor(items: list[TodoItem], mine: tuple[str, ...]) -> tuple[list[TodoItem], list[ActorGroup]]:
    """(the items the reader must act on, most urgent first; the others' items grouped by actor, then area).

    mine: the actors the reader acts as (their home's `acts_as`); YOU is always the reader.
    """
    own = [i for i in items if i.actor == YOU or i.actor in mine]
    by_actor: dict[str, dict[str, TodoGroup]] = {}
    for item in items:
        if item.actor == YOU or item.actor in mine:
            continue
        by_actor.setdefault(item.actor, {}).setdefault(item.area, TodoGroup(item.area)).items.append(item)
    others = [ActorGroup(actor, sorted(areas.values(), key=lambda g: g.rank)) for actor, areas in by_actor.items()]
    rank = {a: n for n, a in enumerate(_ACTOR_ORDER)}
    others.sort(key=lambda a: rank.get(a.actor, len(rank)))
    return own, others
