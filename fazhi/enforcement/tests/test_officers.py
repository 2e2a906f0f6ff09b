"""Certificates: state on a day, 持证率 through the registry, warnings and the assignment gate."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from fazhi.core.rules import set_override
from fazhi.enforcement import services
from fazhi.enforcement.models import Certificate
from fazhi.enforcement.tests.helpers import officer
from fazhi.indicators import registry
from fazhi.indicators.registry import Period


def _cert(person, **kw):
    data = {
        "township": person.township,
        "officer": person,
        "number": f"X{Certificate.objects.count()}",
        "category": "综合行政执法",
        "issued_on": dt.date(2023, 1, 1),
        "expires_on": dt.date(2026, 3, 31),
        "checked_year": 2024,
    }
    data.update(kw)
    return Certificate.objects.create(**data)


def test_certificate_state_covers_dates_status_and_yearly_check(cast):
    cert = _cert(officer(cast.a, "张三", certified=False), checked_year=2025)
    assert cert.state(dt.date(2025, 6, 1)) == "valid"
    assert cert.state(dt.date(2026, 2, 15)) == "expiring"  # within 60 days
    assert cert.state(dt.date(2026, 4, 1)) == "expired"
    assert cert.state(dt.date(2022, 12, 31)) == "not_yet"
    cert.checked_year = 2023
    assert cert.state(dt.date(2025, 6, 1)) == "unchecked"  # missed the check for 2024
    cert.status = "suspended"
    assert cert.state(dt.date(2025, 6, 1)) == "invalid"


def test_certified_rate_counts_officers_not_auxiliaries(cast):
    officer(cast.a, "甲")
    officer(cast.a, "乙")
    _cert(officer(cast.a, "丙", certified=False), expires_on=dt.date(2025, 6, 30))
    officer(cast.a, "辅", kind="auxiliary")
    officer(cast.b, "别镇")
    figure = registry.compute("enforcement.certified_rate", cast.a, Period.year(2025))
    assert figure.display == "2/3 = 66.7%"
    names = {
        o.name
        for o in registry.metric("enforcement.certified_rate").drilldown(
            cast.a, Period.year(2025), "numerator"
        )
    }
    assert names == {"甲", "乙"}
    assert registry.compute("enforcement.certified_rate", cast.a, Period.year(2024)).value == 100


def test_assignment_needs_two_certified_officers(cast):
    a, b = officer(cast.a, "甲"), officer(cast.a, "乙")
    lapsed = officer(cast.a, "丙", certified=False)
    helper = officer(cast.a, "协管", kind="auxiliary")
    services.ensure_assignable([a, b, helper], dt.date(2025, 6, 1))
    with pytest.raises(ValidationError) as err:
        services.ensure_assignable([a, helper], dt.date(2025, 6, 1))
    assert "协管为执法辅助人员或网格员，不能单独执法" in str(err.value)
    with pytest.raises(ValidationError) as err:
        services.ensure_assignable([a, b, lapsed], dt.date(2025, 6, 1))
    assert "丙" in str(err.value) and "没有有效的行政执法证件" in str(err.value)
    with pytest.raises(ValidationError):
        services.ensure_assignable([a, b], dt.date(2030, 1, 2))  # both expired by then


def test_warnings_before_and_at_expiry_follow_the_rule_override(cast):
    person = officer(cast.a, "张三", certified=False)
    _cert(person, expires_on=dt.date(2025, 8, 1))
    qs = Certificate.objects.all()
    assert services.certificate_warnings(qs, dt.date(2025, 5, 1)) == []
    [warning] = services.certificate_warnings(qs, dt.date(2025, 6, 15))
    assert warning.state == "expiring" and "剩47日" in warning.text
    [warning] = services.certificate_warnings(qs, dt.date(2025, 8, 2))
    assert warning.state == "expired" and "已于2025-08-01过期" in warning.text
    set_override(
        "enforcement.certificate_renewal",
        county=cast.county,
        length=120,
        unit="days",
        basis="本县执法证件管理办法（提前四个月换证）",
        actor=cast.admin,
    )
    assert services.certificate_warnings(qs, dt.date(2025, 5, 1))[0].state == "expiring"


@time_machine.travel(dt.datetime(2025, 6, 16, 9, 0, tzinfo=dt.UTC), tick=False)
def test_warning_page_is_scoped(cast, login):
    _cert(officer(cast.a, "甲镇人", certified=False), expires_on=dt.date(2025, 7, 1))
    _cert(officer(cast.b, "乙镇人", certified=False), expires_on=dt.date(2025, 7, 1))
    page = login(cast.a_operator).get("/enforcement/certificates/warnings/").content.decode()
    assert "甲镇人" in page and "乙镇人" not in page
    assert login(cast.nobody).get("/enforcement/certificates/warnings/").status_code == 403


def test_portal_lists_only_published_powers(cast, client):
    from fazhi.enforcement.models import Power
    from fazhi.enforcement.tests.helpers import body_of

    common = {
        "township": cast.a,
        "category": "penalty",
        "body": body_of(cast.a),
        "source": "statutory",
        "legal_basis": "《某法》",
    }
    Power.objects.create(code="P1", name="已公布事项", published_on=dt.date(2025, 1, 1), **common)
    Power.objects.create(code="P2", name="未公布事项", **common)
    page = client.get(f"/gk/enforcement/{cast.a.pk}/powers/").content.decode()
    assert "已公布事项" in page and "未公布事项" not in page
