"""Pages of the deadline engine: 我的期限, a deadline, 提醒, 节假日与调休, 期限规则 —
each scoped (another township's user sees nothing of ours; no role → 403)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.core import rules
from fazhi.core.choices import DeadlineUnit, Role
from fazhi.core.deadlines import complete_deadline, open_deadline, sweep
from fazhi.core.models import (
    CalendarDay,
    CalendarYear,
    ChangeRecord,
    DomainEvent,
    Membership,
    Notification,
    RuleOverride,
    Village,
)
from fazhi.core.rules import DeadlineRule
from fazhi.core.testing import act

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = dt.datetime(2025, 10, 8, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

NOTICE = DeadlineRule(
    code="test.notice",
    label="书面告知",
    start_event="收到",
    length=15,
    unit=DeadlineUnit.DAYS,
    citation="《信访工作条例》第二十三条",
    confidence="C",
)
DEFENCE = DeadlineRule(
    code="test.defence",
    label="陈述申辩",
    start_event="告知",
    length=3,
    unit=DeadlineUnit.WORKING_DAYS,
    citation="部门规章",
    confidence="U",
)


@pytest.fixture(autouse=True)
def declared():
    rules.register_rule(NOTICE)
    rules.register_rule(DEFENCE)
    yield
    rules.unregister_rule(NOTICE.code)
    rules.unregister_rule(DEFENCE.code)


@pytest.fixture
def clock():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def data(cast):
    """Township A: one overdue, one due soon, one on time, one done; township B: one overdue."""
    a_overdue = open_deadline(
        cast.a1,
        "test.notice",
        D(2025, 9, 1),  # due 16 Sep
        actor=cast.a_operator,
        leader=cast.a_admin,
        label="甲镇逾期事项",
    )
    a_soon = open_deadline(
        cast.a2,
        "test.notice",
        D(2025, 9, 24),  # 9 Oct is a working day
        actor=cast.a_operator,
        label="甲镇将到期事项",
    )
    a_later = open_deadline(
        cast.a2,
        "test.defence",
        D(2025, 10, 20),
        actor=cast.a_officer,
        responsible=cast.a1_mediator,
        label="甲镇调解员负责事项",
    )
    a_done = open_deadline(
        cast.justice_a, "test.notice", D(2025, 9, 1), actor=cast.a_operator, label="甲镇已办结事项"
    )
    complete_deadline(cast.justice_a, "test.notice", D(2025, 9, 5), actor=cast.a_operator)
    b_overdue = open_deadline(
        cast.b1, "test.notice", D(2025, 9, 1), actor=cast.b_operator, label="乙镇逾期事项"
    )
    return dict(a_overdue=a_overdue, a_soon=a_soon, a_later=a_later, a_done=a_done, b=b_overdue)


URL = {
    "my": lambda: reverse("core:my_deadlines"),
    "notifications": lambda: reverse("core:notifications"),
    "calendar": lambda: reverse("core:calendar"),
    "rules": lambda: reverse("core:rules"),
}


# --- access -----------------------------------------------------------------------------------
@pytest.mark.parametrize("page", ["my", "notifications", "calendar", "rules"])
def test_a_user_without_a_role_is_refused(cast, login, page):
    assert login(cast.nobody).get(URL[page]()).status_code == 403


@pytest.mark.parametrize("page", ["my", "notifications", "calendar", "rules"])
def test_anonymous_users_are_sent_to_login(client, db, page):
    response = client.get(URL[page]())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- 我的期限 ---------------------------------------------------------------------------------
def test_my_deadlines_lists_the_township_overdue_first(cast, login, data, clock):
    response = login(cast.a_operator).get(URL["my"]())
    assert response.status_code == 200
    body = response.content.decode()
    order = [body.index(x) for x in ("甲镇逾期事项", "甲镇将到期事项", "甲镇调解员负责事项")]
    assert order == sorted(order)
    assert "已逾期" in body and "即将到期" in body
    assert "甲镇已办结事项" not in body  # default filter: open ones
    assert "乙镇逾期事项" not in body


def test_another_township_sees_none_of_our_deadlines(cast, login, data, clock):
    body = login(cast.b_operator).get(URL["my"]() + "?state=all").content.decode()
    assert "乙镇逾期事项" in body
    assert "甲镇" not in body


def test_my_deadlines_filters_by_state(cast, login, data, clock):
    client = login(cast.a_operator)
    body = client.get(URL["my"]() + "?state=overdue").content.decode()
    assert "甲镇逾期事项" in body and "甲镇将到期事项" not in body
    body = client.get(URL["my"]() + "?state=done").content.decode()
    assert "甲镇已办结事项" in body and "甲镇逾期事项" not in body
    body = client.get(URL["my"]() + "?state=all").content.decode()
    assert "甲镇已办结事项" in body and "甲镇逾期事项" in body


def test_a_village_mediator_sees_only_deadlines_they_carry(cast, login, data, clock):
    body = login(cast.a1_mediator).get(URL["my"]()).content.decode()
    assert "甲镇调解员负责事项" in body
    assert "甲镇逾期事项" not in body and "甲镇将到期事项" not in body


def test_mine_only_shows_what_i_am_responsible_or_leader_for(cast, login, data, clock):
    body = login(cast.a_admin).get(URL["my"]() + "?mine=1").content.decode()
    assert "甲镇逾期事项" in body  # as leader
    assert "甲镇将到期事项" not in body


def test_the_county_supervisor_sees_all_its_townships(cast, login, data, clock):
    body = login(cast.supervisor).get(URL["my"]()).content.decode()
    assert "甲镇逾期事项" in body and "乙镇逾期事项" in body


def test_the_override_used_and_an_estimated_due_date_are_shown(cast, login, clock):
    rules.set_override(
        "test.notice",
        length=10,
        unit="days",
        basis="测试县规定",
        county=cast.county,
        actor=cast.admin,
    )
    open_deadline(cast.a1, "test.notice", D(2026, 12, 28), actor=cast.a_operator, label="跨年事项")
    body = login(cast.a_operator).get(URL["my"]()).content.decode()
    assert "按测试市测试县调整" in body
    assert "日历未覆盖·估算" in body


# --- a deadline -------------------------------------------------------------------------------
def test_the_deadline_page_shows_rule_override_and_events(cast, login, data, clock):
    body = login(cast.a_viewer).get(reverse("core:deadline_detail", args=[data["a_overdue"].pk]))
    text = body.content.decode()
    assert body.status_code == 200
    assert "《信访工作条例》第二十三条" in text and "第八十五条" in text
    assert "开始计算期限" in text
    assert reverse("core:villages_detail", args=[cast.a1.pk]) in text


def test_another_townships_deadline_page_is_not_found(cast, login, data):
    url = reverse("core:deadline_detail", args=[data["a_overdue"].pk])
    assert login(cast.b_operator).get(url).status_code == 404
    assert login(cast.nobody).get(url).status_code == 404


# --- 提醒 -------------------------------------------------------------------------------------
def test_notifications_list_my_own_and_mark_read(cast, login, data):
    sweep(D(2025, 10, 8))
    client = login(cast.a_admin)
    body = client.get(URL["notifications"]()).content.decode()
    assert "逾期督办" in body and "甲镇逾期事项" in body
    note = Notification.objects.get(user=cast.a_admin, kind="escalation")
    response = client.post(reverse("core:notification_read", args=[note.pk]))
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None


def test_opening_a_notification_marks_it_read_and_goes_to_the_deadline(cast, login, data):
    sweep(D(2025, 10, 8))
    note = Notification.objects.get(user=cast.a_operator, kind="overdue")
    response = login(cast.a_operator).post(
        reverse("core:notification_read", args=[note.pk]), {"next": "open"}
    )
    assert response["Location"] == reverse("core:deadline_detail", args=[note.deadline_id])


def test_mark_all_read(cast, login, data):
    sweep(D(2025, 10, 8))
    client = login(cast.a_operator)
    client.post(reverse("core:notifications_read_all"))
    assert not Notification.objects.filter(user=cast.a_operator, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=cast.b_operator, read_at__isnull=True).exists()


def test_another_townships_user_cannot_see_or_mark_our_notifications(cast, login, data):
    sweep(D(2025, 10, 8))
    client = login(cast.b_operator)
    body = client.get(URL["notifications"]()).content.decode()
    assert "乙镇逾期事项" in body and "甲镇" not in body
    ours = Notification.objects.get(user=cast.a_operator, kind="overdue")
    assert client.post(reverse("core:notification_read", args=[ours.pk])).status_code == 404
    ours.refresh_from_db()
    assert ours.read_at is None


def test_a_notification_of_a_township_i_left_is_hidden(cast, login, data):
    sweep(D(2025, 10, 8))
    Membership.objects.filter(user=cast.a_operator).update(township=cast.b, role=Role.VIEWER)
    body = login(cast.a_operator).get(URL["notifications"]()).content.decode()
    assert "甲镇逾期事项" not in body


# --- 节假日与调休 -----------------------------------------------------------------------------
def test_calendar_page_needs_the_manage_action(cast, login):
    for user in (cast.a_operator, cast.a_viewer, cast.supervisor, cast.a1_mediator):
        assert login(user).get(URL["calendar"]()).status_code == 403
    assert login(cast.a_admin).get(URL["calendar"]()).status_code == 200


def test_calendar_page_shows_2026_spring_festival_from_the_library(cast, login):
    body = login(cast.admin).get(URL["calendar"]() + "?year=2026").content.decode()
    assert "2026-02-14" in body and "2026-02-28" in body and "调休上班" in body
    assert "内置日历已包含" in body


def test_a_township_admin_reads_the_calendar_but_cannot_change_it(cast, login):
    client = login(cast.a_admin)
    body = client.get(URL["calendar"]()).content.decode()
    assert "由平台管理员录入" in body
    response = client.post(
        URL["calendar"](), {"form": "day", "date": "2027-01-01", "kind": "holiday"}
    )
    assert response.status_code == 403
    assert not CalendarDay.objects.exists()


def test_the_platform_admin_enters_2027_days_and_confirms_the_year(cast, login, data):
    client = login(cast.admin)
    response = client.post(
        URL["calendar"](), {"form": "day", "date": "2027-01-01", "kind": "holiday", "name": "元旦"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?year=2027")
    body = client.get(response["Location"]).content.decode()
    assert "日历未覆盖" in body and "元旦" in body
    response = client.post(
        URL["calendar"](),
        {"form": "year", "year": "2027", "source": "国务院办公厅关于2027年部分节假日安排的通知"},
    )
    assert response.status_code == 302
    assert CalendarYear.objects.filter(year=2027).exists()
    body = client.get(response["Location"]).content.decode()
    assert "已确认完整录入" in body
    assert DomainEvent.objects.filter(kind="core.calendar_year_confirmed").exists()


def test_calendar_errors_are_named_in_chinese(cast, login):
    client = login(cast.admin)
    response = client.post(URL["calendar"](), {"form": "year", "year": "2026", "source": "通知"})
    assert response.status_code == 400
    assert "年份：内置日历已包含2026年" in response.content.decode()
    response = client.post(URL["calendar"](), {"form": "day", "date": "", "kind": "holiday"})
    assert response.status_code == 400 and "日期：" in response.content.decode()


def test_removing_an_entered_day_from_the_page(cast, login):
    client = login(cast.admin)
    client.post(URL["calendar"](), {"form": "day", "date": "2027-01-01", "kind": "holiday"})
    day = CalendarDay.objects.get()
    url = reverse("core:calendar_day_delete", args=[day.pk])
    assert act(login(cast.a_admin), url, day).status_code == 403
    client = login(cast.admin)
    assert act(client, url, day).status_code == 302
    assert not CalendarDay.objects.exists()


def test_removing_a_day_or_an_override_without_the_version_it_read_removes_nothing(cast, login):
    """撤销 on the calendar and the rules page carries the row's version: missing → 400, a row
    changed since the page was read (re-entered with another kind or length) → 409."""
    client = login(cast.admin)
    client.post(URL["calendar"](), {"form": "day", "date": "2027-01-01", "kind": "holiday"})
    day = CalendarDay.objects.get()
    page = client.get(URL["calendar"](), {"year": 2027}).content.decode()
    assert f'name="version" value="{day.version}"' in page
    row = rules.set_override(
        "test.notice", length=10, unit="days", basis="x", county=cast.county, actor=cast.admin
    )
    assert f'name="version" value="{row.version}"' in client.get(URL["rules"]()).content.decode()
    before = ChangeRecord.objects.count()
    for obj, url in (
        (day, reverse("core:calendar_day_delete", args=[day.pk])),
        (row, reverse("core:rule_override_delete", args=[row.pk])),
    ):
        missing = client.post(url)
        assert missing.status_code == 400 and "缺少版本号" in missing.content.decode()
        type(obj).objects.filter(pk=obj.pk).update(version=obj.version + 1)  # another save
        stale = client.post(url, {"version": obj.version})
        assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    assert CalendarDay.objects.filter(pk=day.pk).exists()
    assert RuleOverride.objects.filter(pk=row.pk).exists()
    assert ChangeRecord.objects.count() == before


def test_entering_a_day_or_an_override_that_exists_shows_it_and_needs_a_confirmation(cast, login):
    """Two administrators entering the same day: the second does not silently overwrite the first;
    the page shows the entry that exists with its version, and a second submit confirms. If the
    entry changed again in between, the confirmation is refused (409)."""
    client = login(cast.admin)
    day = {"form": "day", "date": "2027-01-01", "kind": "holiday", "name": "元旦"}
    assert client.post(URL["calendar"](), day).status_code == 302
    again = client.post(URL["calendar"](), {**day, "kind": "workday", "name": "调休"})
    body = again.content.decode()
    assert again.status_code == 400 and "已有录入" in body and "再次提交" in body
    entry = CalendarDay.objects.get()
    assert entry.kind == "holiday" and f'name="version" value="{entry.version}"' in body
    confirm = {**day, "kind": "workday", "name": "调休", "version": entry.version}
    assert client.post(URL["calendar"](), confirm).status_code == 302
    entry.refresh_from_db()
    assert entry.kind == "workday" and entry.version == 2
    stale = client.post(URL["calendar"](), {**confirm, "kind": "holiday"})  # version 1 again
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    assert CalendarDay.objects.get().kind == "workday"

    override = {
        "rule_code": "test.defence",
        "county": cast.county.pk,
        "length": "5",
        "unit": "working_days",
        "basis": "测试县行政处罚程序规定第八条",
    }
    assert client.post(URL["rules"](), override).status_code == 302
    again = client.post(URL["rules"](), {**override, "length": "8"})
    assert again.status_code == 400 and "已有录入" in again.content.decode()
    row = RuleOverride.objects.get()
    assert row.length == 5
    ok = client.post(URL["rules"](), {**override, "length": "8", "version": row.version})
    assert ok.status_code == 302
    row.refresh_from_db()
    assert row.length == 8


def test_the_calendar_counts_only_my_townships_estimated_deadlines(cast, login, clock):
    open_deadline(cast.a1, "test.notice", D(2026, 12, 28), actor=cast.a_operator)
    open_deadline(cast.b1, "test.notice", D(2026, 12, 28), actor=cast.b_operator)
    open_deadline(cast.b1, "test.defence", D(2026, 12, 30), actor=cast.b_operator)
    body = login(cast.a_admin).get(URL["calendar"]() + "?year=2027").content.decode()
    assert "当前有 1 项进行中的期限届满日为估算" in body
    body = login(cast.admin).get(URL["calendar"]() + "?year=2027").content.decode()
    assert "当前有 3 项" in body


# --- 期限规则 ---------------------------------------------------------------------------------
def test_rules_page_lists_rules_with_citations_and_unconfirmed_defaults(cast, login):
    body = login(cast.a_viewer).get(URL["rules"]()).content.decode()
    assert "书面告知" in body and "《信访工作条例》第二十三条" in body
    assert "待确认，可调整的默认值" in body
    assert "新增或修改地方调整" not in body  # not a platform admin


def test_rules_page_shows_the_overrides_in_force_for_my_county_only(cast, login):
    rules.set_override(
        "test.notice",
        length=10,
        unit="days",
        basis="测试县规定",
        county=cast.county,
        actor=cast.admin,
    )
    rules.set_override(
        "test.notice",
        length=8,
        unit="days",
        basis="邻县规定",
        county=cast.other_county,
        actor=cast.admin,
    )
    body = login(cast.a_operator).get(URL["rules"]()).content.decode()
    assert "测试县规定" in body and "测试市测试县执行" in body
    assert "邻县规定" not in body
    body = login(cast.b_operator).get(URL["rules"]()).content.decode()
    assert "邻县规定" not in body


def test_the_platform_admin_adds_an_override_on_the_rules_page(cast, login):
    client = login(cast.admin)
    response = client.post(
        URL["rules"](),
        {
            "rule_code": "test.defence",
            "county": cast.county.pk,
            "length": "5",
            "unit": "working_days",
            "basis": "测试县行政处罚程序规定第八条",
        },
    )
    assert response.status_code == 302
    row = RuleOverride.objects.get()
    assert (row.county, row.length, row.entered_by) == (cast.county, 5, cast.admin)
    assert DomainEvent.objects.filter(kind="core.rule_override_set").exists()


def test_an_override_needs_a_county_or_a_province(cast, login):
    response = login(cast.admin).post(
        URL["rules"](),
        {"rule_code": "test.defence", "length": "5", "unit": "days", "basis": "x"},
    )
    assert response.status_code == 400
    assert "县(市、区)：请选择县(市、区)或填写省(区)。" in response.content.decode()


def test_a_township_admin_cannot_add_or_remove_overrides(cast, login):
    row = rules.set_override(
        "test.notice", length=10, unit="days", basis="x", county=cast.county, actor=cast.admin
    )
    client = login(cast.a_admin)
    response = client.post(
        URL["rules"](),
        {
            "rule_code": "test.notice",
            "county": cast.county.pk,
            "length": "3",
            "unit": "days",
            "basis": "x",
        },
    )
    assert response.status_code == 403
    assert act(client, reverse("core:rule_override_delete", args=[row.pk]), row).status_code == 403
    row.refresh_from_db()
    assert row.length == 10


def test_removing_an_override_in_use_is_refused_with_a_message(cast, login):
    row = rules.set_override(
        "test.notice", length=10, unit="days", basis="x", county=cast.county, actor=cast.admin
    )
    open_deadline(cast.a1, "test.notice", D(2025, 9, 1), actor=cast.a_operator)
    client = login(cast.admin)
    response = act(client, reverse("core:rule_override_delete", args=[row.pk]), row)
    assert response.status_code == 400 and "不能撤销" in response.content.decode()
    assert RuleOverride.objects.filter(pk=row.pk).exists()


def test_my_deadlines_query_count_does_not_grow_with_rows(
    cast, login, clock, django_assert_max_num_queries
):
    client = login(cast.a_operator)

    def make(n):
        for i in range(n):
            village = Village.objects.create(township=cast.a, name=f"批量村{i}-{n}")
            open_deadline(
                village, "test.notice", D(2025, 9, 1), actor=cast.a_operator, leader=cast.a_admin
            )

    make(2)
    with CaptureQueriesContext(connection) as few:
        client.get(URL["my"]())
    make(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL["my"]())
    assert response.content.decode().count("批量村") == 22
