"""The bulk ledger writer (disputes.ledger) stores exactly what registering, accepting and
concluding the same rows through the services stores: disputes, numbers and counters, parties
(matched, enriched, created), links, deadlines, warnings, notifications, change records and
events, in the same order."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction

from fazhi.core.models import (
    ChangeRecord,
    Counter,
    Deadline,
    DomainEvent,
    Notification,
    Staff,
    VillageContact,
)
from fazhi.disputes import io, ledger
from fazhi.disputes.models import Dispute, DisputeParty, EarlyWarning
from fazhi.disputes.tests.helpers import mediator, register
from fazhi.disputes.tests.test_ledger_import import ROW, _file
from fazhi.parties.models import Party

pytestmark = pytest.mark.django_db

_SKIP = {"id", "created_at", "updated_at", "at", "receipt_code_hash"}


def _rows() -> list[dict[str, Any]]:
    base = {**ROW, "调解员": "老刘"}
    return [
        base,  # an existing party (张三) matched; 李四 with a dispute in the window: repeat
        {**base, "登记日期": "2025-02-11", "申请人": "王五", "申请人电话": "13700000001",
         "申请人证件号码": "110101199003077774", "调解结果": "调解中", "办结日期": None},
        # the same 王五 by name and phone (matched, no ID given) and again by ID number
        {**base, "登记日期": "2025-02-12", "申请人": "王五、赵六", "申请人电话": "13700000001、13600000001",
         "申请人证件号码": None, "调解结果": "调解不成", "办结日期": "2025-03-30",
         "纠纷简要情况": "对方扬言报复"},
        {**base, "受理编号": "〔2025〕甲镇调字第9号", "登记日期": "2025-02-13", "来源": "公安",
         "涉及人数": 12, "调解结果": "转诉讼·仲裁·行政处理", "转出途径": "行政调解",
         "办结日期": "2025-02-14"},
        {**base, "登记日期": "2025-03-01", "调解结果": "终止", "办结日期": "2025-03-03",
         "申请人": "某某建筑工程有限公司", "申请人电话": None, "调解员": None},
        {**base, "受理编号": "台账-17", "登记日期": "2024-12-30", "调解结果": "已登记",
         "办结日期": None, "申请人": "张三、张三", "申请人电话": "13800000001、13800000001",
         "申请人证件号码": "11010519491231002X、11010519491231002X"},
        {**base, "登记日期": "2025-02-10", "申请人": "王五", "申请人电话": "13700000009",
         "申请人证件号码": "110101199003077774", "办结日期": "2025-06-30"},
        {**base, "登记日期": "2025-04-10", "申请人": "王五", "申请人电话": "13700000001",
         "申请人证件号码": "110101198501011239", "办结日期": "2025-04-12"},
    ]  # fmt: skip


@pytest.fixture
def township(cast):
    staff = Staff.objects.create(
        township=cast.a, name="刘副镇长", position="副镇长", user=cast.a_admin
    )
    VillageContact.objects.create(
        township=cast.a, village=cast.a1, staff=staff, start=dt.date(2025, 2, 11)
    )
    mediator(cast, name="老刘", user=cast.a_operator)
    Party.objects.create(township=cast.a, name="张三", phone="13800000001")
    register(cast, actor=cast.a_operator, received_on=dt.date(2025, 1, 20))  # 张三 and 李四
    return cast.a


def _keys() -> dict[tuple[str, int], Any]:
    keys: dict[tuple[str, int], Any] = {}
    for p in Party.objects.all():
        keys[("party", p.pk)] = ("party", p.name, p.phone, p.id_key)
    for d in Dispute.objects.all():
        keys[("dispute", d.pk)] = ("dispute", d.number)
    for link in DisputeParty.objects.all():
        keys[("disputeparty", link.pk)] = ("link", keys[("dispute", link.dispute_id)])
    for x in Deadline.objects.all():
        keys[("deadline", x.pk)] = ("deadline", x.label)
    for w in EarlyWarning.objects.all():
        keys[("earlywarning", w.pk)] = ("warning", w.kind, keys[("dispute", w.dispute_id)])
    return keys


def _row(obj: Any, keys: dict, **fk: str) -> dict[str, Any]:
    out = {}
    for f in obj._meta.concrete_fields:
        if f.name in _SKIP:
            continue
        value = getattr(obj, f.attname)
        if f.name in fk and value is not None:
            value = keys[(fk[f.name], int(value))]
        out[f.name] = value
    return out


def _payload(payload: dict, keys: dict) -> dict:
    out = dict(payload)
    if "parties" in out:
        out["parties"] = [keys[("party", pk)] for pk in out["parties"]]
    for name, model in (("deadline", "deadline"), ("dispute", "dispute")):
        if out.get(name) is not None:
            out[name] = keys[(model, int(out[name]))]
    return out


def _dump(marks: dict[str, int]) -> dict[str, Any]:
    keys = _keys()
    new = {name: {"pk__gt": mark} for name, mark in marks.items()}
    ref = {"dispute": "dispute", "party": "party"}
    return {
        "disputes": sorted(
            (_row(d, keys) for d in Dispute.objects.filter(**new["dispute"])),
            key=lambda r: r["number"],
        ),
        "parties": [_row(p, keys, merged_into="party") for p in Party.objects.order_by("pk")],
        "links": sorted(
            (_row(x, keys, **ref) for x in DisputeParty.objects.filter(**new["link"])), key=str
        ),
        "deadlines": sorted(
            (
                _row(x, keys, object_id="dispute")
                for x in Deadline.objects.filter(**new["deadline"])
            ),
            key=str,
        ),
        "warnings": sorted(
            (_row(x, keys, **ref) for x in EarlyWarning.objects.filter(**new["warning"])), key=str
        ),
        "notifications": sorted(
            (n.user_id, n.text, keys[("dispute", int(n.url.rstrip("/").rsplit("/", 1)[-1]))])
            for n in Notification.objects.filter(**new["notification"])
        ),
        "counters": sorted(Counter.objects.values_list("township_id", "year", "kind", "value")),
        "history": [
            (
                r.content_type.model,
                keys.get((r.content_type.model, int(r.object_id)), r.object_id),
                r.action,
                r.changes,
                r.object_repr,
                r.actor_name,
                keys.get((r.parent_content_type.model, int(r.parent_object_id)))
                if r.parent_content_type_id
                else None,
            )
            for r in ChangeRecord.objects.filter(**new["change"]).order_by("pk")
        ],
        "events": [
            (
                e.kind,
                e.label,
                keys.get((e.content_type.model, int(e.object_id))),
                _payload(e.payload, keys),
                e.actor_name,
            )
            for e in DomainEvent.objects.filter(**new["event"]).order_by("pk")
        ],
    }


def _marks() -> dict[str, int]:
    def last(model: Any) -> int:
        return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    return {
        "dispute": last(Dispute),
        "link": last(DisputeParty),
        "deadline": last(Deadline),
        "warning": last(EarlyWarning),
        "notification": last(Notification),
        "change": last(ChangeRecord),
        "event": last(DomainEvent),
    }


class _Undo(Exception):
    pass


@pytest.mark.parametrize("batch", [ledger.BATCH, 3, 1])
def test_bulk_writer_stores_what_the_services_store(cast, township, monkeypatch, batch):
    """At the real batch size the file is one batch; at 3 rows it spans three (王五 is created
    in the first, matched by ID and by name + phone in the third; the counter moved past a
    given number in the second), at 1 every row is its own batch."""
    monkeypatch.setattr(ledger, "BATCH", batch)
    marks = _marks()
    with monkeypatch.context() as m:  # the row-by-row replay through the services
        m.setattr(ledger, "may_bulk", lambda actor, townships: False)
        try:
            with transaction.atomic():
                result = io.import_ledger(_file(*_rows()), actor=cast.a_operator)
                assert result.errors == [] and result.created == 8
                expected = _dump(marks)
                raise _Undo
        except _Undo:
            pass
    assert Dispute.objects.count() == 1
    result = io.import_ledger(_file(*_rows()), actor=cast.a_operator)
    assert result.errors == [] and result.created == 8
    got = _dump(marks)
    for name in expected:
        assert got[name] == expected[name], name
    # the cases the rows were written to cover did occur
    kinds = {w["kind"] for w in got["warnings"]}
    assert kinds == {"violence", "group", "repeat_party"}, kinds
    numbers = {d["number"] for d in got["disputes"]}
    assert {"台账-17", "〔2025〕甲镇调字第9号", "〔2025〕甲镇调字第11号"} <= numbers, numbers
    assert Party.objects.filter(name="王五").count() == 2  # two ID numbers: two people
    assert any(h[2] == "update" and h[0] == "party" for h in got["history"])  # enriched


def test_an_automatic_number_taken_by_a_later_row_fails_as_the_services_do(cast, township):
    rows = [{**ROW, "登记日期": "2025-02-11"}, {**ROW, "受理编号": "〔2025〕甲镇调字第2号"}]
    result = io.import_ledger(_file(*rows), actor=cast.a_operator)
    assert [(e.row, e.column) for e in result.errors] == [(3, "受理编号")]
    assert "已被使用" in result.errors[0].message
    assert Dispute.objects.count() == 1  # the fixture's own


@pytest.mark.parametrize("batch", [1, 2])
def test_a_number_allocated_in_an_earlier_batch_and_given_later_fails(
    cast, township, monkeypatch, batch
):
    """The file is read once: the later row giving an allocated number is met after the batch
    holding the allocation was written; it fails the same way, and nothing is written."""
    monkeypatch.setattr(ledger, "BATCH", batch)
    rows = [
        {**ROW, "登记日期": "2025-02-11"},
        {**ROW, "受理编号": "〔2025〕甲镇调字第5号"},  # moves the counter: not allocated
        {**ROW, "登记日期": "2025-02-12"},  # 第6号
        {**ROW, "受理编号": "〔2025〕甲镇调字第4号"},  # skipped by the counter: free
        {**ROW, "受理编号": "〔2025〕甲镇调字第2号"},  # allocated to row 2
    ]
    before = Dispute.objects.count()
    try:
        with transaction.atomic():
            result = io.import_ledger(_file(*rows[:4]), actor=cast.a_operator)
            assert result.errors == [] and result.created == 4
            numbers = set(Dispute.objects.values_list("number", flat=True))
            assert {"〔2025〕甲镇调字第2号", "〔2025〕甲镇调字第6号"} <= numbers
            raise _Undo
    except _Undo:
        pass
    result = io.import_ledger(_file(*rows), actor=cast.a_operator)
    assert [(e.row, e.column) for e in result.errors] == [(6, "受理编号")], result.errors
    assert "已被使用" in result.errors[0].message
    assert Dispute.objects.count() == before


def test_the_file_is_read_once(cast, township, monkeypatch):
    from fazhi.core import io as core_io

    reads = []
    real = core_io.read_sheet

    def counted(*args, **kwargs):
        reads.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(core_io, "read_sheet", counted)
    result = io.import_ledger(_file(*_rows()), actor=cast.a_operator)
    assert result.errors == [] and result.created == 8 and len(reads) == 1
