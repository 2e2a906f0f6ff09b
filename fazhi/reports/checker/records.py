"""Comparing claims with the township's records.

The checker does not know the indicator registry; it asks a `RecordSource` for each actual
claim. The registry adapter (later) maps a claim to a metric code by its noun and unit, computes
the metric over the township and the report year, and answers with a `RecordFigure`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Protocol, runtime_checkable

from .model import Claim, Defect, DefectKind, Severity
from .numerals import stated_decimals


@dataclass(frozen=True, slots=True)
class RecordFigure:
    """A figure computed from records, e.g. disputes.mediation_success_rate = 105/121."""

    metric: str  # registry code: "disputes.screened_count"
    label: str  # 排查矛盾纠纷件数
    value: float  # 56, or 86.8 for a rate in percent
    unit: str = ""  # 件, %, …
    numerator: float | None = None  # for rates; for averages the sum
    denominator: float | None = None  # for averages the number of records averaged
    average: bool = False  # value = numerator ÷ denominator (平均办理用时 …)
    complete: bool = True  # False when the records for the period are known to be incomplete
    url: str | None = None  # drill-down to the records behind the figure


@runtime_checkable
class RecordSource(Protocol):
    """Anything that can look a claim up in the records of one township."""

    def lookup(self, claim: Claim, *, year: int | None) -> RecordFigure | None:
        """The recorded figure for what `claim` counts in `year`, or None if it is not a metric."""
        ...


def _place(v: Fraction) -> Fraction:
    """The step a round figure is written to: 150 → 10, 2000 → 1000, 58 → 1."""
    if v <= 0 or v.denominator != 1:
        return Fraction(1)
    n = int(v)
    step = 1
    while n % 10 == 0 and n >= 10:
        n //= 10
        step *= 10
    return Fraction(step)


def consistent(claim: Claim, fig: RecordFigure) -> bool:
    """Does the recorded value fit what the claim says, given its qualifiers?

    "150余家" fits 150…159 (150 written to tens: anything from 150 up to the next ten);
    "2000余人次" fits 2000…2999; "不少于/以上" fit anything ≥; "近/约/左右" fit within 10%.
    A rate fits when the recorded rate rounds or truncates to the stated one."""
    v = Fraction(str(claim.value))
    r = Fraction(str(fig.value))
    if claim.unit == "%":
        if fig.numerator is not None and fig.denominator:
            r = Fraction(str(fig.numerator)) * 100 / Fraction(str(fig.denominator))
        u = Fraction(1, 10 ** stated_decimals(claim.raw))
        if claim.bound == "eq":
            return v - u / 2 <= r < v + u
        if claim.bound in ("ge", "gt"):
            return r >= v - u / 2
        if claim.bound in ("le", "lt"):
            return r < v + u
        return abs(r - v) <= 5
    if fig.average and fig.numerator is not None and fig.denominator:
        # an average is written to some decimals, like a rate: 4.2 fits 88/21 = 4.19…
        r = Fraction(str(fig.numerator)) / Fraction(str(fig.denominator))
        u = Fraction(1, 10 ** stated_decimals(claim.raw))
        if claim.bound == "eq":
            return v - u / 2 <= r < v + u / 2
        if claim.bound in ("ge", "gt"):
            return r >= v - u / 2
        if claim.bound in ("le", "lt"):
            return r < v + u / 2
        return abs(r - v) <= v / 10
    if claim.bound == "eq":
        return r == v
    if claim.bound == "gt":
        return v <= r < v + _place(v)
    if claim.bound == "ge":
        return r >= v
    if claim.bound == "le":
        return r <= v
    if claim.bound == "lt":
        return r < v
    return abs(r - v) <= v / 10


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}".rstrip("0").rstrip(".")


def display(fig: RecordFigure) -> str:
    """The recorded figure as a clerk reads it: "12件" (not "12.0"), "105/121=86.8%"."""
    if fig.unit == "%" and fig.numerator is not None and fig.denominator:
        pct = float(Fraction(str(fig.numerator)) * 100 / Fraction(str(fig.denominator)))
        return f"{_fmt(fig.numerator)}/{_fmt(fig.denominator)}={pct:.1f}%"
    if fig.average and fig.numerator is not None and fig.denominator:
        return _average_text(fig)
    return f"{_fmt(fig.value)}{fig.unit}"


def _average_text(fig: RecordFigure) -> str:
    """平均4.2个工作日（88个工作日/21件）."""
    mean = float(Fraction(str(fig.numerator)) / Fraction(str(fig.denominator)))
    return (
        f"平均{_fmt(round(mean, 1))}{fig.unit}"
        f"（{_fmt(fig.numerator)}{fig.unit}/{_fmt(fig.denominator)}件）"
    )


def check_records(claims: list[Claim], source: RecordSource, *, year: int | None) -> list[Defect]:
    """报告称58件，系统记录56件. A contradiction is an error; when the source marks the period's
    records as incomplete it is a warning (the report may count what is not entered yet)."""
    out: list[Defect] = []
    for c in claims:
        if c.kind != "actual":
            continue
        fig = source.lookup(c, year=year)
        if fig is None:
            continue
        c.metric = fig.metric
        c.record = {**asdict(fig), "display": display(fig)}
        if consistent(c, fig):
            continue
        if c.unit == "%" and fig.numerator is not None and fig.denominator:
            pct = float(Fraction(str(fig.numerator)) * 100 / Fraction(str(fig.denominator)))
            recorded = f"{_fmt(fig.numerator)}/{_fmt(fig.denominator)}={pct:.1f}%"
        elif fig.average and fig.numerator is not None and fig.denominator:
            recorded = _average_text(fig)
        else:
            recorded = f"{_fmt(fig.value)}{fig.unit or c.unit}"
        reason = f"报告称{c.raw}，系统记录{recorded}（{fig.label}）"
        out.append(
            Defect(
                DefectKind.RECORD_MISMATCH,
                Severity.ERROR if fig.complete else Severity.WARNING,
                c.start,
                c.end,
                c.raw,
                reason,
                c.line,
                fig.metric,
                [c.id],
            )
        )
    return out
