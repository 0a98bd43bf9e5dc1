"""`python -m dangjian.manage restore FILE`: bring a backup into a fresh installation.

Run `migrate` first (or not: the backup brings its own tables), stop the web
and worker processes, restore, then start them again. The database is
replaced as a whole; media files are copied in; keys in the backup are written
to var/secrets.json (the previous file kept beside it). docs/operations.md.
"""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from dangjian.operations.backup import BackupError, backup_restore
from dangjian.operations.management.commands._passphrase import passphrase


class Command(BaseCommand):
    help = "Restore a backup written by `backup` into this installation (its database is replaced)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--passphrase-file", help="Read the passphrase from the first line of this file.")

    def handle(self, *args, file, **options):
        try:
            result = backup_restore(path=file, passphrase=passphrase(options, confirm=False))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored {sum(result.rows.values())} rows and {result.files} files "
                          f"from {result.manifest['created_at']}")
        if result.keys_written:
            self.stdout.write(f"keys written to {result.keys_written}: restart the platform to use them")
        elif result.manifest["key_fingerprints"].get("field_encryption_key"):
            self.stdout.write("the backup holds no keys: this installation needs the keys of the one backed up")
        if result.mismatched:
            raise CommandError(f"fewer rows than backed up in: {result.mismatched}")
        call_command("migrate", "--no-input", verbosity=0)  # a backup from an older version catches up
