"""The deadline engine: opening with the rule in force, completing, extending, cancelling,
computed states, recomputation once a year is entered, and the daily sweep."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command

from fazhi.core import calendar as cal
from fazhi.core import jobs, rules
from fazhi.core.choices import DayKind, DeadlineState, DeadlineStatus, DeadlineUnit, JobStatus
from fazhi.core.deadlines import (
    SWEEP_JOB,
    cancel_deadline,
    complete_deadline,
    deadline_events,
    deadline_state,
    deadlines_for,
    extend_deadline,
    my_deadlines,
    open_deadline,
    pause_deadline,
    resume_deadline,
    schedule_daily_sweep,
    sweep,
)
from fazhi.core.models import ChangeRecord, Deadline, DomainEvent, Job, Notification
from fazhi.core.rules import DeadlineRule

pytestmark = pytest.mark.django_db
D = dt.date
TZ = ZoneInfo("Asia/Shanghai")

HANDLING = DeadlineRule(
    code="test.handling",
    label="办理并出具处理意见书",
    start_event="受理",
    length=60,
    unit=DeadlineUnit.DAYS,
    citation="《信访工作条例》第三十四条",
    confidence="C",
)
SERVICE = DeadlineRule(
    code="test.service",
    label="送达处罚决定书",
    start_event="作出决定",
    length=7,
    unit=DeadlineUnit.WORKING_DAYS,
    citation="《行政处罚法》第六十一条、第八十五条",
    confidence="C",
)
NOTICE = DeadlineRule(
    code="test.notice",
    label="书面告知",
    start_event="收到",
    length=15,
    unit=DeadlineUnit.DAYS,
    citation="《信访工作条例》第二十三条",
    confidence="C",
)


@pytest.fixture(autouse=True)
def declared():
    for rule in (HANDLING, SERVICE, NOTICE):
        rules.register_rule(rule)
    yield
    for rule in (HANDLING, SERVICE, NOTICE):
        rules.unregister_rule(rule.code)


SEPT_16 = D(2025, 9, 16)


def _open(cast, rule="test.notice", start=SEPT_16, obj=None, **kw):
    kw.setdefault("responsible", cast.a_operator)
    kw.setdefault("leader", cast.a_admin)
    return open_deadline(obj or cast.a1, rule, start, actor=cast.a_operator, **kw)


# --- opening ----------------------------------------------------------------------------------
def test_opening_computes_the_due_date_and_records_the_rule(cast):
    d = _open(cast)  # 16 Sept 2025 + 15 days = 1 Oct (National Day) → 9 Oct
    assert d.status == DeadlineStatus.OPEN
    assert d.due_date == D(2025, 10, 9)
    assert (d.length, d.unit, d.override, d.calendar_unknown) == (15, "days", None, False)
    assert d.township == cast.a
    assert d.citation == "《信访工作条例》第二十三条"
    assert d.label == "甲一村：书面告知"
    assert (d.responsible, d.leader) == (cast.a_operator, cast.a_admin)
    assert ChangeRecord.objects.filter(object_id=str(d.pk), action="create").exists()
    event = DomainEvent.objects.get(kind="core.deadline_opened")
    assert event.object_id == str(cast.a1.pk)  # shown on the record's own page
    assert event.payload["deadline"] == d.pk and event.payload["due"] == "2025-10-09"


def test_seven_working_days_for_service_skip_the_national_day_week(cast):
    d = _open(cast, "test.service", D(2025, 9, 26))
    assert d.due_date == D(2025, 10, 13)


def test_responsible_defaults_to_the_actor(cast):
    d = open_deadline(cast.a1, "test.notice", D(2025, 6, 16), actor=cast.a_officer)
    assert d.responsible == cast.a_officer and d.leader is None


def test_a_record_has_one_open_deadline_per_rule(cast):
    _open(cast)
    with pytest.raises(ValidationError, match="已有进行中的期限"):
        _open(cast)
    _open(cast, "test.service")  # another rule is fine
    assert Deadline.objects.count() == 2


def test_the_county_override_is_used_and_recorded(cast):
    override = rules.set_override(
        "test.notice",
        length=10,
        unit=DeadlineUnit.WORKING_DAYS,
        basis="测试县信访工作规定第五条",
        county=cast.county,
        actor=cast.admin,
    )
    rules.set_override(
        "test.notice", length=20, unit="days", basis="省规定", province="测试省", actor=cast.admin
    )
    d = _open(cast, start=D(2025, 9, 26))
    assert (d.length, d.unit, d.override) == (10, "working_days", override)
    # 28 Sep (调休), 29, 30 | holiday | 9, 10, 11 (调休), 13, 14, 15, 16 Oct
    assert d.due_date == D(2025, 10, 16)
    event = DomainEvent.objects.get(kind="core.deadline_opened")
    assert event.payload["override"] == override.pk
    assert "测试县信访工作规定第五条" in event.payload["source"]


def test_a_township_of_another_county_gets_the_province_override(cast):
    province = rules.set_override(
        "test.notice", length=20, unit="days", basis="省规定", province="测试省", actor=cast.admin
    )
    rules.set_override(
        "test.notice", length=10, unit="days", basis="县", county=cast.county, actor=cast.admin
    )
    d = open_deadline(cast.c, "test.notice", D(2025, 6, 16), actor=cast.admin)
    assert (d.length, d.override, d.due_date) == (20, province, D(2025, 7, 7))  # 6 Jul is Sunday
    assert d.label == "书面告知"  # a township-level deadline


def test_a_deadline_into_2027_is_flagged_as_estimated(cast):
    d = _open(cast, start=D(2026, 12, 20))
    assert d.due_date == D(2027, 1, 4)
    assert d.calendar_unknown is True
    assert "估算" in DomainEvent.objects.get(kind="core.deadline_opened").label


def test_confirming_2027_recomputes_the_flagged_deadlines(cast):
    d = _open(cast, start=D(2026, 12, 20))
    extend_deadline(cast.a1, "test.notice", 2, "working_days", actor=cast.a_admin, reason="补正")
    d.refresh_from_db()
    assert (d.due_date, d.calendar_unknown) == (D(2027, 1, 6), True)
    cal.enter_day(D(2027, 1, 4), DayKind.HOLIDAY, "元旦", actor=cast.admin)
    cal.enter_day(D(2027, 1, 5), DayKind.HOLIDAY, "元旦", actor=cast.admin)
    row = cal.confirm_year(2027, "国务院办公厅关于2027年部分节假日安排的通知", actor=cast.admin)
    assert row.refreshed == 1
    d.refresh_from_db()
    # 4, 5 Jan entered holidays → 6 Jan; then 2 working days → 8 Jan; now exact
    assert (d.due_date, d.calendar_unknown) == (D(2027, 1, 8), False)
    assert DomainEvent.objects.filter(kind="core.deadline_recomputed").exists()


# --- completing, cancelling, extending --------------------------------------------------------
def test_completing_on_or_before_the_due_date_is_done(cast):
    _open(cast)
    d = complete_deadline(cast.a1, "test.notice", D(2025, 10, 9), actor=cast.a_operator)
    assert (d.status, d.completed_on) == (DeadlineStatus.DONE, D(2025, 10, 9))
    assert deadline_state(d, D(2026, 1, 1)) == DeadlineState.DONE
    assert DomainEvent.objects.filter(kind="core.deadline_done").exists()


def test_completing_after_the_due_date_is_done_late(cast):
    _open(cast)
    d = complete_deadline(cast.a1, "test.notice", D(2025, 10, 10), actor=cast.a_operator)
    assert d.status == DeadlineStatus.DONE_LATE
    assert deadline_state(d) == DeadlineState.DONE_LATE
    record = ChangeRecord.objects.filter(object_id=str(d.pk), action="update").get()
    assert record.changes["status"]["after"] == "逾期完成"


def test_completing_accepts_a_datetime_in_local_time(cast):
    _open(cast)
    late_evening = dt.datetime(2025, 10, 9, 23, 30, tzinfo=TZ)
    d = complete_deadline(cast.a1, "test.notice", late_evening, actor=cast.a_operator)
    assert d.status == DeadlineStatus.DONE


def test_completing_without_an_open_deadline_returns_none(cast):
    assert complete_deadline(cast.a1, "test.notice", D(2025, 10, 1), actor=cast.a_operator) is None


def test_completing_before_the_start_is_refused(cast):
    _open(cast)
    with pytest.raises(ValidationError):
        complete_deadline(cast.a1, "test.notice", D(2025, 9, 1), actor=cast.a_operator)


def test_a_closed_deadline_cannot_be_completed_again_and_a_new_one_may_open(cast):
    _open(cast)
    complete_deadline(cast.a1, "test.notice", D(2025, 9, 20), actor=cast.a_operator)
    assert complete_deadline(cast.a1, "test.notice", D(2025, 9, 21), actor=cast.a_operator) is None
    _open(cast, start=D(2025, 11, 3))
    assert deadlines_for(cast.a1).count() == 2


def test_cancelling_closes_the_deadline(cast):
    _open(cast)
    cancel_deadline(cast.a1, "test.notice", actor=cast.a_operator)
    d = Deadline.objects.get()
    assert d.status == DeadlineStatus.CANCELLED
    assert deadline_state(d) == DeadlineState.CANCELLED
    cancel_deadline(cast.a1, "test.notice", actor=cast.a_operator)  # nothing open: no-op


def test_extending_adds_from_the_current_due_date_and_records_the_reason(cast):
    _open(cast, "test.handling", D(2025, 8, 1))  # 60 days → 30 Sep 2025 (Tuesday)
    d = extend_deadline(
        cast.a1, "test.handling", 30, DeadlineUnit.DAYS, actor=cast.a_admin, reason="情况复杂"
    )
    # 30 Sep + 30 days = 30 Oct 2025 (Thursday)
    assert d.due_date == D(2025, 10, 30)
    assert d.length == 60  # the rule's period; the extension is in the events
    event = DomainEvent.objects.get(kind="core.deadline_extended")
    assert event.payload == {
        "deadline": d.pk,
        "rule_code": "test.handling",
        "extra": 30,
        "unit": "days",
        "reason": "情况复杂",
        "before": "2025-09-30",
        "after": "2025-10-30",
    }
    assert "情况复杂" in event.label
    assert list(deadline_events(d).values_list("kind", flat=True)) == [
        "core.deadline_opened",
        "core.deadline_extended",
    ]


def test_extending_needs_a_reason_and_an_open_deadline(cast):
    with pytest.raises(ValidationError, match="无法延期"):
        extend_deadline(cast.a1, "test.notice", 5, "days", actor=cast.a_admin, reason="x")
    _open(cast)
    with pytest.raises(ValidationError) as info:
        extend_deadline(cast.a1, "test.notice", 5, "days", actor=cast.a_admin, reason=" ")
    assert "reason" in info.value.error_dict
    with pytest.raises(ValidationError) as info:
        extend_deadline(cast.a1, "test.notice", 0, "days", actor=cast.a_admin, reason="x")
    assert "extra" in info.value.error_dict


# --- computed state ---------------------------------------------------------------------------
def test_states_follow_today_and_the_due_soon_window(cast, settings):
    settings.FAZHI_DEADLINE_DUE_SOON_DAYS = 3
    d = _open(cast)  # due 9 Oct 2025
    assert deadline_state(d, D(2025, 10, 5)) == DeadlineState.ON_TIME
    assert deadline_state(d, D(2025, 10, 6)) == DeadlineState.DUE_SOON
    assert deadline_state(d, D(2025, 10, 9)) == DeadlineState.DUE_SOON
    assert deadline_state(d, D(2025, 10, 10)) == DeadlineState.OVERDUE


def test_state_defaults_to_today_in_local_time(cast):
    d = _open(cast)
    with time_machine.travel(dt.datetime(2025, 10, 9, 23, 59, tzinfo=TZ), tick=False):
        assert deadline_state(d) == DeadlineState.DUE_SOON
    with time_machine.travel(dt.datetime(2025, 10, 10, 0, 1, tzinfo=TZ), tick=False):
        assert deadline_state(d) == DeadlineState.OVERDUE


# --- the sweep --------------------------------------------------------------------------------
def test_sweep_reminds_the_responsible_person_once_when_due_soon(cast, settings):
    settings.FAZHI_DEADLINE_DUE_SOON_DAYS = 3
    d = _open(cast)  # due 9 Oct 2025
    assert sweep(D(2025, 10, 5))["reminders"] == 0
    counts = sweep(D(2025, 10, 6))
    assert counts == {"checked": 1, "reminders": 1, "overdue": 0, "escalations": 0}
    note = Notification.objects.get()
    assert (note.user, note.kind, note.deadline, note.township) == (
        cast.a_operator,
        "reminder",
        d,
        cast.a,
    )
    assert "还有3天到期" in note.text and "2025年10月9日" in note.text
    assert note.url == f"/deadlines/{d.pk}/"
    assert sweep(D(2025, 10, 6))["reminders"] == 0
    assert sweep(D(2025, 10, 7))["reminders"] == 0
    assert Notification.objects.count() == 1


def test_sweep_escalates_an_overdue_deadline_to_the_leader_once(cast):
    d = _open(cast)  # due 9 Oct 2025
    counts = sweep(D(2025, 10, 12))
    assert counts == {"checked": 1, "reminders": 0, "overdue": 1, "escalations": 1}
    kinds = dict(Notification.objects.values_list("kind", "user"))
    assert kinds == {"overdue": cast.a_operator.pk, "escalation": cast.a_admin.pk}
    escalation = Notification.objects.get(kind="escalation")
    assert "逾期督办" in escalation.text and "已逾期3天" in escalation.text
    assert "a_operator" in escalation.text  # names the responsible person
    d.refresh_from_db()
    assert d.escalated_on == D(2025, 10, 12)
    assert DomainEvent.objects.filter(kind="core.deadline_overdue").count() == 1
    # idempotent: again the same day, the next day, and with the flag cleared by hand
    assert sweep(D(2025, 10, 12)) == {"checked": 0, "reminders": 0, "overdue": 0, "escalations": 0}
    assert sweep(D(2025, 10, 13))["escalations"] == 0
    Deadline.objects.filter(pk=d.pk).update(escalated_on=None)
    assert sweep(D(2025, 10, 13)) == {"checked": 1, "reminders": 0, "overdue": 0, "escalations": 0}
    assert Notification.objects.count() == 2


def test_sweep_after_a_reminder_still_escalates_when_overdue(cast):
    _open(cast)
    sweep(D(2025, 10, 8))
    sweep(D(2025, 10, 10))
    assert sorted(Notification.objects.values_list("kind", flat=True)) == [
        "escalation",
        "overdue",
        "reminder",
    ]


def test_an_extended_deadline_is_reminded_and_escalated_again(cast):
    _open(cast)  # due 9 Oct 2025
    sweep(D(2025, 10, 10))
    assert Notification.objects.filter(kind="escalation").count() == 1
    extended = extend_deadline(cast.a1, "test.notice", 5, "days", actor=cast.a_admin, reason="延期")
    sweep(D(2025, extended.due_date.month, extended.due_date.day) + dt.timedelta(days=1))
    assert Notification.objects.filter(kind="escalation").count() == 2
    assert set(Notification.objects.values_list("due_date", flat=True)) == {
        D(2025, 10, 9),
        extended.due_date,
    }


def test_sweep_ignores_closed_deadlines(cast):
    _open(cast)
    complete_deadline(cast.a1, "test.notice", D(2025, 10, 8), actor=cast.a_operator)
    _open(cast, "test.service", D(2025, 9, 1))
    cancel_deadline(cast.a1, "test.service", actor=cast.a_operator)
    assert sweep(D(2025, 12, 1))["checked"] == 0
    assert not Notification.objects.exists()


def test_sweep_does_not_notify_a_user_outside_the_township(cast):
    _open(cast, responsible=cast.b_operator, leader=cast.a_admin)
    counts = sweep(D(2025, 10, 12))
    assert (counts["overdue"], counts["escalations"]) == (0, 1)
    assert not Notification.objects.filter(user=cast.b_operator).exists()


def test_sweep_runs_as_a_job_and_the_daily_job_queues_the_next_one(cast):
    _open(cast)
    job = jobs.enqueue(SWEEP_JOB, params={"today": "2025-10-12"})
    assert jobs.run_pending() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result == {"checked": 1, "reminders": 0, "overdue": 1, "escalations": 1}

    with time_machine.travel(dt.datetime(2025, 10, 12, 9, 0, tzinfo=TZ), tick=False):
        daily = schedule_daily_sweep()
        assert schedule_daily_sweep() == daily  # one queued daily sweep at a time
        assert daily.run_after == dt.datetime(2025, 10, 13, 6, 0, tzinfo=TZ)
    with time_machine.travel(dt.datetime(2025, 10, 13, 6, 1, tzinfo=TZ), tick=False):
        assert jobs.run_pending() == 1
        daily.refresh_from_db()
        assert daily.status == JobStatus.SUCCEEDED, daily.error
        queued = Job.objects.get(kind=SWEEP_JOB, status=JobStatus.QUEUED)
        assert daily.result["next"] == str(queued.pk)
        assert queued.run_after == dt.datetime(2025, 10, 14, 6, 0, tzinfo=TZ)


def test_sweep_command_reports_counts_and_is_idempotent(cast):
    _open(cast)
    out = StringIO()
    call_command("deadline_sweep", "--date", "2025-10-12", stdout=out)
    assert "逾期提醒1条" in out.getvalue() and "逾期督办1条" in out.getvalue()
    out = StringIO()
    call_command("deadline_sweep", "--date", "2025-10-12", stdout=out)
    assert "检查0项" in out.getvalue()
    call_command("deadline_sweep", "--enqueue", stdout=StringIO())
    assert Job.objects.filter(kind=SWEEP_JOB, status=JobStatus.QUEUED).count() == 1


# --- pausing (暂停计算, e.g. 行政复议中止) ------------------------------------------------------
def test_a_paused_deadline_is_off_the_open_list_never_overdue_and_resumes_with_its_time_left(cast):
    d = _open(cast, "test.service")  # 7 working days from 16 Sept 2025 → 25 Sept
    assert d.due_date == D(2025, 9, 25)
    with pytest.raises(ValidationError, match="请填写暂停计算的理由"):
        pause_deadline(cast.a1, "test.service", D(2025, 9, 18), actor=cast.a_operator, reason="")
    d = pause_deadline(cast.a1, "test.service", D(2025, 9, 18), actor=cast.a_operator,
                       reason="行政复议中止")  # fmt: skip
    assert (d.status, d.paused_on) == (DeadlineStatus.PAUSED, D(2025, 9, 18))
    assert deadline_state(d, D(2025, 9, 30)) == DeadlineState.PAUSED  # past the old due date
    assert d not in my_deadlines(cast.a_operator, today=D(2025, 9, 30))
    assert d in my_deadlines(cast.a_operator, state="paused", today=D(2025, 9, 30))
    assert sweep(D(2025, 9, 30))["overdue"] == 0
    assert complete_deadline(cast.a1, "test.service", D(2025, 9, 30), actor=None) is None
    with pytest.raises(ValidationError, match="没有进行中的期限"):
        pause_deadline(cast.a1, "test.service", D(2025, 9, 19), actor=None, reason="再次")
    # two working days had run (17, 18 Sept): five are left, counted again from 9 Oct, past the
    # National Day holidays and with Saturday 11 Oct a make-up working day → 15 Oct
    d = resume_deadline(cast.a1, "test.service", D(2025, 10, 9), actor=cast.a_operator,
                        reason="恢复审理")  # fmt: skip
    assert (d.status, d.paused_on, d.due_date) == (DeadlineStatus.OPEN, None, D(2025, 10, 15))
    assert d in my_deadlines(cast.a_operator, today=D(2025, 10, 9))
    event = DomainEvent.objects.get(kind="core.deadline_resumed")
    assert event.payload["left"] == 5 and event.payload["after"] == "2025-10-15"
    with pytest.raises(ValidationError, match="没有暂停计算的期限"):
        resume_deadline(cast.a1, "test.service", D(2025, 10, 10), actor=None, reason="再次")


def test_a_deadline_paused_after_it_ran_out_stays_overdue_and_a_paused_one_can_be_cancelled(cast):
    _open(cast)  # 15 days from 16 Sept → 9 Oct
    pause_deadline(cast.a1, "test.notice", D(2025, 10, 20), actor=None, reason="中止")
    d = resume_deadline(cast.a1, "test.notice", D(2025, 11, 3), actor=None, reason="恢复")
    assert d.due_date == D(2025, 10, 9) and deadline_state(d, D(2025, 11, 3)) == "overdue"
    pause_deadline(cast.a1, "test.notice", D(2025, 11, 4), actor=None, reason="中止")
    cancel_deadline(cast.a1, "test.notice", actor=None)
    assert Deadline.objects.get(pk=d.pk).status == DeadlineStatus.CANCELLED
