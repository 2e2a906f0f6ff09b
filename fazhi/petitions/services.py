"""The verbs of the petition loop. Each runs in one transaction, locks the petition for a status
change, checks the scope gate and the transition table, validates (Chinese messages naming the
field), saves, writes the change record and a domain event, and opens / completes / extends the
statutory deadlines through `core.deadlines`.

登记 → 受理/告知 (15日) | 不予受理 | 异议 (转送、交办: 5个工作日) → 办理 (60日, 延期≤30日)
→ 处理意见书 → 送达 → 满意度评价 → 复查 (30日内申请, 30日内答复) → 复核 (同) → 终结;
导入法定途径 closes the petition; 三级化解 escalations and transfers to mediation are recorded.

Petitioner-side windows (复查/复核 申请期限, 评价期限) are rights of the petitioner, not duties of
staff, so they are computed with the same rules and calendar and stored on the petition instead
of running as staff deadlines (which would raise overdue alarms when a petitioner stays silent).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from fazhi.core import deadlines, evidence_display, scope
from fazhi.core import services as core_services
from fazhi.core.audit import record_change, record_event, snapshot
from fazhi.core.calendar import compute_due
from fazhi.core.choices import ChangeAction
from fazhi.core.models import Staff, Township
from fazhi.core.numbering import claim_number, next_number, taken_in
from fazhi.core.roles import ADD, CHANGE
from fazhi.core.rules import effective_rule
from fazhi.petitions import rules
from fazhi.petitions.choices import (
    RATABLE,
    Action,
    BacklogStatus,
    Level,
    NotAcceptedReason,
    OpinionLevel,
    Outcome,
    PartyRole,
    RatingChannel,
    Satisfaction,
    ServiceMethod,
    Source,
    Status,
    TransferKind,
    next_status,
)
from fazhi.petitions.models import (
    MAX_REPRESENTATIVES,
    BacklogCase,
    BacklogProgress,
    Petition,
    PetitionOpinion,
    PetitionParty,
    PetitionTransfer,
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


# --- parties --------------------------------------------------------------------------------
@dataclass(frozen=True)
class PartyInput:
    """A petitioner or representative as typed at the counter (resolved via the party index)."""

    name: str
    id_number: str = ""
    phone: str = ""
    kind: str = "person"
    address: str = ""


def resolve_party(township: Township, person: Any, *, actor: Any) -> Any:
    """A Party of the township: given, or found / created in the party index."""
    from fazhi.parties.models import Party

    if isinstance(person, Party):
        if person.township_id != township.pk:
            raise ValidationError({"petitioner": "信访人不属于该乡镇的当事人名录。"})
        return person.root() if person.merged_into_id else person
    if isinstance(person, dict):
        person = PartyInput(**person)
    from fazhi.parties.services import find_or_create_party

    name = (person.name or "").strip()
    if not name:
        raise ValidationError({"petitioner": "请填写信访人姓名(名称)。"})
    return find_or_create_party(
        township,
        name=name,
        id_number=person.id_number or "",
        phone=person.phone or "",
        kind=person.kind or "person",
        address=person.address or "",
        actor=actor,
    )


def _party_ids(party: Any) -> list[int]:
    return party.family_ids() if hasattr(party, "family_ids") else [party.pk]


def _normalise_subject(text: str) -> str:
    return "".join((text or "").split())


def find_same_matter(
    township: Township,
    party: Any,
    *,
    category: str,
    subject: str,
    exclude_pk: int | None = None,
) -> Petition | None:
    """The latest earlier petition of the same petitioner (or an alias) on the same matter: same
    category and the same summary (spaces ignored). Clerks link other repeats by hand."""
    ids = _party_ids(party)
    wanted = _normalise_subject(subject)
    candidates = (
        Petition.objects.filter(township=township, category=category)
        .filter(models.Q(petitioner_id__in=ids) | models.Q(party_links__party_id__in=ids))
        .exclude(pk=exclude_pk)
        .distinct()
        .order_by("-received_on", "-pk")
    )
    for candidate in candidates:
        if _normalise_subject(candidate.subject) == wanted:
            return candidate
    return None


def concluded_after_recheck(petition: Petition) -> Petition | None:
    """An earlier petition on the same matter whose 复核 has concluded (条例第三十六条), if any."""
    seen: set[int] = set()
    current = petition.same_matter_as
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        if (
            current.status == Status.CLOSED
            and current.opinions.filter(level=OpinionLevel.RECHECK).exists()
        ):
            return current
        current = current.same_matter_as
    return None


def repeat_refusal_reason(petition: Petition) -> str:
    """The refusal text when the same claim was concluded by 复核, else ""."""
    prior = concluded_after_recheck(petition)
    if prior is None:
        return ""
    recheck = prior.opinions.filter(level=OpinionLevel.RECHECK).first()
    when = _cn(recheck.served_on or recheck.issued_on) if recheck else _cn(prior.closed_on)
    return (
        f"信访人就同一事项提出的信访（{prior.receipt_no}）已经复核终结"
        f"（复核意见由{recheck.issued_by if recheck else '复核机关'}于{when}作出），"
        f"依据{REGULATION}第三十六条，信访人以同一事实和理由提出的信访请求不再受理。"
    )


# --- 登记 -------------------------------------------------------------------------------------
@transaction.atomic
def register_petition(
    township: Township,
    *,
    actor: Any,
    channel: str,
    received_on: dt.date,
    petitioner: Any,
    subject: str,
    content: str,
    representatives: Sequence[Any] = (),
    category: str = "other",
    source: str = Source.DIRECT,
    forwarded_by: str = "",
    forwarded_no: str = "",
    is_group: bool = False,
    visitor_count: int | None = None,
    village: Any = None,
    department: Any = None,
    handler: Any = None,
    leader: Any = None,
    reception: Any = None,
    same_matter_as: Petition | None = None,
    level: str = Level.TOWNSHIP,
    receipt_no: str = "",
) -> tuple[Petition, str]:
    """Register a petition (条例第二十二、二十三条) and start its acceptance period.

    Returns (petition, receipt code). The code is printed on the receipt and stored only as a
    hash; the petitioner uses it with the receipt number on the public portal.
    `receipt_no` keeps a ledger number when importing an existing ledger.
    """
    if actor is not None:
        scope.ensure_township(actor, ADD, township.pk, Petition)
    received_on = _check_day(received_on, "received_on", "收到日期")
    main = resolve_party(township, petitioner, actor=actor)
    others = []
    for person in representatives:
        party = resolve_party(township, person, actor=actor)
        if party.pk != main.pk and party.pk not in {o.pk for o in others}:
            others.append(party)
    if is_group and 1 + len(others) > MAX_REPRESENTATIVES:
        raise ValidationError(
            {
                "representatives": (
                    f"集体访应当推选代表，代表人数不超过{MAX_REPRESENTATIVES}人"
                    f"（{REGULATION}第十九条），当前登记了{1 + len(others)}人。"
                )
            }
        )
    if visitor_count is None:
        visitor_count = max(1, 1 + len(others)) if is_group else 1
    if same_matter_as is None:
        same_matter_as = find_same_matter(township, main, category=category, subject=subject)
    year = received_on.year
    if receipt_no:
        receipt_no = receipt_no.strip()
        if Petition.objects.filter(township=township, receipt_no=receipt_no).exists():
            raise ValidationError({"receipt_no": f"登记编号“{receipt_no}”已存在。"})
        seq = claim_number(township, NUMBER_KIND, receipt_no) or 0
    else:
        seq, receipt_no = next_number(
            township, NUMBER_KIND, year=year, taken=taken_in(Petition, "receipt_no", township)
        )
    code = new_receipt_code()
    p = Petition(
        township=township,
        receipt_no=receipt_no,
        receipt_seq=seq,
        year=year,
        receipt_code_hash=hash_code(code),
        channel=channel,
        source=source,
        forwarded_by=forwarded_by or "",
        forwarded_no=forwarded_no or "",
        received_on=received_on,
        petitioner=main,
        is_group=bool(is_group),
        visitor_count=visitor_count,
        village=village,
        category=category or "other",
        subject=(subject or "").strip(),
        content=(content or "").strip(),
        level=level,
        department=department,
        handler=handler,
        leader=leader,
        reception=reception,
        same_matter_as=same_matter_as,
    )
    p.acceptance_due_on = window_due(township, rules.ACCEPTANCE_NOTICE.code, received_on)
    if source in (Source.FORWARDED, Source.ASSIGNED):
        p.objection_due_on = window_due(township, rules.OBJECTION.code, received_on)
    _create(p, actor)
    for party in others:
        _create(
            PetitionParty(
                township=township,
                petition=p,
                party=party,
                role=PartyRole.REPRESENTATIVE if is_group else PartyRole.CO_PETITIONER,
            ),
            actor,
        )
    if actor is not None and not scope.visible(actor, p, ADD):
        raise PermissionDenied("登记的信访事项超出您的权限范围（请检查涉及村），未保存。")
    dues = (p.acceptance_due_on, p.objection_due_on)
    p.acceptance_due_on = _open(p, rules.ACCEPTANCE_NOTICE.code, received_on, actor)
    if p.objection_due_on:
        p.objection_due_on = _open(p, rules.OBJECTION.code, received_on, actor)
    if dues != (p.acceptance_due_on, p.objection_due_on):  # a county override since computed
        Petition.objects.filter(pk=p.pk).update(
            acceptance_due_on=p.acceptance_due_on, objection_due_on=p.objection_due_on
        )
    record_event(
        "petitions.registered",
        f"登记信访事项{receipt_no}（{p.get_channel_display()}，{p.get_source_display()}）",
        township=township,
        actor=actor,
        obj=p,
        payload={
            "channel": channel,
            "source": source,
            "received_on": received_on,
            "is_group": p.is_group,
            "parties": [main.pk, *[o.pk for o in others]],
            "same_matter_as": same_matter_as.pk if same_matter_as else None,
        },
    )
    return p, code


def create_from_resource(model: type[Petition], data: dict[str, Any], *, actor: Any) -> Petition:
    """The `create` hook of the generic pages, API and Excel import."""
    data = dict(data)
    township = data.pop("township", None)
    if township is None:
        raise ValidationError({"township": "请选择乡镇。"})
    petitioner = data.pop("petitioner", None)
    person = data.pop("petitioner_input", None)
    representatives = data.pop("representatives", ())
    if petitioner is None and person is None:
        raise ValidationError({"petitioner": "请选择或填写信访人。"})
    if data.pop("status", None) not in (None, "", Status.REGISTERED):
        raise ValidationError(
            {"status": "新登记的信访事项状态为“已登记”；补录已办理的历史事项请使用“导入信访台账”。"}
        )
    allowed = {
        "channel", "received_on", "subject", "content", "category", "source", "forwarded_by",
        "forwarded_no", "is_group", "visitor_count", "village", "department", "handler",
        "leader", "reception", "same_matter_as", "level", "receipt_no",
    }  # fmt: skip
    kwargs = {k: v for k, v in data.items() if k in allowed and v is not None}
    petition, code = register_petition(
        township,
        actor=actor,
        petitioner=petitioner or person,
        representatives=representatives,
        **kwargs,
    )
    petition.receipt_code = code  # shown once on the receipt, never stored in clear
    return petition


#: the descriptive fields pages, API and Excel may edit; the rest changes only through the loop
EDITABLE_FIELDS = (
    "channel",
    "received_on",
    "source",
    "forwarded_by",
    "forwarded_no",
    "petitioner",
    "is_group",
    "visitor_count",
    "village",
    "category",
    "subject",
    "content",
    "level",
    "department",
    "handler",
    "leader",
    "reception",
    "same_matter_as",
)

#: fields that define the statutory periods: editable only before the acceptance decision
LOCKED_AFTER_DECISION = ("received_on", "channel", "source", "petitioner", "is_group")


@transaction.atomic
def update_petition(
    petition: Petition, data: dict[str, Any], *, actor: Any, expected_version: int | None
) -> Petition:
    """Edit the descriptive fields. Fields that define the periods change only while the
    petition awaits its acceptance decision; a new receipt date recomputes the periods."""
    scope.ensure(actor, CHANGE, petition)
    locked = Petition.objects.select_for_update().get(pk=petition.pk)
    data = dict(data)
    for name in [n for n in data if n not in EDITABLE_FIELDS]:
        value = data.pop(name)
        current = getattr(locked, name, None)
        if isinstance(value, models.Model):
            value = value.pk
            current = getattr(locked, f"{name}_id", None)
        if value != current and not (value in (None, "") and current in (None, "")):
            label = Petition._meta.get_field(name).verbose_name
            raise ValidationError(
                {name: f"“{label}”由办理流程记录，不能直接修改（请在信访事项页面办理）。"}
            )
    changed = {
        name
        for name, value in data.items()
        if name in LOCKED_AFTER_DECISION
        and getattr(locked, name if name != "petitioner" else "petitioner_id")
        != (value.pk if isinstance(value, models.Model) else value)
    }
    if changed and locked.status != Status.REGISTERED:
        label = "、".join(str(Petition._meta.get_field(n).verbose_name) for n in sorted(changed))
        raise ValidationError({sorted(changed)[0]: f"已作出受理决定的信访事项不能修改{label}。"})
    if "received_on" in data and data["received_on"]:
        _check_day(data["received_on"], "received_on", "收到日期")
    saved = core_services.update_object(
        petition, data, actor=actor, expected_version=expected_version
    )
    if {"received_on", "source"} & changed:
        for code in (rules.ACCEPTANCE_NOTICE.code, rules.OBJECTION.code):
            deadlines.cancel_deadline(saved, code, actor=actor)
        saved.acceptance_due_on = _open(
            saved, rules.ACCEPTANCE_NOTICE.code, saved.received_on, actor
        )
        saved.objection_due_on = None
        if saved.source in (Source.FORWARDED, Source.ASSIGNED):
            saved.objection_due_on = _open(saved, rules.OBJECTION.code, saved.received_on, actor)
        Petition.objects.filter(pk=saved.pk).update(
            acceptance_due_on=saved.acceptance_due_on, objection_due_on=saved.objection_due_on
        )
    return saved


@transaction.atomic
def delete_petition(petition: Petition, *, actor: Any, expected_version: int | None) -> None:
    """Delete a registration made in error (only before the acceptance decision)."""
    scope.ensure(actor, "delete", petition)  # a person deletes, never the system
    locked = Petition.objects.select_for_update().get(pk=petition.pk)
    if locked.status != Status.REGISTERED:
        raise ValidationError("已作出受理决定的信访事项不能删除，只能按程序办结。")
    for code in (rules.ACCEPTANCE_NOTICE.code, rules.OBJECTION.code):
        deadlines.cancel_deadline(locked, code, actor=actor)
    for link in locked.party_links.all():
        record_change(link, ChangeAction.DELETE, snapshot(link), None, actor=actor)
        link.delete()
    core_services.delete_object(locked, actor=actor, expected_version=expected_version)


# --- 受理 / 不予受理 / 异议 -------------------------------------------------------------------
@transaction.atomic
def accept_petition(
    petition: Petition,
    *,
    actor: Any,
    on: dt.date,
    note: str = "",
    department: Any = None,
    handler: Any = None,
    leader: Any = None,
) -> Petition:
    """Accept and notify the petitioner in writing (条例第二十三条); start the 60日 handling
    period (第三十四条)."""
    step = _begin(petition, Action.ACCEPT, actor)
    p = step.petition
    on = _check_day(on, "on", "受理日期", not_before=p.received_on, not_before_label="收到日期")
    refusal = repeat_refusal_reason(p)
    if refusal:
        raise ValidationError({"on": refusal + "请作“不予受理”处理。"})
    for name, value in (("department", department), ("handler", handler), ("leader", leader)):
        if value is not None:
            setattr(p, name, value)
    p.accepted_on = p.decided_on = on
    p.decision_note = (note or "").strip()
    deadlines.complete_deadline(p, rules.ACCEPTANCE_NOTICE.code, on, actor=actor)
    deadlines.cancel_deadline(p, rules.OBJECTION.code, actor=actor)
    p.handling_due_on = _open(p, rules.HANDLING.code, on, actor)
    return _finish(
        step,
        "accepted",
        f"受理并书面告知信访人（{_cn(on)}），办理期限至{_cn(p.handling_due_on)}",
        on=on,
        handling_due_on=p.handling_due_on,
    )


@transaction.atomic
def decline_petition(
    petition: Petition, *, actor: Any, on: dt.date, reason: str, note: str
) -> Petition:
    """不予受理, with the ground and a written reason told to the petitioner."""
    step = _begin(petition, Action.DECLINE, actor)
    p = step.petition
    on = _check_day(on, "on", "告知日期", not_before=p.received_on, not_before_label="收到日期")
    if reason not in NotAcceptedReason.values:
        raise ValidationError({"reason": "请选择不予受理的理由。"})
    note = _required_text(note, "note", "不予受理的具体理由（书面告知信访人）")
    p.decided_on = on
    p.decline_reason = reason
    p.decision_note = note
    p.closed_on = on
    deadlines.complete_deadline(p, rules.ACCEPTANCE_NOTICE.code, on, actor=actor)
    deadlines.cancel_deadline(p, rules.OBJECTION.code, actor=actor)
    return _finish(
        step,
        "declined",
        f"不予受理（{NotAcceptedReason(reason).label}），已书面告知信访人",
        on=on,
        reason=reason,
    )


@transaction.atomic
def refuse_repeat(petition: Petition, *, actor: Any, on: dt.date) -> Petition:
    """不予受理 a claim already concluded by 复核, with the standard reason."""
    reason = repeat_refusal_reason(petition)
    if not reason:
        raise ValidationError({"on": "未找到已复核终结的同一事项，不能按重复信访不予受理。"})
    return decline_petition(
        petition, actor=actor, on=on, reason=NotAcceptedReason.CONCLUDED, note=reason
    )


@transaction.atomic
def object_to_assignment(petition: Petition, *, actor: Any, on: dt.date, reason: str) -> Petition:
    """A forwarded or assigned matter outside the township's remit: raise an objection with
    reasons to the forwarding body within 5 working days (条例第二十三条)."""
    step = _begin(petition, Action.OBJECT, actor)
    p = step.petition
    if p.source not in (Source.FORWARDED, Source.ASSIGNED):
        raise ValidationError({"reason": "只有上级转送、交办的事项可以提出异议。"})
    on = _check_day(on, "on", "异议日期", not_before=p.received_on, not_before_label="收到日期")
    reason = _required_text(reason, "reason", "异议理由")
    p.decided_on = on
    p.decision_note = reason
    p.closed_on = on
    deadline = deadlines.complete_deadline(p, rules.OBJECTION.code, on, actor=actor)
    deadlines.cancel_deadline(p, rules.ACCEPTANCE_NOTICE.code, actor=actor)
    late = deadline is not None and deadline.status == "done_late"
    return _finish(
        step,
        "objected",
        f"向{p.forwarded_by}提出异议{'（已超过5个工作日）' if late else ''}",
        on=on,
        late=late,
    )


# --- 办理: 延期 -------------------------------------------------------------------------------
def extension_limit(township: Township) -> tuple[int, str]:
    effective = effective_rule(rules.EXTENSION_MAX.code, township)
    return effective.length, effective.unit


@transaction.atomic
def extend_handling(
    petition: Petition,
    *,
    actor: Any,
    days: int,
    reason: str,
    approved_by: Staff | None,
    approved_on: dt.date,
    notified_on: dt.date | None,
) -> Petition:
    """Extend the handling period (条例第三十四条): approved by the head of the organ, at most
    30日 in total, and the petitioner told the reason."""
    step = _begin(petition, Action.EXTEND, actor)
    p = step.petition
    limit, unit = extension_limit(p.township)
    if not isinstance(days, int) or days <= 0:
        raise ValidationError({"days": "延长天数须为正整数。"})
    if p.extension_days + days > limit:
        already = f"已延长{p.extension_days}日，" if p.extension_days else ""
        raise ValidationError(
            {
                "days": (
                    f"{already}延长期限合计不得超过{limit}日"
                    f"（{REGULATION}第三十四条），本次最多可延长{limit - p.extension_days}日。"
                )
            }
        )
    reason = _required_text(reason, "reason", "延期理由")
    if approved_by is None:
        raise ValidationError({"approved_by": "延期须经本机关负责人批准，请选择批准人。"})
    if approved_by.township_id != p.township_id:
        raise ValidationError({"approved_by": "批准人不属于该乡镇。"})
    approved_on = _check_day(
        approved_on,
        "approved_on",
        "批准日期",
        not_before=p.accepted_on,
        not_before_label="受理日期",
    )
    if p.handling_due_on and approved_on > p.handling_due_on:
        raise ValidationError(
            {"approved_on": f"延期须在办理期限届满（{_cn(p.handling_due_on)}）前批准。"}
        )
    if notified_on is None:
        raise ValidationError({"notified_on": "请填写告知信访人延期理由的日期。"})
    notified_on = _check_day(
        notified_on, "notified_on", "告知日期", not_before=approved_on, not_before_label="批准日期"
    )
    deadline = deadlines.extend_deadline(
        p, rules.HANDLING.code, days, unit, actor=actor, reason=reason
    )
    p.extension_days += days
    p.extension_reason = reason
    p.extension_approved_by = approved_by
    p.extension_approved_on = approved_on
    p.extension_notified_on = notified_on
    p.handling_due_on = deadline.due_date
    return _finish(
        step,
        "extended",
        f"经{approved_by.name}批准延长办理期限{days}日至{_cn(p.handling_due_on)}，"
        f"已于{_cn(notified_on)}告知信访人",
        days=days,
        approved_by=approved_by.pk,
        approved_on=approved_on,
        notified_on=notified_on,
        handling_due_on=p.handling_due_on,
    )


# --- 处理意见书 / 送达 ---------------------------------------------------------------------------
def _opinion_fields(
    *,
    request: str,
    facts: str,
    outcome: str,
    decision: str,
    legal_basis: str,
) -> dict[str, str]:
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "请选择处理结论（支持、解释说明或不予支持）。"})
    return {
        "request": _required_text(request, "request", "信访请求"),
        "facts": _required_text(facts, "facts", "查明的事实和理由"),
        "outcome": outcome,
        "decision": _required_text(decision, "decision", "处理意见"),
        "legal_basis": _required_text(legal_basis, "legal_basis", "法律政策依据"),
    }


@transaction.atomic
def issue_opinion(
    petition: Petition,
    *,
    actor: Any,
    on: dt.date,
    request: str,
    facts: str,
    outcome: str,
    decision: str,
    legal_basis: str,
    number: str = "",
    issued_by: str = "",
) -> PetitionOpinion:
    """Issue the 信访处理意见书 (条例第三十一条第六项、第三十二条)."""
    step = _begin(petition, Action.ISSUE_OPINION, actor)
    p = step.petition
    on = _check_day(on, "on", "出具日期", not_before=p.accepted_on, not_before_label="受理日期")
    fields = _opinion_fields(
        request=request, facts=facts, outcome=outcome, decision=decision, legal_basis=legal_basis
    )
    if not number:
        _n, number = next_number(
            p.township,
            OPINION_NUMBER_KIND,
            year=on.year,
            taken=taken_in(PetitionOpinion, "number", p.township),
        )
    else:
        claim_number(p.township, OPINION_NUMBER_KIND, number)
    opinion = PetitionOpinion(
        township=p.township,
        petition=p,
        level=OpinionLevel.HANDLING,
        number=number,
        issued_by=(issued_by or f"{p.township.name}人民政府").strip(),
        issued_on=on,
        **fields,
    )
    _create(opinion, actor)
    _finish(
        step,
        "opinion_issued",
        f"出具信访处理意见书{number}（{Outcome(outcome).label}）",
        opinion=opinion.pk,
        outcome=outcome,
    )
    _evidence(p, "petitions.opinion_issued", _opinion_content(opinion), actor)
    return opinion


for _kind, _label in {
    "petitions.opinion_issued": "出具处理意见书",
    "petitions.opinion_served": "送达处理意见书",
    "petitions.handling_opinion": "处理意见",
    "petitions.review_opinion": "复查意见",
    "petitions.recheck_opinion": "复核意见",
}.items():
    evidence_display.register_kind(_kind, _label, PetitionOpinion)


def _opinion_content(opinion: PetitionOpinion) -> dict[str, Any]:
    return {
        "level": opinion.level,
        "number": opinion.number,
        "issued_by": opinion.issued_by,
        "issued_on": opinion.issued_on,
        "request": opinion.request,
        "facts": opinion.facts,
        "outcome": opinion.outcome,
        "decision": opinion.decision,
        "legal_basis": opinion.legal_basis,
        "served_on": opinion.served_on,
        "service_method": opinion.service_method,
    }


@transaction.atomic
def serve_opinion(
    petition: Petition, *, actor: Any, on: dt.date, method: str = ServiceMethod.DIRECT
) -> Petition:
    """Serve the 处理意见书: the matter is 办结 (条例第三十四条) and the petitioner's 30日
    window to request 复查 (第三十五条) and the rating window begin."""
    step = _begin(petition, Action.SERVE, actor)
    p = step.petition
    opinion = p.opinions.select_for_update().get(level=OpinionLevel.HANDLING)
    on = _check_day(on, "on", "送达日期", not_before=opinion.issued_on, not_before_label="出具日期")
    if method not in ServiceMethod.values:
        raise ValidationError({"method": "请选择送达方式。"})
    before = snapshot(opinion)
    opinion.served_on = on
    opinion.service_method = method
    _save(opinion, before, actor)
    p.concluded_on = on
    deadlines.complete_deadline(p, rules.HANDLING.code, on, actor=actor)
    p.review_request_due_on = window_due(p.township, rules.REVIEW_REQUEST.code, on)
    p.rating_due_on = window_due(p.township, rules.RATING_WINDOW.code, on)
    late = p.handling_due_on is not None and on > p.handling_due_on
    _finish(
        step,
        "served",
        f"处理意见书已{ServiceMethod(method).label}（{_cn(on)}），"
        f"{'逾期办结' if late else '按期办结'}；复查申请期限至{_cn(p.review_request_due_on)}",
        on=on,
        method=method,
        late=late,
    )
    _evidence(p, "petitions.opinion_served", _opinion_content(opinion), actor)
    return p


# --- 复查 / 复核 -----------------------------------------------------------------------------
def _request_review_level(
    petition: Petition,
    *,
    action: str,
    actor: Any,
    on: dt.date,
    body: str,
) -> Petition:
    review = action == Action.REQUEST_REVIEW
    label = "复查" if review else "复核"
    article = "第三十五条" if review else "第三十六条"
    step = _begin(petition, action, actor)
    p = step.petition
    body = _required_text(body, "body", f"{label}机关")
    if review:
        served = p.concluded_on
    else:
        served = p.opinions.get(level=OpinionLevel.REVIEW).served_on
    on = _check_day(on, "on", f"{label}申请日期", not_before=served, not_before_label="送达日期")
    due = p.review_request_due_on if review else p.recheck_request_due_on
    if due and on > due:
        raise ValidationError(
            {
                "on": (
                    f"{label}申请已超过30日期限（应于{_cn(due)}前提出，{REGULATION}{article}），"
                    f"不予登记。"
                )
            }
        )
    if review:
        p.review_requested_on, p.review_body = on, body
    else:
        p.recheck_requested_on, p.recheck_body = on, body
    reply_rule = rules.REVIEW_REPLY.code if review else rules.RECHECK_REPLY.code
    reply_due = _open(p, reply_rule, on, actor)
    return _finish(
        step,
        "review_requested" if review else "recheck_requested",
        f"信访人向{body}申请{label}（{_cn(on)}），{label}意见应于{_cn(reply_due)}前作出",
        on=on,
        body=body,
        reply_due=reply_due,
    )


def _record_review_level(
    petition: Petition,
    *,
    action: str,
    actor: Any,
    issued_on: dt.date,
    served_on: dt.date,
    request: str,
    facts: str,
    outcome: str,
    decision: str,
    legal_basis: str,
    number: str,
) -> tuple[_Step, PetitionOpinion, bool]:
    review = action == Action.RECORD_REVIEW
    label = "复查" if review else "复核"
    step = _begin(petition, action, actor)
    p = step.petition
    requested_on = p.review_requested_on if review else p.recheck_requested_on
    issued_on = _check_day(
        issued_on, "issued_on", f"{label}意见出具日期",
        not_before=requested_on, not_before_label=f"{label}申请日期",
    )  # fmt: skip
    served_on = _check_day(
        served_on, "served_on", f"{label}意见送达日期",
        not_before=issued_on, not_before_label="出具日期",
    )  # fmt: skip
    fields = _opinion_fields(
        request=request, facts=facts, outcome=outcome, decision=decision, legal_basis=legal_basis
    )
    opinion = PetitionOpinion(
        township=p.township,
        petition=p,
        level=OpinionLevel.REVIEW if review else OpinionLevel.RECHECK,
        number=(number or "").strip(),
        issued_by=p.review_body if review else p.recheck_body,
        issued_on=issued_on,
        served_on=served_on,
        service_method=ServiceMethod.DIRECT,
        **fields,
    )
    _create(opinion, actor)
    reply_rule = rules.REVIEW_REPLY.code if review else rules.RECHECK_REPLY.code
    deadline = deadlines.complete_deadline(p, reply_rule, served_on, actor=actor)
    late = deadline is not None and deadline.status == "done_late"
    _evidence(p, f"petitions.{opinion.level}_opinion", _opinion_content(opinion), actor)
    return step, opinion, late


@transaction.atomic
def request_review(petition: Petition, *, actor: Any, on: dt.date, body: str) -> Petition:
    """The petitioner asked the next higher level for 复查 (条例第三十五条)."""
    return _request_review_level(
        petition, action=Action.REQUEST_REVIEW, actor=actor, on=on, body=body
    )


@transaction.atomic
def record_review(
    petition: Petition,
    *,
    actor: Any,
    issued_on: dt.date,
    served_on: dt.date,
    request: str,
    facts: str,
    outcome: str,
    decision: str,
    legal_basis: str,
    number: str = "",
) -> PetitionOpinion:
    """Record the 复查意见 and open the petitioner's 30日 window for 复核 (第三十六条)."""
    step, opinion, late = _record_review_level(
        petition,
        action=Action.RECORD_REVIEW,
        actor=actor,
        issued_on=issued_on,
        served_on=served_on,
        request=request,
        facts=facts,
        outcome=outcome,
        decision=decision,
        legal_basis=legal_basis,
        number=number,
    )
    p = step.petition
    p.recheck_request_due_on = window_due(p.township, rules.RECHECK_REQUEST.code, served_on)
    _finish(
        step,
        "review_recorded",
        f"{p.review_body}作出复查意见（{Outcome(outcome).label}）"
        f"{'，超过30日答复期限' if late else ''}；复核申请期限至{_cn(p.recheck_request_due_on)}",
        opinion=opinion.pk,
        outcome=outcome,
        late=late,
    )
    return opinion


