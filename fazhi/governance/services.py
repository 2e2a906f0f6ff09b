"""Verbs of the governance module: tasks with their deadlines, expected frequencies checked
against what happened, and the small labels pages show. Targets: `fazhi.governance.targets`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from fazhi.core import deadlines
from fazhi.core import services as core_services
from fazhi.core.audit import record_event
from fazhi.core.models import Deadline
from fazhi.core.rules import effective_rule
from fazhi.governance import choices as c
from fazhi.governance import rules
from fazhi.governance.models import BudgetLine, Meeting, StudySession, Target, Task, Training
from fazhi.indicators.registry import rate


# --- tasks ----------------------------------------------------------------------------------
def _user_of(staff: Any) -> Any:
    return staff.user if staff is not None and staff.user_id else None


def _open_task_deadline(task: Task, *, actor: Any) -> None:
    """The task's 完成时限 is its deadline: responsible = the owner's login, escalation to the
    leader's. Shown on 我的期限 and swept for reminders/overdue like every deadline."""
    start = min(deadlines.today_local(), task.due)
    deadline = deadlines.open_deadline(
        task,
        rules.TASK.code,
        start,
        actor=actor,
        responsible=_user_of(task.owner),
        leader=_user_of(task.leader),
        label=f"法治建设任务：{task.title}（{task.department}）",
    )
    Deadline.objects.filter(pk=deadline.pk).update(
        due_date=task.due, length=max((task.due - start).days, 1), unit="days"
    )


def _check_transition(old: str, new: str) -> None:
    if old != new and new not in c.TASK_TRANSITIONS[old]:
        raise ValidationError(
            {
                "status": f"任务状态不能由“{c.TaskStatus(old).label}”改为“{c.TaskStatus(new).label}”。"
            }
        )


def _sync_deadline(task: Task, previous: Task | None, *, actor: Any) -> None:
    open_ = deadlines.deadlines_for(task).filter(rule_code=rules.TASK.code, status="open").first()
    if task.status == c.TaskStatus.DONE:
        if open_ is not None:
            deadlines.complete_deadline(task, rules.TASK.code, task.completed_on, actor=actor)
        return
    if task.status == c.TaskStatus.CANCELLED:
        if open_ is not None:
            deadlines.cancel_deadline(task, rules.TASK.code, actor=actor)
        return
    if open_ is None:
        _open_task_deadline(task, actor=actor)
        return
    changes: dict[str, Any] = {}
    if previous is not None and previous.due != task.due:
        changes["due_date"] = task.due
    if previous is not None and previous.owner_id != task.owner_id:
        changes["responsible"] = _user_of(task.owner)
    if previous is not None and previous.leader_id != task.leader_id:
        changes["leader"] = _user_of(task.leader)
    if changes:
        Deadline.objects.filter(pk=open_.pk).update(**changes)


@transaction.atomic
def create_task(model: type[Task], data: dict[str, Any], *, actor: Any) -> Task:
    if data.get("status") in (c.TaskStatus.CANCELLED,):
        raise ValidationError({"status": "新分解的任务不能是“已取消”。"})
    task = core_services.create_object(model, data, actor=actor)
    _sync_deadline(task, None, actor=actor)
    record_event(
        "governance.task_assigned",
        f"分解法治建设任务“{task.title}”至{task.department}，完成时限{task.due:%Y-%m-%d}",
        township=task.township,
        actor=actor,
        obj=task,
    )
    return task


@transaction.atomic
def update_task(
    task: Task, data: dict[str, Any], *, actor: Any, expected_version: int | None
) -> Task:
    previous = Task.objects.select_for_update().get(pk=task.pk)
    if "status" in data:
        _check_transition(previous.status, data["status"])
    updated = core_services.update_object(
        task, data, actor=actor, expected_version=expected_version
    )
    _sync_deadline(updated, previous, actor=actor)
    if previous.status != updated.status:
        record_event(
            "governance.task_status",
            f"任务“{updated.title}”：{previous.get_status_display()} → {updated.get_status_display()}",
            township=updated.township,
            actor=actor,
            obj=updated,
        )
    return updated


