"""The indicator registry: one definition per metric, and the only place figures come from.

A metric has a code name (`disputes.mediation_success_rate`), a Chinese label, a unit, a
computation over one township and one period, the records it counts (drill-down) and, where a
rule defines it, a citation. Rates return numerator and denominator, so every rate shows as
`105/121 = 86.8%`; averages return the sum and the count they divide, so every average shows as
`平均4.2个工作日（88个工作日/21件）`. Dashboard, report, assessment and county comparison read only this.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum


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
    def is_average(self) -> bool:
        """value = numerator (the sum) ÷ denominator (the records averaged)."""
        return self.metric.kind == AVERAGE

    @property
    def is_blank(self) -> bool:
        """Nothing was recorded and nothing declared: the report marks it for the clerk."""
        return self.status == NO_RECORDS

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def display(self) -> str:
        """`105/121 = 86.8%` for rates; `平均4.2个工作日（88个工作日/21件）` for averages; `58件`
        for counts; 未记录 / 不适用 / a declared 0."""
        if self.status == NO_RECORDS:
            return "未记录"
        if self.status == NOT_APPLICABLE:
            return "不适用"
        if self.status == ZERO and self.value is None:
            if self.is_average:
                return "0件（本年度未发生，无平均值）"
            return "0/0（本年度未发生）" if self.is_rate else f"0{self.metric.unit}"
        if self.is_average:
            if self.value is None:
                return "未记录"
            return (
                f"平均{self.value}{self.metric.unit}"
                f"（{self.numerator}{self.metric.unit}/{self.denominator}件）"
            )
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
#: value = Sum(sum_field) ÷ Count(sum_field) over the records (rows with the field empty are
#: not averaged); numerator = the sum, denominator = the count; no records → 未记录, never 0
AVERAGE = "average"

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


@dataclass(frozen=True)
class Rows:
    """Declarative records of a metric: the rows of `model` in the township that match
    `where(period)`. Callable like a records function, so `Metric(..., records=Rows(...))`
    works everywhere a function does; in addition the registry computes every metric declared
    this way with one aggregate per table (a filtered count per metric) for a township-period,
    and the county comparison with one query grouped by township.

    `where` must not follow a multi-valued relation (a reverse FK or M2M: it would count a row
    twice); use `Exists(...)` for "has a related row". Use `narrow` for a numerator:

        SCREENED = Rows(Dispute, lambda p: Q(received_on__range=(p.start, p.end)))
        RESOLVED = SCREENED.narrow(lambda p: Q(status="succeeded", concluded_on__lte=p.end))
    """

    model: Any
    where: Callable[[Period], Q] | None = None
    township_field: str = "township"
    select_related: tuple[str, ...] = ()
    #: the rows this set was narrowed from (the root of the `narrow` chain): a COUNT over a
    #: subset is a real 0 when the township has rows of the base but none of the subset
    base: Rows | None = None

    def q(self, period: Period) -> Q:
        return self.where(period) if self.where is not None else Q()

    def __call__(self, township: Any, period: Period) -> QuerySet:
        qs = self.model._default_manager.filter(**{self.township_field: township}).filter(
            self.q(period)
        )
        return qs.select_related(*self.select_related) if self.select_related else qs

    def narrow(self, where: Callable[[Period], Q]) -> Rows:
        outer = self.where

        def combined(period: Period) -> Q:
            return (outer(period) if outer is not None else Q()) & where(period)

        return Rows(
            self.model,
            combined,
            self.township_field,
            self.select_related,
            base=self.base if self.base is not None else self,
        )

    @property
    def table(self) -> tuple[Any, str]:
        return (self.model, self.township_field)


@dataclass
class Metric:
    code: str
    label: str
    unit: str
    kind: str  # COUNT, SUM, RATE or AVERAGE
    #: COUNT/SUM: records(township, period) → queryset; value = count (or sum of `sum_field`);
    #: AVERAGE: the records averaged; value = sum of `sum_field` ÷ rows with it filled in
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
    #: COUNT over a subset: the records of the whole (e.g. all study sessions of the period for
    #: 周例会学法次数). When the subset is empty but the whole is not, the ledger was kept and the
    #: figure is a real 0; when the whole is empty too it is 未记录. Defaults to the base of a
    #: `Rows` declared with `narrow`.
    base_records: Callable[[Any, Period], QuerySet] | None = None

    @property
    def subset_of(self) -> Callable[[Any, Period], QuerySet] | None:
        """The records of the whole a COUNT is a subset of (None: not a subset)."""
        if self.kind != COUNT:
            return None
        if self.base_records is not None:
            return self.base_records
        if isinstance(self.records, Rows):
            return self.records.base
        return None

    @property
    def batchable(self) -> bool:
        """Declared with Rows (numerator of the same table): computed in one aggregate with
        the other metrics of its table."""
        if not isinstance(self.records, Rows):
            return False
        if self.kind == RATE:
            return (
                isinstance(self.numerator_records, Rows)
                and self.numerator_records.table == self.records.table
            )
        base = self.subset_of
        return base is None or (isinstance(base, Rows) and base.table == self.records.table)

    def aggregates(self, period: Period, prefix: str) -> dict[str, Any]:
        """The filtered aggregates that give this metric's figure (see `from_aggregates`)."""
        assert isinstance(self.records, Rows)
        where = self.records.q(period) or None
        if self.kind == SUM:
            return {
                f"{prefix}t": Sum(self.sum_field, filter=where),
                f"{prefix}d": Count("pk", filter=where),
            }
        if self.kind == AVERAGE:  # the count of rows with the field filled in divides the sum
            return {
                f"{prefix}t": Sum(self.sum_field, filter=where),
                f"{prefix}d": Count(self.sum_field, filter=where),
            }
        out: dict[str, Any] = {f"{prefix}d": Count("pk", filter=where)}
        base = self.subset_of
        if isinstance(base, Rows):
            out[f"{prefix}b"] = Count("pk", filter=base.q(period) or None)
        if self.kind == RATE:
            assert isinstance(self.numerator_records, Rows)
            out[f"{prefix}n"] = Count("pk", filter=self.numerator_records.q(period) or None)
        return out

    def from_aggregates(self, values: dict[str, Any], prefix: str) -> Figure:
        """The bare figure (as compute_raw gives it) from the values of `aggregates`."""
        denominator = values.get(f"{prefix}d") or 0
        status = RECORDED if denominator else NO_RECORDS
        if self.kind == SUM:
            return Figure(self, values.get(f"{prefix}t") or 0, status=status)
        if self.kind == AVERAGE:
            return self._average(values.get(f"{prefix}t") or 0, denominator)
        if self.kind == COUNT:
            if not denominator and values.get(f"{prefix}b"):
                status = RECORDED  # rows of the whole, none of the subset: a real 0
            return Figure(self, denominator, status=status)
        numerator = values.get(f"{prefix}n") or 0
        return Figure(
            self,
            rate(numerator, denominator, self.decimals),
            numerator,
            denominator,
            status=status,
        )

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
            base = self.subset_of
            if n or (base is not None and base(township, period).exists()):
                return Figure(self, n, status=RECORDED)  # 0 of a kept ledger is a real 0
            return Figure(self, n, status=NO_RECORDS)
        if self.kind == SUM:
            from django.db.models import Count, Sum

            row = denominator_qs.aggregate(total=Sum(self.sum_field), rows=Count("pk"))
            return Figure(self, row["total"] or 0, status=RECORDED if row["rows"] else NO_RECORDS)
        if self.kind == AVERAGE:
            from django.db.models import Count, Sum

            row = denominator_qs.aggregate(total=Sum(self.sum_field), rows=Count(self.sum_field))
            return self._average(row["total"] or 0, row["rows"] or 0)
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

    def _average(self, total: int | Decimal, count: int) -> Figure:
        """An average with its provenance: no rows averaged → 未记录 (value None), never 0."""
        return Figure(
            self,
            average(total, count, self.decimals),
            total if count else None,
            count if count else None,
            status=RECORDED if count else NO_RECORDS,
        )

    def drilldown(self, township: Any, period: Period, part: str = "denominator") -> QuerySet:
        """The records behind the figure (the numerator's when part == "numerator")."""
        if part == "numerator" and self.numerator_records is not None:
            return self.numerator_records(township, period)
        if self.kind == AVERAGE:  # exactly the rows averaged
            return self.records(township, period).filter(**{f"{self.sum_field}__isnull": False})
        return self.records(township, period)


