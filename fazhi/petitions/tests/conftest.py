"""Helpers for the petitions tests: a frozen clock, parties from the party index, and a
petition walked to any step of the loop through the services."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from fazhi.core.models import Staff
from fazhi.parties.services import find_or_create_party
from fazhi.petitions import services
from fazhi.petitions.choices import Outcome

TZ = ZoneInfo("Asia/Shanghai")


def at(day: dt.date) -> time_machine.travel:
    """Freeze the clock on `day`, 10:00 Beijing time."""
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, tzinfo=TZ), tick=False)


@pytest.fixture(autouse=True)
def _clear_cache(request):
    """The wrong-code limits live in the (database) cache: start each database test clean. A test
    without the database has no cache to clear."""
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
    } & set(request.fixturenames)
    if uses_db:
        cache.clear()
    yield
    if uses_db:
        cache.clear()


@pytest.fixture
def party(cast):
    def make(name: str = "张明", township=None, **extra):
        return find_or_create_party(township or cast.a, name=name, actor=cast.admin, **extra)

    return make


@pytest.fixture
def head(cast):
    """The township head of 甲镇, who approves extensions."""
    return Staff.objects.create(township=cast.a, name="赵镇长", position="镇长")


OPINION = {
    "request": "要求补发2024年耕地地力保护补贴。",
    "facts": "经核查，信访人承包地已登记确权，补贴因银行账号错误未能发放。",
    "outcome": Outcome.SUPPORT,
    "decision": "由镇农业服务中心于30日内补发。",
    "legal_basis": "《耕地地力保护补贴资金管理办法》第八条。",
}


@pytest.fixture
def walk(cast, party):
    """walk(until, **dates) → a petition of 甲镇 taken through the loop up to `until`."""

    def _walk(
        until: str = "registered",
        *,
        received=dt.date(2025, 3, 3),
        accepted=dt.date(2025, 3, 5),
        issued=dt.date(2025, 4, 1),
        served=dt.date(2025, 4, 2),
        actor=None,
        **register_kw,
    ):
        actor = actor or cast.a_operator
        kw = {
            "channel": "visit",
            "received_on": received,
            "petitioner": register_kw.pop("petitioner", None) or party(),
            "subject": "耕地补贴未发放",
            "content": "要求补发耕地地力保护补贴。",
            "category": "agriculture",
        }
        kw.update(register_kw)
        with at(received):
            p, code = services.register_petition(cast.a, actor=actor, **kw)
        p.test_code = code
        if until == "registered":
            return p
        with at(accepted):
            p = services.accept_petition(p, actor=actor, on=accepted)
        p.test_code = code
        if until == "accepted":
            return p
        with at(issued):
            services.issue_opinion(p, actor=actor, on=issued, **OPINION)
        if until == "opinion_issued":
            p.refresh_from_db()
            p.test_code = code
            return p
        with at(served):
            p = services.serve_opinion(p, actor=actor, on=served)
        p.test_code = code
        return p

    return _walk
