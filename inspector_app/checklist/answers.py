"""One answer at a time: check it against its item and bring it to the stored form."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from inspector_app.checklist.model import Item, ItemType
from inspector_app.domain.visit import COMPLIANCE_LABELS, AnswerValue, Compliance

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_COMPLIANCE_BY_TEXT: dict[str, str] = {
    **{c.value: c.value for c in Compliance},
    **{label: c.value for c, label in COMPLIANCE_LABELS.items()},
    "na": "NA", "y": "Y", "n": "N",
}
_TRUE = frozenset({"true", "是", "yes", "y", "1", "有"})
_FALSE = frozenset({"false", "否", "no", "n", "0", "无"})
DEFAULT_MAX_TEXT = 2000


class AnswerError(ValueError):
    """An answer that does not fit its item; the message is Chinese, for the inspector."""


def is_answered(item: Item, value: AnswerValue) -> bool:
    """Whether a required item counts as filled in.

    An empty tick list is a real answer ("no problem ticked"); an empty photo list or text is not.
    """
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        return bool(value) or item.tick_list
    return True


def coerce(item: Item, raw: object) -> AnswerValue:
    """The stored form of ``raw`` for ``item``; None stays None (unanswered)."""
    if raw is None:
        return None
    kind = item.type
    if kind is ItemType.COMPLIANCE:
        return _compliance(raw)
    if kind is ItemType.YESNO:
        return _yesno(raw)
    if kind is ItemType.INTEGER:
        return _integer(item, raw)
    if kind is ItemType.DECIMAL:
        return _decimal(item, raw)
    if kind is ItemType.TEXT:
        return _text(item, raw)
    if kind is ItemType.CHOICE:
        return _choice(item, raw)
    if kind is ItemType.MULTI:
        return _multi(item, raw)
    if kind is ItemType.DATE:
        return _date(raw)
    if kind is ItemType.PHOTOS:
        return _photos(item, raw)
    return _signature(raw)


def _compliance(raw: object) -> str:
    if isinstance(raw, str):
        found = _COMPLIANCE_BY_TEXT.get(raw.strip()) or _COMPLIANCE_BY_TEXT.get(raw.strip().lower())
        if found:
            return found
    raise AnswerError("应为符合、不符合或不适用")


def _yesno(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        text = raw.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise AnswerError("应为是或否")


def _check_range(item: Item, number: int | Decimal) -> None:
    if item.min is not None and number < item.min:
        raise AnswerError(f"不能小于{item.min}")
    if item.max is not None and number > item.max:
        raise AnswerError(f"不能大于{item.max}")


def _integer(item: Item, raw: object) -> int | None:
    number: int
    if isinstance(raw, bool):
        raise AnswerError("应为整数")
    if isinstance(raw, int):
        number = raw
    elif isinstance(raw, float | Decimal):
        if not _is_whole(raw):
            raise AnswerError("应为整数")
        number = int(raw)
    elif isinstance(raw, str):
        text = raw.strip().replace(",", "")
        if not text:
            return None
        if len(text) > 18 or not re.fullmatch(r"[-+]?\d+", text):
            raise AnswerError("应为整数")
        number = int(text)
    else:
        raise AnswerError("应为整数")
    _check_range(item, number)
    return number


def _is_whole(number: float | Decimal) -> bool:
    try:
        return int(number) == number
    except (ValueError, OverflowError):  # NaN and infinities
        return False


def _decimal(item: Item, raw: object) -> str | None:
    if isinstance(raw, bool):
        raise AnswerError("应为数字")
    if isinstance(raw, str):
        text = raw.strip().replace(",", "")
        if not text:
            return None
        if len(text) > 40:
            raise AnswerError("应为数字")
    elif isinstance(raw, int | Decimal):
        text = str(raw)
    elif isinstance(raw, float):
        text = repr(raw)
    else:
        raise AnswerError("应为数字")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise AnswerError("应为数字") from None
    if not number.is_finite():
        raise AnswerError("应为数字")
    if item.places is not None:
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > item.places:
            raise AnswerError(f"最多保留{item.places}位小数")
    _check_range(item, number)
    return decimal_text(number)


def decimal_text(number: Decimal) -> str:
    """"12.50" → "12.5", "1E+2" → "100": one spelling per value, so hashes never differ."""
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _text(item: Item, raw: object) -> str | None:
    if not isinstance(raw, str):
        raise AnswerError("应为文字")
    text = raw.strip()
    if not text:
        return None
    limit = item.max_length or DEFAULT_MAX_TEXT
    if len(text) > limit:
        raise AnswerError(f"不能超过{limit}个字")
    return text


def _choice(item: Item, raw: object) -> str | None:
    if not isinstance(raw, str):
        raise AnswerError("应为选项之一")
    if not raw.strip():
        return None
    if item.choice(raw) is None:
        raise AnswerError(f"“{raw}”不是可选项")
    return raw


def _multi(item: Item, raw: object) -> list[str]:
    if not isinstance(raw, list | tuple | set | frozenset):
        raise AnswerError("应为选项列表")
    chosen = set()
    for value in raw:
        if not isinstance(value, str) or item.choice(value) is None:
            raise AnswerError(f"“{value}”不是可选项")
        chosen.add(value)
    # Stored in the form's option order so the same ticks always give the same list.
    result = [c.value for c in item.choices if c.value in chosen]
    _check_count(item, len(result), "项")
    return result


def _check_count(item: Item, count: int, unit: str) -> None:
    if count == 0:
        return
    if item.min is not None and count < item.min:
        raise AnswerError(f"至少{item.min}{unit}")
    if item.max is not None and count > item.max:
        raise AnswerError(f"最多{item.max}{unit}")


def _date(raw: object) -> str | None:
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, str):
        text = raw.strip()
        if not text:
            return None
        # As typed on a keyboard: 2026-03-01, 2026/3/1, 2026.3.1 or 20260301
        parts = re.split(r"[-/.年月日]", text.rstrip("日"))
        if len(parts) == 1 and len(text) == 8 and text.isdigit():
            parts = [text[:4], text[4:6], text[6:]]
        try:
            if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4:
                return date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat()
        except ValueError:
            pass
    raise AnswerError("应为日期（年-月-日，如 2026-03-01）")


def _photos(item: Item, raw: object) -> list[str]:
    if not isinstance(raw, list | tuple):
        raise AnswerError("应为照片列表")
    out: list[str] = []
    for digest in raw:
        if not isinstance(digest, str) or not _SHA256.match(digest):
            raise AnswerError("照片标识无效")
        if digest not in out:
            out.append(digest)
    _check_count(item, len(out), "张照片")
    return out


def _signature(raw: object) -> str | None:
    if isinstance(raw, str):
        if not raw.strip():
            return None
        if _SHA256.match(raw):
            return raw
    raise AnswerError("签名标识无效")
