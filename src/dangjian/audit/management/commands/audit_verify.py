from django.core.management.base import BaseCommand, CommandError

from dangjian.audit.services import audit_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exit non-zero if any entry was altered or removed."

    def handle(self, *args, **options):
        report = audit_verify()
        if not report.ok:
            raise CommandError(
                f"审计日志已被篡改：第 {report.broken_at} 条记录校验失败（{report.reason}）；已检查 {report.checked} 条。"
            )
        self.stdout.write(f"审计日志完整：{report.checked} 条记录，哈希链校验通过。")
