"""The public look-up at /gk/petitions/: receipt number + code, no personal information,
throttled wrong codes, and one rating after the opinion was served."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from fazhi.petitions import portal
from fazhi.petitions.tests.conftest import at

pytestmark = pytest.mark.django_db
LOOKUP = "/gk/petitions/"


def lookup(client: Client, receipt_no: str, code: str, ip: str = "10.0.0.1"):
    return client.post(LOOKUP, {"receipt_no": receipt_no, "code": code}, REMOTE_ADDR=ip)


def test_lookup_page_is_public(client):
    response = client.get(LOOKUP)
    assert response.status_code == 200
    assert "登记编号" in response.content.decode()


def test_right_code_shows_progress_without_personal_information(cast, walk, party, client):
    petitioner = party("李秀英", id_number="110101199003077774", phone="13912345678")
    p = walk("accepted", petitioner=petitioner, subject="李秀英家宅基地被占")
    with at(dt.date(2025, 3, 10)):
        response = lookup(client, p.receipt_no, p.test_code)
        assert response.status_code == 302
        page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert p.receipt_no in html and "办理中" in html and "受理（已书面告知）" in html
    for secret in ("李秀英", "110101199003077774", "13912345678", "宅基地被占", p.content):
        assert secret not in html


def test_receipt_number_in_other_bracket_styles_is_found(cast, walk, client):
    p = walk()
    typed = p.receipt_no.replace("〔", "(").replace("〕", ")")
    with at(dt.date(2025, 3, 4)):
        assert lookup(client, typed, p.test_code.lower()).status_code == 302


def test_wrong_code_gives_the_same_answer_as_an_unknown_number(cast, walk, client):
    p = walk()
    wrong = lookup(client, p.receipt_no, "AAAAAAAA", ip="10.0.0.2")
    unknown = lookup(client, "〔2025〕甲镇信字第99号", p.test_code, ip="10.0.0.3")
    assert wrong.status_code == unknown.status_code == 400
    assert (
        wrong.context["error"]
        == unknown.context["error"]
        == "登记编号或查询码不正确，请核对回执后重新输入。"
    )


def test_status_page_needs_the_lookup_first(cast, walk, client):
    p = walk()
    assert client.get(reverse("petitions_portal:status", args=[p.pk])).status_code == 404


@override_settings(FAZHI_PETITION_PORTAL_RECEIPT_FAILURES=3)
def test_wrong_codes_are_throttled_per_receipt(cast, walk, client):
    p = walk()
    for i in range(3):
        assert lookup(client, p.receipt_no, "BADCODE1", ip=f"10.1.0.{i}").status_code == 400
    # from yet another address, even the right code is refused for a while
    blocked = lookup(client, p.receipt_no, p.test_code, ip="10.1.0.99")
    assert blocked.status_code == 429
    assert (
        "查询失败次数过多" in blocked.context["error"] and "分钟后再试" in blocked.context["error"]
    )


@override_settings(FAZHI_PETITION_PORTAL_IP_FAILURES=4)
def test_wrong_codes_are_throttled_per_address(cast, walk, client):
    p = walk()
    for n in range(4):
        lookup(client, f"〔2025〕甲镇信字第{n + 50}号", "BADCODE1", ip="10.2.0.1")
    assert lookup(client, p.receipt_no, p.test_code, ip="10.2.0.1").status_code == 429
    assert lookup(client, p.receipt_no, p.test_code, ip="10.2.0.2").status_code == 302


def test_rating_only_after_service(cast, walk, client):
    p = walk("accepted")
    with at(dt.date(2025, 3, 10)):
        lookup(client, p.receipt_no, p.test_code)
        page = client.get(reverse("petitions_portal:status", args=[p.pk]))
        assert page.context["can_rate"] is False
        response = client.post(
            reverse("petitions_portal:rate", args=[p.pk]), {"satisfaction": "satisfied"}
        )
    assert response.status_code == 400 and "送达后" in response.context["error"]
    p.refresh_from_db()
    assert p.satisfaction == ""


def test_petitioner_rates_once_on_the_portal(cast, walk, client):
    p = walk("served")
    with at(dt.date(2025, 4, 10)):
        lookup(client, p.receipt_no, p.test_code)
        page = client.get(reverse("petitions_portal:status", args=[p.pk]))
        assert page.context["can_rate"] is True
        rate = reverse("petitions_portal:rate", args=[p.pk])
        assert (
            client.post(rate, {"satisfaction": "satisfied", "comment": "办得好"}).status_code == 302
        )
        second = client.post(rate, {"satisfaction": "unsatisfied"})
    assert second.status_code == 400 and "不能重复评价" in second.context["error"]
    p.refresh_from_db()
    assert (p.satisfaction, p.rating_channel, p.rated_on, p.rating_comment) == (
        "satisfied", "portal", dt.date(2025, 4, 10), "办得好",
    )  # fmt: skip


def test_rating_window_closes(cast, walk, client):
    p = walk("served", served=dt.date(2025, 4, 2))
    with at(dt.date(2025, 5, 7)):
        lookup(client, p.receipt_no, p.test_code)
        page = client.get(reverse("petitions_portal:status", args=[p.pk]))
    assert page.context["can_rate"] is False and "评价期限已于" in page.content.decode()


def test_routed_matter_cannot_be_rated(cast, walk):
    from fazhi.petitions import services

    p = walk("accepted")
    with at(dt.date(2025, 3, 10)):
        p = services.route_to_legal_channel(
            p, actor=cast.a_operator, on=dt.date(2025, 3, 10), route="litigation", note="告知起诉"
        )
    assert not portal.can_rate(p)


def test_public_steps_never_name_the_petitioner(cast, walk, party):
    p = walk("served", petitioner=party("王大山"))
    text = " ".join(f"{s.label}{s.note}" for s in portal.public_steps(p))
    assert "王大山" not in text and "处理意见（支持）" in text


@override_settings(FAZHI_PETITION_PORTAL_RECEIPT_FAILURES=3)
def test_the_wrong_code_limit_holds_across_workers(cast, walk):
    """The counter is a database row (core.limits, incremented atomically in one statement), not
    a worker's memory: failures counted anywhere block the look-up everywhere, even for the right
    code. (Concurrent attempts: core/tests/test_limits.py, on PostgreSQL.)"""
    from fazhi.core.models import RateCounter

    p = walk()
    for i in range(3):
        with pytest.raises(portal.NotFound):
            portal.lookup_petition(p.receipt_no, "BADCODE1", f"10.3.0.{i}")
    assert RateCounter.objects.filter(key__startswith="petitions:portal:receipt:").get().count == 3
    with pytest.raises(portal.Throttled):
        portal.lookup_petition(p.receipt_no, p.test_code, "10.3.0.99")
