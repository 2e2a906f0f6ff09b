"""Insert new model instances in bulk without the ORM's per-value compiler work.

`insert_objects(objs)` stores what `Model.objects.bulk_create(objs)` stores for new rows of a
model with an auto-increment primary key — every concrete field's value as `save()` prepares it
(`pre_save`: `auto_now`/`auto_now_add` times; `get_db_prep_save`), a foreign key assigned as an
instance saved since takes that instance's id — and sets each instance's id, in order, as
bulk_create does. The auto_now/auto_now_add date-times of one call are one `timezone.now()`
(bulk_create reads the clock for each field of each row: microseconds apart). No signals are sent (bulk_create sends none either). Conflict handling,
multi-table inheritance and explicit primary keys are not supported: use bulk_create for those.

What it leaves out is what bulk_create spends its time on for plain rows: the SQL compiler's
per-value work (`prepare_value`, `field_as_sql`, `pre_save_val` for each of ~30 columns of each
row) and `get_db_prep_save`'s chain of calls per value: each column's values are prepared by a
converter chosen once per statement (`core.dbvalues`, equal to `get_db_prep_save` value by
value). The statements:

- PostgreSQL: the ids are drawn from the table's sequence in one query
  (`SELECT nextval(…) FROM generate_series(1, n)`, sorted: ascending in the order of `objs`,
  as `INSERT … RETURNING` gives them) and the rows, ids included, go in by one
  `COPY … FROM STDIN` — two statements a call, whatever the number of rows; inside
  `audit.batched()` (every import's `bulk_write`) the ids come from a pool per table drawn
  ahead (see POOL) and the COPY is sent on a second thread (`core.background`): a call makes
  no statement this thread waits for, the next statement of this thread waits for it;
- SQLite (and any other backend): multi-row `INSERT … RETURNING id`, split where bulk_create
  splits it (SQLite's 999 parameters), at most ROWS rows a statement.

Interface for bulk writers: build the unsaved instances (foreign keys as ids or as saved
instances), call `insert_objects(objs)` once per model and batch (all of one model; any
number), read `obj.pk` afterwards. `tests/test_bulkinsert.py` checks it against bulk_create
column by column on both databases.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone

from fazhi.core import audit, background
from fazhi.core.dbvalues import row_reader


def _own_pre_save(f: models.Field) -> bool:
    """Whether `f.pre_save` may return something else than the attribute (bulk_create calls
    it for every field): auto_now/auto_now_add dates, and any field class overriding it but
    the date fields (whose override only sets those times)."""
    if isinstance(f, models.DateField):
        return bool(f.auto_now or f.auto_now_add)
    return type(f).pre_save is not models.Field.pre_save


def _stamped(f: models.Field) -> bool:
    """An auto_now/auto_now_add DateTimeField: its `pre_save` sets the attribute to
    `timezone.now()` and returns it, which `insert_objects` does once per call."""
    return type(f) is models.DateTimeField and bool(f.auto_now or f.auto_now_add)


@functools.cache
def _plan(model: type[models.Model]) -> tuple[Any, ...]:
    fields = tuple(f for f in model._meta.concrete_fields if not f.primary_key)
    pre_save = tuple(_own_pre_save(f) and not _stamped(f) for f in fields)
    stamped = tuple(f.attname for f in fields if _stamped(f))
    foreign = tuple(
        (f, f.cache_name, f.attname, f.related_model, f.related_model._meta.pk.attname)
        for f in fields
        if f.many_to_one
    )
    return fields, pre_save, stamped, foreign


#: rows per INSERT statement at most
ROWS = 100

#: PostgreSQL: n ids drawn from a table's sequence, looked up once a statement (MATERIALIZED:
#: not once an id drawn)
IDS_SQL = (
    "WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, %s)::regclass AS seq) "
    "SELECT nextval(s.seq) FROM s, generate_series(1, %s)"
)


def insert_objects(objs: Sequence[models.Model]) -> None:
    """INSERT the unsaved instances `objs` (all of one model) and set their ids."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    if not isinstance(meta.pk, AutoFieldMixin) or meta.parents:
        raise ValueError(f"insert_objects: {meta.label} needs bulk_create")
    fields, pre_save, stamped, foreign = _plan(model)
    postgres = connection.vendor == "postgresql"
    read = row_reader(model, fields, connection, copy=postgres, pre_save=pre_save)
    pk_attname = meta.pk.attname
    # the auto_now times: one `timezone.now()` a call rather than one a field and row
    now = timezone.now() if stamped else None
    rows = []
    for obj in objs:
        data = obj.__dict__
        if data.get(pk_attname) is not None:
            raise ValueError(f"insert_objects: {meta.label} {obj.pk} is already saved")
        cached = obj._state.fields_cache
        if cached:  # `_prepare_related_fields_for_save`: an instance saved since
            for f, cache_name, attname, related_model, related_pk_attname in foreign:
                related = cached.get(cache_name)
                if related is not None:
                    if type(related) is related_model and related_pk_attname in related.__dict__:
                        related_pk = related.__dict__[related_pk_attname]  # its `.pk`
                    else:
                        related_pk = related.pk
                    if related_pk is None:
                        raise ValueError(f"{meta.label}.{f.name}: the related row is unsaved")
                    if data.get(attname) is None:
                        setattr(obj, attname, related_pk)
        for attname in stamped:
            data[attname] = now
        rows.append(read(obj))
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    names = ", ".join(quote(f.column) for f in fields)
    pk = quote(meta.pk.column)
    sender = audit.sender()
    if postgres and sender is not None:
        ids = _send(sender, table, pk, meta.pk.column, names, rows)
    else:
        with connection.cursor() as cursor:
            if postgres:
                ids = _copy(cursor, table, pk, meta.pk.column, names, rows)
            else:
                ids = _insert(cursor, table, pk, names, fields, objs, rows)
    if len(ids) != len(objs):
        raise RuntimeError("insert_objects: the database returned fewer ids than rows")
    db = connection.alias
    for obj, pk_value in zip(objs, ids, strict=True):
        obj.__dict__[pk_attname] = pk_value  # what `obj.pk = …` sets (no parents here)
        obj._state.adding = False
        obj._state.db = db


