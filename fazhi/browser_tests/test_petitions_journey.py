"""An operator registers a petition, accepts it, extends it with the head's approval, issues and
serves the handling opinion; the petitioner looks it up on the public portal with the receipt
number and code (a wrong code is refused), sees the progress without personal information and
rates the handling."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from fazhi.core.models import Staff
from fazhi.petitions.models import Petition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME, ID_NUMBER, PHONE, ADDRESS = "王秀兰", "410883198001010022", "13812345678", "甲一村三组18号"


def _dd(page, label: str):
    """The <dd> that follows the <dt> labelled `label` (definition lists of the pages)."""
    return page.locator(f"xpath=//dt[normalize-space()='{label}']/following-sibling::dd[1]")


def _field(page, label: str):
    """The form control labelled exactly `label` (a required field's label ends in “*”)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}\*?$"))


def _act(s, label: str) -> None:
    """Open an action of the workflow panel from the petition's page."""
    with s.page.expect_navigation():
        s.page.get_by_role("link", name=label, exact=True).click()
    assert s.page.locator("h1").first.inner_text().startswith(label)


def _confirm(s) -> None:
    with s.page.expect_navigation():
        s.page.get_by_role("button", name="确认").click()


def test_operator_handles_a_petition_and_the_petitioner_rates_it_on_the_portal(cast, open_session):
    cache.clear()  # the portal's failure counters live in the cache
    head = Staff.objects.create(township=cast.a, name="赵镇长", position="镇长")
    today = timezone.localdate().isoformat()

    # --- the operator registers the petition at the counter -------------------------------
    s = open_session()
    s.log_in("a_operator")
    page = s.page
    page.locator("summary", has_text="信访").first.click()
    with page.expect_navigation():
        page.get_by_role("link", name="登记信访事项", exact=True).click()
    assert page.locator("h1").inner_text() == "登记信访事项"
    _field(page, "信访形式").select_option("visit")
    _field(page, "收到日期").fill(today)
    _field(page, "信访人姓名(名称)").fill(NAME)
    _field(page, "证件号码").fill(ID_NUMBER)
    _field(page, "联系电话").fill(PHONE)
    _field(page, "住址").fill(ADDRESS)
    _field(page, "问题类别").select_option("agriculture")
    _field(page, "事项摘要").fill("耕地地力保护补贴未发放")
    _field(page, "信访请求及事实理由").fill("信访人反映2024年耕地地力保护补贴未发放，要求补发。")
    s.shot("register-form")
    with page.expect_navigation():
        page.get_by_role("button", name="登记并打印回执").click()

    # the receipt prints the number and, once, the code
    assert "信访事项登记回执" in page.locator("h1").inner_text()
    receipt_no = _dd(page, "登记编号").inner_text().strip()
    code = _dd(page, "查询码").inner_text().strip()
    petition = Petition.objects.get()
    assert receipt_no == petition.receipt_no and "信字第" in receipt_no
    assert len(code) == 8 and code.isalnum()
    s.shot("receipt")
    with page.expect_navigation():
        page.get_by_role("link", name="返回信访事项").click()
    # the petitioner's ID number and phone are masked on the petition's page
    content = page.content()
    assert ID_NUMBER not in content and PHONE not in content
    assert "138****5678" in content
    s.shot("registered")

    # --- 受理并告知 ------------------------------------------------------------------------------
    _act(s, "受理并告知")
    _field(page, "受理并书面告知日期").fill(today)
    _confirm(s)
    assert "已受理并记录书面告知" in page.locator(".messages").inner_text()
    assert _dd(page, "办理状态").locator(".badge").inner_text() == "办理中"
    handling_due = Petition.objects.get().handling_due_on

    # --- 延长办理期限, approved by the township head -------------------------------------------
    _act(s, "延长办理期限")
    _field(page, "延长天数").fill("15")
    _field(page, "延期理由").fill("需会同县农业农村局核实补贴发放名册。")
    _field(page, "批准人（本机关负责人）").select_option(label=str(head))
    _field(page, "批准日期").fill(today)
    _field(page, "告知信访人延期理由的日期").fill(today)
    s.shot("extend-form")
    _confirm(s)
    assert "已延长办理期限" in page.locator(".messages").inner_text()
    assert "批准延长15日" in _dd(page, "办理期限").inner_text()
    petition = Petition.objects.get()
    assert (petition.extension_days, petition.extension_approved_by) == (15, head)
    assert petition.handling_due_on > handling_due
    s.shot("extended")

    # --- 出具处理意见书 and 送达 (the reply) ---------------------------------------------------
    _act(s, "出具处理意见书")
    _field(page, "出具日期").fill(today)
    _field(page, "查明的事实和理由").fill(
        "经核查，信访人承包地已确权登记，补贴因银行账号错误未能发放。"
    )
    _field(page, "处理结论").select_option("support")
    _field(page, "处理意见").fill("由镇农业服务中心于30日内补发。")
    _field(page, "法律政策依据").fill("《耕地地力保护补贴资金管理办法》第八条。")
    s.shot("opinion-form")
    _confirm(s)
    assert "已出具处理意见书" in page.locator(".messages").inner_text()

    _act(s, "送达处理意见书")
    _field(page, "送达日期").fill(today)
    _field(page, "送达方式").select_option("direct")
    _confirm(s)
    assert "已记录送达" in page.locator(".messages").inner_text()
    assert _dd(page, "办理状态").locator(".badge").inner_text() == "已送达"
    assert "未评价" in _dd(page, "满意度评价").inner_text()
    s.shot("served")
    assert s.external_requests() == []

    # --- the petitioner on the public portal (no login) --------------------------------------
    v = open_session(width=390, height=844, label="portal")
    portal = v.page
    v.goto("/gk/petitions/")
    assert portal.locator("h1").inner_text() == "信访事项查询与评价"

    # a wrong code is refused with a Chinese message
    _field(portal, "登记编号").fill(receipt_no)
    _field(portal, "查询码").fill("ZZZZ2222" if code != "ZZZZ2222" else "YYYY3333")
    with portal.expect_navigation():
        portal.get_by_role("button", name="查询").click()
    error = portal.get_by_role("alert").inner_text()
    assert "登记编号或查询码不正确" in error
    assert "办理进度" not in portal.locator("h1").inner_text()
    v.shot("portal-wrong-code")

    # the right pair opens the progress page
    _field(portal, "登记编号").fill(receipt_no)
    _field(portal, "查询码").fill(code.lower())  # case does not matter
    with portal.expect_navigation():
        portal.get_by_role("button", name="查询").click()
    assert portal.locator("h1").first.inner_text() == "信访事项办理进度"
    assert _dd(portal, "当前状态").inner_text().strip() == "已送达"
    steps = portal.locator("ol.events").inner_text()
    assert "延长办理期限" in steps and "处理意见（支持）" in steps and "已送达" in steps
    text = portal.content()
    for secret in (NAME, ID_NUMBER, PHONE, ADDRESS, "138****5678", "银行账号"):
        assert secret not in text, secret
    assert portal.evaluate("document.documentElement.scrollWidth") <= 390
    v.shot("portal-status")

    # rate the handling
    portal.get_by_role("radio", name="满意", exact=True).check()
    _field(portal, "意见建议（可不填）").fill("办理及时，感谢。")
    with portal.expect_navigation():
        portal.get_by_role("button", name="提交评价").click()
    assert "您已于" in portal.locator("body").inner_text()
    assert "满意" in portal.locator("section", has_text="满意度评价").locator("b").inner_text()
    assert portal.get_by_role("button", name="提交评价").count() == 0  # rated once only
    v.shot("portal-rated")
    assert v.external_requests() == []

    petition = Petition.objects.get()
    assert (petition.satisfaction, petition.rating_channel, petition.rating_comment) == (
        "satisfied",
        "portal",
        "办理及时，感谢。",
    )
    assert petition.rated_on == timezone.localdate()

    # the operator sees the rating on the petition's page
    s.goto(f"/petitions/petitions/{petition.pk}/")
    assert "满意（网上查询评价" in _dd(page, "满意度评价").inner_text()
    s.shot("rated-seen-by-operator")
