"""The bulk history writer (`audit.batched` → `audit.insert_rows`: COPY on PostgreSQL, one
executemany INSERT on SQLite) stores exactly the rows that writing each record with `save()`
stores: every column but the id and the time, in the order they were recorded."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import Max

from fazhi.core import audit
from fazhi.core.choices import ChangeAction
from fazhi.core.context import job_id, request_id
from fazhi.core.models import ChangeRecord, DomainEvent
from fazhi.disputes.models import Dispute, DisputeParty, Mediator
from fazhi.disputes.tests.helpers import register

pytestmark = pytest.mark.django_db


def _record_all(cast: Any, dispute: Dispute, link: DisputeParty, mediator: Mediator) -> None:
    """A mix of what services record: creates, updates (one changing nothing), a child record
    (parent columns), a masked field, choices and relations shown by name, events with dates,
    decimals and lists in the payload, an actor and none, a record without a township."""
    actor = cast.a_operator
    before = audit.snapshot(dispute)
    audit.record_change(dispute, ChangeAction.CREATE, None, before, actor=actor)
    after = {**before, "status": "mediating", "description": "改为：双方同意调解“排水沟”"}
    audit.record_change(dispute, ChangeAction.UPDATE, before, after, actor=actor)
    audit.record_change(dispute, ChangeAction.UPDATE, after, after, actor=actor)  # nothing
    audit.record_change(link, ChangeAction.CREATE, None, audit.snapshot(link), actor=None)
    m_before = audit.snapshot(mediator)
    audit.record_change(
        mediator, ChangeAction.UPDATE, m_before, {**m_before, "phone": "13900000009"}, actor=actor
    )
    audit.record_change(
        cast.a, ChangeAction.UPDATE, {"name": "甲镇"}, {"name": "新甲镇"}, actor=actor
    )
    audit.record_event(
        "disputes.accepted",
        "受理调解〔2025〕甲镇调字第1号",
        township=cast.a,
        actor=actor,
        obj=dispute,
        payload={
            "on": dt.date(2025, 3, 3),
            "amount": decimal.Decimal("1200.50"),
            "parties": [3, 1, 2],
            "note": '含引号"与换行\n',
            "none": None,
        },
    )
    audit.record_event("core.nightly", "夜间检查", township=None, actor=None)


def _stored(model: Any, after: int) -> list[dict[str, Any]]:
    rows = model.objects.filter(pk__gt=after).order_by("pk").values()
    return [{k: v for k, v in r.items() if k not in ("id", "at")} for r in rows]


def _start(model: Any) -> int:
    return model.objects.aggregate(m=Max("pk"))["m"] or 0


def test_bulk_rows_equal_the_rows_saved_one_by_one(cast):
    dispute = register(cast, actor=cast.a_operator)
    link = DisputeParty.objects.filter(dispute=dispute).order_by("pk").first()
    mediator = Mediator.objects.create(township=cast.a, name="老刘", phone="13800000001")
    r_token, j_token = request_id.set("req-1"), job_id.set("job-1")
    try:
        starts = {m: _start(m) for m in (ChangeRecord, DomainEvent)}
        _record_all(cast, dispute, link, mediator)  # one by one: row.save()
        saved = {m: _stored(m, starts[m]) for m in starts}
        mids = {m: _start(m) for m in starts}
        with audit.batched():
            _record_all(cast, dispute, link, mediator)
            assert _start(ChangeRecord) == mids[ChangeRecord]  # not written yet
        bulk = {m: _stored(m, mids[m]) for m in starts}
    finally:
        request_id.reset(r_token)
        job_id.reset(j_token)
    assert len(saved[ChangeRecord]) == 5 and len(saved[DomainEvent]) == 2
    assert bulk == saved
    assert saved[ChangeRecord][3]["changes"]["phone"]["after"] == audit.MASK
    assert saved[ChangeRecord][2]["parent_object_id"] == str(dispute.pk)
    latest = ChangeRecord.objects.filter(pk__gt=mids[ChangeRecord]).order_by("pk")
    assert all(r.at is not None for r in latest)
    assert [r.action for r in latest] == ["create", "update", "create", "update", "update"]


def test_bulk_insert_is_one_statement_per_table(cast):
    dispute = register(cast, actor=cast.a_operator)
    statements: list[str] = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        with audit.batched():
            for i in range(30):
                audit.record_event("t.e", f"事件{i}", township=cast.a, actor=None, obj=dispute)
                audit.record_change(
                    dispute, ChangeAction.UPDATE, {"title": "甲"}, {"title": f"乙{i}"}, actor=None
                )
    assert len([s for s in statements if "changerecord" in s.lower()]) == 1
    assert len([s for s in statements if "domainevent" in s.lower()]) == 1
    assert ChangeRecord.objects.filter(object_id=str(dispute.pk), action="update").count() == 30


def test_holding_keeps_rows_past_batch_until_flush(cast, monkeypatch):
    """Inside `holding()` the queue is not written when BATCH rows wait: the next `flush`
    writes it, in the order recorded; outside it, BATCH rows are written as before."""
    monkeypatch.setattr(audit, "BATCH", 4)
    dispute = register(cast, actor=cast.a_operator)
    start = _start(DomainEvent)

    def stored() -> list[str]:
        return list(
            DomainEvent.objects.filter(pk__gt=start).order_by("pk").values_list("label", flat=True)
        )

    with audit.batched():
        with audit.holding():
            for i in range(10):
                audit.record_event("t.e", f"留{i}", township=cast.a, actor=None, obj=dispute)
        assert stored() == []  # ten rows queued, past BATCH: held
        audit.flush()
        assert stored() == [f"留{i}" for i in range(10)]
        for i in range(4):
            audit.record_event("t.e", f"后{i}", township=cast.a, actor=None, obj=dispute)
        assert stored()[10:] == [f"后{i}" for i in range(4)]  # BATCH reached: written