@transaction.atomic
def request_recheck(petition: Petition, *, actor: Any, on: dt.date, body: str) -> Petition:
    """The petitioner asked the level above the 复查 body for 复核 (条例第三十六条)."""
    return _request_review_level(
        petition, action=Action.REQUEST_RECHECK, actor=actor, on=on, body=body
    )


@transaction.atomic
def record_recheck(
    petition: Petition,
    *,
    actor: Any,
    issued_on: dt.date,
    served_on: dt.date,
    request: str,
    facts: str,
    outcome: str,
    decision: str,
    legal_basis: str,
    number: str = "",
) -> PetitionOpinion:
    """Record the 复核意见: the matter is concluded (终结); the same claim on the same facts is
    not accepted again (条例第三十六条)."""
    step, opinion, late = _record_review_level(
        petition,
        action=Action.RECORD_RECHECK,
        actor=actor,
        issued_on=issued_on,
        served_on=served_on,
        request=request,
        facts=facts,
        outcome=outcome,
        decision=decision,
        legal_basis=legal_basis,
        number=number,
    )
    p = step.petition
    p.closed_on = served_on
    p.close_note = "复核终结"
    _finish(
        step,
        "recheck_recorded",
        f"{p.recheck_body}作出复核意见（{Outcome(outcome).label}）"
        f"{'，超过30日答复期限' if late else ''}，信访事项终结",
        opinion=opinion.pk,
        outcome=outcome,
        late=late,
    )
    return opinion


