"""Arabic and Chinese numerals to numbers."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_SMALL = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_SMALL.update({"五": 5, "六": 6, "七": 7, "八": 8, "九": 9})


def cn_small(s: str) -> int | None:
    """Heading numerals 一 … 九十九 (一、 （十二） 三是)."""
    if not s:
        return None
    if len(s) == 1:
        return 10 if s == "十" else _SMALL.get(s)
    if s[0] == "十" and len(s) == 2:
        d = _SMALL.get(s[1])
        return 10 + d if d is not None else None
    if len(s) in (2, 3) and s[1] == "十":
        tens = _SMALL.get(s[0])
        ones = _SMALL.get(s[2]) if len(s) == 3 else 0
        if tens is None or ones is None:
            return None
        return tens * 10 + ones
    return None


@cache
def _cn2an() -> Callable[..., Any]:
    import cn2an  # imported lazily: it takes ~0.15 s

    return cn2an.cn2an


@cache
def cn_number(s: str) -> int | None:
    """A Chinese numeral of any size (两, 十二, 二十, 一百零八, 两万) or None if it is not one."""
    v = cn_small(s)
    if v is not None:
        return v
    try:
        n = _cn2an()(s, "smart")
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
    return int(n) if n is not None and float(n).is_integer() else None


def arabic_number(s: str) -> int | float:
    """ "2,000" → 2000, "86.8" → 86.8 (full-width digits work too)."""
    s = s.replace(",", "")
    if "." in s:
        return float(s)
    return int(s)


_DECIMAL_RE = re.compile(r"\d+(?:\.(\d+))?")


def stated_decimals(raw: str) -> int:
    """Decimal places of the first number in `raw`: "86.8%" → 1, "达100%" → 0."""
    m = _DECIMAL_RE.search(raw)
    return len(m.group(1)) if m and m.group(1) else 0
