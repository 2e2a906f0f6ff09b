"""Verbs of people's mediation. Each runs in one transaction, checks the scope gate, locks the
row for a status change, validates (Chinese messages naming the field), and writes the change
records and domain events in the same transaction. `actor=None` means the system (demo
loader, jobs, imports run by a command).

Status changes go only through `_transition`, which reads choices.TRANSITIONS.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from fazhi.core import deadlines, numbering, scope, services
from fazhi.core.audit import record_change, record_event, snapshot
from fazhi.core.choices import ChangeAction, DeadlineStatus, DeadlineUnit, NotificationKind
from fazhi.core.models import Deadline, Notification, Staff, Township, VillageContact
from fazhi.core.roles import ADD, CHANGE
from fazhi.disputes import choices as c
from fazhi.disputes import rules
from fazhi.disputes.models import (
    BacklogCase,
    Dispute,
    DisputeParty,
    EarlyWarning,
    FollowUpVisit,
    MediationAgreement,
    MediationSession,
    Mediator,
    MediatorTraining,
    WarningSettings,
)
from fazhi.parties import registry as party_registry
from fazhi.parties.models import Party
from fazhi.parties.services import find_or_create_party

NUMBER_KIND = "调"
AGREEMENT_NUMBER_KIND = "调协"


# --- helpers --------------------------------------------------------------------------------
def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _ensure(actor: Any, action: str, obj: models.Model) -> None:
    if actor is not None:
        scope.ensure(actor, action, obj)


def _recheck(actor: Any, obj: models.Model, action: str) -> None:
    if actor is not None and not scope.visible(actor, obj, action):
        raise PermissionDenied("保存后的记录超出您的权限范围，未保存。")


def _save(obj: models.Model, before: dict[str, Any] | None, actor: Any) -> None:
    """Validate, bump the version (updates), save and write the change record."""
    obj.full_clean()
    if before is not None:
        obj.version += 1
    else:
        obj.created_by = _user(actor)
    obj.updated_by = _user(actor)
    obj.save()
    action = ChangeAction.UPDATE if before is not None else ChangeAction.CREATE
    record_change(obj, action, before, snapshot(obj), actor=actor)


def _create_object(model: type[models.Model], data: dict[str, Any], *, actor: Any) -> Any:
    """core.services.create_object for a user; for the system (actor None: demo loader, jobs)
    the same steps without the scope gate."""
    if actor is not None:
        return services.create_object(model, data, actor=actor)
    obj = model()
    m2m = {}
    for name, value in data.items():
        if model._meta.get_field(name).many_to_many:
            m2m[name] = value
        else:
            setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    for name, value in m2m.items():
        getattr(obj, name).set(value)
    record_change(obj, ChangeAction.CREATE, None, snapshot(obj), actor=None)
    return obj


def _update_object(
    obj: Any, data: dict[str, Any], *, actor: Any, expected_version: int | None
) -> Any:
    if actor is not None:
        return services.update_object(obj, data, actor=actor, expected_version=expected_version)
    locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    if expected_version is not services.UNCHECKED and expected_version is not None:
        services.check_version(locked, expected_version)  # a system write without a person's read
    before = snapshot(locked)
    for name, value in data.items():
        setattr(locked, name, value)
    _save(locked, before, None)
    return locked


def _event(kind: str, label: str, obj: models.Model, actor: Any, /, **payload: Any) -> None:
    record_event(kind, label, township=obj.township_id, actor=actor, obj=obj, payload=payload)


def _today() -> dt.date:
    return timezone.localdate()


def _transition(dispute: Dispute, new: str) -> None:
    old = dispute.status
    if new not in c.TRANSITIONS[old]:
        allowed = "、".join(c.DisputeStatus(s).label for s in c.TRANSITIONS[old]) or "无"
        raise ValidationError(
            {
                "status": f"纠纷当前为“{c.DisputeStatus(old).label}”，不能改为"
                f"“{c.DisputeStatus(new).label}”（可改为：{allowed}）。"
            }
        )
    dispute.status = new


def _lock(dispute: Dispute) -> Dispute:
    """The row locked for update, with the rows its services read (no lazy load per access,
    no existence query per foreign key when it is validated again)."""
    return (
        Dispute.objects.select_for_update(of=("self",))
        .select_related("township", "village", "mediator")
        .get(pk=dispute.pk)
    )


def _not_before(on: dt.date, earliest: dt.date | None, field: str, what: str) -> None:
    if earliest is not None and on < earliest:
        raise ValidationError({field: f"日期不能早于{what}（{earliest:%Y-%m-%d}）。"})


def _not_future(on: dt.date, field: str) -> None:
    if on > _today():
        raise ValidationError({field: "日期不能晚于今天。"})


def leader_for(township: Any, village: Any, on: dt.date | None = None) -> tuple[Any, str]:
    """Who a warning or an escalation goes to: the village's 分包领导 (core.VillageContact) in
    office on `on`; failing that, the head of the 司法所. Returns (user or None, description)."""
    on = on or _today()
    contact = None
    if village is not None:
        contact = (
            VillageContact.objects.filter(village=village, start__lte=on)
            .filter(models.Q(end__isnull=True) | models.Q(end__gte=on))
            .select_related("staff", "staff__user")
            .order_by("-start", "-pk")
            .first()
        )
    return choose_leader(village, contact, lambda: justice_staff(township))


def justice_staff(township: Any) -> list[Staff]:
    """The 司法所's active staff with a login, in the order `choose_leader` reads them."""
    return list(
        Staff.objects.filter(
            township=township, department__kind="justice", is_active=True, user__isnull=False
        )
        .select_related("user")
        .order_by("pk")
    )


