"""Helpers shared by the petition services: dates, the status step (lock, transition, save with
history and event), statutory deadlines, the evidence chain, receipt codes."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from fazhi.core import deadlines, scope
from fazhi.core.audit import record_change, record_event, snapshot
from fazhi.core.calendar import compute_due
from fazhi.core.choices import ChangeAction
from fazhi.core.models import Staff, Township
from fazhi.core.roles import CHANGE
from fazhi.core.rules import effective_rule
from fazhi.petitions import rules
from fazhi.petitions.choices import (
    next_status,
)
from fazhi.petitions.models import (
    Petition,
)

NUMBER_KIND = "信"
OPINION_NUMBER_KIND = "信复"
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
CODE_LENGTH = 8
REGULATION = rules.REGULATION


# --- small helpers --------------------------------------------------------------------------
def today() -> dt.date:
    return timezone.localdate()


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _staff_user(staff: Staff | None) -> Any:
    if staff is None or not staff.user_id:
        return None
    return staff.user


def _check_day(
    value: dt.date | None,
    field: str,
    label: str,
    *,
    not_before: dt.date | None = None,
    not_before_label: str = "",
) -> dt.date:
    if value is None:
        raise ValidationError({field: f"请填写{label}。"})
    if isinstance(value, dt.datetime):
        value = value.date()
    if value > today():
        raise ValidationError({field: f"{label}不能晚于今天。"})
    if not_before is not None and value < not_before:
        raise ValidationError(
            {field: f"{label}不能早于{not_before_label}（{not_before:%Y-%m-%d}）。"}
        )
    return value


def _required_text(value: str | None, field: str, label: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: f"请填写{label}。"})
    return text


def _cn(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def window_due(township: Township, rule_code: str, start: dt.date) -> dt.date:
    """The last day of a petitioner-side window (the county's override applies)."""
    effective = effective_rule(rule_code, township)
    due, _estimated = compute_due(start, effective.length, effective.unit)
    return due


def _ensure(actor: Any, action: str, obj: models.Model) -> None:
    """The scope gate for a user; `actor=None` is the system itself (demo loader, jobs,
    management commands), which is audited as "系统" and not scope-checked."""
    if actor is not None:
        scope.ensure(actor, action, obj)


@dataclass
class _Step:
    """A status change in progress: the locked row, its snapshot and the target status."""

    petition: Petition
    before: dict[str, Any]
    target: str
    actor: Any


def _begin(petition: Petition, action: str, actor: Any) -> _Step:
    _ensure(actor, CHANGE, petition)
    locked = (
        Petition.objects.select_for_update(of=("self",))
        .select_related("township")
        .get(pk=petition.pk)
    )
    target = next_status(locked.status, action)
    return _Step(locked, snapshot(locked), target, actor)


def _finish(step: _Step, kind: str, label: str, **payload: Any) -> Petition:
    p = step.petition
    p.status = step.target
    p.version += 1
    p.updated_by = _user(step.actor)
    p.full_clean()
    p.save()
    record_change(p, ChangeAction.UPDATE, step.before, snapshot(p), actor=step.actor)
    record_event(
        f"petitions.{kind}",
        f"{p.receipt_no}：{label}",
        township=p.township_id,
        actor=step.actor,
        obj=p,
        payload={"status": p.status, **payload},
    )
    return p


def _create(obj: models.Model, actor: Any) -> models.Model:
    if hasattr(obj, "created_by_id"):
        obj.created_by = obj.updated_by = _user(actor)
    obj.full_clean()
    obj.save()
    record_change(obj, ChangeAction.CREATE, None, snapshot(obj), actor=actor)
    return obj


def _save(obj: models.Model, before: dict[str, Any], actor: Any) -> models.Model:
    obj.version += 1
    if hasattr(obj, "updated_by_id"):
        obj.updated_by = _user(actor)
    obj.full_clean()
    obj.save()
    record_change(obj, ChangeAction.UPDATE, before, snapshot(obj), actor=actor)
    return obj


def _open(p: Petition, rule_code: str, start: dt.date, actor: Any) -> dt.date:
    deadline = deadlines.open_deadline(
        p,
        rule_code,
        start,
        actor=actor,
        responsible=_staff_user(p.handler),
        leader=_staff_user(p.leader),
    )
    return deadline.due_date


def _evidence(p: Petition, kind: str, content: dict[str, Any], actor: Any) -> None:
    from fazhi.core import evidence

    evidence.append(p.township_id, evidence.chain_name(p), kind, content, actor=actor)


# --- receipt code ---------------------------------------------------------------------------
def new_receipt_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str | None) -> str:
    return "".join((code or "").split()).upper().replace("-", "")


def hash_code(code: str) -> str:
    return make_password(normalise_code(code))


def code_matches(petition: Petition, code: str | None) -> bool:
    code = normalise_code(code)
    if not code or not petition.receipt_code_hash:
        return False
    return check_password(code, petition.receipt_code_hash)
