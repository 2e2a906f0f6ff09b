"""Acceptance, conclusion, extension, escalation, linkage (行政调解、司法调解、诉调对接) and
mediation sessions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.core import deadlines
from fazhi.core.audit import snapshot
from fazhi.core.choices import DeadlineUnit
from fazhi.core.roles import CHANGE
from fazhi.disputes import choices as c
from fazhi.disputes import rules
from fazhi.disputes.models import (
    Dispute,
    MediationSession,
    Mediator,
)
from fazhi.disputes.services._common import (
    _create_object,
    _ensure,
    _event,
    _lock,
    _mediator_user,
    _not_before,
    _save,
    _today,
    _transition,
    _user,
    leader_for,
)
from fazhi.disputes.services.early_warnings import (
    _notify,
)


# --- acceptance, conclusion, extension, escalation ------------------------------------------
@transaction.atomic
def accept_dispute(
    dispute: Dispute,
    *,
    on: dt.date,
    actor: Any,
    mediator: Mediator | None = None,
    committee: Any = None,
) -> Dispute:
    """Accept for mediation (受理调解, 第十七条): the one-month conclusion period starts."""
    _ensure(actor, CHANGE, dispute)
    locked = _lock(dispute)
    before = snapshot(locked)
    _transition(locked, c.DisputeStatus.MEDIATING)
    _not_before(on, locked.received_on, "accepted_on", "登记日期")
    locked.accepted_on = on
    if mediator is not None:
        locked.mediator = mediator
    if committee is not None:
        locked.committee = committee
    _save(locked, before, actor)
    leader, _ = leader_for(locked.township, locked.village, on)
    deadlines.open_deadline(
        locked,
        rules.CONCLUSION.code,
        on,
        actor=actor,
        responsible=_mediator_user(locked) or _user(actor),
        leader=leader,
    )
    _event(
        "disputes.accepted",
        f"受理调解{locked.number}"
        + (f"，主持调解员{locked.mediator}" if locked.mediator_id else ""),
        locked,
        actor,
        accepted_on=on,
    )
    return locked


@transaction.atomic
def conclude_dispute(
    dispute: Dispute,
    outcome: str,
    *,
    on: dt.date,
    actor: Any,
    note: str = "",
    route: str = "",
    reason: str = "",
) -> Dispute:
    """Record the outcome (调解成功 / 调解不成 / 终止 / 转诉讼·仲裁·行政处理) through the
    transition table, and close the conclusion period."""
    if outcome not in c.OUTCOMES:
        raise ValidationError({"outcome": "请选择办结结果。"})
    _ensure(actor, CHANGE, dispute)
    locked = _lock(dispute)
    before = snapshot(locked)
    previous = locked.status
    _transition(locked, outcome)
    _not_before(on, locked.accepted_on or locked.received_on, "concluded_on", "受理日期")
    if outcome == c.DisputeStatus.TRANSFERRED:
        if route not in c.TransferRoute.values:
            raise ValidationError({"route": "请选择转出途径（诉讼、仲裁、行政处理等）。"})
        locked.transfer_route = route
    if outcome == c.DisputeStatus.TERMINATED:
        if reason not in c.TerminationReason.values:
            raise ValidationError({"reason": "请选择终止调解的原因。"})
        locked.termination_reason = reason
    if outcome == c.DisputeStatus.FAILED and not (note or "").strip():
        raise ValidationError(
            {
                "note": "调解不成的，请写明已告知当事人可依法通过仲裁、行政、司法等途径维护权利（第二十六条）。"
            }
        )
    if previous != c.DisputeStatus.FAILED:
        locked.concluded_on = on
    locked.outcome_note = "\n".join(x for x in (locked.outcome_note, (note or "").strip()) if x)
    _save(locked, before, actor)
    deadlines.complete_deadline(locked, rules.CONCLUSION.code, on, actor=actor)
    label = c.DisputeStatus(outcome).label
    if outcome == c.DisputeStatus.TRANSFERRED:
        label += f"（{c.TransferRoute(route).label}）"
    _event(
        "disputes.concluded",
        f"{locked.number}办结：{label}",
        locked,
        actor,
        outcome=outcome,
        on=on,
        route=route,
        reason=reason,
    )
    if outcome == c.DisputeStatus.TRANSFERRED and route in (
        c.TransferRoute.ADMIN_MEDIATION,
        c.TransferRoute.JUDICIAL_MEDIATION,
    ):
        channel = (
            c.LinkageChannel.ADMIN_MEDIATION
            if route == c.TransferRoute.ADMIN_MEDIATION
            else c.LinkageChannel.JUDICIAL_MEDIATION
        )
        _linkage_event(
            locked,
            channel=channel,
            direction=c.LinkageDirection.OUT,
            on=on,
            counterpart="",
            note=note,
            actor=actor,
        )
    return locked


@transaction.atomic
def extend_conclusion(dispute: Dispute, *, days: int, reason: str, actor: Any) -> Any:
    """Extend the one-month period with both parties' consent (provincial rules)."""
    _ensure(actor, CHANGE, dispute)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请写明延期理由及双方当事人同意延期的情况。"})
    return deadlines.extend_deadline(
        dispute, rules.CONCLUSION.code, days, DeadlineUnit.DAYS, actor=actor, reason=reason
    )