def rate(numerator: int, denominator: int, decimals: int = 1) -> Decimal | None:
    if not denominator:
        return None
    quantum = Decimal(1).scaleb(-decimals)
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        quantum, rounding=ROUND_HALF_UP
    )


def average(total: int | Decimal, count: int, decimals: int = 1) -> Decimal | None:
    """`total` ÷ `count` rounded half up to `decimals` places; None when nothing was counted."""
    if not count:
        return None
    quantum = Decimal(1).scaleb(-decimals)
    return (Decimal(total) / Decimal(count)).quantize(quantum, rounding=ROUND_HALF_UP)


_METRICS: dict[str, Metric] = {}


class UnknownMetric(KeyError):
    pass


def register(metric: Metric) -> Metric:
    if metric.code in _METRICS and _METRICS[metric.code] is not metric:
        raise ValueError(f"metric {metric.code} registered twice")
    if metric.kind == RATE and metric.numerator_records is None:
        raise ValueError(f"rate metric {metric.code} needs numerator_records")
    if metric.kind in (SUM, AVERAGE) and not metric.sum_field:
        raise ValueError(f"{metric.kind} metric {metric.code} needs sum_field")
    if metric.kind not in (COUNT, SUM, RATE, AVERAGE):
        raise ValueError(f"metric {metric.code}: unknown kind {metric.kind!r}")
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
        figure.value = 0 if figure.metric.kind not in (RATE, AVERAGE) else None
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
    return list(compute_many([m.code for m in metrics(group)], township, period).values())


