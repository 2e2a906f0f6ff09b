"""Reference data read once for the length of a bulk load (`load_demo`).

Inside `reference_data_fixed()` the working-day calendar of a year and the rule override in
force for (rule, county) are read from the database once and then served from memory: a load
that computes hundreds of deadlines reads them once instead of once per deadline (issue #9).
Outside the block nothing is cached. Whatever changes such data (calendar.enter_day/remove_day/
confirm_year, rules.set_override) calls `forget()`, so a write inside the block is seen.

A value read from ordinary rows (a township's county, the 司法所's staff, a village's 分包领导,
the warning thresholds) names those rows' models in `depends_on`: saving or deleting a row of
such a model inside the block forgets what was read (Django's post_save/post_delete signals;
a load that changes them with `QuerySet.update()` must call `forget()` itself).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_MEMO: ContextVar[dict[Hashable, Any] | None] = ContextVar("fazhi_reference_memo", default=None)
#: models whose saves and deletions empty the memo (see `memo(depends_on=…)`)
_WATCHED: set[type] = set()


def _changed(sender: type, **kwargs: Any) -> None:
    if sender in _WATCHED:
        forget()


def _watch(models: tuple[type, ...]) -> None:
    new = [m for m in models if m not in _WATCHED]
    if not new:
        return
    from django.db.models.signals import post_delete, post_save

    if not _WATCHED:
        post_save.connect(_changed, weak=False, dispatch_uid="fazhi.core.memo.save")
        post_delete.connect(_changed, weak=False, dispatch_uid="fazhi.core.memo.delete")
    _WATCHED.update(new)


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


def memo(key: Hashable, compute: Callable[[], T], depends_on: tuple[type, ...] = ()) -> T:
    """`compute()` once per block for `key`; always `compute()` outside a block. `depends_on`:
    the models `compute()` reads whose rows the block may write (their saves forget)."""
    cache = _MEMO.get()
    if cache is None:
        return compute()
    if depends_on:
        _watch(depends_on)
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def forget() -> None:
    """Drop what was read (the calendar or an override was just changed)."""
    cache = _MEMO.get()
    if cache is not None:
        cache.clear()
