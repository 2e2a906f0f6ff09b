"""Verbs of the outreach module. Simple records use core's generic services; the 普法 event
records a domain event so the township's timeline shows it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.core import deadlines, numbering, scope
from fazhi.core import services as core_services
from fazhi.core.audit import record_change, record_event, snapshot
from fazhi.core.choices import ChangeAction
from fazhi.core.roles import CHANGE
from fazhi.core.services import check_version
from fazhi.outreach import choices as c
from fazhi.outreach import rules
from fazhi.outreach.models import Event, LegalAidApplication


@transaction.atomic
def create_event(model: type[Event], data: dict[str, Any], *, actor: Any) -> Event:
    event = core_services.create_object(model, data, actor=actor)
    record_event(
        "outreach.event_held",
        f"普法活动：{event.title}（{event.held_on:%Y-%m-%d}，受教育{event.audience}人次）",
        township=event.township,
        actor=actor,
        obj=event,
    )
    return event


# --- legal aid ------------------------------------------------------------------------------


AID_NUMBER_KIND = "援"


def _forward_rule(app: LegalAidApplication) -> str:
    return rules.FORWARD_GREEN.code if app.green_channel else rules.FORWARD.code


@transaction.atomic
def register_aid(
    model: type[LegalAidApplication], data: dict[str, Any], *, actor: Any
) -> LegalAidApplication:
    """Receive an application: number it, open the forwarding deadline (绿色通道: 1日)."""
    if data.get("basis") == c.AidBasis.NONE:
        raise ValidationError(
            {"basis": "申请人不符合法律援助条件的，应当场告知并提供法律咨询，不登记为援助申请。"}
        )
    app = core_services.create_object(model, data, actor=actor)
    _n, app.number = numbering.next_number(app.township, AID_NUMBER_KIND, year=app.received_on.year)
    LegalAidApplication.objects.filter(pk=app.pk).update(number=app.number)
    deadlines.open_deadline(app, _forward_rule(app), app.received_on, actor=actor)
    record_event(
        "outreach.aid_received",
        f"接收法律援助申请 {app.number}（{app.get_category_display()}"
        f"{'，绿色通道' if app.green_channel else ''}）",
        township=app.township,
        actor=actor,
        obj=app,
    )
    return app


def _locked(app: LegalAidApplication, actor: Any, version: int | None) -> LegalAidApplication:
    scope.ensure(actor, CHANGE, app)
    locked = LegalAidApplication.objects.select_for_update().get(pk=app.pk)
    # the same check as the views' act_at_version: no version → VersionRequired, older → Conflict
    check_version(locked, version)
    return locked


def _move(app: LegalAidApplication, new: str) -> None:
    if new not in c.AID_TRANSITIONS[app.status]:
        raise ValidationError(
            f"“{app.get_status_display()}”的申请不能改为“{c.AidStatus(new).label}”。"
        )


def _save(app: LegalAidApplication, before: dict, actor: Any, kind: str, text: str) -> None:
    app.version += 1
    app.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    app.save()
    record_change(app, ChangeAction.UPDATE, before, snapshot(app), actor=actor)
    record_event(kind, text, township=app.township, actor=actor, obj=app)


@transaction.atomic
def forward_aid(
    app: LegalAidApplication,
    *,
    on: dt.date,
    to: str,
    actor: Any,
    expected_version: int | None,
) -> LegalAidApplication:
    """Forward to the county legal-aid centre: closes the forwarding deadline (按期/逾期) and
    starts the centre's review period."""
    app = _locked(app, actor, expected_version)
    _move(app, c.AidStatus.FORWARDED)
    if on < app.received_on:
        raise ValidationError({"forwarded_on": "转交日期不能早于接收日期。"})
    if not to.strip():
        raise ValidationError({"forwarded_to": "请填写转交的法律援助机构。"})
    before = snapshot(app)
    app.status, app.forwarded_on, app.forwarded_to = c.AidStatus.FORWARDED, on, to.strip()
    _save(app, before, actor, "outreach.aid_forwarded", f"转交{app.forwarded_to}（{on:%Y-%m-%d}）")
    deadlines.complete_deadline(app, _forward_rule(app), on, actor=actor)
    deadlines.open_deadline(app, rules.REVIEW.code, on, actor=actor)
    return app


@transaction.atomic
def decide_aid(
    app: LegalAidApplication,
    *,
    granted: bool,
    on: dt.date,
    note: str,
    undertaker: str = "",
    actor: Any,
    expected_version: int | None,
) -> LegalAidApplication:
    """Record the centre's decision (给予 / 不予, with reasons) and close the review period."""
    app = _locked(app, actor, expected_version)
    new = c.AidStatus.GRANTED if granted else c.AidStatus.REFUSED
    _move(app, new)
    if on < app.forwarded_on:
        raise ValidationError({"decided_on": "决定日期不能早于转交日期。"})
    if not granted and not note.strip():
        raise ValidationError(
            {"decision_note": "不予法律援助的，须写明理由（《法律援助法》第四十三条）。"}
        )
    if granted and not undertaker.strip():
        raise ValidationError({"undertaker": "给予法律援助的，请填写指派的承办人员。"})
    before = snapshot(app)
    app.status, app.decided_on = new, on
    app.decision_note, app.undertaker = note.strip(), undertaker.strip()
    _save(
        app, before, actor, "outreach.aid_decided", f"法律援助中心决定：{app.get_status_display()}"
    )
    deadlines.complete_deadline(app, rules.REVIEW.code, on, actor=actor)
    return app


@transaction.atomic
def withdraw_aid(
    app: LegalAidApplication, *, on: dt.date, actor: Any, expected_version: int | None
) -> LegalAidApplication:
    app = _locked(app, actor, expected_version)
    _move(app, c.AidStatus.WITHDRAWN)
    before = snapshot(app)
    app.status, app.decision_note = c.AidStatus.WITHDRAWN, f"申请人于{on:%Y-%m-%d}撤回"
    _save(app, before, actor, "outreach.aid_withdrawn", "申请人撤回法律援助申请")
    for code in (_forward_rule(app), rules.REVIEW.code):
        if deadlines.deadlines_for(app).filter(rule_code=code, status="open").exists():
            deadlines.cancel_deadline(app, code, actor=actor)
    return app


@transaction.atomic
def delete_aid(
    app: LegalAidApplication, *, actor: Any, expected_version: int | None = None
) -> None:
    """Only an application still at the township (not yet forwarded) may be deleted."""
    if app.status != c.AidStatus.RECEIVED:
        raise ValidationError("已转交或已办结的法律援助申请不能删除。")
    if deadlines.deadlines_for(app).filter(status="open").exists():
        deadlines.cancel_deadline(app, _forward_rule(app), actor=actor)
    core_services.delete_object(app, actor=actor, expected_version=expected_version)


def responsibility_fulfilment(item: Any) -> str:
    """“计划N场，已开展M场” for a line of the 普法 responsibility list."""
    done = item.events.filter(held_on__year=item.year).count()
    state = "已完成" if done >= item.planned else "未完成"
    return f"计划{item.planned}场，已开展{done}场（{state}）"


def mediation_label(understander: Any) -> str:
    """The 法律明白人's part in mediation: disputes they presided over and sessions they joined
    (through their record in the mediator roster)."""
    if not understander.mediator_id:
        return "未关联调解员名册"
    from fazhi.disputes.models import Dispute, MediationSession

    presided = Dispute.objects.filter(mediator_id=understander.mediator_id).count()
    sessions = MediationSession.objects.filter(mediators=understander.mediator_id).count()
    return f"主持调解纠纷{presided}件，参与调解{sessions}次"
