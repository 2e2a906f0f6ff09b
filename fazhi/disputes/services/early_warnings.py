"""Early warnings (预警): risk words, group disputes, repeat parties, overdue cases; routed to the
village's 分包领导."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.core import scope
from fazhi.core.audit import snapshot
from fazhi.core.choices import DeadlineStatus, NotificationKind
from fazhi.core.memo import memo
from fazhi.core.models import Deadline, Notification
from fazhi.core.roles import ADD, CHANGE
from fazhi.disputes import choices as c
from fazhi.disputes import rules
from fazhi.disputes.models import (
    Dispute,
    EarlyWarning,
    WarningSettings,
)
from fazhi.disputes.services._common import (
    _ensure,
    _event,
    _not_before,
    _recheck,
    _save,
    _today,
    _user,
    dispute_url,
    leader_for,
)
from fazhi.parties import registry as party_registry
from fazhi.parties.models import Party


# --- early warnings -------------------------------------------------------------------------
def settings_for(township: Any) -> WarningSettings:
    """The township's thresholds (unsaved defaults when none are entered)."""
    township_id = getattr(township, "pk", township)
    found = memo(
        ("disputes.warning_settings", township_id),
        lambda: WarningSettings.objects.filter(township=township).first(),
        (WarningSettings,),
    )
    return found or WarningSettings(township_id=township_id)


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
    # with what a raised warning reads (its township, the village whose 分包领导 it goes to)
    dispute = Dispute.objects.select_related("township", "village").get(pk=dispute.pk)
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