# --- 终结归档 ---------------------------------------------------------------------------------
@transaction.atomic
def close_petition(petition: Petition, *, actor: Any, on: dt.date, note: str = "") -> Petition:
    """File a served matter as concluded: after the 复查 (or 复核) window lapsed, or earlier when
    the petitioner states in writing that they accept the answer (note required)."""
    step = _begin(petition, Action.CLOSE, actor)
    p = step.petition
    on = _check_day(on, "on", "归档日期", not_before=p.concluded_on, not_before_label="办结日期")
    window = p.review_request_due_on if p.status == Status.SERVED else p.recheck_request_due_on
    what = "复查" if p.status == Status.SERVED else "复核"
    note = (note or "").strip()
    if window and on <= window and not note:
        raise ValidationError(
            {
                "note": (
                    f"{what}申请期限至{_cn(window)}尚未届满；提前归档请注明信访人的书面意见"
                    f"（如：信访人表示服从处理意见、不再申请{what}）。"
                )
            }
        )
    p.closed_on = on
    p.close_note = (note or f"{what}申请期限届满未申请{what}")[:200]
    return _finish(step, "closed", f"终结归档：{p.close_note}", on=on)


def close_lapsed(today_: dt.date | None = None, *, actor: Any = None) -> int:
    """File every served / reviewed petition whose request window has lapsed (a daily job)."""
    day = today_ or today()
    done = 0
    lapsed = Petition.objects.filter(
        models.Q(status=Status.SERVED, review_request_due_on__lt=day)
        | models.Q(status=Status.REVIEWED, recheck_request_due_on__lt=day)
    )
    for pk in lapsed.values_list("pk", flat=True):
        with transaction.atomic():
            p = Petition.objects.select_for_update().get(pk=pk)
            if p.status not in (Status.SERVED, Status.REVIEWED):
                continue
            before = snapshot(p)
            what = "复查" if p.status == Status.SERVED else "复核"
            p.status = Status.CLOSED
            p.closed_on = day
            p.close_note = f"{what}申请期限届满未申请{what}"
            p.version += 1
            p.save()
            record_change(p, ChangeAction.UPDATE, before, snapshot(p), actor=actor)
            record_event(
                "petitions.closed",
                f"{p.receipt_no}：终结归档：{p.close_note}",
                township=p.township_id,
                actor=actor,
                obj=p,
                payload={"status": p.status, "on": day, "automatic": True},
            )
            done += 1
    return done