@transaction.atomic
def delete_task(task: Task, *, actor: Any, expected_version: int | None = None) -> None:
    if deadlines.deadlines_for(task).filter(rule_code=rules.TASK.code, status="open").exists():
        deadlines.cancel_deadline(task, rules.TASK.code, actor=actor)
    core_services.delete_object(task, actor=actor, expected_version=expected_version)


# --- labels on detail pages -----------------------------------------------------------------
def pass_rate_label(training: Training) -> str:
    if training.kind not in c.TEST_KINDS:
        return "（培训不计合格率）"
    results = list(training.results.values_list("passed", flat=True))
    if not results:
        return "尚未登记成绩"
    passed = sum(1 for p in results if p)
    return f"{passed}/{len(results)} = {rate(passed, len(results))}%"


def spent_label(line: BudgetLine) -> str:
    spent = line.expenditures.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return f"{spent}（预算{line.amount}，执行率{rate(int(spent * 100), int(line.amount * 100)) or '—'}%）"


def target_progress_label(target: Target) -> str:
    from fazhi.governance import targets

    if target.metric_code in targets.SELF_REFERENTIAL:
        return "—"
    p = targets.progress(target)
    return p.describe() + (f"。⚠ {p.warning}" if p.warning else "")


# --- expected frequencies -------------------------------------------------------------------
def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


@dataclass
class Window:
    start: dt.date
    end: dt.date
    count: int

    @property
    def label(self) -> str:
        return f"{self.start:%m月%d日}—{self.end:%m月%d日}"


@dataclass
class FrequencyStatus:
    frequency: rules.Frequency
    label: str
    length: int
    source: str
    unconfirmed: bool
    windows: list[Window] = field(default_factory=list)
    warning: str = ""
    #: the window today falls in, when it is still empty and ends within the reminder days
    due_soon: Window | None = None

    @property
    def missed(self) -> list[Window]:
        return [w for w in self.windows if w.count == 0 and w.end < self.today]

    today: dt.date = dt.date.min


def frequency_status(
    township: Any, year: int, today: dt.date | None = None
) -> list[FrequencyStatus]:
    """Each expected frequency of the year: the windows with what happened in them, and a
    warning when the current window has nothing yet and ends within the reminder days (or a
    past window was missed)."""
    today = today or deadlines.today_local()
    soon = rules.FREQUENCY_LEAD_DAYS
    out: list[FrequencyStatus] = []
    for freq in rules.FREQUENCIES:
        eff = effective_rule(freq.rule.code, township)
        months = eff.length if eff.unit == "months" else max(1, round(eff.length / 30))
        model = Meeting if freq.record == "meeting" else StudySession
        dates = list(
            model.objects.filter(township=township, kind=freq.kind, held_on__year=year).values_list(
                "held_on", flat=True
            )
        )
        status = FrequencyStatus(
            frequency=freq,
            label=freq.rule.label,
            length=months,
            source=eff.source,
            unconfirmed=eff.override is None and freq.rule.unconfirmed,
            today=today,
        )
        start = dt.date(year, 1, 1)
        while start.year == year:
            end = min(_add_months(start, months), dt.date(year + 1, 1, 1)) - dt.timedelta(days=1)
            status.windows.append(Window(start, end, sum(1 for d in dates if start <= d <= end)))
            start = end + dt.timedelta(days=1)
        kind_label = (
            c.MeetingKind(freq.kind).label
            if freq.record == "meeting"
            else c.StudyKind(freq.kind).label
        )
        current = next((w for w in status.windows if w.start <= today <= w.end), None)
        if current is not None and current.count == 0 and (current.end - today).days <= soon:
            status.due_soon = current
            status.warning = (
                f"本期（{current.label}）尚无“{kind_label}”记录，距期末还有"
                f"{(current.end - today).days}日。"
            )
        elif status.missed:
            status.warning = (
                f"“{kind_label}”有{len(status.missed)}个周期没有记录："
                + "、".join(w.label for w in status.missed)
                + "。"
            )
        out.append(status)
    return out
