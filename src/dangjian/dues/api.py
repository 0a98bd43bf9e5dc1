"""JSON API for dues: the ledger, payments (single and batch), arrears, totals, remittances, bases."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict

from dangjian.accounts import roles
from dangjian.api.pagination import Page
from dangjian.api.params import Year
from dangjian.core.dates import parse_month
from dangjian.core.http import require_capability
from dangjian.core.scoping import get_scoped_or_404
from dangjian.dues import rules, selectors, services
from dangjian.dues.models import Due, Reduction, Remittance
from dangjian.orgs.models import Member, Org

router = Router(tags=[gettext_lazy("Dues")])
READ = {401: dict, 404: dict}
WRITE = {400: dict, 401: dict, 404: dict}


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class DueOut(Schema):
    id: int
    member_id: int
    member_name: str
    org_id: int
    month: dt.date
    employment: str
    rate: Decimal | None
    amount: Decimal
    paid: bool
    paid_amount: Decimal | None
    paid_on: dt.date | None
    payer_id: int | None
    note: str

    @staticmethod
    def from_due(d: Due) -> dict:
        p = getattr(d, "payment", None)
        return {
            "id": d.pk, "member_id": d.member_id, "member_name": d.member.name, "org_id": d.org_id,
            "month": d.month, "employment": d.employment, "rate": d.rate, "amount": d.amount,
            "paid": p is not None, "paid_amount": p.amount if p else None, "paid_on": p.paid_on if p else None,
            "payer_id": p.payer_id if p else None, "note": p.note if p else "",
        }


class PaymentIn(Strict):
    due: int
    amount: Decimal
    paid_on: dt.date
    payer: int | None = None
    note: str = ""


class BatchIn(Strict):
    rows: list[PaymentIn]


class GenerateIn(Strict):
    org: int
    month: str  # "2025-03"


class RemittanceIn(Strict):
    org: int
    month: str
    amount: Decimal
    remitted_on: dt.date
    note: str = ""


class BaseIn(Strict):
    monthly_base: Decimal | None = None
    fixed_amount: Decimal | None = None


def _org(request, pk: int | None, capability=roles.VIEW_WORK) -> Org | None:
    if pk is None:
        return None
    return get_scoped_or_404(Org.objects.all(), request.user, capability, path_field="path", pk=pk)


def _month(value: str):
    month = parse_month(value)
    if month is None:
        raise ValidationError({"month": _("Month must look like YYYY-MM")})
    return month


def _payer(request, pk: int | None) -> Member | None:
    if pk is None:
        return None
    return get_scoped_or_404(Member.objects.select_related("org"), request.user, roles.VIEW_WORK, pk=pk)


@router.get("/ledger", response=list[DueOut], summary=gettext_lazy("Dues ledger"))
@paginate(Page)
def ledger(request, org: int | None = None, month: str | None = None, state: str = ""):
    require_capability(request.user, roles.VIEW_WORK)
    qs = selectors.dues_for(request.user, org=_org(request, org), month=parse_month(month), state=state)
    return [DueOut.from_due(d) for d in qs]


@router.post("/ledger/generate", response={200: dict, **WRITE}, summary=gettext_lazy("Generate the monthly dues ledger"))
def generate(request, payload: GenerateIn):
    org = _org(request, payload.org, roles.EDIT_WORK)
    result = services.ledger_generate(by=request.user, org=org, month=_month(payload.month))
    return {"created": result.created, "existing": result.existing,
            "missing_base": [m.pk for m in result.missing_base]}


def _payment_row(request, row: PaymentIn) -> dict:
    due = get_scoped_or_404(Due.objects.select_related("member", "org"), request.user, roles.EDIT_WORK, pk=row.due)
    return {"due": due, "amount": row.amount, "paid_on": row.paid_on, "payer": _payer(request, row.payer),
            "note": row.note}


@router.post("/payments", response={201: DueOut, **WRITE}, summary=gettext_lazy("Record a dues payment (may be paid by someone else)"))
def pay(request, payload: PaymentIn):
    row = _payment_row(request, payload)
    services.payment_record(by=request.user, **row)
    return Status(201, DueOut.from_due(Due.objects.select_related("member", "payment").get(pk=payload.due)))


@router.post("/payments/batch", response={201: dict, **WRITE}, summary=gettext_lazy("Record dues payments in a batch (all or nothing)"))
def pay_batch(request, payload: BatchIn):
    rows = [{**_payment_row(request, r), "row": i} for i, r in enumerate(payload.rows, start=1)]
    try:
        recorded = services.payments_record_batch(by=request.user, rows=rows)
    except services.BatchError as exc:
        return Status(400, {"detail": exc.messages[0], "errors": {str(k): v for k, v in exc.row_errors.items()}})
    return Status(201, {"recorded": len(recorded)})


class ArrearsOut(Schema):
    member_id: int
    member_name: str
    org_id: int
    months: list[dt.date]
    total: Decimal
    streak: int
    level: str


@router.get("/arrears", response=list[ArrearsOut], summary=gettext_lazy("Dues arrears (by member and month)"))
def arrears(request, org: int | None = None):
    require_capability(request.user, roles.VIEW_WORK)
    return [
        {"member_id": a.member.pk, "member_name": a.member.name, "org_id": a.member.org_id, "months": a.months,
         "total": a.total, "streak": a.streak, "level": a.level}
        for a in selectors.arrears(request.user, org=_org(request, org))
    ]


class TotalsOut(Schema):
    org_id: int
    org_name: str
    due_count: int
    paid_count: int
    due_total: Decimal
    collected: Decimal
    remitted: Decimal
    outstanding: Decimal
    unremitted: Decimal


@router.get("/summary", response=list[TotalsOut], summary=gettext_lazy("Dues collected and remitted (by organisation and year)"))
def summary(request, year: Year):
    require_capability(request.user, roles.VIEW_WORK)
    return [
        {"org_id": t.org.pk, "org_name": t.org.name, "due_count": t.due_count, "paid_count": t.paid_count,
         "due_total": t.due_total, "collected": t.collected, "remitted": t.remitted,
         "outstanding": t.outstanding, "unremitted": t.unremitted}
        for t in selectors.org_totals(request.user, first=dt.date(year, 1, 1), last=dt.date(year, 12, 1))
    ]


@router.post("/remittances", response={201: dict, **WRITE}, summary=gettext_lazy("Record a dues remittance"))
def remit(request, payload: RemittanceIn):
    org = _org(request, payload.org, roles.EDIT_WORK)
    r = services.remittance_record(by=request.user, org=org, month=_month(payload.month), amount=payload.amount,
                                   remitted_on=payload.remitted_on, note=payload.note)
    return Status(201, {"id": r.pk, "org_id": r.org_id, "month": r.month, "amount": r.amount})


@router.put("/bases/{int:member_id}", response={200: dict, **WRITE}, summary=gettext_lazy("Set a member's dues base"))
def set_base(request, member_id: int, payload: BaseIn):
    member = get_scoped_or_404(Member.objects.select_related("org"), request.user, roles.EDIT_WORK, pk=member_id)
    base = services.dues_base_set(by=request.user, member=member, monthly_base=payload.monthly_base,
                                  fixed_amount=payload.fixed_amount)
    config = services.dues_rules()
    try:
        assessed = rules.assess(config, employment=member.employment, base=base.monthly_base, fixed=base.fixed_amount)
    except rules.MissingBase:
        assessed = None
    return {"member_id": member.pk, "rate": assessed.rate if assessed else None,
            "amount": assessed.amount if assessed else None}


class VoidIn(Strict):
    reason: str


class PaymentCorrectIn(Strict):
    amount: Decimal
    paid_on: dt.date
    payer: int | None = None
    note: str = ""
    reason: str


class VoidedOut(Schema):
    id: int
    original_id: int
    amount: Decimal
    paid_on: dt.date
    reason: str
    replaced_by: int | None
    voided_at: dt.datetime


def _payment(request, due_id: int):
    due = get_scoped_or_404(Due.objects.select_related("member", "org"), request.user, roles.EDIT_WORK, pk=due_id)
    payment = getattr(due, "payment", None)
    if payment is None:
        raise ValidationError({"due": _("The dues for this month are not paid: there is no payment to void or correct")})
    return payment


@router.get("/dues/{int:due_id}/voided", response={200: list[VoidedOut], **READ}, summary=gettext_lazy("Voided payments of one month's dues"))
def voided_payments(request, due_id: int):
    due = get_scoped_or_404(Due.objects.all(), request.user, roles.VIEW_WORK, pk=due_id)
    return list(due.voided_payments.all())


@router.post("/dues/{int:due_id}/payment/void", response={200: DueOut, **WRITE}, summary=gettext_lazy("Void a payment (with a reason)"))
def void_payment(request, due_id: int, payload: VoidIn):
    services.payment_void(by=request.user, payment=_payment(request, due_id), reason=payload.reason)
    return DueOut.from_due(Due.objects.select_related("member", "payment").get(pk=due_id))


@router.post("/dues/{int:due_id}/payment/correct", response={200: DueOut, **WRITE},
             summary=gettext_lazy("Correct a payment's amount, date or payer (the original is kept, voided)"))
def correct_payment(request, due_id: int, payload: PaymentCorrectIn):
    services.payment_correct(by=request.user, payment=_payment(request, due_id), amount=payload.amount,
                             paid_on=payload.paid_on, payer=_payer(request, payload.payer), note=payload.note,
                             reason=payload.reason)
    return DueOut.from_due(Due.objects.select_related("member", "payment").get(pk=due_id))


@router.post("/remittances/{int:remittance_id}/void", response={200: dict, **WRITE}, summary=gettext_lazy("Void a dues remittance"))
def void_remittance(request, remittance_id: int, payload: VoidIn):
    r = get_scoped_or_404(Remittance.objects.select_related("org"), request.user, roles.EDIT_WORK, pk=remittance_id)
    voided = services.remittance_void(by=request.user, remittance=r, reason=payload.reason)
    return {"voided": voided.pk, "org_id": voided.org_id, "month": voided.month}


# 少交/免交 (2008 党费规定 一、第七条): the branch proposes, the superior committee decides.

class ReductionOut(Schema):
    id: int
    member_id: int
    member_name: str
    org_id: int
    amount: Decimal
    first_month: dt.date
    last_month: dt.date
    reason: str
    proposed_on: dt.date
    state: str
    decided_on: dt.date | None

    @staticmethod
    def from_reduction(r: Reduction) -> dict:
        return {"id": r.pk, "member_id": r.member_id, "member_name": r.member.name, "org_id": r.member.org_id,
                "amount": r.amount, "first_month": r.first_month, "last_month": r.last_month, "reason": r.reason,
                "proposed_on": r.proposed_on, "state": r.state, "decided_on": r.decided_on}


class ReductionIn(Strict):
    member: int
    amount: Decimal
    first_month: str  # "2026-03"
    last_month: str
    reason: str
    on: dt.date | None = None


class ReductionDecideIn(Strict):
    approve: bool
    on: dt.date | None = None


@router.get("/reductions", response=list[ReductionOut], summary=gettext_lazy("Reduced and exempted dues"))
@paginate(Page)
def reductions(request, org: int | None = None, state: str = ""):
    require_capability(request.user, roles.VIEW_WORK)
    return [ReductionOut.from_reduction(r)
            for r in selectors.reductions_for(request.user, org=_org(request, org), state=state)]


@router.post("/reductions", response={201: ReductionOut, **WRITE},
             summary=gettext_lazy("Propose reduced or no dues for a member (the branch)"))
def reduction_propose(request, payload: ReductionIn):
    member = get_scoped_or_404(Member.objects.select_related("org"), request.user, roles.EDIT_WORK, pk=payload.member)
    r = services.reduction_propose(by=request.user, member=member, amount=payload.amount,
                                   first_month=_month(payload.first_month), last_month=_month(payload.last_month),
                                   reason=payload.reason, on=payload.on)
    return Status(201, ReductionOut.from_reduction(r))


@router.post("/reductions/{int:reduction_id}/decide", response={200: ReductionOut, **WRITE},
             summary=gettext_lazy("Approve or refuse a reduction (the superior committee)"))
def reduction_decide(request, reduction_id: int, payload: ReductionDecideIn):
    r = get_scoped_or_404(Reduction.objects.select_related("member__org"), request.user, roles.VIEW_WORK,
                          path_field="member__org__path", pk=reduction_id)
    r = services.reduction_decide(by=request.user, reduction=r, approve=payload.approve, on=payload.on)
    return ReductionOut.from_reduction(r)