def _copy(cursor: Any, table: str, pk: str, column: str, names: str, rows: list) -> list[Any]:
    """PostgreSQL: the ids from the sequence (one query), then one COPY of the rows."""
    cursor.execute(IDS_SQL, [table, column, len(rows)])
    ids = sorted(r[0] for r in cursor.fetchall())
    sql = f"COPY {table} ({pk}, {names}) FROM STDIN"
    background.copy(sql, [(pk_value, *values) for pk_value, values in zip(ids, rows, strict=True)])
    return ids


#: the most ids drawn at once for a table's pool (inside `audit.batched()` on PostgreSQL):
#: each draw takes as many as the block has drawn so far (the rows wanted at least), so a
#: small write leaves no gap and a large one draws ~log2(rows) times; those left at the
#: block's end are gaps in the sequence, as a rolled-back insert's are
POOL = 10_000


def _send(sender: Any, table: str, pk: str, column: str, names: str, rows: list) -> list[Any]:
    """PostgreSQL inside `audit.batched()`: the ids from the table's pool (see POOL), the COPY
    sent on the sender's thread (`core.background`): nothing waits for it here, the next
    statement of this thread does."""
    pool, drawn = sender.pools.setdefault(table, (deque(), [0]))
    if len(pool) < len(rows):
        size = max(len(rows) - len(pool), min(POOL, drawn[0]))
        with connection.cursor() as cursor:  # waits for what was sent (a read, in order)
            cursor.execute(IDS_SQL, [table, column, size])
            pool.extend(sorted(r[0] for r in cursor.fetchall()))
        drawn[0] += size
    ids = [pool.popleft() for _ in rows]
    sql = f"COPY {table} ({pk}, {names}) FROM STDIN"
    background.copy(
        sql, [(pk_value, *values) for pk_value, values in zip(ids, rows, strict=True)], sender
    )
    return ids


def _insert(
    cursor: Any, table: str, pk: str, names: str, fields: Any, objs: Any, rows: list
) -> list[Any]:
    """Multi-row INSERT … RETURNING, in chunks."""
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, connection.ops.bulk_batch_size(list(fields), objs))
    # at most ROWS a statement: a 1,000-row statement's SQL and flat parameter list were the
    # import's peak memory on PostgreSQL (no parameter limit splits it there, as SQLite's does)
    size = min(size, ROWS, max(1, 65535 // len(fields)))
    ids: list[Any] = []
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        sql = (
            f"INSERT INTO {table} ({names}) VALUES "  # noqa: S608 - quoted model names
            + ", ".join([one] * len(chunk))
            + f" RETURNING {pk}"
        )
        cursor.execute(sql, [v for values in chunk for v in values])
        ids.extend(r[0] for r in cursor.fetchall())
    return ids
