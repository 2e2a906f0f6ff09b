"""Village assessment (各村法治工作纳入年终考核): scores from registry metrics, with evidence.

A scheme's item names a registry metric; a village's figure is that metric's records (its
drill-down) narrowed to the village through the records' own village field (the same field the
scope gate uses for village roles, `scope_village_field`). So every point a village gets is a
count, sum or rate over its business records, and the evidence behind it is those records —
never a check-in, click, online time or points (DESIGN §2.9).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from fazhi.indicators import registry
from fazhi.indicators.registry import Metric, Period, rate


def _village_path(model: Any) -> str | None:
    path = getattr(model, "scope_village_field", None)
    if path == "self":
        return "pk"
    return path


#: codes of the village-level metrics, by the number of registered metrics (metrics register at
#: start-up; probing them once per process keeps dropdowns and list pages from re-probing)
_VILLAGE_CODES: dict[int, list[str]] = {}


def village_metrics() -> list[Metric]:
    """Metrics whose records (and numerator records) carry a village."""
    every = registry.metrics()
    codes = _VILLAGE_CODES.get(len(every))
    if codes is None:
        codes = _VILLAGE_CODES[len(every)] = [m.code for m in _probe(every)]
    return [registry.metric(code) for code in codes]


def _probe(every: list[Metric]) -> list[Metric]:
    from fazhi.core.models import Township

    probe = Township(pk=0, name="")
    out = []
    for m in every:
        if m.code == "governance.target_completion_rate":
            continue
        try:
            model = m.records(probe, Period.year(2000)).model
        except Exception:  # noqa: BLE001, S112 - a metric that cannot be probed is not offered
            continue
        if _village_path(model) is not None:
            out.append(m)
    return out


def village_records(
    metric: Metric, township: Any, period: Period, village: Any, part: str = "denominator"
) -> QuerySet:
    qs = metric.drilldown(township, period, part)
    path = _village_path(qs.model)
    if path is None:
        return qs.none()
    return qs.filter(**{path: village.pk if path == "pk" else village})


@dataclass
class ItemScore:
    item: Any
    value: Decimal | None
    display: str
    score: Decimal
    records: QuerySet
    numerator_records: QuerySet | None = None


@dataclass
class VillageScore:
    village: Any
    items: list[ItemScore] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((i.score for i in self.items), Decimal(0))


def _quant(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), ROUND_HALF_UP)


def score_item(item: Any, village: Any, period: Period) -> ItemScore:
    metric = registry.metric(item.metric_code)
    township = item.township
    records = village_records(metric, township, period, village)
    numerator = None
    if metric.kind == registry.RATE:
        numerator = village_records(metric, township, period, village, "numerator")
        n, d = numerator.count(), records.count()
        value = rate(n, d, metric.decimals)
        display = f"{n}/{d} = {value}%" if value is not None else "无记录"
    elif metric.kind == registry.AVERAGE:  # sum ÷ records with the field filled in
        row = records.aggregate(total=Sum(metric.sum_field), n=Count(metric.sum_field))
        value = registry.average(row["total"] or 0, row["n"], metric.decimals)
        display = (
            f"平均{value}{metric.unit}（{row['total']}{metric.unit}/{row['n']}件）"
            if value is not None
            else "无记录"
        )
    elif metric.kind == registry.SUM:
        total = records.aggregate(total=Sum(metric.sum_field))["total"]
        value = Decimal(total or 0) if records.exists() else None
        display = f"{value}{metric.unit}" if value is not None else "无记录"
    else:
        count = records.count()
        value = Decimal(count)
        display = f"{count}{metric.unit}"
    score = Decimal(0)
    if value is not None and metric.higher_is_better:
        score = _quant(item.weight * min(value / item.full_at, Decimal(1)))
    elif value is not None:  # lower is better: full marks at or below the standard
        score = _quant(
            item.weight * (min(item.full_at / value, Decimal(1)) if value else Decimal(1))
        )
    return ItemScore(item, value, display, score, records, numerator)


def score_villages(scheme: Any) -> list[VillageScore]:
    """Every village of the scheme's township, scored on each item over the scheme's year."""
    from fazhi.core.models import Village

    period = Period.year(scheme.year)
    items = list(scheme.items.order_by("order", "pk"))
    rows = []
    for village in Village.objects.filter(township_id=scheme.township_id).order_by("name"):
        rows.append(VillageScore(village, [score_item(i, village, period) for i in items]))
    rows.sort(key=lambda r: -r.total)
    return rows


def score_village(scheme: Any, village: Any) -> VillageScore:
    period = Period.year(scheme.year)
    items = list(scheme.items.order_by("order", "pk"))
    return VillageScore(village, [score_item(i, village, period) for i in items])
