"""A decision of 甲镇 walked through the steps by the services, with a frozen clock."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core.models import Staff
from fazhi.decisions import services
from fazhi.decisions.models import Catalogue, Decision
from fazhi.legal import services as legal_services
from fazhi.legal.tests.conftest import advisor, at, engagement, reviewer  # noqa: F401

D = dt.date


@pytest.fixture
def head(cast):
    return Staff.objects.create(township=cast.a, name="赵镇长", position="镇长")


@pytest.fixture
def study(cast):
    from fazhi.governance.models import StudySession

    return StudySession.objects.create(township=cast.a, held_on=D(2025, 5, 20), kind="pre_meeting",
                                       topic="《重大行政决策程序暂行条例》")  # fmt: skip


@pytest.fixture
def decision(cast):
    def make(township=None, title="集镇污水管网建设方案"):
        township = township or cast.a
        cat, _ = Catalogue.objects.get_or_create(township=township, year=2025,
                                                 defaults={"entries": title})  # fmt: skip
        return Decision.objects.create(township=township, year=2025, catalogue=cat, title=title,
                                       draft="草案", lead_unit=cast.justice_a if township == cast.a
                                       else None)  # fmt: skip

    return make


@pytest.fixture
def walk(cast, decision, advisor, reviewer, head, study):  # noqa: F811
    """walk(until) → a decision of 甲镇 taken through the steps up to `until`."""

    def _walk(until: str):
        u = cast.a_operator
        d = decision()
        with at(D(2025, 3, 3)):
            d = services.open_comment(d, actor=u, start=D(2025, 3, 3), end=D(2025, 4, 2))
            services.submit_public_comment(d, content="建议延伸到北街", name="王某")
        if until == "consulting":
            return d
        c = d.comments.get()
        with at(D(2025, 4, 8)):
            services.record_adoption(c, actor=u, adoption="adopted", reply="已纳入二期")
            d = services.close_comment(d, actor=u, summary="收到意见1条，采纳1条。")
            d = services.send_for_review(d, actor=u, on=D(2025, 4, 8), reviewer_kind="joint",
                                         reviewer=reviewer, advisor=advisor())  # fmt: skip
        if until == "reviewing":
            return d
        with at(D(2025, 4, 17)):
            legal_services.conclude_review(d.review, actor=u, outcome="passed", opinion="合法",
                                           advisor_opinion="同意", on=D(2025, 4, 17))  # fmt: skip
        with at(D(2025, 5, 21)):
            d = services.discuss(d, actor=u, meeting_on=D(2025, 5, 21), meeting_kind="executive",
                                 minutes="纪要", head=head, head_spoke_last=True, outcome="adopted",
                                 study=study, dissent="一名副镇长建议分期实施")  # fmt: skip
        return d

    return _walk
