"""The three journeys of issue 11, kept short: a village contract cannot be marked signed before
the opinion, then can; a reconsideration's answer deadline appears in 我的期限 and the head's court
appearance is recorded; a decision's public comment is submitted on the portal (no login) and
adopted, and the decision goes on through its steps."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from fazhi.core.models import Staff
from fazhi.legal.models import Advisor, Contract, Hearing, Litigation, Reconsideration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _field(page, label: str):
    return page.get_by_label(re.compile(rf"^{re.escape(label)}\*?$"))


def _click(page, name: str, role: str = "link") -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name, exact=True).first.click()


def test_village_contract_is_signed_only_after_the_opinion(cast, open_session):
    today = timezone.localdate().isoformat()
    adv = Advisor.objects.create(township=cast.a, name="韩律师", start=timezone.localdate())
    c = Contract.objects.create(township=cast.a, village=cast.a1, title="甲一村土地流转合同",
                                counterparty="某合作社")  # fmt: skip
    s = open_session()
    s.log_in("a_operator")
    page = s.page
    s.goto(f"/legal/contracts/{c.pk}/do/sign/")
    _field(page, "日期").fill(today)
    _click(page, "确认", "button")
    assert "尚未取得合法性审查意见" in page.content()
    s.shot("contract-refused")
    s.goto(f"/legal/contracts/{c.pk}/")
    _click(page, "送合法性审查")
    _field(page, "送审日期").fill(today)
    _field(page, "审查主体").select_option("advisor")
    _field(page, "法律顾问").select_option(str(adv.pk))
    _click(page, "确认", "button")
    c.refresh_from_db()
    assert c.status == "in_review"
    s.goto(f"/legal/reviews/{c.review_id}/")  # the case page: the opinion is an inline form
    page.locator("summary", has_text="出具审查意见").click()
    _field(page, "审查结论").select_option("passed")
    _field(page, "审查意见").fill("主体适格，内容合法。")
    _field(page, "法律顾问意见").fill("同意签订。")
    _field(page, "出具意见日期").fill(today)
    with page.expect_navigation():
        page.locator(f"#act-legal-reviews-{c.review_id}-do-conclude button[type=submit]").click()
    assert "已出具审查意见" in page.content()
    s.goto(f"/legal/contracts/{c.pk}/")
    _click(page, "登记签订")
    _field(page, "日期").fill(today)
    _click(page, "确认", "button")
    s.shot("contract-signed")
    c.refresh_from_db()
    assert c.status == "signed" and c.signed_on == timezone.localdate()
    assert not s.external_requests()


def test_reconsideration_deadline_in_my_deadlines_and_the_head_in_court(cast, open_session):
    today = timezone.localdate().isoformat()
    head = Staff.objects.create(township=cast.a, name="赵镇长", position="镇长")
    s = open_session()
    s.log_in("a_operator")
    page = s.page
    s.goto("/legal/reconsiderations/add/")
    _field(page, "申请人").fill("某商户")
    _field(page, "被申请复议的行政行为").fill("责令改正通知")
    _field(page, "复议机关").fill("测试县人民政府")
    _field(page, "收到申请书副本日期").fill(today)
    _click(page, "保存", "button")
    r = Reconsideration.objects.get()
    assert r.answer_due_on
    s.goto("/deadlines/")
    assert "行政复议书面答复" in page.content()
    s.shot("my-deadlines")
    lit = Litigation.objects.create(township=cast.a, plaintiff="某养殖户", court="测试县人民法院",
                                    act="拆除决定", served_on=timezone.localdate())  # fmt: skip
    s.goto(f"/legal/hearings/add/?litigation={lit.pk}")
    _field(page, "开庭日期").fill(today)
    _field(page, "负责人出庭").check()
    _field(page, "出庭负责人").select_option(str(head.pk))
    _click(page, "保存", "button")
    hearing = Hearing.objects.get()
    assert hearing.head_appeared and hearing.head_id == head.pk


def test_public_comment_on_the_portal_is_adopted(cast, open_session):
    from fazhi.decisions import services
    from fazhi.decisions.models import Decision

    cache.clear()
    today = timezone.localdate()
    d = Decision.objects.create(township=cast.a, year=today.year, title="集镇污水管网建设方案",
                                draft="草案", lead_unit=cast.justice_a, outside_reason="上级部署")  # fmt: skip
    end = today + dt.timedelta(days=30)
    d = services.open_comment(d, actor=cast.a_operator, start=today, end=end)
    citizen = open_session(width=390, height=844, label="citizen")
    citizen.goto(f"/gk/decisions/{d.pk}/")
    _field(citizen.page, "意见和建议").fill("建议延伸到北街。")
    _click(citizen.page, "提交意见", "button")
    assert "您的意见已提交" in citizen.page.content()
    comment = d.comments.get()
    s = open_session()
    s.log_in("a_operator")
    s.goto(f"/decisions/comments/{comment.pk}/")
    _click(s.page, "记录采纳情况")
    _field(s.page, "采纳情况").select_option("adopted")
    _field(s.page, "采纳或不采纳的理由").fill("已纳入二期工程。")
    _click(s.page, "确认", "button")
    comment.refresh_from_db()
    assert comment.adoption == "adopted"
    s.goto(f"/decisions/decisions/{d.pk}/")  # the case page: 公众参与 is the current step
    assert s.page.locator(".step-current .step-label").inner_text() == "公众参与"
    assert s.page.locator("summary", has_text="汇总公众意见").count() == 1
    cache.clear()
