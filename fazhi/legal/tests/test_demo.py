"""The demo records make the registry give each seed's figures and statements (advisors, duty
sessions, reviews of decisions and contracts), and a second load changes nothing."""

from __future__ import annotations

import pytest
from django.db import transaction

from fazhi.core import demo as core_demo
from fazhi.core.models import ChangeRecord
from fazhi.indicators import registry
from fazhi.indicators.registry import Period
from fazhi.legal import demo
from fazhi.legal.models import Advisor

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The five seed townships (core's org data) with the legal demo records, loaded once."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield core_demo.load([core_demo.load_org, demo.load_legal]).townships
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def fig(code, township, year):
    return registry.compute(code, township, Period.year(year))


def test_sizhuang_advisor_in_major_decisions(seeded):
    t = seeded["寺庄镇"]
    assert fig("legal.advisors", t, 2025).value == 1
    assert fig("legal.advisor_decision_rate", t, 2025).display == "2/2 = 100.0%"  # “全程参与率100%”


def test_duguan_and_huagong_advisors(seeded):
    assert fig("legal.advisors", seeded["杜关镇"], 2025).value == 1  # “聘请资深律师”
    assert fig("legal.advisor_decision_rate", seeded["杜关镇"], 2025).value == 100
    assert fig("legal.contract_advisor_rate", seeded["化工镇"], 2025).display == "2/2 = 100.0%"


def test_jiangguanchi_contracts_reviewed_first_by_the_advisor(seeded):
    t = seeded["将官池镇"]
    figure = fig("legal.contract_advisor_rate", t, 2025)
    assert figure.display == "7/7 = 100.0%"  # “镇政府和各村签订的合同由法律顾问先行审查”
    drill = registry.metric("legal.contract_review_rate").drilldown(t, Period.year(2025))
    assert drill.filter(village__isnull=False).count() == 4
    assert drill.filter(village__isnull=True).count() == 3
    assert fig("legal.village_advisor_coverage", t, 2025).value == 100


def test_biandangou_four_lawyers_of_one_firm_for_eighteen_villages(seeded):
    t = seeded["扁担沟镇"]
    assert fig("legal.advisors", t, 2023).value == 4  # “世伦律师事务所4名律师”
    lawyers = Advisor.objects.filter(township=t)
    assert {a.engagement.firm for a in lawyers} == {"世伦律师事务所"}
    assert all(a.is_mediator for a in lawyers)  # “法律顾问调解员”
    assert fig("legal.village_advisor_coverage", t, 2023).display == "18/18 = 100.0%"


def test_second_load_changes_nothing(seeded):
    before = ChangeRecord.objects.count()
    demo.load_legal(seeded)
    assert ChangeRecord.objects.count() == before


def test_sizhuang_zero_reconsiderations_is_declared_and_judgments_all_performed(seeded):
    t = seeded["寺庄镇"]
    zero = fig("legal.reconsiderations", t, 2025)
    assert zero.value == 0 and zero.status == "zero"  # “行政复议案件零发生”: 零报告, not 未记录
    assert fig("legal.judgment_performance_rate", t, 2025).display == "1/1 = 100.0%"
    # the one judgment is on record and performed: a real 0 from the records (a subset count of a
    # recorded whole), not 未记录
    not_performed = fig("legal.judgments_not_performed", t, 2025)
    assert not_performed.value == 0 and not_performed.status == "recorded"
    assert (
        fig("legal.litigations", t, 2025).status == "no_records"
    )  # nothing stated, nothing declared


def test_duguan_litigation_studied_first_by_the_advisor(seeded):
    t = seeded["杜关镇"]
    assert fig("legal.litigation_advisor_rate", t, 2025).display == "1/1 = 100.0%"
    assert fig("legal.head_appearance_rate", t, 2025).display == "1/1 = 100.0%"
    assert fig("legal.defence_on_time_rate", t, 2025).display == "1/1 = 100.0%"


def test_huagong_no_reconsideration_corrected(seeded):
    t = seeded["化工镇"]
    assert fig("legal.reconsiderations", t, 2025).value == 1
    assert fig("legal.reconsideration_correction_rate", t, 2025).display == "0/1 = 0.0%"
    # “未发生…行政复议被撤销或行政诉讼败诉案件”: the reconsideration is on record and was not
    # corrected, so a real 0 from the records; the litigation side stays the declared zero
    corrected = fig("legal.reconsideration_corrected", t, 2025)
    assert corrected.value == 0 and corrected.status == "recorded"
    assert fig("legal.litigation_lost", t, 2025).status == "zero"
