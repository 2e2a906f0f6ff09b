"""Workflow pages: another township's user cannot read them."""

import datetime as dt

import pytest

from fazhi.governance.models import Meeting, Target

pytestmark = pytest.mark.django_db


def test_frequencies_and_progress_pages_are_scoped(cast, login):
    Meeting.objects.create(
        township=cast.a, held_on=dt.date(2025, 2, 10), kind="quarterly_report", title="甲镇汇报"
    )
    Target.objects.create(
        township=cast.a, year=2025, metric_code="outreach.events", value=6, wording="甲镇普法目标"
    )
    mine = login(cast.a_operator)
    assert "甲镇" in mine.get("/governance/frequencies/?year=2025").content.decode()
    assert "甲镇普法目标" in mine.get("/governance/progress/?year=2025").content.decode()
    other = login(cast.b_operator)
    for url in ("/governance/frequencies/", "/governance/progress/"):
        response = other.get(f"{url}?year=2025&township={cast.a.pk}")
        assert response.status_code == 200
        assert "甲镇普法目标" not in response.content.decode()
        assert response.context["township"] is None
    assert login(cast.nobody).get("/governance/progress/").status_code == 403


def test_township_home_shows_the_years_target_progress(cast, login):
    Target.objects.create(
        township=cast.a, year=2025, metric_code="outreach.events", value=6, wording="甲镇普法目标"
    )
    page = login(cast.a_operator).get(f"/t/{cast.a.pk}/?year=2025").content.decode()
    assert "2025年度目标进度" in page and "甲镇普法目标" in page
