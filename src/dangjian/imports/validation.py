"""Validating every row and cell of a roster file, in plain Python.

The file is checked column by column: each column's cells go through a fast
conversion for the usual case (a list comprehension, no call per cell), and only
the cells it cannot take (blank, unusual or wrong) go through the careful path
that explains the problem. Then one pass over the rows applies the roster's own
consistency rules (dangjian.orgs.rules) and finds duplicates inside the file.
The database is asked for the org codes in scope and, when the file has other
problems to report anyway, which ID numbers are already registered (by blind
index, in chunks). Nothing is written.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts import roles
from dangjian.core import crypto
from dangjian.core.scoping import scoped
from dangjian.imports import cells
from dangjian.imports.columns import BY_FIELD, COLUMNS, Column
from dangjian.imports.reader import Sheet
from dangjian.orgs.models import BRANCH_KINDS, Member, Org
from dangjian.orgs.rules import member_consistency_errors

CHUNK = 900  # under SQLite's default limit of 999 parameters per query
PROGRESS_EVERY = 5000

COLUMN_INDEX = {c.field: i for i, c in enumerate(COLUMNS)}
FIELDS = tuple(c.field for c in COLUMNS)

_MISS = object()  # the fast conversion left this cell to the careful one
_BAD = object()  # the cell has an issue


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
    """The valid rows, column-wise: values[field][i] is row i's converted cell."""

    values: dict[str, list] = field(default_factory=dict)
    row_numbers: list[int] = field(default_factory=list)  # each valid row's number in the file
    count: int = 0
    issues: list[CellIssue] = field(default_factory=list)
    rows_seen: int = 0
    orgs: dict[str, Org] = field(default_factory=dict)  # code -> org, those used

    @property
    def ok(self) -> bool:
        return not self.issues and bool(self.count)


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


# --- One column at a time ---------------------------------------------------------
# Each column has a careful converter (one cell; raises CellError with the
# message for the user) and a fast one (the whole column; _MISS for any cell it
# is not sure of). The fast one must never accept a cell the careful one would
# refuse or convert differently; blank cells are always left to the careful path.


def _careful(col: Column, orgs: dict[str, Org]) -> Callable:
    if col.kind == "text":
        return lambda value: cells.to_text(value, max_length=col.max_length)
    if col.kind == "date":
        return cells.to_date
    if col.kind == "enum":
        lookup, labels = col.lookup(), col.labels
        return lambda value: cells.to_enum(value, lookup, labels)
    if col.kind == "id_number":
        return cells.to_id_text
    if col.kind == "phone":
        return cells.to_phone
    if col.kind == "tags":
        return cells.to_tags
    if col.kind == "org":
        return lambda value: _org_of(value, orgs)
    raise ValueError(col.kind)  # pragma: no cover - a column added without a converter


def _org_of(value, orgs: dict[str, Org]) -> Org:
    code = cells.display(value)
    org = orgs.get(code)
    if org is None:
        # Unknown and out-of-scope codes read the same: never reveal what exists.
        raise cells.CellError(gettext_lazy("No organisation has the code “%(code)s”, or you may not import members into it"),
                              {"code": code})
    if not org.is_active:
        raise cells.CellError(gettext_lazy("Organisation “%(name)s” is dissolved: no members can be imported into it"),
                              {"name": org.name})
    if org.kind not in BRANCH_KINDS:
        raise cells.CellError(gettext_lazy(
            "“%(name)s” is not a branch, general branch or Party group; members belong to a branch"), {"name": org.name})
    return org


def _or_miss(convert: Callable) -> Callable:
    def attempt(value):
        if value.__class__ is str:
            value = value.strip()
            if not value:
                return _MISS
        elif value is None:
            return _MISS
        try:
            return convert(value)
        except cells.CellError:
            return _MISS

    return attempt


