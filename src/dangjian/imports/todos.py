"""To-do provider: the user's own imports that failed recently and wait for a corrected file."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from dangjian.core.todo import TodoItem
from dangjian.imports.models import ImportJob

RECENT_DAYS = 7


def failed_imports(user) -> list[TodoItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    jobs = ImportJob.objects.filter(created_by=user, created_at__gte=since).order_by("-created_at", "-id")
    items, seen_ok = [], False
    for job in jobs[:20]:
        if job.state == ImportJob.State.SUCCEEDED:
            seen_ok = True  # a later successful import settles the earlier failures
        elif job.state == ImportJob.State.FAILED and not seen_ok:
            items.append(TodoItem(
                title=f"名册导入未成功：{job.file_name}（{job.error_count} 处错误），请修改后重新上传",
                url=reverse("imports:job_detail", args=[job.pk]), severity="warn",
                due=timezone.localtime(job.created_at).date().isoformat(), area="名册导入",
            ))
    return items
