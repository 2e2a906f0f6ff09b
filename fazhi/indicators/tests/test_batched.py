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
    assert len(one) <= len(tables) + 1  # + the declarations, read once when a figure is empty
    with CaptureQueriesContext(connection) as county:
        registry.compare_many(codes, [data.a, data.b, data.c], period)
    assert len(county) <= len(tables) + 1
