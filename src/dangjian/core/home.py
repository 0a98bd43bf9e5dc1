"""The home page's "mine" panels: what the signed-in person did, owes and is due, from the apps that own it.

The to-do list (core.todo) says what waits for someone's action; a panel says
where the person stands: their meetings and attendance, dues, study, 联户
households, volunteer hours, tasks. Each app registers a provider in its
AppConfig.ready(); a provider takes the user and returns panels about the
user's own records (none if the user has no member record), with a fixed
number of queries however much data there is (the home page must stay fast).

Besides the person's own records, each role has a home of its own: the page a
grid worker, a branch secretary, a reviewer or an officer opens first. Which
home a user gets is decided once from their capabilities (`define_home`, by
the app that owns the roles, in the order given); a provider registered with
`home="grid_worker"` adds its panels to that home only ("work" panels, shown
before the person's own). A provider registered without a home is about the
person's own records and shows on every home.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Line:
    text: str
    url: str = ""
    note: str = ""  # a date, a state: shown muted after the text
    severity: str = ""  # "", ok, warn, bad


@dataclass(frozen=True)
class Panel:
    title: str
    summary: str = ""  # one sentence of figures: "今年参加 5 次，请假 1 次"
    lines: list[Line] = field(default_factory=list)
    url: str = ""  # the page with everything
    url_label: str = ""
    actions: list[tuple[str, str]] = field(default_factory=list)  # (url, label): "记录学习"
    order: int = 50
    work: bool = False  # set by panels_for: a role's work panel, not the person's own records


@dataclass(frozen=True)
class Home:
    """A role's home page: who gets it, and which to-do actors (core.todo) are theirs to act on."""

    key: str
    title: object
    test: Callable  # test(user) -> bool, from the user's capabilities
    acts_as: tuple[str, ...] = ()


MEMBER = Home("member", "", lambda user: True)

_homes: list[Home] = []
_providers: list[tuple[Callable, str | None]] = []


def define_home(key: str, title, test: Callable, *, acts_as: tuple[str, ...] = ()) -> Home:
    """Declare a role's home; the first whose test passes is the user's (declare the broadest role first)."""
    home = Home(key, title, test, acts_as)
    _homes[:] = [h for h in _homes if h.key != key] + [home]
    return home


def home_of(user) -> Home:
    for home in _homes:
        if home.test(user):
            return home
    return MEMBER


def register(provider: Callable, *, home: str | None = None) -> Callable:
    if (provider, home) not in _providers:
        _providers.append((provider, home))
    return provider


def panels_for(user, home: Home | None = None) -> list[Panel]:
    """The work panels of the user's home, then the panels about their own records."""
    if user is None or not user.is_authenticated:
        return []
    home = home or home_of(user)
    panels: list[Panel] = []
    for provider, for_home in _providers:
        if for_home is None:
            panels.extend(provider(user))
        elif for_home == home.key:
            panels.extend(replace(p, work=True) for p in provider(user))
    return sorted(panels, key=lambda p: (not p.work, p.order))
