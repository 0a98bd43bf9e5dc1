"""To-do items: rectifications due for their owner or waiting for acceptance, and fresh serious warnings."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.core.scoping import has_capability, scoped
from dangjian.core.todo import OFFICER, TodoItem
from dangjian.evaluation.models import Alert, Rectification, RectState

MAX_ITEMS = 8


def todo_items(user, today=None) -> list[TodoItem]:
    if not user.is_authenticated or not has_capability(user, roles.VIEW_WORK):
        return []
    today = today or timezone.localdate()
    area = _("Rectification")
    items = []
    mine = scoped(Rectification.objects.filter(state__in=(RectState.OPEN, RectState.RETURNED)).select_related("org"),
                  user, roles.EDIT_WORK)
    for r in mine.filter(owner=user).order_by("deadline")[:MAX_ITEMS]:
        late = r.deadline < today
        items.append(TodoItem(
            title=_("%(org)s: rectification “%(title)s” due %(due)s") % {"org": r.org, "title": r.title, "due": r.deadline},
            url=reverse("evaluation:rect_detail", args=[r.pk]), severity="bad" if late else "warn",
            due=f"{r.deadline:%Y-%m-%d}", area=area))
    if has_capability(user, roles.ASSESS):
        waiting = scoped(Rectification.objects.filter(state=RectState.SUBMITTED).select_related("org"), user, roles.ASSESS)
        # The org's own reviewer does not accept its own work: only the superior's scope counts.
        waiting = [r for r in waiting.order_by("submitted_on")[:50] if _is_superior(user, r.org)][:MAX_ITEMS]
        for r in waiting:
            items.append(TodoItem(
                title=_("%(org)s submitted rectification “%(title)s” for acceptance") % {"org": r.org, "title": r.title},
                url=reverse("evaluation:rect_detail", args=[r.pk]), severity="info", due=f"{r.deadline:%Y-%m-%d}", area=area,
                actor=OFFICER))
    items.extend(_weak_items(user, today))
    # Serious warnings of the org the user is directly responsible for, not yet under rectification.
    direct = list(user.grants.values_list("org_id", flat=True))
    fresh = (Alert.objects.filter(org_id__in=direct, severity="bad", cleared=False, rectifications__isnull=True)
             .select_related("org", "period").order_by("-period__start", "org__path")[:MAX_ITEMS])
    latest = {}
    for a in fresh:
        latest.setdefault(a.period_id, []).append(a)
    for alerts in list(latest.values())[:1]:
        for a in alerts:
            items.append(TodoItem(title=_("%(org)s: %(detail)s") % {"org": a.org, "detail": a.detail}, url=reverse("evaluation:alert_detail", args=[a.pk]),
                                  severity="bad", area=_("Warnings")))
    return items


def _is_superior(user, org) -> bool:
    from dangjian.evaluation.services import _superior_may_accept

    return _superior_may_accept(user, org)


def _weak_items(user, today) -> list[TodoItem]:
    """软弱涣散: the organisation's own plan under way (to those granted on it), and plans awaiting the committee's
    acceptance or transformation decision (to its people)."""
    from dangjian.evaluation.models import WeakPlan, WeakState
    from dangjian.evaluation.weaklax_services import is_committee_side

    area = _("Weak and lax")
    items = []
    direct = list(user.grants.values_list("org_id", flat=True))
    for plan in (WeakPlan.objects.filter(decision__org_id__in=direct, state=WeakState.RECTIFYING)
                 .select_related("decision__org").order_by("deadline")[:MAX_ITEMS]):
        items.append(TodoItem(
            title=_("%(org)s: weak-and-lax rectification due %(due)s") % {"org": plan.decision.org, "due": plan.deadline},
            url=reverse("evaluation:weak_detail", args=[plan.decision_id]),
            severity="bad" if plan.deadline < today else "warn", due=f"{plan.deadline:%Y-%m-%d}", area=area))
    if has_capability(user, roles.ASSESS):
        waiting = scoped(WeakPlan.objects.filter(state__in=(WeakState.SUBMITTED, WeakState.ACCEPTED))
                         .select_related("decision__org", "decision__committee"), user, roles.ASSESS,
                         path_field="decision__committee__path")
        for plan in waiting.order_by("submitted_on")[:MAX_ITEMS]:
            if not is_committee_side(user, plan.decision):
                continue
            title = (_("%(org)s asks for acceptance of its weak-and-lax rectification")
                     if plan.state == WeakState.SUBMITTED else
                     _("%(org)s: decide whether its weak-and-lax label is lifted"))
            items.append(TodoItem(title=title % {"org": plan.decision.org},
                                  url=reverse("evaluation:weak_detail", args=[plan.decision_id]), severity="info",
                                  due=f"{plan.deadline:%Y-%m-%d}", area=area))
    return items