def _fast(col: Column, values: tuple, orgs: dict[str, Org]) -> list:
    if col.kind == "text":
        limit = col.max_length
        return [s if v.__class__ is str and 0 < len(s := v.strip()) <= limit else _MISS for v in values]
    if col.kind == "enum":
        get = col.lookup().get
        return [get(v.strip(), _MISS) if v.__class__ is str else _MISS for v in values]
    if col.kind == "id_number":
        return [s if v.__class__ is str and (s := "".join(v.split()).upper()) else _MISS for v in values]
    if col.kind == "phone":
        phone = cells.MOBILE.fullmatch
        return [v if v.__class__ is str and phone(v) else _MISS for v in values]
    if col.kind == "org":
        usable = {code: org for code, org in orgs.items() if org.is_active and org.kind in BRANCH_KINDS}
        get = usable.get
        return [get(v, _MISS) if v.__class__ is str else _MISS for v in values]
    return _by_distinct_value(values, _or_miss(_careful(col, orgs)))


_NUMBERS = {int, float, bool}


def _by_distinct_value(values: tuple, attempt: Callable) -> list:
    """attempt() once per distinct value (a roster repeats its dates and tags a lot).

    1 == 1.0 == True share a dict key but may convert differently, so a column
    mixing number types is converted cell by cell instead.
    """
    if len(set(map(type, values)) & _NUMBERS) > 1:
        return list(map(attempt, values))
    table = {}
    for value in set(values):
        converted = attempt(value)
        if converted is not _MISS:
            table[value] = converted
    get = table.get
    return [get(v, _MISS) for v in values]


def _convert_column(idx: int, values: tuple, orgs: dict[str, Org], rownum: Callable[[int], int],
                    issues: list[CellIssue], bad_rows: set[int]) -> list:
    """The column's converted values; _BAD (and the row in bad_rows) where a cell has an issue."""
    col = COLUMNS[idx]
    out = _fast(col, values, orgs)
    if not any(v is _MISS for v in out):
        return out
    careful = _careful(col, orgs)
    blank = [] if col.kind == "tags" else None if col.kind == "date" else col.default
    required = None  # the message for an empty required cell, translated once it is needed
    for pos, got in enumerate(out):
        if got is not _MISS:
            continue
        value = values[pos]
        if value.__class__ is str:
            value = value.strip()
            empty = not value
        else:
            empty = value is None
        if empty:
            if col.required:
                required = required or _("“%(column)s” is required and cannot be empty") % {"column": col.header}
                issues.append(CellIssue(rownum(pos), idx, "", required))
                out[pos] = _BAD
                bad_rows.add(pos)
            else:
                out[pos] = blank.copy() if blank.__class__ is list else blank
            continue
        try:
            out[pos] = careful(value)
        except cells.CellError as exc:
            issues.append(CellIssue(rownum(pos), idx, cells.display(value), str(exc)))
            out[pos] = _BAD
            bad_rows.add(pos)
    return out


