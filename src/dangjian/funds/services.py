"""Writes to the activity funds ledger: record a spending, correct it. Each in one transaction, audited."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.audit.services import Action, audit_record, diff
from dangjian.core.http import require_in_scope
from dangjian.funds.models import FundSource, Spending

# The amount field holds 12 digits, 2 after the point.
MAX_AMOUNT = Decimal("9999999999.99")
FIELDS = ("org", "spent_on", "amount", "purpose", "source", "meeting", "project")


def parse_amount(value) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"amount": _("The amount is a number of yuan, e.g. 1200.50.")}) from exc
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": _("The amount has at most two decimal places (fen).")})
    if amount > MAX_AMOUNT:
        raise ValidationError({"amount": _("The amount is too large.")})
    return amount


def _clean(*, org, spent_on: dt.date, amount, purpose: str, source: str, meeting=None, project=None) -> dict:
    errors = {}
    try:
        amount = parse_amount(amount)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    purpose = (purpose or "").strip()
    if not purpose:
        errors["purpose"] = _("Enter what the money was spent on.")
    elif len(purpose) > 200:
        errors["purpose"] = _("The purpose is at most 200 characters.")
    if source not in FundSource.values:
        errors["source"] = _("Choose where the money came from.")
    if spent_on is None:
        errors["spent_on"] = _("Enter the date of the spending.")
    elif spent_on > timezone.localdate():
        errors["spent_on"] = _("A spending is recorded once made: the date cannot be in the future.")
    # The work it paid for is the organisation's own: another organisation's meeting or project would move
    # money between the figures of two organisations.
    if meeting is not None and meeting.org_id != org.pk:
        errors["meeting"] = _("The meeting must be one of this organisation's meetings.")
    elif meeting is not None and meeting.state == "cancelled":
        errors["meeting"] = _("A cancelled meeting cannot be the purpose of a spending.")
    if project is not None and project.org_id != org.pk:
        errors["project"] = _("The project must be one of this organisation's projects.")
    if errors:
        raise ValidationError(errors)
    return {"org": org, "spent_on": spent_on, "amount": amount, "purpose": purpose, "source": source,
            "meeting": meeting, "project": project}


def _snapshot(s: Spending) -> dict:
    data = model_to_dict(s, fields=FIELDS)
    data["amount"] = f"{Decimal(data['amount']):.2f}"  # the audit log holds JSON: money as its exact text
    return data


@transaction.atomic
def spending_record(*, by, org, spent_on: dt.date, amount, purpose: str, source: str, meeting=None,
                    project=None) -> Spending:
    require_in_scope(by, roles.EDIT_WORK, org)
    data = _clean(org=org, spent_on=spent_on, amount=amount, purpose=purpose, source=source, meeting=meeting,
                  project=project)
    spending = Spending.objects.create(recorded_by=by, **data)
    audit_record(actor=by, action=Action.CREATE, target=spending, org=org, changes=diff(None, _snapshot(spending)))
    return spending


@transaction.atomic
def spending_correct(*, by, spending: Spending, **changes) -> Spending:
    """Change a recorded spending (a wrong amount, date or purpose); the organisation stays."""
    require_in_scope(by, roles.EDIT_WORK, spending.org)
    spending = Spending.objects.select_for_update().select_related("org").get(pk=spending.pk)
    before = _snapshot(spending)
    current = {f: getattr(spending, f) for f in FIELDS if f != "org"}
    data = _clean(org=spending.org, **{**current, **{k: v for k, v in changes.items() if k in current}})
    for field, value in data.items():
        setattr(spending, field, value)
    spending.save()
    changed = diff(before, _snapshot(spending))
    if changed:
        audit_record(actor=by, action=Action.UPDATE, target=spending, org=spending.org, changes=changed)
    return spending
