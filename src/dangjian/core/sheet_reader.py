"""The part of bounded spreadsheet reading that runs in a child process: no Django here.

`dangjian.core.sheets.read_bounded` starts `python -m dangjian.core.sheet_reader`
with a memory and CPU limit; this module checks the file's structure before any
parser allocates (zip entry sizes and ratios, declared dimensions, the highest
row and column a cell names, shared strings), then reads one sheet with
calamine (or a CSV) and writes the rows to stdout as a pickle of plain values.

A file that breaks a limit ends in `Refused(code, params)`; the parent turns the
code into a sentence in the user's language. Should a parser still run out of
memory (a layout the checks do not foresee), only this child dies.
"""

import csv
import io
import json
import pickle
import re
import sys
import zipfile
from dataclasses import asdict, dataclass
from xml.parsers import expat

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_rows: int = 200_001  # header included
    max_columns: int = 52  # A..AZ
    max_uncompressed: int = 1024 * MiB  # all entries of the zip together
    max_ratio: int = 200  # uncompressed / compressed, for entries above RATIO_FLOOR
    max_shared_strings: int = 5_000_000
    max_string_chars: int = 32_767  # what one Excel cell can hold
    memory: int = 2048 * MiB  # address space of the child
    seconds: int = 300  # CPU time of the child


RATIO_FLOOR = 1 * MiB  # small entries (styles, one-cell sheets) may compress very well
CHUNK = 1 * MiB


class Refused(Exception):
    def __init__(self, code: str, **params):
        super().__init__(code, params)
        self.code, self.params = code, params


# --- checks before parsing -----------------------------------------------------------------------

_LETTERS = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([^\"]+)\"")
_ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\s[^>]*?\br=\"(\d+)\"")


def _far_cells(limits: "Limits") -> re.Pattern:
    """Cell references past column Z or with as many digits as the row limit: the only ones worth parsing."""
    digits = len(str(limits.max_rows))
    return re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]{2,}|[A-Z])(\d{%d,}|(?<=[A-Z]{2})\d+)\"" % digits)


