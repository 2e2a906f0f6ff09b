"""Metrics declared with Rows: one aggregate per table for a township-period, one grouped query
per table for the county comparison, and the same figures as computing them one by one."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.disputes import choices as c
from fazhi.disputes.tests.helpers import raw_dispute
from fazhi.indicators import registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(cast):
    for township in (cast.a, cast.b):
        raw_dispute(cast, township)
        raw_dispute(
            cast,
            township,
            status=c.DisputeStatus.SUCCEEDED,
            concluded_on=dt.date(2025, 4, 1),
        )
    raw_dispute(cast, cast.a, received_on=dt.date(2024, 5, 1))
    return cast


def test_batched_figures_equal_one_by_one(data):
    period = registry.Period.year(2025)
    codes = [m.code for m in registry.metrics()]
    for township in (data.a, data.b, data.c):
        batched = registry.compute_many(codes, township, period)
        for code in codes:
            one = registry.metric(code).compute(township, period)
            assert batched[code].as_dict() == one.as_dict(), code
    compared = registry.compare_many(codes, [data.a, data.b, data.c], period)
    for code in codes:
        for township, figure in compared[code].rows:
            one = registry.metric(code).compute(township, period)
            assert figure.as_dict() == one.as_dict(), (code, township)
    assert registry.compute("disputes.screened", data.a, period).value == 2


def test_one_query_per_table(data):
    period = registry.Period.year(2025)
    group = registry.metrics("disputes")
    declared = [m for m in group if m.batchable]
    tables = {m.records.table for m in declared}
    assert len(declared) >= 10
    codes = [m.code for m in declared]
    with CaptureQueriesContext(connection) as one:
        registry.compute_many(codes, data.a, period)
    assert len(tables) > 1
    assert len(one) <= 2  # one statement for every table + the declarations (read once)
    with CaptureQueriesContext(connection) as county:
        registry.compare_many(codes, [data.a, data.b, data.c], period)
    assert len(county) <= len(tables) + 1


def test_count_over_a_subset_is_zero_when_the_whole_has_rows(cast):
    """disputes.resolved counts a subset of the period's disputes: with disputes registered
    but none resolved it is a real 0; with no dispute at all it is 未记录 (both paths)."""
    raw_dispute(cast, cast.a)  # registered in 2025, still open
    raw_dispute(cast, cast.b, received_on=dt.date(2024, 5, 1))  # another year only
    period = registry.Period.year(2025)
    resolved = registry.metric("disputes.resolved")
    assert resolved.subset_of is registry.metric("disputes.screened").records
    for figure in (
        resolved.compute(cast.a, period),
        registry.compute_many(["disputes.resolved"], cast.a, period)["disputes.resolved"],
        registry.compare("disputes.resolved", [cast.a], period).rows[0][1],
    ):
        assert (figure.status, figure.value, figure.display) == (registry.RECORDED, 0, "0件")
    for township in (cast.b, cast.c):
        for figure in (
            resolved.compute(township, period),
            registry.compute_many(["disputes.resolved"], township, period)["disputes.resolved"],
            registry.compare("disputes.resolved", [township], period).rows[0][1],
        ):
            assert figure.status == registry.NO_RECORDS
            assert figure.display == "未记录"
    # a whole count (not a subset) with no rows stays 未记录; a rate with no denominator too
    assert registry.compute("disputes.screened", cast.b, period).status == registry.NO_RECORDS
    assert registry.metric("disputes.screened").subset_of is None


def test_a_records_function_can_name_the_whole(isolated_registry, cast):
    """Metrics declared with functions state their whole with `base_records`."""
    from fazhi.disputes.models import Dispute

    def whole(township, period):
        return Dispute.objects.filter(township=township, received_on__year=period.start.year)

    def part(township, period):
        return whole(township, period).filter(status=c.DisputeStatus.SUCCEEDED)

    m = registry.register(
        registry.Metric("test.part", "部分", "件", registry.COUNT, part, base_records=whole)
    )
    raw_dispute(cast, cast.a)
    period = registry.Period.year(2025)
    assert not m.batchable
    assert m.compute(cast.a, period).status == registry.RECORDED
    assert m.compute(cast.a, period).value == 0
    assert m.compute(cast.b, period).status == registry.NO_RECORDS


@pytest.fixture
def isolated_registry(monkeypatch):
    monkeypatch.setattr(registry, "_METRICS", dict(registry._METRICS))
    return registry


def test_the_compiled_statement_is_reused_for_every_township(data):
    """The plan is compiled once per set of metrics and period; each township only substitutes
    its id, and gets its own figures."""
    period = registry.Period.year(2025)
    codes = [m.code for m in registry.metrics("disputes") if m.batchable]
    registry._PLANS.clear()
    first = registry.compute_many(codes, data.a, period)
    assert len(registry._PLANS) == 1
    third = registry.compute_many(codes, data.c, period)
    assert len(registry._PLANS) == 1
    assert first["disputes.screened"].value == 2
    assert third["disputes.screened"].status == registry.NO_RECORDS
    registry.compute_many(codes, data.a, registry.Period.year(2024))
    assert len(registry._PLANS) == 2
    assert (
        registry.compute_many(codes, data.a, registry.Period.year(2024))["disputes.screened"].value
        == 1
    )


def test_the_county_comparison_reuses_its_compiled_queries(data):
    period = registry.Period.year(2025)
    codes = [m.code for m in registry.metrics("disputes") if m.batchable]
    tables = {registry.metric(c).records.table for c in codes}
    registry._PLANS.clear()
    first = registry.compare_many(codes, [data.a, data.b, data.c], period)
    assert len(registry._PLANS) == len(tables)
    again = registry.compare_many(codes, [data.c, data.b, data.a], period)
    assert len(registry._PLANS) == len(tables)  # same number of townships: reused
    by_name = {t.name: f.value for t, f in again["disputes.screened"].rows}
    assert by_name == {t.name: f.value for t, f in first["disputes.screened"].rows}
    assert by_name == {data.a.name: 2, data.b.name: 2, data.c.name: None}


def test_one_statement_is_estimated_at_one_row(data):
    """Each table's aggregate in the one statement says it has one row at most: PostgreSQL
    otherwise multiplies its guesses of several groups per table into a cost that switches on
    JIT compilation (42.8 s for one demo township instead of 8 ms)."""
    codes = [m.code for m in registry.metrics()]
    tables = registry._by_table([registry.metric(code) for code in codes])
    plan = registry._plan_for(tables, registry.Period.year(2025))
    assert plan is not None and len(plan.parts) == len(tables) > 30
    assert plan.sql.count(" LIMIT 1) _fz") == len(tables)
    params = list(plan.params)
    for slot in plan.slots:
        params[slot] = data.a.pk
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (FORMAT JSON) " + plan.sql, params)
            estimate = cursor.fetchone()[0]
            estimate = (
                estimate if isinstance(estimate, list) else __import__("json").loads(estimate)
            )
            top = estimate[0]["Plan"]
            assert top["Plan Rows"] <= 1 and top["Total Cost"] < 100_000, top  # jit_above_cost
        else:
            cursor.execute(plan.sql, params)
            assert len(cursor.fetchall()) == 1
