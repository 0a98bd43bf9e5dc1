"""The task queue (django-q2): how code hands work to the worker.

Functions are named by dotted path, so core imports no feature app. A task is
enqueued when the surrounding transaction commits (the worker must see the
rows it is about to read). With JOBS_RUN_INLINE (the test settings) it runs
right away in the caller instead.
"""

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string


def enqueue(func: str, *args, name: str | None = None) -> None:
    """Run `func(*args)` on the worker once the current transaction commits."""
    if getattr(settings, "JOBS_RUN_INLINE", False):
        import_string(func)(*args)
        return

    def send() -> None:
        from django_q.tasks import async_task

        async_task(func, *args, task_name=name, group=func.rsplit(".", 1)[-1])

    transaction.on_commit(send)
