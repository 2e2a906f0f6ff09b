"""Queries of a fixed shape, compiled by the ORM once and run again with other values.

Building and compiling a queryset (filter, joins, SELECT list, WHERE) is most of what the ORM
spends on a small query: on the API detail of one dispute it was half the request's CPU time.
A query whose SQL depends only on its parameter values — the token lookup, a dispute's party
links — is compiled here once per database connection alias and vendor, from the queryset the
ORM would build, and then executed with the new values through Django's cursor (so query
logging, `CaptureQueriesContext` and execute wrappers see it as before); the ORM's own
converters turn each column into what the queryset would have returned.

Only `values_list` querysets: rows come back as tuples, the columns in the order asked for.
The parameters are found by sentinel values, which must each appear exactly once among the
compiled parameters (otherwise compiling refuses: the shape would depend on the value).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet


class Prepared:
    """`build(*sentinels)` returns a values_list queryset; `rows(*values)` runs its SQL with
    `values` in the sentinels' places and returns the converted rows."""

    def __init__(self, build: Callable[..., QuerySet], sentinels: Sequence[Any]) -> None:
        self._build = build
        self._sentinels = tuple(sentinels)
        self._compiled: dict[tuple[str, str], tuple[str, list[Any], list[int], list[Any]]] = {}

    def compile(self, using: str = DEFAULT_DB_ALIAS) -> tuple[str, list[Any], list[int], list[Any]]:
        """(sql, parameter template, the sentinels' positions, converters) for `using`."""
        connection = connections[using]
        key = (using, connection.vendor)
        found = self._compiled.get(key)
        if found is not None:
            return found
        queryset = self._build(*self._sentinels).using(using)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        params = list(params)
        slots = []
        for sentinel in self._sentinels:
            where = [i for i, p in enumerate(params) if type(p) is type(sentinel) and p == sentinel]
            if len(where) != 1:
                raise ValueError(f"parameter {sentinel!r} appears {len(where)} times in {sql}")
            slots.append(where[0])
        converters = compiler.get_converters([column[0] for column in compiler.select])
        found = (sql, params, slots, sorted(converters.items()))
        self._compiled[key] = found
        return found

    def rows(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> list[tuple[Any, ...]]:
        sql, template, slots, converters = self.compile(using)
        params = list(template)
        for slot, value in zip(slots, values, strict=True):
            params[slot] = value
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not converters or not rows:
            return [tuple(row) for row in rows]
        out = []
        for row in rows:
            row = list(row)
            for pos, (functions, expression) in converters:
                value = row[pos]
                for function in functions:
                    value = function(value, expression, connection)
                row[pos] = value
            out.append(tuple(row))
        return out


#: what `get()` fetches at most (Django's MAX_GET_RESULTS): more rows raise MultipleObjectsReturned
_MAX_GET_RESULTS = 21
#: a compiled `get` that finds nothing whatever the value (the scope is empty: EmptyResultSet)
NOTHING = object()


class CompiledGet:
    """`queryset.get(pk=value)` for a plain queryset of model instances (no select_related
    rows, annotations, prefetches or custom iterable), compiled once: what `QuerySet.get`
    builds (the filter, no ordering, LIMIT 21) with a sentinel in the value's place, and what
    `ModelIterable` does with the row (converters, `from_db`)."""

    __slots__ = ("model", "sql", "template", "slot", "converters", "init_list", "span")

    @classmethod
    def compile(cls, queryset: QuerySet, sentinel: int, using: str) -> CompiledGet | object | None:
        """The compiled get, NOTHING when no row can match, None when the queryset is not
        plain enough (then the caller uses the ORM)."""
        from django.core.exceptions import EmptyResultSet
        from django.db.models.query import ModelIterable

        if (
            queryset._iterable_class is not ModelIterable
            or queryset._prefetch_related_lookups
            or queryset._known_related_objects
            or queryset.query.combinator
            or queryset.query.select_for_update
            or queryset.query.distinct_fields
            or queryset.query.is_sliced
            or queryset.db != using
        ):
            return None
        clone = queryset.filter(pk=sentinel).order_by()
        clone.query.set_limits(high=_MAX_GET_RESULTS)
        compiler = clone.query.get_compiler(using=clone.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return NOTHING
        klass_info = compiler.klass_info
        if (
            klass_info is None
            or klass_info.get("related_klass_infos")
            or compiler.annotation_col_map
            or klass_info["model"] is not queryset.model
        ):
            return None
        params = list(params)
        where = [i for i, p in enumerate(params) if type(p) is int and p == sentinel]
        if len(where) != 1:
            return None
        self = cls()
        self.model = queryset.model
        self.sql, self.template, self.slot = sql, params, where[0]
        select = compiler.select[: compiler.col_count]
        self.converters = sorted(compiler.get_converters([s[0] for s in select]).items())
        fields = klass_info["select_fields"]
        self.span = (fields[0], fields[-1] + 1)
        self.init_list = [s[0].target.attname for s in select[self.span[0] : self.span[1]]]
        return self

    def get(self, value: int, using: str) -> Any:
        """The instance, or DoesNotExist / MultipleObjectsReturned as `QuerySet.get` raises."""
        params = list(self.template)
        params[self.slot] = value
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        model = self.model
        if not rows:
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
        if len(rows) > 1:
            found = len(rows) if len(rows) < _MAX_GET_RESULTS else f"more than {len(rows) - 1}"
            raise model.MultipleObjectsReturned(
                f"get() returned more than one {model._meta.object_name} -- it returned {found}!"
            )
        row = list(rows[0])
        for pos, (functions, expression) in self.converters:
            value = row[pos]
            for function in functions:
                value = function(value, expression, connection)
            row[pos] = value
        return model.from_db(using, self.init_list, row[self.span[0] : self.span[1]])
