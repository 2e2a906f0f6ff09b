"""Reference data read once for the length of a bulk load (`load_demo`).

Inside `reference_data_fixed()` the working-day calendar of a year and the rule override in
force for (rule, county) are read from the database once and then served from memory: a load
that computes hundreds of deadlines reads them once instead of once per deadline (issue #9).
Outside the block nothing is cached. Whatever changes such data (calendar.enter_day/remove_day/
confirm_year, rules.set_override) calls `forget()`, so a write inside the block is seen.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_MEMO: ContextVar[dict[Hashable, Any] | None] = ContextVar("fazhi_reference_memo", default=None)


@contextmanager
def reference_data_fixed() -> Iterator[None]:
    """Serve calendar years and rule overrides from memory once read (nested blocks share)."""
    if _MEMO.get() is not None:
        yield
        return
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def memo(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per block for `key`; always `compute()` outside a block."""
    cache = _MEMO.get()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def forget() -> None:
    """Drop what was read (the calendar or an override was just changed)."""
    cache = _MEMO.get()
    if cache is not None:
        cache.clear()