def choose_leader(
    village: Any, contact: VillageContact | None, justice: Callable[[], list[Staff]]
) -> tuple[Any, str]:
    """`leader_for`'s decision once the contact in office is known (the ledger import finds
    contacts in memory): the contact when they have an active login, else the 司法所 head."""
    without_login = ""
    if contact is not None and contact.staff.user_id and contact.staff.user.is_active:
        return contact.staff.user, f"分包领导{contact.staff.name}"
    if contact is not None:
        # the leader has no (active) login: the warning must still reach someone
        without_login = f"分包领导{contact.staff.name}未开通平台账号"
    staff = justice()
    head = next((s for s in staff if "所长" in s.position), staff[0] if staff else None)
    if head is not None:
        if without_login:
            note = f"（{without_login}）"
        else:
            note = "（该村未配置分包领导）" if village is not None else "（未指定村）"
        return head.user, f"司法所{head.name}{note}"
    if without_login:
        return None, f"{without_login}，无法推送"
    return None, "未配置分包领导，请在“分包领导”中配置"


def _mediator_user(dispute: Dispute) -> Any:
    if dispute.mediator_id and dispute.mediator.staff_id:
        return dispute.mediator.staff.user
    return None


def dispute_url(dispute: Dispute) -> str:
    return reverse("disputes:disputes_detail", args=[dispute.pk])


# --- registration ---------------------------------------------------------------------------
@dataclass(frozen=True)
class PartyInput:
    """A party as entered on a form, a ledger row or a transfer from petitions. Give `party`
    (an index entry) or the details to match/create one."""

    name: str = ""
    role: str = c.PartyRole.APPLICANT
    id_number: str = ""
    phone: str = ""
    address: str = ""
    kind: str = "person"
    gender: str = ""
    party: Party | None = None


REGISTER_FIELDS = (
    "source_ref",
    "campaign",
    "title",
    "claims",
    "village",
    "grid",
    "committee",
    "mediator",
    "risk_level",
    "amount",
    "people_count",
)


def _party(township: Township, item: PartyInput, actor: Any) -> Party:
    if item.party is not None:
        if item.party.township_id != township.pk:
            raise ValidationError({"parties": "当事人不属于该乡镇。"})
        return item.party.root()
    return find_or_create_party(
        township,
        name=item.name,
        id_number=item.id_number,
        phone=item.phone,
        kind=item.kind or "person",
        address=item.address,
        gender=item.gender,
        actor=actor,
    )


