"""The spreadsheets we hand out: the template, the error workbook, the export."""

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dangjian.core.xlsx import safe_row
from dangjian.imports.cells import display
from dangjian.imports.columns import COLUMNS, DATA_SHEET, ERROR_HEADER, HEADERS
from dangjian.imports.validation import CellIssue

HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
BAD_FILL = PatternFill("solid", fgColor="FFC7CE")
BOLD = Font(bold=True)
REQUIRED_FONT = Font(bold=True, color="B71C1C")
TEMPLATE_ROWS = 5000  # drop-downs and text format reach this far down
AUTHOR = "党建工作平台"
WIDTHS = {"text": 16, "date": 13, "enum": 12, "id_number": 22, "phone": 15, "tags": 18, "org": 14}


def _width(col) -> int:
    return 24 if col.max_length >= 100 else WIDTHS.get(col.kind, 14)


def template_xlsx(orgs: Sequence) -> bytes:
    """The import template: data sheet with drop-downs, instructions, an example, org codes."""
    book = Workbook()
    data = book.active
    data.title = DATA_SHEET
    data.append(HEADERS)
    data.freeze_panes = "A2"
    for i, col in enumerate(COLUMNS, start=1):
        cell = data.cell(row=1, column=i)
        cell.font = REQUIRED_FONT if col.required else BOLD
        cell.fill = HEADER_FILL
        letter = get_column_letter(i)
        data.column_dimensions[letter].width = _width(col)
        if col.kind in ("id_number", "phone", "org"):
            # Text cells, so Excel keeps all 18 digits and leading zeros.
            for r in range(2, TEMPLATE_ROWS + 2):
                data.cell(row=r, column=i).number_format = "@"
        if col.choices:
            rule = DataValidation(
                type="list", formula1='"' + ",".join(col.labels) + '"', allow_blank=not col.required,
                showErrorMessage=True, errorTitle="输入有误", error="请从下拉列表中选择：" + "、".join(col.labels),
            )
            data.add_data_validation(rule)
            rule.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    if orgs:
        org_letter = get_column_letter(HEADERS.index("所在组织代码") + 1)
        rule = DataValidation(
            type="list", formula1=f"组织代码!$A$2:$A${len(orgs) + 1}", allow_blank=False,
            showErrorMessage=True, errorTitle="输入有误", error="请填写“组织代码”工作表中的代码",
        )
        data.add_data_validation(rule)
        rule.add(f"{org_letter}2:{org_letter}{TEMPLATE_ROWS + 1}")

    guide = book.create_sheet("填写说明")
    guide.append(["党员名册导入说明"])
    guide["A1"].font = Font(bold=True, size=14)
    for line in (
        "1. 在“党员名册”工作表中每行填写一名党员，第一行表头请勿修改；红色表头为必填项。",
        "2. 文件中任何一处有误，整个文件都不会导入；系统会列出所有错误，并提供标注了错误单元格的工作簿供修改后重新上传。",
        "3. 身份证号、手机号请保持“文本”格式；日期可写成 2020-01-05、2020/1/5、2020.1.5 或 20200105。",
        "4. 同一身份证号在文件中只能出现一次，且不能是系统中已登记的党员。",
        "5. “所在组织代码”须为您有权导入的党支部（党总支、党小组）的代码，见“组织代码”工作表。",
    ):
        guide.append([line])
    guide.append([])
    guide.append(["列名", "是否必填", "填写要求", "可选值", "示例"])
    for cell in guide[guide.max_row]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    for col in COLUMNS:
        guide.append([col.header, "必填" if col.required else "选填", col.help, "、".join(col.labels), col.example])
    for letter, width in zip("ABCDE", (16, 10, 60, 40, 22), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    example = book.create_sheet("填写示例")
    example.append(HEADERS)
    example.append([c.example for c in COLUMNS])
    for i, col in enumerate(COLUMNS, start=1):
        example.cell(row=1, column=i).font = BOLD
        example.column_dimensions[get_column_letter(i)].width = _width(col)
    example.append([])
    example.append(["此工作表仅作示例，不会被导入。"])

    codes = book.create_sheet("组织代码")
    codes.append(["组织代码", "组织名称"])
    for cell in codes[1]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    for org in orgs:
        codes.append(safe_row(codes, [org.code, org.name]))
    codes.column_dimensions["A"].width = 16
    codes.column_dimensions["B"].width = 40
    return _save(book)


def template_csv() -> bytes:
    # A BOM so that Excel opens the Chinese headers correctly.
    out = io.StringIO()
    csv.writer(out).writerow(HEADERS)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def error_workbook(rows: Sequence[list], issues: Iterable[CellIssue], *, first_row: int = 2) -> bytes:
    """The uploaded rows again, each bad cell filled red with a comment, plus 错误说明.

    Rows keep their numbers, so the list on screen matches; 错误说明 is ignored
    on import, so the corrected workbook can be uploaded as it is.
    """
    by_row: dict[int, list[CellIssue]] = defaultdict(list)
    for issue in issues:
        by_row[issue.row].append(issue)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(DATA_SHEET)
    header = []
    for text in (*HEADERS, ERROR_HEADER):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.fill = BOLD, HEADER_FILL
        header.append(cell)
    sheet.append(header)
    for offset, raw in enumerate(rows):
        found = by_row.get(first_row + offset)
        values = [_cell_value(v) for v in raw]
        if not found:
            sheet.append(safe_row(sheet, values))
            continue
        messages: dict[int, list[str]] = defaultdict(list)
        for issue in found:
            messages[issue.column].append(issue.message)
        out = []
        for idx, value in enumerate(values):
            if idx in messages:
                cell = WriteOnlyCell(sheet, value=value)
                cell.fill = BAD_FILL
                cell.comment = Comment("\n".join(messages[idx]), AUTHOR, width=260, height=90)
                out.append(cell)
            else:
                out.append(value)
        summary = "；".join(
            f"{COLUMNS[i].header}：{m}" if i >= 0 else m for i, ms in messages.items() for m in ms
        )
        note = WriteOnlyCell(sheet, value=summary)
        note.font = Font(color="B71C1C")
        out.append(note)
        sheet.append(safe_row(sheet, out))

    listing = book.create_sheet("错误清单")
    listing.append(["行号", "列", "填写内容", "错误说明"])
    for row in sorted(by_row):
        for issue in by_row[row]:
            listing.append(safe_row(listing, [issue.row, issue.header, issue.value, issue.message]))
    return _save(book)


def _cell_value(value):
    # Dates stay dates; everything else goes back as the text the user typed.
    if value is None or isinstance(value, str):
        return value
    if hasattr(value, "year"):
        return value
    return display(value)


def roster_workbook(rows: Iterable[Sequence], target) -> int:
    """Stream an export in the template's layout into `target` (path or file); returns the row count."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(DATA_SHEET)
    header = []
    for text in HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.fill = BOLD, HEADER_FILL
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append(safe_row(sheet, row))
        count += 1
    book.save(target)
    return count


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
