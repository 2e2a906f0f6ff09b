"""The year's plan as measurable targets: progress, last-year comparison, and setting them.

A `Target` row says "metric M, in year Y, comparator C, value V" (专题学习 ≥ 4). Everything a
target states is computed by the indicator registry — nothing here counts records itself.

- `progress(target, as_of)` → `Progress`: the figure from 1 January to `as_of` (capped at the
  year's end), whether the target is met, the share achieved, and the share of the year elapsed
  (a ≥ target below that share is "behind").
- `last_year_actual(target)` and `Progress.below_last_year`: a ≥ target set below what the same
  metric reached last year is warned about (an ≤ target above last year's actual likewise).
- `set_target(township, year, metric_code, comparator, value, wording=…, actor=…)`: create or
  change the target for (township, year, metric, comparator) through the scope gate, with
  history. The annual report's plan section (下一年度主要安排) drafts next year's plan with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction

from fazhi.core import services as core_services
from fazhi.governance import choices as c
from fazhi.governance.models import Target
from fazhi.indicators import registry
from fazhi.indicators.registry import Figure, Period

#: metrics a target cannot name (they are computed from the targets themselves)
SELF_REFERENTIAL = frozenset({"governance.target_completion_rate"})


def _compare(actual: Decimal, comparator: str, value: Decimal) -> bool:
    if comparator == c.Comparator.AT_LEAST:
        return actual >= value
    if comparator == c.Comparator.AT_MOST:
        return actual <= value
    return actual == value


def _number(figure: Figure) -> Decimal | None:
    return None if figure.value is None else Decimal(figure.value)


@dataclass
class Progress:
    target: Target
    figure: Figure  # the metric from 1 January to as_of
    as_of: dt.date
    last_year: Figure  # the same metric over the whole previous year

    @property
    def actual(self) -> Decimal | None:
        return _number(self.figure)

    @property
    def met(self) -> bool | None:
        """None when the figure is undefined (a rate with no denominator)."""
        if self.actual is None:
            return None
        return _compare(self.actual, self.target.comparator, self.target.value)

    @property
    def share(self) -> Decimal | None:
        """Achieved share of a ≥ target (capped display is the caller's choice)."""
        if self.actual is None or self.target.comparator != c.Comparator.AT_LEAST:
            return None
        if not self.target.value:
            return Decimal(100)
        return (self.actual * 100 / self.target.value).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def elapsed(self) -> Decimal:
        """Share of the plan year elapsed at as_of (0–100)."""
        year = self.target.year
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        if self.as_of < start:
            return Decimal(0)
        days = (min(self.as_of, end) - start).days + 1
        return (Decimal(days) * 100 / ((end - start).days + 1)).quantize(Decimal("0.1"))

    @property
    def behind(self) -> bool:
        """A count target whose achieved share trails the share of the year elapsed."""
        metric = registry.metric(self.target.metric_code)
        return (
            metric.kind not in (registry.RATE, registry.AVERAGE)
            and self.share is not None
            and not self.met
            and self.share < self.elapsed
        )

    @property
    def last_year_actual(self) -> Decimal | None:
        return _number(self.last_year)

    @property
    def below_last_year(self) -> bool:
        """The target asks for less than last year achieved (≥ below, ≤ above last year)."""
        last = self.last_year_actual
        if last is None:
            return False
        if self.target.comparator == c.Comparator.AT_LEAST:
            return self.target.value < last
        if self.target.comparator == c.Comparator.AT_MOST:
            return self.target.value > last
        return False

    @property
    def warning(self) -> str:
        if not self.below_last_year:
            return ""
        return (
            f"目标值{_plain(self.target.value)}低于上年（{self.target.year - 1}年）实际"
            f"{self.last_year.display}，请核实是否降低了要求。"
            if self.target.comparator == c.Comparator.AT_LEAST
            else f"目标值{_plain(self.target.value)}高于上年（{self.target.year - 1}年）实际"
            f"{self.last_year.display}，请核实是否放宽了要求。"
        )

    @property
    def status_label(self) -> str:
        if self.met is None:
            return "暂无数据"
        if self.met:
            return "已达到"
        if self.as_of >= dt.date(self.target.year, 12, 31):
            return "未达到"
        return "进度滞后" if self.behind else "进行中"

    def describe(self) -> str:
        text = f"截至{min(self.as_of, dt.date(self.target.year, 12, 31)):%Y-%m-%d}：{self.figure.display}"
        if self.share is not None:
            text += f"，完成目标的{self.share}%（时间进度{self.elapsed}%）"
        return f"{text}；{self.status_label}"


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def plan_period(year: int, as_of: dt.date) -> Period:
    """1 January of the plan year to as_of (capped at 31 December)."""
    end = min(as_of, dt.date(year, 12, 31))
    if end < dt.date(year, 1, 1):
        end = dt.date(year, 1, 1)
    return Period.between(dt.date(year, 1, 1), end)


def progress(target: Target, as_of: dt.date | None = None) -> Progress:
    from fazhi.core.deadlines import today_local

    as_of = as_of or today_local()
    metric = registry.metric(target.metric_code)
    township = target.township
    return Progress(
        target=target,
        figure=metric.compute(township, plan_period(target.year, as_of)),
        as_of=as_of,
        last_year=metric.compute(township, Period.year(target.year - 1)),
    )


def progress_of(targets: Iterable[Target], as_of: dt.date | None = None) -> list[Progress]:
    return [progress(t, as_of) for t in targets if t.metric_code not in SELF_REFERENTIAL]


def progress_for(township: Any, year: int, as_of: dt.date | None = None) -> list[Progress]:
    """Every target of the township's plan year, with progress (the township home's panel)."""
    rows = Target.objects.filter(township=township, year=year).select_related("township")
    return progress_of(rows, as_of)


def last_year_actual(target: Target) -> Figure:
    return registry.compute(target.metric_code, target.township, Period.year(target.year - 1))


@transaction.atomic
def set_target(
    township: Any,
    year: int,
    metric_code: str,
    comparator: str,
    value: Decimal | int,
    *,
    wording: str = "",
    note: str = "",
    actor: Any,
) -> Target:
    """Create or change the target (township, year, metric, comparator); returns the row.
    Scope and validation as for any edit; history is written."""
    data = {"wording": wording, "note": note, "value": Decimal(value)}
    existing = Target.objects.filter(
        township=township, year=year, metric_code=metric_code, comparator=comparator
    ).first()
    if existing is None:
        return core_services.create_object(
            Target,
            {
                "township": township,
                "year": year,
                "metric_code": metric_code,
                "comparator": comparator,
                **data,
            },
            actor=actor,
        )
    return core_services.update_object(
        existing, data, actor=actor, expected_version=existing.version
    )
