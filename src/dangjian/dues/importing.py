"""Batch payment import from xlsx: all or nothing, every bad cell marked.

The template lists the unpaid dues of an organisation; the treasurer fills in
the amount, date, payer (if someone else paid) and note. Rows without an
amount are skipped. Any error refuses the whole file; the workbook comes back
with each bad cell filled red and the reason in a cell comment.
"""

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from dangjian.accounts import roles
from dangjian.core.scoping import scoped
from dangjian.core.sheets import SheetRefused, default_limits, read_bounded
from dangjian.core.text import join_items
from dangjian.dues.models import Due
from dangjian.dues.services import BatchError, payments_record_batch
from dangjian.orgs.models import Member, Status

# The template's columns in order: (key, header). Headers are read back from the
# upload, so they are compared in the interface language.
COLUMNS = [
    ("due", pgettext_lazy("dues import", "Due number")),
    ("name", pgettext_lazy("dues import", "Name")),
    ("org", pgettext_lazy("dues import", "Organisation")),
    ("month", pgettext_lazy("dues import", "Month")),
    ("amount_due", pgettext_lazy("dues import", "Amount due")),
    ("amount", pgettext_lazy("dues import", "Amount paid")),
    ("paid_on", pgettext_lazy("dues import", "Paid on")),
    ("payer", pgettext_lazy("dues import", "Paid by")),
    ("note", pgettext_lazy("dues import", "Note")),
]
COLUMN = {key: index for index, (key, _label) in enumerate(COLUMNS)}


def headers() -> list[str]:
    return [str(label) for _key, label in COLUMNS]


BAD = PatternFill("solid", fgColor="FFC7CE")
MAX_ROWS = 50_000  # payments per file


def template_rows(dues) -> list[list]:
    return [[d.pk, d.member.name, d.org.name, f"{d.month:%Y-%m}", d.amount, None, None, None, None] for d in dues]


@dataclass
class ImportOutcome:
    recorded: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column header, message)
    marked: bytes = b""


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # spreadsheets store every number as a float: due 12 reads 12.0
    return "" if value is None else str(value).strip()


def _parse_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _cell_text(value).replace("/", "-").replace(".", "-")
    return dt.date.fromisoformat(text) if text else None


def _mark(content: bytes, errors: list[tuple[int, str, str]]) -> bytes:
    wb = load_workbook(io.BytesIO(content))
    ws = wb.worksheets[0]
    for row, key, message in errors:
        cell = ws.cell(row=row, column=COLUMN.get(key, 0) + 1)
        cell.fill = BAD
        cell.comment = Comment(message, _("Party-building platform"))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def payments_import(*, by, content: bytes, today: dt.date | None = None) -> ImportOutcome:
    outcome = ImportOutcome()
    if not content.startswith(b"PK\x03\x04"):
        raise ValidationError({"file": _("Cannot read this file: upload the .xlsx template downloaded from this system")})
    try:
        # In a child process under a memory limit, after checks of the file's structure (core.sheets).
        lines = read_bounded(content, fmt="xlsx", limits=default_limits(max_rows=MAX_ROWS + 1,
                                                                          max_columns=len(COLUMNS) + 16))
    except SheetRefused as refused:
        raise ValidationError({"file": refused.message}) from refused
    while lines and not any(_cell_text(v) for v in lines[-1]):
        lines.pop()
    expected = headers()
    if not lines or [_cell_text(v) for v in lines[0][: len(expected)]] != expected:
        raise ValidationError({"file": _("The header row differs from the template; use the template downloaded "
                                         "from this system: %(headers)s") % {"headers": join_items(expected)}})
    writable = scoped(Due.objects.select_related("member", "org"), by, roles.EDIT_WORK)
    payers = scoped(Member.objects.filter(status=Status.ACTIVE), by, roles.VIEW_WORK)
    rows, errors = [], []
    for number, values in enumerate(lines[1:], start=2):
        values = list(values) + [None] * (len(COLUMNS) - len(values))
        if not _cell_text(values[COLUMN["amount"]]):
            continue
        bad = len(errors)
        due = writable.filter(pk=_cell_text(values[COLUMN["due"]]) or 0).first() if \
            _cell_text(values[COLUMN["due"]]).isdigit() else None
        if due is None:
            errors.append((number, "due", _("Due number not found (or outside your responsibility)")))
        elif due.member.name != _cell_text(values[COLUMN["name"]]):
            errors.append((number, "name", _("The name does not match the due: it belongs to %(name)s")
                           % {"name": due.member.name}))
        try:
            amount = Decimal(_cell_text(values[COLUMN["amount"]]))
        except InvalidOperation:
            errors.append((number, "amount", _("The amount paid is not a valid number")))
            amount = None
        try:
            paid_on = _parse_date(values[COLUMN["paid_on"]])
        except ValueError:
            errors.append((number, "paid_on", _("The payment date must look like 2025-03-15")))
            paid_on = None
        payer = None
        payer_name = _cell_text(values[COLUMN["payer"]])
        if payer_name and due is not None:
            found = list(payers.filter(name=payer_name, org=due.org)[:2]) or list(payers.filter(name=payer_name)[:2])
            if not found:
                errors.append((number, "payer", _("Payer “%(name)s” not found") % {"name": payer_name}))
            elif len(found) > 1:
                errors.append((number, "payer", _("More than one member is called “%(name)s”: record this payment "
                                                  "on the web page instead") % {"name": payer_name}))
            else:
                payer = found[0]
        if len(errors) == bad:
            rows.append({"row": number, "due": due, "amount": amount, "paid_on": paid_on, "payer": payer,
                         "note": _cell_text(values[COLUMN["note"]])})
    if not errors and not rows:
        raise ValidationError({"file": _("No row in the file has an amount paid")})
    if not errors:
        try:
            outcome.recorded = len(payments_record_batch(by=by, rows=rows, today=today))
            return outcome
        except BatchError as exc:
            for number, field_errors in exc.row_errors.items():
                for field_name, message in field_errors.items():
                    errors.append((number, field_name if field_name in COLUMN else "due", message))
    errors.sort(key=lambda e: (e[0], COLUMN[e[1]], e[2]))
    outcome.marked = _mark(content, errors)
    labels = dict(COLUMNS)
    outcome.errors = [(number, str(labels[key]), message) for number, key, message in errors]
    return outcome
