"""Receipt and case numbers per township, per year, per kind: 〔2026〕寺庄镇信字第12号.

The number comes from a `Counter` row read under `select_for_update`, so concurrent writers
queue on the row and every number is used once. Call `next_number` inside the transaction
that saves the numbered record: if that transaction rolls back, so does the counter, and the
numbers stay gapless. `lock_counter` is the same lock, reused by the evidence chain.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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


#: how many taken numbers `next_number` skips before it gives up (a corrupted counter)
_MAX_SKIP = 100_000


def next_number(
    township: Any, kind: str, *, year: int, taken: Callable[[str], bool] | None = None
) -> tuple[int, str]:
    """Take the next number of `kind` (e.g. "信") for the township and year.

    Returns (n, "〔2026〕寺庄镇信字第12号"). Unique and gapless under concurrent writers.
    `taken(text)` says whether a formatted number is already used by a record (numbers entered
    by hand or imported that never went through `claim_number`); such numbers are skipped, so an
    imported row ahead of the counter never blocks registration. Every numbered record type
    passes it (see `taken_in`).
    """
    _check(kind, year)
    if not isinstance(township, Township):
        township = Township.objects.only("name").get(pk=township)
    with transaction.atomic():
        counter = lock_counter(township, year, kind)
        value = counter.value
        for _ in range(_MAX_SKIP):
            value += 1
            text = format_number(township.name, kind, year, value)
            if taken is None or not taken(text):
                break
        else:  # pragma: no cover - needs 100,000 taken numbers in a row
            raise RuntimeError(f"编号计数器 {township.pk}/{year}/{kind} 之后的编号均已被占用")
        Counter.objects.filter(pk=counter.pk).update(value=value)
    return value, text


def taken_in(model: Any, field: str, township: Any) -> Callable[[str], bool]:
    """`taken` for `next_number`: is the number already used by a `model` row of the township?"""
    township_id = _township_id(township)

    def taken(text: str) -> bool:
        return model._default_manager.filter(township_id=township_id, **{field: text}).exists()

    return taken


def parse_number(township_name: str, kind: str, text: str) -> tuple[int, int] | None:
    """(year, n) of a number in our format for this township and kind, else None."""
    match = re.fullmatch(
        rf"〔(\d{{4}})〕{re.escape(township_name)}{re.escape(kind)}字第(\d{{1,9}})号",
        (text or "").strip(),
    )
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2))


def claim_number(township: Any, kind: str, text: str) -> int | None:
    """A number given by hand (a ledger import, a re-import of an export, the demo) in our own
    format moves the counter past it, so the next automatic number does not collide with it.
    Returns n, or None when the text is not in our format (then `taken` protects the counter).
    Call inside the transaction that saves the record."""
    if not isinstance(township, Township):
        township = Township.objects.only("name").get(pk=township)
    parsed = parse_number(township.name, kind, text)
    if parsed is None or not 1900 <= parsed[0] <= 9999:
        return None
    year, n = parsed
    counter = lock_counter(township, year, kind)
    if counter.value < n:
        Counter.objects.filter(pk=counter.pk).update(value=n)
    return n


def current_number(township: Any, kind: str, *, year: int) -> int:
    """The last number taken (0 when none); for display only, never to derive the next one."""
    row = (
        Counter.objects.filter(township_id=_township_id(township), year=year, kind=kind)
        .values_list("value", flat=True)
        .first()
    )
    return row or 0
