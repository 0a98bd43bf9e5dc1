"""Who a write is by when no person made it: the platform's own timers, commands and demo seeding."""


class SystemActor:
    """Writes made by the platform itself (timers, demo seeding): full scope, no user account."""

    pk = None
    is_authenticated = True
    is_active = True
    is_superuser = True

    def __init__(self, name: str = "system"):
        self.name = name

    def __str__(self) -> str:
        return self.name
