"""Dues writes: bases, ledger generation, payments (single and batch), remittances.

Each is atomic and audited; rule violations raise ValidationError with a
Chinese message; what is out of the user's scope raises Http404.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dangjian.accounts import roles
from dangjian.audit.services import Action, audit_record, diff
from dangjian.core.dates import add_months, month_start
from dangjian.core.http import require_in_scope, require_superior
from dangjian.core.scoping import org_in_scope
from dangjian.core.text import month_label
from dangjian.dues import rules
from dangjian.dues.models import (
    Due,
    DuesBase,
    DuesRules,
    Payment,
    Reduction,
    Remittance,
    VoidedPayment,
    VoidedRemittance,
)
from dangjian.orgs.models import Member, Org, Status

RULE_FIELDS = tuple(rules.DEFAULTS)


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """Decimals as strings: the audit log stores JSON."""
    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in values.items()}


def dues_rules() -> DuesRules:
    obj, _created = DuesRules.objects.get_or_create(pk=1)
    return obj


@transaction.atomic
def dues_rules_update(*, by, data: dict[str, Any]) -> DuesRules:
    if not getattr(by, "is_superuser", False):
        raise Http404
    obj = DuesRules.objects.select_for_update().get(pk=dues_rules().pk)
    before = _plain({f: getattr(obj, f) for f in RULE_FIELDS})
    for key in RULE_FIELDS:
        if key in data:
            setattr(obj, key, data[key])
    errors = {}
    if not obj.employed_limit_1 < obj.employed_limit_2 < obj.employed_limit_3:
        errors["employed_limit_2"] = _("The upper limits for employed members must increase from band to band")
    if not Decimal("0") < obj.fixed_min <= obj.fixed_default <= obj.fixed_max:
        errors["fixed_default"] = _("Fixed amounts must satisfy 0 < minimum ≤ default ≤ maximum")
    if obj.special_amount <= 0:
        errors["special_amount"] = _("The amount must be more than zero")
    if not 0 < obj.warn_months < obj.alarm_months:
        errors["alarm_months"] = _("The months before a serious warning must be more than before a warning")
    if errors:
        raise ValidationError(errors)
    obj.save()
    audit_record(actor=by, action=Action.UPDATE, target=obj, target_repr=_("Dues rules"),
                 changes=diff(before, _plain({f: getattr(obj, f) for f in RULE_FIELDS})))
    return obj


@transaction.atomic
def dues_base_set(
    *, by, member: Member, monthly_base: Decimal | None, fixed_amount: Decimal | None = None
) -> DuesBase:
    require_in_scope(by, roles.EDIT_WORK, member.org)
    config = dues_rules()
    errors = {}
    if monthly_base is not None and monthly_base < 0:
        errors["monthly_base"] = _("The monthly salary base cannot be negative")
    # 第六条: only rural members have an amount of their own (0.20–1.00); the special groups pay 0.20;
    # anyone paying less needs a reduction approved by the superior (第七条), not a typed amount.
    if fixed_amount is not None and member.employment != rules.FARMER:
        errors["fixed_amount"] = _(
            "Only rural members without a fixed salary have an amount of their own; to pay less or nothing, "
            "the branch proposes a reduction for the superior committee to approve")
    elif fixed_amount is not None and not config.fixed_min <= fixed_amount <= config.fixed_max:
        errors["fixed_amount"] = _("Fixed dues must be between %(min)s and %(max)s yuan") % {
            "min": config.fixed_min, "max": config.fixed_max}
    if member.employment not in rules.FIXED_FAMILIES and monthly_base is None:
        errors["monthly_base"] = _(
            "Employed, annual-salary, self-employed and retired members need a monthly base: the after-tax "
            "salary, this month's pay, or last quarter's average monthly net income")
    if errors:
        raise ValidationError(errors)
    base, _created = DuesBase.objects.select_for_update().get_or_create(member=member)
    before = _plain({"monthly_base": base.monthly_base, "fixed_amount": base.fixed_amount})
    base.monthly_base, base.fixed_amount = monthly_base, fixed_amount
    base.save()
    audit_record(
        actor=by, action=Action.UPDATE, target=base, org=member.org, target_repr=_("%(name)s dues base") % {"name": member.name},
        changes=diff(before, _plain({"monthly_base": monthly_base, "fixed_amount": fixed_amount}), sensitive=("monthly_base",)),
    )
    return base


@dataclass
class GenerateResult:
    created: int = 0
    existing: int = 0
    exempt: int = 0  # members exempted for the month by an approved reduction: no row, so no arrears
    missing_base: list[Member] = field(default_factory=list)


def due_members(org: Org, month: dt.date):
    """Members owing dues for a month: on the roll, accepted (joined) by the month's end."""
    last_day = add_months(month, 1) - dt.timedelta(days=1)
    return (
        Member.objects.filter(org__path__subtree=org.path, status=Status.ACTIVE, joined_on__lte=last_day)
        .select_related("org", "dues_base").order_by("org__path", "id")
    )


