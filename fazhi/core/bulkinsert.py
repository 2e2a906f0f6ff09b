"""Insert new model instances in bulk without the ORM's per-value compiler work.

`insert_objects(objs)` stores what `Model.objects.bulk_create(objs)` stores for new rows of a
model with an auto-increment primary key — every concrete field's value as `save()` prepares it
(`pre_save`: `auto_now`/`auto_now_add` times; `get_db_prep_save`), a foreign key assigned as an
instance saved since takes that instance's id — and sets each instance's id from the
statement's `RETURNING`, in order, as bulk_create does (one multi-row INSERT per chunk, chunks
split where bulk_create splits them: SQLite's 999 parameters). What it leaves out is what
bulk_create spends its time on for plain rows: the SQL compiler's per-value preparation
(`prepare_value`, `field_as_sql`, `pre_save_val` for each of ~30 columns of each row). No
signals are sent (bulk_create sends none either). Conflict handling, multi-table inheritance
and explicit primary keys are not supported: use bulk_create for those.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.db.models.fields import AutoFieldMixin

# fields whose stored value is the Python value itself when it is a str, an int or None
_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SmallIntegerField,
    models.BigIntegerField,
    models.ForeignKey,
)


@functools.cache
def _plan(model: type[models.Model]) -> tuple[Any, ...]:
    fields = tuple(f for f in model._meta.concrete_fields if not f.primary_key)
    columns = []
    for f in fields:
        timed = isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add)
        plain = type(f) in _PLAIN
        columns.append((f, f.attname, plain, timed))
    foreign = tuple(f for f in fields if f.many_to_one)
    return fields, tuple(columns), foreign


#: rows per INSERT statement at most
ROWS = 100


def insert_objects(objs: Sequence[models.Model]) -> None:
    """INSERT the unsaved instances `objs` (all of one model) and set their ids."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    if not isinstance(meta.pk, AutoFieldMixin) or meta.parents:
        raise ValueError(f"insert_objects: {meta.label} needs bulk_create")
    fields, columns, foreign = _plan(model)
    rows = []
    for obj in objs:
        if obj.pk is not None:
            raise ValueError(f"insert_objects: {meta.label} {obj.pk} is already saved")
        for f in foreign:  # `_prepare_related_fields_for_save`: an instance saved since
            if f.is_cached(obj):
                related = f.get_cached_value(obj)
                if related is not None:
                    if related.pk is None:
                        raise ValueError(f"{meta.label}.{f.name}: the related row is unsaved")
                    if getattr(obj, f.attname) is None:
                        setattr(obj, f.attname, related.pk)
        values = []
        for f, attname, plain, timed in columns:
            value = f.pre_save(obj, True) if timed else getattr(obj, attname)
            if plain and (value is None or type(value) in (str, int)):
                values.append(value)
            else:
                values.append(f.get_db_prep_save(value, connection))
        rows.append(values)
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    names = ", ".join(quote(f.column) for f in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, connection.ops.bulk_batch_size(list(fields), objs))
    # at most ROWS a statement: a 1,000-row statement's SQL and flat parameter list were the
    # import's peak memory on PostgreSQL (no parameter limit splits it there, as SQLite's does)
    size = min(size, ROWS, max(1, 65535 // len(fields)))
    pk = quote(meta.pk.column)
    ids: list[Any] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            sql = (
                f"INSERT INTO {table} ({names}) VALUES "  # noqa: S608 - quoted model names
                + ", ".join([one] * len(chunk))
                + f" RETURNING {pk}"
            )
            cursor.execute(sql, [v for values in chunk for v in values])
            ids.extend(r[0] for r in cursor.fetchall())
    if len(ids) != len(objs):
        raise RuntimeError("insert_objects: the database returned fewer ids than rows")
    db = connection.alias
    for obj, pk_value in zip(objs, ids, strict=True):
        obj.pk = pk_value
        obj._state.adding = False
        obj._state.db = db
