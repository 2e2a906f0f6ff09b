"""The three journeys of issue 12: a clerk records a 普法 event at phone width and sees the
township figure and the target progress change; a target set below last year's actual is warned
about; a village's assessment score opens onto its evidence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.governance.models import AssessmentItem, AssessmentScheme, StudySession, Target
from fazhi.outreach.models import Event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_phone_width_event_entry_moves_the_figure_and_the_target(cast, open_session):
    Target.objects.create(
        township=cast.a,
        year=2025,
        metric_code="outreach.events",
        value=6,
        wording="全年组织专题普法活动不少于6场",
    )
    Event.objects.create(
        township=cast.a,
        held_on=dt.date(2025, 3, 15),
        title="3·15宣传",
        channel="market",
        audience=200,
    )
    s = open_session(width=390, height=844, label="phone")
    s.log_in("a_operator")
    page = s.page
    s.goto("/outreach/events/quick/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    page.fill("#id_held_on", "2025-05-20")
    page.fill("#id_title", "民法典宣传月赶集日宣传")
    page.select_option("#id_key_day", "civil_code_month")
    page.select_option("#id_channel", "market")
    page.get_by_label("老年人", exact=True).check()
    page.get_by_label("外出务工人员", exact=True).check()
    page.fill("#id_audience", "350")
    page.fill("#id_materials", "600")
    page.fill("#id_banners", "2")
    s.shot("event-form")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    figures = page.locator("#township-figures").inner_text()
    assert "普法活动场次：2场次" in figures and "受教育人次：550人次" in figures
    assert "完成目标的33.3%" in page.locator("#target-progress").inner_text()
    s.shot("event-saved")
    assert Event.objects.get(title="民法典宣传月赶集日宣传").target_groups == "老年人、外出务工人员"
    assert s.external_requests() == []


def test_target_below_last_years_actual_is_warned_about(cast, open_session):
    for month in (2, 4, 6, 9, 11):
        StudySession.objects.create(
            township=cast.a,
            held_on=dt.date(2025, month, 10),
            kind="special",
            topic=f"{month}月专题学习",
        )
    s = open_session()
    s.log_in("a_operator")
    page = s.page
    s.goto("/governance/targets/add/")
    page.fill("#id_year", "2026")
    page.select_option("#id_metric_code", "governance.study_special")
    page.select_option("#id_comparator", "ge")
    page.fill("#id_value", "4")
    page.fill("#id_wording", "全年组织专题学习不少于4次")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    body = page.locator("main").inner_text()
    assert "低于上年（2025年）实际5次" in body
    s.shot("target-warning")
    s.goto("/governance/progress/?year=2026")
    assert "低于上年" in page.locator("#target-progress").inner_text()


def test_village_score_opens_onto_its_evidence(cast, open_session):
    scheme = AssessmentScheme.objects.create(
        township=cast.a, year=2025, name="2025年度各村法治工作考核"
    )
    AssessmentItem.objects.create(
        township=cast.a,
        scheme=scheme,
        label="普法活动",
        metric_code="outreach.events",
        weight=Decimal("50"),
        full_at=Decimal("2"),
    )
    Event.objects.create(
        township=cast.a,
        village=cast.a1,
        held_on=dt.date(2025, 12, 4),
        title="甲一村宪法日宣传",
        channel="village",
    )
    s = open_session()
    s.log_in("a_operator")
    page = s.page
    s.goto(f"/governance/schemes/{scheme.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="查看各村得分及依据").click()
    row = page.locator("#village-scores tbody tr", has_text="甲一村")
    assert "25.0" in row.inner_text()
    s.shot("scores")
    with page.expect_navigation():
        row.get_by_role("link", name="25.0").last.click()
    assert "甲一村宪法日宣传" in page.locator("main").inner_text()
    s.shot("evidence")
    with page.expect_navigation():
        page.get_by_role("link", name="2025-12-04 甲一村宪法日宣传").click()
    assert "甲一村宪法日宣传" in page.locator("h1").inner_text()
