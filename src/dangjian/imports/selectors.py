"""Reads for import and export: jobs (their creator's only) and the roster to export."""

from django.db.models import QuerySet
from django.http import Http404, QueryDict

from dangjian.accounts import roles
from dangjian.core.scoping import (
    get_scoped_or_404,
    is_unrestricted,
    scope_paths,
    scope_q,
    scoped,
    visible_orgs,
)
from dangjian.imports.models import ImportJob
from dangjian.orgs.forms import MemberFilterForm
from dangjian.orgs.models import BRANCH_KINDS, Org
from dangjian.orgs.selectors import member_search


def jobs_of(user) -> QuerySet:
    """A job is its uploader's own business (and superusers'); others get 404."""
    if is_unrestricted(user):
        return ImportJob.objects.all()
    if not getattr(user, "is_authenticated", False):
        return ImportJob.objects.none()
    return ImportJob.objects.filter(created_by=user)


def job_for(user, pk) -> ImportJob:
    try:
        return jobs_of(user).get(pk=pk)
    except (ImportJob.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def recent_jobs(user, *, limit: int = 10) -> list[ImportJob]:
    return list(ImportJob.objects.filter(created_by=user).order_by("-created_at", "-id")[:limit])


def import_target_orgs(user) -> QuerySet:
    """Branches the user may import members into (listed in the template)."""
    return visible_orgs(user, roles.IMPORT_ROSTER).filter(kind__in=BRANCH_KINDS, is_active=True).order_by("path")


def roster_for_export(user, params: QueryDict) -> QuerySet:
    """The member list's own filters (same query parameters), within EXPORT_ROSTER scope.

    `org` (a pk) narrows to that org's subtree, as on the org page's list.
    """
    org = None
    if params.get("org"):
        org = get_scoped_or_404(Org.objects.all(), user, roles.EXPORT_ROSTER, path_field="path", pk=params["org"])
    form = MemberFilterForm(params)
    members = member_search(user, org=org, **form.filters())
    return scoped(members, user, roles.EXPORT_ROSTER)


def may_reveal_all(user, members: QuerySet) -> bool:
    """True only if the user may reveal identifiers in every org the export covers."""
    if scope_paths(user, roles.REVEAL) is None:
        return True
    return not members.exclude(scope_q(user, roles.REVEAL)).exists()
