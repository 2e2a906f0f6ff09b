"""Routing to statutory channels (导入法定途径), 三级化解 escalations and transfers to mediation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.core import deadlines
from fazhi.petitions import rules
from fazhi.petitions.choices import (
    Action,
    Level,
    Status,
    TransferKind,
)
from fazhi.petitions.models import (
    Petition,
    PetitionTransfer,
)
from fazhi.petitions.services._common import (
    _begin,
    _check_day,
    _create,
    _finish,
    _required_text,
)


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
