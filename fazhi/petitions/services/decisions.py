"""The acceptance decision (受理 / 不予受理 / 异议, 条例第二十三条) and the extension of the handling
period (第三十四条)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.core import deadlines
from fazhi.core.models import Staff, Township
from fazhi.core.rules import effective_rule
from fazhi.petitions import rules
from fazhi.petitions.choices import (
    Action,
    NotAcceptedReason,
    Source,
)
from fazhi.petitions.models import (
    Petition,
)
from fazhi.petitions.services._common import (
    REGULATION,
    _begin,
    _check_day,
    _cn,
    _finish,
    _open,
    _required_text,
)
from fazhi.petitions.services.registration import (
    repeat_refusal_reason,
)


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
