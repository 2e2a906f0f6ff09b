"""The demo yields exactly the seed reports' figures, and loads idempotently."""

import datetime as dt

import pytest
import time_machine

from fazhi.core.models import ChangeRecord, County, Township
from fazhi.disputes import demo
from fazhi.disputes.models import Dispute, EarlyWarning
from fazhi.indicators import registry
from fazhi.indicators.registry import Period


@pytest.fixture
def seeds(db):
    gaoping = County.objects.create(name="高平市", province="山西省", city="晋城市")
    mengzhou = County.objects.create(name="孟州市", province="河南省", city="焦作市")
    litong = County.objects.create(name="利通区", province="宁夏回族自治区", city="吴忠市")
    return {
        "寺庄镇": Township.objects.create(county=gaoping, name="寺庄镇"),
        "化工镇": Township.objects.create(county=mengzhou, name="化工镇"),
        "扁担沟镇": Township.objects.create(county=litong, name="扁担沟镇"),
    }


def _value(code, township, year):
    return registry.compute(code, township, Period.year(year))


@time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=False)
def test_demo_reproduces_the_seed_figures_and_is_idempotent(seeds):
    demo.load(seeds)
    sizhuang, huagong, biandangou = seeds["寺庄镇"], seeds["化工镇"], seeds["扁担沟镇"]

    assert _value("disputes.screened", sizhuang, 2025).value == 58
    assert _value("disputes.resolved", sizhuang, 2025).value == 58
    assert _value("disputes.mediation_success_rate", sizhuang, 2025).display == "58/58 = 100.0%"
    assert _value("disputes.mediator_trainings", sizhuang, 2025).value == 12

    assert _value("disputes.screened", huagong, 2025).value == 121
    assert _value("disputes.resolved", huagong, 2025).value == 105
    rate = _value("disputes.mediation_success_rate", huagong, 2025)
    assert rate.display == "105/121 = 86.8%" and round(rate.value) == 87

    assert _value("disputes.backlog_resolved_on_site", biandangou, 2023).value == 35
    assert _value("disputes.backlog_collected", biandangou, 2023).value == 16
    assert _value("disputes.backlog_resolved_by_visit", biandangou, 2023).value == 11

    # open, overdue and escalated cases exist (in the current year and at the end of 2025)
    assert Dispute.objects.filter(township=huagong, status="mediating").count() >= 4
    assert EarlyWarning.objects.filter(township=huagong, kind="overdue").exists()
    assert Dispute.objects.filter(township=sizhuang, status="registered").exists()
    from fazhi.disputes.services import is_escalated

    assert any(
        is_escalated(d) for d in Dispute.objects.filter(township=huagong, status="mediating")
    )

    before = ChangeRecord.objects.count()
    demo.load(seeds)
    assert ChangeRecord.objects.count() == before
    assert _value("disputes.screened", huagong, 2025).value == 121
