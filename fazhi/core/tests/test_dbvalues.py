"""`core.dbvalues`' converters prepare every value as `Field.get_db_prep_save` does, for every
concrete field of every model of the project, on the database the tests run on (SQLite, or
PostgreSQL with FAZHI_TEST_DATABASE_URL): values of the type each fast path recognises and
values it hands on (strings for numbers, lazy text, choices, naive and other-zone times…)."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import zoneinfo
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models
from django.utils.translation import gettext_lazy

from fazhi.core import dbvalues
from fazhi.core.choices import ChangeAction

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

SAMPLES: dict[str, list[Any]] = {
    "text": ["甲镇", "", None, '含引号"与换行\n', gettext_lazy("调解"), ChangeAction.UPDATE, 7],
    "int": [0, 5, 2**40, None, "7", True, 3.0],
    "bool": [True, False, None, 1, 0],
    "date": [dt.date(2025, 3, 3), None, "2025-03-04", dt.datetime(2025, 3, 5, 1, 2, tzinfo=dt.UTC)],
    "datetime": [
        dt.datetime(2025, 3, 3, 1, 2, 3, 456789, tzinfo=dt.UTC),
        dt.datetime(2025, 3, 3, 1, 2, 3, tzinfo=dt.UTC),
        dt.datetime(2025, 3, 3, 23, 59, 59, 1, tzinfo=SHANGHAI),
        dt.datetime(2024, 12, 31, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        None,
        dt.date(2025, 3, 3),
        "2025-03-03T08:00:00+08:00",
    ],
    "decimal": [
        decimal.Decimal("1200.50"),
        decimal.Decimal("0"),
        decimal.Decimal("-3.100"),
        decimal.Decimal("1E+2"),
        None,
        12,
        "3.5",
        1.25,
    ],
    "json": [
        {"a": [1, "甲", None, 1.5, True], "b": {"c": '含引号"与换行\n'}},
        {},
        [],
        [3, 1, 2],
        "文本",
        0,
        1.5,
        False,
        None,
    ],
}


def _kind(field: models.Field) -> str | None:
    if isinstance(field, models.JSONField):
        return "json"
    if isinstance(field, models.DateTimeField):
        return "datetime"
    if isinstance(field, models.DateField):
        return "date"
    if isinstance(field, models.DecimalField):
        return "decimal"
    if isinstance(field, models.BooleanField):
        return "bool"
    if isinstance(field, models.ForeignKey | models.IntegerField):
        target = field.target_field if field.is_relation else field
        return "int" if isinstance(target, models.IntegerField) else None
    if isinstance(field, models.CharField | models.TextField):
        return "text"
    return None


def _fields() -> list[models.Field]:
    out = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if _kind(field) is not None:
                out.append(field)
    return out


def _same(field: models.Field, ours: Any, django: Any, *, copy: bool) -> None:
    if isinstance(field, models.JSONField) and connection.vendor == "postgresql" and copy:
        if django is None:
            assert ours is None
            return
        # psycopg's Jsonb: COPY gets text of the same JSON value (jsonb keeps no formatting)
        assert type(ours) is str and json.loads(ours) == json.loads(json.dumps(django.obj))
        return
    if isinstance(field, models.JSONField) and connection.vendor == "postgresql":
        assert type(ours) is type(django) and (ours is None or ours.obj == django.obj)
        return
    assert ours == django
    # the same Python type (psycopg's Int2/4/8 wrappers of an int count as int)
    base = int if isinstance(django, int) and not isinstance(django, bool) else type(django)
    assert isinstance(ours, base), (field, ours, django)
    assert isinstance(ours, bool) == isinstance(django, bool)


@pytest.mark.parametrize("copy", [False, True])
def test_every_converter_prepares_what_get_db_prep_save_prepares(copy):
    checked = 0
    for field in _fields():
        convert = dbvalues.converter(field, connection, copy=copy)
        for value in SAMPLES[_kind(field)]:
            try:
                django = field.get_db_prep_save(value, connection)
            except Exception as exc:  # the converter fails the same way
                with pytest.raises(type(exc)):
                    convert(value)
                continue
            _same(field, convert(value), django, copy=copy)
            checked += 1
    assert checked > 1000


def test_the_fast_paths_are_taken_for_the_common_types():
    """Not a time: which values skip get_db_prep_save (each type the ledgers write)."""
    from fazhi.disputes.choices import DisputeStatus
    from fazhi.disputes.models import Dispute

    seen: list[Any] = []

    class Spy(models.DateField):
        pass

    meta = Dispute._meta
    for name, value in [
        ("received_on", dt.date(2025, 3, 3)),
        ("amount", decimal.Decimal("10.00")),
        ("created_at", dt.datetime(2025, 3, 3, tzinfo=dt.UTC)),
        ("description", "文本"),
        ("status", DisputeStatus.REGISTERED),  # a choices member (a str subclass)
        ("township", 3),
    ]:
        field = meta.get_field(name)
        original = field.get_db_prep_save
        field.get_db_prep_save = lambda *a, **k: seen.append(a)  # type: ignore[method-assign]
        try:
            dbvalues.converter(field, connection)(value)
        finally:
            field.get_db_prep_save = original  # type: ignore[method-assign]
    assert seen == []
    assert dbvalues.converter(Spy(), connection).__name__ == "prep"  # a subclass: generic


@pytest.mark.parametrize(
    "value",
    [
        {"a": {"label": "状态", "before": None, "after": "调解中"}, "n": [1, 2.5, True]},
        {1: "an int key"},  # orjson refuses; json.dumps makes it "1"
        {"big": 2**70},  # beyond orjson's 64 bits
        ["文本", {"嵌套": []}],
    ],
)
def test_jsonb_text_is_the_value_json_dumps_gives(value):
    assert json.loads(dbvalues.dumps_jsonb(value)) == json.loads(json.dumps(value))


@pytest.mark.parametrize("value", [{"on": dt.date(2025, 1, 1)}, {"amount": decimal.Decimal("1")}])
def test_jsonb_text_refuses_what_json_dumps_refuses(value):
    with pytest.raises(TypeError):
        json.dumps(value)
    with pytest.raises(TypeError):
        dbvalues.dumps_jsonb(value)


def test_jsonb_text_of_choices_is_their_value():
    from fazhi.petitions.choices import Source

    value = {"source": Source.FORWARDED, "n": 1}
    assert dbvalues.dumps_jsonb(value) == f'{{"source":"{Source.FORWARDED.value}","n":1}}'
    assert json.loads(dbvalues.dumps_jsonb(value)) == json.loads(json.dumps(value))
