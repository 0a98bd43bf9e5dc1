"""Feature apps' demo seeders: discovery and running.

Every installed `dangjian.*` app may ship a module `demo.py` with
`seed(*, rng: random.Random, today: datetime.date, log) -> None`. After the
demo organisation is built, `demo_org` runs them in INSTALLED_APPS order, each
in its own transaction and with its own random stream (derived from the demo
seed and the app label), so adding an app never changes another app's data.
"""

import datetime as dt
import random
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.db import transaction
from django.utils.module_loading import module_has_submodule

Seeder = Callable[..., None]


def discover_seeders(*, package: str = "dangjian.") -> list[tuple[str, Seeder]]:
    """(app label, seed function) for every installed app under `package` with demo.seed."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith(package) or not module_has_submodule(config.module, "demo"):
            continue
        seed = getattr(import_module(f"{config.module.__name__}.demo"), "seed", None)
        if callable(seed):
            found.append((config.label, seed))
    return found


@dataclass
class SeedReport:
    ran: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # label: traceback


def run_seeders(
    *,
    seed: int,
    today: dt.date,
    log: Callable[[str], None],
    seeders: list[tuple[str, Seeder]] | None = None,
    strict: bool = False,
) -> SeedReport:
    """Run each seeder atomically; a failure rolls back that app only (or stops, if strict)."""
    report = SeedReport()
    for label, fn in discover_seeders() if seeders is None else seeders:
        log(f"· {label}")
        started = time.monotonic()
        try:
            with transaction.atomic():
                fn(rng=random.Random(f"{seed}:{label}"), today=today, log=log)
        except Exception:
            if strict:
                raise
            report.failed[label] = traceback.format_exc()
            log(f"  ! {label} failed and was rolled back")
            continue
        report.ran.append(label)
        log(f"  {label} done ({time.monotonic() - started:.1f} s)")
    return report
