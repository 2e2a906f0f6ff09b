"""Petitioners from the party index, same-matter detection, registration (登记, 条例第二十二、
二十三条), edits and deletion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from fazhi.core import deadlines, scope
from fazhi.core import services as core_services
from fazhi.core.audit import record_change, record_event, snapshot
from fazhi.core.choices import ChangeAction
from fazhi.core.memo import reference_data_fixed
from fazhi.core.models import Township
from fazhi.core.numbering import claim_number, next_number, taken_in
from fazhi.core.roles import ADD, CHANGE
from fazhi.petitions import rules
from fazhi.petitions.choices import (
    Level,
    OpinionLevel,
    PartyRole,
    Source,
    Status,
)
from fazhi.petitions.models import (
    MAX_REPRESENTATIVES,
    Petition,
    PetitionParty,
)
from fazhi.petitions.services._common import (
    NUMBER_KIND,
    REGULATION,
    _check_day,
    _cn,
    _create,
    _open,
    hash_code,
    new_receipt_code,
    window_due,
)


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
@reference_data_fixed()  # the calendar and the county's overrides read once for both periods
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
    issue_code: bool = True,
) -> tuple[Petition, str]:
    """Register a petition (条例第二十二、二十三条) and start its acceptance period.

    Returns (petition, receipt code). The code is printed on the receipt and stored only as a
    hash; the petitioner uses it with the receipt number on the public portal.
    `receipt_no` keeps a ledger number when importing an existing ledger. With
    `issue_code=False` (a historical petition imported from a ledger: no receipt is printed, so
    nobody would ever see a code) no code is made and "" is returned; the portal finds nothing
    for the petition until staff reissue a code (`reissue_code`). See docs/petitions.md.
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
    code = new_receipt_code() if issue_code else ""
    p = Petition(
        township=township,
        receipt_no=receipt_no,
        receipt_seq=seq,
        year=year,
        receipt_code_hash=hash_code(code) if code else "",
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