def _link_party(
    dispute: Dispute, party: Party, role: str, actor: Any, note: str = ""
) -> DisputeParty:
    existing = DisputeParty.objects.filter(dispute=dispute, party=party).first()
    if existing is not None:
        return existing
    link = DisputeParty(
        township_id=dispute.township_id, dispute=dispute, party=party, role=role, note=note
    )
    _save(link, None, actor)
    return link


def _reserve(township: Township, number: str) -> None:
    """A number given by hand moves the counter past it (core.numbering.claim_number)."""
    numbering.claim_number(township, NUMBER_KIND, number)


def _default_title(dispute: Dispute, names: Sequence[str]) -> str:
    kind = c.DisputeType(dispute.kind).label
    if not names:
        return kind
    head = "与".join(names[:2]) + ("等" if len(names) > 2 else "")
    return f"{head}{kind}"[:120]


@transaction.atomic
def register_dispute(
    township: Township,
    *,
    received_on: dt.date,
    source: str,
    kind: str,
    description: str,
    actor: Any,
    parties: Iterable[PartyInput] = (),
    number: str = "",
    reported_by: Any = None,
    accept: bool = False,
    check: bool = True,
    **fields: Any,
) -> Dispute:
    """Register a dispute (调解登记) with its parties from the party index, give it its
    receipt number (〔2025〕寺庄镇调字第N号), record a linkage event when it was transferred in,
    and check the early warnings. `accept=True` also accepts it for mediation the same day
    (a walk-in mediated on the spot)."""
    unknown = set(fields) - set(REGISTER_FIELDS)
    if unknown:
        raise TypeError(f"unknown dispute fields: {sorted(unknown)}")
    if actor is not None:
        scope.ensure_township(actor, ADD, township.pk, Dispute)
    dispute = Dispute(
        township=township,
        received_on=received_on,
        source=source,
        kind=kind,
        description=description,
        reported_by=_user(reported_by)
        or (_user(actor) if source == c.DisputeSource.GRID else None),
        **fields,
    )
    dispute.full_clean()
    if number:
        if Dispute.objects.filter(township=township, number=number).exists():
            raise ValidationError({"number": f"受理编号“{number}”已被使用。"})
        dispute.number = number
        _reserve(township, number)
    else:
        _, dispute.number = numbering.next_number(
            township,
            NUMBER_KIND,
            year=received_on.year,
            taken=numbering.taken_in(Dispute, "number", township),
        )
    items = list(parties)
    linked: list[Party] = []
    for item in items:
        linked.append(_party(township, item, actor))
    if not dispute.title:
        dispute.title = _default_title(dispute, [p.name for p in linked])
    _save(dispute, None, actor)
    for item, party in zip(items, linked, strict=True):
        _link_party(dispute, party, item.role or c.PartyRole.APPLICANT, actor)
    _recheck(actor, dispute, ADD)
    _event(
        "disputes.registered",
        f"登记矛盾纠纷{dispute.number}（{dispute.get_source_display()}，{dispute.get_kind_display()}）",
        dispute,
        actor,
        source=source,
        kind=kind,
        parties=[p.pk for p in linked],
    )
    if source in (
        c.DisputeSource.POLICE,
        c.DisputeSource.COURT,
        c.DisputeSource.PETITION,
        c.DisputeSource.OTHER_BODY,
    ):
        channel = {
            c.DisputeSource.POLICE: c.LinkageChannel.POLICE_DOCKING,
            c.DisputeSource.COURT: c.LinkageChannel.COURT_DOCKING,
            c.DisputeSource.PETITION: c.LinkageChannel.PETITION_DOCKING,
            c.DisputeSource.OTHER_BODY: c.LinkageChannel.ADMIN_MEDIATION,
        }[source]
        _linkage_event(
            dispute,
            channel=channel,
            direction=c.LinkageDirection.IN,
            on=received_on,
            counterpart=dispute.get_source_display(),
            note=dispute.source_ref,
            actor=actor,
        )
    if accept:
        dispute = accept_dispute(dispute, on=received_on, actor=actor)
    if check:
        check_warnings(dispute, actor=actor)
    return dispute


