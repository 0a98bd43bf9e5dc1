"""Values one app owns and another reads, without the reader importing the owner.

The owner provides a function in its AppConfig.ready(); the reader asks by
name and says what holds when no app provides it. (Meetings asks committees
for the member count from which a branch elects a committee; the dashboard
asks appeals for today's appeals of an org, evaluation asks resources for the
resources near an org with a warning.)
"""

from collections.abc import Callable
from typing import Any

_providers: dict[str, Callable[[], Any]] = {}


def provide(name: str, provider: Callable[[], Any]) -> None:
    _providers[name] = provider


def value(name: str, /, *args: Any, default: Any, **kwargs: Any) -> Any:
    """What the providing app answers (for these arguments); `default` when no app provides `name`."""
    provider = _providers.get(name)
    return default if provider is None else provider(*args, **kwargs)
