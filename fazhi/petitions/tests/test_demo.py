"""The demo data: 寺庄镇's stated petition figures from the registry, 杜关镇's open, overdue,
extended and escalated cases, and a second load that changes nothing."""

from __future__ import annotations

import pytest

from fazhi.core.choices import DeadlineStatus
from fazhi.core.models import ChangeRecord, County, Deadline, Township, Village
from fazhi.indicators import registry
from fazhi.indicators.registry import Period
from fazhi.petitions import demo
from fazhi.petitions.models import (
    BacklogCase,
    JointMeeting,
    Petition,
    PetitionTransfer,
    ReceptionDay,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def townships(db):
    gaoping = County.objects.create(name="高平市", province="山西省", city="晋城市")
    lushi = County.objects.create(name="卢氏县", province="河南省", city="三门峡市")
    mengzhou = County.objects.create(name="孟州市", province="河南省", city="焦作市")
    out = {
        "寺庄镇": Township.objects.create(county=gaoping, name="寺庄镇"),
        "杜关镇": Township.objects.create(county=lushi, name="杜关镇"),
        "化工镇": Township.objects.create(county=mengzhou, name="化工镇"),
    }
    for name in ("杜关村", "西虎岭村"):
        Village.objects.create(township=out["杜关镇"], name=name)
    Village.objects.create(township=out["化工镇"], name="化工村")
    return out


def test_sizhuang_figures_match_its_report(townships):
    demo.load(townships)
    t, year = townships["寺庄镇"], Period.year(2025)
    assert registry.compute("petitions.registered", t, year).value == 11
    closure = registry.compute("petitions.closure_rate", t, year)
    assert closure.display == "11/11 = 100.0%"
    satisfaction = registry.compute("petitions.satisfaction_rate", t, year)
    assert satisfaction.display == "11/11 = 100.0%"
    assert registry.compute("petitions.closed_on_time_rate", t, year).display == "11/11 = 100.0%"
    assert registry.compute("petitions.accepted_on_time_rate", t, year).display == "11/11 = 100.0%"
    assert registry.compute("petitions.backlog_resolved", t, year).value == 1
    assert registry.compute("petitions.repeat_rate", t, year).numerator == 0


def test_duguan_has_open_overdue_extended_and_escalated_cases(townships):
    demo.load(townships)
    t = townships["杜关镇"]
    statuses = set(Petition.objects.filter(township=t).values_list("status", flat=True))
    assert {"registered", "accepted", "served", "escalated"} <= statuses
    assert Petition.objects.filter(township=t, extension_days=30).exists()
    overdue = Deadline.objects.filter(
        township=t, rule_code="petitions.handling", status=DeadlineStatus.OPEN
    )
    from fazhi.core.deadlines import today_local

    assert overdue.filter(due_date__lt=today_local()).exists()
    levels = set(PetitionTransfer.objects.filter(township=t).values_list("from_level", "to_level"))
    assert {("village", "township"), ("township", "county")} <= levels
    assert JointMeeting.objects.filter(township=t).get().petitions.count() == 3
    assert BacklogCase.objects.filter(township=t, status="open").exists()
    assert ReceptionDay.objects.filter(township=t).count() == 2
    assert ReceptionDay.objects.filter(township=townships["化工镇"]).count() == 2


def test_loading_twice_changes_nothing(townships):
    demo.load(townships)
    counts = (Petition.objects.count(), ChangeRecord.objects.count(), ReceptionDay.objects.count())
    demo.load(townships)
    assert (
        Petition.objects.count(),
        ChangeRecord.objects.count(),
        ReceptionDay.objects.count(),
    ) == counts


def test_missing_townships_are_skipped(db):
    demo.load({})
    assert not Petition.objects.exists()
