"""The seed reports against the demo townships' records: every figure the records cover maps to
the right metric and agrees with it (the demo reproduces the reports), and a changed record is
caught as 报告称…，系统记录…."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from fazhi.core import demo
from fazhi.core.models import Township
from fazhi.reports.services import check_report

SEEDS = Path(settings.FAZHI_SEEDS_DIR)


@pytest.fixture(scope="module")
def townships(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            demo.load()
            yield {t.name: t for t in Township.objects.all()}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def mapped(result) -> dict[str, str]:
    return {c.raw: c.metric for c in result.claims if c.metric}


@pytest.mark.django_db
def test_sizhuang_report_agrees_with_its_records(townships):
    result = check_report(seed("001"), township=townships["寺庄镇"])
    assert mapped(result) == {
        "12次": "disputes.mediator_trainings",
        "58件": "disputes.screened",
        "达100%": "disputes.mediation_success_rate",
        "11件": "petitions.accepted",
        "均达98%以上": "petitions.satisfaction_rate",  # the last of the two rates in the sentence
        "3次": "inspections.campaigns",
        "150余家": "inspections.enterprises_inspected",
        "12条": "inspections.hazards_rectified",
        # 公共法律服务 and 普法 (issue 12: outreach)
        "48次": "outreach.duty_sessions",
        "100余条": "outreach.consultation_questions",
        "2000余人次": "outreach.consultation_people",
        "7次": "outreach.events",
        "达20000余人次": "outreach.audience",
        "22000余份": "outreach.materials",
    }
    claims = {c.noun: c.metric for c in result.claims if c.raw == "12次"}
    assert claims["周例会学法"] == "governance.study_weekly"
    assert claims["法律法规"] == "governance.study_collective"
    claims = {c.noun: c.metric for c in result.claims if c.raw == "达100%"}
    assert claims.get("行政执法资格证持有率") == "enforcement.certified_rate", claims
    rates = {c.noun: c.metric for c in result.claims if c.raw == "均达98%以上"}
    assert rates == {
        "办结率": "petitions.closure_rate",
        "群众满意率": "petitions.satisfaction_rate",
    }
    assert not [d for d in result.defects if d.kind == "record_mismatch"]


@pytest.mark.django_db
def test_huagong_report_agrees_with_its_records(townships):
    result = check_report(seed("002"), township=townships["化工镇"])
    assert {c.metric for c in result.claims if c.metric} >= {
        "disputes.screened",
        "disputes.resolved",
        "disputes.mediation_success_rate",
    }
    assert not [d for d in result.defects if d.kind == "record_mismatch"]


@pytest.mark.django_db
def test_a_figure_the_records_contradict_is_an_error(townships):
    text = seed("001").replace("排查化解矛盾纠纷58件", "排查化解矛盾纠纷60件")
    result = check_report(text, township=townships["寺庄镇"])
    [defect] = [d for d in result.defects if d.kind == "record_mismatch"]
    assert defect.severity == "error"
    assert "报告称60件，系统记录58件" in defect.reason


@pytest.mark.django_db
def test_biandangou_backlog_figures_map_to_their_own_metrics(townships):
    """35 and 11 were matched to 化解积案件数 by a substring; the words right before the number
    decide (现场化解积案35起, 走访下访化解11起), and the unit must agree."""
    result = check_report(seed("004"), township=townships["扁担沟镇"])
    found = mapped(result)
    assert found["35起"] == "disputes.backlog_resolved_on_site"
    assert found["16起"] == "disputes.backlog_collected"
    assert found["11起"] == "disputes.backlog_resolved_by_visit"
    assert not [d for d in result.defects if d.kind == "record_mismatch"]


@pytest.mark.django_db
@pytest.mark.parametrize("prefix,name", [("000", "杜关镇"), ("003", "将官池镇")])
def test_other_seeds_agree_with_their_records(townships, prefix, name):
    result = check_report(seed(prefix), township=townships[name])
    assert not [d for d in result.defects if d.kind == "record_mismatch"]


def test_a_claim_no_metric_names_is_not_guessed():
    """检查企业150余家 shares the word 检查 with metrics counting 件: no match rather than a guess;
    a unit of the same kind (起 for 件) still matches."""
    from fazhi.indicators import registry
    from fazhi.reports.records import match_metric

    result = check_report(
        "甲镇2025年法治政府建设年度报告\n一、主要举措\n全年排查检查企业150余家，排查矛盾纠纷12起。"
    )
    claims = {c.raw: c for c in result.claims}
    candidates = [registry.metric("disputes.screened")]
    assert match_metric(claims["150余家"], candidates) is None
    assert match_metric(claims["12起"], candidates).code == "disputes.screened"
