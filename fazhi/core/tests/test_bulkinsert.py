"""`bulkinsert.insert_objects` stores what `bulk_create` stores, column by column, for copies
of every kind of row a dispute's registration writes (disputes, parties, links, deadlines,
counters, change records and events with JSON, …) plus rows with decimals, yes/no and JSON
values, on the database the tests run on (multi-row INSERT on SQLite, ids from the sequence
and COPY on PostgreSQL); and it gives the instances their ids in order."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.db.models.fields import AutoFieldMixin

from fazhi.core.bulkinsert import insert_objects
from fazhi.disputes.models import Dispute, DisputeParty
from fazhi.disputes.tests.helpers import register

pytestmark = pytest.mark.django_db


class _Undo(Exception):
    pass


def _unique_text(model: type[models.Model]) -> set[str]:
    """Text fields in a unique constraint (the copies get another value)."""
    meta = model._meta
    names = {f.name for f in meta.concrete_fields if f.unique and not f.primary_key}
    for constraint in meta.constraints:
        names |= set(getattr(constraint, "fields", ()))
    for together in meta.unique_together:
        names |= set(together)
    return {n for n in names if isinstance(meta.get_field(n), models.CharField | models.TextField)}


def _copies(model: type[models.Model]) -> list[models.Model]:
    rows = list(model._default_manager.order_by("pk"))
    unique = _unique_text(model)
    for row in rows:
        row.pk = None
        row._state.adding = True
        for name in unique:
            if getattr(row, name):
                setattr(row, name, getattr(row, name)[:-1] + "副")
    return rows


def _stored(model: type[models.Model], objs: list[models.Model], write: Any) -> list[dict]:
    """The rows `write(objs)` stores (every column but the id), rolled back afterwards."""
    out: Any = []
    try:
        with transaction.atomic():
            before = set(model._default_manager.values_list("pk", flat=True))
            write(objs)
            new = model._default_manager.exclude(pk__in=before).order_by("pk").values()
            out = [{k: v for k, v in r.items() if k != "id"} for r in new]
            raise _Undo
    except _Undo:
        pass
    except IntegrityError:  # still a duplicate (a unique key without text): both ways alike
        out = IntegrityError
    return out


def _bulkable(model: type[models.Model]) -> bool:
    meta = model._meta
    return (
        model.__module__.startswith("fazhi.")
        and isinstance(meta.pk, AutoFieldMixin)
        and not meta.parents
        and not meta.proxy
        and meta.managed
        and model._default_manager.exists()
    )


@time_machine.travel(dt.datetime(2025, 6, 1, 9, 30, 15, 123456, tzinfo=dt.UTC), tick=False)
def test_insert_objects_stores_what_bulk_create_stores(cast):
    dispute = register(cast, actor=cast.a_operator)
    Dispute.objects.filter(pk=dispute.pk).update(amount=decimal.Decimal("1200.50"))
    kinds: set[str] = set()
    compared: set[str] = set()
    for model in apps.get_models():
        if not _bulkable(model):
            continue
        with_bulk = _stored(model, _copies(model), model._default_manager.bulk_create)
        with_ours = _stored(model, _copies(model), insert_objects)
        assert with_ours == with_bulk, model
        if with_ours is not IntegrityError:
            compared.add(model.__name__)
            kinds |= {type(f).__name__ for f in model._meta.concrete_fields}
    assert {"Dispute", "Party", "ChangeRecord", "DomainEvent", "Membership"} <= compared, compared
    assert {"CharField", "TextField", "DateField", "DateTimeField", "DecimalField"} <= kinds
    assert {"JSONField", "BooleanField", "ForeignKey", "PositiveIntegerField"} <= kinds


def test_ids_in_order_and_instances_saved(cast):
    dispute = register(cast, actor=cast.a_operator)
    many = []
    for i in range(250):  # more than a statement's ROWS on SQLite
        copy = _copies(type(dispute))[0]
        copy.number = f"批量{i}"
        many.append(copy)
    insert_objects(many)
    ids = [o.pk for o in many]
    assert ids == sorted(ids) and len(set(ids)) == 250
    assert all(not o._state.adding and o._state.db == "default" for o in many)
    stored = dict(Dispute.objects.filter(pk__in=ids).values_list("pk", "number"))
    assert [stored[o.pk] for o in many] == [f"批量{i}" for i in range(250)]


def test_a_related_row_saved_since_gives_its_id(cast):
    dispute = register(cast, actor=cast.a_operator)
    copy = _copies(type(dispute))[0]
    copy.number = "关联1"
    village = type(cast.a1)(township=cast.a, name="新村")
    copy.village = village
    with pytest.raises(ValueError, match="unsaved"):
        insert_objects([copy])
    village.save()
    insert_objects([copy])
    assert Dispute.objects.get(pk=copy.pk).village_id == village.pk


def test_a_duplicate_key_is_an_integrity_error(cast):
    """On PostgreSQL the rows go by COPY, outside `cursor.execute`: a unique violation is still
    Django's IntegrityError (callers catch that), not the driver's own exception."""
    register(cast, actor=cast.a_operator)
    link = _copies(DisputeParty)[0]  # the same dispute and party again
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_objects([link])
