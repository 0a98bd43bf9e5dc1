"""To-do provider: the user's own imports that failed recently and wait for a corrected file."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dangjian.core.todo import TodoItem
from dangjian.imports.models import ImportJob

RECENT_DAYS = 7


def todo_items(user) -> list[TodoItem]:
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
                title=ngettext(
                    "Roster import failed: %(file)s (%(n)d error); correct it and upload it again",
                    "Roster import failed: %(file)s (%(n)d errors); correct them and upload it again", job.error_count,
                ) % {"file": job.file_name, "n": job.error_count},
                url=reverse("imports:job_detail", args=[job.pk]), severity="warn",
                due=timezone.localtime(job.created_at).date().isoformat(), area=_("Roster import"),
            ))
    return items