def create_dispute(model: type[Dispute], data: dict[str, Any], *, actor: Any) -> Dispute:
    """The resource's create service (add page, API, generic Excel import)."""
    data = dict(data)
    township = data.pop("township", None)
    if township is None:
        raise ValidationError({"township": "请选择乡镇。"})
    parties = data.pop("parties", ())
    required = {k: data.pop(k, None) for k in ("received_on", "source", "kind", "description")}
    missing = [k for k, v in required.items() if not v]
    if missing:
        raise ValidationError({k: "不能为空。" for k in missing})
    return register_dispute(township, parties=parties, actor=actor, **required, **data)


@transaction.atomic
def update_dispute(
    obj: Dispute, data: dict[str, Any], *, actor: Any, expected_version: int | None
) -> Dispute:
    data = dict(data)
    number = data.pop("number", None)
    if number not in (None, "") and number != obj.number:
        raise ValidationError({"number": "受理编号由系统生成，不能修改。"})
    data.pop("parties", None)
    dispute = _update_object(obj, data, actor=actor, expected_version=expected_version)
    check_warnings(dispute, actor=actor)
    return dispute


@transaction.atomic
def delete_dispute(obj: Dispute, *, actor: Any, expected_version: int | None) -> None:
    """Only a registration made in error (still 已登记, never mediated) may be deleted."""
    locked = _lock(obj)
    if locked.status != c.DisputeStatus.REGISTERED or locked.sessions.exists():
        raise ValidationError(
            "已受理调解的纠纷不能删除；如系误登记，请以“终止调解”办结并写明原因。"
        )
    for link in locked.dispute_parties.all():
        record_change(link, ChangeAction.DELETE, snapshot(link), None, actor=actor)
    services.delete_object(locked, actor=actor, expected_version=expected_version)


# --- parties of a dispute -------------------------------------------------------------------
@transaction.atomic
def add_dispute_party(
    model: type[DisputeParty], data: dict[str, Any], *, actor: Any
) -> DisputeParty:
    """The resource's create service: a party chosen from the index, or entered by details."""
    data = dict(data)
    dispute: Dispute | None = data.get("dispute")
    if dispute is None:
        raise ValidationError({"dispute": "请选择纠纷。"})
    _ensure(actor, CHANGE, dispute)
    township = data.get("township") or dispute.township
    if township.pk != dispute.township_id:
        raise ValidationError({"dispute": "纠纷不属于该乡镇。"})
    party = data.get("party")
    details = {k: data.pop(k, "") for k in ("name", "id_number", "phone", "address", "kind")}
    if party is None:
        if not details["name"]:
            raise ValidationError({"party": "请选择当事人，或填写当事人姓名。"})
        party = find_or_create_party(
            township,
            name=details["name"],
            id_number=details["id_number"],
            phone=details["phone"],
            address=details["address"],
            kind=details["kind"] or "person",
            actor=actor,
        )
    else:
        party = party.root()
    if DisputeParty.objects.filter(dispute=dispute, party=party).exists():
        raise ValidationError({"party": f"“{party.name}”已是该纠纷的当事人。"})
    link = DisputeParty(
        township_id=dispute.township_id,
        dispute=dispute,
        party=party,
        role=data.get("role") or c.PartyRole.APPLICANT,
        note=data.get("note", ""),
    )
    _save(link, None, actor)
    _recheck(actor, link, ADD)
    check_warnings(dispute, actor=actor)
    return link


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
        content_type=ct, object_id=str(dispute.pk), kind="disputes.escalated"
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


