"""Compute (or explicitly recompute) one evaluation period for the whole tree."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dangjian.evaluation.services import period_compute


class Command(BaseCommand):
    help = "Compute one period's indicators, indices, efficiency, grades and warnings for every organisation."

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=["month", "quarter", "year"], required=True)
        parser.add_argument("--start", type=dt.date.fromisoformat, required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--recompute", action="store_true", help="replace an existing snapshot (audited)")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)

    def handle(self, *args, kind, start, recompute, today, **options):
        try:
            period = period_compute(by=None, kind=kind, start=start, recompute=recompute, today=today,
                                    log=self.stdout.write)
        except ValidationError as exc:
            raise CommandError("; ".join(m for msgs in exc.message_dict.values() for m in msgs)) from exc
        self.stdout.write(f"{period.label}: version {period.version}, as of {period.as_of}, {period.seconds}s")
