"""The exception types analysts and the web pages see, and the wording of warnings."""

from __future__ import annotations

__all__ = ["AnalyticsInputError", "AnalyticsResultError", "AnalyticsWarning", "warning"]


class AnalyticsInputError(ValueError):
    """Bad input data, with the row and column it was found in.

    The message is Chinese first, then English, on one line, so the command line
    can print it as is and a web page can show it next to the uploaded table.
    ``row`` is what a person would call the row (the DMU name or the spreadsheet
    line number), ``column`` the column header.  ``message_zh`` and
    ``message_en`` are the two halves, each with the place in front, for a page
    that shows one language.
    """

    def __init__(
        self,
        zh: str,
        en: str,
        *,
        row: str | int | None = None,
        column: str | None = None,
    ) -> None:
        self.row = row
        self.column = column
        self.zh = zh
        self.en = en
        where_zh = ""
        where_en = ""
        if row is not None:
            # Line numbers read "第 3 行"; DMU names read "「一支部」行".
            if str(row).isdigit():
                where_zh += f"第 {row} 行"
                where_en += f"row {row}"
            else:
                where_zh += f"「{row}」行"
                where_en += f"row '{row}'"
        if column is not None:
            where_zh += f"「{column}」列"
            where_en += (", " if where_en else "") + f"column '{column}'"
        prefix_zh = f"{where_zh}：" if where_zh else ""
        prefix_en = f"{where_en[0].upper()}{where_en[1:]}: " if where_en else ""
        self.message_zh = f"{prefix_zh}{zh}"
        self.message_en = f"{prefix_en}{en}"
        super().__init__(f"{self.message_zh} / {self.message_en}")


class AnalyticsResultError(AnalyticsInputError):
    """The computation did not give a complete, finite answer for these data.

    Raised instead of returning a result with missing or non-finite numbers
    (an empty peer set, a NaN slack, an infeasible cross-period distance), so
    no caller can show such a result as if it were right.  A subclass of
    :class:`AnalyticsInputError`: callers that refuse bad input refuse this too.
    """


class AnalyticsWarning(str):
    """A warning: a plain one-line string, Chinese first and English after, as results list them.

    It also keeps the two halves (``message_zh``, ``message_en``) for a page that
    shows one language, and a ``code`` naming the kind of warning (``"few_dmus"``,
    ``"skipped"``, ``"january"``) for a caller that reports some kinds elsewhere.
    """

    message_zh: str
    message_en: str
    code: str

    def __new__(cls, zh: str, en: str, code: str = "") -> AnalyticsWarning:
        self = super().__new__(cls, f"{zh} / {en}")
        self.message_zh, self.message_en, self.code = zh, en, code
        return self

    def __reduce__(self):  # pickles (forked workers) as the same warning
        return (AnalyticsWarning, (self.message_zh, self.message_en, self.code))


def warning(zh: str, en: str, *, code: str = "") -> AnalyticsWarning:
    """A warning as every result carries them: Chinese first, then English, one line."""
    return AnalyticsWarning(zh, en, code)
