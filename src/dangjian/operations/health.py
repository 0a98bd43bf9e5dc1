"""What /healthz and the operations page report: the database, the worker's heartbeat, the disk."""

import shutil

from django.conf import settings
from django.db import connection
from django.utils import timezone

WORKER_LATE_AFTER = 180  # seconds without a heartbeat (written every minute)
DISK_MIN_FREE = 0.05  # share of the disk holding var/


def check() -> dict:
    from dangjian.operations.models import WorkerBeat

    report = {"database": False, "worker": False, "disk": False}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            report["database"] = cursor.fetchone()[0] == 1
        beat = WorkerBeat.objects.order_by("-at").first()
        if beat is not None:
            age = (timezone.now() - beat.at).total_seconds()
            report["worker_seconds_since_heartbeat"] = round(age)
            report["worker"] = age < WORKER_LATE_AFTER
    except Exception:  # the database is down: say so, do not raise
        report["database"] = False
    try:
        usage = shutil.disk_usage(settings.MEDIA_ROOT if settings.MEDIA_ROOT.exists() else settings.VAR_DIR)
        report["disk_free_share"] = round(usage.free / usage.total, 3)
        report["disk"] = usage.free / usage.total >= DISK_MIN_FREE
    except OSError:
        pass
    report["ok"] = report["database"] and report["worker"] and report["disk"]
    return report
