"""Shared checks for text and numbers typed by a clerk or read from a file.

Forms, the API and every import use the same ones: the base model's `full_clean` refuses control
and bidirectional-override characters in every text field (see `text_problem`), and the
importers parse numbers with `parse_decimal` / `parse_int`, which bound a cell's length and
exponent before converting it (`1e1000000` or 5,000 digits are refused in microseconds instead
of taking seconds of CPU). Messages are Chinese and name the limit.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

#: Unicode bidirectional embeddings/overrides/isolates (U+202A–202E, U+2066–2069): they reorder
#: what a reader sees (a name that displays differently from what is stored)
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_MULTILINE_ALLOWED = frozenset("\n\r\t")
#: a number typed in a cell: at most this many characters (digits, sign, point, separators)
MAX_NUMBER_CHARS = 30
_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def text_problem(value: str, *, multiline: bool = False) -> str:
    """A Chinese description of what is wrong with `value`, or "" when it is acceptable."""
    for ch in value:
        if ch in BIDI_CONTROLS:
            return f"含有改变文字显示方向的控制字符（U+{ord(ch):04X}），请删除后重新填写"
        if unicodedata.category(ch) == "Cc" and not (multiline and ch in _MULTILINE_ALLOWED):
            return f"含有不可见的控制字符（U+{ord(ch):04X}），请删除后重新填写"
    return ""


@deconstructible
class PlainText:
    """Field validator: no control or bidirectional-override characters."""

    def __init__(self, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, value: Any) -> None:
        if isinstance(value, str):
            problem = text_problem(value, multiline=self.multiline)
            if problem:
                raise ValidationError(problem, code="control_character")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlainText) and other.multiline == self.multiline


def _number_text(raw: Any) -> str:
    if isinstance(raw, bool):
        raise ValueError(f"“{raw}”不是数字")
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ValueError("数字超出范围")
        text = repr(raw)
    else:
        text = str(raw).strip().replace(",", "").replace("，", "")
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(f"数字过长（不超过{MAX_NUMBER_CHARS}个字符）")
    if not _NUMBER_RE.match(text):
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise ValueError(f"“{shown}”不是数字（请填写阿拉伯数字，如 1200 或 35.5）")
    return text


def parse_decimal(
    raw: Any,
    *,
    max_digits: int = 14,
    decimal_places: int = 2,
    minimum: Decimal | int | None = 0,
) -> Decimal:
    """A number from a cell or form: at most `max_digits` digits of which `decimal_places`
    after the point, not below `minimum` (None: no lower bound). Raises ValueError (Chinese)."""
    text = _number_text(raw)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{text}”不是数字") from None
    whole = max_digits - decimal_places
    if number.adjusted() >= whole:
        raise ValueError(f"数字过大（整数部分不超过{whole}位）")
    if number.adjusted() < -decimal_places - 1 and number:
        raise ValueError(f"小数不超过{decimal_places}位")
    try:
        quantized = number.quantize(Decimal(1).scaleb(-decimal_places))
    except InvalidOperation:
        raise ValueError("数字超出范围") from None
    if quantized != number:
        raise ValueError(f"小数不超过{decimal_places}位")
    if minimum is not None and number < minimum:
        raise ValueError("不能为负数" if minimum == 0 else f"不能小于{minimum}")
    return quantized


def parse_int(raw: Any, *, minimum: int | None = 0, maximum: int = 2_147_483_647) -> int:
    """A whole number from a cell or form, within [minimum, maximum]. Raises ValueError."""
    text = _number_text(raw)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{text}”不是整数") from None
    if number.adjusted() > 18 or number.copy_abs() > maximum:
        raise ValueError(f"数字过大（不超过{maximum}）")
    if number.adjusted() < -18:
        raise ValueError(f"“{text}”不是整数")
    if number != number.to_integral_value():
        raise ValueError(f"“{text}”不是整数")
    value = int(number)
    if minimum is not None and value < minimum:
        raise ValueError("不能为负数" if minimum == 0 else f"不能小于{minimum}")
    return value
