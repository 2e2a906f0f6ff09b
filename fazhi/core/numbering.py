"""Receipt and case numbers per township, per year, per kind: 〔2026〕寺庄镇信字第12号.

The number comes from a `Counter` row read under `select_for_update`, so concurrent writers
queue on the row and every number is used once. Call `next_number` inside the transaction
that saves the numbered record: if that transaction rolls back, so does the counter, and the
numbers stay gapless. `lock_counter` is the same lock, reused by the evidence chain.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from fazhi.core.models import Counter, Township

#: Counter rows with this year are not numbering counters (the evidence chain keeps its heads there).
RESERVED_YEAR = 0
_ATTEMPTS = 5


def _township_id(township: Any) -> int:
    return township.pk if isinstance(township, Township) else int(township)


def lock_counter(township: Any, year: int, kind: str) -> Counter:
    """The counter row (township, year, kind), created if missing and locked until commit.

    Must run inside `transaction.atomic`. Creation is race-safe: `get_or_create` runs in a
    savepoint; when a concurrent writer inserted the row first, the unique constraint raises
    IntegrityError and we read (and lock) their row instead.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_counter() must be called inside transaction.atomic()")
    township_id = _township_id(township)
    last_error: IntegrityError | None = None
    for _ in range(_ATTEMPTS):
        try:
            with transaction.atomic():
                counter, _created = Counter.objects.select_for_update().get_or_create(
                    township_id=township_id, year=year, kind=kind
                )
            return counter
        except IntegrityError as exc:  # created concurrently: retry the locked read
            last_error = exc
    raise RuntimeError(f"编号计数器 {township_id}/{year}/{kind} 无法锁定") from last_error


def format_number(township_name: str, kind: str, year: int, n: int) -> str:
    """〔2026〕寺庄镇信字第12号"""
    return f"〔{year}〕{township_name}{kind}字第{n}号"


def _check(kind: str, year: int) -> None:
    if not isinstance(kind, str) or not kind.strip():
        raise ValueError("编号类别不能为空（如：信、调、罚）。")
    if len(kind) > 12 or ":" in kind:
        raise ValueError(f"编号类别“{kind}”无效：不超过12个字，且不含冒号。")
    if not isinstance(year, int) or not 1900 <= year <= 9999:
        raise ValueError(f"编号年度“{year}”无效。")


def next_number(township: Any, kind: str, *, year: int) -> tuple[int, str]:
    """Take the next number of `kind` (e.g. "信") for the township and year.

    Returns (n, "〔2026〕寺庄镇信字第12号"). Unique and gapless under concurrent writers.
    """
    _check(kind, year)
    if not isinstance(township, Township):
        township = Township.objects.only("name").get(pk=township)
    with transaction.atomic():
        counter = lock_counter(township, year, kind)
        counter.value += 1
        Counter.objects.filter(pk=counter.pk).update(value=counter.value)
    return counter.value, format_number(township.name, kind, year, counter.value)


def current_number(township: Any, kind: str, *, year: int) -> int:
    """The last number taken (0 when none); for display only, never to derive the next one."""
    row = (
        Counter.objects.filter(township_id=_township_id(township), year=year, kind=kind)
        .values_list("value", flat=True)
        .first()
    )
    return row or 0
