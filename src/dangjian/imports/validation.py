"""Validating every row and cell of a roster file, in plain Python.

One pass over the rows converts and checks each cell, applies the roster's own
consistency rules (dangjian.orgs.rules), and finds duplicates inside the file;
the database is asked twice in all: the org codes in scope, and which ID numbers
are already registered (by blind index, in chunks). Nothing is written here.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from dangjian.accounts import roles
from dangjian.core import crypto
from dangjian.core.scoping import scoped
from dangjian.imports import cells
from dangjian.imports.columns import BY_FIELD, COLUMNS
from dangjian.imports.reader import Sheet
from dangjian.orgs.models import BRANCH_KINDS, Member, Org
from dangjian.orgs.rules import member_consistency_errors

CHUNK = 900  # under SQLite's default limit of 999 parameters per query
PROGRESS_EVERY = 5000

COLUMN_INDEX = {c.field: i for i, c in enumerate(COLUMNS)}


@dataclass(frozen=True)
class CellIssue:
    row: int  # spreadsheet row number (the header is row 1)
    column: int  # index into COLUMNS; -1 for the row as a whole
    value: str
    message: str

    @property
    def header(self) -> str:
        return COLUMNS[self.column].header if self.column >= 0 else ""

    @property
    def letter(self) -> str:
        return _letter(self.column) if self.column >= 0 else ""

    def as_dict(self) -> dict:
        """What is kept on the job and shown on screen: identifiers masked."""
        value = self.value
        if self.column == COLUMN_INDEX["id_number"]:
            value = crypto.mask_id_number(value)
        elif self.column == COLUMN_INDEX["phone"]:
            value = crypto.mask_phone(value)
        return {"row": self.row, "column": self.header, "letter": self.letter,
                "value": value, "message": self.message}


@dataclass
class Validated:
    records: list[dict] = field(default_factory=list)
    issues: list[CellIssue] = field(default_factory=list)
    rows_seen: int = 0
    orgs: dict[str, Org] = field(default_factory=dict)  # code -> org, those used

    @property
    def ok(self) -> bool:
        return not self.issues and bool(self.records)


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def orgs_in_scope(codes: set[str], user) -> dict[str, Org]:
    """The orgs among `codes` the user may import into. Others simply are not there."""
    found: dict[str, Org] = {}
    ordered = sorted(codes)
    for start in range(0, len(ordered), CHUNK):
        qs = Org.objects.filter(code__in=ordered[start:start + CHUNK]).only("id", "code", "name", "kind", "path", "is_active")
        for org in scoped(qs, user, roles.IMPORT_ROSTER, path_field="path"):
            found[org.code] = org
    return found


def registered_indexes(indexes: list[str]) -> set[str]:
    taken: set[str] = set()
    for start in range(0, len(indexes), CHUNK):
        chunk = indexes[start:start + CHUNK]
        taken.update(Member.objects.filter(id_number_index__in=chunk).values_list("id_number_index", flat=True))
    return taken


def _converters(orgs: dict[str, Org]) -> list[Callable]:
    def org_of(value) -> Org:
        code = cells.display(value)
        org = orgs.get(code)
        if org is None:
            # Unknown and out-of-scope codes read the same: never reveal what exists.
            raise cells.CellError(f"找不到组织代码“{code}”，或您无权向该组织导入党员")
        if not org.is_active:
            raise cells.CellError(f"组织“{org.name}”已撤销，不能导入党员")
        if org.kind not in BRANCH_KINDS:
            raise cells.CellError(f"“{org.name}”不是党支部、党总支或党小组；党员须编入支部")
        return org

    known: dict[str, Org] = {}

    def org_cached(value) -> Org:
        org = known.get(value) if value.__class__ is str else None
        if org is None:
            org = known[cells.display(value)] = org_of(value)
        return org

    out = []
    for col in COLUMNS:
        if col.kind == "text":
            out.append(_text_converter(col.max_length))
        elif col.kind == "date":
            out.append(cells.to_date)
        elif col.kind == "enum":
            out.append(_enum_converter(col))
        elif col.kind == "id_number":
            out.append(cells.to_id_text)
        elif col.kind == "phone":
            out.append(cells.to_phone)
        elif col.kind == "tags":
            out.append(cells.to_tags)
        elif col.kind == "org":
            out.append(org_cached)
        else:  # pragma: no cover - a column added without a converter
            raise ValueError(col.kind)
    return out


def _enum_converter(col) -> Callable:
    lookup, labels = col.lookup(), col.labels

    def convert(value):
        found = lookup.get(value) if value.__class__ is str else None
        return found if found is not None else cells.to_enum(value, lookup, labels)

    return convert


def _text_converter(max_length: int) -> Callable:
    def convert(value):
        if value.__class__ is str and len(value) <= max_length:
            return value
        return cells.to_text(value, max_length=max_length)

    return convert


def _blank_value(col) -> object:
    if col.kind == "tags":
        return []
    if col.kind == "date":
        return None
    return col.default


# The consistency rules name model fields; each maps to one of our columns.
_RULE_FIELDS = ("id_number", "birth_date", "gender", "joined_on", "full_member_on")


def validate(
    sheet: Sheet,
    *,
    user,
    today: dt.date,
    progress: Callable[[int, int], None] | None = None,
) -> Validated:
    result = Validated()
    org_col = COLUMN_INDEX["org"]
    id_col = COLUMN_INDEX["id_number"]
    codes = {cells.display(r[org_col]) for r in sheet.rows if not cells.is_blank(r[org_col])}
    orgs = orgs_in_scope(codes, user)
    convert = list(zip(range(len(COLUMNS)), COLUMNS, _converters(orgs), strict=True))
    rule_cols = {f: COLUMN_INDEX[f] for f in _RULE_FIELDS}
    issues = result.issues
    first_seen: dict[str, int] = {}
    total = len(sheet.rows)

    # (index, field, converter, required, value when blank, header) per column.
    plan = [
        (idx, col.field, conv, col.required, _blank_value(col), col.header) for idx, col, conv in convert
    ]
    for offset, raw in enumerate(sheet.rows):
        if progress and offset % PROGRESS_EVERY == 0:
            progress(offset, total)
        if all(cells.is_blank(v) for v in raw):
            continue  # blank lines in the middle of a list are not members
        rownum = sheet.first_row + offset
        result.rows_seen += 1
        record: dict = {"row": rownum}
        bad: set[int] = set()
        for idx, fname, conv, required, blank, header in plan:
            value = raw[idx]
            # Hot loop (100,000 rows x 16 cells): strings are stripped once here.
            if value.__class__ is str:
                value = value.strip()
                empty = not value
            else:
                empty = value is None
            if empty:
                if required:
                    issues.append(CellIssue(rownum, idx, "", f"“{header}”为必填项，不能为空"))
                    bad.add(idx)
                else:
                    record[fname] = blank.copy() if blank.__class__ is list else blank
                continue
            try:
                record[fname] = conv(value)
            except cells.CellError as exc:
                issues.append(CellIssue(rownum, idx, cells.display(value), str(exc)))
                bad.add(idx)

        if id_col not in bad:
            rule_errors = member_consistency_errors(
                id_number=record["id_number"],
                birth_date=record.get("birth_date") if rule_cols["birth_date"] not in bad else None,
                gender=record.get("gender") if rule_cols["gender"] not in bad else None,
                joined_on=record.get("joined_on") if rule_cols["joined_on"] not in bad else None,
                full_member_on=record.get("full_member_on") if rule_cols["full_member_on"] not in bad else None,
                category=record.get("category"),
                today=today,
            )
            for fname, message in rule_errors.items():
                idx = rule_cols[fname]
                if idx not in bad:
                    issues.append(CellIssue(rownum, idx, cells.display(raw[idx]), message))
                    bad.add(idx)
        if id_col not in bad:
            number = record["id_number"]
            earlier = first_seen.get(number)
            if earlier is None:
                first_seen[number] = rownum
            else:
                issues.append(CellIssue(rownum, id_col, number, f"身份证号与第 {earlier} 行重复"))
                issues.append(CellIssue(earlier, id_col, number, f"身份证号与第 {rownum} 行重复"))
                bad.add(id_col)
        if not bad:
            result.records.append(record)

    if progress:
        progress(total, total)
    _check_registered(result, id_col)
    result.orgs = {r["org"].code: r["org"] for r in result.records}
    issues.sort(key=lambda i: (i.row, i.column))
    return result


def _check_registered(result: Validated, id_col: int) -> None:
    index_of = crypto.blind_index
    for record in result.records:
        record["id_number_index"] = index_of(record["id_number"])
    taken = registered_indexes([r["id_number_index"] for r in result.records])
    if not taken:
        return
    kept = []
    for record in result.records:
        if record["id_number_index"] in taken:
            result.issues.append(CellIssue(
                record["row"], id_col, record["id_number"], "该身份证号已在系统中登记，不能重复导入"
            ))
        else:
            kept.append(record)
    result.records = kept


__all__ = ["BY_FIELD", "CellIssue", "Validated", "validate"]
