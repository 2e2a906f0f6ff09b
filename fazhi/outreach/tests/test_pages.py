"""The phone-width 普法 event entry: saves through the service, shows the township figures and
target progress; another township's user can neither see the result page nor write there."""

import pytest

from fazhi.governance.models import Target
from fazhi.outreach.models import Event

pytestmark = pytest.mark.django_db


def _post(client, cast, **extra):
    data = {
        "township": cast.a.pk,
        "held_on": "2025-05-20",
        "title": "民法典宣传月赶集日宣传",
        "key_day": "civil_code_month",
        "channel": "market",
        "target_groups": ["青少年", "老年人"],
        "audience": "300",
        "materials": "500",
        "leaflets": "0",
        "banners": "2",
        "bulletin_boards": "0",
        "consultations": "12",
        **extra,
    }
    return client.post("/outreach/events/quick/", data)


def test_quick_event_saves_and_shows_figures_and_targets(cast, login):
    Target.objects.create(
        township=cast.a,
        year=2025,
        metric_code="outreach.events",
        value=6,
        wording="普法活动不少于6场",
    )
    client = login(cast.a_operator)
    response = _post(client, cast)
    event = Event.objects.get()
    assert response.status_code == 302 and event.target_groups == "青少年、老年人"
    page = client.get(response["Location"]).content.decode()
    assert "普法活动场次：1场次" in page and "受教育人次：300人次" in page
    assert "普法活动不少于6场" in page and "完成目标的16.7%" in page
    other = login(cast.b_operator)
    assert other.get(response["Location"]).status_code == 404


def test_quick_event_errors_name_the_field_and_write_nothing(cast, login):
    response = _post(login(cast.a_operator), cast, audience="-3", title="")
    assert response.status_code == 200 and Event.objects.count() == 0
    page = response.content.decode()
    assert "活动主题：" in page and "受教育人次：" in page


def test_quick_event_refuses_other_township_and_viewers(cast, login):
    response = _post(login(cast.b_operator), cast)
    assert response.status_code == 200 and Event.objects.count() == 0
    assert login(cast.a_viewer).get("/outreach/events/quick/").status_code == 403


def test_global_search_and_help_cover_the_module(cast, login):
    import datetime as dt

    Event.objects.create(
        township=cast.a, held_on=dt.date(2025, 5, 1), title="甲镇民法典集市宣传", channel="market"
    )
    Event.objects.create(
        township=cast.b, held_on=dt.date(2025, 5, 1), title="乙镇民法典集市宣传", channel="market"
    )
    page = login(cast.a_operator).get("/search/?q=民法典集市").content.decode()
    assert "甲镇民法典集市宣传" in page and "乙镇民法典集市宣传" not in page
    assert "手机登记普法活动" in login(cast.a_operator).get("/help/outreach/").content.decode()