# --- 导入法定途径 / 三级化解 / 转调解 ------------------------------------------------------------
def _transfer(p: Petition, actor: Any, **fields: Any) -> PetitionTransfer:
    return _create(PetitionTransfer(township=p.township, petition=p, **fields), actor)  # type: ignore[return-value]


@transaction.atomic
def route_to_legal_channel(
    petition: Petition, *, actor: Any, on: dt.date, route: str, note: str
) -> Petition:
    """Guide the matter into its legal channel (诉讼、仲裁、行政复议 …, 条例第三十一条第一至五项);
    the petition is closed with the route recorded and the petitioner told in writing."""
    from fazhi.petitions.choices import LegalRoute

    step = _begin(petition, Action.ROUTE, actor)
    p = step.petition
    if route not in LegalRoute.values:
        raise ValidationError({"route": "请选择导入的法定途径。"})
    on = _check_day(on, "on", "导入日期", not_before=p.received_on, not_before_label="收到日期")
    note = _required_text(note, "note", "导入说明（告知信访人的途径和机关）")
    p.route = route
    p.route_note = note
    p.closed_on = on
    if p.status == Status.REGISTERED:
        p.decided_on = on
        deadlines.complete_deadline(p, rules.ACCEPTANCE_NOTICE.code, on, actor=actor)
        deadlines.cancel_deadline(p, rules.OBJECTION.code, actor=actor)
    else:
        if on < p.accepted_on:
            raise ValidationError({"on": "导入日期不能早于受理日期。"})
        p.concluded_on = on
        deadlines.complete_deadline(p, rules.HANDLING.code, on, actor=actor)
    _transfer(
        p, actor, kind=TransferKind.ROUTE, on=on, to_unit=LegalRoute(route).label, reason=note
    )
    return _finish(step, "routed", f"导入{LegalRoute(route).label}程序处理", on=on, route=route)


