"""The registry itself: rates with numerator and denominator, rounding, zero denominators,
registration rules, groups and periods. Stub record sources: no database needed."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from fazhi.indicators import registry
from fazhi.indicators.registry import COUNT, RATE, SUM, Figure, Metric, Period, rate


def _rows(n: int):
    """A record source that counts `n` rows, like a queryset."""
    return lambda township, period: SimpleNamespace(count=lambda: n)


@pytest.fixture
def isolated(monkeypatch):
    """A private copy of the registry so test metrics never leak into other tests."""
    monkeypatch.setattr(registry, "_METRICS", dict(registry._METRICS))
    return registry


def _rate_metric(numerator: int, denominator: int, code: str = "test.rate") -> Metric:
    return Metric(
        code, "调解成功率", "%", RATE, _rows(denominator), numerator_records=_rows(numerator)
    )


def test_rate_returns_numerator_denominator_and_one_decimal():
    figure = _rate_metric(105, 121).compute(None, Period.year(2025))
    assert figure.numerator == 105
    assert figure.denominator == 121
    assert figure.value == Decimal("86.8")
    assert figure.display == "105/121 = 86.8%"


def test_rate_rounds_half_up_not_to_even():
    assert rate(1, 16) == Decimal("6.3")  # 6.25 → 6.3 (banker's rounding would give 6.2)
    assert rate(2, 3) == Decimal("66.7")
    assert rate(1, 3) == Decimal("33.3")
    assert rate(121, 121) == Decimal("100.0")
    assert rate(1, 3, decimals=2) == Decimal("33.33")


def test_zero_denominator_gives_no_value_and_says_so(monkeypatch):
    monkeypatch.setattr(registry, "declarations", lambda township, period: {})
    figure = _rate_metric(0, 0).compute(None, Period.year(2025))
    assert figure.value is None
    assert (figure.numerator, figure.denominator) == (0, 0)
    assert figure.status == registry.NO_RECORDS
    assert figure.display == "未记录"
    assert rate(5, 0) is None


def test_count_figure_displays_with_unit():
    m = Metric("test.count", "网格数", "个", COUNT, _rows(109))
    figure = m.compute(None, Period.year(2023))
    assert figure.value == 109
    assert figure.numerator is None
    assert figure.display == "109个"


def test_figure_as_dict_keeps_numerator_and_denominator():
    d = _rate_metric(105, 121).compute(None, Period.year(2025)).as_dict()
    assert d["value"] == "86.8"
    assert (d["numerator"], d["denominator"]) == (105, 121)
    assert d["display"] == "105/121 = 86.8%"
    assert d["kind"] == RATE


def test_duplicate_registration_is_rejected(isolated):
    isolated.register(Metric("test.twice", "甲", "个", COUNT, _rows(1)))
    with pytest.raises(ValueError, match="registered twice"):
        isolated.register(Metric("test.twice", "乙", "个", COUNT, _rows(2)))
    assert isolated.metric("test.twice").label == "甲"


def test_registering_the_same_object_again_is_harmless(isolated):
    m = isolated.register(Metric("test.same", "甲", "个", COUNT, _rows(1)))
    assert isolated.register(m) is m


def test_rate_without_numerator_is_rejected(isolated):
    with pytest.raises(ValueError, match="numerator_records"):
        isolated.register(Metric("test.bad_rate", "比率", "%", RATE, _rows(1)))


def test_group_defaults_to_the_code_prefix_and_lists_in_order(isolated):
    a = isolated.register(Metric("testgroup.a", "甲", "个", COUNT, _rows(1)))
    b = isolated.register(Metric("testgroup.b", "乙", "件", COUNT, _rows(2)))
    isolated.register(Metric("othergroup.c", "丙", "个", COUNT, _rows(3)))
    assert a.group == "testgroup"
    assert isolated.metrics("testgroup") == [a, b]
    figures = isolated.compute_group("testgroup", None, Period.year(2025))
    assert [f.value for f in figures] == [1, 2]


def test_core_group_lists_the_org_metrics():
    codes = [m.code for m in registry.metrics("core")]
    assert codes == [
        "core.villages",
        "core.grids",
        "core.grid_workers",
        "core.leading_group_members",
        "core.village_contact_coverage",
    ]
    assert all(m.definition for m in registry.metrics("core"))


def test_unknown_metric_raises():
    with pytest.raises(registry.UnknownMetric):
        registry.compute("nope.nothing", None, Period.year(2025))


def test_sum_metric_adds_a_field():
    class Rows:
        def aggregate(self, **kw):
            return {"total": 2000, "rows": 3}

    m = Metric("test.sum", "发放宣传资料份数", "份", SUM, lambda t, p: Rows(), sum_field="n")
    assert m.compute(None, Period.year(2025)).value == 2000


def test_rate_drilldown_parts():
    num, den = object(), object()
    m = Metric("test.parts", "率", "%", RATE, lambda t, p: den, numerator_records=lambda t, p: num)
    assert m.drilldown(None, Period.year(2025), "numerator") is num
    assert m.drilldown(None, Period.year(2025), "denominator") is den
    assert m.drilldown(None, Period.year(2025)) is den


def test_period_year_covers_the_calendar_year():
    p = Period.year(2025)
    assert p.start == dt.date(2025, 1, 1)
    assert p.end == dt.date(2025, 12, 31)
    assert p.as_of == dt.date(2025, 12, 31)
    assert p.label == "2025年"
    assert Period.year(2025) == p  # comparable: used as a cache/query key


def test_period_between_labels_its_dates():
    p = Period.between(dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert p.label == "2025-01-01至2025-06-30"
    assert p.as_of == dt.date(2025, 6, 30)


def test_compare_computes_one_metric_per_township(isolated):
    counts = {"甲镇": (1, 2), "乙镇": (3, 4)}
    isolated.register(
        Metric(
            "test.compare",
            "覆盖率",
            "%",
            RATE,
            lambda t, p: SimpleNamespace(count=lambda: counts[t][1]),
            numerator_records=lambda t, p: SimpleNamespace(count=lambda: counts[t][0]),
        )
    )
    comparison = isolated.compare("test.compare", ["甲镇", "乙镇"], Period.year(2025))
    assert comparison.metric.code == "test.compare"
    assert [(t, f.display) for t, f in comparison.rows] == [
        ("甲镇", "1/2 = 50.0%"),
        ("乙镇", "3/4 = 75.0%"),
    ]


def test_figure_of_an_undefined_count_shows_a_dash():
    m = Metric("test.none", "甲", "个", COUNT, _rows(0))
    assert Figure(m, None).display == "—"
