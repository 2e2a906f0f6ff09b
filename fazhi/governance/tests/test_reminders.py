"""Frequency warnings as notifications: to the township's administrators and operators, once
per frequency and window, never to another township's users, and again in the next window."""

import datetime as dt

import pytest

from fazhi.core import jobs
from fazhi.core.models import Notification
from fazhi.governance import reminders
from fazhi.governance.models import Meeting, StudySession

pytestmark = pytest.mark.django_db


def _fill_all_but_quarterly(township, day):
    """Records for every frequency except 季度听取汇报, so only that one warns."""
    Meeting.objects.create(township=township, held_on=day, kind="half_year", title="专题会议")
    Meeting.objects.create(township=township, held_on=day, kind="committee_topic", title="专题研究")
    StudySession.objects.create(township=township, held_on=day, kind="committee", topic="学法")
    StudySession.objects.create(township=township, held_on=day, kind="central_group", topic="学法")


def test_warning_reaches_the_responsible_users_once_per_window(cast):
    _fill_all_but_quarterly(cast.a, dt.date(2025, 3, 3))
    _fill_all_but_quarterly(cast.b, dt.date(2025, 3, 3))
    Meeting.objects.create(
        township=cast.b, held_on=dt.date(2025, 2, 1), kind="quarterly_report", title="乙镇汇报"
    )
    # 20 March: the first quarter (to 31 March) ends in 11 days, 甲镇 has no 季度汇报 yet
    counts = reminders.notify_frequencies(dt.date(2025, 3, 20))
    notes = Notification.objects.filter(township=cast.a)
    assert {n.user for n in notes} == {cast.a_admin, cast.a_operator}
    # 丙镇 has no records at all (three warnings due) but no responsible user to receive them
    assert counts["warnings"] == 1 + 3 and counts["notifications"] == 2
    note = notes.get(user=cast.a_operator)
    assert note.kind == "reminder" and note.due_date == dt.date(2025, 3, 31)
    assert "听取法治建设工作汇报" in note.text and "还有11天截止" in note.text
    assert note.url.startswith("/governance/frequencies/?township=")
    # not the viewer, the department officer, the village roles or another township's users
    assert not Notification.objects.exclude(township=cast.a).exists()
    # idempotent: again the same day and on a later day of the same window
    assert reminders.notify_frequencies(dt.date(2025, 3, 20))["notifications"] == 0
    assert reminders.notify_frequencies(dt.date(2025, 3, 28))["notifications"] == 0
    assert Notification.objects.count() == 2
    # held before the end: no warning in that window any more; the next window warns anew
    Meeting.objects.create(
        township=cast.a, held_on=dt.date(2025, 3, 29), kind="quarterly_report", title="汇报"
    )
    assert reminders.notify_frequencies(dt.date(2025, 3, 30))["warnings"] == 3  # 丙镇's only
    _fill_all_but_quarterly(cast.a, dt.date(2025, 6, 2))
    _fill_all_but_quarterly(cast.b, dt.date(2025, 6, 2))
    counts = reminders.notify_frequencies(dt.date(2025, 6, 20))
    assert counts["notifications"] == 2 + 1  # 甲镇 (2 users) and 乙镇 (1) lack the 2nd quarter
    assert set(Notification.objects.values_list("due_date", flat=True)) == {
        dt.date(2025, 3, 31),
        dt.date(2025, 6, 30),
    }


def test_the_daily_job_runs_the_sweep_and_queues_the_next(cast):
    job = jobs.enqueue(reminders.FREQUENCY_JOB, params={"today": "2025-03-20", "daily": True})
    jobs.run_pending()
    job.refresh_from_db()
    assert job.status == "succeeded"
    assert job.result["townships"] == 3 and job.result["notifications"] >= 2
    assert "next" in job.result
