import getpass
import os
import sys

from django.core.management.base import CommandError


def passphrase(options, *, confirm: bool) -> str:
    """From --passphrase-file, else DANGJIAN_BACKUP_PASSPHRASE, else asked on the terminal."""
    if options.get("passphrase_file"):
        with open(options["passphrase_file"], encoding="utf-8") as fh:
            return fh.readline().rstrip("\n")
    if os.environ.get("DANGJIAN_BACKUP_PASSPHRASE"):
        return os.environ["DANGJIAN_BACKUP_PASSPHRASE"]
    if not sys.stdin.isatty():
        raise CommandError("give the passphrase with --passphrase-file or DANGJIAN_BACKUP_PASSPHRASE")
    first = getpass.getpass("Backup passphrase: ")
    if confirm and getpass.getpass("Again: ") != first:
        raise CommandError("the two passphrases differ")
    return first
