"""Comparing claims with the records through a RecordSource (a fake one here; the registry's
adapter is fazhi.reports.records.RegistrySource)."""

from __future__ import annotations

import pytest

from fazhi.reports.checker import Claim, RecordFigure, RecordSource, check_text

REPORT = (
    "甲镇2025年法治政府建设年度报告\n"
    "一、主要举措和成效\n"
    "全镇排查矛盾纠纷58件，调解成功率100%。检查企业150余家。发放宣传资料不少于2000份。\n"
    "二、2026年工作计划\n"
    "全年排查矛盾纠纷不少于60件。\n"
)


class FakeRecords:
    """Maps a claim to a metric by its noun; remembers what it was asked."""

    def __init__(self, figures: dict[str, RecordFigure]) -> None:
        self.figures = figures
        self.asked: list[tuple[str, int | None]] = []

    def lookup(self, claim: Claim, *, year: int | None) -> RecordFigure | None:
        self.asked.append((claim.noun, year))
        return self.figures.get(claim.noun)


def fig(metric: str, value: float, unit: str = "件", **kw: object) -> RecordFigure:
    return RecordFigure(metric=metric, label=metric.split(".")[-1], value=value, unit=unit, **kw)  # type: ignore[arg-type]


def test_fake_is_a_record_source() -> None:
    assert isinstance(FakeRecords({}), RecordSource)


def test_claim_differing_from_records_is_an_error() -> None:
    records = FakeRecords({"矛盾纠纷": fig("disputes.screened", 56)})
    result = check_text(REPORT, records=records)
    (d,) = [d for d in result.defects if d.kind == "record_mismatch"]
    assert d.reason == "报告称58件，系统记录56件（screened）"
    assert (str(d.severity), d.code, d.text) == ("error", "disputes.screened", "58件")
    claim = next(c for c in result.claims if c.noun == "矛盾纠纷" and c.kind == "actual")
    assert claim.metric == "disputes.screened" and claim.record and claim.record["value"] == 56


def test_only_actual_claims_are_looked_up_for_the_report_year() -> None:
    records = FakeRecords({})
    check_text(REPORT, records=records)
    assert ("矛盾纠纷", 2025) in records.asked
    assert all(noun != "矛盾纠纷" or year == 2025 for noun, year in records.asked)
    assert len(records.asked) == 4  # 58件, 100%, 150余家, 不少于2000份; not the 2026 target


@pytest.mark.parametrize(
    ("noun", "figure", "ok"),
    [
        ("矛盾纠纷", fig("d.n", 58), True),
        ("企业", fig("e.n", 150, "家"), True),
        ("企业", fig("e.n", 159, "家"), True),  # 150余 = 150…159
        ("企业", fig("e.n", 160, "家"), False),
        ("企业", fig("e.n", 149, "家"), False),
        ("宣传资料", fig("o.n", 2500, "份"), True),  # 不少于2000
        ("宣传资料", fig("o.n", 1999, "份"), False),
        ("调解成功率", fig("d.r", 100, "%", numerator=58, denominator=58), True),
        ("调解成功率", fig("d.r", 96.6, "%", numerator=56, denominator=58), False),
    ],
)
def test_qualifiers_are_respected(noun: str, figure: RecordFigure, ok: bool) -> None:
    result = check_text(REPORT, records=FakeRecords({noun: figure}))
    found = [d for d in result.defects if d.kind == "record_mismatch"]
    assert (not found) is ok, [d.reason for d in found]


def test_rate_mismatch_names_the_recorded_fraction() -> None:
    records = FakeRecords({"调解成功率": fig("d.r", 96.6, "%", numerator=56, denominator=58)})
    (d,) = [d for d in check_text(REPORT, records=records).defects if d.kind == "record_mismatch"]
    assert d.reason == "报告称100%，系统记录56/58=96.6%（r）"


def test_incomplete_records_make_it_a_warning() -> None:
    records = FakeRecords({"矛盾纠纷": fig("d.n", 56, complete=False)})
    (d,) = [d for d in check_text(REPORT, records=records).defects if d.kind == "record_mismatch"]
    assert str(d.severity) == "warning"


def test_without_records_nothing_is_compared() -> None:
    result = check_text(REPORT)
    assert not [d for d in result.defects if d.kind == "record_mismatch"]
    assert all(c.metric is None for c in result.claims)