# --- early warnings -------------------------------------------------------------------------
def settings_for(township: Any) -> WarningSettings:
    """The township's thresholds (unsaved defaults when none are entered)."""
    found = WarningSettings.objects.filter(township=township).first()
    return found or WarningSettings(township_id=getattr(township, "pk", township))


def _notify(user: Any, obj: Dispute | EarlyWarning, text: str) -> None:
    if user is None:
        return
    dispute = obj if isinstance(obj, Dispute) else obj.dispute
    url = dispute_url(dispute) if dispute is not None else ""
    Notification.objects.create(
        user=user,
        township_id=obj.township_id,
        kind=NotificationKind.INFO,
        text=text[:300],
        url=url,
    )


def raise_warning(
    township: Any,
    kind: str,
    *,
    detail: str,
    actor: Any,
    dispute: Dispute | None = None,
    party: Party | None = None,
    village: Any = None,
    on: dt.date | None = None,
) -> EarlyWarning:
    """Raise one warning (once per dispute and kind) and route it to the village's 分包领导."""
    if dispute is not None:
        existing = EarlyWarning.objects.filter(dispute=dispute, kind=kind).first()
        if existing is not None:
            return existing
        village = village or dispute.village
    on = on or _today()
    leader, who = leader_for(township, village, on)
    warning = EarlyWarning(
        township_id=getattr(township, "pk", township),
        kind=kind,
        dispute=dispute,
        party=party,
        village=village,
        raised_on=on,
        detail=detail,
        routed_to=leader,
        routed_to_name=who[:60],
    )
    _save(warning, None, actor)
    _notify(leader, warning, f"矛盾纠纷预警（{warning.get_kind_display()}）：{detail}")
    _event(
        "disputes.warning_raised",
        f"预警（{warning.get_kind_display()}）推送至{who}：{detail}",
        warning,
        actor,
        kind=kind,
        dispute=dispute.pk if dispute else None,
        routed_to=who,
    )
    return warning


def create_warning(model: type[EarlyWarning], data: dict[str, Any], *, actor: Any) -> EarlyWarning:
    """The resource's create service: a warning reported by hand (e.g. by a grid worker)."""
    data = dict(data)
    township = data.get("township")
    dispute = data.get("dispute")
    village = data.get("village") or (dispute.village if dispute is not None else None)
    if actor is not None:
        scope.ensure_township(actor, ADD, township.pk, EarlyWarning)
    if (
        dispute is not None
        and EarlyWarning.objects.filter(dispute=dispute, kind=data.get("kind")).exists()
    ):
        raise ValidationError({"kind": "该纠纷已有同类预警。"})
    with transaction.atomic():
        warning = raise_warning(
            township,
            data.get("kind"),
            detail=data.get("detail", ""),
            actor=actor,
            dispute=dispute,
            party=data.get("party"),
            village=village,
            on=data.get("raised_on"),
        )
        _recheck(actor, warning, ADD)
    return warning


@transaction.atomic
def handle_warning(
    warning: EarlyWarning, *, action: str, note: str, on: dt.date, actor: Any
) -> EarlyWarning:
    """Record what was done about a warning (处置)."""
    _ensure(actor, CHANGE, warning)
    locked = EarlyWarning.objects.select_for_update().get(pk=warning.pk)
    if c.WarningStatus.HANDLED not in c.WARNING_TRANSITIONS[locked.status]:
        raise ValidationError("该预警已处置。")
    if action not in c.WarningAction.values:
        raise ValidationError({"action": "请选择处置措施。"})
    if not (note or "").strip():
        raise ValidationError({"note": "请填写处置情况。"})
    _not_before(on, locked.raised_on, "handled_on", "预警日期")
    before = snapshot(locked)
    locked.status = c.WarningStatus.HANDLED
    locked.action = action
    locked.action_note = note.strip()
    locked.handled_on = on
    locked.handled_by = _user(actor)
    _save(locked, before, actor)
    _event(
        "disputes.warning_handled",
        f"预警处置：{locked.get_action_display()}；{locked.action_note}",
        locked,
        actor,
        action=action,
    )
    return locked


