"""`python -m dangjian.manage dues_generate [--month 2025-03]`: the monthly ledger of every branch.

Meant for a monthly timer (cron, systemd): existing rows are left alone, so a
second run changes nothing. Members without a base are listed for follow-up.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dangjian.core.actors import SystemActor
from dangjian.core.dates import parse_month
from dangjian.dues.services import ledger_generate
from dangjian.orgs.models import BRANCH_KINDS, Org


class Command(BaseCommand):
    help = "Generate the monthly dues ledger of every active branch (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM; default: the current month")

    def handle(self, *args, **options):
        month = parse_month(options["month"]) if options["month"] else timezone.localdate().replace(day=1)
        if month is None:
            raise CommandError("--month must look like 2025-03")
        created = missing = 0
        # Branches only: a superior's ledger is the sum of its branches' rows.
        for org in Org.objects.filter(kind__in=BRANCH_KINDS, is_active=True).order_by("path"):
            result = ledger_generate(by=SystemActor("dues_generate"), org=org, month=month)
            created += result.created
            missing += len(result.missing_base)
            for member in result.missing_base:
                self.stdout.write(f"no base: {org.name} {member.name} (member {member.pk})")
        self.stdout.write(f"{month:%Y-%m}: {created} dues created, {missing} members without a base")
