"""Inspections: published items only, certified officers, the yearly cap with its warning and
confirmation, joint inspections counted once, approval before entry, the code on the portal,
hazards with deadlines and the metrics."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from fazhi.core.deadlines import deadlines_for
from fazhi.enforcement.tests.helpers import body_of, officer
from fazhi.indicators import registry
from fazhi.indicators.registry import Period
from fazhi.inspections import services
from fazhi.inspections.tests.helpers import enterprise, item, pair

D = dt.date
JUNE_16 = D(2025, 6, 16)


def _plan(cast, firm, *, day=JUNE_16, items=None, officers=None, **kw):
    return services.plan_inspection(
        township=cast.a,
        enterprise=firm,
        body=kw.pop("body", None) or body_of(cast.a),
        items=items or [item(cast.a)],
        officers=officers or pair(cast.a),
        planned_on=day,
        actor=kw.pop("actor", cast.a_operator),
        **kw,
    )


def _done(cast, inspection, day):
    inspection = services.approve_inspection(
        inspection, approver="王队长", approved_on=day, actor=cast.a_operator
    )
    return services.record_inspection(
        inspection, inspected_on=day, findings="现场检查。", actor=cast.a_operator
    )


def test_unpublished_items_and_uncertified_officers_are_refused(cast):
    firm = enterprise(cast.a)
    with pytest.raises(ValidationError, match="未在检查事项清单中公布"):
        _plan(cast, firm, items=[item(cast.a, "SJ-X", published=False)])
    grid = officer(cast.a, "网格员甲", kind="grid")
    with pytest.raises(ValidationError, match="不能单独执法"):
        _plan(cast, firm, officers=[officer(cast.a, "执法甲"), grid])


def test_the_yearly_cap_warns_and_needs_confirmation(cast):
    firm = enterprise(cast.a)
    people = pair(cast.a)
    for day in (D(2025, 3, 3), D(2025, 5, 5)):
        first = _plan(cast, firm, day=day, officers=people)
        assert not first.over_cap
    assert "重复检查" in first.warnings
    with pytest.raises(ValidationError) as err:
        _plan(cast, firm, day=D(2025, 9, 1), officers=people)
    assert "本次将超过年度上限2次" in str(err.value)
    third = _plan(cast, firm, day=D(2025, 9, 1), officers=people, confirm_over_cap=True)
    assert third.over_cap and "超过年度上限" in third.warnings
    assert registry.compute("inspections.over_cap", cast.a, Period.year(2025)).value == 1
    # a new year starts a new count
    assert not _plan(cast, firm, day=D(2026, 1, 6), officers=people).over_cap


def test_joint_inspection_counts_once_for_the_enterprise(cast):
    firm = enterprise(cast.a)
    market = body_of(cast.a, "甲镇市场监管所")
    market_item = item(cast.a, "SC-01")
    market_item.body = market
    market_item.save()
    joint = _plan(
        cast, firm, items=[item(cast.a), market_item], joint_bodies=[market], day=D(2025, 4, 1)
    )
    _done(cast, joint, D(2025, 4, 1))
    period = Period.year(2025)
    assert registry.compute("inspections.inspections", cast.a, period).value == 1
    assert registry.compute("inspections.enterprises_inspected", cast.a, period).value == 1
    # an item of a body that is not on the visit is refused
    with pytest.raises(ValidationError, match="不属于本次检查的主体"):
        _plan(cast, enterprise(cast.a), items=[market_item])


def test_approval_comes_first_or_is_recorded_as_an_emergency(cast):
    inspection = _plan(cast, enterprise(cast.a), day=D(2025, 6, 16))
    with pytest.raises(ValidationError, match="尚未审批"):
        services.record_inspection(
            inspection, inspected_on=D(2025, 6, 16), findings="x", actor=cast.a_operator
        )
    with pytest.raises(ValidationError, match="事前审批"):
        services.approve_inspection(
            inspection, approver="王队长", approved_on=D(2025, 6, 17), actor=cast.a_operator
        )
    approved = services.approve_inspection(
        inspection,
        approver="王队长",
        approved_on=D(2025, 6, 17),
        emergency=True,
        emergency_reason="群众举报正在发生的安全隐患",
        actor=cast.a_operator,
    )
    assert approved.emergency and approved.status == "approved"
    with pytest.raises(ValidationError, match="不能变为"):
        services.approve_inspection(
            approved, approver="王队长", approved_on=D(2025, 6, 17), actor=cast.a_operator
        )


def test_hazards_have_deadlines_and_feed_the_figures(cast):
    inspection = _plan(cast, enterprise(cast.a), day=D(2025, 6, 16))
    inspection = services.approve_inspection(
        inspection, approver="王队长", approved_on=D(2025, 6, 13), actor=cast.a_operator
    )
    inspection = services.record_inspection(
        inspection,
        inspected_on=D(2025, 6, 16),
        findings="发现隐患两处。",
        hazards=[
            services.HazardInput("灭火器过期", "李厂长", D(2025, 6, 30)),
            services.HazardInput("通道堵塞", "李厂长", D(2025, 7, 15)),
        ],
        actor=cast.a_operator,
    )
    first, second = inspection.hazards.order_by("deadline")
    assert deadlines_for(first).get().due_date == D(2025, 6, 30)
    services.rectify_hazard(
        first, rectified_on=D(2025, 6, 25), measures="已更换", actor=cast.a_operator
    )
    services.rectify_hazard(
        second, rectified_on=D(2025, 7, 20), measures="已清理", actor=cast.a_operator
    )
    period = Period.year(2025)
    assert registry.compute("inspections.hazards_found", cast.a, period).value == 2
    assert registry.compute("inspections.hazards_rectified", cast.a, period).value == 2
    assert registry.compute("inspections.rectified_on_time_rate", cast.a, period).display == (
        "1/2 = 50.0%"
    )
    assert deadlines_for(second).get().status == "done_late"
    with pytest.raises(ValidationError, match="请填写复查人"):
        services.verify_hazard(
            first, verified_on=D(2025, 6, 26), verified_by="", passed=True, actor=cast.a_operator
        )


def test_the_enterprise_checks_the_code_and_rates_once(cast, client):
    inspection = _plan(cast, enterprise(cast.a), day=D(2025, 6, 16))
    page = client.get("/gk/inspections/", {"code": inspection.code.lower()}).content.decode()
    assert "该检查已登记" in page and "尚未审批" in page and "执法证号" in page
    assert "查无此检查码" in client.get("/gk/inspections/", {"code": "NOSUCHCODE"}).content.decode()
    _done(cast, inspection, D(2025, 6, 16))
    client.post("/gk/inspections/rate/", {"code": inspection.code, "rating": 5})
    inspection.refresh_from_db()
    assert inspection.rating == 5
    with pytest.raises(ValidationError, match="已评价过"):
        services.rate_inspection(inspection.code, rating=1)


def test_other_township_cannot_use_the_workflow_pages(cast, login):
    inspection = _plan(cast, enterprise(cast.a), day=D(2025, 6, 16))
    client = login(cast.b_operator)
    base = f"/inspections/inspections/{inspection.pk}/"
    assert client.get(base).status_code == 404
    for step, data in (
        ("approve/", {"approver": "x", "approved_on": "2025-06-15"}),
        ("record/", {"inspected_on": "2025-06-16", "findings": "x"}),
        ("cancel/", {"reason": "x"}),
    ):
        assert client.post(base + step, data).status_code == 404, step
    inspection.refresh_from_db()
    assert inspection.status == "planned" and inspection.version == 1
    viewer = login(cast.a_viewer)
    assert viewer.post(base + "cancel/", {"reason": "x"}).status_code == 403


def test_a_step_without_the_version_it_read_or_with_an_older_one_writes_nothing(cast, login):
    """Two clerks with the same inspection open: after one approves, the other's 取消 (read
    before) is refused (409), not applied; a post without the version is refused (400); nothing
    is written either way."""
    from fazhi.core.models import ChangeRecord
    from fazhi.core.testing import act

    inspection = _plan(cast, enterprise(cast.a), day=D(2025, 6, 16))
    client = login(cast.a_operator)
    base = f"/inspections/inspections/{inspection.pk}/"
    page = client.get(base).content.decode()
    assert f'name="version" value="{inspection.version}"' in page
    written = ChangeRecord.objects.count()
    missing = client.post(base + "cancel/", {"reason": "企业停产"})
    assert missing.status_code == 400 and "缺少版本号" in missing.content.decode()
    assert ChangeRecord.objects.count() == written
    read = inspection.version
    approve = {"approver": "王队长", "approved_on": "2025-06-15"}
    assert act(client, base + "approve/", inspection, approve).status_code == 302
    written = ChangeRecord.objects.count()
    stale = client.post(base + "cancel/", {"reason": "企业停产", "version": read})
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    assert ChangeRecord.objects.count() == written
    inspection.refresh_from_db()
    assert inspection.status == "approved" and inspection.version == read + 1
