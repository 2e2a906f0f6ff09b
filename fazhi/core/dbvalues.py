"""Column values as the database stores them, prepared by converters chosen once per column.

`Field.get_db_prep_save(value, connection)` is what `save()` and `bulk_create` send for each
value; it walks `get_prep_value` → `to_python` → the backend's `adapt_*_value` on every call
(~2 µs a value; ~30 columns a row). The bulk writers (`core.bulkinsert.insert_objects`,
`core.audit.insert_rows` and the history queue of `audit.batched`) call `converters(fields)`
once per statement instead and apply one small function per value. Each function returns what
`get_db_prep_save` returns for the values it recognises by their exact type, and hands
anything else to `get_db_prep_save` itself, so any value is prepared as the ORM prepares it:

  text (CharField, TextField, EmailField, SlugField, URLField): a str or None as is
  integers, AutoField, ForeignKey/OneToOneField to an integer key: an int or None as is
  BooleanField: a bool as is
  DateField: a date → the date (PostgreSQL) or its ISO text (SQLite: `str(date)`)
  DateTimeField: an aware datetime → the datetime (PostgreSQL) or, with USE_TZ, its naive
      text in the connection's time zone (SQLite: `str(make_naive(value, connection.timezone))`)
  DecimalField: a finite Decimal as is
  JSONField without an encoder: JSON text, `json.dumps(value)` — the text Django stores on
      SQLite; for PostgreSQL's COPY (`copy=True`) the same text psycopg would send for the
      `Jsonb` Django makes (stored as jsonb); an INSERT on PostgreSQL keeps the `Jsonb`

Fields of other types (and subclasses, which may prepare values their own way) always go
through `get_db_prep_save`. `tests/test_dbvalues.py` compares every converter with
`get_db_prep_save` value by value, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Callable, Sequence
from typing import Any

import orjson
from django.conf import settings
from django.db import connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

Converter = Callable[[Any], Any]

_TEXT = frozenset(
    {models.CharField, models.TextField, models.EmailField, models.SlugField, models.URLField}
)
_INTEGER = frozenset(
    {
        models.IntegerField,
        models.BigIntegerField,
        models.SmallIntegerField,
        models.PositiveIntegerField,
        models.PositiveBigIntegerField,
        models.PositiveSmallIntegerField,
        models.AutoField,
        models.BigAutoField,
        models.SmallAutoField,
    }
)

#: the JSON text of a value: what `JSONField.get_db_prep_save` encodes for a field without an
#: encoder (`connection.ops.adapt_json_value(value, None)` → `json.dumps(value, cls=None)`)
dumps_json: Callable[[Any], str] = json.dumps

#: orjson serialises dates and dataclasses, which json.dumps refuses: handed back, refused,
#: then given to json.dumps, which raises as the ORM would (a str or int subclass, such as a
#: choices enum, is written as its value by both)
_ORJSON_STRICT = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _refuse(value: Any) -> Any:
    raise TypeError(type(value).__name__)


def dumps_jsonb(value: Any) -> str:
    """JSON text for a column PostgreSQL parses into jsonb (COPY): the same value as
    `dumps_json`'s, in orjson's compact form (~7× faster; jsonb keeps no formatting). What
    orjson cannot take (an int key, an int beyond 64 bits, a type it would convert and
    json.dumps refuses) goes to json.dumps."""
    try:
        return orjson.dumps(value, default=_refuse, option=_ORJSON_STRICT).decode()
    except TypeError:
        return json.dumps(value)


def _prep(field: models.Field, alias: str) -> Converter:
    """`field.get_db_prep_save` on the calling thread's connection `alias` (the converters are
    shared by the threads: none holds a connection)."""
    get = field.get_db_prep_save

    def prep(value: Any) -> Any:
        return get(value, connections[alias])

    return prep


def _text_exact(field: models.Field, connection: BaseDatabaseWrapper) -> Converter:
    prep = _prep(field, connection.alias)

    def convert(value: Any) -> Any:
        # a str subclass (a choices member) too: `CharField.to_python` hands any str back as it
        # is; lazy text (not a str) and other types go to get_db_prep_save
        if value is None or isinstance(value, str):
            return value
        return prep(value)

    return convert


def _int_exact(field: models.Field, connection: BaseDatabaseWrapper) -> Converter:
    prep = _prep(field, connection.alias)

    def convert(value: Any) -> Any:
        if value is None or type(value) is int:
            return value
        return prep(value)

    return convert


def _bool(field: models.Field, connection: BaseDatabaseWrapper) -> Converter:
    prep = _prep(field, connection.alias)

    def convert(value: Any) -> Any:
        if type(value) is bool:
            return value
        return prep(value)

    return convert


def _date(field: models.Field, connection: BaseDatabaseWrapper) -> Converter:
    prep = _prep(field, connection.alias)
    as_text = connection.vendor != "postgresql"
    date = dt.date

    def convert(value: Any) -> Any:
        if type(value) is date:
            return value.isoformat() if as_text else value
        if value is None:
            return None
        return prep(value)

    return convert


def _datetime(field: models.Field, connection: BaseDatabaseWrapper) -> Converter:
    prep = _prep(field, connection.alias)
    datetime = dt.datetime
    if connection.vendor == "postgresql":

        def convert(value: Any) -> Any:
            if type(value) is datetime and value.utcoffset() is not None:
                return value
            if value is None:
                return None
            return prep(value)

        return convert
    if connection.vendor != "sqlite" or not settings.USE_TZ:
        return prep
    tz = connection.timezone

    def convert_sqlite(value: Any) -> Any:
        if type(value) is datetime and value.utcoffset() is not None:
            return str(value.astimezone(tz).replace(tzinfo=None))
        if value is None:
            return None
        return prep(value)

    return convert_sqlite


def _decimal(field: models.Field, connection: BaseDatabaseWrapper) -> Converter:
    prep = _prep(field, connection.alias)
    Decimal = decimal.Decimal

    def convert(value: Any) -> Any:
        if type(value) is Decimal and value.is_finite():
            return value
        if value is None:
            return None
        return prep(value)

    return convert


def _json(field: models.Field, connection: BaseDatabaseWrapper, copy: bool) -> Converter:
    # the text, where the statement takes it: SQLite (a text column), PostgreSQL's COPY (the
    # server parses the text into jsonb); an INSERT on PostgreSQL keeps psycopg's `Jsonb`
    as_text = connection.vendor == "sqlite" or (connection.vendor == "postgresql" and copy)
    if field.encoder is not None or not as_text:
        return _prep(field, connection.alias)
    prep = _prep(field, connection.alias)
    dumps = dumps_jsonb if connection.vendor == "postgresql" else dumps_json
    plain = (dict, list, str, int, float, bool)

    def convert(value: Any) -> Any:
        if value is None:
            return None
        if type(value) in plain:
            return dumps(value)
        return prep(value)

    return convert


def _generic(field: models.Field, connection: BaseDatabaseWrapper) -> Converter:
    return _prep(field, connection.alias)


def converter(
    field: models.Field, connection: BaseDatabaseWrapper, *, copy: bool = False
) -> Converter:
    """The function preparing `field`'s values for `connection` (see the module docstring);
    `copy`: for PostgreSQL's `COPY … FROM STDIN` (JSON as text)."""
    connection = connections[connection.alias]  # the thread's connection, not the proxy
    kind = type(field)
    if kind in _TEXT:
        return _text_exact(field, connection)
    if kind in _INTEGER:
        return _int_exact(field, connection)
    if kind in (models.ForeignKey, models.OneToOneField):
        target = field.target_field
        if type(target) in _INTEGER:
            return _int_exact(field, connection)
        return _generic(field, connection)
    if kind is models.BooleanField:
        return _bool(field, connection)
    if kind is models.DateField:
        return _date(field, connection)
    if kind is models.DateTimeField:
        return _datetime(field, connection)
    if kind is models.DecimalField:
        return _decimal(field, connection)
    if kind is models.JSONField:
        return _json(field, connection, copy)
    return _generic(field, connection)