def _by_table(ms: Iterable[Metric]) -> dict[tuple[Any, str], list[Metric]]:
    tables: dict[tuple[Any, str], list[Metric]] = {}
    for m in ms:
        if m.batchable:
            assert isinstance(m.records, Rows)
            tables.setdefault(m.records.table, []).append(m)
    return tables


#: stands for the township's id while a plan's SQL is compiled (found again among the params)
_SENTINEL = -730_531_987
_PLANS: OrderedDict[tuple[Any, ...], _Plan | _GroupedPlan | None] = OrderedDict()
_PLANS_KEPT = 256


@dataclass
class _Part:
    """One table's aggregate inside a plan: its compiler (for the column converters), the
    names of its columns and the metrics whose figures they give."""

    compiler: Any
    names: list[str]
    metrics: list[Metric]


@dataclass
class _Plan:
    """Every batched figure of a township-period in one SQL statement: each table's filtered
    aggregate (grouped by township, filtered to one) LEFT JOINed to a one-row select. Compiled
    once per set of metrics, period and day; a call only substitutes the township's id."""

    alias: str
    sql: str
    params: list[Any]
    slots: list[int]
    parts: list[_Part]

    def run(self, township: Any) -> dict[str, Figure]:
        from django.db import connections

        pk = getattr(township, "pk", township)
        params = list(self.params)
        for slot in self.slots:
            params[slot] = pk
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        out: dict[str, Figure] = {}
        at = 1
        for part in self.parts:
            cells = list(row[at : at + len(part.names)])
            at += len(part.names)
            converted = next(iter(part.compiler.results_iter(results=[[cells]])))
            values = dict(zip(part.names, converted, strict=True))
            for i, m in enumerate(part.metrics):
                out[m.code] = m.from_aggregates(values, f"m{i}_")
        return out


