"""The home page's to-do list, assembled from every feature app.

Each app registers a provider in its AppConfig.ready(); a provider takes the
user and returns the items waiting for them (already scoped).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class TodoItem:
    title: str
    url: str
    severity: str = "info"  # info | warn | bad
    due: str = ""
    area: str = ""


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
