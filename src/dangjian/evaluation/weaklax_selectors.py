"""Reads of the weak-and-lax workflow, all scoped (VIEW_WORK over the decided organisation; outsiders 404).

- `decisions_for(user, year=None, org=None, state="")`  WeakDecision queryset with plan, org, committee
- `decision_get(user, pk)`                              one decision or 404
- `candidates(user, year)`                              the automatic signals as suggestions, for the superiors
- `yearly(user, org, years=None)`                       per year: organisations, identified, transformed, shares
- `committees_for(user)`                                the committees the user may decide for (ASSESS)
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.core.scoping import get_scoped_or_404, is_superior, scoped, visible_orgs
from dangjian.evaluation import weaklax
from dangjian.evaluation.models import Alert, Grade, Period, PeriodKind, WeakDecision, WeakState
from dangjian.evaluation.rules import rule_label
from dangjian.orgs.models import BRANCH_KINDS, Org, OrgKind

CAP = roles.VIEW_WORK


def decisions_for(user, *, year: int | None = None, org: Org | None = None, state: str = "") -> QuerySet:
    qs = WeakDecision.objects.select_related("org", "committee", "plan", "plan__leader")
    if year:
        qs = qs.filter(year=year)
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    if state:
        qs = qs.filter(plan__state=state)
    return scoped(qs, user, CAP).order_by("-year", "org__path")


def decision_get(user, pk) -> WeakDecision:
    return get_scoped_or_404(WeakDecision.objects.select_related("org", "committee", "plan", "plan__leader",
                                                                  "plan__accepted_by", "plan__concluded_by"),
                             user, CAP, pk=pk)


def committees_for(user) -> QuerySet:
    """Where the user may decide: committees (not branches or groups) in their ASSESS scope."""
    return scoped(Org.objects.filter(is_active=True).exclude(kind__in=BRANCH_KINDS), user, roles.ASSESS,
                  path_field="path").order_by("path")


def period_of_year(year: int) -> Period | None:
    """The period whose signals propose the year's candidates: the year itself when computed, else its latest."""
    computed = Period.objects.exclude(computed_at=None).filter(start__year=year)
    return computed.filter(kind=PeriodKind.YEAR).first() or computed.order_by("-start").first()


@dataclass
class Candidate:
    org: Org
    reasons: list[str] = field(default_factory=list)
    situations: list[str] = field(default_factory=list)  # WeakSituation codes suggested

    @property
    def situation_labels(self) -> list[str]:
        return weaklax.situation_labels(self.situations)


def candidates(user, year: int, *, limit: int = 200) -> tuple[Period | None, list[Candidate]]:
    """Organisations the automatic signals propose, for a superior (ASSESS over the parent) to consider.

    Signals: the period's grade candidates (index, serious warnings, lowest grade twice), each serious warning
    (mapped to situations by `weaklax.SUGGESTS`), and a branch or committee without a secretary. None decides.
    """
    period = period_of_year(year)
    found: dict[int, Candidate] = {}
    decided = set(WeakDecision.objects.filter(year=year).values_list("org_id", flat=True))

    def add(org, reason, codes=()):
        if org.pk in decided or org.kind == OrgKind.GROUP or not is_superior(user, org, roles.ASSESS):
            return
        c = found.setdefault(org.pk, Candidate(org))
        c.reasons.append(reason)
        c.situations.extend(s for s in codes if s not in c.situations)

    if period is not None:
        for g in scoped(Grade.objects.filter(period=period).exclude(weak_candidate=[]).select_related("org"), user, CAP):
            for r in g.weak_candidate:
                add(g.org, r)
        alerts = scoped(Alert.objects.filter(period=period, severity="bad", cleared=False).select_related("org"), user, CAP)
        for a in alerts.order_by("org__path", "rule"):
            add(a.org, _("%(rule)s: %(detail)s") % {"rule": rule_label(a.rule), "detail": a.detail},
                weaklax.SUGGESTS.get(a.rule, ()))
    vacant = visible_orgs(user, CAP).filter(is_active=True, secretary=None).exclude(kind=OrgKind.GROUP)
    for org in vacant.order_by("path")[:limit]:
        add(org, _("no secretary on record"), ("vacant",))
    out = sorted(found.values(), key=lambda c: (-len(c.reasons), c.org.path))
    return period, out[:limit]


@dataclass
class YearRow:
    year: int
    orgs: int
    identified: int
    lifted: int
    open: int

    @property
    def identified_share(self) -> float | None:
        return self.identified / self.orgs if self.orgs else None

    @property
    def lifted_share(self) -> float | None:
        return self.lifted / self.identified if self.identified else None


def yearly(user, org: Org, years: list[int] | None = None) -> list[YearRow]:
    """Per year (newest first): organisations in the subtree (groups left out), identified, transformed (lifted)."""
    orgs = scoped(Org.objects.filter(path__startswith=org.path, depth__gt=org.depth, is_active=True)
                  .exclude(kind=OrgKind.GROUP), user, CAP, path_field="path").count()
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"identified": 0, "lifted": 0, "open": 0})
    qs = decisions_for(user, org=org).filter(~Q(org=org))
    for year, state in qs.values_list("year", "plan__state"):
        counts[year]["identified"] += 1
        counts[year]["lifted"] += state == WeakState.LIFTED
        counts[year]["open"] += state in weaklax.OPEN_STATES
    wanted = sorted(set(years or []) | set(counts), reverse=True)
    return [YearRow(y, orgs, **counts[y]) for y in wanted]


def decidable_orgs(user) -> QuerySet:
    """Organisations the user may name, as their superior: strictly below an ASSESS grant (Party groups left out)."""
    from dangjian.core.scoping import scope_paths

    qs = Org.objects.filter(is_active=True).exclude(kind=OrgKind.GROUP)
    paths = scope_paths(user, roles.ASSESS)
    if paths is None:
        return qs.filter(depth__gt=1)
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(path__startswith=p, depth__gt=len(p) // Org.steplen)
    return qs.filter(q)


def leaders_for(user, committees=None) -> QuerySet:
    """Leaders in charge (包联领导) the user may name: people holding a grant on a committee the user decides for,
    or above it."""
    from dangjian.accounts.models import User

    paths = set()
    for c in committees if committees is not None else committees_for(user):
        paths.update(c.path[:n] for n in range(Org.steplen, len(c.path) + 1, Org.steplen))
    return User.objects.filter(is_active=True, grants__org__path__in=paths).distinct().order_by("username")
