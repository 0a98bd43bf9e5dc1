"""Reads of the case library, study and reflections, all through the scoping selector."""

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum

from dangjian.accounts import roles
from dangjian.core.scoping import scope_q
from dangjian.learning import search as fts
from dangjian.learning.models import Case, Material, Reflection, StudyPlan, StudyRecord
from dangjian.orgs.models import Org


def cases_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[Case]:
    return Case.objects.filter(scope_q(user, capability)).select_related("org", "recommended_org")


def case_search(user, query: str = "", *, tag: str = "", recommended: bool = False) -> QuerySet[Case]:
    qs = cases_for(user)
    if tag:
        qs = qs.filter(Q(tags=tag) | Q(tags__startswith=tag + " ") | Q(tags__endswith=" " + tag) | Q(tags__contains=f" {tag} "))
    if recommended:
        qs = qs.filter(recommended_at__isnull=False)
    if query.strip():
        return fts.search(qs, query)
    return qs.order_by("-recommended_at", "-id") if recommended else qs


def plans_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[StudyPlan]:
    return StudyPlan.objects.filter(scope_q(user, capability)).select_related("org")


def _own_or_above(user) -> Q:
    """Plans and materials of the user's own branch and every org above it."""
    member = getattr(user, "member", None)
    if member is None:
        return Q(pk__in=[])
    path = member.org.path
    return Q(org__path__in=[path[:i] for i in range(Org.steplen, len(path) + 1, Org.steplen)])


def materials_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[Material]:
    return Material.objects.filter(scope_q(user, capability) | _own_or_above(user)).select_related("org", "plan")


def records_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[StudyRecord]:
    own = Q(member=user.member) if getattr(user, "member", None) else Q(pk__in=[])
    return StudyRecord.objects.filter(scope_q(user, capability) | own).select_related("member", "org", "material")


def reflections_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[Reflection]:
    own = Q(member=user.member) if getattr(user, "member", None) else Q(pk__in=[])
    return Reflection.objects.filter(scope_q(user, capability) | own).select_related("member", "org", "material")


def study_summary(user, *, start, end) -> dict:
    """Totals per member in scope. Ordered by name: no ranking unless the installation enables it."""
    rows = (
        records_for(user).filter(studied_on__gte=start, studied_on__lte=end)
        .values("member_id", "member__name", "org__name")
        .annotate(minutes=Sum("minutes"), sessions=Count("id"),
                  online=Count("id", filter=Q(mode=StudyRecord.Mode.ONLINE)))
    )
    ranked = bool(settings.DANGJIAN.get("RANKINGS_ENABLED"))
    rows = rows.order_by("-minutes", "member__name") if ranked else rows.order_by("org__name", "member__name")
    return {"rows": list(rows), "ranked": ranked}


# ------------------------------------------------------------------ sources for weak orgs

HIGH = {"5", "4", "先进", "好", "优秀", "high", "a"}
LOW = {"1", "2", "后进", "差", "较差", "low", "d"}


def _level(grade) -> str:
    """'high', 'low' or '' for a grade given as stars (1..5), a label or a letter."""
    g = str(grade).strip().lower()
    if g in HIGH:
        return "high"
    if g in LOW:
        return "low"
    return ""


def suggested_sources(grades: dict[int, dict[str, object]]) -> dict[int, dict[str, dict]]:
    """For each org graded low in a dimension: the orgs graded high in it, and their cases.

    `grades` is {org_id: {dimension: grade}} from the grading engine (built
    elsewhere). Answer: {low_org_id: {dimension: {"orgs": [ids], "cases": [ids]}}},
    cases of that dimension from the high orgs, recommended ones first.
    """
    high: dict[str, list[int]] = {}
    for org_id, dims in grades.items():
        for dim, grade in dims.items():
            if _level(grade) == "high":
                high.setdefault(dim, []).append(org_id)
    out: dict[int, dict[str, dict]] = {}
    for org_id, dims in grades.items():
        for dim, grade in dims.items():
            sources = [o for o in high.get(dim, []) if o != org_id]
            if _level(grade) != "low" or not sources:
                continue
            cases = list(
                Case.objects.filter(org_id__in=sources, dimension=dim, kind=Case.Kind.PRACTICE)
                .order_by("-recommended_at", "-id").values_list("pk", flat=True)[:10]
            )
            out.setdefault(org_id, {})[dim] = {"orgs": sorted(sources), "cases": cases}
    return out