def _text(dispute: Dispute) -> str:
    return " ".join((dispute.title or "", dispute.description or "", dispute.claims or ""))


def check_warnings(
    dispute: Dispute, *, actor: Any, today: dt.date | None = None
) -> list[EarlyWarning]:
    """Raise the warnings a dispute calls for: violence / 民转刑 words, a group of parties,
    parties with other records (any module) within the window. Idempotent."""
    dispute = Dispute.objects.get(pk=dispute.pk)
    conf = settings_for(dispute.township_id)
    raised: list[EarlyWarning] = []
    text = _text(dispute)
    found = [w for w in conf.keyword_list() if w in text]
    if found:
        raised.append(
            raise_warning(
                dispute.township,
                c.WarningKind.VIOLENCE,
                detail=f"{dispute.number}纠纷情况出现风险词“{'、'.join(found)}”，可能激化；"
                f"可能引起治安、刑事案件的，应及时报告公安机关（{rules.CITATION_REPORT_POLICE}）。",
                dispute=dispute,
                actor=actor,
                on=today or dispute.received_on,
            )
        )
    links = list(dispute.dispute_parties.select_related("party"))
    size = max(len(links), dispute.people_count or 0)
    if size >= conf.group_threshold:
        raised.append(
            raise_warning(
                dispute.township,
                c.WarningKind.GROUP,
                detail=f"{dispute.number}涉及{size}人（达到群体性纠纷标准{conf.group_threshold}人）。",
                dispute=dispute,
                actor=actor,
                on=today or dispute.received_on,
            )
        )
    window = dt.timedelta(days=conf.repeat_window_days)
    key = f"disputes.dispute:{dispute.pk}"
    repeats: list[tuple[Party, list[party_registry.PartyRecord]]] = []
    # one look across every module for all the parties at once; party by party only when some
    # party has another record in the window (rare: a ledger import checks each row)
    start = dispute.received_on - window
    if links and not party_registry.any_between(
        [link.party for link in links], start, dispute.received_on, exclude=key
    ):
        links = []
    for link in links:
        others = party_registry.records_between(
            link.party, dispute.received_on - window, dispute.received_on, exclude=key
        )
        if others:
            repeats.append((link.party, others))
    if repeats:
        parts = []
        for party, others in repeats:
            listed = "、".join(f"{r.module}{r.title}（{r.date:%Y-%m-%d}）" for r in others[:5])
            parts.append(f"{party.name}另有{len(others)}件：{listed}")
        raised.append(
            raise_warning(
                dispute.township,
                c.WarningKind.REPEAT_PARTY,
                detail=f"{dispute.number}当事人{conf.repeat_window_days}天内反复涉纠纷："
                + "；".join(parts),
                dispute=dispute,
                party=repeats[0][0],
                actor=actor,
                on=today or dispute.received_on,
            )
        )
    return raised


def sweep_overdue(today: dt.date | None = None) -> int:
    """Raise an 超期未结 warning for every dispute past its conclusion period."""
    today = today or _today()
    ct = ContentType.objects.get_for_model(Dispute)
    overdue = Deadline.objects.filter(
        content_type=ct,
        rule_code=rules.CONCLUSION.code,
        status=DeadlineStatus.OPEN,
        due_date__lt=today,
    ).values_list("object_id", "due_date")
    raised = 0
    for object_id, due in overdue:
        dispute = Dispute.objects.filter(pk=object_id).first()
        if (
            dispute is None
            or EarlyWarning.objects.filter(dispute=dispute, kind=c.WarningKind.OVERDUE).exists()
        ):
            continue
        with transaction.atomic():
            raise_warning(
                dispute.township,
                c.WarningKind.OVERDUE,
                detail=f"{dispute.number}超过调结期限（届满日{due:%Y-%m-%d}）仍未办结，已逾期{(today - due).days}天。",
                dispute=dispute,
                actor=None,
                on=today,
            )
        raised += 1
    return raised
