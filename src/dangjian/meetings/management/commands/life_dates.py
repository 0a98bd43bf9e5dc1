from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dangjian.meetings import life_dates


class Command(BaseCommand):
    help = ("Recompute each member's last organisational life from attendance and report where the stored date "
            "differs (exit non-zero); --fix rewrites the stored dates.")

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Rewrite the stored dates from attendance.")
        parser.add_argument("--show", type=int, default=20, help="How many differing members to list.")

    def handle(self, *args, fix=False, show=20, **options):
        found = life_dates.drift()
        for member_id, (stored, computed) in sorted(found.items())[:show]:
            self.stdout.write(f"  {member_id}: {stored} -> {computed}")
        if found and fix:
            with transaction.atomic():
                kept = life_dates.rebuild()
            self.stdout.write(ngettext(
                "%(n)d member's last organisational life differed and was recomputed (%(kept)d stored).",
                "%(n)d members' last organisational life differed and was recomputed (%(kept)d stored).", len(found),
            ) % {"n": len(found), "kept": kept})
        elif found:
            raise CommandError(ngettext(
                "%(n)d member's stored last organisational life differs from the attendance: run with --fix.",
                "%(n)d members' stored last organisational life differs from the attendance: run with --fix.",
                len(found)) % {"n": len(found)})
        else:
            self.stdout.write(_("The stored last organisational life of every member matches the attendance."))
