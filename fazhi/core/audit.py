"""Write history. Called by services inside their transaction; never by signals."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import decimal
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone

from fazhi.core.choices import ChangeAction
from fazhi.core.context import job_id, request_id
from fazhi.core.models import ChangeRecord, DomainEvent

MASK = "（已修改，内容不予显示）"
BATCH = 1000

#: rows waiting to be written in bulk (inside `batched()`), each as (model, its column values
#: by attname, without `at`): no model instance is built for them; None when writing one by one
_pending: contextvars.ContextVar[list[tuple[type, dict[str, Any]]] | None] = contextvars.ContextVar(
    "fazhi_audit_pending", default=None
)


def _append(model: type[ChangeRecord] | type[DomainEvent], values: dict[str, Any]) -> Any:
    """Save the row now (returned), or inside `batched()` queue its values (None returned)."""
    pending = _pending.get()
    if pending is None:
        row = model(**values)
        row.save()
        return row
    pending.append((model, values))
    if len(pending) >= BATCH:
        flush()
    return None


def flush() -> None:
    """Write the change records and events collected by `batched()` so far (in order)."""
    pending = _pending.get()
    if not pending:
        return
    rows = list(pending)
    pending.clear()
    for model in (ChangeRecord, DomainEvent):  # each table in the order its rows were recorded
        same = [values for kind, values in rows if kind is model]
        if same:
            insert_rows(model, same)


_PLAIN = frozenset({"CharField", "TextField", "ForeignKey"})


@functools.cache
def _columns(model: type[models.Model]) -> tuple[models.Field, ...]:
    return tuple(f for f in model._meta.concrete_fields if not f.primary_key)


def insert_rows(
    model: type[ChangeRecord] | type[DomainEvent], rows: Sequence[models.Model | dict[str, Any]]
) -> None:
    """Insert history rows in one statement per table, without the ORM's per-object work:
    `COPY … FROM STDIN` on PostgreSQL, one `executemany` INSERT on SQLite (and any other
    backend). Every column holds what `row.save()` stores — the ORM's own preparation of each
    value (`get_db_prep_save`: JSON as the field encodes it, foreign keys as ids), `at` the time
    of the flush, as `auto_now_add` would set it — only `id` is not read back: the rows are
    history, nothing refers to them. A row is a model instance or a dict of its column values
    by attname (what `record_change`/`record_event` queue inside `batched()`; `at` is ignored). `tests/test_audit_bulk.py` writes the same records both
    ways and compares every column. The statement goes through the connection's execute
    wrappers (query counters and the like see it)."""
    if not rows:
        return
    fields = _columns(model)
    now = timezone.now()
    at = model._meta.get_field("at").get_db_prep_save(now, connection)
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    # text and foreign-key columns already holding a str, an int or None store that value as
    # is (what their get_db_prep_save returns for it); everything else is prepared by its field
    plain = [f.get_internal_type() in _PLAIN for f in fields]
    columns = [
        (f, f.attname, is_plain, f.attname == "at")
        for f, is_plain in zip(fields, plain, strict=True)
    ]
    defaults = {f.attname: f.get_default() for f in fields}
    prepared = []
    for row in rows:
        if isinstance(row, dict):
            get = row.get
        else:
            row.at = now
            get = functools.partial(getattr, row)
        values = []
        for f, attname, is_plain, is_at in columns:
            if is_at:
                values.append(at)
                continue
            value = get(attname, defaults[attname])
            if is_plain and (value is None or type(value) in (str, int)):
                values.append(value)
            else:
                values.append(f.get_db_prep_save(value, connection))
        prepared.append(values)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {table} ({names}) FROM STDIN"

            def copy(sql: str, params: Any, many: bool, context: Any) -> None:
                with cursor.cursor.copy(sql) as out:
                    for values in params:
                        out.write_row(values)

            cursor._execute_with_wrappers(sql, prepared, True, copy)
        else:
            marks = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - quoted model names
            cursor.executemany(sql, prepared)


@contextlib.contextmanager
def batched() -> Iterator[None]:
    """Collect the change records and domain events written inside the block and insert them in
    bulk (every BATCH rows and at the end), in the order they were recorded. For multi-row
    writes (imports, the demo loader) inside one transaction; the rows are the same as when
    written one by one. Nested use joins the outer batch."""
    if _pending.get() is not None:
        yield
        return
    token = _pending.set([])
    try:
        yield
        flush()
    finally:
        _pending.reset(token)


_SKIP = {"created_at", "updated_at", "version", "created_by", "updated_by"}


_AS_IS = frozenset({str, int, bool, float, type(None)})


def _plain(value: Any) -> Any:
    if type(value) in _AS_IS:
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


@functools.cache
def tracked_fields(model: type[models.Model]) -> list[models.Field]:
    """Concrete fields, and many-to-many fields whose link table Django manages (links through
    a model of their own are records with their own history)."""
    concrete = [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in _SKIP]
    m2m = [f for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]
    return [*concrete, *m2m]


@functools.cache
def _snapshot_plan(model: type[models.Model]) -> tuple[tuple[str, str | None], ...]:
    """(name, attname) of each tracked field; attname None for a many-to-many field."""
    return tuple((f.name, None if f.many_to_many else f.attname) for f in tracked_fields(model))


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The tracked field values of `obj` as JSON-ready values (FKs as ids, M2M as sorted ids)."""
    values: dict[str, Any] = {}
    for name, attname in _snapshot_plan(type(obj)):
        if attname is None:
            values[name] = sorted(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
        else:
            value = getattr(obj, attname)
            values[name] = value if type(value) in _AS_IS else _plain(value)
    return values


def _display(obj: models.Model, field: models.Field, value: Any) -> Any:
    if value in (None, ""):
        return value
    labeler = getattr(type(obj), "field_value_labels", {}).get(field.name)
    if labeler is not None:  # a stored code shown by its name (e.g. a metric's label)
        return labeler(value)
    if field.many_to_many:
        related = field.related_model._default_manager.filter(pk__in=value or [])
        return "、".join(sorted(str(r) for r in related))
    if field.choices:
        return _choice_labels(field).get(value, value)
    if field.is_relation:
        if value == getattr(obj, field.attname, None):
            related = getattr(obj, field.name, None)  # usually already loaded: no query
        else:
            related = field.related_model._default_manager.filter(pk=value).first()
        if isinstance(related, AbstractBaseUser):
            return related.get_full_name() or related.get_username()  # a name, not a login
        return str(related) if related else value
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


@functools.cache
def _choice_labels(field: models.Field) -> dict[Any, Any]:
    return dict(field.flatchoices)


_HAN = re.compile(r"[\u4e00-\u9fff]")


def is_user_label(label: Any) -> bool:
    """A field's label is meant for users when it is Chinese; a field without one is plumbing
    (Django's default label is the English field name)."""
    return bool(_HAN.search(str(label)))


@functools.cache
def _shown_fields(model: type[models.Model]) -> tuple[models.Field, ...]:
    """The tracked fields a clerk reads in the history (`diff`'s fields, computed once)."""
    hidden = getattr(model, "history_hidden_fields", frozenset())
    return tuple(
        f for f in tracked_fields(model) if f.name not in hidden and is_user_label(f.verbose_name)
    )


@functools.cache
def _diff_plan(model: type[models.Model]) -> tuple[tuple[models.Field, str, str, bool], ...]:
    """(field, name, label, masked) of each shown field, computed once per model."""
    masked = getattr(model, "history_masked_fields", frozenset())
    return tuple((f, f.name, str(f.verbose_name), f.name in masked) for f in _shown_fields(model))


_EMPTY = (None, "", False, [])


def diff(
    obj: models.Model, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    # plumbing (links, codes, sweep dates) is left out: no clerk reads it in the history
    for field, name, label, masked in _diff_plan(type(obj)):
        old = before.get(name) if before else None
        new = after.get(name) if after else None
        if before is not None and after is not None and old == new:
            continue
        if before is None and new in _EMPTY or after is None and old in _EMPTY:
            continue
        if masked:
            entry = {"label": label, "before": MASK if old else "", "after": MASK if new else ""}
        else:
            entry = {
                "label": label,
                "before": _display(obj, field, old),
                "after": _display(obj, field, new),
            }
        changes[name] = entry
    return changes


def _actor_fields(actor: Any) -> dict[str, Any]:
    """The actor columns by attname (the id, not the instance: no row is built for them)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor_id": None, "actor_name": "系统"}
    name = actor.get_full_name() or actor.get_username()
    return {"actor_id": actor.pk, "actor_name": name}


def _parent(obj: models.Model) -> tuple[int | None, str]:
    attr = getattr(type(obj), "history_parent", None)
    if not attr:
        return None, ""
    parent = getattr(obj, attr, None)
    if parent is None:
        return None, ""
    return ContentType.objects.get_for_model(parent).pk, str(parent.pk)


def record_change(
    obj: models.Model,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    *,
    actor: Any,
) -> ChangeRecord | None:
    """Append one change record. An update that changed nothing writes nothing. Written one by
    one, the saved record is returned; inside `batched()` its values are queued (no model
    instance is built) and None is returned."""
    changes = diff(obj, before, after)
    if action == ChangeAction.UPDATE and not changes:
        return None
    parent_ct, parent_id = _parent(obj)
    township_id = getattr(obj, "township_id", None)
    if township_id is None and obj._meta.model_name == "township":
        township_id = obj.pk
    return _append(
        ChangeRecord,
        {
            "township_id": township_id,
            "content_type_id": ContentType.objects.get_for_model(obj).pk,
            "object_id": str(obj.pk),
            "object_repr": str(obj)[:200],
            "action": action,
            "changes": changes,
            "parent_content_type_id": parent_ct,
            "parent_object_id": parent_id,
            "request_id": request_id.get(),
            "job_id": job_id.get(),
            **_actor_fields(actor),
        },
    )


def record_event(
    kind: str,
    label: str,
    *,
    township: Any,
    actor: Any,
    obj: models.Model | None = None,
    payload: dict[str, Any] | None = None,
) -> DomainEvent | None:
    """Append one typed domain event (e.g. kind="petitions.accepted"). Written one by one, the
    saved event is returned; inside `batched()` its values are queued and None is returned."""
    return _append(
        DomainEvent,
        {
            "township_id": getattr(township, "pk", township),
            "kind": kind,
            "label": label[:200],
            "content_type_id": ContentType.objects.get_for_model(obj).pk
            if obj is not None
            else None,
            "object_id": str(obj.pk) if obj is not None else "",
            "payload": {k: _plain(v) for k, v in (payload or {}).items()},
            "request_id": request_id.get(),
            "job_id": job_id.get(),
            **_actor_fields(actor),
        },
    )


#: a township's mark rows beyond which `records_versions` folds them into one (PostgreSQL)
FOLD = 32


def records_versions(township_ids: Iterable[Any]) -> dict[Any, int]:
    """How far each township's history has grown: its change records and domain events, as
    counted by its `HistoryMark` rows (database triggers add to them on every insert, in the
    inserting transaction).

    Both history tables are append-only and every write through the services appends to them in
    the same transaction, so each committed write makes the number grow, whatever order
    concurrent transactions commit in (a maximum id would not: ids are drawn at insert, not at
    commit). Key anything computed from a township's records with it, read *before* computing:
    a value cached under an older number is never read again. One query for any number of
    townships, reading at most FOLD rows each whatever the length of the history (a township
    with more is folded here, on PostgreSQL, into one row of the same sum)."""
    from django.db.models import Count, Sum

    from fazhi.core.models import HistoryMark

    ids = list(township_ids)
    out: dict[Any, int] = dict.fromkeys(ids, 0)
    if not ids:
        return out
    marks = (
        HistoryMark.objects.filter(township_id__in=ids)
        .order_by()
        .values_list("township_id")
        .annotate(added=Sum("added"), rows=Count("pk"))
    )
    piled = []
    for pk, added, rows in marks:
        out[pk] = added
        if rows > FOLD:
            piled.append(pk)
    if piled and connection.vendor == "postgresql":
        fold(piled)
    return out


def fold(township_ids: list[Any]) -> None:
    """Replace each township's mark rows by one row of their sum (PostgreSQL; SQLite keeps one
    row a township). One statement in its own transaction: a concurrent reader sees the rows
    before or after, of the same sum; rows a writer has not committed yet are left alone; a
    township another session is folding is skipped (an advisory lock, tried, not waited for)."""
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "WITH mine AS (SELECT t FROM unnest(%s::bigint[]) AS u(t)"
            " WHERE pg_try_advisory_xact_lock(hashtext('core_historymark'), t::int)),"
            " gone AS (DELETE FROM core_historymark WHERE township_id IN (SELECT t FROM mine)"
            " RETURNING township_id, added)"
            " INSERT INTO core_historymark (township_id, added)"
            " SELECT township_id, SUM(added) FROM gone GROUP BY township_id",
            [list(township_ids)],
        )


def history_for(obj: models.Model):
    """Change records of `obj` and of its children (records naming it as parent)."""
    ct = ContentType.objects.get_for_model(obj)
    pk = str(obj.pk)
    return ChangeRecord.objects.filter(
        models.Q(content_type=ct, object_id=pk)
        | models.Q(parent_content_type=ct, parent_object_id=pk)
    ).select_related("content_type")


def events_for(obj: models.Model):
    ct = ContentType.objects.get_for_model(obj)
    return DomainEvent.objects.filter(content_type=ct, object_id=str(obj.pk))
