"""Write history. Called by services inside their transaction; never by signals.

Two kinds of rows: change records (`record_change`: before/after of each changed field, by
label, masked where the model says so) and domain events (`record_event`). Written one by one
(each a `save()`), or inside `batched()` queued and inserted in bulk: one COPY (PostgreSQL) or
one executemany INSERT (SQLite) per table every BATCH rows — the same rows, in the same order.

Interface for bulk writers (ledger imports, the demo loader), all inside one transaction:

    with audit.batched():
        before = audit.snapshot(obj)            # compiled per model: ~30 fields in one call
        ...                                     # change obj, insert it (bulkinsert)
        audit.record_change(obj, ChangeAction.UPDATE, before, audit.snapshot(obj), actor=u)
        audit.record_event("disputes.accepted", "受理…", township=t, actor=u, obj=obj)

Inside `batched()` a record is diffed (a per-model plan: labels, masked fields, choice labels,
how each field is shown, computed once), its values become one tuple in column order, its JSON
is encoded at once, and its content types are looked up once per model and block; no model
instance is built and `record_change`/`record_event` return None. `flush()` writes what is
queued (`batched()` calls it every BATCH rows and at the end). `insert_rows(model, rows)`
inserts instances or dicts of column values the same way. `tests/test_audit_bulk.py` writes
the same records both ways and compares every column.
"""

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

from fazhi.core import background, dbvalues
from fazhi.core.choices import ChangeAction
from fazhi.core.context import job_id, request_id
from fazhi.core.models import ChangeRecord, DomainEvent

MASK = "（已修改，内容不予显示）"
BATCH = 1000

#: the columns of a queued change record / domain event, in the order `record_change` and
#: `record_event` put them in a row's tuple (every column but `id` and `at`, which `flush`
#: adds); `_check_columns` makes sure they are all the model's columns
CHANGE_COLUMNS = (
    "township_id",
    "content_type_id",
    "object_id",
    "object_repr",
    "action",
    "changes",
    "parent_content_type_id",
    "parent_object_id",
    "request_id",
    "job_id",
    "actor_id",
    "actor_name",
)
EVENT_COLUMNS = (
    "township_id",
    "kind",
    "label",
    "content_type_id",
    "object_id",
    "payload",
    "request_id",
    "job_id",
    "actor_id",
    "actor_name",
)


#: no actor met yet (None is an actor: the system)
_NO_ACTOR = object()


class _Batch:
    """What `batched()` holds: the queued rows of each table (tuples in CHANGE_COLUMNS /
    EVENT_COLUMNS order, JSON already encoded) and the content type ids met in the block."""

    __slots__ = (
        "changes", "events", "types", "dumps", "parents", "actor", "actor_columns", "sender",
        "hold",
    )  # fmt: skip

    def __init__(self) -> None:
        self.changes: list[tuple[Any, ...]] = []
        self.events: list[tuple[Any, ...]] = []
        self.types: dict[type, int] = {}
        self.dumps = _json_text(ChangeRecord._meta.get_field("changes"))
        self.parents: dict[type, str | None] = {}
        self.actor: Any = _NO_ACTOR
        self.actor_columns: tuple[Any, str] = (None, "")
        #: PostgreSQL inside a transaction: the COPY statements go on a second thread
        #: (`core.background`), overlapping the server's work with the next rows' building
        self.sender: background.Sender | None = None
        #: inside `holding()`: no flush when BATCH rows are waiting
        self.hold = False

    def actor_of(self, actor: Any) -> tuple[Any, str]:
        """`_actor(actor)`, kept for the last actor met (the same instance: a block's records
        share one, and its name does not change while the block writes)."""
        if actor is not self.actor:
            self.actor_columns = _actor(actor)
            self.actor = actor
        return self.actor_columns

    def parent_of(self, obj: models.Model) -> tuple[int | None, str]:
        """`_parent(obj)` with the parent attribute and its content type looked up once per
        model and block."""
        cls = type(obj)
        try:
            attr = self.parents[cls]
        except KeyError:
            attr = self.parents[cls] = getattr(cls, "history_parent", None) or None
        if attr is None:
            return None, ""
        parent = getattr(obj, attr, None)
        if parent is None:
            return None, ""
        return self.type_id(parent), str(parent.pk)

    def type_id(self, obj: models.Model) -> int:
        cls = type(obj)
        found = self.types.get(cls)
        if found is None:
            found = self.types[cls] = ContentType.objects.get_for_model(obj).pk
        return found


