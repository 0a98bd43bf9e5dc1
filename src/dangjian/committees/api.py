"""JSON API for committees and terms (read and write)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from ninja import Router, Schema
from ninja.responses import Status as Created
from pydantic import ConfigDict

from dangjian.accounts import roles
from dangjian.api.params import Limit, Offset
from dangjian.committees import services
from dangjian.committees.models import Seat, Term
from dangjian.committees.selectors import org_terms_for, seats_of, terms_for
from dangjian.core.scoping import get_scoped_or_404
from dangjian.orgs.models import Member, Org

router = Router(tags=[pgettext_lazy("api tag", "Committees")])


class SeatIn(Schema):
    member_id: int
    position: str
    duty: str = ""
    votes: int | None = None


class SeatOut(Schema):
    member_id: int
    member_name: str
    position: str
    duty: str
    votes: int | None

    @staticmethod
    def resolve_member_name(obj):
        return obj.member.name


class TermIn(Schema):
    org_id: int
    start: dt.date
    end: dt.date | None = None
    elected_on: dt.date
    method: str
    eligible_voters: int
    voters_present: int
    candidates: int | None = None
    approved_on: dt.date | None = None
    approval_document: str = ""
    notes: str = ""
    seats: list[SeatIn]


class TermOut(Schema):
    id: int
    org_id: int
    start: dt.date
    end: dt.date
    elected_on: dt.date
    method: str
    eligible_voters: int
    voters_present: int
    candidates: int | None
    approved_on: dt.date | None
    approval_document: str
    seats: list[SeatOut]

    @staticmethod
    def resolve_seats(obj):
        # A list prefetches the seats (seats_of's order); one term reads them here.
        if "seats" in getattr(obj, "_prefetched_objects_cache", {}):
            return list(obj.seats.all())
        return list(seats_of(obj))


class OrgTermOut(Schema):
    org_id: int
    org_name: str
    kind: str
    roll_size: int
    full_members: int
    term_id: int | None
    term_start: dt.date | None
    term_end: dt.date | None
    state: str
    flag: str


@router.get("/orgs", response=list[OrgTermOut])
def list_org_terms(request, state: str | None = None):
    rows = org_terms_for(request.user)
    return [
        {"org_id": r.org.pk, "org_name": r.org.name, "kind": r.org.kind, "roll_size": r.roll_size,
         "full_members": r.full_members, "term_id": r.term.pk if r.term else None, "term_start": r.term.start if r.term else None,
         "term_end": r.term.end if r.term else None, "state": r.state, "flag": r.flag}
        for r in rows if state is None or r.state == state
    ]


@router.get("/terms", response=list[TermOut])
def list_terms(request, org_id: int | None = None, limit: Limit = 100, offset: Offset = 0):
    qs = terms_for(request.user)
    if org_id is not None:
        qs = qs.filter(org_id=org_id)
    seats = Prefetch("seats", queryset=Seat.objects.select_related("member").order_by("id"))
    return list(qs.order_by("org__path", "-start").prefetch_related(seats)[offset: offset + limit])


@router.get("/terms/{int:term_id}", response=TermOut)
def get_term(request, term_id: int):
    return get_scoped_or_404(Term.objects.all(), request.user, roles.VIEW_WORK, pk=term_id)


def _seats(payload_seats: list[SeatIn]) -> list[dict]:
    """Seats with their members; an unknown member is refused like one off the roll (no existence leak)."""
    members = {m.pk: m for m in Member.objects.filter(pk__in=[s.member_id for s in payload_seats])}
    if len(members) != len({s.member_id for s in payload_seats}):
        raise ValidationError({"seats": _("Committee members must be on this organisation's roll")})
    return [{"member": members[s.member_id], "position": s.position, "duty": s.duty, "votes": s.votes}
            for s in payload_seats]


@router.post("/terms", response={201: TermOut})
def create_term(request, payload: TermIn):
    org = get_scoped_or_404(Org.objects.all(), request.user, roles.EDIT_WORK, path_field="path", pk=payload.org_id)
    data = payload.dict(exclude={"org_id", "seats"})
    return Created(201, services.term_record(by=request.user, org=org, seats=_seats(payload.seats), **data))


class TermCorrectIn(Schema):
    """Only the values sent change; `seats`, when sent, replaces the whole list."""

    model_config = ConfigDict(extra="forbid")

    reason: str
    start: dt.date | None = None
    end: dt.date | None = None
    elected_on: dt.date | None = None
    method: str | None = None
    eligible_voters: int | None = None
    voters_present: int | None = None
    candidates: int | None = None
    approved_on: dt.date | None = None
    approval_document: str | None = None
    notes: str | None = None
    seats: list[SeatIn] | None = None


class CommitteeCorrectionOut(Schema):
    before: dict
    after: dict
    reason: str
    at: dt.datetime


# Cleared by sending null; the other fields are unchanged when null.
_NULLABLE = {"approved_on"}


@router.post("/terms/{int:term_id}/correct", response=TermOut, summary=_("Correct a recorded term (dates, voters, approval, members elected)"))
def correct_term(request, term_id: int, payload: TermCorrectIn):
    term = get_scoped_or_404(Term.objects.all(), request.user, roles.EDIT_WORK, pk=term_id)
    data = {k: getattr(payload, k) for k in payload.model_fields_set - {"reason", "seats"}
            if getattr(payload, k) is not None or k in _NULLABLE}
    seats = _seats(payload.seats) if payload.seats is not None else None
    return services.term_correct(by=request.user, term=term, seats=seats, reason=payload.reason, **data)


@router.get("/terms/{int:term_id}/corrections", response=list[CommitteeCorrectionOut], summary=_("A term's corrections (earlier records)"))
def term_corrections(request, term_id: int):
    return list(get_scoped_or_404(Term.objects.all(), request.user, roles.VIEW_WORK, pk=term_id).corrections.all())
