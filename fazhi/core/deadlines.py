"""The deadline engine: running statutory periods of records, their states, and the daily sweep.

Module services call these verbs inside their own transaction, after their own scope checks on
the record (so a village mediator's service can open a deadline for a dispute of their village):

    open_deadline(petition, "petitions.handling", accepted_on, actor=user, leader=head)
    complete_deadline(petition, "petitions.handling", replied_on, actor=user)
    extend_deadline(petition, "petitions.handling", 30, DeadlineUnit.DAYS, actor=head, reason="…")
    cancel_deadline(petition, "petitions.handling", actor=user)
    pause_deadline(case, "legal.reconsideration_answer", suspended_on, actor=user, reason="…")
    resume_deadline(case, "legal.reconsideration_answer", resumed_on, actor=user, reason="…")

A paused deadline (暂停计算, e.g. while a reconsideration is suspended) is not open: it is not on
the open lists, not reminded and never overdue; resuming gives it the time it had left.

A record has at most one open deadline per rule. Every change writes a change record on the
deadline and a domain event on the record (payload names the deadline), in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from fazhi.core import jobs, scope
from fazhi.core.audit import record_change, record_event, snapshot
from fazhi.core.calendar import Calendar, compute_due
from fazhi.core.choices import (
    ChangeAction,
    DeadlineState,
    DeadlineStatus,
    DeadlineUnit,
    JobStatus,
    NotificationKind,
)
from fazhi.core.instances import build
from fazhi.core.models import Deadline, DomainEvent, Job, Notification, Township
from fazhi.core.roles import VIEW
from fazhi.core.rules import effective_rule, get_rule

SWEEP_JOB = "core.deadline_sweep"

#: status changes allowed (STYLE.md: status changes only through a transition table)
TRANSITIONS: dict[str, frozenset[str]] = {
    DeadlineStatus.OPEN: frozenset(
        {
            DeadlineStatus.DONE,
            DeadlineStatus.DONE_LATE,
            DeadlineStatus.CANCELLED,
            DeadlineStatus.PAUSED,
        }
    ),
    DeadlineStatus.PAUSED: frozenset({DeadlineStatus.OPEN, DeadlineStatus.CANCELLED}),
    DeadlineStatus.DONE: frozenset(),
    DeadlineStatus.DONE_LATE: frozenset(),
    DeadlineStatus.CANCELLED: frozenset(),
}


def _transition(deadline: Deadline, new: str) -> None:
    if new not in TRANSITIONS[deadline.status]:
        raise ValidationError(
            f"期限“{deadline.label}”当前为{deadline.get_status_display()}，"
            f"不能改为{DeadlineStatus(new).label}。"
        )
    deadline.status = new


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _township_of(obj: models.Model) -> Township:
    if isinstance(obj, Township):
        return obj
    township = getattr(obj, "township", None)
    if township is None:
        raise ValueError(f"{type(obj).__name__} has no township: deadlines belong to a township")
    return township


def _for_object(obj: models.Model, rule_code: str) -> QuerySet:
    ct = ContentType.objects.get_for_model(obj)
    return Deadline.objects.filter(content_type=ct, object_id=str(obj.pk), rule_code=rule_code)


def _locked_open(
    obj: models.Model, rule_code: str, status: str | tuple[str, ...] = DeadlineStatus.OPEN
) -> Deadline | None:
    statuses = (status,) if isinstance(status, str) else status
    return (
        _for_object(obj, rule_code)
        .select_for_update()
        .filter(status__in=statuses)
        .order_by("pk")
        .first()
    )


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _event(kind: str, label: str, deadline: Deadline, obj: Any, actor: Any, **payload: Any):
    return record_event(
        kind,
        label,
        township=deadline.township_id,
        actor=actor,
        obj=obj,
        payload={"deadline": deadline.pk, "rule_code": deadline.rule_code, **payload},
    )


def _target(deadline: Deadline) -> Any:
    """The record a deadline runs for (None if it is gone)."""
    model = deadline.content_type.model_class()
    if model is None:
        return None
    return model._base_manager.filter(pk=deadline.object_id).first()


# --- the verbs --------------------------------------------------------------------------------
def new_deadline(
    obj: Any,
    rule: Any,
    effective: Any,
    start: dt.date,
    *,
    township: Any,
    content_type: Any,
    responsible: Any,
    leader: Any = None,
    label: str | None = None,
    cal: Any = None,
    due: tuple[dt.date, bool] | None = None,
) -> Deadline:
    """The unsaved deadline of `rule` for `obj` from `start` at the length in force
    (`effective`): what `open_deadline` saves, and what the ledger imports save many at once
    (with the calendar they read once, `cal`, or the (due date, estimated) they computed for
    this start and length, `due`). Built as `Deadline(...)` builds it (`instances.build`)."""
    if due is None:
        due = compute_due(start, effective.length, effective.unit, cal=cal)
    override = effective.override
    return build(
        Deadline,
        {
            "township": township,
            "content_type": content_type,
            "override": override,
            "responsible": responsible,
            "leader": leader,
        },
        township_id=township.pk,
        rule_code=rule.code,
        label=(label or f"{obj}：{rule.label}")[:200],
        citation=rule.citation[:200],
        content_type_id=content_type.pk,
        object_id=str(obj.pk),
        start_date=start,
        length=effective.length,
        unit=effective.unit,
        override_id=override.pk if override is not None else None,
        due_date=due[0],
        calendar_unknown=due[1],
        responsible_id=responsible.pk if responsible is not None else None,
        leader_id=leader.pk if leader is not None else None,
    )


@transaction.atomic
def open_deadline(
    obj: models.Model,
    rule_code: str,
    start: dt.date | dt.datetime,
    *,
    actor: Any,
    responsible: Any = None,
    leader: Any = None,
    label: str | None = None,
) -> Deadline:
    """Start the period `rule_code` for `obj` on `start` (the day of the start event, not
    counted). The length in force for the record's township applies (county override, else
    province override, else the declared rule) and is recorded. `responsible` defaults to the
    actor; `leader` receives the escalation when the deadline is overdue."""
    rule = get_rule(rule_code)
    township = _township_of(obj)
    start = _as_date(start)
    # lock the record so two openings of the same rule for it queue behind each other
    list(type(obj)._base_manager.select_for_update().filter(pk=obj.pk).values_list("pk"))
    if (
        _for_object(obj, rule_code)
        .filter(status__in=(DeadlineStatus.OPEN, DeadlineStatus.PAUSED))
        .exists()
    ):
        raise ValidationError(f"“{obj}”已有进行中的期限：{rule.label}。")
    effective = effective_rule(rule_code, township)
    default_label = f"{obj}：{rule.label}" if not isinstance(obj, Township) else rule.label
    deadline = new_deadline(
        obj,
        rule,
        effective,
        start,
        township=township,
        content_type=ContentType.objects.get_for_model(obj),
        responsible=responsible if responsible is not None else _user(actor),
        leader=leader,
        label=label or default_label,
    )
    due, estimated = deadline.due_date, deadline.calendar_unknown
    deadline.save()
    record_change(deadline, ChangeAction.CREATE, None, snapshot(deadline), actor=actor)
    note = "（日历未覆盖，届满日为估算）" if estimated else ""
    _event(
        "core.deadline_opened",
        f"开始计算期限“{rule.label}”：{effective.length}{effective.unit_label}，"
        f"届满日{due.isoformat()}{note}",
        deadline,
        obj,
        actor,
        start=start,
        length=effective.length,
        unit=effective.unit,
        due=due,
        estimated=estimated,
        override=effective.override.pk if effective.override else None,
        source=effective.source,
    )
    return deadline


@transaction.atomic
def complete_deadline(
    obj: models.Model, rule_code: str, on: dt.date | dt.datetime, *, actor: Any
) -> Deadline | None:
    """Close the open deadline of `rule_code` for `obj` as done on `on`: 按期完成 when on or
    before the due date, else 逾期完成. Returns None when no such deadline is open."""
    deadline = _locked_open(obj, rule_code)
    if deadline is None:
        return None
    on = _as_date(on)
    if on < deadline.start_date:
        raise ValidationError({"completed_on": "完成日期不能早于起算日。"})
    before = snapshot(deadline)
    late = on > deadline.due_date
    _transition(deadline, DeadlineStatus.DONE_LATE if late else DeadlineStatus.DONE)
    deadline.completed_on = on
    deadline.version += 1
    deadline.save()
    record_change(deadline, ChangeAction.UPDATE, before, snapshot(deadline), actor=actor)
    _event(
        "core.deadline_done_late" if late else "core.deadline_done",
        f"“{get_rule(rule_code).label}”{'逾期' if late else '按期'}完成（{on.isoformat()}，"
        f"届满日{deadline.due_date.isoformat()}）",
        deadline,
        obj,
        actor,
        completed_on=on,
        due=deadline.due_date,
    )
    return deadline


@transaction.atomic
def cancel_deadline(obj: models.Model, rule_code: str, *, actor: Any) -> None:
    """Withdraw the open (or paused) deadline of `rule_code` for `obj` (the step no longer
    applies)."""
    deadline = _locked_open(obj, rule_code, (DeadlineStatus.OPEN, DeadlineStatus.PAUSED))
    if deadline is None:
        return
    before = snapshot(deadline)
    _transition(deadline, DeadlineStatus.CANCELLED)
    deadline.version += 1
    deadline.save()
    record_change(deadline, ChangeAction.UPDATE, before, snapshot(deadline), actor=actor)
    _event(
        "core.deadline_cancelled",
        f"撤销期限“{get_rule(rule_code).label}”",
        deadline,
        obj,
        actor,
    )


@transaction.atomic
def extend_deadline(
    obj: models.Model, rule_code: str, extra: int, unit: str, *, actor: Any, reason: str
) -> Deadline:
    """Extend the open deadline by `extra` `unit`, counted from its current due date (the
    approval the law requires, e.g. 信访工作条例 第三十四条, is the calling service's job)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写延期理由。"})
    if not isinstance(extra, int) or extra <= 0:
        raise ValidationError({"extra": "延长期限须为正整数。"})
    if unit not in DeadlineUnit.values:
        raise ValidationError({"unit": "请选择延长期限的单位。"})
    deadline = _locked_open(obj, rule_code)
    if deadline is None:
        raise ValidationError(f"“{obj}”没有进行中的期限：{get_rule(rule_code).label}，无法延期。")
    before = snapshot(deadline)
    old_due = deadline.due_date
    new_due, estimated = compute_due(old_due, extra, unit)
    deadline.due_date = new_due
    deadline.reminded_on = deadline.escalated_on = None  # the new due date is reminded again
    deadline.calendar_unknown = deadline.calendar_unknown or estimated
    deadline.version += 1
    deadline.save()
    record_change(deadline, ChangeAction.UPDATE, before, snapshot(deadline), actor=actor)
    _event(
        "core.deadline_extended",
        f"“{get_rule(rule_code).label}”延长{extra}{DeadlineUnit(unit).label}，"
        f"届满日由{old_due.isoformat()}改为{new_due.isoformat()}；理由：{reason}",
        deadline,
        obj,
        actor,
        extra=extra,
        unit=unit,
        reason=reason,
        before=old_due,
        after=new_due,
    )
    return deadline


def _left(deadline: Deadline, on: dt.date) -> int:
    """The period's units still to run after `on` (working days for a working-day period, else
    calendar days); 0 when it had run out."""
    if on >= deadline.due_date:
        return 0
    if deadline.unit != DeadlineUnit.WORKING_DAYS:
        return (deadline.due_date - on).days
    cal = Calendar()
    day, n = on, 0
    while day < deadline.due_date:
        day += dt.timedelta(days=1)
        n += cal.day(day)[0]
    return n


@transaction.atomic
def pause_deadline(
    obj: models.Model, rule_code: str, on: dt.date | dt.datetime, *, actor: Any, reason: str
) -> Deadline:
    """Stop the open deadline of `rule_code` on `on` (the day counts as run): it leaves the open
    lists, is neither reminded nor overdue, and keeps the time it had left for `resume_deadline`.
    The law that stops it (e.g. 行政复议中止) is the calling service's to cite in `reason`."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写暂停计算的理由。"})
    deadline = _locked_open(obj, rule_code)
    if deadline is None:
        raise ValidationError(
            f"“{obj}”没有进行中的期限：{get_rule(rule_code).label}，无法暂停计算。"
        )
    on = _as_date(on)
    if on < deadline.start_date:
        raise ValidationError({"on": "暂停计算日不能早于起算日。"})
    before = snapshot(deadline)
    _transition(deadline, DeadlineStatus.PAUSED)
    deadline.paused_on = on
    deadline.version += 1
    deadline.save()
    record_change(deadline, ChangeAction.UPDATE, before, snapshot(deadline), actor=actor)
    left = _left(deadline, on)
    _event(
        "core.deadline_paused",
        f"“{get_rule(rule_code).label}”自{on.isoformat()}暂停计算（届满日{deadline.due_date.isoformat()}，"
        f"尚余{left}{DeadlineUnit(deadline.unit).label if deadline.unit == DeadlineUnit.WORKING_DAYS else '日'}）；"
        f"理由：{reason}",
        deadline,
        obj,
        actor,
        on=on,
        due=deadline.due_date,
        left=left,
        reason=reason,
    )
    return deadline


@transaction.atomic
def resume_deadline(
    obj: models.Model, rule_code: str, on: dt.date | dt.datetime, *, actor: Any, reason: str
) -> Deadline:
    """Restart the paused deadline of `rule_code` on `on`: the time it had left when paused runs
    again from `on` (the day itself not counted), so the days paused do not count. A deadline
    that had already run out when paused keeps its due date (still overdue)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写恢复计算的理由。"})
    deadline = _locked_open(obj, rule_code, DeadlineStatus.PAUSED)
    if deadline is None:
        raise ValidationError(
            f"“{obj}”没有暂停计算的期限：{get_rule(rule_code).label}，无法恢复计算。"
        )
    on = _as_date(on)
    paused_on = deadline.paused_on or on
    if on < paused_on:
        raise ValidationError({"on": "恢复计算日不能早于暂停计算日。"})
    before = snapshot(deadline)
    old_due = deadline.due_date
    left = _left(deadline, paused_on)
    if left:
        unit = (
            DeadlineUnit.WORKING_DAYS
            if deadline.unit == DeadlineUnit.WORKING_DAYS
            else DeadlineUnit.DAYS
        )
        new_due, estimated = compute_due(on, left, unit)
        deadline.due_date = new_due
        deadline.calendar_unknown = deadline.calendar_unknown or estimated
        deadline.reminded_on = deadline.escalated_on = None  # the new due date is reminded again
    _transition(deadline, DeadlineStatus.OPEN)
    deadline.paused_on = None
    deadline.version += 1
    deadline.save()
    record_change(deadline, ChangeAction.UPDATE, before, snapshot(deadline), actor=actor)
    _event(
        "core.deadline_resumed",
        f"“{get_rule(rule_code).label}”自{on.isoformat()}恢复计算（{paused_on.isoformat()}起暂停"
        f"{(on - paused_on).days}日不计入），届满日由{old_due.isoformat()}改为"
        f"{deadline.due_date.isoformat()}；理由：{reason}",
        deadline,
        obj,
        actor,
        on=on,
        paused_on=paused_on,
        left=left,
        before=old_due,
        after=deadline.due_date,
        reason=reason,
    )
    return deadline


# --- reading ----------------------------------------------------------------------------------
def today_local() -> dt.date:
    return timezone.localdate()


def due_soon_days() -> int:
    return int(settings.FAZHI_DEADLINE_DUE_SOON_DAYS)


def deadline_state(deadline: Deadline, today: dt.date | None = None) -> DeadlineState:
    """What a user sees: the closed status, or for an open deadline on time / due soon (within
    FAZHI_DEADLINE_DUE_SOON_DAYS days, the due day included) / overdue."""
    if deadline.status == DeadlineStatus.DONE:
        return DeadlineState.DONE
    if deadline.status == DeadlineStatus.DONE_LATE:
        return DeadlineState.DONE_LATE
    if deadline.status == DeadlineStatus.CANCELLED:
        return DeadlineState.CANCELLED
    if deadline.status == DeadlineStatus.PAUSED:
        return DeadlineState.PAUSED
    today = today or today_local()
    if today > deadline.due_date:
        return DeadlineState.OVERDUE
    if (deadline.due_date - today).days <= due_soon_days():
        return DeadlineState.DUE_SOON
    return DeadlineState.ON_TIME


def state_q(state: str, today: dt.date | None = None) -> Q:
    """The rows of a computed state, as a filter (for lists and counts)."""
    today = today or today_local()
    soon = today + dt.timedelta(days=due_soon_days())
    open_ = Q(status=DeadlineStatus.OPEN)
    return {
        DeadlineState.OVERDUE: open_ & Q(due_date__lt=today),
        DeadlineState.DUE_SOON: open_ & Q(due_date__gte=today, due_date__lte=soon),
        DeadlineState.ON_TIME: open_ & Q(due_date__gt=soon),
        DeadlineState.DONE: Q(status=DeadlineStatus.DONE),
        DeadlineState.DONE_LATE: Q(status=DeadlineStatus.DONE_LATE),
        DeadlineState.CANCELLED: Q(status=DeadlineStatus.CANCELLED),
        DeadlineState.PAUSED: Q(status=DeadlineStatus.PAUSED),
        "open": open_,
    }.get(state, Q())


def deadlines_for(obj: models.Model) -> QuerySet:
    """All deadlines of a record (for its page; the caller has checked the record's scope)."""
    ct = ContentType.objects.get_for_model(obj)
    return Deadline.objects.filter(content_type=ct, object_id=str(obj.pk)).order_by(
        "due_date", "pk"
    )


def my_deadlines(
    user: Any, *, state: str = "open", mine_only: bool = False, today: dt.date | None = None
) -> QuerySet:
    """Deadlines where `user` is responsible or leader, plus every deadline of the townships
    the user covers township-wide (operators, admins, viewers, the county) unless `mine_only`;
    always inside the scope gate. Overdue first, then due soon, then by due date."""
    today = today or today_local()
    soon = today + dt.timedelta(days=due_soon_days())
    qs = Deadline.objects.visible_to(user, VIEW)
    mine = Q(responsible=user) | Q(leader=user)
    if mine_only:
        qs = qs.filter(mine)
    else:
        grant = scope.grant(user, VIEW, Deadline)
        if not grant.everything:
            qs = qs.filter(mine | Q(township_id__in=grant.townships))
    if state:
        qs = qs.filter(state_q(state, today))
    rank = Case(
        When(status=DeadlineStatus.OPEN, due_date__lt=today, then=Value(0)),
        When(status=DeadlineStatus.OPEN, due_date__lte=soon, then=Value(1)),
        When(status=DeadlineStatus.OPEN, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return (
        qs.annotate(state_rank=rank)
        .select_related("township", "responsible", "leader", "override", "override__county")
        .order_by("state_rank", "due_date", "pk")
    )


def object_url(deadline: Deadline) -> str:
    """The page of the record a deadline runs for, when the record type has one."""
    from fazhi.core import resources

    model = deadline.content_type.model_class()
    resource = resources.for_model(model) if model is not None else None
    if resource is not None:
        try:
            return reverse(
                f"{resource.app_label}:{resource.slug}_detail", args=[deadline.object_id]
            )
        except NoReverseMatch:
            pass
    if model is Township:
        return reverse("core:township", args=[deadline.object_id])
    return ""


def _filed(deadline: Deadline) -> dict[str, Any]:
    """Where a deadline's events are filed (`_event`): its record's, under its township (the
    events' index leads with the township)."""
    return {
        "township_id": deadline.township_id,
        "content_type_id": deadline.content_type_id,
        "object_id": deadline.object_id,
    }


def deadline_events(deadline: Deadline) -> QuerySet:
    return DomainEvent.objects.filter(
        **_filed(deadline),
        kind__startswith="core.deadline_",
        payload__deadline=deadline.pk,
    ).order_by("at", "pk")


# --- recomputation after the calendar of a year is entered ----------------------------------
def refresh_estimated(*, actor: Any) -> int:
    """Recompute the open deadlines whose due date was estimated (calendar unknown), replaying
    their extensions; called after an administrator enters holidays or confirms a year.
    Returns how many changed."""
    changed = 0
    for pk in Deadline.objects.filter(
        status=DeadlineStatus.OPEN, calendar_unknown=True
    ).values_list("pk", flat=True):
        with transaction.atomic():
            deadline = (
                Deadline.objects.select_for_update()
                .filter(pk=pk, status=DeadlineStatus.OPEN)
                .first()
            )
            if deadline is None:
                continue
            due, estimated = compute_due(deadline.start_date, deadline.length, deadline.unit)
            for event in DomainEvent.objects.filter(
                **_filed(deadline),
                kind="core.deadline_extended",
                payload__deadline=deadline.pk,
            ).order_by("at", "pk"):
                due, more = compute_due(due, int(event.payload["extra"]), event.payload["unit"])
                estimated = estimated or more
            if due == deadline.due_date and estimated == deadline.calendar_unknown:
                continue
            before = snapshot(deadline)
            old_due = deadline.due_date
            deadline.due_date = due
            deadline.calendar_unknown = estimated
            deadline.version += 1
            deadline.save()
            record_change(deadline, ChangeAction.UPDATE, before, snapshot(deadline), actor=actor)
            _event(
                "core.deadline_recomputed",
                f"节假日安排录入后重新计算“{deadline.label}”：届满日{old_due.isoformat()}→"
                f"{due.isoformat()}{'（仍为估算）' if estimated else ''}",
                deadline,
                _target(deadline),
                actor,
                before=old_due,
                after=due,
                estimated=estimated,
            )
            changed += 1
    return changed


# --- notifications ----------------------------------------------------------------------------
def _notify(user: Any, deadline: Deadline, kind: str, text: str) -> bool:
    """One notification per (user, deadline, kind, due date): an extended deadline reminds again.
    True when it was created now."""
    if user is None or not user.is_active or not scope.visible(user, deadline, VIEW):
        return False
    _, created = Notification.objects.get_or_create(
        user=user,
        deadline=deadline,
        kind=kind,
        due_date=deadline.due_date,
        defaults={
            "township_id": deadline.township_id,
            "text": text[:300],
            "url": reverse("core:deadline_detail", args=[deadline.pk]),
        },
    )
    return created


@transaction.atomic
def mark_read(user: Any, notification_ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when no ids are given)."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())


def _cn(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def sweep(today: dt.date | None = None) -> dict[str, int]:
    """The daily pass over open deadlines: due soon → a reminder to the responsible person;
    overdue → a notice to the responsible person and an escalation to the leader. Each at most
    once per deadline (the notification table is unique per user, deadline and kind), so running
    it again the same day, or twice, changes nothing. Returns counts."""
    today = today or today_local()
    soon = today + dt.timedelta(days=due_soon_days())
    counts = {"checked": 0, "reminders": 0, "overdue": 0, "escalations": 0}
    candidates = Deadline.objects.filter(status=DeadlineStatus.OPEN).filter(
        Q(due_date__lt=today, escalated_on__isnull=True)
        | Q(due_date__gte=today, due_date__lte=soon, reminded_on__isnull=True)
    )
    for pk in candidates.order_by("due_date", "pk").values_list("pk", flat=True):
        with transaction.atomic():
            deadline = (
                Deadline.objects.select_for_update(of=("self",))
                .select_related("responsible", "leader")
                .filter(pk=pk, status=DeadlineStatus.OPEN)
                .first()
            )
            if deadline is None:
                continue
            counts["checked"] += 1
            state = deadline_state(deadline, today)
            estimated = "（届满日为估算）" if deadline.calendar_unknown else ""
            if state == DeadlineState.DUE_SOON and deadline.reminded_on is None:
                left = (deadline.due_date - today).days
                when = "今天到期" if left == 0 else f"还有{left}天到期"
                if _notify(
                    deadline.responsible,
                    deadline,
                    NotificationKind.REMINDER,
                    f"即将到期：{deadline.label}，{when}（届满日{_cn(deadline.due_date)}{estimated}；"
                    f"依据{deadline.citation}）",
                ):
                    counts["reminders"] += 1
                deadline.reminded_on = today
                deadline.save(update_fields=["reminded_on", "updated_at"])
            elif state == DeadlineState.OVERDUE and deadline.escalated_on is None:
                late = (today - deadline.due_date).days
                text = (
                    f"已逾期{late}天：{deadline.label}（届满日{_cn(deadline.due_date)}{estimated}；"
                    f"依据{deadline.citation}）"
                )
                if _notify(deadline.responsible, deadline, NotificationKind.OVERDUE, text):
                    counts["overdue"] += 1
                who = deadline.responsible
                who_name = (who.get_full_name() or who.get_username()) if who else "未指定"
                if _notify(
                    deadline.leader,
                    deadline,
                    NotificationKind.ESCALATION,
                    f"逾期督办：{text}，责任人{who_name}",
                ):
                    counts["escalations"] += 1
                deadline.escalated_on = today
                deadline.save(update_fields=["escalated_on", "updated_at"])
                _event(
                    "core.deadline_overdue",
                    f"期限“{deadline.label}”已逾期，已提醒责任人并报督办领导",
                    deadline,
                    _target(deadline),
                    None,
                    due=deadline.due_date,
                    on=today,
                )
    return counts


# --- the job ----------------------------------------------------------------------------------
def schedule_daily_sweep(now: dt.datetime | None = None) -> Job:
    """Make sure one daily sweep is queued (for 06:00 tomorrow, local time); the job queues the
    next one when it runs, so `run_jobs` alone keeps the sweep going without cron."""
    queued = Job.objects.filter(kind=SWEEP_JOB, status=JobStatus.QUEUED, params__daily=True).first()
    if queued is not None:
        return queued
    now = timezone.localtime(now or timezone.now())
    run_after = (now + dt.timedelta(days=1)).replace(hour=6, minute=0, second=0, microsecond=0)
    return jobs.enqueue(SWEEP_JOB, params={"daily": True}, run_after=run_after)


jobs.daily(SWEEP_JOB, dt.time(6, 0))


@jobs.handler(SWEEP_JOB, "期限巡检")
def _run_sweep(job: Job) -> dict[str, Any]:
    today = job.params.get("today")
    jobs.step(job, 0, message="开始期限巡检")
    result: dict[str, Any] = dict(sweep(dt.date.fromisoformat(today) if today else None))
    jobs.step(job, result["checked"], result["checked"], message=f"巡检完成：{result}")
    if job.params.get("daily"):
        result["next"] = str(schedule_daily_sweep().pk)
    return result