def _json_text(field: models.Field) -> Any:
    """The JSON column's value as the statement takes it (`dbvalues`: the text on SQLite and
    in COPY), for a dict."""
    return dbvalues.converter(field, connection, copy=True)


#: rows waiting to be written in bulk (inside `batched()`); None when writing one by one
_pending: contextvars.ContextVar[_Batch | None] = contextvars.ContextVar(
    "fazhi_audit_pending", default=None
)


def _queue(batch: _Batch, rows: list[tuple[Any, ...]], row: tuple[Any, ...]) -> None:
    rows.append(row)
    if len(batch.changes) + len(batch.events) >= BATCH and not batch.hold:
        flush()


def sender() -> background.Sender | None:
    """The open `batched()` block's sender (PostgreSQL: statements sent on a second thread), or
    None."""
    batch = _pending.get()
    return None if batch is None else batch.sender


@contextlib.contextmanager
def holding() -> Iterator[None]:
    """Inside `batched()`: what the block records is queued and not written when BATCH rows
    are waiting; the next `flush` writes it (or the next record past BATCH after the block,
    or the end of `batched()`). For a bulk writer whose batches begin with a read: it records
    a batch's history under `holding()` and flushes it after the next batch's read, so that
    read does not wait for the server to store the history (sent on the second thread,
    `core.background`) and the server stores it while the next batch is built. What is
    queued is one batch's history (its memory the writer's batch size bounds)."""
    batch = _pending.get()
    if batch is None:
        yield
        return
    before, batch.hold = batch.hold, True
    try:
        yield
    finally:
        batch.hold = before


def flush() -> None:
    """Write the change records and events collected by `batched()` so far (in order)."""
    batch = _pending.get()
    if batch is None or not (batch.changes or batch.events):
        return
    changes, events = batch.changes, batch.events
    batch.changes, batch.events = [], []
    if changes:  # each table in the order its rows were recorded
        _insert_prepared(ChangeRecord, CHANGE_COLUMNS, changes, batch.sender)
    if events:
        _insert_prepared(DomainEvent, EVENT_COLUMNS, events, batch.sender)


@functools.cache
def _check_columns(model: type[models.Model], names: tuple[str, ...]) -> None:
    have = {f.attname for f in _columns(model)}
    if have != {*names, "at"}:
        raise RuntimeError(f"audit: {model._meta.label}'s columns are {sorted(have)}")


def _insert_prepared(
    model: type[models.Model],
    names: tuple[str, ...],
    rows: Sequence[tuple[Any, ...]],
    sender: background.Sender | None = None,
) -> None:
    """Insert rows of prepared column values (`names` order) plus `at`, the time of now; with a
    `sender` (PostgreSQL), the COPY is sent on its thread and this returns at once."""
    _check_columns(model, names)
    meta = model._meta
    at_field = meta.get_field("at")
    at = dbvalues.converter(at_field, connection, copy=True)(timezone.now())
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    by_attname = {f.attname: f for f in _columns(model)}
    columns = ", ".join(quote(by_attname[n].column) for n in names)
    columns += ", " + quote(at_field.column)
    if connection.vendor == "postgresql":
        sql = f"COPY {table} ({columns}) FROM STDIN"
        background.copy(sql, [(*values, at) for values in rows], sender)
        return
    marks = ", ".join(["%s"] * (len(names) + 1))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - quoted names
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*values, at) for values in rows])