@transaction.atomic
def escalate_to_township(petition: Petition, *, actor: Any, on: dt.date, reason: str) -> Petition:
    """三级化解: a matter the village could not resolve goes up to the township."""
    step = _begin(petition, Action.ESCALATE, actor)
    p = step.petition
    if p.level != Level.VILLAGE:
        raise ValidationError({"reason": "该事项不在村级化解，无需上交镇级。"})
    on = _check_day(on, "on", "上交日期", not_before=p.received_on, not_before_label="收到日期")
    reason = _required_text(reason, "reason", "上交理由（村级化解情况）")
    _transfer(
        p, actor, kind=TransferKind.ESCALATION, on=on, from_level=Level.VILLAGE,
        to_level=Level.TOWNSHIP, to_unit=f"{p.township.name}人民政府", reason=reason,
    )  # fmt: skip
    p.level = Level.TOWNSHIP
    return _finish(step, "escalated", "村级化解未果，上交镇级", on=on, to_level=Level.TOWNSHIP)


@transaction.atomic
def hand_up_to_county(
    petition: Petition, *, actor: Any, on: dt.date, to_unit: str, reason: str
) -> Petition:
    """三级化解: the township hands the matter to the county (recorded; its periods end here)."""
    step = _begin(petition, Action.HAND_UP, actor)
    p = step.petition
    on = _check_day(on, "on", "上交日期", not_before=p.received_on, not_before_label="收到日期")
    to_unit = _required_text(to_unit, "to_unit", "接收单位")
    reason = _required_text(reason, "reason", "上交理由（镇级化解情况）")
    _transfer(
        p, actor, kind=TransferKind.ESCALATION, on=on, from_level=p.level,
        to_level=Level.COUNTY, to_unit=to_unit, reason=reason,
    )  # fmt: skip
    for code in (rules.ACCEPTANCE_NOTICE.code, rules.OBJECTION.code, rules.HANDLING.code):
        deadlines.cancel_deadline(p, code, actor=actor)
    p.level = Level.COUNTY
    p.closed_on = on
    return _finish(step, "handed_up", f"上交{to_unit}", on=on, to_unit=to_unit)


