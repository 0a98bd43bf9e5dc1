"""Reads: each org's current term and what it is flagged for."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dangjian.accounts import roles
from dangjian.committees import rules
from dangjian.committees.models import (
    CommitteeRule,
    Duty,
    ElectionMethod,
    Position,
    Seat,
    Term,
    TermCorrection,
    TermRule,
)
from dangjian.core.dates import add_months
from dangjian.core.scoping import scoped, visible_orgs
from dangjian.core.text import join_clauses, join_items
from dangjian.orgs.models import Category, Member, Org, OrgKind
from dangjian.orgs.selectors import roll_sizes

# Kinds that may keep a secretary only below the threshold; the others always elect a committee.
SMALL_KINDS = (OrgKind.BRANCH, OrgKind.JOINT_BRANCH)


def terms_for(user, capability: str = roles.VIEW_WORK) -> QuerySet:
    return scoped(Term.objects.select_related("org"), user, capability)


def term_state(end: dt.date, today: dt.date, rule: CommitteeRule) -> str:
    """overdue from the day after the term ends; warnings from N months before its end."""
    if today > end:
        return "overdue"
    if today >= add_months(end, -rule.second_warning_months):
        return "second"
    if today >= add_months(end, -rule.first_warning_months):
        return "first"
    return ""


def current_committee_threshold() -> int:
    return CommitteeRule.current().committee_threshold


def committee_terms(org_ids) -> dict[int, list[tuple[dt.date, list[int]]]]:
    """{org id: [(term start, ids of the members seated), ...] latest first}: who sat on each org's committee when.

    A term stays in office until the next is elected, even past its end date
    (an overdue election does not dissolve the committee), so the committee on
    a day is the latest term begun by then. Two queries for any number of orgs.
    """
    terms = list(Term.objects.filter(org_id__in=list(org_ids)).order_by("org_id", "-start", "-id")
                 .values_list("pk", "org_id", "start"))
    seats: dict[int, list[int]] = {}
    for term_id, member_id in Seat.objects.filter(term_id__in=[t for t, _o, _s in terms]).order_by("id").values_list(
            "term_id", "member_id"):
        seats.setdefault(term_id, []).append(member_id)
    out: dict[int, list[tuple[dt.date, list[int]]]] = {}
    for term_id, org_id, start in terms:
        out.setdefault(org_id, []).append((start, seats.get(term_id, [])))
    return out


def committee_flag(kind: str, full_members: int, committee_seats: int, threshold: int, *, roll: int = 0,
                   rule: CommitteeRule | None = None) -> str:
    """What a branch's size asks of it, counting full members only (支部工作条例 第四条、第八条).

    needs_committee: 7+ full members and a secretary only; secretary_only: under 7 with a
    committee; too_few_full: a branch (not a joint one) under 3 full members; too_many:
    more than about 50 members on its roll.
    """
    if kind not in SMALL_KINDS:
        return ""
    if full_members >= threshold and committee_seats == 0:
        return "needs_committee"
    if full_members < threshold and committee_seats > 0:
        return "secretary_only"
    if rule is not None:
        smallest = rule.branch_min_full if kind == OrgKind.BRANCH else 0
        return rules.branch_size_flag(full_members=full_members, roll=roll, smallest=smallest, largest=rule.branch_max)
    return ""


@dataclass
class OrgTerm:
    org: Org
    term: Term | None
    roll_size: int
    state: str  # "" | first | second | overdue | none
    flag: str = ""
    seats: list = field(default_factory=list)
    full_members: int = 0

    @property
    def severity(self) -> str:
        return {"overdue": "bad", "second": "bad", "first": "warn", "none": "warn"}.get(self.state, "ok")


def org_terms(orgs: QuerySet, today: dt.date | None = None) -> list[OrgTerm]:
    """Every org of a kind with terms, its latest term, state and flag (a fixed number of queries)."""
    today = today or timezone.localdate()
    rule = CommitteeRule.current()
    kinds = list(TermRule.objects.values_list("kind", flat=True))
    latest = Term.objects.filter(org=OuterRef("pk")).order_by("-start", "-id").values("pk")[:1]
    orgs = list(orgs.filter(kind__in=kinds, is_active=True).annotate(current_term_id=Subquery(latest)).order_by("path"))
    term_ids = [o.current_term_id for o in orgs if o.current_term_id]
    terms = {
        t.pk: t for t in Term.objects.filter(pk__in=term_ids).annotate(
            committee_seats=Count("seats", filter=~Q(seats__position=Position.SECRETARY))
        )
    }
    # Members of the listed orgs below count towards each org (rolled up by path, not pairwise).
    sizes = roll_sizes(orgs)
    full = roll_sizes(orgs, category=Category.FULL)
    out = []
    for org in orgs:
        size, n_full = sizes.get(org.pk, 0), full.get(org.pk, 0)
        term = terms.get(org.current_term_id)
        if term is None:
            out.append(OrgTerm(org, None, size, "none", full_members=n_full))
            continue
        flag = committee_flag(org.kind, n_full, term.committee_seats, rule.committee_threshold, roll=size, rule=rule)
        out.append(OrgTerm(org, term, size, term_state(term.end, today, rule), flag, full_members=n_full))
    return out


def org_terms_for(user, today: dt.date | None = None, *, capability: str = roles.VIEW_WORK, org: Org | None = None):
    orgs = visible_orgs(user, capability)
    if org is not None:
        orgs = orgs.filter(path__subtree=org.path)
    return org_terms(orgs, today)


def seats_of(term: Term) -> QuerySet:
    return Seat.objects.filter(term=term).select_related("member").order_by("id")


@dataclass(frozen=True)
class TermCorrectionRow:
    """One earlier version of a term, ready to show: (label, before, after) for what changed."""

    correction: TermCorrection
    changes: list[tuple[str, str, str]]


def _seats_text(seats: list[dict], names: dict[int, str]) -> str:
    parts = []
    for s in seats:
        details = [Position(s["position"]).label]
        if s.get("duty"):
            details.append(Duty(s["duty"]).label)
        if s.get("votes") is not None:
            details.append(_("%(n)s votes") % {"n": s["votes"]})
        parts.append(pgettext("committee seat", "%(name)s (%(details)s)") % {
            "name": names.get(s["member"], "?"), "details": join_clauses(details)})
    return join_items(parts) or "—"


def _term_value(field: str, value, names: dict[int, str]) -> str:
    if field == "seats":
        return _seats_text(value or [], names)
    if value in (None, ""):
        return "—"
    if field == "method" and value in ElectionMethod.values:
        return str(ElectionMethod(value).label)
    return str(value)


def _term_label(field: str) -> str:
    return _("Elected") if field == "seats" else str(Term._meta.get_field(field).verbose_name)


def term_correction_rows(terms) -> dict[int, list[TermCorrectionRow]]:
    """{term id: its corrections, newest first}, for the terms given (three queries in all)."""
    corrections = list(TermCorrection.objects.filter(term__in=terms).select_related("by"))
    ids = {s["member"] for c in corrections for side in (c.before, c.after) for s in side.get("seats", [])}
    names = dict(Member.objects.filter(pk__in=ids).values_list("pk", "name"))
    out: dict[int, list[TermCorrectionRow]] = {}
    for c in corrections:
        changes = [(_term_label(f), _term_value(f, old, names), _term_value(f, c.after.get(f), names))
                   for f, old in c.before.items() if old != c.after.get(f)]
        out.setdefault(c.term_id, []).append(TermCorrectionRow(c, changes))
    return out
