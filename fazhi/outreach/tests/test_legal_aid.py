"""Legal aid at the township: receive → forward (绿色通道 1日, else 3 working days) → the
centre's review (7日, [U], county-adjustable) → decision; the case page and its isolation."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from fazhi.core.models import ChangeRecord, Deadline, RuleOverride
from fazhi.core.services import ConflictError
from fazhi.indicators import registry
from fazhi.indicators.registry import Period
from fazhi.outreach import services
from fazhi.outreach.models import LegalAidApplication

pytestmark = pytest.mark.django_db


def _receive(cast, **extra):
    data = {
        "township": cast.a,
        "received_on": dt.date(2025, 9, 30),
        "applicant": "孙某",
        "category": "wages",
        "matter": "追索拖欠工资",
        "basis": "migrant",
        **extra,
    }
    return services.register_aid(LegalAidApplication, data, actor=cast.a_operator)


def _deadline(app, code):
    return Deadline.objects.get(object_id=str(app.pk), rule_code=code)


@time_machine.travel(dt.datetime(2025, 9, 30, 9, tzinfo=dt.UTC), tick=False)
def test_forwarding_counts_working_days_over_the_national_day_holiday(cast):
    app = _receive(cast)
    assert app.number == "〔2025〕甲镇援字第1号" and app.exempt_from_means_check
    # 30 Sep + 3 working days: 1–8 Oct are the National Day holiday, so 11 Oct (a 调休 Saturday)
    assert _deadline(app, "outreach.legal_aid.forward").due_date == dt.date(2025, 10, 11)
    green = _receive(cast, applicant="周某", green_channel=True)
    # 1日 ends on 1 Oct, a holiday: the period ends on the first day after it (民诉法 第八十五条)
    assert _deadline(green, "outreach.legal_aid.forward_green").due_date == dt.date(2025, 10, 9)


def test_review_is_seven_days_from_forwarding_and_county_can_change_it(cast):
    with time_machine.travel(dt.datetime(2025, 6, 3, 9, tzinfo=dt.UTC), tick=False):
        app = _receive(cast, received_on=dt.date(2025, 6, 3))
        app = services.forward_aid(
            app,
            on=dt.date(2025, 6, 4),
            to="县法律援助中心",
            actor=cast.a_operator,
            expected_version=app.version,
        )
    assert _deadline(app, "outreach.legal_aid.forward").status == "done"
    assert _deadline(app, "outreach.legal_aid.review").due_date == dt.date(2025, 6, 11)
    with pytest.raises(ValidationError):
        services.decide_aid(
            app,
            granted=False,
            on=dt.date(2025, 6, 9),
            note="",
            actor=cast.a_operator,
            expected_version=app.version,
        )
    with pytest.raises(ConflictError):
        services.decide_aid(
            app,
            granted=True,
            on=dt.date(2025, 6, 9),
            note="",
            undertaker="李律师",
            actor=cast.a_operator,
            expected_version=app.version - 1,
        )
    app = services.decide_aid(
        app,
        granted=True,
        on=dt.date(2025, 6, 9),
        note="",
        undertaker="李律师",
        actor=cast.a_operator,
        expected_version=app.version,
    )
    assert app.status == "granted" and _deadline(app, "outreach.legal_aid.review").status == "done"
    assert registry.compute("outreach.legal_aid_granted", cast.a, Period.year(2025)).value == 1

    RuleOverride.objects.create(
        rule_code="outreach.legal_aid.review",
        county=cast.county,
        length=5,
        unit="days",
        basis="县法律援助实施办法",
    )
    with time_machine.travel(dt.datetime(2025, 6, 3, 9, tzinfo=dt.UTC), tick=False):
        other = _receive(cast, applicant="钱某", received_on=dt.date(2025, 6, 3))
        other = services.forward_aid(
            other,
            on=dt.date(2025, 6, 4),
            to="县法律援助中心",
            actor=cast.a_operator,
            expected_version=other.version,
        )
    assert _deadline(other, "outreach.legal_aid.review").due_date == dt.date(2025, 6, 9)


def test_ineligible_is_not_registered_and_illegal_steps_refused(cast):
    with pytest.raises(ValidationError):
        _receive(cast, basis="none")
    app = _receive(cast)
    with pytest.raises(ValidationError):
        services.decide_aid(
            app,
            granted=True,
            on=dt.date(2025, 10, 9),
            note="",
            undertaker="李律师",
            actor=cast.a_operator,
            expected_version=app.version,
        )
    app = services.withdraw_aid(
        app, on=dt.date(2025, 10, 2), actor=cast.a_operator, expected_version=app.version
    )
    assert app.status == "withdrawn"
    assert _deadline(app, "outreach.legal_aid.forward").status == "cancelled"


def test_case_page_actions_and_isolation(cast, login):
    with time_machine.travel(dt.datetime(2025, 6, 3, 9, tzinfo=dt.UTC), tick=False):
        app = _receive(cast, received_on=dt.date(2025, 6, 3))
    client = login(cast.a_operator)
    page = client.get(f"/outreach/aid/{app.pk}/").content.decode()
    assert "转交县法律援助中心" in page and "免予核查" in page
    response = client.post(
        f"/outreach/aid/{app.pk}/forward/",
        {"version": app.version, "forwarded_on": "2025-06-04", "forwarded_to": "县法律援助中心"},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == "forwarded"
    other = login(cast.b_operator)
    assert other.get(f"/outreach/aid/{app.pk}/").status_code == 404
    for step in ("decide", "withdraw"):
        assert (
            other.post(f"/outreach/aid/{app.pk}/{step}/", {"version": app.version}).status_code
            == 404
        )
    viewer = login(cast.a_viewer)
    assert (
        viewer.post(
            f"/outreach/aid/{app.pk}/withdraw/",
            {"version": app.version, "withdrawn_on": "2025-06-05"},
        ).status_code
        == 403
    )
    app.refresh_from_db()
    assert app.status == "forwarded"


def test_a_step_without_the_version_it_read_or_with_an_older_one_writes_nothing(cast, login):
    """Two clerks with the same application open: the second 转交 is refused (409), a post
    without the version (400) too, and neither writes anything."""
    with time_machine.travel(dt.datetime(2025, 6, 3, 9, tzinfo=dt.UTC), tick=False):
        app = _receive(cast, received_on=dt.date(2025, 6, 3))
    client = login(cast.a_operator)
    page = client.get(f"/outreach/aid/{app.pk}/").content.decode()
    assert f'name="version" value="{app.version}"' in page
    url = f"/outreach/aid/{app.pk}/forward/"
    data = {"forwarded_on": "2025-06-04", "forwarded_to": "县法律援助中心"}
    before = ChangeRecord.objects.count()
    missing = client.post(url, data)
    assert missing.status_code == 400 and "缺少版本号" in missing.content.decode()
    assert ChangeRecord.objects.count() == before
    stale = app.version
    assert client.post(url, {**data, "version": stale}).status_code == 302
    written = ChangeRecord.objects.count()
    again = client.post(
        f"/outreach/aid/{app.pk}/withdraw/", {"withdrawn_on": "2025-06-05", "version": stale}
    )
    assert again.status_code == 409 and "已被他人修改" in again.content.decode()
    app.refresh_from_db()
    assert app.status == "forwarded" and app.version == stale + 1
    assert ChangeRecord.objects.count() == written
