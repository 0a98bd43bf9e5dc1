"""Reading an uploaded spreadsheet so that no file can take the server down.

    rows = read_bounded(path, fmt="xlsx", sheet="党员名册", limits=Limits(max_rows=200_001))

An xlsx is a zip of XML: 2 KB can declare a cell at XFD1048576 (a parser sizes
its grid from it: 512 GB), a cell at row 400,000, or one 5 MB string reused in
every cell. So the file is read in a child process (`dangjian.core.sheet_reader`)
under a memory and CPU limit, after checks of its structure made before any
parser allocates. What breaks a limit is refused with a sentence in the user's
language (`SheetRefused.message`); the web or task worker never dies.

`read_bounded` is a plain function: the import pages, the dues import and a
task-queue worker call it the same way, with a path or with bytes.
"""

import io
import os
import pickle
import subprocess
import sys
from dataclasses import replace

from django.conf import settings
from django.utils.translation import gettext as _

from dangjian.core.sheet_reader import RESULT_OK, Limits, MiB, request_json

__all__ = ["Limits", "SheetRefused", "read_bounded", "default_limits"]


class SheetRefused(Exception):
    """The file cannot be read safely or at all; `message` says why, for the person who uploaded it."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def default_limits(**overrides) -> Limits:
    limits = Limits(memory=int(getattr(settings, "SHEET_READER_MEMORY_MB", 2048)) * MiB,
                    seconds=int(getattr(settings, "SHEET_READER_SECONDS", 300)))
    return replace(limits, **overrides)


def _message(code: str, params: dict) -> str:
    if code == "rows":
        return _("The sheet has cells down to row %(row)s; at most %(limit)s rows can be imported at once: delete "
                 "the empty rows below the data or import it in parts") % {
            "row": f"{params['row']:,}", "limit": f"{params['limit']:,}"}
    if code == "columns":
        return _("The sheet has cells as far right as column %(column)s; the template stops well before column "
                 "%(limit)s: delete the extra columns and upload it again") % params
    if code == "uncompressed":
        return _("Opened, the workbook would take %(size)s MB, more than the limit of %(limit)s MB: import it in "
                 "parts") % params
    if code == "ratio":
        return _("The workbook is compressed far more than a normal spreadsheet (a “zip bomb”) and cannot be read "
                 "safely: save it again in Excel or WPS and upload it again")
    if code == "strings":
        return _("The workbook holds more than %(limit)s different texts: import it in parts") % {
            "limit": f"{params['limit']:,}"}
    if code == "string_length":
        return _("A cell holds more than %(limit)s characters, more than a spreadsheet cell can hold: the file was "
                 "not written by Excel or WPS; fill in the template again") % {"limit": f"{params['limit']:,}"}
    if code == "doctype":
        return _("The workbook contains XML declarations that Excel and WPS never write and cannot be read safely: "
                 "save it again in Excel or WPS and upload it again")
    if code in ("memory", "killed"):
        return _("Reading this file needs more memory or time than allowed; it is not a normal roster: save it "
                 "again in Excel or WPS, delete empty rows and columns, or import it in parts")
    if code == "csv_encoding":
        return _("The CSV file's encoding is not recognised: save it as a UTF-8 CSV or as .xlsx and upload it again")
    if code == "csv_malformed":
        return _("The CSV file is malformed: %(error)s") % params
    return _("This Excel file cannot be read (it is damaged, encrypted or not an Excel workbook): fill in the "
             "template again and upload it")


def read_bounded(source: str | os.PathLike | bytes, *, fmt: str = "xlsx", sheet: str | None = None,
                 limits: Limits | None = None) -> list[list]:
    """The rows of one sheet (calamine's values: str, float, int, bool, date, datetime, "" for empty).

    `source` is a path or the file's bytes; `fmt` "xlsx" or "csv"; `sheet` the
    preferred sheet's name (else the first). Raises SheetRefused.
    """
    limits = limits or default_limits()
    data = source if isinstance(source, bytes) else None
    path = "-" if data is not None else os.fspath(source)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "dangjian.core.sheet_reader",
             request_json(path=path, fmt=fmt, sheet=sheet, limits=limits)],
            input=data if data is not None else b"", capture_output=True, timeout=limits.seconds + 30,
            check=False, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
    except subprocess.TimeoutExpired as exc:
        raise SheetRefused("killed", _message("killed", {})) from exc
    if done.returncode != 0 or not done.stdout:
        # Out of memory in native code (an abort), or killed at the CPU limit.
        raise SheetRefused("killed", _message("killed", {}))
    status, payload = _PlainValues(io.BytesIO(done.stdout)).load()
    if status == RESULT_OK:
        return payload
    code, params = payload
    raise SheetRefused(code, _message(code, params))


class _PlainValues(pickle.Unpickler):
    """The child's answer holds lists of plain values and dates: nothing else is unpickled."""

    ALLOWED = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"), ("datetime", "timedelta")}

    def find_class(self, module, name):
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a spreadsheet value")


