"""Helpers shared by the disputes services: saving with history, the scope gate, the transition
table, the 分包领导 a warning or escalation goes to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from fazhi.core import scope, services
from fazhi.core.audit import record_change, record_event, snapshot
from fazhi.core.choices import ChangeAction
from fazhi.core.memo import memo
from fazhi.core.models import Department, Staff, VillageContact
from fazhi.disputes import choices as c
from fazhi.disputes.models import (
    Dispute,
)

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
        getattr(obj, name).add(*value)  # a new row: nothing to remove (set() reads it first)
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
        .select_related("township", "village", "mediator", "committee", "campaign")
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
    on = models.DateField().to_python(on or _today())  # a datetime is compared as its date
    contact = None
    if village is not None:
        contacts = memo(
            ("disputes.contacts", getattr(village, "pk", village)),
            lambda: list(
                VillageContact.objects.filter(village=village)
                .select_related("staff", "staff__user")
                .order_by("-start", "-pk")
            ),
            (VillageContact, Staff, User),
        )
        contact = next(
            (x for x in contacts if x.start <= on and (x.end is None or x.end >= on)), None
        )
    return choose_leader(
        village,
        contact,
        lambda: memo(
            ("disputes.justice", getattr(township, "pk", township)),
            lambda: justice_staff(township),
            (Staff, Department, User),
        ),
    )


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
