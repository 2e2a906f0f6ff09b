"""Counters of attempts within a time window, atomic across requests and workers (issue 7).

The limits on wrong codes (the petition portal's look-up) and on public submissions used the
database cache's `incr`, which reads the value and writes it back: two concurrent requests could
read the same count and both pass. Here a counter is one row of `core.RateCounter`, incremented
by a single `INSERT … ON CONFLICT (key) DO UPDATE SET count = count + n … RETURNING count`
(PostgreSQL and SQLite ≥ 3.35), so every request gets a count of its own.

Use `hit` *before* doing the guarded thing and refuse when the count it returns is over the
limit — checking first and counting afterwards lets concurrent requests through in between:

```python
if limits.hit(key, window_seconds) > limit:
    raise Throttled
```
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from fazhi.core.models import RateCounter


def _table() -> str:
    return connection.ops.quote_name(RateCounter._meta.db_table)


def hit(key: str, window_seconds: int, amount: int = 1) -> int:
    """Add `amount` to the counter `key` and return its new value, in one statement; a counter
    whose window has ended starts again from `amount` with a new window."""
    now = timezone.now()
    at = connection.ops.adapt_datetimefield_value(now)
    until = connection.ops.adapt_datetimefield_value(now + dt.timedelta(seconds=window_seconds))
    table, q = _table(), connection.ops.quote_name
    key_col, count_col, exp_col = q("key"), q("count"), q("expires_at")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {exp_col} <= %s AND {key_col} <> %s", [at, key])  # noqa: S608 - names are quoted identifiers
        cursor.execute(
            f"INSERT INTO {table} ({key_col}, {count_col}, {exp_col}) VALUES (%s, %s, %s) "  # noqa: S608
            f"ON CONFLICT ({key_col}) DO UPDATE SET "
            f"{count_col} = CASE WHEN {table}.{exp_col} <= %s THEN excluded.{count_col} "
            f"ELSE {table}.{count_col} + excluded.{count_col} END, "
            f"{exp_col} = CASE WHEN {table}.{exp_col} <= %s THEN excluded.{exp_col} "
            f"ELSE {table}.{exp_col} END "
            f"RETURNING {count_col}",
            [key, max(amount, 0), until, at, at],
        )
        return int(cursor.fetchone()[0])


def count(key: str) -> int:
    """The counter's value (0 when it does not exist or its window has ended)."""
    row = (
        RateCounter.objects.filter(key=key, expires_at__gt=timezone.now())
        .values_list("count", flat=True)
        .first()
    )
    return int(row or 0)


def give_back(key: str, amount: int = 1) -> None:
    """Take back `amount` counted by `hit` (an attempt that turned out to be allowed)."""
    from django.db.models import F
    from django.db.models.functions import Greatest

    RateCounter.objects.filter(key=key).update(count=Greatest(F("count") - amount, 0))


def reset(key: str) -> None:
    RateCounter.objects.filter(key=key).delete()