def _compile_plan(tables: dict[tuple[Any, str], list[Metric]], period: Period) -> _Plan | None:
    """The plan of `tables`, or None when one of them cannot be put in one statement (the
    township's id not found exactly once among its params, or several databases)."""
    parts: list[_Part] = []
    joins: list[str] = []
    params: list[Any] = []
    slots: list[int] = []
    aliases = set()
    for n, ((model, township_field), group) in enumerate(tables.items()):
        aggs: dict[str, Any] = {}
        for i, m in enumerate(group):
            aggs.update(m.aggregates(period, f"m{i}_"))
        qs = (
            model._default_manager.filter(**{township_field: _SENTINEL})
            .order_by()
            .values(township_field)
            .annotate(**aggs)
        )
        aliases.add(qs.db)
        compiler = qs.query.get_compiler(using=qs.db)
        sql, part_params = compiler.as_sql()
        hits = [i for i, v in enumerate(part_params) if type(v) is int and v == _SENTINEL]
        names = [township_field, *qs.query.annotation_select]
        if len(hits) != 1 or compiler.col_count != len(names):
            return None
        slots.append(len(params) + hits[0])
        params.extend(part_params)
        # at most one row (one township), and said so: without LIMIT PostgreSQL estimates each
        # grouped aggregate at several rows, multiplies 40 of them into a cost of ~1e11 and
        # JIT-compiles the statement (40 s; docs/indicators.md)
        joins.append(f"LEFT JOIN ({sql} LIMIT 1) _fz{n} ON 1 = 1")
        parts.append(_Part(compiler, names, group))
    if len(aliases) != 1:
        return None
    # every part is SQL compiled by Django with its values bound as params
    sql = "SELECT * FROM (SELECT 1 AS _fz) _fz " + " ".join(joins)  # noqa: S608
    return _Plan(aliases.pop(), sql, params, slots, parts)


def _plan_for(tables: dict[tuple[Any, str], list[Metric]], period: Period) -> _Plan | None:
    from django.utils import timezone

    key = (
        period.start,
        period.end,
        timezone.localdate(),  # some conditions read today's date (due while the period runs)
        tuple((m.code, id(m)) for group in tables.values() for m in group),
    )
    if key in _PLANS:
        _PLANS.move_to_end(key)
        return _PLANS[key]
    plan = _compile_plan(tables, period)
    _PLANS[key] = plan
    while len(_PLANS) > _PLANS_KEPT:
        _PLANS.popitem(last=False)
    return plan


def _raw_many(ms: list[Metric], township: Any, period: Period) -> dict[str, Figure]:
    out: dict[str, Figure] = {}
    tables = _by_table(ms)
    plan = _plan_for(tables, period) if tables else None
    if plan is not None:
        out.update(plan.run(township))
    else:
        for (model, township_field), group in tables.items():
            aggs: dict[str, Any] = {}
            for i, m in enumerate(group):
                aggs.update(m.aggregates(period, f"m{i}_"))
            values = model._default_manager.filter(**{township_field: township}).aggregate(**aggs)
            for i, m in enumerate(group):
                out[m.code] = m.from_aggregates(values, f"m{i}_")
    for m in ms:
        if m.code not in out:
            out[m.code] = m.compute_raw(township, period)
    return out


def compute_many(codes: Iterable[str], township: Any, period: Period) -> dict[str, Figure]:
    """The figures of `codes` for one township-period, settled (statuses): one aggregate query
    per table for the metrics declared with Rows, one or two queries for each of the others,
    and one for the declarations when a figure is empty. In `codes` order."""
    ms = [metric(code) for code in codes]
    raw = _raw_many(ms, township, period)
    declared = declarations(township, period) if any(f.is_blank for f in raw.values()) else {}
    return {m.code: settle(raw[m.code], township, period, declared) for m in ms}


@dataclass
class Comparison:
    """One metric across several townships (the county's read-only comparison)."""

    metric: Metric
    rows: list[tuple[Any, Figure]] = field(default_factory=list)


