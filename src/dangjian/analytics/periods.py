"""Period labels as Chinese spreadsheets write them, read as points in time.

Malmquist indices compare consecutive periods, so the order must be the order
in time, never the order of the text or of a decimal number: ``2023.10`` is
October, not 2023.1, and ``2023/10/1`` comes after ``2023/9/1``.  Every label
of one analysis must be of one kind:

* a whole number (a year such as ``2023`` or ``2023年``, or a period number
  ``1, 2, 3`` as in DEAP),
* a quarter: ``2023Q3``, ``2023-Q3``, ``2023年第3季度``, ``2023年三季度``,
* a month: ``2023-09``, ``2023/9``, ``2023.9``, ``2023.10``, ``2023年9月``,
* a date: ``2023/2/1``, ``2023-02-01``, ``2023.2.1``, ``2023年2月1日``, or a
  date cell of a spreadsheet.

Anything else, and a mixture of kinds, is refused with a message naming the
label.  So is a decimal *number* cell (not text) such as 2023.1: a spreadsheet
stores 2023.10 as that same number, so its month cannot be known.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from .errors import AnalyticsInputError, warning

__all__ = ["order_periods"]

_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_CN_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4}
_NUMBER = re.compile(r"(\d+)(?:\s*年)?")
_QUARTER = re.compile(
    r"(\d{4})\s*(?:[-/.]\s*)?[Qq]\s*([1-4])"
    r"|(\d{4})\s*年\s*(?:第\s*)?([1-4一二三四])\s*季度?"
    r"|(\d{4})\s*年\s*[Qq]\s*([1-4])"
)
_MONTH = re.compile(r"(\d{4})\s*(?:[-/]\s*|年\s*)(\d{1,2})\s*月?|(\d{4})\.(\d{1,2})")
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_KIND_ZH = {"number": "年份或序号", "quarter": "季度", "month": "月份", "date": "日期"}
_FORMS_ZH = "年份（2023）、季度（2023Q3、2023年第3季度）、月份（2023-09、2023.10、2023年9月）或日期（2023/9/1）"
_FORMS_EN = "a year (2023), quarter (2023Q3), month (2023-09, 2023.10) or date (2023/9/1)"


def _parse(value: Any, where: str | int) -> tuple[str, tuple[int, ...], str]:
    """(kind, key in time order, label) of one period cell."""
    if isinstance(value, bool) or value is None:
        raise AnalyticsInputError("时期为空", "the period is empty", row=where)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return "date", (value.toordinal(),), value.isoformat()
    if isinstance(value, int):
        return "number", (value,), str(value)
    if isinstance(value, float):
        if value.is_integer():
            return "number", (int(value),), str(int(value))
        raise AnalyticsInputError(
            f"时期「{value:g}」是数字而非文本：数字 2023.1 与 2023.10 无法区分，请把时期写成文本（如 2023-10）",
            f"period {value:g} is a number, not text: the number 2023.1 cannot be told from 2023.10; "
            "write periods as text (e.g. 2023-10)",
            row=where,
        )
    label = str(value).strip()
    text = label.translate(_DIGITS)
    if not text:
        raise AnalyticsInputError("时期为空", "the period is empty", row=where)
    if match := _NUMBER.fullmatch(text):
        return "number", (int(match[1]),), label
    if match := _QUARTER.fullmatch(text):
        year, quarter = next((a, b) for a, b in zip(match.groups()[::2], match.groups()[1::2], strict=True) if a)
        return "quarter", (int(year), _CN_QUARTER.get(quarter) or int(quarter)), label
    if match := _MONTH.fullmatch(text):
        year, month = (match[1], match[2]) if match[1] else (match[3], match[4])
        if not 1 <= int(month) <= 12:
            raise AnalyticsInputError(
                f"时期「{label}」的月份 {int(month)} 不存在", f"period '{label}' has no month {int(month)}", row=where
            )
        return "month", (int(year), int(month)), label
    if match := _DATE.fullmatch(text):
        try:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise AnalyticsInputError(
                f"时期「{label}」不是有效日期", f"period '{label}' is not a valid date", row=where
            ) from None
        return "date", (day.toordinal(),), label
    raise AnalyticsInputError(
        f"无法识别的时期「{label}」：请写成{_FORMS_ZH}",
        f"cannot read period '{label}': write {_FORMS_EN}",
        row=where,
    )


def order_periods(
    periods: Sequence[Any], row_labels: Sequence[str | int]
) -> tuple[list[str], list[str], list[str]]:
    """(each row's period label, the labels in time order, warnings).

    Labels that name the same period (``2023-9`` and ``2023-09``) become the
    first one seen.
    """
    parsed = [_parse(value, where) for value, where in zip(periods, row_labels, strict=True)]
    kinds = {kind for kind, _k, _l in parsed}
    if len(kinds) > 1:
        first = {}
        for kind, _k, label in parsed:
            first.setdefault(kind, label)
        (k1, l1), (k2, l2) = list(first.items())[:2]
        raise AnalyticsInputError(
            f"时期写法不一致：「{l1}」是{_KIND_ZH[k1]}，「{l2}」是{_KIND_ZH[k2]}；请统一为一种写法",
            f"periods are written in different forms: '{l1}' is a {k1}, '{l2}' a {k2}; use one form",
        )
    label_of: dict[tuple[int, ...], str] = {}
    for _kind, key, label in parsed:
        label_of.setdefault(key, label)
    rows = [label_of[key] for _kind, key, _l in parsed]
    ordered = [label_of[key] for key in sorted(label_of)]
    warnings = []
    # 2023.10 typed into a number cell comes back as 2023.1: say how January was read.
    januaries = [label for label in ordered if re.fullmatch(r"\d{4}\.0?1", label.translate(_DIGITS))]
    if januaries:
        warnings.append(warning(
            f"「{januaries[0]}」按 1 月计算；如果原意是 10 月（电子表格把 2023.10 存成了数字 2023.1），"
            "请把时期列改为文本或写成 2023-10",
            f"'{januaries[0]}' is read as January; if October was meant (a spreadsheet stores 2023.10 as "
            "the number 2023.1), make the period column text or write 2023-10",
            code="january",
        ))
    return rows, ordered, warnings