@transaction.atomic
def transfer_to_mediation(
    petition: Petition, *, actor: Any, on: dt.date, reason: str, to_unit: str = ""
) -> PetitionTransfer:
    """Refer the dispute behind the petition to people's mediation (recorded as a transfer; when
    the disputes app offers `receive_petition_transfer`, it opens the dispute there)."""
    step = _begin(petition, Action.TO_MEDIATION, actor)
    p = step.petition
    on = _check_day(on, "on", "转交日期", not_before=p.received_on, not_before_label="收到日期")
    reason = _required_text(reason, "reason", "转交理由")
    reference = ""
    receiver = _disputes_receiver()
    if receiver is not None:
        created = receiver(p, actor=actor, on=on, reason=reason)
        reference = str(created) if created is not None else ""
    transfer = _transfer(
        p, actor, kind=TransferKind.TO_MEDIATION, on=on,
        to_unit=(to_unit or "人民调解委员会").strip(), reason=reason, reference=reference[:100],
    )  # fmt: skip
    _finish(
        step,
        "to_mediation",
        f"转{transfer.to_unit}调解" + (f"（{reference}）" if reference else ""),
        on=on,
        transfer=transfer.pk,
        reference=reference,
    )
    return transfer


#: petition category → dispute type of the 人民调解 statistics (the rest: 其他纠纷)
DISPUTE_KIND = {
    "land": "land_acquisition",
    "housing": "homestead",
    "labour": "labour",
    "neighbours": "neighbour",
    "environment": "environment",
}


