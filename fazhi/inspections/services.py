"""Verbs of enterprise inspections and special campaigns. Each runs in one transaction, checks
the scope gate, locks the row for a status change, validates (Chinese messages naming the field)
and writes change records, domain events, deadlines and evidence in the same transaction.
`actor=None` means the system (demo loader, jobs).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q

from fazhi.core import deadlines, evidence, numbering, scope
from fazhi.core.audit import record_change, record_event, snapshot
from fazhi.core.choices import ChangeAction
from fazhi.core.roles import ADD, CHANGE
from fazhi.enforcement.models import EnforcementBody, Officer
from fazhi.enforcement.services import ensure_assignable
from fazhi.inspections import choices as c
from fazhi.inspections import rules
from fazhi.inspections.models import Campaign, Enterprise, Hazard, Inspection, InspectionItem

NUMBER_KIND = "检"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the door
CODE_LENGTH = 10


# --- helpers --------------------------------------------------------------------------------
def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _save(obj: models.Model, before: dict[str, Any] | None, actor: Any) -> None:
    obj.full_clean()
    if before is not None:
        obj.version += 1
    else:
        obj.created_by = _user(actor)
    obj.updated_by = _user(actor)
    obj.save()
    action = ChangeAction.UPDATE if before is not None else ChangeAction.CREATE
    record_change(obj, action, before, snapshot(obj), actor=actor)


def _event(kind: str, label: str, obj: models.Model, actor: Any, /, **payload: Any) -> None:
    record_event(kind, label, township=obj.township_id, actor=actor, obj=obj, payload=payload)


def _lock(obj: models.Model, actor: Any, action: str = CHANGE) -> Any:
    if actor is not None:
        scope.ensure(actor, action, obj)
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def _transition(obj: Any, new: str, table: dict[str, frozenset[str]], labels: Any) -> None:
    if new not in table[obj.status]:
        raise ValidationError(
            f"当前状态为“{labels(obj.status).label}”，不能变为“{labels(new).label}”。"
        )
    obj.status = new


def chain_of(inspection: Inspection) -> str:
    return evidence.chain_name(inspection)


def new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Inspection.objects.filter(code=code).exists():
            return code


# --- frequency -----------------------------------------------------------------------------
@dataclass
class FrequencyCheck:
    """What the platform knows about an enterprise's inspections this year before a new one."""

    same_body: int  # earlier inspections this year in which the body took part
    cap: int
    bodies: list[str] = field(default_factory=list)  # every body that inspected it this year
    warnings: list[str] = field(default_factory=list)

    @property
    def over_cap(self) -> bool:
        return self.same_body + 1 > self.cap


