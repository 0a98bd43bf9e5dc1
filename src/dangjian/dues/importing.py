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
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from dangjian.accounts import roles
from dangjian.core.scoping import scoped
from dangjian.dues.models import Due
from dangjian.dues.services import BatchError, payments_record_batch
from dangjian.orgs.models import Member, Status

HEADERS = ["账目编号", "姓名", "所在组织", "月份", "应缴金额", "实缴金额", "缴纳日期", "代缴人", "备注"]
COLUMN = {name: index for index, name in enumerate(HEADERS)}
FIELD_COLUMN = {"due": "账目编号", "amount": "实缴金额", "paid_on": "缴纳日期", "payer": "代缴人", "note": "备注"}
BAD = PatternFill("solid", fgColor="FFC7CE")


def template_rows(dues) -> list[list]:
    return [[d.pk, d.member.name, d.org.name, f"{d.month:%Y-%m}", d.amount, None, None, None, None] for d in dues]


@dataclass
class ImportOutcome:
    recorded: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column header, message)
    marked: bytes = b""


def _cell_text(value) -> str:
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
    for row, header, message in errors:
        cell = ws.cell(row=row, column=COLUMN.get(header, 0) + 1)
        cell.fill = BAD
        cell.comment = Comment(message, "党建工作平台")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def payments_import(*, by, content: bytes, today: dt.date | None = None) -> ImportOutcome:
    outcome = ImportOutcome()
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable upload gets the same answer
        raise ValidationError({"file": "无法读取该文件，请上传由本系统下载的 .xlsx 模板"}) from exc
    ws = wb.worksheets[0]
    lines = list(ws.iter_rows(values_only=True))
    wb.close()
    if not lines or [_cell_text(v) for v in lines[0][: len(HEADERS)]] != HEADERS:
        raise ValidationError({"file": "表头与模板不一致，请使用本系统下载的模板：" + "、".join(HEADERS)})
    writable = scoped(Due.objects.select_related("member", "org"), by, roles.EDIT_WORK)
    payers = scoped(Member.objects.filter(status=Status.ACTIVE), by, roles.VIEW_WORK)
    rows, errors = [], []
    for number, values in enumerate(lines[1:], start=2):
        values = list(values) + [None] * (len(HEADERS) - len(values))
        if not _cell_text(values[COLUMN["实缴金额"]]):
            continue
        bad = len(errors)
        due = writable.filter(pk=_cell_text(values[COLUMN["账目编号"]]) or 0).first() if \
            _cell_text(values[COLUMN["账目编号"]]).isdigit() else None
        if due is None:
            errors.append((number, "账目编号", "未找到该账目编号（或不在您的管辖范围内）"))
        elif due.member.name != _cell_text(values[COLUMN["姓名"]]):
            errors.append((number, "姓名", f"姓名与账目不符：该账目属于 {due.member.name}"))
        try:
            amount = Decimal(_cell_text(values[COLUMN["实缴金额"]]))
        except InvalidOperation:
            errors.append((number, "实缴金额", "实缴金额不是有效的数字"))
            amount = None
        try:
            paid_on = _parse_date(values[COLUMN["缴纳日期"]])
        except ValueError:
            errors.append((number, "缴纳日期", "缴纳日期格式应为 2025-03-15"))
            paid_on = None
        payer = None
        payer_name = _cell_text(values[COLUMN["代缴人"]])
        if payer_name and due is not None:
            found = list(payers.filter(name=payer_name, org=due.org)[:2]) or list(payers.filter(name=payer_name)[:2])
            if not found:
                errors.append((number, "代缴人", f"未找到代缴人“{payer_name}”"))
            elif len(found) > 1:
                errors.append((number, "代缴人", f"“{payer_name}”有重名，请改为在网页上逐条登记"))
            else:
                payer = found[0]
        if len(errors) == bad:
            rows.append({"row": number, "due": due, "amount": amount, "paid_on": paid_on, "payer": payer,
                         "note": _cell_text(values[COLUMN["备注"]])})
    if not errors and not rows:
        raise ValidationError({"file": "文件中没有填写实缴金额的行"})
    if not errors:
        try:
            outcome.recorded = len(payments_record_batch(by=by, rows=rows, today=today))
            return outcome
        except BatchError as exc:
            for number, field_errors in exc.row_errors.items():
                for field_name, message in field_errors.items():
                    errors.append((number, FIELD_COLUMN.get(field_name, "账目编号"), message))
    outcome.errors = sorted(errors)
    outcome.marked = _mark(content, outcome.errors)
    return outcome
