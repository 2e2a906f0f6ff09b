"""`audit.snapshot` and `audit.diff`, compiled per model, give what the loops they replaced
gave (kept here as the reference), for every model of the project: a create, a delete, an
update of every shown field (choices, relations, masked fields, yes/no, labelled codes) and an
update changing nothing; and the queued history rows' columns are the models' columns."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models

from fazhi.core import audit
from fazhi.core.models import ChangeRecord, DomainEvent
from fazhi.disputes.tests.helpers import register

pytestmark = pytest.mark.django_db


# --- the reference: audit's loops before they were compiled ------------------------------------
def ref_plain(value: Any) -> Any:
    if type(value) in (str, int, bool, float, type(None)):
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


def ref_snapshot(obj: models.Model) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in audit.tracked_fields(type(obj)):
        if f.many_to_many:
            values[f.name] = (
                sorted(getattr(obj, f.name).values_list("pk", flat=True)) if obj.pk else []
            )
        else:
            value = getattr(obj, f.attname)
            values[f.name] = ref_plain(value)
    return values


def ref_display(obj: models.Model, field: models.Field, value: Any) -> Any:
    if value in (None, ""):
        return value
    labeler = getattr(type(obj), "field_value_labels", {}).get(field.name)
    if labeler is not None:
        return labeler(value)
    if field.many_to_many:
        related = field.related_model._default_manager.filter(pk__in=value or [])
        return "、".join(sorted(str(r) for r in related))
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation:
        if value == getattr(obj, field.attname, None):
            related = getattr(obj, field.name, None)
        else:
            related = field.related_model._default_manager.filter(pk=value).first()
        if isinstance(related, AbstractBaseUser):
            return related.get_full_name() or related.get_username()
        return str(related) if related else value
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def ref_diff(obj: models.Model, before: dict | None, after: dict | None) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    masked_names = getattr(type(obj), "history_masked_fields", frozenset())
    for field in audit._shown_fields(type(obj)):
        name, label, masked = field.name, str(field.verbose_name), field.name in masked_names
        old = before.get(name) if before else None
        new = after.get(name) if after else None
        if before is not None and after is not None and old == new:
            continue
        if before is None and new in (None, "", False, []):
            continue
        if after is None and old in (None, "", False, []):
            continue
        if masked:
            entry = {"label": label, "before": audit.MASK if old else "", "after": ""}
            entry["after"] = audit.MASK if new else ""
        else:
            entry = {
                "label": label,
                "before": ref_display(obj, field, old),
                "after": ref_display(obj, field, new),
            }
        changes[name] = entry
    return changes


# --- the comparison ------------------------------------------------------------------------------
def _other(field: models.Field, value: Any) -> Any:
    """A different value of the field's kind."""
    if field.many_to_many:
        return [*value, 999_999]
    if field.choices:
        values = [v for v, _ in field.flatchoices if v != value]
        return values[0] if values else value
    if field.is_relation:
        return 1 if value != 1 else 999_999
    if isinstance(value, bool) or isinstance(field, models.BooleanField):
        return not value
    if isinstance(field, models.IntegerField | models.DecimalField):
        return (value or 0) + 3 if not isinstance(value, str) else "3"
    if isinstance(field, models.DateField):
        return "2025-03-03"
    if isinstance(field, models.JSONField):
        return {"改": [1, 2]}
    return f"{value or ''}改"


def _models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("fazhi.")]


def test_compiled_snapshot_and_diff_equal_the_loops(cast):
    dispute = register(cast, actor=cast.a_operator)
    compared = 0
    for model in _models():
        obj = model()
        if model is type(dispute):
            obj = dispute
        snap = audit.snapshot(obj)
        assert snap == ref_snapshot(obj)
        assert list(snap) == list(ref_snapshot(obj))
        changed = {}
        for field in audit.tracked_fields(model):
            changed[field.name] = _other(field, snap.get(field.name))
        half = {k: v if i % 2 else snap[k] for i, (k, v) in enumerate(changed.items())}
        for before, after in [
            (None, snap),
            (snap, None),
            (None, changed),
            (changed, None),
            (snap, changed),
            (changed, snap),
            (snap, half),
            (snap, dict(snap)),
            ({}, changed),
            (changed, {}),
            (None, None),
        ]:
            ours = audit.diff(obj, before, after)
            assert ours == ref_diff(obj, before, after), model
            assert list(ours) == list(ref_diff(obj, before, after))
            compared += 1
    assert compared > 500


def _outcome(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except Exception as exc:  # the same error both ways (e.g. a dict as a choice)
        return type(exc)


def test_falsy_values_on_create_as_before(cast):
    """0 and 0.0 count as empty on a create (they equal False); an empty dict does not."""
    dispute = register(cast, actor=cast.a_operator)
    snap = audit.snapshot(dispute)
    plain = [f.name for f in audit._shown_fields(type(dispute)) if not f.is_relation]
    for value in (0, 0.0, decimal.Decimal("0"), {}, (), "0", dt.date(2025, 1, 1)):
        after = {**snap, **dict.fromkeys(plain, value)}
        for before_, after_ in ((None, after), (after, None)):
            ours = _outcome(audit.diff, dispute, before_, after_)
            assert ours == _outcome(ref_diff, dispute, before_, after_), value


def test_plain_values_as_before():
    for value in [
        dt.date(2025, 3, 3),
        dt.datetime(2025, 3, 3, 1, 2, 3, 4, tzinfo=dt.UTC),
        dt.datetime(2025, 3, 3),
        dt.time(8, 30),
        decimal.Decimal("1.50"),
        decimal.Decimal("-0E+2"),
        "甲",
        3,
        None,
        [1],
    ]:
        assert audit._plain(value) == ref_plain(value)
        assert type(audit._plain(value)) is type(ref_plain(value))


def test_the_queued_columns_are_the_models_columns():
    for model, names in ((ChangeRecord, audit.CHANGE_COLUMNS), (DomainEvent, audit.EVENT_COLUMNS)):
        audit._check_columns(model, names)
        columns = {f.attname for f in model._meta.concrete_fields if not f.primary_key}
        assert columns == {*names, "at"}
