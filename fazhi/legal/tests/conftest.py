"""Helpers for the legal tests: a frozen clock, an advisor, and records walked through review."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from fazhi.core.models import Staff
from fazhi.legal import services
from fazhi.legal.models import Advisor, AdvisorEngagement, Contract

TZ = ZoneInfo("Asia/Shanghai")
D = dt.date


def at(day: dt.date) -> time_machine.travel:
    """Freeze the clock on `day`, 10:00 Beijing time."""
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, tzinfo=TZ), tick=False)


@pytest.fixture
def engagement(cast):
    def make(township=None):
        return AdvisorEngagement.objects.create(
            township=township or cast.a, firm=f"{(township or cast.a).name}律师事务所",
            start=D(2025, 1, 1), end=D(2025, 12, 31), fee="30000",
        )  # fmt: skip

    return make


@pytest.fixture
def advisor(cast, engagement):
    def make(township=None, name="韩律师"):
        township = township or cast.a
        return Advisor.objects.create(
            township=township, name=name, engagement=engagement(township), start=D(2025, 1, 1)
        )

    return make


@pytest.fixture
def reviewer(cast):
    return Staff.objects.create(
        township=cast.a, name="司法所长", position="司法所所长", department=cast.justice_a
    )


@pytest.fixture
def contract(cast):
    def make(township=None, village=None, title="村集体土地流转合同"):
        return Contract.objects.create(
            township=township or cast.a, village=village, title=title, counterparty="某合作社"
        )

    return make


@pytest.fixture
def reviewed_contract(cast, contract, advisor, reviewer):
    """A village contract of 甲镇 with a passing opinion, not yet signed."""
    a = advisor()
    c = contract(village=cast.a1)
    with at(D(2025, 3, 3)):
        c = services.submit_contract(
            c, actor=cast.a_operator, on=D(2025, 3, 3), reviewer_kind="joint", reviewer=reviewer,
            advisor=a,
        )  # fmt: skip
    with at(D(2025, 3, 7)):
        services.conclude_review(
            c.review, actor=cast.a_operator, outcome="passed", opinion="合法。",
            advisor_opinion="同意。", on=D(2025, 3, 7),
        )  # fmt: skip
    c.refresh_from_db()
    return c
