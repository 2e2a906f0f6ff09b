"""Issue 10's journeys in Chromium, kept short: an officer runs an ordinary case from 立案 to
结案 through the 法制审核 and the decision appears (redacted) on the portal; an inspection over
the enterprise's yearly cap is refused until confirmed, and the enterprise checks its code on
the portal; a clerk runs a 双随机 draw and the standalone verifier, downloaded from the portal
with the published list and result, reproduces it."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import pytest
from django.utils import timezone

from fazhi.enforcement.models import Disclosure, EnforcementCase, Officer
from fazhi.enforcement.tests.helpers import body_of, officer
from fazhi.enforcement.tests.test_cases import power
from fazhi.inspections.models import Inspection, RandomPlan
from fazhi.inspections.services import plan_inspection
from fazhi.inspections.tests.helpers import enterprise, item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).first.click()


def _open(page, summary: str) -> None:
    page.locator("summary", has_text=summary).first.click()


def _multi(page, select_id: str, values: list[int]) -> None:
    """Pick options of a multi-select that Tom Select (forms.js) replaced."""
    page.evaluate(
        "([id, vals]) => document.getElementById(id).tomselect.setValue(vals)",
        [select_id, [str(v) for v in values]],
    )


def _day(delta: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=delta)).isoformat()


def test_case_from_filing_to_closing_with_legal_review_and_portal_disclosure(cast, open_session):
    pw = power(cast.a, review=True)
    handlers = [officer(cast.a, "承办甲"), officer(cast.a, "承办乙")]
    checker = officer(cast.a, "审核丙")
    Officer.objects.filter(pk=checker.pk).update(legal_qualification=True, is_legal_reviewer=True)
    s = open_session()
    s.log_in("a_operator")
    page = s.page
    s.goto("/enforcement/cases/add/")
    page.select_option("#id_power", str(pw.pk))
    page.select_option("#id_body", str(body_of(cast.a).pk))
    for h in handlers:
        page.check(f"input[name=handlers][value='{h.pk}']")
    page.select_option("#id_party_kind", "person")
    page.fill("#id_party_name", "张三丰")
    page.fill("#id_cause", "未经批准建设临时建筑")
    page.fill("#id_filed_on", _day(40))
    _submit(page, "保存")
    case = EnforcementCase.objects.get()
    assert case.number in page.content(), page.locator("main").inner_text()[:600]
    assert "须审核" in page.content()
    s.shot("filed")

    _open(page, "全过程记录")
    page.select_option("#rec_step", "investigation")
    page.fill("#rec_occurred_at", f"{_day(38)}T10:00")
    page.fill("#rec_place", "甲一村")
    page.fill("#rec_summary", "现场勘验并制作询问笔录。")
    _submit(page, "全过程记录")
    _open(page, "告知拟处罚")
    page.fill("#ntf_notified_on", _day(30))
    page.fill("#ntf_proposed_penalty", "罚款五千元")
    page.fill("#ntf_fine_amount", "5000")
    _submit(page, "告知拟处罚")
    # the decision is not offered before the review the power requires
    assert page.get_by_role("button", name="作出决定").count() == 0
    _open(page, "送法制审核")
    page.select_option("#srv_reviewer", str(checker.pk))
    page.fill("#srv_submitted_on", _day(20))
    _submit(page, "送法制审核")
    _open(page, "出具法制审核意见")
    page.fill("#crv_reviewed_on", _day(18))
    page.fill("#crv_opinion", "主体适格，程序合法，事实清楚，适用法律正确，裁量适当。")
    for box in page.locator("input[id^=crv_point_]").all():
        box.check()
    page.check("#crv_passed")
    _submit(page, "出具法制审核意见")
    assert case.reviews.filter(passed=True).exists(), page.locator("main").inner_text()[:800]
    s.shot("reviewed")

    _open(page, "作出决定")
    page.fill("#dec_decided_on", _day(15))
    page.select_option("#dec_outcome", "penalty")
    page.fill("#dec_decision", "罚款五千元，依据《城乡规划法》第六十五条。")
    page.fill("#dec_fine_amount", "5000")
    _submit(page, "作出决定")
    case.refresh_from_db()
    assert case.decision_number, page.locator("main").inner_text()[:800]
    _open(page, "公示决定")
    page.fill("#pub_published_on", _day(14))
    _submit(page, re.sub(r"\s+", "", page.locator("summary", has_text="公示决定").inner_text()))
    _open(page, "登记送达")
    page.fill("#srv2_served_on", _day(14))
    _submit(page, "登记送达")
    _open(page, "登记缴款")
    page.fill("#pay_paid_on", _day(10))
    page.fill("#pay_amount", "5000")
    _submit(page, "登记缴款")
    _open(page, "结案")
    page.fill("#cls_closed_on", _day(0))
    _submit(page, "结案")
    case.refresh_from_db()
    assert case.status == "closed", page.locator("main").inner_text()[:800]
    assert Disclosure.objects.get(case=case).published_on is not None
    s.shot("closed")

    citizen = open_session(width=390, label="portal")
    citizen.goto(f"/gk/enforcement/{cast.a.pk}/disclosures/")
    text = citizen.page.locator("main").inner_text()
    assert case.decision_number in text and "张某" in text and "张三丰" not in text
    citizen.shot("portal-disclosure")
    assert s.external_requests() == [] and citizen.external_requests() == []


def test_inspection_over_the_cap_is_refused_then_checked_by_code_on_the_portal(cast, open_session):
    listed = item(cast.a, cap=1)
    firm = enterprise(cast.a)
    team = [officer(cast.a, "检查甲"), officer(cast.a, "检查乙")]
    today = timezone.localdate()
    plan_inspection(
        township=cast.a,
        enterprise=firm,
        body=body_of(cast.a),
        items=[listed],
        officers=team,
        planned_on=today.replace(month=1, day=2) if today.month > 1 else today,
        actor=None,
    )
    s = open_session()
    s.log_in("a_operator")
    page = s.page
    s.goto("/inspections/inspections/add/")
    page.select_option("#id_kind", "routine")
    page.select_option("#id_enterprise", str(firm.pk))
    page.select_option("#id_body", str(body_of(cast.a).pk))
    _multi(page, "id_check_items", [listed.pk])
    _multi(page, "id_officers", [o.pk for o in team])
    page.fill("#id_planned_on", today.isoformat())
    _submit(page, "保存")
    assert "年度上限" in page.content(), page.locator("main").inner_text()[:800]
    assert Inspection.objects.count() == 1
    s.shot("over-cap-refused")
    page.check("#id_confirm_over_cap")
    _submit(page, "保存")
    assert Inspection.objects.count() == 2, page.locator("main").inner_text()[:800]
    inspection = Inspection.objects.latest("pk")
    assert inspection.over_cap
    page.fill("#id_approver", "王镇长")
    page.fill("#id_approved_on", today.isoformat())
    _submit(page, "审批同意")
    inspection.refresh_from_db()
    assert inspection.approved_on == today, page.locator("main").inner_text()[:800]
    s.shot("approved")

    firm_user = open_session(width=390, label="enterprise")
    firm_user.goto("/gk/inspections/")
    firm_user.page.fill("#id_code", inspection.code.lower())
    _submit(firm_user.page, "核验")
    result = firm_user.page.locator("#result").inner_text()
    assert "该检查已登记" in result and inspection.number in result and "已审批" in result
    assert "检查甲" in result and team[0].certificate_on(today).number in result
    firm_user.shot("code-checked")
    firm_user.page.fill("#id_code", "ABCDEFGHJK")
    _submit(firm_user.page, "核验")
    assert "查无此检查码" in firm_user.page.content()
    assert s.external_requests() == [] and firm_user.external_requests() == []


def test_draw_and_reproduce_it_with_the_standalone_verifier(cast, open_session, tmp_path):
    listed = item(cast.a, "SJ-R")
    listed.is_random = True
    listed.save()
    for n in range(40):
        enterprise(cast.a, n)
    for name in ("抽查甲", "抽查乙", "抽查丙"):
        officer(cast.a, name)
    s = open_session()
    s.log_in("a_operator")
    page = s.page
    s.goto("/inspections/plans/add/")
    page.fill("#id_name", "2026年双随机抽查")
    page.select_option("#id_body", str(body_of(cast.a).pk))
    _multi(page, "id_check_items", [listed.pk])
    page.fill("#id_ratio_b", "20")
    page.fill("#id_start", _day(5))
    page.fill("#id_end", _day(0))
    _submit(page, "保存")
    plan = RandomPlan.objects.get()
    _submit(page, "抽取")
    plan.refresh_from_db()
    assert plan.seed and plan.targets.count() == 8, page.locator("main").inner_text()[:800]
    s.shot("drawn")

    citizen = open_session(label="verifier")
    citizen.goto(f"/gk/inspections/plans/{plan.pk}/")
    assert plan.seed in citizen.page.locator("#seed").inner_text()
    files = {}
    for link, name in (
        ("下载名单", "list.csv"),
        ("下载抽查结果", "result.csv"),
        ("draw.py", "draw.py"),
    ):
        with citizen.page.expect_download() as download:
            citizen.page.get_by_role("link", name=link, exact=True).click()
        files[name] = tmp_path / name
        download.value.save_as(files[name])
    citizen.shot("published")
    run = subprocess.run(  # noqa: S603 (the downloaded verifier, run in isolated mode)
        [sys.executable, "-I", str(files["draw.py"]), "verify", str(files["list.csv"]),
         "--result", str(files["result.csv"])],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 0 and "一致" in run.stdout and "不一致" not in run.stdout, run
    assert s.external_requests() == [] and citizen.external_requests() == []
