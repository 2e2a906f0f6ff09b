"""The 普法 calendar of a year: the key days (宣传节点, `choices.KEY_DAY_MONTHS`) month by month
with the events held for each, so a clerk sees which key days are covered, which passed without
an activity and which are coming.

The events are the registry's `outreach.events` records of the year (its drill-down), so the
calendar's total is the registry's figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from fazhi.indicators import registry
from fazhi.indicators.registry import Period
from fazhi.outreach import choices as c
from fazhi.outreach.models import Event


@dataclass
class KeyDayRow:
    key: str
    label: str
    events: list[Event] = field(default_factory=list)
    #: 已开展 / 未开展 (its months are over without an event) / 待开展
    status: str = ""


@dataclass
class Month:
    month: int
    key_days: list[KeyDayRow] = field(default_factory=list)
    #: events of the month not tied to a key day
    other: list[Event] = field(default_factory=list)


@dataclass
class Calendar:
    year: int
    figure: registry.Figure
    months: list[Month]

    @property
    def missed(self) -> list[KeyDayRow]:
        seen: dict[str, KeyDayRow] = {}
        for m in self.months:
            for row in m.key_days:
                if row.status == "未开展":
                    seen.setdefault(row.key, row)
        return list(seen.values())


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def year_calendar(township: Any, year: int, today: dt.date) -> Calendar:
    period = Period.year(year)
    events = list(
        registry.metric("outreach.events")
        .drilldown(township, period)
        .order_by("held_on", "pk")
        .only("held_on", "title", "key_day", "township_id")
    )
    by_key: dict[str, list[Event]] = {}
    for e in events:
        if e.key_day:
            by_key.setdefault(e.key_day, []).append(e)
    labels = dict(c.KeyDay.choices)
    months = [Month(m) for m in range(1, 13)]
    for key, month_list in c.KEY_DAY_MONTHS.items():
        held = by_key.get(key, [])
        last = _month_end(year, max(month_list))
        status = "已开展" if held else ("未开展" if last < today else "待开展")
        # listed under its first month; its events (wherever held) shown with it
        months[min(month_list) - 1].key_days.append(KeyDayRow(key, labels[key], held, status))
    for e in events:
        if not e.key_day or e.key_day not in c.KEY_DAY_MONTHS:
            months[e.held_on.month - 1].other.append(e)
    return Calendar(year, registry.compute("outreach.events", township, period), months)
