"""The indicator registry: one definition per metric, and the only place figures come from.

A metric has a code name (`disputes.mediation_success_rate`), a Chinese label, a unit, a
computation over one township and one period, the records it counts (drill-down) and, where a
rule defines it, a citation. Rates return numerator and denominator, so every rate shows as
`105/121 = 86.8%`. Dashboard, report, assessment and county comparison read only this.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class Period:
    start: dt.date  # inclusive
    end: dt.date  # inclusive
    label: str

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年")

    @classmethod
    def between(cls, start: dt.date, end: dt.date) -> Period:
        return cls(start, end, f"{start:%Y-%m-%d}至{end:%Y-%m-%d}")

    @property
    def as_of(self) -> dt.date:
        """Stock metrics (villages, grids …) are counted as at the period's end."""
        return self.end


@dataclass
class Figure:
    metric: Metric
    value: Decimal | int | None
    numerator: int | Decimal | None = None
    denominator: int | Decimal | None = None
    note: str = ""
    #: RECORDED, ZERO (declared nil return), NO_RECORDS (未记录) or NOT_APPLICABLE (不适用)
    status: str = "recorded"

    @property
    def is_rate(self) -> bool:
        return self.metric.kind == RATE

    @property
    def is_blank(self) -> bool:
        """Nothing was recorded and nothing declared: the report marks it for the clerk."""
        return self.status == NO_RECORDS

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def display(self) -> str:
        """`105/121 = 86.8%` for rates; `58件` for counts; 未记录 / 不适用 / a declared 0."""
        if self.status == NO_RECORDS:
            return "未记录"
        if self.status == NOT_APPLICABLE:
            return "不适用"
        if self.status == ZERO and self.value is None:
            return "0/0（本年度未发生）" if self.is_rate else f"0{self.metric.unit}"
        if self.value is None:
            return (
                "—"
                if not self.is_rate
                else f"{self.numerator or 0}/{self.denominator or 0}（无分母）"
            )
        if self.is_rate:
            return f"{self.numerator}/{self.denominator} = {self.value}%"
        return f"{self.value}{self.metric.unit}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.metric.code,
            "label": self.metric.label,
            "unit": self.metric.unit,
            "kind": self.metric.kind,
            "value": None
            if self.value is None
            else str(self.value)
            if isinstance(self.value, Decimal)
            else self.value,
            "numerator": self.numerator
            if not isinstance(self.numerator, Decimal)
            else str(self.numerator),
            "denominator": self.denominator
            if not isinstance(self.denominator, Decimal)
            else str(self.denominator),
            "display": self.display,
            "status": self.status,
            "status_label": self.status_label,
            "citation": self.metric.citation,
            "note": self.note,
        }


COUNT = "count"
RATE = "rate"
SUM = "sum"

#: The five contents of the annual report (REGULATIONS.md §1, 厅字〔2019〕28号 Art. 25). A metric
#: names the section its figure belongs to; the report generator writes every metric that names one.
REPORT_SECTIONS: dict[str, str] = {
    "measures": "上一年度推进法治政府建设的主要举措和成效",
    "shortcomings": "上一年度存在的不足和原因",
    "leaders": "党政主要负责人履行推进法治建设第一责任人职责情况",
    "plan": "下一年度推进法治政府建设的主要安排",
    "other": "其他需要报告的情况",
}

#: Figure.status: a count of 0 is only "0" when the township declared the ledger kept and empty;
#: otherwise it is "no records" (未记录), which a report never writes as 0.
RECORDED = "recorded"
ZERO = "zero"
NO_RECORDS = "no_records"
NOT_APPLICABLE = "not_applicable"
STATUS_LABELS: dict[str, str] = {
    RECORDED: "有记录",
    ZERO: "零报告",
    NO_RECORDS: "未记录",
    NOT_APPLICABLE: "不适用",
}


