from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.assessment.models import Assessment, ScoreAppeal, State
from dangjian.core.scoping import scoped
from dangjian.core.todo import OFFICER, SECRETARY, TodoItem


def todo_items(user) -> list[TodoItem]:
    if not user.is_authenticated:
        return []
    items = []
    to_score = scoped(Assessment.objects.filter(state=State.SUBMITTED).select_related("org", "scheme"), user, roles.ASSESS)
    for a in to_score[:20]:
        items.append(TodoItem(title=_("Assessment to score: %(a)s") % {"a": a}, url=reverse("assessment:detail", args=[a.pk]),
                              severity="warn", area=_("Assessment"), actor=OFFICER))
    appeals = scoped(ScoreAppeal.objects.filter(status=ScoreAppeal.Status.OPEN).select_related("assessment__org"),
                     user, roles.ASSESS, path_field="assessment__org__path")
    for ap in appeals[:20]:
        items.append(TodoItem(title=_("Score appeal to answer: %(a)s") % {"a": ap.assessment.org.name},
                              url=reverse("assessment:detail", args=[ap.assessment_id]), severity="warn", area=_("Assessment"), actor=OFFICER))
    own = scoped(Assessment.objects.filter(state=State.PENDING).select_related("org", "scheme"), user, roles.EDIT_WORK)
    for a in own.exclude(pk__in=to_score.values("pk"))[:20]:
        items.append(TodoItem(title=_("Self-report due: %(a)s") % {"a": a}, url=reverse("assessment:detail", args=[a.pk]),
                              area=_("Assessment"), actor=SECRETARY))
    return items