@functools.cache
def _columns(model: type[models.Model]) -> tuple[models.Field, ...]:
    return tuple(f for f in model._meta.concrete_fields if not f.primary_key)


def insert_rows(
    model: type[ChangeRecord] | type[DomainEvent], rows: Sequence[models.Model | dict[str, Any]]
) -> None:
    """Insert history rows in one statement per table, without the ORM's per-object work:
    `COPY … FROM STDIN` on PostgreSQL, one `executemany` INSERT on SQLite (and any other
    backend). Every column holds what `row.save()` stores — the ORM's own preparation of each
    value (`get_db_prep_save`, through `dbvalues`' converters: JSON as the field encodes it,
    foreign keys as ids), `at` the time of the insert, as `auto_now_add` would set it — only
    `id` is not read back: the rows are history, nothing refers to them. A row is a model
    instance or a dict of its column values by attname (`at` is ignored). The statement goes
    through the connection's execute wrappers (query counters and the like see it)."""
    if not rows:
        return
    fields = tuple(f for f in _columns(model) if f.attname != "at")
    convert = dbvalues.converters(fields, connection, copy=True)
    defaults = {f.attname: f.get_default() for f in fields}
    now = timezone.now()
    prepared = []
    for row in rows:
        if isinstance(row, dict):
            get = row.get
        else:
            row.at = now
            get = functools.partial(getattr, row)
        prepared.append(
            tuple(
                conv(get(f.attname, defaults[f.attname]))
                for f, conv in zip(fields, convert, strict=True)
            )
        )
    names = tuple(f.attname for f in fields)
    _check_columns(model, names)
    _insert_prepared(model, names, prepared)


@contextlib.contextmanager
def batched() -> Iterator[None]:
    """Collect the change records and domain events written inside the block and insert them in
    bulk (every BATCH rows and at the end), in the order they were recorded. For multi-row
    writes (imports, the demo loader) inside one transaction; the rows are the same as when
    written one by one. Nested use joins the outer batch."""
    if _pending.get() is not None:
        yield
        return
    batch = _Batch()
    batch.sender = background.Sender.open(connection)
    token = _pending.set(batch)
    try:
        yield
        flush()
    except BaseException:
        if batch.sender is not None:
            batch.sender.close(raising=False)
        raise
    else:
        if batch.sender is not None:
            batch.sender.close()
    finally:
        _pending.reset(token)


_SKIP = {"created_at", "updated_at", "version", "created_by", "updated_by"}


_AS_IS = frozenset({str, int, bool, float, type(None)})


#: the JSON-ready form of a value of these exact types (what `_plain`'s checks give them)
_PLAIN_BY_TYPE: dict[type, Any] = {
    dt.date: dt.date.isoformat,
    dt.datetime: dt.datetime.isoformat,
    dt.time: dt.time.isoformat,
    decimal.Decimal: str,
}


def _plain(value: Any) -> Any:
    if type(value) in _AS_IS:
        return value
    plain = _PLAIN_BY_TYPE.get(type(value))
    if plain is not None:
        return plain(value)
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


