"""Satisfaction ratings, receipt code reissue, backlog cases (积案清零) and reading helpers for
pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.core.audit import record_event, snapshot
from fazhi.core.models import Staff
from fazhi.core.roles import CHANGE
from fazhi.petitions.choices import (
    RATABLE,
    Action,
    BacklogStatus,
    Level,
    RatingChannel,
    Satisfaction,
    Source,
    next_status,
)
from fazhi.petitions.models import (
    BacklogCase,
    BacklogProgress,
    Petition,
    PetitionOpinion,
)
from fazhi.petitions.services._common import (
    _begin,
    _check_day,
    _cn,
    _create,
    _ensure,
    _finish,
    _required_text,
    _save,
    _Step,
    hash_code,
    new_receipt_code,
    today,
)


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
