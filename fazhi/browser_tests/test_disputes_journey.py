"""A grid worker reports a dispute at phone width; a village mediator records a successful
mediation, makes the 调解协议书 and prints it (.docx)."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.utils import timezone
from docx import Document

from fazhi.core.models import Grid, GridAssignment, Staff
from fazhi.disputes import services
from fazhi.disputes.models import Dispute, MediationAgreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_grid_worker_reports_a_dispute_at_phone_width(cast, open_session):
    grid = Grid.objects.create(township=cast.a, village=cast.a1, name="一组网格")
    staff = Staff.objects.create(township=cast.a, name="网格员小王", user=cast.a1_grid)
    GridAssignment.objects.create(
        township=cast.a, grid=grid, staff=staff, start=dt.date(2024, 1, 1)
    )

    s = open_session(width=390, height=844, label="phone")
    s.log_in("a1_grid")
    page = s.page
    page.locator("label.navbutton").click()
    page.locator("summary", has_text="矛盾纠纷调解").click()
    with page.expect_navigation():
        page.get_by_role("link", name="网格员上报纠纷").click()
    # village and grid come prefilled from the worker's membership and assignment
    assert page.locator("#id_village").input_value() == str(cast.a1.pk)
    assert page.locator("#id_grid").input_value() == str(grid.pk)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    page.select_option("#id_kind", "neighbour")
    page.fill("#id_applicant_name", "张三")
    page.fill("#id_applicant_phone", "13800000001")
    page.fill("#id_respondent_name", "李四")
    page.fill("#id_description", "两家因鸡鸭进菜园发生争吵，李四扬言要打人。")
    page.check("#id_urgent")
    s.shot("grid-report-form")
    with page.expect_navigation():
        page.get_by_role("button", name="上报").click()
    assert "已上报" in page.locator("h1").inner_text()
    s.shot("grid-report-done")

    dispute = Dispute.objects.get()
    assert dispute.number in page.content()
    assert (dispute.source, dispute.village, dispute.grid, dispute.reported_by) == (
        "grid",
        cast.a1,
        grid,
        cast.a1_grid,
    )
    assert dispute.warnings.filter(kind="violence").exists()
    assert s.external_requests() == []


def test_mediator_records_success_and_prints_the_agreement(cast, open_session):
    dispute = services.register_dispute(
        cast.a,
        received_on=timezone.localdate(),
        source="walk_in",
        kind="neighbour",
        description="两户因宅前排水沟堵塞发生争执。",
        parties=[
            services.PartyInput(name="张三", phone="13800000001"),
            services.PartyInput(name="李四", role="respondent", phone="13900000002"),
        ],
        village=cast.a1,
        actor=cast.a_operator,
    )
    s = open_session()
    s.log_in("a1_mediator")
    page = s.page
    s.goto(f"/disputes/disputes/{dispute.pk}/")
    assert "138****0001" in page.content() and "13800000001" not in page.content()
    s.shot("dispute-registered")

    with page.expect_navigation():
        page.get_by_role("link", name="登记调解记录").click()
    page.fill("#id_place", "甲一村村委会")
    page.fill("#id_record", "双方陈述事实，调解员释法说理，双方同意由李四疏通排水沟。")
    page.select_option("#id_result", "agreed")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    assert "已新建" in page.locator(".messages").inner_text()

    s.goto(f"/disputes/disputes/{dispute.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="制作调解协议书").click()
    today = timezone.localdate().isoformat()
    page.fill("#id_made_on", today)
    page.fill("#id_place", "甲一村村委会")
    page.fill("#id_facts", "两户因宅前排水沟堵塞发生争执。")
    page.fill("#id_responsibilities", "李四负主要责任。")
    page.fill("#id_terms", "一、李四于三日内疏通排水沟；\n二、双方不再因此事争执。")
    page.fill("#id_performance_method", "自行履行")
    page.fill("#id_performance_deadline", (timezone.localdate() + dt.timedelta(days=3)).isoformat())
    page.fill("#id_effective_on", today)
    s.shot("agreement-form")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    s.shot("agreement-detail")

    agreement = MediationAgreement.objects.get(dispute=dispute)
    with page.expect_download() as download:
        page.get_by_role("link", name="生成协议书(.docx)打印").click()
    content = open(download.value.path(), "rb").read()  # noqa: SIM115
    text = "\n".join(p.text for p in Document(BytesIO(content)).paragraphs)
    assert (
        "人民调解协议书" in text and agreement.number in text and "李四于三日内疏通排水沟" in text
    )
    dispute.refresh_from_db()
    assert dispute.status == "succeeded"

    s.goto(f"/disputes/disputes/{dispute.pk}/")
    assert "调解成功" in page.locator(".badge").first.inner_text()
    assert page.locator("#deadlines").get_by_text("提醒当事人申请司法确认").count() == 1
    s.shot("dispute-succeeded")
    assert s.external_requests() == []
