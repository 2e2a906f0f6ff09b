"""The 法制审核 gate with the legal app installed (issue #11): 送法制审核 opens a numbered review in
the township's legality review ledger; the case cannot be decided until that review is 通过 or
修改后通过 (dated on or before the decision); the 司法所's opinion goes onto the case's evidence
chain, and 不予通过 sends the case back to investigation."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from fazhi.core import evidence
from fazhi.core.deadlines import deadlines_for
from fazhi.enforcement import cases
from fazhi.enforcement.case import CaseView
from fazhi.enforcement.models import EnforcementCase
from fazhi.enforcement.tests.test_cases import ALL_POINTS, file, investigate, reviewer
from fazhi.legal import links
from fazhi.legal import services as legal_services
from fazhi.legal.models import ReviewRequest

D = dt.date


def notified(cast, case, on):
    return cases.notify(
        case, notified_on=on, proposed_penalty="罚款五千元", fine_amount=Decimal(5000),
        actor=cast.a_operator,
    )  # fmt: skip


def decide(cast, case, on):
    return cases.decide(
        case, decided_on=on, outcome="penalty", decision="罚款五千元。",
        fine_amount=Decimal(5000), actor=cast.a_operator,
    )  # fmt: skip


@time_machine.travel(dt.datetime(2025, 12, 30, 9, 0, tzinfo=dt.UTC), tick=False)
def test_the_decision_waits_for_the_legal_review_and_its_opinion_is_on_the_case(cast):
    case = file(cast, review=True)
    investigate(cast, case)
    case = notified(cast, case, D(2025, 10, 13))
    person = reviewer(cast)
    review = cases.submit_review(
        case, reviewer=person, submitted_on=D(2025, 10, 21), actor=cast.a_operator
    )
    request = links.linked_review(case)
    assert request.kind == "enforcement" and request.status == "reviewing"
    assert request.number.startswith("〔2025〕") and case.number in request.title
    # one review period on 我的期限: the case review's, copied onto the ledger
    case_due = deadlines_for(review).get(rule_code="enforcement.legal_review").due_date
    assert request.due_on == case_due and not deadlines_for(request).exists()
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="尚未出具审查意见"):
        decide(cast, case, D(2025, 10, 31))
    with pytest.raises(ValidationError, match="请在原记录中办理"):
        legal_services.withdraw_review(request, actor=cast.a_operator, reason="撤回")

    # the 司法所 refuses it on the review page: the case goes back to investigation
    legal_services.conclude_review(
        request, actor=cast.a_operator, outcome="rejected", opinion="证据不足，裁量过重。",
        on=D(2025, 10, 24),
    )  # fmt: skip
    case.refresh_from_db()
    review.refresh_from_db()
    assert case.status == "filed" and review.passed is False
    chain = [e.kind for e in evidence.entries(case.township_id, evidence.chain_name(case))]
    assert "合法性审查意见" in chain

    # sent again, passed with changes on 5 Nov: no decision dated before the opinion
    case = notified(cast, case, D(2025, 10, 24))
    cases.submit_review(case, reviewer=person, submitted_on=D(2025, 10, 27), actor=cast.a_operator)
    second = links.linked_review(case)
    assert second.pk != request.pk
    legal_services.conclude_review(
        second, actor=cast.a_operator, outcome="modified", opinion="按意见修改裁量后可以作出。",
        on=D(2025, 11, 5),
    )  # fmt: skip
    case.refresh_from_db()
    # the case page now offers the decision, no longer a second 法制审核 opinion
    offered = [a.label for a in CaseView().next_actions(case, {"can_change": True})]
    assert "作出决定" in offered and "出具法制审核意见" not in offered
    with pytest.raises(ValidationError, match="晚于2025-11-04"):
        decide(cast, case, D(2025, 11, 4))
    case = decide(cast, case, D(2025, 11, 6))
    assert case.status == "decided"
    assert case.reviews.filter(passed=True).count() == 1
    contents = [
        e.content for e in evidence.entries(case.township_id, evidence.chain_name(case))
        if e.kind == "合法性审查意见"
    ]  # fmt: skip
    assert contents[-1]["结论"] == "修改后通过" and contents[-1]["审查编号"] == second.number


@time_machine.travel(dt.datetime(2025, 12, 30, 9, 0, tzinfo=dt.UTC), tick=False)
def test_an_opinion_given_on_the_case_concludes_the_ledger_review(cast):
    case = file(cast, review=True)
    investigate(cast, case)
    case = notified(cast, case, D(2025, 10, 13))
    review = cases.submit_review(
        case, reviewer=reviewer(cast), submitted_on=D(2025, 10, 21), actor=cast.a_operator
    )
    cases.complete_review(
        review, reviewed_on=D(2025, 10, 23), points=ALL_POINTS, opinion="合法。", passed=True,
        actor=cast.a_operator,
    )  # fmt: skip
    request = ReviewRequest.objects.get(subject=evidence.chain_name(case))
    assert (request.status, request.outcome, request.opinion_on) == (
        "concluded", "passed", D(2025, 10, 23),
    )  # fmt: skip
    assert request.turnaround == 2 and "事实和证据：符合" in request.opinion
    case = decide(cast, EnforcementCase.objects.get(pk=case.pk), D(2025, 10, 27))
    assert case.status == "decided"
