"""The public pages (政务公开): listed only for a township with records, no login, nothing
personal, and a township's page shows only its own records."""

import datetime as dt

import pytest
from django.test import Client

from fazhi.outreach.models import (
    Award,
    Consultation,
    CultureSite,
    DutySession,
    Event,
    LegalAidApplication,
    LegalUnderstander,
    ServicePoint,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(cast):
    point = ServicePoint.objects.create(
        township=cast.a, name="甲镇公共法律服务站", level="township", hours="每周三上午"
    )
    session = DutySession.objects.create(
        township=cast.a, held_on=dt.date(2025, 3, 5), point=point, lawyer="王律师", firm="某所"
    )
    Consultation.objects.create(
        township=cast.a,
        held_on=dt.date(2025, 3, 5),
        session=session,
        point=point,
        topic="land",
        people=7,
        questions=9,
        summary="张三咨询承包地纠纷",
    )
    LegalAidApplication.objects.create(
        township=cast.a,
        received_on=dt.date(2025, 4, 1),
        applicant="李四",
        phone="13912345678",
        category="wages",
        matter="追索劳动报酬",
        basis="means",
    )
    Event.objects.create(
        township=cast.a,
        held_on=dt.date(2025, 5, 20),
        title="民法典宣传月赶集日宣传",
        channel="market",
        key_day="civil_code_month",
        venue="甲镇集市",
        audience=300,
        materials=500,
        summary="现场为赵五解答了借款问题",
    )
    person = LegalUnderstander.objects.create(
        township=cast.a,
        village=cast.a1,
        name="周明白",
        phone="13800001111",
        occupation="村干部",
        appointed_on=dt.date(2022, 1, 1),
    )
    LegalUnderstander.objects.create(
        township=cast.a,
        village=cast.a1,
        name="已退出者",
        appointed_on=dt.date(2020, 1, 1),
        left_on=dt.date(2023, 1, 1),
        is_active=False,
    )
    Award.objects.create(
        township=cast.a,
        understander=person,
        title="十佳法律明白人",
        level="county",
        awarded_on=dt.date(2024, 12, 1),
    )
    CultureSite.objects.create(
        township=cast.a,
        village=cast.a2,
        kind="square",
        name="甲二村法治广场",
        built_on=dt.date(2021, 5, 1),
    )
    return cast


def test_sections_are_listed_only_for_the_township_with_records(records):
    anonymous = Client()
    mine = anonymous.get(f"/gk/t/{records.a.pk}/").content.decode()
    for title in ("公共法律服务", "普法活动", "法律明白人"):
        assert title in mine
    other = anonymous.get(f"/gk/t/{records.b.pk}/").content.decode()
    for url in ("services", "events", "understanders"):
        assert f"/gk/outreach/{records.a.pk}/{url}/" in mine
        assert f"/gk/outreach/{records.b.pk}/{url}/" not in other


def test_public_pages_show_the_townships_records_and_registry_figures_without_personal_data(
    records,
):
    anonymous = Client()
    services = anonymous.get(f"/gk/outreach/{records.a.pk}/services/?year=2025")
    assert services.status_code == 200
    page = services.content.decode()
    assert "甲镇公共法律服务站" in page and "王律师" in page
    figures = {f.metric.code: f.value for f in services.context["figures"]}
    assert figures["outreach.consultation_people"] == 7
    assert figures["outreach.legal_aid_received"] == 1
    events = anonymous.get(f"/gk/outreach/{records.a.pk}/events/").content.decode()
    assert "民法典宣传月赶集日宣传" in events and "甲二村法治广场" in events
    people = anonymous.get(f"/gk/outreach/{records.a.pk}/understanders/").content.decode()
    assert "周明白" in people and "2024年十佳法律明白人" in people
    assert "已退出者" not in people
    everything = page + events + people
    for private in ("13800001111", "13912345678", "李四", "张三", "赵五"):
        assert private not in everything


def test_another_townships_pages_show_only_its_own_records(records):
    anonymous = Client()
    for url in ("services", "events", "understanders"):
        response = anonymous.get(f"/gk/outreach/{records.b.pk}/{url}/?year=2025")
        assert response.status_code == 200
        page = response.content.decode()
        for theirs in ("甲镇公共法律服务站", "王律师", "民法典宣传月", "周明白", "甲二村法治广场"):
            assert theirs not in page
    assert anonymous.get("/gk/outreach/999999/events/").status_code == 404
