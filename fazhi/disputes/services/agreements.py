"""The 调解协议书 (第二十九条), court confirmation (第三十三条) and follow-up visits (回访)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.core import deadlines, numbering
from fazhi.core.audit import snapshot
from fazhi.core.roles import ADD, CHANGE
from fazhi.disputes import choices as c
from fazhi.disputes import rules
from fazhi.disputes.models import (
    Dispute,
    FollowUpVisit,
    MediationAgreement,
)
from fazhi.disputes.services._common import (
    AGREEMENT_NUMBER_KIND,
    _create_object,
    _ensure,
    _event,
    _mediator_user,
    _not_before,
    _recheck,
    _save,
    _update_object,
    _user,
    leader_for,
)
from fazhi.disputes.services.workflow import (
    _linkage_event,
    conclude_dispute,
)


# --- agreement ------------------------------------------------------------------------------
def _agreement_effective(agreement: MediationAgreement, actor: Any) -> None:
    """The agreement took effect: the dispute is 调解成功 on that day (if still mediating); the
    court-confirmation reminder (30日) and the first follow-up visit start."""
    dispute = Dispute.objects.get(pk=agreement.dispute_id)
    on = agreement.effective_on
    if dispute.status == c.DisputeStatus.MEDIATING:
        conclude_dispute(
            dispute, c.DisputeStatus.SUCCEEDED, on=on, actor=actor, note="达成书面调解协议"
        )
        dispute.refresh_from_db()
    leader, _ = leader_for(dispute.township, dispute.village, on)
    responsible = _mediator_user(dispute) or _user(actor)
    if agreement.court_confirmation == c.CourtConfirmation.NOT_YET:
        deadlines.open_deadline(
            dispute,
            rules.COURT_CONFIRMATION.code,
            on,
            actor=actor,
            responsible=responsible,
            leader=leader,
        )
    if agreement.performance != c.Performance.DONE:
        deadlines.open_deadline(
            dispute, rules.FOLLOW_UP.code, on, actor=actor, responsible=responsible, leader=leader
        )
    _event(
        "disputes.agreement_effective",
        f"调解协议书{agreement.number}生效（{on:%Y-%m-%d}）",
        dispute,
        actor,
        agreement=agreement.pk,
        on=on,
    )


def _agreement_court(agreement: MediationAgreement, old: str, actor: Any) -> None:
    new = agreement.court_confirmation
    if new == old:
        return
    dispute = Dispute.objects.get(pk=agreement.dispute_id)
    if new in (
        c.CourtConfirmation.APPLIED,
        c.CourtConfirmation.CONFIRMED,
        c.CourtConfirmation.REJECTED,
    ):
        deadlines.complete_deadline(
            dispute, rules.COURT_CONFIRMATION.code, agreement.court_applied_on, actor=actor
        )
    elif new == c.CourtConfirmation.DECLINED:
        deadlines.cancel_deadline(dispute, rules.COURT_CONFIRMATION.code, actor=actor)
    _event(
        "disputes.court_confirmation",
        f"调解协议书{agreement.number}司法确认：{agreement.get_court_confirmation_display()}"
        + (f"（{agreement.court_name}）" if agreement.court_name else ""),
        dispute,
        actor,
        agreement=agreement.pk,
        status=new,
    )
    if new == c.CourtConfirmation.DECLINED:
        return
    if new in (
        c.CourtConfirmation.APPLIED,
        c.CourtConfirmation.CONFIRMED,
        c.CourtConfirmation.REJECTED,
    ):
        _court_docking(dispute, agreement, actor)


def _court_docking(dispute: Dispute, agreement: MediationAgreement, actor: Any) -> None:
    """An application for court confirmation is 诉调对接: record it once."""
    from fazhi.core.models import DomainEvent

    ct = ContentType.objects.get_for_model(Dispute)
    if DomainEvent.objects.filter(
        township_id=dispute.township_id,  # filed under it (`_event`): the index leads with it
        content_type=ct,
        object_id=str(dispute.pk),
        kind="disputes.linkage",
        payload__channel=c.LinkageChannel.COURT_DOCKING,
        payload__direction=c.LinkageDirection.OUT,
    ).exists():
        return
    _linkage_event(
        dispute,
        channel=c.LinkageChannel.COURT_DOCKING,
        direction=c.LinkageDirection.OUT,
        on=agreement.court_applied_on,
        counterpart=agreement.court_name or "人民法院",
        note="申请司法确认",
        actor=actor,
    )


@transaction.atomic
def create_agreement(
    model: type[MediationAgreement], data: dict[str, Any], *, actor: Any
) -> MediationAgreement:
    """The resource's create service: the 调解协议书 of a dispute under mediation (or already
    recorded as 调解成功). It gets its number; with an effective date it takes effect."""
    dispute: Dispute | None = data.get("dispute")
    if dispute is None:
        raise ValidationError({"dispute": "请选择纠纷。"})
    _ensure(actor, CHANGE, dispute)
    if dispute.status not in (c.DisputeStatus.MEDIATING, c.DisputeStatus.SUCCEEDED):
        raise ValidationError(
            {
                "dispute": f"纠纷当前为“{dispute.get_status_display()}”，只有调解中或调解成功的纠纷才能制作调解协议书。"
            }
        )
    if MediationAgreement.objects.filter(dispute=dispute).exists():
        raise ValidationError({"dispute": "该纠纷已有调解协议书。"})
    data = dict(data)
    agreement = model()
    for name, value in data.items():
        setattr(agreement, name, value)
    if agreement.township_id is None:
        agreement.township_id = dispute.township_id
    agreement.full_clean()
    _, agreement.number = numbering.next_number(
        dispute.township,
        AGREEMENT_NUMBER_KIND,
        year=agreement.made_on.year,
        taken=numbering.taken_in(MediationAgreement, "number", dispute.township),
    )
    _save(agreement, None, actor)
    _recheck(actor, agreement, ADD)
    _event(
        "disputes.agreement_made",
        f"制作调解协议书{agreement.number}",
        dispute,
        actor,
        agreement=agreement.pk,
    )
    if agreement.effective_on:
        _agreement_effective(agreement, actor)
        if agreement.court_confirmation != c.CourtConfirmation.NOT_YET:
            _agreement_court(agreement, c.CourtConfirmation.NOT_YET, actor)
    return agreement


@transaction.atomic
def update_agreement(
    obj: MediationAgreement, data: dict[str, Any], *, actor: Any, expected_version: int | None
) -> MediationAgreement:
    current = MediationAgreement.objects.get(pk=obj.pk)
    data = dict(data)
    number = data.pop("number", None)
    if number not in (None, "") and number != current.number:
        raise ValidationError({"number": "协议书编号由系统生成，不能修改。"})
    if (
        "dispute" in data
        and data["dispute"] is not None
        and data["dispute"].pk != current.dispute_id
    ):
        raise ValidationError({"dispute": "调解协议书所属纠纷不能更改。"})
    new_effective = data.get("effective_on", current.effective_on)
    if current.effective_on and new_effective != current.effective_on:
        raise ValidationError({"effective_on": "协议已生效，生效日期不能修改。"})
    agreement = _update_object(obj, data, actor=actor, expected_version=expected_version)
    if agreement.effective_on and not current.effective_on:
        _agreement_effective(agreement, actor)
    if agreement.effective_on:
        _agreement_court(agreement, current.court_confirmation, actor)
    if agreement.performance == c.Performance.DONE and current.performance != c.Performance.DONE:
        dispute = Dispute.objects.get(pk=agreement.dispute_id)
        deadlines.cancel_deadline(dispute, rules.FOLLOW_UP.code, actor=actor)
        _event(
            "disputes.performed",
            f"调解协议书{agreement.number}已全部履行（{agreement.performed_on:%Y-%m-%d}）",
            dispute,
            actor,
            agreement=agreement.pk,
        )
    return agreement


@transaction.atomic
def attach_signed_scan(agreement: MediationAgreement, uploaded: Any, *, actor: Any) -> Any:
    """Upload the signed and sealed agreement (扫描件) through core attachments."""
    from fazhi.core import attachments

    _ensure(actor, CHANGE, agreement)
    locked = MediationAgreement.objects.select_for_update().get(pk=agreement.pk)
    stored = attachments.store(
        uploaded,
        township=locked.township,
        obj=locked,
        actor=actor,
        description=f"{locked.number}签字盖章扫描件",
    )
    before = snapshot(locked)
    locked.signed_scan = stored
    _save(locked, before, actor)
    return stored


# --- follow-up visits -----------------------------------------------------------------------
@transaction.atomic
def record_follow_up(
    model: type[FollowUpVisit], data: dict[str, Any], *, actor: Any
) -> FollowUpVisit:
    """The resource's create service: a 回访 closes the follow-up period; when the agreement is
    not yet fully performed, the next follow-up period starts from this visit."""
    dispute: Dispute | None = data.get("dispute")
    if dispute is None:
        raise ValidationError({"dispute": "请选择纠纷。"})
    _ensure(actor, CHANGE, dispute)
    if dispute.status != c.DisputeStatus.SUCCEEDED:
        raise ValidationError({"dispute": "只有调解成功的纠纷需要回访协议履行情况。"})
    if data.get("visited_on"):
        _not_before(data["visited_on"], dispute.concluded_on, "visited_on", "调解成功日期")
    visit = _create_object(model, data, actor=actor)
    deadlines.complete_deadline(dispute, rules.FOLLOW_UP.code, visit.visited_on, actor=actor)
    agreement = MediationAgreement.objects.filter(dispute=dispute).first()
    if agreement is not None and agreement.performance != visit.performance:
        locked = MediationAgreement.objects.select_for_update().get(pk=agreement.pk)
        before = snapshot(locked)
        locked.performance = visit.performance
        if visit.performance == c.Performance.DONE and not locked.performed_on:
            locked.performed_on = visit.visited_on
        _save(locked, before, actor)
    if visit.performance != c.Performance.DONE:
        leader, _ = leader_for(dispute.township, dispute.village, visit.visited_on)
        deadlines.open_deadline(
            dispute,
            rules.FOLLOW_UP.code,
            visit.visited_on,
            actor=actor,
            responsible=_mediator_user(dispute) or _user(actor),
            leader=leader,
        )
    _event(
        "disputes.followed_up",
        f"{dispute.number}回访（{visit.visited_on:%Y-%m-%d}，{visit.get_method_display()}）：{visit.get_performance_display()}",
        dispute,
        actor,
        visit=visit.pk,
        performance=visit.performance,
    )
    return visit
