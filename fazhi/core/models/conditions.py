"""A constraint's condition decided in Python when it can be, instead of by a query.

Django's `full_clean` asks the database about every check constraint and every conditional
unique constraint (`Q.check`: a savepoint, a `SELECT`, a release — three statements each), even
for `extension_days <= 90` or for a unique number that is still blank. `decide` evaluates the
simple conditions these models declare on the instance's own field values, with SQL's
three-valued logic; whatever it cannot decide exactly (joins, expressions, text ordering,
unknown lookups) it leaves to Django, which asks the database as before.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q

#: `decide` could not evaluate the condition exactly: ask the database (Django's own check)
UNDECIDED: Any = object()
#: the condition names a field left out of the validation: Django skips the constraint
EXCLUDED: Any = object()

_NUMBERS = (int, float, Decimal)


def _comparable(a: Any, b: Any, *, ordered: bool) -> bool:
    """Do Python and SQL agree on comparing these two values?"""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and not ordered
    if isinstance(a, _NUMBERS) and isinstance(b, _NUMBERS):
        return True
    if isinstance(a, dt.datetime) or isinstance(b, dt.datetime):
        return type(a) is type(b) and (a.tzinfo is None) == (b.tzinfo is None)
    if isinstance(a, dt.date) and isinstance(b, dt.date):
        return True
    # text: equality is byte equality on SQLite (BINARY) and PostgreSQL's deterministic
    # collations; ordering depends on the collation, so it is left to the database
    return isinstance(a, str) and isinstance(b, str) and not ordered


def _literal(value: Any) -> bool:
    return value is None or isinstance(value, (str, bool, dt.date, *_NUMBERS))


def _leaf(model: type, instance: Any, lookup: str, rhs: Any, exclude: set[str]) -> Any:
    """True / False / None (SQL NULL) for one `field__lookup=value`, or UNDECIDED/EXCLUDED."""
    name, _, op = lookup.partition("__")
    op = op or "exact"
    if "__" in op or name == "pk":
        return UNDECIDED
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return UNDECIDED
    if not getattr(field, "concrete", False) or getattr(field, "generated", False):
        return UNDECIDED
    if name in exclude:
        return EXCLUDED
    if hasattr(rhs, "resolve_expression"):
        return UNDECIDED
    value = getattr(instance, field.attname)
    if op == "isnull" or (op == "exact" and rhs is None):
        wanted = True if op == "exact" else rhs
        if not isinstance(wanted, bool):
            return UNDECIDED
        return (value is None) == wanted
    if field.is_relation or not _literal(value):
        return UNDECIDED
    if op == "in":
        if not isinstance(rhs, list | tuple | set | frozenset) or not rhs:
            return UNDECIDED
        if not all(_literal(v) and v is not None for v in rhs):
            return UNDECIDED
        if value is None:
            return None
        if not all(_comparable(value, v, ordered=False) for v in rhs):
            return UNDECIDED
        return value in rhs
    if not _literal(rhs) or rhs is None:
        return UNDECIDED
    if value is None:
        return None
    ordered = op != "exact"
    if not _comparable(value, rhs, ordered=ordered):
        return UNDECIDED
    if op == "exact":
        return value == rhs
    if op == "lt":
        return value < rhs
    if op == "lte":
        return value <= rhs
    if op == "gt":
        return value > rhs
    if op == "gte":
        return value >= rhs
    return UNDECIDED


def decide(condition: Q, model: type, instance: Any, exclude: set[str] | None = None) -> Any:
    """The condition's truth for `instance` in SQL's three-valued logic (True, False, None for
    NULL), EXCLUDED when it names an excluded field, or UNDECIDED."""
    exclude = exclude or set()
    if not isinstance(condition, Q) or condition.connector not in (Q.AND, Q.OR):
        return UNDECIDED
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            result = decide(child, model, instance, exclude)
        elif isinstance(child, tuple) and len(child) == 2 and isinstance(child[0], str):
            result = _leaf(model, instance, child[0], child[1], exclude)
        else:
            return UNDECIDED
        if result is UNDECIDED or result is EXCLUDED:
            return result
        results.append(result)
    if condition.connector == Q.AND:
        value = False if False in results else (None if None in results else True)
    else:
        value = True if True in results else (None if None in results else False)
    if condition.negated and value is not None:
        value = not value
    return value


def unique_clash(constraint: Any, model: type, instance: Any, exclude: set[str], using: str) -> Any:
    """For a conditional unique constraint whose condition holds for `instance`: does another
    row hold the same values (one `EXISTS`, what Django's check amounts to then, without its
    savepoint)? None when the constraint is not a plain list of fields (left to Django)."""
    from django.db import connections

    if not constraint.fields or constraint.expressions:
        return None
    lookup = {}
    for name in constraint.fields:
        if name in exclude:
            return False  # Django skips a constraint on an excluded field
        field = model._meta.get_field(name)
        if getattr(field, "generated", False):
            return None
        value = getattr(instance, field.attname)
        if (constraint.nulls_distinct is not False and value is None) or (
            value == "" and connections[using].features.interprets_empty_strings_as_nulls
        ):
            return False  # NULL is distinct from NULL: no clash possible
        lookup[field.name] = value
    rows = model._default_manager.using(using).filter(**lookup)
    if not instance._state.adding and instance._is_pk_set(model._meta):
        rows = rows.exclude(pk=instance._get_pk_val(model._meta))
    return rows.filter(constraint.condition).exists()
