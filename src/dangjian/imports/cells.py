"""Turning one raw cell into a value, the way people actually type it.

Pure functions without Django: each returns the value or raises CellError
with a Chinese message for the person who filled in the cell.
"""

import datetime as dt
import re


class CellError(ValueError):
    pass


_DATE_PARTS = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
MOBILE = re.compile(r"1\d{10}")  # whole value: use fullmatch
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
TAG_SPLIT = re.compile(r"[、,，;；\s]+")


def display(value) -> str:
    """How a raw cell reads back to the user in an error message."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}" if (value.hour or value.minute) else f"{value:%Y-%m-%d}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def to_text(value, *, max_length: int = 0) -> str:
    text = display(value)
    if max_length and len(text) > max_length:
        raise CellError(f"内容过长：最多 {max_length} 个字，实际 {len(text)} 个字")
    return text


def to_date(value) -> dt.date:
    if value.__class__ is str and (
        (len(value) == 10 and value[4] == "-" and value[7] == "-") or (len(value) == 8 and value.isdigit())
    ):
        # Fast path for 2020-01-05 and 20200105 (the C parser); anything else below.
        try:
            parsed = dt.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            if parsed.year >= 1900:
                return parsed
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = str(int(value))  # 20200105 typed into a number cell
    text = str(value).strip()
    match = _DATE_PARTS.match(text) or _DATE_COMPACT.match(text)
    if not match:
        raise CellError("日期格式无法识别，请写成 2020-01-05、2020/1/5、2020.1.5 或 20200105")
    year, month, day = (int(p) for p in match.groups())
    try:
        day_value = dt.date(year, month, day)
    except ValueError as exc:
        raise CellError("日期不存在，请核对年月日") from exc
    if year < 1900:
        raise CellError("日期早于1900年，请核对")
    return day_value


def to_enum(value, lookup: dict[str, str], labels: list[str]) -> str:
    text = "".join(display(value).split())
    try:
        return lookup[text]
    except KeyError:
        raise CellError("只能填写：" + "、".join(labels)) from None


def to_id_text(value) -> str:
    if isinstance(value, float):
        # Excel keeps 15 significant digits: an 18-digit number typed into a
        # number cell has already lost its last digits.
        raise CellError("身份证号被存成了数字，末几位可能已丢失；请把该列设为“文本”格式后重新填写")
    return "".join(str(value).split()).upper()


def to_phone(value) -> str:
    compact = "".join(display(value).split())
    if MOBILE.fullmatch(compact) or _LANDLINE.match(compact):
        return compact
    raise CellError("手机号应为11位数字（以1开头），固定电话请写成 010-12345678")


def to_tags(value) -> list[str]:
    names = [t for t in TAG_SPLIT.split(display(value)) if t]
    too_long = [t for t in names if len(t) > 20]
    if too_long:
        raise CellError(f"标签“{too_long[0]}”过长：每个标签最多20个字")
    return list(dict.fromkeys(names))