def _disputes_receiver() -> Any:
    """The disputes app's registration, when that app is installed: the transfer then opens a
    dispute (source 信访转入, the petitioner as applicant, the receipt number as reference)."""
    from django.apps import apps

    if not apps.is_installed("fazhi.disputes"):
        return None
    from fazhi.disputes import services as dispute_services

    register = getattr(dispute_services, "register_dispute", None)
    if register is None:
        return None

    def receive(p: Petition, *, actor: Any, on: dt.date, reason: str) -> Any:
        dispute = register(
            p.township,
            received_on=on,
            source="petition",
            kind=DISPUTE_KIND.get(p.category, "other"),
            description=f"{p.content}\n（由信访事项{p.receipt_no}转入：{reason}）",
            actor=actor,
            parties=[dispute_services.PartyInput(party=p.petitioner)],
            source_ref=p.receipt_no,
            village=p.village,
        )
        return dispute.number

    return receive


# --- 满意度评价 -------------------------------------------------------------------------------
@transaction.atomic
def rate_petition(
    petition: Petition,
    *,
    satisfaction: str,
    channel: str,
    on: dt.date | None = None,
    comment: str = "",
    actor: Any = None,
) -> Petition:
    """Record the petitioner's rating: once, only after the opinion was served, within the
    (configurable, [U]) rating window. `actor=None` is the petitioner on the public portal."""
    _ensure(actor, CHANGE, petition)
    p = (
        Petition.objects.select_for_update(of=("self",))
        .select_related("township")
        .get(pk=petition.pk)
    )
    if p.status not in RATABLE:
        raise ValidationError({"satisfaction": "处理意见书送达后才能评价。"})
    if p.satisfaction:
        raise ValidationError({"satisfaction": "该信访事项已评价，不能重复评价。"})
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": "请选择满意度。"})
    if channel not in RatingChannel.values:
        raise ValidationError({"channel": "请选择评价方式。"})
    on = _check_day(on or today(), "on", "评价日期", not_before=p.concluded_on,
                    not_before_label="送达日期")  # fmt: skip
    if p.rating_due_on and on > p.rating_due_on:
        raise ValidationError(
            {"satisfaction": f"评价期限已于{_cn(p.rating_due_on)}届满，不能再评价。"}
        )
    before = snapshot(p)
    p.satisfaction = satisfaction
    p.rating_channel = channel
    p.rated_on = on
    p.rating_comment = (comment or "").strip()[:500]
    step = _Step(p, before, next_status(p.status, Action.RATE), actor)
    return _finish(
        step,
        "rated",
        f"信访人评价：{Satisfaction(satisfaction).label}（{RatingChannel(channel).label}）",
        satisfaction=satisfaction,
        channel=channel,
        on=on,
    )


