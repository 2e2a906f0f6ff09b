"""The step track of a decision's page: each step done, current or to do."""

from __future__ import annotations

from typing import Any

from django import template

from fazhi.decisions.choices import ORDER, Status

register = template.Library()


@register.simple_tag
def decision_track(obj: Any) -> list[tuple[str, str]]:
    if obj.status == Status.DROPPED:
        return [(Status(s).label, "done") for s in ORDER[:5]] + [(Status.DROPPED.label, "current")]
    current = ORDER.index(obj.status)
    return [
        (Status(s).label, "done" if i < current else "current" if i == current else "todo")
        for i, s in enumerate(ORDER)
    ]
