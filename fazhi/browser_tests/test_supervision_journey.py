"""Issue 10's supervision journey, kept short: the county supervisor sees a case past its 90日 in
the risk queue, starts a 个案监督 from it and issues a 监督意见书; the body reports its correction
back; the supervisor sees it come back and confirms it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.enforcement.models import SupervisionMatter, SupervisionOpinion
from fazhi.enforcement.tests.test_cases import file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def test_supervisor_issues_an_opinion_and_sees_the_correction_come_back(cast, open_session):
    today = timezone.localdate()
    case = file(cast, filed_on=today - dt.timedelta(days=120))
    sup = open_session(label="supervisor")
    sup.log_in("county_sup")
    page = sup.page
    sup.goto("/enforcement/supervisions/signals/")
    row = page.locator("tr", has_text=case.number).filter(has_text="案件超过办案期限未决定")
    with page.expect_navigation():
        row.get_by_role("button", name="发起监督").click()
    m = SupervisionMatter.objects.get()
    page.locator("summary", has_text="制发监督意见书").click()
    page.fill("#op_problems", "案件超过90日未作出决定")
    page.fill("#op_requirements", "依法作出决定并说明超期原因")
    _submit(page, "制发监督意见书")
    assert SupervisionOpinion.objects.exists(), page.locator("main").inner_text()[:600]
    opinion = SupervisionOpinion.objects.get()
    assert opinion.number in page.content()
    sup.shot("opinion-issued")

    body = open_session(width=390, label="body")
    body.log_in("a_operator")
    body.goto(f"/enforcement/supervisions/{m.pk}/")
    body.page.locator("summary", has_text="报告整改情况").click()
    body.page.fill(f"#rep{opinion.pk}_correction", "已作出处罚决定并书面说明超期原因")
    _submit(body.page, f"报告整改情况（{opinion.number}，期限{opinion.due_on:%Y-%m-%d}）")
    body.shot("correction-reported")

    sup.goto(f"/enforcement/supervisions/{m.pk}/")
    assert "已作出处罚决定并书面说明超期原因" in page.content()
    page.locator("summary", has_text="审查整改情况").click()
    _submit(page, f"审查整改情况（{opinion.number}）")
    opinion.refresh_from_db()
    assert opinion.status == "accepted"
    assert "整改完成" in page.content()
    sup.shot("correction-confirmed")
    assert sup.external_requests() == [] and body.external_requests() == []
