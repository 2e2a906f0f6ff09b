"""Petition figures from the registry: values, numerator/denominator and drill-downs, and the
channel × status statistics table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.core.models import Staff
from fazhi.indicators import registry
from fazhi.indicators.registry import Period
from fazhi.petitions import metrics, services
from fazhi.petitions.tests.conftest import at

pytestmark = pytest.mark.django_db
D = dt.date
Y2025 = Period.year(2025)


@pytest.fixture
def ledger(cast, walk, party):
    """Six petitions of 甲镇 in 2025 (plus one in 2024 and one of 乙镇 that must not count)."""
    zhang = party("张明")
    p1 = walk("served", petitioner=zhang, channel="visit", received=D(2025, 3, 3), accepted=D(2025, 3, 5),
              issued=D(2025, 4, 1), served=D(2025, 4, 2))  # fmt: skip
    p2 = walk("served", petitioner=party("李四"), channel="letter", received=D(2025, 3, 10),
              accepted=D(2025, 3, 28), issued=D(2025, 6, 1), served=D(2025, 6, 1))  # fmt: skip
    p3 = walk("accepted", petitioner=party("王五"), channel="online", received=D(2025, 5, 1),
              accepted=D(2025, 5, 6))  # fmt: skip
    p4 = walk(petitioner=party("赵六"), channel="phone", received=D(2025, 6, 1))
    with at(D(2025, 6, 3)):
        services.decline_petition(
            p4,
            actor=cast.a_operator,
            on=D(2025, 6, 3),
            reason="not_competent",
            note="不属于本机关职权",
        )
    p5 = walk(petitioner=party("钱七"), channel="fax", received=D(2025, 12, 25))
    p6 = walk(
        petitioner=zhang, channel="visit", is_group=True, visitor_count=12, received=D(2025, 7, 1)
    )
    with at(D(2025, 4, 5)):
        services.rate_petition(
            p1, satisfaction="satisfied", channel="follow_up", actor=cast.a_operator
        )
    with at(D(2025, 6, 20)):
        services.rate_petition(p2, satisfaction="unsatisfied", channel="portal")
    owner = Staff.objects.create(township=cast.a, name="孙副镇长")
    with at(D(2025, 5, 7)):
        case = services.flag_backlog(
            p3,
            actor=cast.a_operator,
            owner=owner,
            flagged_on=D(2025, 5, 7),
            target_on=D(2025, 9, 30),
        )
    with at(D(2025, 8, 1)):
        services.resolve_backlog(
            case, actor=cast.a_operator, on=D(2025, 8, 1), resolution="息诉罢访"
        )
    walk(petitioner=party("旧案"), received=D(2024, 12, 2))
    with at(D(2025, 3, 3)):
        services.register_petition(
            cast.b, actor=cast.admin, channel="visit", received_on=D(2025, 3, 3),
            petitioner=party("乙镇人", township=cast.b), subject="x", content="y",
        )  # fmt: skip
    return {"p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5, "p6": p6}


def fig(code, township):
    return registry.compute(code, township, Y2025)


def ids(code, township, part="denominator"):
    return set(registry.metric(code).drilldown(township, Y2025, part).values_list("pk", flat=True))


def test_registered_counts_petitions_received_in_the_year(cast, ledger):
    f = fig("petitions.registered", cast.a)
    assert f.value == 6 and f.display == "6件"
    assert ids("petitions.registered", cast.a) == {p.pk for p in ledger.values()}


def test_accepted_on_time_rate(cast, ledger):
    f = fig("petitions.accepted_on_time_rate", cast.a)
    assert (f.numerator, f.denominator, f.value) == (3, 5, Decimal("60.0"))
    assert f.display == "3/5 = 60.0%"
    L = ledger
    assert ids("petitions.accepted_on_time_rate", cast.a) == {
        L[k].pk for k in ("p1", "p2", "p3", "p4", "p6")
    }
    assert ids("petitions.accepted_on_time_rate", cast.a, "numerator") == {
        L[k].pk for k in ("p1", "p3", "p4")
    }


def test_closed_on_time_and_closure_rates(cast, ledger):
    L = ledger
    on_time = fig("petitions.closed_on_time_rate", cast.a)
    assert (on_time.numerator, on_time.denominator) == (1, 3)
    assert ids("petitions.closed_on_time_rate", cast.a, "numerator") == {L["p1"].pk}
    closure = fig("petitions.closure_rate", cast.a)
    assert (closure.numerator, closure.denominator, closure.value) == (2, 3, Decimal("66.7"))
    assert ids("petitions.closure_rate", cast.a) == {L[k].pk for k in ("p1", "p2", "p3")}
    assert fig("petitions.accepted", cast.a).value == 3


def test_closure_rate_of_a_past_period_ignores_later_conclusions(cast, walk):
    walk(
        "served",
        received=D(2025, 11, 20),
        accepted=D(2025, 11, 21),
        issued=D(2026, 1, 5),
        served=D(2026, 1, 6),
    )
    f = fig("petitions.closure_rate", cast.a)
    assert (f.numerator, f.denominator) == (0, 1)


def test_satisfaction_rate_is_of_rated_petitions(cast, ledger):
    f = fig("petitions.satisfaction_rate", cast.a)
    assert (f.numerator, f.denominator, f.value) == (1, 2, Decimal("50.0"))
    assert ids("petitions.satisfaction_rate", cast.a, "numerator") == {ledger["p1"].pk}


def test_repeat_rate(cast, ledger):
    f = fig("petitions.repeat_rate", cast.a)
    assert (f.numerator, f.denominator) == (1, 6)
    assert ids("petitions.repeat_rate", cast.a, "numerator") == {ledger["p6"].pk}


def test_backlog_resolved(cast, ledger):
    assert fig("petitions.backlog_resolved", cast.a).value == 1
    empty = registry.compute("petitions.backlog_resolved", cast.a, Period.year(2024))
    assert empty.status == registry.NO_RECORDS  # nothing recorded: 未记录, not 0


def test_other_township_is_not_counted(cast, ledger):
    assert fig("petitions.registered", cast.b).value == 1
    assert fig("petitions.closure_rate", cast.b).value is None  # no denominator


def test_statistics_table_by_channel_and_status(cast, ledger):
    table = {
        row.label: {c.key: v for c, v in row.cells}
        for row in metrics.channel_status_table(cast.a, Y2025)
    }
    assert [r for r in table] == ["走访", "来信", "网上信访", "电话", "传真", "合计"]
    assert (
        table["走访"]["total"] == 2
        and table["走访"]["group"] == 1
        and table["走访"]["visitors"] == 13
    )
    assert table["来信"]["group"] is None  # a visits-only column
    total = table["合计"]
    assert (total["total"], total["concluded"], total["on_time"], total["not_accepted"]) == (
        6,
        2,
        1,
        1,
    )
    assert (total["handling"], total["registered"], total["rated"], total["satisfied"]) == (
        1,
        2,
        2,
        1,
    )
    cell = metrics.cell_records(cast.a, Y2025, "visit", "registered")
    assert set(cell.values_list("pk", flat=True)) == {ledger["p6"].pk}


def test_every_petition_metric_is_registered_with_a_definition():
    codes = {m.code for m in registry.metrics("petitions")}
    assert codes >= {
        "petitions.registered",
        "petitions.accepted_on_time_rate",
        "petitions.closed_on_time_rate",
        "petitions.closure_rate",
        "petitions.satisfaction_rate",
        "petitions.repeat_rate",
        "petitions.backlog_resolved",
    }
    assert all(m.definition for m in registry.metrics("petitions"))


def test_a_running_period_does_not_count_deadlines_not_yet_due(cast, walk):
    walk(received=D(2025, 3, 3))  # acceptance notice due 2025-03-18
    with at(D(2025, 3, 18)):
        assert fig("petitions.accepted_on_time_rate", cast.a).denominator == 0
    with at(D(2025, 3, 19)):
        f = fig("petitions.accepted_on_time_rate", cast.a)
        assert (f.numerator, f.denominator) == (0, 1)
