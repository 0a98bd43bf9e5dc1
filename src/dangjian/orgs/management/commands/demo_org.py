"""`python -m dangjian.manage demo_org [--if-empty] [--scale N] [--seed 42]`.

Builds the demo organisation into an empty database (docs/demo.md), then runs
the feature apps' demo seeders, then prints the demo logins.
"""

import datetime as dt
import resource
import time
import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from dangjian.audit.services import Action, audit_record
from dangjian.core.demo import run_seeders
from dangjian.orgs.demo_data.build import build_demo
from dangjian.orgs.demo_data.personas import create_personas, login_rows
from dangjian.orgs.models import Org

DEFAULT_SCALE = 3000


class Command(BaseCommand):
    help = "Build the deterministic demo organisation (orgs, members, persona users) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="If the database already holds organisations, only print the demo logins.")
        parser.add_argument("--scale", type=int, default=DEFAULT_SCALE,
                            help=f"About this many members (default {DEFAULT_SCALE}; up to ~1,000,000).")
        parser.add_argument("--seed", type=int, default=42, help="Random seed: same seed, same demo.")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                            help="Build as if today were this date (YYYY-MM-DD).")
        parser.add_argument("--no-features", action="store_true", help="Skip the feature apps' demo seeders.")
        parser.add_argument("--strict", action="store_true", help="Stop at the first failing feature seeder.")
        parser.add_argument("--batch", type=int, default=5000, help="Members written per bulk insert.")
        parser.add_argument("--member-share", type=float, default=1.0,
                            help="Plan the tree for --scale members but write only this share of each "
                                 "organisation's members (at least 3): many organisations, fewer members.")

    def handle(self, *args, **options):
        self.started = time.monotonic()
        scale, seed = options["scale"], options["seed"]
        today = options["today"] or timezone.localdate()
        share = options["member_share"]
        if not 0 < share <= 1:
            raise CommandError("--member-share must be above 0 and at most 1")
        if not 30 <= scale or scale * share > 2_000_000 or scale > 20_000_000:
            raise CommandError("--scale must be between 30 and 2,000,000 members written (20,000,000 planned)")
        if Org.objects.exists():
            if not options["if_empty"]:
                raise CommandError(
                    "The database already holds organisations; demo_org only builds into an empty database. "
                    "Use --if-empty to print the demo logins instead."
                )
            self.log("The database already holds organisations: the demo is not loaded again.")
            self.print_logins()
            return

        self.log(f"Building the demo organisation: about {scale:,} members, seed {seed}, today {today}")
        with transaction.atomic():
            built = build_demo(members=scale, seed=seed, today=today, log=self.log, batch=options["batch"],
                               member_share=share)
            users = create_personas(log=self.log)
            root = Org.objects.get(pk=built.root.pk)
            admin = next((u for u in users if u.is_superuser), None)
            # One entry for the whole load rather than one per record.
            audit_record(
                actor=admin or "demo_org", action=Action.IMPORT, target=root, org=root,
                target_repr="demo organisation",
                changes={"orgs": [0, built.orgs], "members": [0, built.members], "seed": [None, seed]},
            )
        self.log(
            f"Foundation done: {built.orgs:,} organisations, {built.members:,} members ({self.elapsed()}, "
            f"peak memory {_peak_megabytes()} MB)"
        )

        if not options["no_features"]:
            self.log("Feature demo data:")
            report = run_seeders(seed=seed, today=today, log=self.log, strict=options["strict"])
            for label, trace in report.failed.items():
                self.stderr.write(f"Feature seeder {label} failed (its data was rolled back):\n{trace}")
        self.print_logins()
        self.log(f"Done in {self.elapsed()}.")

    def elapsed(self) -> str:
        return f"{time.monotonic() - self.started:.1f} s"

    def log(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def print_logins(self) -> None:
        rows = login_rows()
        if not rows:
            self.log("No demo logins exist in this database.")
            return
        self.log("\nDemo logins (public passwords: never put real data in a demo installation):")
        table = [("username", "password", "role", "organisation"), *rows]
        widths = [max(_width(r[i]) for r in table) for i in range(4)]
        for i, row in enumerate(table):
            self.log("  " + "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip())
            if i == 0:
                self.log("  " + "  ".join("-" * w for w in widths))


def _peak_megabytes() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)  # kB on Linux


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