def column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(index: int) -> str:
    out = ""
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def check_zip(book: zipfile.ZipFile, limits: Limits) -> None:
    total = 0
    for info in book.infolist():
        total += info.file_size
        if total > limits.max_uncompressed:
            raise Refused("uncompressed", size=total // MiB, limit=limits.max_uncompressed // MiB)
        if info.file_size > RATIO_FLOOR and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise Refused("ratio", entry=info.filename)


def _check_cell_position(row: int, column: int, limits: Limits) -> None:
    if column > limits.max_columns:
        raise Refused("columns", column=column_letters(column), limit=column_letters(limits.max_columns))
    if row > limits.max_rows:
        raise Refused("rows", row=row, limit=limits.max_rows - 1)


def check_dimension(ref: str, limits: Limits) -> None:
    """The sheet's declared used range (`A1:XFD1048576`): parsers size their grid from it."""
    for part in ref.split(":")[-1:]:
        found = _LETTERS.match(part.strip().upper())
        if found:
            _check_cell_position(int(found.group(2)), column_index(found.group(1)), limits)


def _chunks(book: zipfile.ZipFile, name: str):
    """An entry in pieces that overlap a little, so that a tag cut at a boundary is still matched whole."""
    tail = b""
    with book.open(name) as fh:
        while piece := fh.read(CHUNK):
            yield tail + piece
            tail = piece[-512:]


def _refuse_doctype(head: bytes) -> None:
    # Excel never writes a DTD; one in a workbook is an entity-expansion attempt.
    if b"<!DOCTYPE" in head[:4096].upper() or b"<!ENTITY" in head[:4096].upper():
        raise Refused("doctype")


def check_sheet_xml(book: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """The highest row and column any cell names, streamed (the XML is never held whole)."""
    first, far = True, _far_cells(limits)
    for chunk in _chunks(book, name):
        if first:
            _refuse_doctype(chunk)
            declared = _DIMENSION.search(chunk)
            if declared:
                check_dimension(declared.group(1).decode("ascii", "replace"), limits)
            first = False
        for found in _ROW_NUMBER.finditer(chunk):
            _check_cell_position(int(found.group(1)), 1, limits)
        for found in far.finditer(chunk):
            _check_cell_position(int(found.group(2)), column_index(found.group(1).decode()), limits)


def check_shared_strings(book: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """Count the shared strings and measure each, without keeping one."""
    state = {"count": 0, "chars": 0, "depth": 0}
    parser = expat.ParserCreate()

    def start(tag, attrs):
        if tag.rsplit(":", 1)[-1] == "si":
            state["count"] += 1
            state["chars"] = 0
            if state["count"] > limits.max_shared_strings:
                raise Refused("strings", limit=limits.max_shared_strings)

    def text(data):
        state["chars"] += len(data)
        if state["chars"] > limits.max_string_chars:
            raise Refused("string_length", chars=state["chars"], limit=limits.max_string_chars)

    def doctype(*args):
        raise Refused("doctype")

    parser.StartElementHandler = start
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    with book.open(name) as fh:
        try:
            while piece := fh.read(CHUNK):
                parser.Parse(piece, False)
            parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise Refused("damaged") from exc


def check_xlsx(source, limits: Limits) -> None:
    """Every structural limit, before a parser sees the workbook. `source` is a path or a binary file."""
    try:
        book = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Refused("damaged") from exc
    with book:
        check_zip(book, limits)
        names = book.namelist()
        for name in names:
            lower = name.lower()
            if lower.endswith(".xml") or lower.endswith(".rels"):
                with book.open(name) as fh:
                    _refuse_doctype(fh.read(4096))
            if lower.startswith("xl/worksheets/") and lower.endswith(".xml"):
                check_sheet_xml(book, name, limits)
            elif lower == "xl/sharedstrings.xml":
                check_shared_strings(book, name, limits)


# --- parsing (after the checks) -------------------------------------------------------------------


def parse_xlsx(source, sheet: str | None) -> list[list]:
    import python_calamine

    try:
        if isinstance(source, str):
            book = python_calamine.CalamineWorkbook.from_path(source)
        else:
            source.seek(0)
            book = python_calamine.CalamineWorkbook.from_filelike(source)
        names = book.sheet_names
        chosen = book.get_sheet_by_name(sheet if sheet in names else names[0])
        return chosen.to_python(skip_empty_area=False)
    except (python_calamine.CalamineError, python_calamine.ZipError, python_calamine.XmlError,
            python_calamine.PasswordError, IndexError, ValueError) as exc:
        raise Refused("damaged") from exc


def parse_csv(data: bytes, limits: Limits) -> list[list]:
    # Excel in China saves CSV as GBK unless told otherwise; UTF-8 (with or
    # without BOM) is what our template and most other tools write.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise Refused("csv_encoding")
    csv.field_size_limit(limits.max_string_chars)
    rows = []
    try:
        for number, line in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            _check_cell_position(number, len(line), limits)
            rows.append(line)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise Refused("string_length", chars=limits.max_string_chars + 1, limit=limits.max_string_chars) from exc
        raise Refused("csv_malformed", error=str(exc)) from exc
    return rows


def read_unbounded_process(source, *, fmt: str, sheet: str | None, limits: Limits) -> list[list]:
    """Check, then parse, in the current process: the child's work (tests call it directly too)."""
    if fmt == "csv":
        data = source.read() if hasattr(source, "read") else open(source, "rb").read()  # noqa: SIM115
        return parse_csv(data, limits)
    check_xlsx(source, limits)
    return parse_xlsx(source, sheet)


# --- the child process ----------------------------------------------------------------------------

RESULT_OK, RESULT_REFUSED = "ok", "refused"


def _limit_resources(limits: Limits) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limits.memory, limits.memory))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.seconds, limits.seconds + 5))


def main() -> None:
    """argv[1]: JSON {"path": str | "-", "fmt", "sheet", "limits"}; the file on stdin when path is "-"."""
    request = json.loads(sys.argv[1])
    limits = Limits(**request["limits"])
    _limit_resources(limits)
    out = sys.stdout.buffer
    try:
        source = io.BytesIO(sys.stdin.buffer.read()) if request["path"] == "-" else request["path"]
        rows = read_unbounded_process(source, fmt=request["fmt"], sheet=request.get("sheet"), limits=limits)
        pickle.dump((RESULT_OK, rows), out, protocol=pickle.HIGHEST_PROTOCOL)
    except Refused as refused:
        pickle.dump((RESULT_REFUSED, (refused.code, refused.params)), out)
    except MemoryError:
        pickle.dump((RESULT_REFUSED, ("memory", {"limit": limits.memory // MiB})), out)
    out.flush()


def request_json(*, path: str, fmt: str, sheet: str | None, limits: Limits) -> str:
    return json.dumps({"path": path, "fmt": fmt, "sheet": sheet, "limits": asdict(limits)})


if __name__ == "__main__":
    main()
