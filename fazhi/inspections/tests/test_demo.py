"""The demo yields the seed reports' enforcement figures through the registry, and reloads
without writing anything."""

import datetime as dt

import pytest
import time_machine

from fazhi.core import demo as core_demo
from fazhi.core.models import ChangeRecord, County, Township
from fazhi.enforcement import demo as enforcement_demo
from fazhi.indicators import registry
from fazhi.indicators.registry import Period
from fazhi.inspections import demo as inspections_demo
from fazhi.inspections.models import Hazard, Inspection


@pytest.fixture
def seeds(db):
    """The five seed townships without the rest of core's demo (kept small for speed)."""
    out = {}
    for spec in core_demo.SEEDS:
        county, _ = County.objects.get_or_create(
            name=spec.county.name,
            province=spec.county.province,
            city=spec.county.city,
            defaults={"code": spec.county.code},
        )
        out[spec.name] = Township.objects.create(county=county, name=spec.name)
    return out


def _value(code, township, year=2025):
    return registry.compute(code, township, Period.year(year))


@time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=False)
def test_demo_reproduces_the_seed_figures_and_is_idempotent(seeds):
    def load():
        return core_demo.load(loaders=[enforcement_demo.load, inspections_demo.load])

    load()
    sizhuang = seeds["寺庄镇"]
    # seed 001: 持证率达100%，专项整治行动3次，检查企业150余家，发现并整改隐患12条
    rate = _value("enforcement.certified_rate", sizhuang)
    assert rate.value == 100 and rate.denominator == 8
    assert _value("inspections.campaigns", sizhuang).value == 3
    inspected = _value("inspections.enterprises_inspected", sizhuang).value
    assert 150 < inspected < 160
    assert _value("inspections.hazards_found", sizhuang).value == 12
    assert _value("inspections.hazards_rectified", sizhuang).value == 12
    assert _value("inspections.rectified_on_time_rate", sizhuang).display == "12/12 = 100.0%"
    for name in ("杜关镇", "化工镇", "将官池镇"):
        assert _value("enforcement.certified_rate", seeds[name]).value == 100, name
    assert _value("enforcement.certified_rate", seeds["扁担沟镇"], 2023).value == 100
    assert _value("enforcement.bodies", seeds["将官池镇"]).value == 3
    # cases: two closed in 2025 (one after 法制审核), disclosed in time, files reviewed
    assert _value("enforcement.cases", sizhuang).value == 2
    assert _value("enforcement.review_rate", sizhuang).display == "1/1 = 100.0%"
    assert _value("enforcement.disclosure_timely_rate", sizhuang).display == "2/2 = 100.0%"
    assert _value("enforcement.file_review_pass_rate", sizhuang).value == 100
    assert _value("enforcement.on_time_rate", sizhuang).value == 100

    # the current year: an over-cap inspection and an overdue hazard in 化工镇
    huagong = seeds["化工镇"]
    assert _value("inspections.over_cap", huagong, 2026).value == 1
    assert _value("inspections.hazards_overdue", huagong, 2026).value == 1
    assert (
        registry.compute(
            "enforcement.overdue_cases",
            huagong,
            Period.between(dt.date(2026, 1, 1), dt.date(2026, 6, 15)),
        ).value
        == 1
    )
    # supervision (化工镇): a corrected 监督意见书 in 2025, an overdue one in the current year
    assert _value("enforcement.supervision_opinions", huagong).value == 1
    assert _value("enforcement.correction_rate", huagong).display == "1/1 = 100.0%"
    so_far = Period.between(dt.date(2026, 1, 1), dt.date(2026, 6, 15))
    assert registry.compute("enforcement.correction_rate", huagong, so_far).display == (
        "0/1 = 0.0%"
    )
    assert Inspection.objects.filter(township=sizhuang, status="planned").exists()
    assert Hazard.objects.filter(township=huagong, status="open").exists()

    before = ChangeRecord.objects.count()
    result = load()
    assert not result.changed, result.lines()
    assert ChangeRecord.objects.count() == before