def compare_many(
    codes: Iterable[str], townships: Iterable[Any], period: Period
) -> dict[str, Comparison]:
    """Metrics across townships: one query grouped by township per table for the metrics
    declared with Rows; the others township by township."""
    ms = [metric(code) for code in codes]
    townships = list(townships)
    pks = [getattr(t, "pk", t) for t in townships]
    found: dict[str, list[Figure]] = {}
    for (model, township_field), group in _by_table(ms).items():
        plan = _grouped_plan_for(model, township_field, group, period, len(pks))
        if plan is not None:
            rows = plan.run(pks)
        else:
            aggs: dict[str, Any] = {}
            for i, m in enumerate(group):
                aggs.update(m.aggregates(period, f"m{i}_"))
            rows = list(
                model._default_manager.filter(**{f"{township_field}__in": pks})
                .order_by()
                .values(township_field)
                .annotate(**aggs)
            )
        by_township = {r[township_field]: r for r in rows}
        for i, m in enumerate(group):
            found[m.code] = [m.from_aggregates(by_township.get(pk, {}), f"m{i}_") for pk in pks]
    for m in ms:
        if m.code not in found:
            found[m.code] = [m.compute_raw(t, period) for t in townships]
    declared = (
        _declarations_of(pks, period)
        if any(f.is_blank for figures in found.values() for f in figures)
        else {}
    )
    return {
        m.code: Comparison(
            m,
            [
                (t, settle(figure, t, period, declared.get(pk, {})))
                for t, pk, figure in zip(townships, pks, found[m.code], strict=True)
            ],
        )
        for m in ms
    }


@dataclass
class _GroupedPlan:
    """One table's aggregates grouped by township for `n` townships, compiled once; a call
    substitutes the townships' ids."""

    alias: str
    sql: str
    params: list[Any]
    slots: list[int]
    part: _Part

    def run(self, pks: list[Any]) -> list[dict[str, Any]]:
        from django.db import connections

        params = list(self.params)
        for slot, pk in zip(self.slots, pks, strict=True):
            params[slot] = pk
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        converted = self.part.compiler.results_iter(results=[rows])
        return [dict(zip(self.part.names, r, strict=True)) for r in converted]


def _grouped_plan_for(
    model: Any, township_field: str, group: list[Metric], period: Period, n: int
) -> _GroupedPlan | None:
    from django.utils import timezone

    key = (
        "grouped",
        model,
        township_field,
        n,
        period.start,
        period.end,
        timezone.localdate(),
        tuple((m.code, id(m)) for m in group),
    )
    if key in _PLANS:
        _PLANS.move_to_end(key)
        return _PLANS[key]  # type: ignore[return-value]
    if not n:
        return None
    sentinels = [_SENTINEL - i for i in range(n)]
    wanted = set(sentinels)
    aggs: dict[str, Any] = {}
    for i, m in enumerate(group):
        aggs.update(m.aggregates(period, f"m{i}_"))
    qs = (
        model._default_manager.filter(**{f"{township_field}__in": sentinels})
        .order_by()
        .values(township_field)
        .annotate(**aggs)
    )
    compiler = qs.query.get_compiler(using=qs.db)
    sql, params = compiler.as_sql()
    hits = [i for i, v in enumerate(params) if type(v) is int and v in wanted]
    where = {params[i]: i for i in hits}
    names = [township_field, *qs.query.annotation_select]
    plan: _GroupedPlan | None = None
    if len(hits) == n == len(where) and compiler.col_count == len(names):
        slots = [where[v] for v in sentinels]
        plan = _GroupedPlan(qs.db, sql, list(params), slots, _Part(compiler, names, group))
    _PLANS[key] = plan  # type: ignore[assignment]
    while len(_PLANS) > _PLANS_KEPT:
        _PLANS.popitem(last=False)
    return plan


def _declarations_of(pks: list[Any], period: Period) -> dict[int, dict[str, Any]]:
    """`declarations` for several townships in one query."""
    if period.start.year != period.end.year:
        return {}
    from fazhi.indicators.models import FigureDeclaration

    out: dict[int, dict[str, Any]] = {}
    rows = FigureDeclaration.objects.filter(township_id__in=pks, year=period.start.year)
    for d in rows:
        out.setdefault(d.township_id, {})[d.metric_code] = d
    return out


def compare(code: str, townships: Iterable[Any], period: Period) -> Comparison:
    return compare_many([code], townships, period)[code]
