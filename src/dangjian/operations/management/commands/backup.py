"""`python -m dangjian.manage backup DIR [--include-keys]`: an encrypted, consistent backup while the platform runs.

The database (SQLite's online backup API, or pg_dump), the media files and,
with --include-keys only, the keys, in one file encrypted with a passphrase
(--passphrase-file, or DANGJIAN_BACKUP_PASSPHRASE, or asked). docs/operations.md.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dangjian.operations.backup import BackupError, backup_create
from dangjian.operations.management.commands._passphrase import passphrase


class Command(BaseCommand):
    help = "Write an encrypted backup (database snapshot, media files, keys if asked) into DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--include-keys", action="store_true",
                            help="Also store the encryption keys (without them the identifiers cannot be read).")
        parser.add_argument("--passphrase-file", help="Read the passphrase from the first line of this file.")

    def handle(self, *args, directory, include_keys, **options):
        try:
            result = backup_create(directory=directory, passphrase=passphrase(options, confirm=True),
                                   include_keys=include_keys)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{result.path} ({result.size} bytes): {result.rows} rows, {result.files} files, "
                          f"keys {'included' if result.keys else 'not included'}")
