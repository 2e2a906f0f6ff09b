"""The annual report in the browser: draft from the records, open a figure's records, edit a
paragraph, sign, submit, publish, find it on the portal; the county sees the late township."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from fazhi.indicators.services import declare
from fazhi.reports.generate import report_metrics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_generate_edit_sign_publish_and_find_it_on_the_portal(cast, open_session):
    # the clerk has declared nil returns for every ledger but the villages (an empty township)
    for m in report_metrics():
        if m.code != "core.villages":
            declare(cast.a, m.code, 2025, "nil", "台账已建立，本年度未发生", actor=cast.a_admin)
    s = open_session()
    s.log_in("a_admin")
    page = s.page
    s.goto(reverse("reports:annual_list") + "?year=2025")
    with page.expect_navigation():
        page.locator(f"tr[data-township='{cast.a.pk}'] button").click()
    assert page.locator("h1").inner_text().startswith("甲镇2025年法治政府建设年度报告")
    assert page.locator("h3", has_text="一、2025年推进法治政府建设的主要举措和成效").is_visible()
    s.shot("draft")

    # a figure opens its page and records
    with page.expect_navigation():
        page.locator("a.figure[data-metric='core.villages']").click()
    assert "/indicators/t/" in page.url and "2个" in page.locator(".figure-value").inner_text()
    s.shot("figure")
    page.go_back()

    # the draft cannot be signed while 【请填写】 marks remain: edit those paragraphs
    while page.locator(".report-p", has_text="【请填写").count():
        block = page.locator(".report-p", has_text="【请填写").first
        with page.expect_navigation():
            block.get_by_role("link", name="修改").click()
        page.fill("#text", "本年度各项工作按计划推进，继续加强台账管理。")
        s.shot("edit")
        with page.expect_navigation():
            page.get_by_role("button", name="保存").click()
    assert page.get_by_text("本年度各项工作按计划推进").first.is_visible()

    page.fill("#signed_by", "党委书记甲、镇长乙")
    with page.expect_navigation():
        page.get_by_role("button", name="签发").click()
    assert "已签发第1版" in page.content()
    s.shot("signed")
    with page.expect_navigation():
        page.get_by_role("button", name="报送县级（截止3月1日）").click()
    assert "已报送县级" in page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="在公开平台发布（截止4月1日）").click()
    assert "已在公开平台发布" in page.content()
    s.shot("published")

    # the public, without logging in
    public = open_session(label="portal")
    public.goto("/gk/")
    with public.page.expect_navigation():
        public.page.get_by_role("link", name="法治政府建设年度报告").click()
    with public.page.expect_navigation():
        # the portal lists a township's reports by year under its name (甲镇 › 2025年…报告)
        public.page.get_by_role("link", name=re.compile("2025年法治政府建设年度报告")).first.click()
    assert "全镇共有村（社区、场）2个" in public.page.content()
    public.shot("portal")
    assert not s.external_requests() and not public.external_requests()


def test_the_county_sees_a_late_township(cast, open_session):
    s = open_session()
    s.log_in("county_sup")
    s.goto(reverse("reports:county_board") + "?year=2024")
    row = s.page.locator(f"tr[data-township='{cast.b.pk}']")
    assert "逾期" in row.inner_text()  # 2024's report was due on 1 March 2025 and never came
    assert int(s.page.locator("[data-count=late_submit]").inner_text()) == 2
    s.shot("county-board")
