"""The bulk ledger writer (petitions.ledger) stores exactly what replaying the same rows through
the services (io._write_row: 登记 → 受理/不予受理 → 处理意见书 → 送达 → 评价) stores: petitions,
receipt and opinion numbers and their counters, petitioners (matched, enriched, created), same
matter links, deadlines, opinions, the evidence chain, change records and events, in the same
order; and a row the services refuse fails the same way, writing nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction

from fazhi.core import evidence
from fazhi.core.models import ChangeRecord, Counter, Deadline, DomainEvent, EvidenceEntry
from fazhi.parties.models import Party
from fazhi.parties.services import find_or_create_party
from fazhi.petitions import io, ledger, services
from fazhi.petitions.models import Petition, PetitionOpinion
from fazhi.petitions.tests.test_io import ROW, workbook

pytestmark = pytest.mark.django_db

_SKIP = {"id", "created_at", "updated_at", "at", "recorded_at", "entry_hash", "seal"}
_BARE = {k: ROW[k] for k in ("收到日期", "信访形式", "信访人", "信访事项摘要", "信访请求")}
_OPEN = {"受理告知日期": None, "处理结论": None, "答复送达日期": None, "满意度": None}


def _rows() -> list[dict[str, Any]]:
    forwarded = {"来源": "上级转送", "转送/交办机关": "县信访局"}
    return [
        ROW,  # served and rated; 陈建军 had a petition on the same matter before: same matter
        {**ROW, **_OPEN, "信访人": "刘芳", "证件号码": None, "联系电话": "13600002222",
         "住址": "甲一村3组", "信访形式": "来信", "受理告知日期": "2025-03-06",
         "信访事项摘要": "道路破损"},  # an existing party by name and phone, enriched: accepted
        {**ROW, **_OPEN, "信访人": "黄伟", "证件号码": None, "信访形式": "电话",
         "受理告知日期": "2025-03-04", "不予受理理由": "应当通过法定途径解决",
         "不予受理说明": "属劳动争议，告知申请仲裁"},  # declined
        {**ROW, **_OPEN, "信访人": "朱强", "证件号码": None,
         "登记编号": "甲信〔2025〕旧12号"},  # registered, a ledger number of its own
        {**ROW, **forwarded, "信访人": "孙丽", "证件号码": "110101199003077774",
         "收到日期": "2025-05-06", "受理告知日期": "2025-05-30", "处理结论": "解释说明",
         "答复送达日期": "2025-09-30", "满意度": "不满意", "评价日期": "2025-10-08"},
        # forwarded: the objection deadline is cancelled, acceptance and handling done late
        {**ROW, **_OPEN, "来源": "上级交办", "转送/交办机关": "县政府", "信访人": "周涛",
         "证件号码": None, "登记编号": "〔2025〕甲镇信字第20号"},  # the counter moves past 20
        {**ROW, "收到日期": "2025-04-10", "受理告知日期": "2025-04-11", "处理结论": "不予支持",
         "答复送达日期": "2025-04-20", "满意度": None},  # 陈建军 again: same as row 2
        {**ROW, **_OPEN, "信访人": "吴刚", "证件号码": None, "来访人数": 5,
         "信访事项摘要": "征地补偿", "问题类别": "土地征收与山林权属"},  # a group visit
        _BARE,  # only the required columns
        {**ROW, **_OPEN, "信访人": "刘芳", "证件号码": None, "联系电话": "13600002222",
         "信访形式": "网上", "收到日期": "2025-06-01", "信访事项摘要": "道路破损",
         "受理告知日期": "2025-06-02", "处理结论": "支持", "答复送达日期": "2025-06-20",
         "满意度": "基本满意"},  # 刘芳 again: same matter as row 3, in another batch when small
        {**ROW, **forwarded, **_OPEN, "信访人": "郑洁", "证件号码": None,
         "收到日期": "2025-07-01", "受理告知日期": "2025-07-02",
         "不予受理理由": "应当通过法定途径解决", "不予受理说明": "告知诉讼"},  # forwarded, declined
        {**ROW, **_OPEN, "信访人": "王平", "证件号码": None, "收到日期": "2025-12-30",
         "受理告知日期": "2026-01-05"},  # numbers of two years
    ]  # fmt: skip


@pytest.fixture
def township(cast):
    find_or_create_party(cast.a, name="刘芳", phone="13600002222", actor=cast.admin)
    services.register_petition(
        cast.a,
        actor=cast.a_operator,
        channel="visit",
        received_on=dt.date(2025, 1, 6),
        petitioner=services.PartyInput(name="陈建军", id_number="140581198001011231"),
        subject="耕地 补贴未发放",
        content="要求补发补贴",
        category="agriculture",
    )
    return cast.a


def _keys() -> dict[tuple[str, int], Any]:
    keys: dict[tuple[str, int], Any] = {}
    for p in Party.objects.all():
        keys[("party", p.pk)] = ("party", p.name, p.phone, p.id_key)
    for p in Petition.objects.all():
        keys[("petition", p.pk)] = ("petition", p.receipt_no)
    for o in PetitionOpinion.objects.all():
        keys[("petitionopinion", o.pk)] = ("opinion", o.number)
    for x in Deadline.objects.all():
        keys[("deadline", x.pk)] = ("deadline", x.label)
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
    for name, model in (
        ("deadline", "deadline"),
        ("opinion", "petitionopinion"),
        ("same_matter_as", "petition"),
    ):
        if out.get(name) is not None:
            out[name] = keys[(model, int(out[name]))]
    return out


def _chain(chain: str, keys: dict) -> Any:
    return keys[("petition", int(chain.rsplit(":", 1)[1]))]


def _dump(marks: dict[str, int]) -> dict[str, Any]:
    keys = _keys()
    new = {name: {"pk__gt": mark} for name, mark in marks.items()}
    heads = {
        evidence.head_kind(evidence.chain_name(p)): keys[("petition", p.pk)]
        for p in Petition.objects.all()
    }
    entries = EvidenceEntry.objects.filter(**new["entry"])
    return {
        "petitions": sorted(
            (
                _row(p, keys, petitioner="party", same_matter_as="petition")
                for p in Petition.objects.filter(**new["petition"])
            ),
            key=lambda r: r["receipt_no"],
        ),
        "parties": [_row(p, keys, merged_into="party") for p in Party.objects.order_by("pk")],
        "opinions": sorted(
            (_row(o, keys, petition="petition") for o in PetitionOpinion.objects.all()), key=str
        ),
        "deadlines": sorted(
            (
                _row(x, keys, object_id="petition")
                for x in Deadline.objects.filter(**new["deadline"])
            ),
            key=str,
        ),
        "counters": sorted(
            (t, y, heads.get(k, k), v)
            for t, y, k, v in Counter.objects.values_list("township_id", "year", "kind", "value")
        ),
        "evidence": sorted(  # by the petition's receipt number: chain names sort as text
            (
                (_chain(e.chain, keys), e.seq, e.kind, e.content, e.actor_id, e.actor_name)
                for e in entries
            ),
            key=lambda e: (e[0][1], e[1]),
        ),
        "chains": sorted(
            (_chain(c, keys), bool(evidence.verify(t, c)))
            for t, c in {(e.township_id, e.chain) for e in entries}
        ),
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
        "petition": last(Petition),
        "deadline": last(Deadline),
        "entry": last(EvidenceEntry),
        "change": last(ChangeRecord),
        "event": last(DomainEvent),
    }


class _Undo(Exception):
    pass


def _import(rows: list[dict[str, Any]], actor: Any) -> io.LedgerResult:
    return io.import_ledger(workbook(rows), actor=actor, allow_job=False)


@pytest.mark.parametrize("batch", [ledger.BATCH, 4, 1])
def test_bulk_writer_stores_what_the_services_store(cast, township, monkeypatch, batch):
    monkeypatch.setattr(ledger, "BATCH", batch)
    marks = _marks()
    rows = _rows()
    with monkeypatch.context() as m:  # the row-by-row replay through the services
        m.setattr(ledger, "may_bulk", lambda actor, townships: False)
        try:
            with transaction.atomic():
                result = _import(rows, cast.a_operator)
                assert result.errors == [] and result.created == len(rows)
                expected = _dump(marks)
                raise _Undo
        except _Undo:
            pass
    assert Petition.objects.count() == 1
    result = _import(rows, cast.a_operator)
    assert result.errors == [] and result.created == len(rows)
    got = _dump(marks)
    for name in expected:
        assert got[name] == expected[name], name
    # the cases the rows were written to cover did occur
    statuses = {p["status"] for p in got["petitions"]}
    assert statuses == {"registered", "accepted", "not_accepted", "served"}, statuses
    assert {p["satisfaction"] for p in got["petitions"]} == {
        "",
        "satisfied",
        "basically",
        "unsatisfied",
    }
    outcomes = {o["outcome"] for o in got["opinions"]}
    assert outcomes == {"support", "explain", "not_support"}
    assert sum(1 for p in got["petitions"] if p["same_matter_as"]) == 3
    numbers = {p["receipt_no"] for p in got["petitions"]}
    assert {"甲信〔2025〕旧12号", "〔2025〕甲镇信字第20号", "〔2025〕甲镇信字第21号"} <= numbers
    deadlines = {(d["rule_code"], d["status"]) for d in got["deadlines"]}
    assert {("petitions.objection", "cancelled"), ("petitions.objection", "open")} <= deadlines
    assert ("petitions.handling", "done_late") in deadlines
    assert all(ok for _c, ok in got["chains"]) and len(got["evidence"]) == 8
    assert any(h[2] == "update" and h[0] == "party" for h in got["history"])  # 刘芳 enriched


@pytest.mark.parametrize(
    "bad, where",
    [
        ({"受理告知日期": "2025-03-01"}, (3, None)),  # before the receipt date
        ({"登记编号": "〔2025〕甲镇信字第1号"}, (3, "登记编号")),  # the fixture's number
        ({"收到日期": "2099-01-01", "受理告知日期": None, **_OPEN}, (3, "收到日期")),
        ({"评价日期": "2026-01-01"}, (3, "满意度")),  # after the rating window
        ({"证件号码": "1405811980010112"}, (3, "证件号码")),  # not an ID number
    ],
)
def test_a_row_the_services_refuse_fails_the_same_way(cast, township, monkeypatch, bad, where):
    rows = [{**ROW, "信访人": "刘芳", "证件号码": None}, {**ROW, **bad}, _BARE]
    results = []
    for bulk in (False, True):
        with monkeypatch.context() as m:
            if not bulk:
                m.setattr(ledger, "may_bulk", lambda actor, townships: False)
            result = _import(rows, cast.a_operator)
        results.append([(e.row, e.column, e.message) for e in result.errors])
        assert result.created == 0 and Petition.objects.count() == 1
    assert results[0] == results[1], results
    assert [(r, c) for r, c, _m in results[1]] == [where], results


def test_an_automatic_number_given_by_a_later_row_fails_as_the_services_do(cast, township):
    rows = [_BARE, {**_BARE, "登记编号": "〔2025〕甲镇信字第2号"}]
    result = _import(rows, cast.a_operator)
    assert [(e.row, e.column) for e in result.errors] == [(3, "登记编号")]
    assert "已存在" in result.errors[0].message
    assert Petition.objects.count() == 1


def _next_petition_id() -> int:
    """The id the next petition inserted will get (PostgreSQL: drawn and given back)."""
    from django.db import connection

    if connection.vendor != "postgresql":  # SQLite: the highest id and one (no AUTOINCREMENT)
        return (Petition.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('petitions_petition', 'id'))")
        drawn = cursor.fetchone()[0]
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('petitions_petition', 'id'), %s)", [drawn]
        )
    return drawn + 1


@pytest.mark.parametrize("left_in", ["a", "b"])
def test_a_chain_left_under_the_new_id_is_appended_to_as_the_service_does(cast, township, left_in):
    """A chain of the new petition's name may be left by a removed record: in its township,
    the import appends to it (as `evidence.append` would); another township's chain of that
    name is another chain (chains are a township's), and the import starts a new one."""
    chain = f"petitions.petition:{_next_petition_id()}"
    left = getattr(cast, left_in)
    evidence.append(left, chain, "test.left", {"note": "删除的记录"}, actor=cast.admin)
    result = _import([ROW], cast.a_operator)
    assert result.errors == [] and result.created == 1
    p = Petition.objects.order_by("-pk").first()
    assert evidence.chain_name(p) == chain
    entries = EvidenceEntry.objects.filter(township=cast.a, chain=chain).order_by("seq")
    kinds = [e.kind for e in entries]
    expected = ["petitions.opinion_issued", "petitions.opinion_served"]
    assert kinds == (["test.left", *expected] if left_in == "a" else expected)
    assert [e.seq for e in entries] == list(range(1, len(kinds) + 1))
    assert evidence.verify(cast.a, chain)
    assert evidence.verify(left, chain)


def _many(count: int) -> list[dict[str, Any]]:
    kinds = [
        {},  # served and rated
        {**_OPEN, "受理告知日期": "2025-03-05"},  # accepted
        {**_OPEN, "受理告知日期": "2025-03-04", "不予受理理由": "应当通过法定途径解决",
         "不予受理说明": "告知仲裁"},  # declined
        {**_OPEN, "来源": "上级转送", "转送/交办机关": "县信访局"},  # registered, forwarded
    ]  # fmt: skip
    return [
        {**ROW, **kinds[i % len(kinds)], "信访人": f"信访人{i}", "证件号码": None,
         "联系电话": f"136{i:08d}", "信访事项摘要": f"第{i}件"}
        for i in range(count)
    ]  # fmt: skip


def test_the_queries_do_not_grow_with_the_rows(cast, township):
    """10 rows and 50 rows take the same reads, updates and locks (the bulk writer: parties
    matched, same matters found, numbers allocated, rules and calendar read once per batch),
    and the same INSERTs on PostgreSQL (one statement per table; history by COPY); SQLite
    splits a bulk_create at 999 parameters (50 petitions of ~40 columns: three statements).
    The replay took ~84 queries a row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for count in (10, 10, 50):  # the first warms the caches (content types, known rows)
        try:
            with transaction.atomic():
                data = workbook(_many(count))
                with CaptureQueriesContext(connection) as queries:
                    result = io.import_ledger(data, actor=cast.a_operator, allow_job=False)
                assert result.errors == [] and result.created == count
                sql = [q["sql"] for q in queries.captured_queries]
                inserts = [q.split("(")[0] for q in sql if q.startswith(("INSERT", "COPY"))]
                counts.append((len(sql) - len(inserts), inserts))
                raise _Undo
        except _Undo:
            pass
    (few_reads, few), (many_reads, many) = counts[1:]
    assert few_reads == many_reads, counts
    limit = 0 if connection.vendor == "postgresql" else 6
    assert len(many) - len(few) <= limit, (few, many)


def test_a_refused_row_before_a_bad_row_is_reported_as_by_the_replay(cast, township, monkeypatch):
    """The first bad row makes the writer write the rows it holds: the earlier refused row is
    the error reported, as when every row is written as it is read."""
    rows = [
        _BARE,
        {**ROW, "受理告知日期": "2025-03-01"},
        _BARE,
        {**_BARE, "收到日期": "2025-13-01"},
    ]
    results = []
    for bulk in (False, True):
        with monkeypatch.context() as m:
            if not bulk:
                m.setattr(ledger, "may_bulk", lambda actor, townships: False)
            result = _import(rows, cast.a_operator)
        results.append([(e.row, e.column, e.message) for e in result.errors])
        assert result.created == 0 and Petition.objects.count() == 1
    assert results[0] == results[1] and [r for r, _c, _m in results[1]] == [3], results
