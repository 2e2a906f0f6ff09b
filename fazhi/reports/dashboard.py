"""The township home's monthly trends (the year's targets with progress are shown next to them by
the governance module). Every number comes from the indicator registry: the monthly series is the
same metric computed over each month, so a point clicked opens that month's records."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from fazhi.indicators import registry
from fazhi.indicators.registry import COUNT, Period

#: the measures a township follows month by month (those not registered are skipped)
TREND_METRICS = [
    "disputes.screened",
    "petitions.registered",
    "outreach.events",
    "governance.study_sessions",
    "governance.trainings",
    "enforcement.cases",
]
MAX_TRENDS = 4


def _months(year: int) -> list[tuple[int, Period]]:
    today = timezone.localdate()
    last = 12 if year < today.year else (today.month if year == today.year else 0)
    out = []
    for month in range(1, last + 1):
        end = dt.date(year, month, calendar.monthrange(year, month)[1])
        out.append((month, Period.between(dt.date(year, month, 1), end)))
    return out


def trends(township: Any, year: int) -> list[dict[str, Any]]:
    """Monthly counts of the followed measures that have records this year."""
    codes = [c for c in TREND_METRICS if _known(c)]
    if len(codes) < MAX_TRENDS:  # fill up with other counted report metrics
        codes += [
            m.code
            for m in registry.metrics()
            if m.kind == COUNT
            and m.report_section == "measures"
            and m.code not in codes
            and m.group != "core"
        ]
    months = _months(year)
    out: list[dict[str, Any]] = []
    for code in codes:
        if len(out) >= MAX_TRENDS or not months:
            break
        m = registry.metric(code)
        if registry.compute(code, township, Period.year(year)).status != registry.RECORDED:
            continue
        base = reverse("indicators:drilldown", args=[township.pk, code])
        points = []
        for month, period in months:
            figure = m.compute_raw(township, period)
            points.append(
                {
                    "month": f"{month}月",
                    "value": int(figure.value or 0),
                    "url": f"{base}?start={period.start.isoformat()}&end={period.end.isoformat()}",
                }
            )
        out.append({"code": code, "label": m.label, "unit": m.unit, "points": points})
    return out


def _known(code: str) -> bool:
    try:
        registry.metric(code)
    except registry.UnknownMetric:
        return False
    return True


def dashboard(township: Any, year: int) -> dict[str, Any]:
    return {"trends": trends(township, year), "year": year}