@transaction.atomic
def escalate_dispute(
    dispute: Dispute, *, committee: Any, on: dt.date, reason: str, actor: Any
) -> Dispute:
    """Hand a dispute up (村 → 镇, 三级化解): the receiving committee takes it over; recorded."""
    _ensure(actor, CHANGE, dispute)
    locked = _lock(dispute)
    if not locked.is_open:
        raise ValidationError("已办结的纠纷不能上报。")
    if committee is None or committee.township_id != locked.township_id:
        raise ValidationError({"committee": "请选择本乡镇的调委会。"})
    if committee.pk == locked.committee_id:
        raise ValidationError({"committee": "请选择另一个调委会。"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写上报理由。"})
    before = snapshot(locked)
    previous = str(locked.committee) if locked.committee_id else "村(网格)"
    locked.committee = committee
    if locked.mediator_id and locked.mediator.committee_id not in (None, committee.pk):
        locked.mediator = None
    _save(locked, before, actor)
    leader, who = leader_for(locked.township, locked.village, on)
    if leader is not None:
        _notify(
            leader,
            locked,
            f"纠纷上报：{locked.number}由{previous}上报至{committee}。理由：{reason}",
        )
    _event(
        "disputes.escalated",
        f"{locked.number}由{previous}上报至{committee}；理由：{reason}",
        locked,
        actor,
        committee=committee.pk,
        on=on,
        reason=reason,
        notified=who,
    )
    return locked


def is_escalated(dispute: Dispute) -> bool:
    ct = ContentType.objects.get_for_model(Dispute)
    from fazhi.core.models import DomainEvent

    return DomainEvent.objects.filter(
        township_id=dispute.township_id,  # filed under it (`_event`): the index leads with it
        content_type=ct,
        object_id=str(dispute.pk),
        kind="disputes.escalated",
    ).exists()


# --- linkage (行政调解、司法调解、诉调对接) ----------------------------------------------------
def _linkage_event(
    dispute: Dispute,
    *,
    channel: str,
    direction: str,
    on: dt.date,
    counterpart: str,
    note: str,
    actor: Any,
) -> None:
    arrow = "转入" if direction == c.LinkageDirection.IN else "转出至"
    text = f"{c.LinkageChannel(channel).label}：{dispute.number}{arrow}{counterpart or c.LinkageChannel(channel).label}"
    if note:
        text += f"（{note}）"
    _event(
        "disputes.linkage",
        text,
        dispute,
        actor,
        channel=channel,
        direction=direction,
        on=on,
        counterpart=counterpart,
        note=note,
    )


@transaction.atomic
def record_linkage(
    dispute: Dispute,
    *,
    channel: str,
    direction: str,
    on: dt.date,
    counterpart: str,
    note: str = "",
    actor: Any,
) -> None:
    """Record a transfer between people's mediation and 行政调解 / 司法调解 (诉调对接 …)."""
    _ensure(actor, CHANGE, dispute)
    if channel not in c.LinkageChannel.values:
        raise ValidationError({"channel": "请选择衔接方式。"})
    if direction not in c.LinkageDirection.values:
        raise ValidationError({"direction": "请选择转入或转出。"})
    if not (counterpart or "").strip():
        raise ValidationError({"counterpart": "请填写对接单位（如：县人民法院、县市场监管局）。"})
    _not_before(on, dispute.received_on, "on", "登记日期")
    _linkage_event(
        dispute,
        channel=channel,
        direction=direction,
        on=on,
        counterpart=counterpart.strip(),
        note=(note or "").strip(),
        actor=actor,
    )


# --- sessions -------------------------------------------------------------------------------
@transaction.atomic
def record_session(
    model: type[MediationSession], data: dict[str, Any], *, actor: Any
) -> MediationSession:
    """The resource's create service: a mediation record. A registered dispute is accepted
    for mediation on the session's date."""
    dispute: Dispute | None = data.get("dispute")
    if dispute is None:
        raise ValidationError({"dispute": "请选择纠纷。"})
    _ensure(actor, CHANGE, dispute)
    if not dispute.is_open:
        raise ValidationError({"dispute": "该纠纷已办结，不能再登记调解记录。"})
    if dispute.status == c.DisputeStatus.REGISTERED:
        held_on = data.get("held_on") or _today()
        mediators = list(data.get("mediators") or [])
        accept_dispute(
            dispute,
            on=max(held_on, dispute.received_on),
            actor=actor,
            mediator=mediators[0] if mediators and not dispute.mediator_id else None,
        )
    session = _create_object(model, data, actor=actor)
    _event(
        "disputes.session_recorded",
        f"{dispute.number}调解（{session.held_on:%Y-%m-%d}）：{session.get_result_display()}",
        Dispute.objects.get(pk=dispute.pk),
        actor,
        session=session.pk,
        result=session.result,
    )
    return session
