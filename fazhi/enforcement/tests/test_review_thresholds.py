"""The 较大数额罚款 thresholds of 法制审核 are configured numbers per county or province: the same
fine needs a review in one county and not in the next, alike in the case's gate, in the
township's figure and in the county comparison (one query grouped by township)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from fazhi.core import rules as rulebook
from fazhi.enforcement import cases, rules
from fazhi.enforcement.metrics import needs_review_q
from fazhi.enforcement.models import EnforcementCase, Power
from fazhi.enforcement.tests.helpers import body_of, officer
from fazhi.indicators import registry
from fazhi.indicators.registry import Period

D = dt.date
PERSON = rules.MAJOR_FINE_PERSON_RULE.code


def fined_case(cast, township, fine: int) -> EnforcementCase:
    """An ordinary case against a person, on a power without its own review, notified with
    `fine` 元 and past the 陈述申辩 period: only the fine can make it need 法制审核."""
    body = body_of(township)
    power = Power.objects.create(
        township=township,
        code=f"CF-{Power.objects.count()}",
        name="对违法建设的处罚",
        category="penalty",
        body=body,
        source="statutory",
        legal_basis="《城乡规划法》第六十五条",
        published_on=D(2025, 1, 1),
    )
    case = cases.file_case(
        township=township,
        power=power,
        body=body,
        handlers=[officer(township, "承办甲"), officer(township, "承办乙")],
        party_kind="person",
        party_name="张三丰",
        cause="未经批准建设临时建筑",
        filed_on=D(2025, 9, 1),
        actor=cast.admin,
    )
    cases.record_step(
        case,
        step="investigation",
        form="text",
        occurred_at=dt.datetime(2025, 9, 2, 10, 0, tzinfo=dt.UTC),
        place="某村",
        summary="现场勘验并制作笔录。",
        actor=cast.admin,
    )
    return cases.notify(
        case,
        notified_on=D(2025, 9, 15),
        proposed_penalty=f"罚款{fine}元",
        fine_amount=Decimal(fine),
        actor=cast.admin,
    )


def decide(cast, case):
    return cases.decide(
        case,
        decided_on=D(2025, 10, 15),
        outcome="penalty",
        decision="罚款",
        fine_amount=case.fine_amount,
        actor=cast.admin,
    )


def review_rate(township_figure) -> tuple:
    return (township_figure.numerator, township_figure.denominator, township_figure.status)


@time_machine.travel(dt.datetime(2025, 12, 30, 9, 0, tzinfo=dt.UTC), tick=False)
def test_one_fine_needs_review_in_one_county_and_not_in_the_other(cast):
    # the province lowers the person threshold to 8000元; 邻县 (丙镇) sets its own 3000元
    rulebook.set_override(
        PERSON,
        length=8000,
        unit="days",
        basis="某省较大数额罚款标准",
        province="测试省",
        actor=cast.admin,
    )
    rulebook.set_override(
        PERSON,
        length=3000,
        unit="days",
        basis="邻县规定",
        county=cast.other_county,
        actor=cast.admin,
    )
    assert rules.major_fine(cast.a, "person") == 8000  # the province's
    assert rules.major_fine(cast.c, "person") == 3000  # the county's own
    assert rules.major_fine(cast.a, "organisation") == 100_000  # the default

    here = fined_case(cast, cast.a, 5000)
    there = fined_case(cast, cast.c, 5000)
    assert here.review_triggers() == []
    assert there.review_triggers() == ["major_fine"]

    # the case's gate: 丙镇 cannot decide without a review, 甲镇 can
    with pytest.raises(ValidationError, match="须经法制审核（较大数额罚款"):
        decide(cast, there)
    decide(cast, here)
    EnforcementCase.objects.filter(pk=there.pk).update(decided_on=D(2025, 10, 15))

    # the query agrees with the property, case by case
    selected = set(EnforcementCase.objects.filter(needs_review_q()).values_list("pk", flat=True))
    assert selected == {there.pk}

    # the township's figure and the county comparison (grouped by township)
    period = Period.year(2025)
    code = "enforcement.review_rate"
    assert review_rate(registry.compute(code, cast.c, period)) == (0, 1, "recorded")
    assert review_rate(registry.compute(code, cast.a, period)) == (0, 0, "no_records")
    compared = dict(registry.compare(code, [cast.a, cast.c], period).rows)
    assert review_rate(compared[cast.c]) == (0, 1, "recorded")
    assert review_rate(compared[cast.a]) == (0, 0, "no_records")

    # the province lowers its threshold again: a case decided from now on at 5000元 needs a
    # review, and the compiled plans read the overrides in their SQL, so that follows at once;
    # 甲镇's decided case keeps the threshold in force at its decision (8000元): a lawful
    # decision does not become one that lacked its review
    rulebook.set_override(
        PERSON,
        length=5000,
        unit="days",
        basis="某省较大数额罚款标准（修订）",
        province="测试省",
        actor=cast.admin,
    )
    here.refresh_from_db()
    assert here.major_fine_limit == 8000
    assert here.review_triggers() == []
    assert review_rate(registry.compute(code, cast.a, period)) == (0, 0, "no_records")
    later = fined_case(cast, cast.a, 5000)
    assert later.review_triggers() == ["major_fine"]
    with pytest.raises(ValidationError, match="须经法制审核（较大数额罚款"):
        decide(cast, later)
    EnforcementCase.objects.filter(pk=later.pk).update(decided_on=D(2025, 10, 15))
    assert review_rate(registry.compute(code, cast.a, period)) == (0, 1, "recorded")
    compared = dict(registry.compare(code, [cast.a, cast.c], period).rows)
    assert review_rate(compared[cast.a]) == (0, 1, "recorded")
    selected = set(EnforcementCase.objects.filter(needs_review_q()).values_list("pk", flat=True))
    assert selected == {there.pk, later.pk}