@transaction.atomic
def ledger_generate(*, by, org: Org, month: dt.date, today: dt.date | None = None) -> GenerateResult:
    """One due row per member owing dues for the month; existing rows are kept as they are."""
    require_in_scope(by, roles.EDIT_WORK, org)
    today = today or timezone.localdate()
    month = month_start(month)
    if month > month_start(today):
        raise ValidationError({"month": _("Cannot generate the dues ledger for a future month (%(month)s)")
                                     % {"month": month_label(month)}})
    config = dues_rules()
    result = GenerateResult()
    members = list(due_members(org, month))
    have = set(Due.objects.filter(month=month, member__in=members).values_list("member_id", flat=True))
    reduced = approved_reductions(members=members, month=month)
    new = []
    for member in members:
        if member.pk in have:
            result.existing += 1
            continue
        base = getattr(member, "dues_base", None)
        if reduced.get(member.pk) == 0:
            result.exempt += 1
            continue
        try:
            assessed = rules.assess(
                config, employment=member.employment,
                base=base.monthly_base if base else None, fixed=base.fixed_amount if base else None,
                reduced=reduced.get(member.pk),
            )
        except rules.MissingBase:
            result.missing_base.append(member)
            continue
        new.append(Due(member=member, org=member.org, month=month, employment=member.employment,
                       base=assessed.base, rate=assessed.rate, amount=assessed.amount))
    Due.objects.bulk_create(new, batch_size=1000)
    result.created = len(new)
    audit_record(
        actor=by, action=Action.CREATE, target=org, org=org,
        target_repr=_("%(org)s dues ledger %(month)s") % {"org": org.name, "month": month_label(month)},
        changes={"month": month.isoformat(), "created": result.created, "missing_base": len(result.missing_base)},
    )
    return result


def approved_reductions(*, members, month: dt.date) -> dict[int, Decimal]:
    """{member id: amount} of the approved reductions covering the month."""
    rows = Reduction.objects.filter(member__in=members, state=Reduction.State.APPROVED,
                                    first_month__lte=month, last_month__gte=month).order_by("id")
    return {r.member_id: r.amount for r in rows}