def _is_blank_row(raw) -> bool:
    return all(cells.is_blank(v) for v in raw)


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
    issues = result.issues
    report = progress or (lambda done, total: None)
    org_col = COLUMN_INDEX["org"]
    codes = {cells.display(r[org_col]) for r in sheet.rows if not cells.is_blank(r[org_col])}
    orgs = orgs_in_scope(codes, user)

    # Blank lines in the middle of a list are not members.
    kept = [i for i, r in enumerate(sheet.rows) if not _is_blank_row(r)]
    rows = sheet.rows if len(kept) == len(sheet.rows) else [sheet.rows[i] for i in kept]
    result.rows_seen = total = len(rows)
    if not rows:
        return result
    first_row = sheet.first_row

    def rownum(pos: int) -> int:
        return first_row + kept[pos]

    raw_columns = list(zip(*rows, strict=True))
    columns: list[list] = []
    bad_rows: set[int] = set()
    steps = len(COLUMNS) + 1
    for idx in range(len(COLUMNS)):
        report(total * idx // steps, total)
        columns.append(_convert_column(idx, raw_columns[idx], orgs, rownum, issues, bad_rows))
    report(total * len(COLUMNS) // steps, total)
    _check_rows(columns, raw_columns, bad_rows, rownum, issues, today)

    good = [pos for pos in range(total) if pos not in bad_rows] if bad_rows else range(total)
    for fname, column in zip(FIELDS, columns, strict=True):
        result.values[fname] = [column[pos] for pos in good] if bad_rows else column
    result.row_numbers = [first_row + kept[pos] for pos in good]
    result.count = len(good)
    report(total, total)
    result.values["id_number_index"] = crypto.blind_indexes(result.values["id_number"])
    if issues:
        # The file goes back anyway: list every problem at once. (A clean file
        # is not asked about: the unique index refuses a registered number on
        # writing, and the importer then asks registered_issues().)
        _drop_registered(result, registered_issues(result))
    used = set(map(id, result.values["org"]))
    result.orgs = {org.code: org for org in orgs.values() if id(org) in used}
    return result


def _check_rows(columns, raw_columns, bad_rows: set[int], rownum, issues: list[CellIssue], today) -> None:
    """The consistency rules on each row whose ID number is readable, then duplicates."""
    rule_cols = {f: COLUMN_INDEX[f] for f in _RULE_FIELDS}
    id_col = rule_cols["id_number"]

    def given(column: list, pos: int):
        value = column[pos]
        return None if value is _BAD else value

    numbers, births, genders, joins, fulls = (columns[rule_cols[f]] for f in _RULE_FIELDS)
    categories = columns[COLUMN_INDEX["category"]]
    first_seen: dict[str, int] = {}
    for pos, number in enumerate(numbers):
        if number is _BAD:
            continue
        rule_errors = member_consistency_errors(
            id_number=number,
            birth_date=given(births, pos),
            gender=given(genders, pos),
            joined_on=given(joins, pos),
            full_member_on=given(fulls, pos),
            category=given(categories, pos),
            today=today,
        )
        if rule_errors:
            for fname, message in rule_errors.items():
                idx = rule_cols[fname]
                if columns[idx][pos] is not _BAD:
                    issues.append(CellIssue(rownum(pos), idx, cells.display(raw_columns[idx][pos]), message))
                    columns[idx][pos] = _BAD
                    bad_rows.add(pos)
            if numbers[pos] is _BAD:
                continue
        earlier = first_seen.get(number)
        if earlier is None:
            first_seen[number] = pos
        else:
            repeats = _("The ID number repeats row %(row)d")
            issues.append(CellIssue(rownum(pos), id_col, number, repeats % {"row": rownum(earlier)}))
            issues.append(CellIssue(rownum(earlier), id_col, number, repeats % {"row": rownum(pos)}))
            numbers[pos] = _BAD
            bad_rows.add(pos)


def registered_issues(result: Validated) -> list[CellIssue]:
    """An issue for each valid row whose ID number is already on the roster."""
    taken = registered_indexes(result.values["id_number_index"])
    if not taken:
        return []
    id_col = COLUMN_INDEX["id_number"]
    registered = _("This ID number is already registered and cannot be imported again")
    return [
        CellIssue(row, id_col, number, registered)
        for row, number, index in zip(
            result.row_numbers, result.values["id_number"], result.values["id_number_index"], strict=True
        )
        if index in taken
    ]


def _drop_registered(result: Validated, found: list[CellIssue]) -> None:
    result.issues.extend(found)
    result.issues.sort(key=lambda i: (i.row, i.column))
    if not found:
        return
    rows = {issue.row for issue in found}
    keep = [pos for pos, row in enumerate(result.row_numbers) if row not in rows]
    for fname, column in result.values.items():
        result.values[fname] = [column[pos] for pos in keep]
    result.row_numbers = [result.row_numbers[pos] for pos in keep]
    result.count = len(keep)


__all__ = ["BY_FIELD", "CellIssue", "Validated", "registered_issues", "validate"]
