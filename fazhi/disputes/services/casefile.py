"""The case file's completeness and archiving (第二十七条), backlog cases (积案) and trainings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.core.audit import snapshot
from fazhi.core.roles import CHANGE
from fazhi.disputes import choices as c
from fazhi.disputes.models import (
    BacklogCase,
    Dispute,
    MediationAgreement,
    MediatorTraining,
)
from fazhi.disputes.services._common import (
    _create_object,
    _ensure,
    _event,
    _lock,
    _not_before,
    _save,
)

# --- file completeness and archiving --------------------------------------------------------
FILE_ITEMS = (
    ("registration", "调解登记"),
    ("record", "调解记录"),
    ("agreement", "调解协议书"),
    ("follow_up", "回访记录"),
)


def dispute_file(dispute: Dispute) -> list[tuple[str, str, bool | None]]:
    """The case file (第二十七条): (item, label, present — None when not applicable)."""
    succeeded = dispute.status == c.DisputeStatus.SUCCEEDED
    mediated = dispute.accepted_on is not None
    return [
        ("registration", "调解登记", bool(dispute.number)),
        ("record", "调解记录", dispute.sessions.exists() if mediated else None),
        (
            "agreement",
            "调解协议书",
            MediationAgreement.objects.filter(dispute=dispute).exists() if succeeded else None,
        ),
        ("follow_up", "回访记录", dispute.follow_ups.exists() if succeeded else None),
    ]


def missing_items(items: Iterable[tuple[str, str, bool | None]]) -> list[str]:
    return [label for _, label, present in items if present is False]


@transaction.atomic
def archive_dispute(dispute: Dispute, *, on: dt.date, actor: Any) -> Dispute:
    _ensure(actor, CHANGE, dispute)
    locked = _lock(dispute)
    if locked.is_open:
        raise ValidationError("未办结的纠纷不能归档。")
    if locked.archived_on:
        raise ValidationError("该纠纷已归档。")
    missing = missing_items(dispute_file(locked))
    if missing:
        raise ValidationError(
            f"卷宗不完整，缺少：{'、'.join(missing)}（《人民调解法》第二十七条）。"
        )
    _not_before(on, locked.concluded_on, "archived_on", "办结日期")
    before = snapshot(locked)
    locked.archived_on = on
    _save(locked, before, actor)
    _event("disputes.archived", f"{locked.number}归档", locked, actor, on=on)
    return locked


def backlog_file(case: BacklogCase) -> list[tuple[str, str, bool | None]]:
    """The backlog file: the linked dispute's records count, else the clerk's checklist."""
    d = case.dispute if case.dispute_id else None
    return [
        ("registration", "登记", case.has_registration or d is not None),
        ("record", "记录", case.has_record or (d is not None and d.sessions.exists())),
        (
            "agreement",
            "协议书",
            case.has_agreement
            or (d is not None and MediationAgreement.objects.filter(dispute=d).exists()),
        ),
        ("follow_up", "回访", case.has_follow_up or (d is not None and d.follow_ups.exists())),
    ]


@transaction.atomic
def create_backlog(model: type[BacklogCase], data: dict[str, Any], *, actor: Any) -> BacklogCase:
    case = _create_object(model, data, actor=actor)
    _event(
        "disputes.backlog_collected",
        f"积案登记：{case.title}（{case.get_intake_display()}）",
        case,
        actor,
    )
    return case


@transaction.atomic
def resolve_backlog(
    case: BacklogCase, *, how: str, on: dt.date, note: str, actor: Any
) -> BacklogCase:
    """积案化解: on site (at the 座谈会/动员会) or by visits (走访下访)."""
    _ensure(actor, CHANGE, case)
    locked = BacklogCase.objects.select_for_update().get(pk=case.pk)
    if how not in c.BacklogResolution.values:
        raise ValidationError({"how": "请选择化解方式（现场化解或走访下访化解）。"})
    if c.BacklogStatus.RESOLVED not in c.BACKLOG_TRANSITIONS[locked.status]:
        raise ValidationError(
            {"how": f"积案当前为“{locked.get_status_display()}”，不能再登记化解。"}
        )
    _not_before(on, locked.collected_on, "resolved_on", "收理日期")
    if not (note or "").strip():
        raise ValidationError({"note": "请填写化解情况。"})
    before = snapshot(locked)
    locked.status = c.BacklogStatus.RESOLVED
    locked.resolution = how
    locked.resolved_on = on
    locked.resolution_note = note.strip()
    _save(locked, before, actor)
    _event(
        "disputes.backlog_resolved",
        f"积案化解：{locked.title}（{c.BacklogResolution(how).label}）",
        locked,
        actor,
        how=how,
        on=on,
    )
    return locked


@transaction.atomic
def archive_backlog(case: BacklogCase, *, on: dt.date, actor: Any) -> BacklogCase:
    """积案归档, after the completeness check of its file (登记, 记录, 协议书, 回访)."""
    _ensure(actor, CHANGE, case)
    locked = BacklogCase.objects.select_for_update().get(pk=case.pk)
    if c.BacklogStatus.ARCHIVED not in c.BACKLOG_TRANSITIONS[locked.status]:
        raise ValidationError(f"积案当前为“{locked.get_status_display()}”，化解后才能归档。")
    missing = missing_items(backlog_file(locked))
    if missing:
        raise ValidationError(f"卷宗不完整，缺少：{'、'.join(missing)}，不能归档。")
    _not_before(on, locked.resolved_on, "archived_on", "化解日期")
    before = snapshot(locked)
    locked.status = c.BacklogStatus.ARCHIVED
    locked.archived_on = on
    _save(locked, before, actor)
    _event("disputes.backlog_archived", f"积案归档：{locked.title}", locked, actor, on=on)
    return locked


# --- trainings ------------------------------------------------------------------------------
@transaction.atomic
def create_training(
    model: type[MediatorTraining], data: dict[str, Any], *, actor: Any
) -> MediatorTraining:
    training = _create_object(model, data, actor=actor)
    _event(
        "disputes.training_held",
        f"调解员培训：{training.topic}（{training.held_on:%Y-%m-%d}，{training.participants}人）",
        training,
        actor,
    )
    return training
