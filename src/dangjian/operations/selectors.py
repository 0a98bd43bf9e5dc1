from django.db.models import QuerySet
from django.http import Http404

from dangjian.operations.models import Job


def jobs_of(user) -> QuerySet:
    """A user's own jobs; a superuser sees every job."""
    qs = Job.objects.select_related("created_by")
    return qs if user.is_superuser else qs.filter(created_by=user)


def job_for(user, pk) -> Job:
    try:
        return jobs_of(user).get(pk=pk)
    except (Job.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