def year_inspections(
    enterprise: Enterprise, year: int, exclude: int | None = None
) -> models.QuerySet:
    qs = Inspection.objects.filter(enterprise=enterprise, planned_on__year=year).exclude(
        status=c.InspectionStatus.CANCELLED
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs


def check_frequency(
    enterprise: Enterprise,
    body: EnforcementBody,
    joint: Sequence[EnforcementBody],
    items: Sequence[InspectionItem],
    on: dt.date,
    exclude: int | None = None,
) -> FrequencyCheck:
    """Count this year's inspections of the enterprise (a joint inspection counts once) and
    warn on the yearly cap per body, repeats and several bodies (国办发〔2024〕54号)."""
    earlier = year_inspections(enterprise, on.year, exclude)
    bodies = [body, *joint]
    township = enterprise.township
    # the province's (county's) cap in force, or an item's own lower cap
    cap = min([i.yearly_cap for i in items] + [rules.effective_value(rules.YEARLY_CAP, township)])
    repeat_at = rules.effective_value(rules.REPEAT_WARNING, township)
    multi_at = rules.effective_value(rules.MULTI_AGENCY, township)
    worst = 0
    for b in bodies:
        n = earlier.filter(Q(body=b) | Q(joint_bodies=b)).distinct().count()
        worst = max(worst, n)
    result = FrequencyCheck(same_body=worst, cap=cap)
    names = set(
        EnforcementBody.objects.filter(
            Q(inspections__in=earlier) | Q(joint_inspections__in=earlier)
        ).values_list("name", flat=True)
    )
    names.update(b.name for b in bodies)
    result.bodies = sorted(names)
    total = earlier.count()
    if result.over_cap:
        result.warnings.append(
            f"{enterprise.name}今年已被同一检查主体检查{worst}次，本次将超过年度上限{cap}次。"
        )
    elif worst >= repeat_at:
        result.warnings.append(f"{enterprise.name}今年已被同一检查主体检查{worst}次（重复检查）。")
    if len(names) > multi_at:
        result.warnings.append(
            f"{enterprise.name}今年已有{len(names)}个主体入企检查（{'、'.join(sorted(names))}），"
            "请考虑联合检查（进一次门、查多项事）。"
        )
    if total and not worst:
        result.warnings.append(f"{enterprise.name}今年已入企检查{total}次。")
    return result


# --- inspections ---------------------------------------------------------------------------
def _check_items(
    items: Sequence[InspectionItem], bodies: Sequence[EnforcementBody], on: dt.date
) -> None:
    if not items:
        raise ValidationError(
            {"check_items": "请选择检查事项（须为已公布的检查事项清单中的事项）。"}
        )
    unpublished = [
        i.name for i in items if not i.is_active or not i.published_on or i.published_on > on
    ]
    if unpublished:
        raise ValidationError(
            {"check_items": f"以下事项未在检查事项清单中公布，不得检查：{'、'.join(unpublished)}。"}
        )
    body_ids = {b.pk for b in bodies}
    foreign = [i.name for i in items if i.body_id not in body_ids]
    if foreign:
        raise ValidationError(
            {
                "check_items": f"以下事项不属于本次检查的主体，须由其主体参加联合检查：{'、'.join(foreign)}。"
            }
        )


@transaction.atomic
def plan_inspection(
    *,
    township: Any,
    enterprise: Enterprise,
    body: EnforcementBody,
    items: Sequence[InspectionItem],
    officers: Sequence[Officer],
    planned_on: dt.date,
    kind: str = c.InspectionKind.ROUTINE,
    joint_bodies: Sequence[EnforcementBody] = (),
    campaign: Campaign | None = None,
    place: str = "",
    confirm_over_cap: bool = False,
    actor: Any,
) -> Inspection:
    """Register an inspection with its code (检查码). Refused for unpublished items and without
    two certified officers; over the yearly cap it is refused unless confirmed, and then kept
    with the warning (超频次预警)."""
    township_id = getattr(township, "pk", township)
    if actor is not None:
        scope.ensure_township(actor, ADD, township_id, Inspection)
    joint = [b for b in joint_bodies if b.pk != body.pk]
    _check_items(items, [body, *joint], planned_on)
    ensure_assignable(officers, planned_on)
    freq = check_frequency(enterprise, body, joint, items, planned_on)
    if freq.over_cap and not confirm_over_cap:
        raise ValidationError(
            {"confirm_over_cap": [*freq.warnings, "如确需检查，请写明理由并勾选“确认超频次检查”。"]}
        )
    inspection = Inspection(
        township_id=township_id,
        code=new_code(),
        kind=kind,
        enterprise=enterprise,
        body=body,
        campaign=campaign,
        planned_on=planned_on,
        place=place or enterprise.address,
        warnings="\n".join(freq.warnings),
        over_cap=freq.over_cap,
    )
    _, inspection.number = numbering.next_number(township_id, NUMBER_KIND, year=planned_on.year)
    _save(inspection, None, actor)
    inspection.check_items.set(items)
    inspection.officers.set(officers)
    inspection.joint_bodies.set(joint)
    if actor is not None and not scope.visible(actor, inspection, ADD):
        raise PermissionDenied("保存后的记录超出您的权限范围，未保存。")
    _event(
        "inspections.planned",
        f"登记涉企检查{inspection.number}，检查码{inspection.code}"
        + (f"；超频次预警：{freq.warnings[0]}" if freq.over_cap else ""),
        inspection,
        actor,
        code=inspection.code,
        over_cap=freq.over_cap,
        warnings=freq.warnings,
    )
    return inspection


@transaction.atomic
def approve_inspection(
    inspection: Inspection,
    *,
    approver: str,
    approved_on: dt.date,
    emergency: bool = False,
    emergency_reason: str = "",
    actor: Any,
) -> Inspection:
    """The unit head's approval before entry; in an emergency afterwards, recorded as such."""
    locked = _lock(inspection, actor)
    before = snapshot(locked)
    _transition(locked, c.InspectionStatus.APPROVED, c.INSPECTION_TRANSITIONS, c.InspectionStatus)
    approver = (approver or "").strip()
    if not approver:
        raise ValidationError({"approver": "请填写审批负责人。"})
    if emergency and not (emergency_reason or "").strip():
        raise ValidationError({"emergency_reason": "事后补批的，须说明紧急情况。"})
    if not emergency and approved_on > locked.planned_on:
        raise ValidationError({"approved_on": "检查须事前审批；紧急情况事后补批的，请勾选并说明。"})
    locked.approver, locked.approved_on = approver, approved_on
    locked.emergency, locked.emergency_reason = emergency, emergency_reason.strip()
    _save(locked, before, actor)
    _event(
        "inspections.approved",
        f"{approver}审批同意检查" + ("（紧急情况事后补批）" if emergency else ""),
        locked,
        actor,
        emergency=emergency,
    )
    return locked


@dataclass
class HazardInput:
    description: str
    owner: str
    deadline: dt.date
    level: str = c.HazardLevel.ORDINARY


@transaction.atomic
def record_inspection(
    inspection: Inspection,
    *,
    inspected_on: dt.date,
    findings: str,
    hazards: Iterable[HazardInput] = (),
    actor: Any,
    attachments: Iterable[Any] = (),
) -> Inspection:
    """Record the visit (检查记录): findings, hazards with owner and deadline, on the evidence
    chain. An unapproved inspection may be recorded only as an emergency approved afterwards."""
    locked = _lock(inspection, actor)
    if locked.status == c.InspectionStatus.PLANNED:
        raise ValidationError("检查尚未审批，不能登记检查结果（紧急情况请先登记事后补批）。")
    if not (findings or "").strip():
        raise ValidationError({"findings": "请填写检查情况。"})
    if inspected_on < locked.planned_on - dt.timedelta(days=30):
        raise ValidationError({"inspected_on": "检查日期与计划日期相差过大，请核对。"})
    ensure_assignable(locked.officers.all(), inspected_on)
    before = snapshot(locked)
    _transition(locked, c.InspectionStatus.DONE, c.INSPECTION_TRANSITIONS, c.InspectionStatus)
    locked.inspected_on, locked.findings = inspected_on, findings.strip()
    _save(locked, before, actor)
    created = [add_hazard(locked, h, found_on=inspected_on, actor=actor) for h in hazards]
    evidence.append(
        locked.township_id,
        chain_of(locked),
        "检查记录",
        {
            "检查编号": locked.number,
            "检查码": locked.code,
            "企业": locked.enterprise.name,
            "检查日期": inspected_on,
            "检查人员": [o.name for o in locked.officers.all()],
            "检查情况": locked.findings,
            "隐患": [h.description for h in created],
        },
        actor=actor,
        attachments=attachments,
    )
    _event(
        "inspections.recorded",
        f"登记检查结果，发现隐患{len(created)}处",
        locked,
        actor,
        hazards=len(created),
    )
    return locked


def add_hazard(
    inspection: Inspection, item: HazardInput, *, found_on: dt.date, actor: Any
) -> Hazard:
    if not item.description.strip():
        raise ValidationError({"description": "请填写隐患描述。"})
    if not item.owner.strip():
        raise ValidationError({"owner": "请填写整改责任人。"})
    hazard = Hazard(
        township_id=inspection.township_id,
        inspection=inspection,
        description=item.description.strip(),
        level=item.level,
        found_on=found_on,
        owner=item.owner.strip(),
        deadline=item.deadline,
    )
    _save(hazard, None, actor)
    deadline = deadlines.open_deadline(
        hazard, rules.RECTIFICATION.code, found_on, actor=actor, label=f"隐患整改：{hazard}"
    )
    if deadline.due_date != hazard.deadline:
        before = snapshot(deadline)
        deadline.due_date = hazard.deadline
        deadline.version += 1
        deadline.save()
        record_change(deadline, ChangeAction.UPDATE, before, snapshot(deadline), actor=actor)
    _event(
        "inspections.hazard_found",
        f"下达隐患整改：{hazard}，期限{hazard.deadline:%Y-%m-%d}",
        hazard,
        actor,
    )
    return hazard


@transaction.atomic
def rectify_hazard(hazard: Hazard, *, rectified_on: dt.date, measures: str, actor: Any) -> Hazard:
    locked = _lock(hazard, actor)
    if not (measures or "").strip():
        raise ValidationError({"measures": "请填写整改措施。"})
    if rectified_on < locked.found_on:
        raise ValidationError({"rectified_on": "整改完成日期不能早于发现日期。"})
    before = snapshot(locked)
    _transition(locked, c.HazardStatus.RECTIFIED, c.HAZARD_TRANSITIONS, c.HazardStatus)
    locked.rectified_on, locked.measures = rectified_on, measures.strip()
    _save(locked, before, actor)
    deadlines.complete_deadline(locked, rules.RECTIFICATION.code, rectified_on, actor=actor)
    late = rectified_on > locked.deadline
    _event(
        "inspections.hazard_rectified",
        f"隐患{'逾期' if late else '按期'}整改完成（{rectified_on:%Y-%m-%d}）",
        locked,
        actor,
        late=late,
    )
    return locked


@transaction.atomic
def verify_hazard(
    hazard: Hazard, *, verified_on: dt.date, verified_by: str, passed: bool, actor: Any
) -> Hazard:
    """Re-inspection (复查): passed closes the hazard; failed reopens it."""
    locked = _lock(hazard, actor)
    if not (verified_by or "").strip():
        raise ValidationError({"verified_by": "请填写复查人。"})
    if locked.rectified_on and verified_on < locked.rectified_on:
        raise ValidationError({"verified_on": "复查日期不能早于整改完成日期。"})
    before = snapshot(locked)
    new = c.HazardStatus.VERIFIED if passed else c.HazardStatus.OPEN
    _transition(locked, new, c.HAZARD_TRANSITIONS, c.HazardStatus)
    locked.verified_on, locked.verified_by = verified_on, verified_by.strip()
    if not passed:
        locked.rectified_on = None
    _save(locked, before, actor)
    if not passed:
        deadlines.open_deadline(
            locked,
            rules.RECTIFICATION.code,
            verified_on,
            actor=actor,
            label=f"隐患整改（复查不合格）：{locked}",
        )
    _event(
        "inspections.hazard_verified",
        f"复查{'合格' if passed else '不合格，重新整改'}",
        locked,
        actor,
        passed=passed,
    )
    return locked


@transaction.atomic
def rate_inspection(code: str, *, rating: int, comment: str = "") -> Inspection:
    """The enterprise rates an inspection it was given the code of (portal, no login; once)."""
    inspection = Inspection.objects.select_for_update().filter(code=code.strip().upper()).first()
    if inspection is None:
        raise ValidationError({"code": "检查码不存在。"})
    if inspection.status != c.InspectionStatus.DONE:
        raise ValidationError("检查完成后才能评价。")
    if inspection.rating is not None:
        raise ValidationError("该检查已评价过。")
    if rating not in range(1, 6):
        raise ValidationError({"rating": "评价须为1至5星。"})
    before = snapshot(inspection)
    inspection.rating, inspection.rating_comment = rating, (comment or "").strip()[:200]
    _save(inspection, before, None)
    _event("inspections.rated", f"企业评价{rating}星", inspection, None, rating=rating)
    return inspection


@transaction.atomic
def cancel_inspection(inspection: Inspection, *, reason: str, actor: Any) -> Inspection:
    locked = _lock(inspection, actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写取消理由。"})
    before = snapshot(locked)
    _transition(locked, c.InspectionStatus.CANCELLED, c.INSPECTION_TRANSITIONS, c.InspectionStatus)
    _save(locked, before, actor)
    _event("inspections.cancelled", f"取消检查：{reason.strip()}", locked, actor)
    return locked
