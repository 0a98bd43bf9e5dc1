"""The reviewer's home: the assessments waiting for their score and the score appeals to answer (core.home)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.assessment.models import Assessment, ScoreAppeal, State
from dangjian.core.home import Line, Panel
from dangjian.core.scoping import scoped

SHOWN = 8


def waiting_for_score(user) -> list[Panel]:
    """Submitted self-reports to score, oldest first; open score appeals; how many have not reported yet."""
    mine = scoped(Assessment.objects.all(), user, roles.ASSESS)
    counts = mine.aggregate(submitted=Count("pk", filter=Q(state=State.SUBMITTED)),
                            pending=Count("pk", filter=Q(state=State.PENDING)))
    appeals = scoped(ScoreAppeal.objects.filter(status=ScoreAppeal.Status.OPEN).select_related("assessment__org"),
                     user, roles.ASSESS, path_field="assessment__org__path")
    lines = [
        Line(_("Score appeal to answer: %(a)s") % {"a": ap.assessment.org.name},
             url=reverse("assessment:detail", args=[ap.assessment_id]), severity="bad")
        for ap in appeals.order_by("created_at")[:SHOWN]
    ]
    lines += [
        Line(_("%(org)s: %(scheme)s") % {"org": a.org.name, "scheme": a.scheme.title},
             url=reverse("assessment:detail", args=[a.pk]),
             note=_("submitted %(date)s") % {"date": f"{a.submitted_on:%Y-%m-%d}"} if a.submitted_on else "",
             severity="warn")
        for a in mine.filter(state=State.SUBMITTED).select_related("org", "scheme")
        .order_by("submitted_on", "org__path")[:SHOWN]
    ]
    return [Panel(
        title=_("Waiting for my score"),
        summary=_("%(n)d self-reports to score; %(p)d organisations have not reported yet.") % {
            "n": counts["submitted"], "p": counts["pending"]},
        lines=lines, url=reverse("assessment:list"), url_label=_("Assessment schemes"), order=10,
    )]
