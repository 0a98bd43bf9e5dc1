"""The main menu, built once from what the apps declare: a link shows only to whom it opens.

Each app declares its entries in AppConfig.ready() with what the page itself
requires (the capability its view checks, `through` for a narrowed role such
as a grid worker's grids, or `member=True` for pages about the signed-in
person's own record):

    menu.register("life", _("Meetings"), "meetings:list", capability="work.view")
    menu.register("mine", _("My dues"), "dues:mine", member=True)

The menu then asks core.scoping, so nobody is shown a link that answers 404.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangjian.core.scoping import has_capability, is_unrestricted

# Groups in the order they appear; an app names one of these keys.
GROUPS: dict[str, object] = {
    "mine": _("Mine"),
    "orgs": _("Organisation"),
    "life": _("Organisational life"),
    "governance": _("Governance"),
    "evaluation": _("Evaluation and analysis"),
    "system": _("System"),
}


@dataclass(frozen=True)
class Entry:
    group: str
    label: object
    url_name: str
    capability: str | None = None
    through: tuple[str, ...] = ()
    member: bool = False  # the user must be linked to a member record (their own pages)
    superuser: bool = False
    anyone: bool = False  # every signed-in user
    order: int = 50
    when: Callable | None = None  # an extra test of the user, for what a capability cannot say

    def opens_for(self, user) -> bool:
        if self.superuser:
            return is_unrestricted(user)
        if self.when is not None and not self.when(user):
            return False
        if self.anyone:
            return True
        if self.member and getattr(user, "member_id", None):
            return True
        if self.capability:
            return has_capability(user, self.capability, through=self.through)
        return False


@dataclass
class Group:
    key: str
    label: object
    links: list[tuple[str, object]] = field(default_factory=list)  # (url, label)


_entries: dict[tuple[str, str], Entry] = {}


def register(group: str, label, url_name: str, **kwargs) -> Entry:
    if group not in GROUPS:
        raise ValueError(f"unknown menu group {group!r}: one of {', '.join(GROUPS)}")
    entry = Entry(group, label, url_name, **kwargs)
    _entries[(group, url_name)] = entry  # a second registration (tests, reloads) replaces the first
    return entry


_routes: dict[str, Entry] = {}


def register_route(url_name: str, **kwargs) -> Entry:
    """Who a page outside the menu opens for (an action button's target), for `opens` in templates."""
    entry = Entry("", "", url_name, **kwargs)
    _routes[url_name] = entry
    return entry


def opens(user, url_name: str) -> bool:
    """The page opens for this user, by its menu entry or its route rule; unknown pages are not assumed to."""
    rules = [e for (_g, name), e in _entries.items() if name == url_name]
    if url_name in _routes:
        rules.append(_routes[url_name])
    return any(e.opens_for(user) for e in rules)


def entries() -> list[Entry]:
    return list(_entries.values())


def menu_for(user) -> list[Group]:
    """The menu's groups with the links this user can open; empty groups are left out."""
    if user is None or not user.is_authenticated:
        return []
    groups = {key: Group(key, label) for key, label in GROUPS.items()}
    for entry in sorted(_entries.values(), key=lambda e: (e.order, str(e.label))):
        if entry.opens_for(user):
            groups[entry.group].links.append((reverse(entry.url_name), entry.label))
    return [g for g in groups.values() if g.links]