def converters(
    fields: Sequence[models.Field], connection: BaseDatabaseWrapper, *, copy: bool = False
) -> tuple[Converter, ...]:
    """One converter per field, for one statement on `connection` (cheap: build per call)."""
    return tuple(converter(f, connection, copy=copy) for f in fields)


def reads_dict(model: type[models.Model], attname: str) -> bool:
    """Whether reading `attname` on an instance returns what its __dict__ holds (Django's
    field attributes do; a field with a descriptor of its own, e.g. a file, may not)."""
    from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
    from django.db.models.query_utils import DeferredAttribute

    for klass in model.__mro__:
        if attname in klass.__dict__:
            return type(klass.__dict__[attname]) in (DeferredAttribute, ForeignKeyDeferredAttribute)
    return False


def row_reader(
    model: type[models.Model],
    fields: Sequence[models.Field],
    connection: BaseDatabaseWrapper,
    *,
    copy: bool = False,
    pre_save: Sequence[bool] = (),
) -> Callable[[models.Model], tuple[Any, ...]]:
    """A function reading an instance of `model` into the tuple of its `fields`' database
    values (one converter each, as `converters`; a text, integer or yes/no value of the exact
    type checked inline), compiled once per model, fields and connection. `pre_save[i]`: the
    value is `fields[i].pre_save(obj, True)` (auto_now times …) rather than the attribute."""
    connection = connections[connection.alias]  # the thread's connection, not the proxy
    key = (
        model,
        tuple(fields),
        connection.alias,
        connection.vendor,
        copy,
        tuple(pre_save),
        connection.vendor == "sqlite" and settings.USE_TZ and connection.timezone,
    )
    found = _readers.get(key)
    if found is None:
        found = _readers[key] = _compile_reader(model, fields, connection, copy, pre_save)
    return found