# --- 查询码 -----------------------------------------------------------------------------------
@transaction.atomic
def reissue_code(petition: Petition, *, actor: Any) -> str:
    """A new receipt code (the old one stops working), e.g. when the receipt was lost."""
    _ensure(actor, CHANGE, petition)
    p = Petition.objects.select_for_update().get(pk=petition.pk)
    before = snapshot(p)
    code = new_receipt_code()
    p.receipt_code_hash = hash_code(code)
    step = _Step(p, before, p.status, actor)
    _finish(step, "code_reissued", "重新生成查询码（原查询码作废）")
    return code


# --- 积案清零 ---------------------------------------------------------------------------------
@transaction.atomic
def flag_backlog(
    petition: Petition,
    *,
    actor: Any,
    owner: Staff,
    flagged_on: dt.date,
    target_on: dt.date,
    plan: str = "",
) -> BacklogCase:
    """List a petition as a backlog case (信访积案), with the leader owning it and a target."""
    step = _begin(petition, Action.FLAG_BACKLOG, actor)
    p = step.petition
    if BacklogCase.objects.filter(petition=p).exists():
        raise ValidationError({"petition": "该信访事项已列为积案。"})
    flagged_on = _check_day(flagged_on, "flagged_on", "列入日期")
    case = BacklogCase(
        township=p.township,
        petition=p,
        owner=owner,
        flagged_on=flagged_on,
        target_on=target_on,
        plan=(plan or "").strip(),
    )
    _create(case, actor)
    record_event(
        "petitions.backlog_flagged",
        f"{p.receipt_no}：列为信访积案，包案领导{owner.name}，化解时限{_cn(target_on)}",
        township=p.township_id,
        actor=actor,
        obj=p,
        payload={"case": case.pk, "owner": owner.pk, "target_on": target_on},
    )
    return case


def create_backlog_from_resource(
    model: type[BacklogCase], data: dict[str, Any], *, actor: Any
) -> BacklogCase:
    """The `create` hook of the backlog pages, API and import."""
    petition = data.get("petition")
    if petition is None:
        raise ValidationError({"petition": "请选择信访事项。"})
    if data.get("township") is not None and data["township"].pk != petition.township_id:
        raise ValidationError({"petition": "所选信访事项不属于该乡镇。"})
    if data.get("owner") is None:
        raise ValidationError({"owner": "请选择包案领导。"})
    if data.get("target_on") is None:
        raise ValidationError({"target_on": "请填写化解时限。"})
    return flag_backlog(
        petition,
        actor=actor,
        owner=data["owner"],
        flagged_on=data.get("flagged_on"),
        target_on=data["target_on"],
        plan=data.get("plan", ""),
    )


@transaction.atomic
def add_backlog_progress(
    case: BacklogCase, *, actor: Any, on: dt.date, note: str
) -> BacklogProgress:
    _ensure(actor, CHANGE, case)
    on = _check_day(on, "on", "日期", not_before=case.flagged_on, not_before_label="列入日期")
    entry = BacklogProgress(
        township_id=case.township_id,
        case=case,
        on=on,
        note=_required_text(note, "note", "工作进展"),
    )
    return _create(entry, actor)  # type: ignore[return-value]


@transaction.atomic
def resolve_backlog(case: BacklogCase, *, actor: Any, on: dt.date, resolution: str) -> BacklogCase:
    """Mark a backlog case resolved (化解): counted by petitions.backlog_resolved."""
    _ensure(actor, CHANGE, case)
    locked = BacklogCase.objects.select_for_update().select_related("petition").get(pk=case.pk)
    if locked.status == BacklogStatus.RESOLVED:
        raise ValidationError({"resolution": "该积案已化解。"})
    on = _check_day(on, "on", "化解日期", not_before=locked.flagged_on, not_before_label="列入日期")
    before = snapshot(locked)
    locked.status = BacklogStatus.RESOLVED
    locked.resolved_on = on
    locked.resolution = _required_text(resolution, "resolution", "化解情况")
    _save(locked, before, actor)
    record_event(
        "petitions.backlog_resolved",
        f"{locked.petition.receipt_no}：信访积案化解（{_cn(on)}）",
        township=locked.township_id,
        actor=actor,
        obj=locked.petition,
        payload={"case": locked.pk, "on": on},
    )
    return locked


# --- reading helpers for pages --------------------------------------------------------------
def parties_of(petition: Petition) -> list[tuple[str, Any]]:
    """(role label, party) of everyone on the petition, the petitioner first."""
    out: list[tuple[str, Any]] = [("信访人", petition.petitioner)]
    for link in petition.party_links.select_related("party"):
        out.append((link.get_role_display(), link.party))
    return out


def available_actions(petition: Petition) -> list[str]:
    from fazhi.petitions.choices import allowed_actions

    actions = allowed_actions(petition.status)
    hidden: set[str] = set()
    if petition.source not in (Source.FORWARDED, Source.ASSIGNED):
        hidden.add(Action.OBJECT)
    if petition.level != Level.VILLAGE:
        hidden.add(Action.ESCALATE)
    if petition.satisfaction:
        hidden.add(Action.RATE)
    if hasattr(petition, "backlog"):  # the reverse one-to-one exists
        hidden.add(Action.FLAG_BACKLOG)
    return [a for a in actions if a not in hidden]


def iter_opinions(petition: Petition) -> Iterable[PetitionOpinion]:
    return petition.opinions.order_by("issued_on", "pk")