@dataclass
class Metric:
    code: str
    label: str
    unit: str
    kind: str  # COUNT, SUM or RATE
    #: COUNT/SUM: records(township, period) → queryset; value = count (or sum of `sum_field`)
    records: Callable[[Any, Period], QuerySet]
    #: RATE: numerator records; `records` is then the denominator
    numerator_records: Callable[[Any, Period], QuerySet] | None = None
    sum_field: str | None = None
    citation: str = ""
    definition: str = ""
    group: str = ""
    #: words a report uses for this measure (the report checker maps claims by them)
    aliases: tuple[str, ...] = ()
    decimals: int = 1
    higher_is_better: bool = True
    #: where the annual report writes this figure: a key of REPORT_SECTIONS ("" = not in the report)
    report_section: str = ""
    #: the sub-heading the figure is grouped under in that section (e.g. "学法用法", "普法宣传")
    report_topic: str = ""
    #: the clause the report writes, formatted with value, numerator, denominator, display and
    #: unit, e.g. "组织周例会学法{value}次" or "信访事项按期办结率{display}"
    report_phrase: str = ""

    def compute(self, township: Any, period: Period) -> Figure:
        """The figure with its status: an empty result is 未记录 unless the township declared a
        nil return (then a real 0) or that the metric does not apply (不适用)."""
        return settle(self.compute_raw(township, period), township, period)

    def compute_raw(self, township: Any, period: Period) -> Figure:
        """The bare figure from the records (an empty result has status NO_RECORDS and keeps its
        0 so that `settle` can tell it apart)."""
        denominator_qs = self.records(township, period)
        if self.kind == COUNT:
            n = denominator_qs.count()
            return Figure(self, n, status=RECORDED if n else NO_RECORDS)
        if self.kind == SUM:
            from django.db.models import Count, Sum

            row = denominator_qs.aggregate(total=Sum(self.sum_field), rows=Count("pk"))
            return Figure(self, row["total"] or 0, status=RECORDED if row["rows"] else NO_RECORDS)
        assert self.numerator_records is not None
        denominator = denominator_qs.count()
        numerator = self.numerator_records(township, period).count()
        return Figure(
            self,
            rate(numerator, denominator, self.decimals),
            numerator,
            denominator,
            status=RECORDED if denominator else NO_RECORDS,
        )

    def drilldown(self, township: Any, period: Period, part: str = "denominator") -> QuerySet:
        """The records behind the figure (the numerator's when part == "numerator")."""
        if part == "numerator" and self.numerator_records is not None:
            return self.numerator_records(township, period)
        return self.records(township, period)


def rate(numerator: int, denominator: int, decimals: int = 1) -> Decimal | None:
    if not denominator:
        return None
    quantum = Decimal(1).scaleb(-decimals)
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        quantum, rounding=ROUND_HALF_UP
    )


_METRICS: dict[str, Metric] = {}


class UnknownMetric(KeyError):
    pass


def register(metric: Metric) -> Metric:
    if metric.code in _METRICS and _METRICS[metric.code] is not metric:
        raise ValueError(f"metric {metric.code} registered twice")
    if metric.kind == RATE and metric.numerator_records is None:
        raise ValueError(f"rate metric {metric.code} needs numerator_records")
    if not metric.group:
        metric.group = metric.code.split(".", 1)[0]
    _METRICS[metric.code] = metric
    return metric


def metric(code: str) -> Metric:
    try:
        return _METRICS[code]
    except KeyError:
        raise UnknownMetric(code) from None


def metrics(group: str | None = None) -> list[Metric]:
    return [m for m in _METRICS.values() if group is None or m.group == group]


def declarations(township: Any, period: Period) -> dict[str, Any]:
    """The township's nil-return and not-applicable declarations that cover `period`, by metric
    code. A declaration is made for a year; it covers a period inside that year."""
    if period.start.year != period.end.year:
        return {}
    from fazhi.indicators.models import FigureDeclaration

    township_id = getattr(township, "pk", township)
    rows = FigureDeclaration.objects.filter(township_id=township_id, year=period.start.year)
    return {d.metric_code: d for d in rows}


def settle(
    figure: Figure, township: Any, period: Period, declared: dict[str, Any] | None = None
) -> Figure:
    """Give an empty figure its status from the declarations (`declared`: preloaded ones)."""
    if figure.status != NO_RECORDS:
        return figure
    if declared is None:
        declared = declarations(township, period)
    declaration = declared.get(figure.metric.code)
    if declaration is None:
        figure.value = None
        return figure
    from fazhi.indicators.models import DeclarationKind

    figure.note = declaration.reason
    if declaration.kind == DeclarationKind.NIL:
        figure.status = ZERO
        figure.value = 0 if figure.metric.kind != RATE else None
    else:
        figure.status = NOT_APPLICABLE
        figure.value = None
    return figure


def compute(code: str, township: Any, period: Period) -> Figure:
    return metric(code).compute(township, period)


def _settled(ms: Iterable[Metric], township: Any, period: Period) -> list[Figure]:
    raw = [m.compute_raw(township, period) for m in ms]
    declared = declarations(township, period) if any(f.is_blank for f in raw) else {}
    return [settle(f, township, period, declared) for f in raw]


def compute_group(group: str, township: Any, period: Period) -> list[Figure]:
    return _settled(metrics(group), township, period)


def compute_many(codes: Iterable[str], township: Any, period: Period) -> dict[str, Figure]:
    ms = [metric(code) for code in codes]
    return {f.metric.code: f for f in _settled(ms, township, period)}


@dataclass
class Comparison:
    """One metric across several townships (the county's read-only comparison)."""

    metric: Metric
    rows: list[tuple[Any, Figure]] = field(default_factory=list)


def compare(code: str, townships: Iterable[Any], period: Period) -> Comparison:
    m = metric(code)
    return Comparison(m, [(t, m.compute(t, period)) for t in townships])
