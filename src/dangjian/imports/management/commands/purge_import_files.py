"""`python -m dangjian.manage purge_import_files [--days N]`: delete import files past their retention.

Meant for a daily timer (cron, systemd): error workbooks older than
DANGJIAN_IMPORT_ERROR_FILE_DAYS (default 7) days are deleted, with what an
interrupted import left behind; running it twice deletes nothing more. Each run
writes one audit entry with the counts (docs/import.md).
"""

from django.core.management.base import BaseCommand, CommandError

from dangjian.imports.retention import import_files_purge


class Command(BaseCommand):
    help = "Delete import error workbooks (and leftover uploads) older than the retention; audited."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help="Keep files this many days (default: DANGJIAN_IMPORT_ERROR_FILE_DAYS, 7).")

    def handle(self, *args, days, **options):
        if days is not None and days < 0:
            raise CommandError("--days must be 0 or more")
        result = import_files_purge(days=days)
        self.stdout.write(
            f"deleted {result.error_files} error workbooks, {result.uploads} leftover uploads, "
            f"{result.orphans} unreferenced files (kept: the last {result.days} days)"
        )
