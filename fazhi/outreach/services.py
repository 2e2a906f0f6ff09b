"""Verbs of the outreach module. Simple records use core's generic services; the 普法 event
records a domain event so the township's timeline shows it."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from fazhi.core import services as core_services
from fazhi.core.audit import record_event
from fazhi.outreach.models import Event


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
