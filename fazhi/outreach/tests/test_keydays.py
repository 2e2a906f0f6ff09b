"""The 普法 calendar: key days covered, passed without an event, or still to come; its total is
the registry's figure; scoped to the user's townships."""

import datetime as dt

import pytest

from fazhi.indicators import registry
from fazhi.indicators.registry import Period
from fazhi.outreach import keydays
from fazhi.outreach.models import Event

pytestmark = pytest.mark.django_db


def _event(township, day, title, key_day=""):
    return Event.objects.create(
        township=township, held_on=day, title=title, channel="market", key_day=key_day
    )


def test_calendar_marks_key_days_held_missed_and_coming(cast, login):
    _event(cast.a, dt.date(2025, 3, 15), "消费者权益日宣传", "0315")
    _event(cast.a, dt.date(2025, 5, 20), "民法典宣传月赶集", "civil_code_month")
    _event(cast.a, dt.date(2025, 5, 28), "普通赶集宣传")
    _event(cast.b, dt.date(2025, 4, 15), "乙镇国家安全教育日", "0415")
    cal = keydays.year_calendar(cast.a, 2025, dt.date(2025, 6, 16))
    rows = {r.key: r for m in cal.months for r in m.key_days}
    assert rows["0315"].status == "已开展" and len(rows["0315"].events) == 1
    assert rows["0415"].status == "未开展"  # April is over; 乙镇's event is not 甲镇's
    assert rows["0626"].status == "待开展" and rows["1204"].status == "待开展"
    assert [e.title for e in cal.months[4].other] == ["普通赶集宣传"]
    assert "4·15 全民国家安全教育日" in [r.label for r in cal.missed]
    total = registry.compute("outreach.events", cast.a, Period.year(2025))
    assert cal.figure.value == total.value == 3
    page = login(cast.a_operator).get("/outreach/events/calendar/?year=2025")
    assert page.status_code == 200 and "消费者权益日宣传" in page.content.decode()
    other = login(cast.b_operator).get(f"/outreach/events/calendar/?year=2025&township={cast.a.pk}")
    assert other.context["calendar"] is None and "消费者权益日宣传" not in other.content.decode()
    assert login(cast.nobody).get("/outreach/events/calendar/").status_code == 403
