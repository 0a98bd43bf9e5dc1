"""The home page's "mine" panels: what the signed-in person did, owes and is due, from the apps that own it.

The to-do list (core.todo) says what waits for someone's action; a panel says
where the person stands: their meetings and attendance, dues, study, 联户
households, volunteer hours, tasks. Each app registers a provider in its
AppConfig.ready(); a provider takes the user and returns panels about the
user's own records (none if the user has no member record), with a fixed
number of queries however much data there is (the home page must stay fast).
"""

from collections.abc import Callable
from dataclasses import dataclass, field


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


_providers: list[Callable] = []


def register(provider: Callable) -> Callable:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def panels_for(user) -> list[Panel]:
    if user is None or not user.is_authenticated:
        return []
    panels: list[Panel] = []
    for provider in _providers:
        panels.extend(provider(user))
    return sorted(panels, key=lambda p: p.order)
