"""The one exception type analysts and the web pages see for bad input."""

from __future__ import annotations

__all__ = ["AnalyticsInputError"]


class AnalyticsInputError(ValueError):
    """Bad input data, with the row and column it was found in.

    The message is Chinese first, then English, on one line, so the command line
    can print it as is and a web page can show it next to the uploaded table.
    ``row`` is what a person would call the row (the DMU name or the spreadsheet
    line number), ``column`` the column header.
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
        super().__init__(f"{prefix_zh}{zh} / {prefix_en}{en}")
