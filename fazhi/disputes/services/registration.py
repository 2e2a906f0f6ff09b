"""Registration of a dispute with its parties from the party index (调解登记), its edits and
deletion, and parties added later."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.core import numbering, scope, services
from fazhi.core.audit import record_change, snapshot
from fazhi.core.choices import ChangeAction
from fazhi.core.models import Township
from fazhi.core.roles import ADD, CHANGE
from fazhi.disputes import choices as c
from fazhi.disputes.models import (
    Dispute,
    DisputeParty,
)
from fazhi.disputes.services._common import (
    NUMBER_KIND,
    _ensure,
    _event,
    _lock,
    _recheck,
    _save,
    _update_object,
    _user,
)
from fazhi.disputes.services.early_warnings import (
    check_warnings,
)
from fazhi.disputes.services.workflow import (
    _linkage_event,
    accept_dispute,
)
from fazhi.parties.models import Party
from fazhi.parties.services import find_or_create_party


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
        # the township as loaded on the dispute: the change record shows it without a query
        township=dispute.township,
        dispute=dispute,
        party=party,
        role=role,
        note=note,
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