@transaction.atomic
def reduction_propose(
    *, by, member: Member, amount: Decimal, first_month: dt.date, last_month: dt.date, reason: str,
    on: dt.date | None = None, today: dt.date | None = None,
) -> Reduction:
    """The branch's proposal to let a member in difficulty pay less or nothing (2008 党费规定 一、第七条)."""
    require_in_scope(by, roles.EDIT_WORK, member.org)
    today = today or timezone.localdate()
    on = on or today
    first_month, last_month = month_start(first_month), month_start(last_month)
    errors = {}
    if member.status != Status.ACTIVE:
        errors["__all__"] = _("Only a member on the roll pays dues")
    if amount is None or amount < 0:
        errors["amount"] = _("Enter the reduced monthly amount: 0 exempts the member")
    else:
        usual = _usual_amount(member, first_month)
        if usual is not None and amount >= usual:
            errors["amount"] = _("A reduction asks for less than the member's usual %(amount)s yuan a month") % {
                "amount": usual}
    if last_month < first_month:
        errors["last_month"] = _("The last month cannot be before the first")
    if on > today:
        errors["on"] = _("The date cannot be in the future.")
    if not (reason or "").strip():
        errors["reason"] = _("Give the difficulty that makes the member unable to pay")
    overlapping = Reduction.objects.filter(member=member, first_month__lte=last_month, last_month__gte=first_month,
                                           state__in=[Reduction.State.PROPOSED, Reduction.State.APPROVED])
    if not errors and overlapping.exists():
        errors["first_month"] = _("A reduction for these months is already proposed or approved")
    if errors:
        raise ValidationError(errors)
    reduction = Reduction.objects.create(member=member, amount=amount, first_month=first_month,
                                         last_month=last_month, reason=reason.strip(), proposed_on=on,
                                         proposed_by=by if getattr(by, "pk", None) else None)
    audit_record(actor=by, action=Action.CREATE, target=reduction, org=member.org,
                 target_repr=_("%(name)s dues reduction") % {"name": member.name},
                 changes=_plain({"amount": amount, "first_month": first_month.isoformat(),
                                 "last_month": last_month.isoformat(), "reason": reason.strip()}))
    return reduction


def _usual_amount(member: Member, month: dt.date) -> Decimal | None:
    base = DuesBase.objects.filter(member=member).first()
    try:
        return rules.assess(dues_rules(), employment=member.employment,
                            base=base.monthly_base if base else None, fixed=base.fixed_amount if base else None).amount
    except rules.MissingBase:
        return None


