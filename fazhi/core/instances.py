"""Unsaved model instances for bulk writers, built without `Model.__init__`'s per-field work.

`build(Model, {"township": township}, number="…", township_id=township.pk)` returns what
`Model(township=township, number="…")` returns — every concrete field at its default unless
given, `_state` new (adding, no database), the given related instances cached as the foreign
key descriptor caches them — at a fraction of the cost: the defaults of a model are computed
once (a callable default, such as a JSONField's `dict`, is called for each instance; a choices
default is its plain value, equal to the member the constructor sets), values
are given by attname and stored as they are (no descriptor, no `pre_init`/`post_init`
signal: no model of the bulk writers has a receiver), a related instance is given with its id
(`township_id=`) and in `related` by field name (so that reading `obj.township` finds it
without a query). Bulk writers (the ledger imports) build tens of thousands of rows a file;
`Model.__init__` was a tenth of their time. `tests/test_instances.py` compares the two.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import DEFAULT_DB_ALIAS, models, router
from django.db.models.base import ModelState


@functools.cache
def _defaults(model: type[models.Model]) -> tuple[dict[str, Any], tuple[tuple[str, Any], ...]]:
    fixed: dict[str, Any] = {}
    called = []
    for f in model._meta.concrete_fields:
        if f.generated:
            continue
        if f.has_default() and callable(f.default):
            called.append((f.attname, f.default))
        else:
            value = f.get_default()
            # a choices member as its plain value (equal to it, and what a row read back
            # holds): `insert_objects` stores a plain str or int as it is
            fixed[f.attname] = value.value if isinstance(value, models.Choices) else value
    return fixed, tuple(called)


def build(
    model: type[models.Model], related: dict[str, models.Model] | None = None, **values: Any
) -> Any:
    """An unsaved `model` instance with `values` (by attname) and the `related` instances
    cached by field name (in the model's field order, as the constructor assigns them); every
    other field at its default."""
    obj = model.__new__(model)
    fixed, called = _defaults(model)
    data = obj.__dict__
    data.update(fixed)
    for attname, default in called:
        data[attname] = default()
    data.update(values)
    state = ModelState()
    if related:
        state.fields_cache = dict(related)
        # as the descriptor does when the first related instance is assigned (without
        # database routers, the router's answer is that instance's database or the default)
        for first in related.values():
            if first is not None:
                if router.routers:
                    state.db = router.db_for_write(model, instance=first)
                else:
                    state.db = first._state.db or DEFAULT_DB_ALIAS
                break
    data["_state"] = state
    return obj
