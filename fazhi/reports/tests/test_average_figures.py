"""Average figures (the registry's AVERAGE kind) in the annual report and the report checker:
the value with its sum and count, 未记录 marked for the clerk, a declared nil return left out."""

from __future__ import annotations

from decimal import Decimal

from fazhi.indicators import registry
from fazhi.indicators.registry import NO_RECORDS, RECORDED, ZERO, Figure
from fazhi.reports.checker import Claim, RecordFigure, check_text
from fazhi.reports.generate import phrase

TURNAROUND = "legal.review_turnaround"


def _figure(value, numerator, denominator, status=RECORDED) -> Figure:
    return Figure(registry.metric(TURNAROUND), value, numerator, denominator, status=status)


def test_report_writes_the_average_with_its_count_and_sum() -> None:
    text = phrase(_figure(Decimal("7.5"), 15, 2))
    assert text == "合法性审查平均办理用时7.5个工作日（2件，合计15个工作日）"


def test_report_marks_an_unrecorded_average_and_never_writes_zero() -> None:
    text = phrase(_figure(None, None, None, status=NO_RECORDS))
    assert text.startswith("【未记录：合法性审查平均办理用时")
    assert "0个工作日" not in text
    assert phrase(_figure(None, None, None, status=ZERO)) == ""  # nothing happened: no average


class _Records:
    def __init__(self, figure: RecordFigure) -> None:
        self.figure = figure

    def lookup(self, claim: Claim, *, year: int | None) -> RecordFigure | None:
        return self.figure if claim.unit == "个工作日" else None


AVERAGE = RecordFigure(
    metric=TURNAROUND,
    label="合法性审查平均办理用时",
    value=7.5,
    unit="个工作日",
    numerator=15,
    denominator=2,
    average=True,
)
REPORT = "甲镇2025年法治政府建设年度报告\n一、主要举措和成效\n合法性审查平均办理用时{}个工作日。\n"


def _mismatches(stated: str) -> list:
    result = check_text(REPORT.format(stated), records=_Records(AVERAGE), year=2025)
    return [d for d in result.defects if d.kind == "record_mismatch"]


def test_checker_accepts_the_average_as_written_to_its_decimals() -> None:
    assert _mismatches("7.5") == []
    assert _mismatches("8") == []  # 7.5 written to whole days


def test_checker_reports_a_different_average_with_the_recorded_sum_and_count() -> None:
    (d,) = _mismatches("4.2")
    assert (
        d.reason
        == "报告称4.2个工作日，系统记录平均7.5个工作日（15个工作日/2件）（合法性审查平均办理用时）"
    )
