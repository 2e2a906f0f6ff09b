"""The county's home (key figures side by side, overdue deadlines) and the default period."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType

from fazhi.core.choices import DeadlineStatus
from fazhi.core.models import Deadline, Township, Village
from fazhi.core.views.home import county_metric_codes
from fazhi.indicators import registry
from fazhi.indicators.registry import Period

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _deadline(township: Township, label: str, due: dt.date, status=DeadlineStatus.OPEN):
    return Deadline.objects.create(
        township=township,
        rule_code="test.rule",
        label=label,
        citation="测试依据",
        content_type=ContentType.objects.get_for_model(Township),
        object_id=str(township.pk),
        start_date=due - dt.timedelta(days=15),
        length=15,
        unit="days",
        due_date=due,
        status=status,
    )


@pytest.fixture
def county_data(cast):
    Village.objects.create(township=cast.b, name="乙二村")
    Village.objects.create(township=cast.b, name="乙三村")
    _deadline(cast.a, "甲镇答复期限", dt.date(2026, 1, 10))
    _deadline(cast.a, "甲镇办结期限", dt.date(2026, 2, 20))
    _deadline(cast.b, "乙镇受理期限", dt.date(2025, 12, 1))
    _deadline(cast.b, "乙镇未到期", dt.date(2026, 4, 1))
    _deadline(cast.b, "乙镇已完成", dt.date(2025, 11, 1), DeadlineStatus.DONE)
    _deadline(cast.c, "邻县丙镇逾期", dt.date(2025, 10, 1))
    return cast


@time_machine.travel(NOW, tick=False)
def test_county_home_figures_equal_the_registry(county_data, login):
    cast = county_data
    response = login(cast.supervisor).get(f"/county/{cast.county.pk}/?year=2025")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert {r["township"] for r in rows} == {cast.a, cast.b}  # not the other county's 丙镇
    codes = county_metric_codes()
    assert len(codes) >= 8
    period = Period.year(2025)
    for row in rows:
        for code, figure in zip(codes, row["figures"], strict=True):
            expected = registry.compute(code, row["township"], period)
            assert (figure.metric.code, figure.display) == (code, expected.display)
    html = response.content.decode()
    import re

    cell = re.search(
        rf'data-metric="core.villages"><a href="/indicators/t/{cast.b.pk}/core.villages/\?year=2025">([^<]*)<',
        html,
    )
    assert cell, html
    assert cell.group(1).strip() == registry.compute("core.villages", cast.b, period).display
    assert "/reports/county/" in html and f"/t/{cast.a.pk}/" in html
    # and back from a township's home
    township_page = login(cast.supervisor).get(f"/t/{cast.a.pk}/").content.decode()
    assert f'href="/county/{cast.county.pk}/?year=' in township_page


@time_machine.travel(NOW, tick=False)
def test_county_home_lists_overdue_deadlines(county_data, login):
    cast = county_data
    response = login(cast.supervisor).get(f"/county/{cast.county.pk}/")
    rows = {r["township"].name: r["overdue"] for r in response.context["rows"]}
    assert rows == {"甲镇": 2, "乙镇": 1}
    worst = [(d.label, days) for d, days in response.context["worst"]]
    assert worst == [("乙镇受理期限", 91), ("甲镇答复期限", 51), ("甲镇办结期限", 10)]
    html = response.content.decode()
    assert "邻县丙镇逾期" not in html and "乙镇未到期" not in html
    assert "逾期事项（共 3 项）" in html


def test_county_home_is_scoped(county_data, login):
    cast = county_data
    assert login(cast.supervisor).get(f"/county/{cast.other_county.pk}/").status_code == 404
    for user in (cast.a_admin, cast.a_operator, cast.b_operator, cast.nobody):
        assert login(user).get(f"/county/{cast.county.pk}/").status_code == 404
    assert login(cast.admin).get(f"/county/{cast.other_county.pk}/").status_code == 200


def test_county_supervisor_lands_on_the_county_home(cast, login):
    response = login(cast.supervisor).get("/")
    assert response.status_code == 302
    assert response.url == f"/county/{cast.county.pk}/"
    assert login(cast.a_operator).get("/").url == f"/t/{cast.a.pk}/"


def _publish(township: Township, year: int, status: str = "published"):
    from fazhi.reports.models import AnnualReport

    return AnnualReport.objects.create(
        township=township, year=year, title=f"{township.name}{year}年报告", status=status
    )


@time_machine.travel(NOW, tick=False)
def test_default_period_is_the_report_year_until_published(cast, login):
    client = login(cast.supervisor)
    # nothing published yet: last year, the year of the report being written
    assert client.get(f"/t/{cast.a.pk}/").context["year"] == 2025
    assert client.get(f"/county/{cast.county.pk}/").context["year"] == 2025
    _publish(cast.a, 2025, "submitted")
    assert client.get(f"/t/{cast.a.pk}/").context["year"] == 2025
    _publish(cast.b, 2025)
    # 乙镇's report is published (its page opens on this year), 甲镇's is not
    assert client.get(f"/t/{cast.b.pk}/").context["year"] == 2026
    assert client.get(f"/t/{cast.a.pk}/").context["year"] == 2025
    assert client.get(f"/county/{cast.county.pk}/").context["year"] == 2025
    from fazhi.reports.models import AnnualReport

    AnnualReport.objects.filter(township=cast.a).update(status="published")
    assert client.get(f"/t/{cast.a.pk}/").context["year"] == 2026
    assert client.get(f"/county/{cast.county.pk}/").context["year"] == 2026
    # ?year= still chooses
    assert client.get(f"/t/{cast.a.pk}/?year=2024").context["year"] == 2024
    assert client.get(f"/county/{cast.county.pk}/?year=2024").context["year"] == 2024
    # another year's published report does not count
    with time_machine.travel(dt.datetime(2027, 2, 1, tzinfo=dt.UTC), tick=False):
        client = login(cast.supervisor)  # a new session (the old one is idle for a year)
        assert client.get(f"/t/{cast.a.pk}/").context["year"] == 2026


def test_menu_leads_a_county_supervisor_to_the_county_home(cast, login):
    """本县首页 in the 工作台 menu, for county-level roles only (issue #8)."""
    from fazhi.core.resources import navigation_for

    def labels(user):
        return [item["label"] for group in navigation_for(user) for item in group["items"]]

    assert "本县首页" in labels(cast.supervisor)
    for user in (cast.a_operator, cast.a_admin, cast.admin):
        assert "本县首页" not in labels(user)
    response = login(cast.supervisor).get("/county/")
    assert response.status_code == 302 and response.url == f"/county/{cast.county.pk}/"
    assert login(cast.a_operator).get("/county/").url == "/"