@transaction.atomic
def reduction_decide(*, by, reduction: Reduction, approve: bool, on: dt.date | None = None,
                     today: dt.date | None = None) -> Reduction:
    """The superior committee approves or refuses (2008 党费规定 一、第七条).

    An approval also rewrites what the ledger already asks for in the months it
    covers: an unpaid due takes the reduced amount, or, for an exemption, is
    taken off the ledger (no arrears for a month the member owes nothing). Paid
    months stay as paid; a due with a voided payment on record keeps its row
    (its history) and takes the amount, 0 included, shown as exempt.
    """
    reduction = Reduction.objects.select_for_update(of=("self",)).select_related("member__org").get(pk=reduction.pk)
    member = reduction.member
    require_superior(by, member.org, view=roles.VIEW_WORK, assess=roles.ASSESS)
    today = today or timezone.localdate()
    on = on or today
    errors = {}
    if reduction.state != Reduction.State.PROPOSED:
        errors["__all__"] = _("This proposal has been decided already")
    elif on < reduction.proposed_on:
        errors["on"] = _("The superior cannot decide before the branch proposed (%(date)s)") % {
            "date": f"{reduction.proposed_on:%Y-%m-%d}"}
    elif on > today:
        errors["on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    old = reduction.state
    reduction.state = Reduction.State.APPROVED if approve else Reduction.State.REFUSED
    reduction.decided_on, reduction.decided_by = on, by if getattr(by, "pk", None) else None
    reduction.save(update_fields=["state", "decided_on", "decided_by"])
    rewritten = _apply_reduction(reduction) if approve else {}
    audit_record(actor=by, action=Action.TRANSITION, target=reduction, org=member.org,
                 target_repr=_("%(name)s dues reduction") % {"name": member.name},
                 changes={"state": [old, reduction.state], "decided_on": on.isoformat(), **rewritten})
    return reduction


def _apply_reduction(reduction: Reduction) -> dict[str, Any]:
    """The unpaid dues of the covered months follow the approved amount; returns what changed, for the audit."""
    unpaid = Due.objects.select_for_update(of=("self",)).filter(
        member=reduction.member, payment__isnull=True,
        month__gte=reduction.first_month, month__lte=reduction.last_month)
    changed = {f"{d.month:%Y-%m}": [str(d.amount), str(reduction.amount)] for d in unpaid
               if d.amount != reduction.amount}
    if reduction.amount == 0:
        removed = unpaid.filter(voided_payments__isnull=True)
        removed.delete()
    unpaid.update(amount=reduction.amount, base=None, rate=None)
    return {"dues_rewritten": changed} if changed else {}


def payment_errors(
    *, by, due: Due, amount: Decimal | None, paid_on: dt.date | None, payer: Member | None,
    note: str, today: dt.date,
) -> dict[str, str]:
    """{field: message} for one payment; empty when it may be recorded."""
    errors: dict[str, str] = {}
    existing = Payment.objects.filter(due=due).first()
    if existing is not None:
        errors["due"] = _("%(name)s's dues for %(month)s were paid on %(paid_on)s and cannot be paid twice") % {
            "name": due.member.name, "month": month_label(due.month), "paid_on": f"{existing.paid_on:%Y-%m-%d}"}
    if amount is None:
        errors["amount"] = _("Enter the amount paid")
    elif amount <= 0:
        errors["amount"] = _("The amount paid must be more than zero")
    elif amount.as_tuple().exponent < -2:
        errors["amount"] = _("Amounts have at most two decimal places (fen)")
    elif amount != due.amount and not note.strip():
        errors["note"] = _("The amount paid (%(paid)s yuan) differs from the amount due (%(due)s yuan): "
                             "give the reason in the note") % {"paid": amount, "due": due.amount}
    if paid_on is None:
        errors["paid_on"] = _("Enter the payment date")
    elif paid_on > today:
        errors["paid_on"] = _("The payment date cannot be later than today")
    if payer is not None and payer.pk != due.member_id and not org_in_scope(by, roles.VIEW_WORK, payer.org):
        errors["payer"] = _("Paying member not found")
    return errors


def _save_payment(*, by, due: Due, amount: Decimal, paid_on: dt.date, payer: Member | None, note: str) -> Payment:
    payment = Payment.objects.create(
        due=due, amount=amount, paid_on=paid_on, note=note.strip(), recorded_by=by,
        payer=payer if payer is not None and payer.pk != due.member_id else None,
    )
    audit_record(
        actor=by, action=Action.CREATE, target=payment, org=due.org,
        target_repr=_("%(name)s dues %(month)s") % {"name": due.member.name, "month": month_label(due.month)},
        changes={"amount": [None, str(amount)], "paid_on": [None, paid_on.isoformat()],
                 "payer": [None, payment.payer_id], "note": [None, payment.note]},
    )
    return payment


@transaction.atomic
def payment_record(
    *, by, due: Due, amount: Decimal | None, paid_on: dt.date | None, payer: Member | None = None,
    note: str = "", today: dt.date | None = None,
) -> Payment:
    require_in_scope(by, roles.EDIT_WORK, due.org)
    due = Due.objects.select_for_update().select_related("member", "org").get(pk=due.pk)
    errors = payment_errors(by=by, due=due, amount=amount, paid_on=paid_on, payer=payer, note=note,
                            today=today or timezone.localdate())
    if errors:
        raise ValidationError(errors)
    return _save_payment(by=by, due=due, amount=amount, paid_on=paid_on, payer=payer, note=note)


class BatchError(ValidationError):
    """All rows refused; row_errors = {row index: {field: message}}."""

    def __init__(self, row_errors: dict[int, dict[str, str]]):
        self.row_errors = row_errors
        first = next(iter(row_errors.items()))
        n = len(row_errors)
        super().__init__({"__all__": [
            ngettext("Row %(row)s: %(message)s (%(n)d row has errors; no payment was recorded)",
                     "Row %(row)s: %(message)s (%(n)d rows have errors; no payment was recorded)", n)
            % {"row": first[0], "message": next(iter(first[1].values())), "n": n}]})


@transaction.atomic
def payments_record_batch(*, by, rows: list[dict[str, Any]], today: dt.date | None = None) -> list[Payment]:
    """All or nothing. rows: {"row": label, "due", "amount", "paid_on", "payer", "note"}."""
    today = today or timezone.localdate()
    if not rows:
        raise ValidationError({"__all__": [_("No dues were chosen to record")]})
    ids = [r["due"].pk for r in rows]
    locked = {d.pk: d for d in Due.objects.select_for_update().select_related("member", "org").filter(pk__in=ids)}
    row_errors: dict[int, dict[str, str]] = {}
    seen: set[int] = set()
    for index, row in enumerate(rows, start=1):
        label = row.get("row", index)
        due = locked[row["due"].pk]
        require_in_scope(by, roles.EDIT_WORK, due.org)
        errors = payment_errors(by=by, due=due, amount=row.get("amount"), paid_on=row.get("paid_on"),
                                payer=row.get("payer"), note=row.get("note", ""), today=today)
        if due.pk in seen:
            errors["due"] = _("%(name)s's dues for %(month)s appear twice in this batch") % {
                "name": due.member.name, "month": month_label(due.month)}
        seen.add(due.pk)
        if errors:
            row_errors[label] = errors
    if row_errors:
        raise BatchError(row_errors)
    return [
        _save_payment(by=by, due=locked[r["due"].pk], amount=r["amount"], paid_on=r["paid_on"],
                      payer=r.get("payer"), note=r.get("note", ""))
        for r in rows
    ]


def collected_for(org: Org, month: dt.date) -> Decimal:
    total = Payment.objects.filter(due__org__path__subtree=org.path, due__month=month).aggregate(s=Sum("amount"))["s"]
    return total or Decimal("0")


@transaction.atomic
def remittance_record(
    *, by, org: Org, month: dt.date, amount: Decimal | None, remitted_on: dt.date | None, note: str = "",
    today: dt.date | None = None,
) -> Remittance:
    """Dues of one month handed upward by an organisation (once per month)."""
    require_in_scope(by, roles.EDIT_WORK, org)
    today = today or timezone.localdate()
    month = month_start(month)
    errors = {}
    if Remittance.objects.filter(org=org, month=month).exists():
        errors["month"] = _("%(org)s's dues for %(month)s are already remitted and cannot be recorded twice") % {
            "org": org.name, "month": month_label(month)}
    if amount is None or amount <= 0:
        errors["amount"] = _("The amount remitted must be more than zero")
    elif amount > collected_for(org, month):
        errors["amount"] = _("The amount remitted exceeds the dues collected that month (%(collected)s yuan)") % {
            "collected": collected_for(org, month)}
    if remitted_on is None:
        errors["remitted_on"] = _("Enter the remittance date")
    elif remitted_on > today:
        errors["remitted_on"] = _("The remittance date cannot be later than today")
    if errors:
        raise ValidationError(errors)
    remittance = Remittance.objects.create(org=org, month=month, amount=amount, remitted_on=remitted_on,
                                           note=note.strip(), recorded_by=by)
    audit_record(actor=by, action=Action.CREATE, target=remittance, org=org,
                 target_repr=_("%(org)s dues remittance %(month)s") % {"org": org.name, "month": month_label(month)},
                 changes={"amount": [None, str(amount)], "remitted_on": [None, remitted_on.isoformat()]})
    return remittance


# Corrections: a mistaken payment or remittance is voided (moved to the void
# archive with a reason), never edited in place or deleted without a trace.

def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the correction or voiding")})
    return reason[:200]


def _payment_values(p) -> dict[str, Any]:
    return {"amount": str(p.amount), "paid_on": p.paid_on.isoformat(), "payer": p.payer_id, "note": p.note}


def _void_payment_row(*, by, payment: Payment, reason: str, replaced_by: int | None = None) -> VoidedPayment:
    voided = VoidedPayment.objects.create(
        original_id=payment.pk, due=payment.due, amount=payment.amount, paid_on=payment.paid_on,
        payer=payment.payer, note=payment.note, recorded_by=payment.recorded_by, recorded_at=payment.recorded_at,
        voided_by=by if getattr(by, "pk", None) else None, reason=reason, replaced_by=replaced_by,
    )
    payment.delete()
    return voided


@transaction.atomic
def payment_void(*, by, payment: Payment, reason: str) -> VoidedPayment:
    """Take a payment back: the due is unpaid again; the payment is kept, voided, with the reason."""
    require_in_scope(by, roles.EDIT_WORK, payment.due.org)
    reason = _reason(reason)
    payment = Payment.objects.select_for_update().select_related("due__member", "due__org").get(pk=payment.pk)
    due = payment.due
    voided = _void_payment_row(by=by, payment=payment, reason=reason)
    audit_record(
        actor=by, action=Action.DELETE, target=due, org=due.org,
        target_repr=_("%(name)s dues payment %(month)s voided") % {"name": due.member.name,
                                                                       "month": month_label(due.month)},
        changes={**diff(_payment_values(voided), None), "voided": [None, voided.pk], "reason": [None, reason]},
    )
    return voided


@transaction.atomic
def payment_correct(
    *, by, payment: Payment, amount: Decimal | None, paid_on: dt.date | None, payer: Member | None = None,
    note: str = "", reason: str, today: dt.date | None = None,
) -> Payment:
    """Correct amount, date or payer in one step: the old payment is voided, the new one recorded."""
    require_in_scope(by, roles.EDIT_WORK, payment.due.org)
    reason = _reason(reason)
    payment = Payment.objects.select_for_update().select_related("due__member", "due__org").get(pk=payment.pk)
    due = payment.due
    before = _payment_values(payment)
    after_payer = payer.pk if payer is not None and payer.pk != due.member_id else None
    if (amount, paid_on, after_payer, note.strip()) == (payment.amount, payment.paid_on, payment.payer_id,
                                                        payment.note):
        raise ValidationError({"__all__": _("Nothing changed: there is nothing to correct")})
    old_id = payment.pk
    voided = _void_payment_row(by=by, payment=payment, reason=reason)
    errors = payment_errors(by=by, due=due, amount=amount, paid_on=paid_on, payer=payer, note=note,
                            today=today or timezone.localdate())
    if errors:
        raise ValidationError(errors)
    new = Payment.objects.create(due=due, amount=amount, paid_on=paid_on, note=note.strip(), recorded_by=by,
                                 payer=payer if after_payer else None)
    VoidedPayment.objects.filter(pk=voided.pk).update(replaced_by=new.pk)
    audit_record(
        actor=by, action=Action.UPDATE, target=new, org=due.org,
        target_repr=_("%(name)s dues payment %(month)s corrected") % {"name": due.member.name,
                                                                         "month": month_label(due.month)},
        changes={**diff(before, _payment_values(new)), "replaces": [old_id, new.pk], "reason": [None, reason]},
    )
    return new


@transaction.atomic
def remittance_void(*, by, remittance: Remittance, reason: str) -> VoidedRemittance:
    """Take a remittance back; the month may then be remitted again."""
    require_in_scope(by, roles.EDIT_WORK, remittance.org)
    reason = _reason(reason)
    r = Remittance.objects.select_for_update().select_related("org").get(pk=remittance.pk)
    voided = VoidedRemittance.objects.create(
        original_id=r.pk, org=r.org, month=r.month, amount=r.amount, remitted_on=r.remitted_on, note=r.note,
        recorded_by=r.recorded_by, recorded_at=r.recorded_at, voided_by=by if getattr(by, "pk", None) else None,
        reason=reason,
    )
    r.delete()
    audit_record(
        actor=by, action=Action.DELETE, target=r.org, org=r.org,
        target_repr=_("%(org)s dues remittance %(month)s voided") % {"org": r.org.name, "month": month_label(r.month)},
        changes={"amount": [str(voided.amount), None], "remitted_on": [voided.remitted_on.isoformat(), None],
                 "voided": [None, voided.pk], "reason": [None, reason]},
    )
    return voided