_readers: dict[Any, Any] = {}


def _compile_reader(
    model: type[models.Model],
    fields: Sequence[models.Field],
    connection: BaseDatabaseWrapper,
    copy: bool,
    pre_save: Sequence[bool],
) -> Callable[[models.Model], tuple[Any, ...]]:
    space: dict[str, Any] = {"str": str, "int": int, "bool": bool}
    lines = ["def read(obj):", "    d = obj.__dict__", "    try:"]
    names = []
    for i, field in enumerate(fields):
        convert = converter(field, connection, copy=copy)
        space[f"c{i}"] = convert
        space[f"f{i}"] = field
        v = f"v{i}"
        names.append(v)
        if pre_save and pre_save[i]:
            lines.append(f"        {v} = c{i}(f{i}.pre_save(obj, True))")
            continue
        if reads_dict(model, field.attname):
            lines.append(f"        {v} = d[{field.attname!r}]")
        else:
            lines.append(f"        {v} = getattr(obj, {field.attname!r})")
        exact = _exact_type(field, connection)
        if exact == "bool":
            lines.append(f"        if type({v}) is not bool: {v} = c{i}({v})")
        elif exact is not None:
            lines.append(
                f"        if {v} is not None and type({v}) is not {exact}: {v} = c{i}({v})"
            )
        else:
            lines.append(f"        {v} = c{i}({v})")
    lines.append("    except KeyError:")
    lines.append("        return slow(obj)")
    lines.append(f"    return ({', '.join(names)},)")
    attnames = [f.attname for f in fields]
    convert_all = [space[f"c{i}"] for i in range(len(fields))]

    def slow(obj: models.Model) -> tuple[Any, ...]:
        return tuple(
            conv(f.pre_save(obj, True) if pre_save and pre_save[i] else getattr(obj, attname))
            for i, (f, attname, conv) in enumerate(zip(fields, attnames, convert_all, strict=True))
        )

    space["slow"] = slow
    code = compile("\n".join(lines), f"<dbvalues.read {model._meta.label}>", "exec")
    exec(code, space)  # noqa: S102 - the source is built from field names only
    return space["read"]


def _exact_type(field: models.Field, connection: BaseDatabaseWrapper) -> str | None:
    """The type name whose values `converter(field)` returns unchanged (None as well), if any."""
    kind = type(field)
    if kind in _TEXT:
        return "str"
    if kind in _INTEGER:
        return "int"
    if kind in (models.ForeignKey, models.OneToOneField) and type(field.target_field) in _INTEGER:
        return "int"
    if kind is models.BooleanField:
        return "bool"
    return None
