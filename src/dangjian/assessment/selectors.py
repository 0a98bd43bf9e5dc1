"""Reads for assessment: schemes for those who assess, assessments for those who see the work (scoped)."""

from django.db.models import QuerySet

from dangjian.accounts import roles
from dangjian.assessment.models import Assessment, Scheme
from dangjian.core.scoping import scoped


def schemes_for(user) -> QuerySet[Scheme]:
    return scoped(Scheme.objects.select_related("org"), user, roles.ASSESS)


def assessments_for(user) -> QuerySet[Assessment]:
    return scoped(Assessment.objects.select_related("org", "scheme"), user, roles.VIEW_WORK)
