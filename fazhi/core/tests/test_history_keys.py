"""The history tables' references (township, content types, actor) carry no database constraint
(core.models.audit's _LOG_KEY: their checks were half of a large import's commit). What the
constraints guarded is kept by Django's deletion collector, which applies every on_delete: a
township or content type with history cannot be deleted, a user's deletion keeps the name on
the rows it wrote."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import ProtectedError

from fazhi.core import audit
from fazhi.core.choices import ChangeAction
from fazhi.core.models import ChangeRecord, County, DomainEvent, Township
from fazhi.core.services import create_object
from fazhi.disputes.models import MediatorTraining

pytestmark = pytest.mark.django_db


def _history_table_keys() -> list[tuple[str, str]]:
    """(table, referenced table) of every foreign key constraint on the history tables."""
    out = []
    with connection.cursor() as cursor:
        for table in ("core_changerecord", "core_domainevent"):
            for info in connection.introspection.get_constraints(cursor, table).values():
                if info["foreign_key"]:
                    out.append((table, info["foreign_key"][0]))
    return out


def test_the_history_tables_have_no_key_constraints():
    assert _history_table_keys() == []


def test_a_township_with_history_cannot_be_deleted(cast):
    county = County.objects.create(name="删测县", province="删测省")
    township = Township.objects.create(county=county, name="删测镇")
    audit.record_event("core.test", "有历史", township=township, actor=cast.a_admin)
    with pytest.raises(ProtectedError) as raised:
        township.delete()
    assert DomainEvent in {type(obj) for obj in raised.value.protected_objects}
    assert Township.objects.filter(pk=township.pk).exists()


def test_a_content_type_with_history_cannot_be_deleted(cast):
    training = create_object(
        MediatorTraining,
        {"township": cast.a, "held_on": dt.date(2025, 5, 1), "topic": "调解技巧"},
        actor=cast.a_admin,
    )
    ct = ContentType.objects.get_for_model(training)
    assert ChangeRecord.objects.filter(content_type=ct).exists()
    with pytest.raises(ProtectedError):
        ct.delete()


def test_a_deleted_user_leaves_its_name_on_the_history(cast):
    clerk = User.objects.create_user("history_clerk", first_name="临时办事员")
    audit.record_change(cast.a, ChangeAction.UPDATE, {"name": "甲"}, {"name": "乙"}, actor=clerk)
    audit.record_event("core.test", "有历史", township=cast.a, actor=clerk)
    clerk.delete()
    change = ChangeRecord.objects.filter(actor_name="临时办事员").get()
    event = DomainEvent.objects.filter(actor_name="临时办事员").get()
    assert change.actor_id is None and event.actor_id is None
