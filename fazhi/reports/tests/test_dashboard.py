"""The township home's monthly trends: points open the month's records; the chart library is
served locally."""

import datetime as dt

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from fazhi.disputes.tests.helpers import raw_dispute
from fazhi.reports.dashboard import dashboard


@pytest.mark.django_db
def test_monthly_trend_points_open_the_months_records(cast):
    for day in (dt.date(2025, 1, 5), dt.date(2025, 1, 20), dt.date(2025, 3, 2)):
        raw_dispute(cast, cast.a, received_on=day)
    d = dashboard(cast.a, 2025)
    [trend] = [t for t in d["trends"] if t["code"] == "disputes.screened"]
    assert [p["value"] for p in trend["points"]][:3] == [2, 0, 1]
    assert trend["points"][0]["url"].endswith("?start=2025-01-01&end=2025-01-31")


@pytest.mark.django_db
def test_home_shows_the_dashboard_and_serves_echarts_locally(cast, login):
    raw_dispute(cast, cast.a, received_on=dt.date(2025, 2, 1))
    body = (
        login(cast.a_operator)
        .get(reverse("core:township", args=[cast.a.pk]) + "?year=2025")
        .content.decode()
    )
    assert 'data-metric="disputes.screened"' in body and "月度趋势" in body
    assert (
        "/static/vendor/echarts/echarts.min.js" in body
        and "http" not in body.split("echarts.min.js")[0][-80:]
    )
    assert finders.find("vendor/echarts/echarts.min.js")
