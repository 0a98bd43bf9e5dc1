from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dangjian.audit.services import audit_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exit non-zero if any entry was altered or removed."

    def handle(self, *args, **options):
        report = audit_verify()
        if not report.ok and report.broken_at is None:
            raise CommandError(_("The audit log was tampered with: %(reason)s.") % {"reason": report.reason})
        if not report.ok:
            raise CommandError(ngettext(
                "The audit log was tampered with: entry %(entry)s fails its check (%(reason)s); "
                "%(checked)d entry checked.",
                "The audit log was tampered with: entry %(entry)s fails its check (%(reason)s); "
                "%(checked)d entries checked.", report.checked,
            ) % {"entry": report.broken_at, "reason": report.reason, "checked": report.checked})
        self.stdout.write(ngettext("The audit log is intact: %(n)d entry, hash chain verified.",
                                   "The audit log is intact: %(n)d entries, hash chain verified.", report.checked)
                          % {"n": report.checked})
