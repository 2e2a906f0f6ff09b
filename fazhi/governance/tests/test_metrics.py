"""The governance and outreach metrics: report fields declared consistently, values with their
numerator/denominator, and the drill-down giving the records counted."""

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.governance.models import Training, TrainingResult
from fazhi.indicators import registry
from fazhi.indicators.registry import REPORT_SECTIONS, Period
from fazhi.outreach.models import Event

pytestmark = pytest.mark.django_db
Y = Period.year(2025)


def test_report_fields_are_declared_for_every_reported_metric():
    ours = registry.metrics("governance") + registry.metrics("outreach")
    assert len(ours) >= 40
    for m in ours:
        if m.report_section:
            assert m.report_section in REPORT_SECTIONS, m.code
            assert m.report_topic in ("学法用法", "第一责任人", "普法宣传", "公共法律服务"), m.code
            m.report_phrase.format(value=1, numerator=1, denominator=1, display="1", unit=m.unit)


def test_pass_rate_numerator_denominator_and_drilldown(cast, login):
    test = Training.objects.create(
        township=cast.a,
        held_on=dt.date(2025, 5, 1),
        kind="qualification",
        audience="enforcement",
        title="资格考试",
        pass_score=Decimal("60"),
    )
    for name, score in (("甲", 90), ("乙", 59), ("丙", 60)):
        TrainingResult.objects.create(township=cast.a, training=test, name=name, score=score)
    figure = registry.compute("governance.test_pass_rate", cast.a, Y)
    assert (figure.numerator, figure.denominator, figure.display) == (2, 3, "2/3 = 66.7%")
    names = set(
        registry.metric("governance.test_pass_rate")
        .drilldown(cast.a, Y, "numerator")
        .values_list("name", flat=True)
    )
    assert names == {"甲", "丙"}
    page = login(cast.a_operator).get(
        f"/indicators/t/{cast.a.pk}/governance.test_pass_rate/records/?year=2025&part=numerator"
    )
    assert (
        page.status_code == 200
        and "丙" in page.content.decode()
        and "乙" not in page.content.decode()
    )
    assert (
        login(cast.b_operator)
        .get(f"/indicators/t/{cast.a.pk}/governance.test_pass_rate/records/?year=2025")
        .status_code
        == 404
    )


def test_event_sums_count_only_the_period_and_township(cast):
    for township, day, audience in (
        (cast.a, dt.date(2025, 3, 15), 100),
        (cast.a, dt.date(2025, 12, 31), 50),
        (cast.a, dt.date(2026, 1, 1), 999),
        (cast.b, dt.date(2025, 6, 1), 999),
    ):
        Event.objects.create(
            township=township,
            held_on=day,
            title=f"活动{day}",
            channel="market",
            audience=audience,
            banners=1,
        )
    assert registry.compute("outreach.events", cast.a, Y).value == 2
    assert registry.compute("outreach.audience", cast.a, Y).value == 150
    assert registry.compute("outreach.banners", cast.a, Y).value == 2
    # nothing recorded is 未记录, not 0
    assert registry.compute("outreach.leaflets", cast.c, Y).display == "未记录"
