"""Tasks and their deadlines, expected frequencies, targets — with a controlled clock."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from fazhi.core.models import Deadline, RuleOverride, Staff
from fazhi.governance import services, targets
from fazhi.governance.models import Meeting, StudySession, Target, Task

pytestmark = pytest.mark.django_db


def _task(cast, **extra):
    owner = Staff.objects.create(township=cast.a, name="司法所长", user=cast.a_officer)
    data = {
        "township": cast.a,
        "year": 2025,
        "title": "制定普法计划",
        "department": cast.justice_a,
        "owner": owner,
        "due": dt.date(2025, 3, 31),
        **extra,
    }
    return services.create_task(Task, data, actor=cast.a_operator)


@time_machine.travel(dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC), tick=False)
def test_task_deadline_is_the_due_date_and_closes_when_done(cast):
    task = _task(cast)
    deadline = Deadline.objects.get(object_id=str(task.pk), rule_code="governance.task")
    assert deadline.due_date == dt.date(2025, 3, 31)
    assert deadline.responsible == cast.a_officer and deadline.status == "open"
    task = services.update_task(
        task,
        {"status": "done", "completed_on": dt.date(2025, 3, 20), "evidence": "计划已印发"},
        actor=cast.a_operator,
        expected_version=task.version,
    )
    deadline.refresh_from_db()
    assert deadline.status == "done"


@time_machine.travel(dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC), tick=False)
def test_task_status_table_and_evidence_required(cast):
    task = _task(cast)
    with pytest.raises(ValidationError) as exc:
        services.update_task(
            task,
            {"status": "done", "completed_on": dt.date(2025, 3, 20), "evidence": ""},
            actor=cast.a_operator,
            expected_version=task.version,
        )
    assert "evidence" in exc.value.message_dict
    task = services.update_task(
        task, {"status": "cancelled"}, actor=cast.a_operator, expected_version=task.version
    )
    assert Deadline.objects.get(object_id=str(task.pk)).status == "cancelled"
    with pytest.raises(ValidationError):
        services.update_task(
            task, {"status": "done"}, actor=cast.a_operator, expected_version=task.version
        )


def test_overdue_task_shows_on_my_deadlines(cast, login):
    with time_machine.travel(dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC), tick=False):
        _task(cast)
    with time_machine.travel(dt.datetime(2025, 4, 8, 9, tzinfo=dt.UTC), tick=False):
        page = login(cast.a_officer).get("/deadlines/").content.decode()
    assert "制定普法计划" in page


def test_frequency_warns_before_the_quarter_ends_and_counts_overrides(cast):
    Meeting.objects.create(
        township=cast.a, held_on=dt.date(2025, 2, 10), kind="quarterly_report", title="一季度汇报"
    )
    rows = {
        r.frequency.rule.code: r
        for r in services.frequency_status(cast.a, 2025, today=dt.date(2025, 6, 25))
    }
    quarterly = rows["governance.frequency.quarterly_report"]
    assert [w.count for w in quarterly.windows] == [1, 0, 0, 0]
    assert "06月30日" in quarterly.warning and "5日" in quarterly.warning
    assert quarterly.unconfirmed
    # the county makes it half-yearly: two windows, nothing to warn about yet in June
    RuleOverride.objects.create(
        rule_code="governance.frequency.quarterly_report",
        county=cast.county,
        length=6,
        unit="months",
        basis="县法治办通知",
    )
    rows = {
        r.frequency.rule.code: r
        for r in services.frequency_status(cast.a, 2025, today=dt.date(2025, 6, 10))
    }
    assert [w.count for w in rows["governance.frequency.quarterly_report"].windows] == [1, 0]
    assert not rows["governance.frequency.quarterly_report"].warning


def test_target_progress_and_below_last_year_warning(cast):
    for month in (3, 6, 9, 11, 12):
        StudySession.objects.create(
            township=cast.a, held_on=dt.date(2025, month, 5), kind="special", topic=f"{month}月"
        )
    StudySession.objects.create(
        township=cast.a, held_on=dt.date(2026, 2, 5), kind="special", topic="2026年2月"
    )
    low = targets.set_target(
        cast.a,
        2026,
        "governance.study_special",
        "ge",
        4,
        wording="专题学习不少于4次",
        actor=cast.a_operator,
    )
    p = targets.progress(low, as_of=dt.date(2026, 7, 1))
    assert p.figure.value == 1 and p.share == Decimal("25.0") and p.behind
    assert p.last_year_actual == 5 and p.below_last_year
    assert "低于上年（2025年）实际5次" in p.warning
    same = targets.set_target(
        cast.a, 2026, "governance.study_special", "ge", 6, actor=cast.a_operator
    )
    assert same.pk == low.pk and not targets.progress(same, dt.date(2026, 7, 1)).below_last_year
    assert Target.objects.count() == 1


def test_target_refuses_unknown_or_self_referential_metric(cast):
    for code in ("no.such", "governance.target_completion_rate"):
        with pytest.raises(ValidationError):
            targets.set_target(cast.a, 2026, code, "ge", 1, actor=cast.a_operator)


def test_target_in_other_township_refused(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        targets.set_target(cast.b, 2026, "outreach.events", "ge", 6, actor=cast.a_operator)