def _m2m_ids(obj: models.Model, name: str) -> list[Any]:
    return sorted(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []


#: the value type each field class holds, by name in the compiled snapshotter's namespace
_TIMES = {models.DateField: "DATE", models.DateTimeField: "DATETIME"}


@functools.cache
def _snapshotter(model: type[models.Model]) -> Any:
    """`snapshot` for `model`, compiled: one function reading every tracked field in one go
    (from the instance's __dict__; a deferred or unusual attribute is read the usual way)."""
    lines = ["def snap(obj):", "    d = obj.__dict__", "    try:"]
    out = []
    for i, f in enumerate(tracked_fields(model)):
        if f.many_to_many:
            out.append(f"{f.name!r}: m2m(obj, {f.name!r})")
            continue
        if dbvalues.reads_dict(model, f.attname):
            lines.append(f"        v{i} = d[{f.attname!r}]")
        else:
            lines.append(f"        v{i} = getattr(obj, {f.attname!r})")
        kind = _TIMES.get(type(f))
        if kind is not None:  # a date's isoformat inline (`_plain`'s first case for it)
            out.append(
                f"{f.name!r}: v{i}.isoformat() if type(v{i}) is {kind} else "
                f"v{i} if type(v{i}) in AS_IS else plain(v{i})"
            )
        else:
            out.append(f"{f.name!r}: v{i} if type(v{i}) in AS_IS else plain(v{i})")
    lines.append("        pass")
    lines.append("    except KeyError:")
    lines.append("        return slow(obj)")
    lines.append("    return {" + ", ".join(out) + "}")
    space = {
        "AS_IS": _AS_IS,
        "plain": _plain,
        "m2m": _m2m_ids,
        "slow": _snapshot_slow,
        "DATE": dt.date,
        "DATETIME": dt.datetime,
    }
    code = compile("\n".join(lines), f"<audit.snapshot {model._meta.label}>", "exec")
    exec(code, space)  # noqa: S102 - the source is built from field names only
    return space["snap"]


def _snapshot_slow(obj: models.Model) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in tracked_fields(type(obj)):
        if f.many_to_many:
            values[f.name] = _m2m_ids(obj, f.name)
        else:
            value = getattr(obj, f.attname)
            values[f.name] = value if type(value) in _AS_IS else _plain(value)
    return values


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The tracked field values of `obj` as JSON-ready values (FKs as ids, M2M as sorted ids)."""
    return _snapshotter(type(obj))(obj)


_BLANK = (None, "")


def _display(obj: models.Model, field: models.Field, value: Any) -> Any:
    """How `value` of `field` is shown in the history (see `_shower`, computed per field)."""
    return _shower(type(obj), field)(obj, value)


@functools.cache
def _shower(model: type[models.Model], field: models.Field) -> Any:
    """The function showing a value of `field` of `model` in the history: a labelled code by
    its label, many-to-many ids by the names of the rows, a choice by its label, a related row
    by its name (a user by full name), a yes/no as 是/否, anything else as it is; an empty
    value as it is."""
    labeler = getattr(model, "field_value_labels", {}).get(field.name)
    if labeler is not None:  # a stored code shown by its name (e.g. a metric's label)

        def labelled(obj: models.Model, value: Any) -> Any:
            return value if value in _BLANK else labeler(value)

        return labelled
    if field.many_to_many:

        def linked(obj: models.Model, value: Any) -> Any:
            if value in _BLANK:
                return value
            related = field.related_model._default_manager.filter(pk__in=value or [])
            return "、".join(sorted(str(r) for r in related))

        return linked
    if field.choices:
        labels = _choice_labels(field)

        def chosen(obj: models.Model, value: Any) -> Any:
            return value if value in _BLANK else labels.get(value, value)

        return chosen
    if field.is_relation:
        attname, name, cache_name = field.attname, field.name, field.cache_name

        def related_row(obj: models.Model, value: Any) -> Any:
            if value in _BLANK:
                return value
            if value == getattr(obj, attname, None):
                cached = obj._state.fields_cache
                # usually already loaded: no query (what the descriptor returns for it)
                related = cached[cache_name] if cache_name in cached else getattr(obj, name, None)
            else:
                related = field.related_model._default_manager.filter(pk=value).first()
            if isinstance(related, AbstractBaseUser):
                return related.get_full_name() or related.get_username()  # a name, not a login
            return str(related) if related else value

        return related_row

    def as_is(obj: models.Model, value: Any) -> Any:
        if value in _BLANK:
            return value
        if isinstance(value, bool):
            return "是" if value else "否"
        return value

    return as_is


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
def _diff_plan(model: type[models.Model]) -> tuple[tuple[str, str, bool, Any], ...]:
    """(name, label, masked, shower) of each shown field, computed once per model."""
    masked = getattr(model, "history_masked_fields", frozenset())
    return tuple(
        (f.name, str(f.verbose_name), f.name in masked, _shower(model, f))
        for f in _shown_fields(model)
    )


_EMPTY = (None, "", False, [])


def diff(
    obj: models.Model, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> dict[str, Any]:
    """{field: {label, before, after}} of each shown field that changed (plumbing — links,
    codes, sweep dates — is left out: no clerk reads it in the history). A create (`before`
    None) lists the fields given a value, a delete (`after` None) the fields that had one; a
    masked field shows MASK for a value. Compiled per model (`_differ`)."""
    update, create, delete = _differ(type(obj))
    if before is not None and after is not None:
        return update(obj, before.get if before else _nothing, after.get if after else _nothing)
    if after is not None:
        return create(obj, after.get if after else _nothing)
    if before is not None:
        return delete(obj, before.get if before else _nothing)
    return {}


def _shown(model: type[models.Model], field: models.Field, var: str, space: dict) -> str:
    """The expression showing `var` (a value of `field`) in `diff`'s compiled source: what
    `_shower(model, field)` returns, inline for a choice and a plain value."""
    show = _shower(model, field)
    key = f"s_{field.name}"
    if show.__name__ == "chosen":
        space[f"labels_{field.name}"] = _choice_labels(field)
        return f"({var} if {var} in BLANK else labels_{field.name}.get({var}, {var}))"
    if show.__name__ == "as_is":
        return (
            f"({var} if {var} in BLANK else "
            f"(('是' if {var} else '否') if isinstance({var}, bool) else {var}))"
        )
    space[key] = show
    return f"{key}(obj, {var})"


@functools.cache
def _differ(model: type[models.Model]) -> tuple[Any, Any, Any]:
    """`diff` for `model`, compiled: (update, create, delete), each one function going through
    the shown fields in order (`_diff_plan`) with the labels, masks and showers bound."""
    space: dict[str, Any] = {"BLANK": _BLANK, "EMPTY": _EMPTY, "MASK": MASK}
    update = ["def update(obj, old_of, new_of):", "    changes = {}"]
    create = ["def create(obj, new_of):", "    changes = {}"]
    delete = ["def delete(obj, old_of):", "    changes = {}"]
    fields = {f.name: f for f in _shown_fields(model)}
    for i, (name, label, masked, _show) in enumerate(_diff_plan(model)):
        space[f"label{i}"] = label
        key = repr(name)
        if masked:
            old, new = '(MASK if o else "")', '(MASK if n else "")'
        else:
            old, new = (
                _shown(model, fields[name], "o", space),
                _shown(model, fields[name], "n", space),
            )
        update += [
            f"    o = old_of({key})",
            f"    n = new_of({key})",
            "    if not (o == n):",
            f"        changes[{key}] = {{'label': label{i}, 'before': {old}, 'after': {new}}}",
        ]
        create += [
            f"    n = new_of({key})",
            "    if not (n in EMPTY):",
            f"        changes[{key}] = {{'label': label{i}, 'before': "
            + ('""' if masked else "None")
            + f", 'after': {new}}}",
        ]
        delete += [
            f"    o = old_of({key})",
            "    if not (o in EMPTY):",
            f"        changes[{key}] = {{'label': label{i}, 'before': {old}, 'after': "
            + ('""' if masked else "None")
            + "}",
        ]
    source = "\n".join([*update, "    return changes", *create, "    return changes", *delete])
    source += "\n    return changes\n"
    code = compile(source, f"<audit.diff {model._meta.label}>", "exec")
    exec(code, space)  # noqa: S102 - the source is built from field names only
    return space["update"], space["create"], space["delete"]


def _nothing(name: str) -> None:
    return None


def _actor_fields(actor: Any) -> dict[str, Any]:
    """The actor columns by attname (the id, not the instance: no row is built for them)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor_id": None, "actor_name": "系统"}
    name = actor.get_full_name() or actor.get_username()
    return {"actor_id": actor.pk, "actor_name": name}


def _actor(actor: Any) -> tuple[Any, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, "系统"
    return actor.pk, actor.get_full_name() or actor.get_username()


def _parent(obj: models.Model) -> tuple[int | None, str]:
    attr = getattr(type(obj), "history_parent", None)
    if not attr:
        return None, ""
    parent = getattr(obj, attr, None)
    if parent is None:
        return None, ""
    return ContentType.objects.get_for_model(parent).pk, str(parent.pk)


def _text(model: type[models.Model], name: str, value: Any) -> Any:
    """A text column's value as `get_db_prep_save` prepares it (a str as it is, choices too)."""
    if isinstance(value, str):
        return value
    return model._meta.get_field(name).get_db_prep_save(value, connection)


def _key(model: type[models.Model], name: str, value: Any) -> Any:
    """A foreign key column's value as `get_db_prep_save` prepares it (an int as it is)."""
    if value is None or type(value) is int:
        return value
    return model._meta.get_field(name).get_db_prep_save(value, connection)


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
    township_id = township_of(obj)
    batch = _pending.get()
    if batch is None:
        parent_ct, parent_id = _parent(obj)
        row = ChangeRecord(
            township_id=township_id,
            content_type_id=ContentType.objects.get_for_model(obj).pk,
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            action=action,
            changes=changes,
            parent_content_type_id=parent_ct,
            parent_object_id=parent_id,
            request_id=request_id.get(),
            job_id=job_id.get(),
            **_actor_fields(actor),
        )
        row.save()
        return row
    parent_ct, parent_id = batch.parent_of(obj)
    actor_id, actor_name = batch.actor_of(actor)
    request, job = request_id.get(), job_id.get()
    _queue(
        batch,
        batch.changes,
        (
            township_id
            if type(township_id) is int
            else _key(ChangeRecord, "township", township_id),
            batch.type_id(obj),
            str(obj.pk),
            str(obj)[:200],
            action if type(action) is str else _text(ChangeRecord, "action", action),
            batch.dumps(changes),
            parent_ct,
            parent_id,
            request if type(request) is str else _text(ChangeRecord, "request_id", request),
            job if type(job) is str else _text(ChangeRecord, "job_id", job),
            actor_id,
            actor_name,
        ),
    )
    return None


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
    township_id = getattr(township, "pk", township)
    plain = {k: v if type(v) in _AS_IS else _plain(v) for k, v in (payload or {}).items()}
    batch = _pending.get()
    if batch is None:
        row = DomainEvent(
            township_id=township_id,
            kind=kind,
            label=label[:200],
            content_type_id=ContentType.objects.get_for_model(obj).pk if obj is not None else None,
            object_id=str(obj.pk) if obj is not None else "",
            payload=plain,
            request_id=request_id.get(),
            job_id=job_id.get(),
            **_actor_fields(actor),
        )
        row.save()
        return row
    actor_id, actor_name = batch.actor_of(actor)
    request, job = request_id.get(), job_id.get()
    _queue(
        batch,
        batch.events,
        (
            township_id if type(township_id) is int else _key(DomainEvent, "township", township_id),
            kind if type(kind) is str else _text(DomainEvent, "kind", kind),
            _text(DomainEvent, "label", label[:200]),
            batch.type_id(obj) if obj is not None else None,
            str(obj.pk) if obj is not None else "",
            batch.dumps(plain),
            request if type(request) is str else _text(DomainEvent, "request_id", request),
            job if type(job) is str else _text(DomainEvent, "job_id", job),
            actor_id,
            actor_name,
        ),
    )
    return None


#: a township's mark rows beyond which `records_versions` folds them into one (PostgreSQL)
FOLD = 32


def records_versions(township_ids: Iterable[Any]) -> dict[Any, int]:
    """How far each township's history has grown: a number that grows with every committed
    write of the township (a change record or domain event of it inserted), read in one query
    for any number of townships, at the same cost whatever the length of the history.

    Both history tables are append-only and every write through the services appends to them in
    the same transaction, so each committed write makes the number grow, whatever order
    concurrent transactions commit in. Key anything computed from a township's records with it,
    read *before* computing: a value cached under an older number is never read again.

    PostgreSQL: the township's `HistoryMark` rows summed (database triggers add each insert
    statement's rows to them, in the inserting transaction; a highest id would not do, as ids
    are drawn at insert and transactions commit in any order). At most FOLD rows a township are
    read (a township with more is folded here into one row of the same sum).

    SQLite: the township's highest change-record id plus its highest domain-event id, each one
    lookup in an index on the township (migration core 0011). SQLite has one writer at a time —
    a transaction holds the write lock from its first write to its commit — so ids are drawn in
    commit order and a township's highest ids only grow as its writes commit; each committed
    write raises at least one of them. A rolled-back write gives its ids back (the next write
    may draw them again): a number read inside that transaction can come back with other
    content, so whatever was cached under it must roll back too — the database cache of
    settings.CACHES lives in the same database and does (reports/tests/test_board_cache.py)."""
    ids = list(township_ids)
    out: dict[Any, int] = dict.fromkeys(ids, 0)
    if not ids:
        return out
    if connection.vendor == "sqlite":
        return _highest_ids(ids, out)
    from django.db.models import Count, Sum

    from fazhi.core.models import HistoryMark

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
    if piled:
        fold(piled)
    return out


#: the townships' versions on SQLite: per township (one JSON array parameter, any number of
#: them) the highest id of each history table, a SEARCH of the index core 0011 creates
_HIGHEST_IDS = (
    "SELECT t.value,"
    " COALESCE((SELECT MAX(c.id) FROM core_changerecord c WHERE c.township_id = t.value), 0)"
    " + COALESCE((SELECT MAX(e.id) FROM core_domainevent e WHERE e.township_id = t.value), 0)"
    " FROM json_each(%s) t"
)


def _highest_ids(ids: list[Any], out: dict[Any, int]) -> dict[Any, int]:
    import json

    keys = {int(pk): pk for pk in ids}
    with connection.cursor() as cursor:
        cursor.execute(_HIGHEST_IDS, [json.dumps(sorted(keys))])
        for pk, version in cursor.fetchall():
            out[keys[pk]] = version
    return out


def fold(township_ids: list[Any]) -> None:
    """Replace each township's mark rows by one row of their sum (PostgreSQL; SQLite keeps no
    mark rows, see `records_versions`). One statement in its own transaction: a concurrent
    reader sees the rows before or after, of the same sum; rows a writer has not committed yet
    are left alone; a township another session is folding is skipped (an advisory lock,
    tried, not waited for)."""
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


def township_of(obj: models.Model) -> Any:
    """The township a record's history is filed under: its own, or itself for a township
    (None for a record of no township: a county's, a user)."""
    township_id = getattr(obj, "township_id", None)
    if township_id is None and obj._meta.model_name == "township":
        township_id = obj.pk
    return township_id


def _of_township(obj: models.Model) -> dict[str, Any]:
    """The township filter of `obj`'s history: the history tables' indexes lead with the
    township, so (content type, id) alone reads the whole index at province scale (102 ms at
    405k events in one township, 0.08 ms with it). A record of no township: no filter."""
    township_id = township_of(obj)
    return {} if township_id is None else {"township_id": township_id}


def history_for(obj: models.Model):
    """Change records of `obj` and of its children (records naming it as parent; a child is
    filed under the same township)."""
    ct = ContentType.objects.get_for_model(obj)
    pk = str(obj.pk)
    return ChangeRecord.objects.filter(
        models.Q(content_type=ct, object_id=pk)
        | models.Q(parent_content_type=ct, parent_object_id=pk),
        **_of_township(obj),
    ).select_related("content_type")


def events_for(obj: models.Model):
    """Domain events about `obj` (filed under its township, as `record_event` is given it)."""
    ct = ContentType.objects.get_for_model(obj)
    return DomainEvent.objects.filter(content_type=ct, object_id=str(obj.pk), **_of_township(obj))
