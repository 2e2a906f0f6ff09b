"""Legality review: numbering, deadlines by kind, the advisor gate of major decisions, the
evidence chain, and nothing takes effect before its opinion."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from fazhi.core import evidence
from fazhi.core.choices import DeadlineStatus
from fazhi.core.deadlines import deadlines_for
from fazhi.core.models import DomainEvent
from fazhi.legal import services
from fazhi.legal.choices import ContractStatus, DocumentStatus, ReviewStatus
from fazhi.legal.models import NormativeDocument
from fazhi.legal.tests.conftest import at

pytestmark = pytest.mark.django_db
D = dt.date


def test_review_is_numbered_and_due_in_working_days(cast, advisor, reviewer):
    a = advisor()
    with at(D(2025, 9, 26)):
        r = services.submit_review(
            cast.a, kind="major_decision", title="集镇改造方案", submitted_on=D(2025, 9, 26),
            actor=cast.a_operator, reviewer_kind="joint", reviewer=reviewer, advisor=a,
        )  # fmt: skip
    assert r.number == "〔2025〕甲镇审字第1号"
    # 7 working days after Fri 2025-09-26: 9/28 (Sun, 调休), 9/29, 9/30, (10/1–10/8 holidays),
    # 10/9, 10/10, 10/11 (Sat, 调休), 10/13
    assert r.due_on == D(2025, 10, 13)
    deadline = deadlines_for(r).get()
    assert deadline.rule_code == "legal.review_major_decision" and deadline.unit == "working_days"


def test_major_decision_needs_the_advisors_opinion(cast, reviewer):
    with at(D(2025, 3, 3)):
        r = services.submit_review(
            cast.a, kind="major_decision", title="方案", submitted_on=D(2025, 3, 3),
            actor=cast.a_operator, reviewer_kind="justice", reviewer=reviewer,
        )  # fmt: skip
    with at(D(2025, 3, 12)), pytest.raises(ValidationError) as exc:
        services.conclude_review(
            r, actor=cast.a_operator, outcome="passed", opinion="合法。", on=D(2025, 3, 12)
        )
    assert "应当听取法律顾问意见" in str(exc.value)
    r.refresh_from_db()
    assert r.status == ReviewStatus.REVIEWING


def test_opinion_goes_to_the_evidence_chain_with_turnaround(cast, reviewed_contract):
    r = reviewed_contract.review
    assert r.status == "concluded" and r.outcome == "passed"
    assert r.turnaround == 4  # Mon 3/3 → Fri 3/7
    kinds = [e.kind for e in evidence.entries(cast.a, evidence.chain_name(r))]
    assert kinds == ["送审", "审查意见"]
    assert evidence.verify(cast.a, evidence.chain_name(r))
    assert deadlines_for(r).get().status == DeadlineStatus.DONE


def test_contract_cannot_be_signed_before_the_opinion(cast, contract, advisor, reviewer):
    c = contract(village=cast.a1)
    with at(D(2025, 3, 3)), pytest.raises(ValidationError) as exc:
        services.sign_contract(c, actor=cast.a_operator, on=D(2025, 3, 3))
    assert "尚未取得合法性审查意见" in str(exc.value)
    with at(D(2025, 3, 3)):
        c = services.submit_contract(
            c, actor=cast.a_operator, on=D(2025, 3, 3), reviewer_kind="joint", reviewer=reviewer,
            advisor=advisor(),
        )  # fmt: skip
    assert c.review.kind == "village_contract" and c.status == ContractStatus.IN_REVIEW
    with at(D(2025, 3, 4)), pytest.raises(ValidationError):
        services.sign_contract(c, actor=cast.a_operator, on=D(2025, 3, 4))
    c.refresh_from_db()
    assert c.status == ContractStatus.IN_REVIEW and c.signed_on is None


def test_signed_after_the_opinion_and_not_before_its_date(cast, reviewed_contract):
    with at(D(2025, 3, 10)):
        with pytest.raises(ValidationError) as exc:
            services.sign_contract(reviewed_contract, actor=cast.a_operator, on=D(2025, 3, 6))
        assert "不能早于出具审查意见日期" in str(exc.value)
        c = services.sign_contract(reviewed_contract, actor=cast.a_operator, on=D(2025, 3, 10))
    assert c.status == ContractStatus.SIGNED and c.signed_on == D(2025, 3, 10)
    assert DomainEvent.objects.filter(kind="legal.contract_signed").exists()


def test_rejected_opinion_blocks_signing_until_resubmitted(cast, contract, advisor, reviewer):
    c = contract()
    a = advisor()
    with at(D(2025, 3, 3)):
        c = services.submit_contract(c, actor=cast.a_operator, on=D(2025, 3, 3),
                                     reviewer_kind="advisor", advisor=a)  # fmt: skip
        services.conclude_review(c.review, actor=cast.a_operator, outcome="rejected",
                                 opinion="违约条款违法。", advisor_opinion="不同意。",
                                 on=D(2025, 3, 3))  # fmt: skip
        c.refresh_from_db()
        with pytest.raises(ValidationError) as exc:
            services.sign_contract(c, actor=cast.a_operator, on=D(2025, 3, 3))
        assert "不予通过" in str(exc.value)
        c = services.submit_contract(c, actor=cast.a_operator, on=D(2025, 3, 3),
                                     reviewer_kind="advisor", advisor=a)  # fmt: skip
    assert c.review.number.endswith("第2号")


def test_other_township_cannot_act(cast, reviewed_contract):
    with at(D(2025, 3, 10)), pytest.raises(Http404):
        services.sign_contract(reviewed_contract, actor=cast.b_operator, on=D(2025, 3, 10))


def test_document_filing_deadline_opens_on_publication(cast, advisor, reviewer):
    doc = NormativeDocument.objects.create(township=cast.a, title="甲镇农村建房管理办法")
    with at(D(2025, 5, 6)):
        doc = services.submit_document(doc, actor=cast.a_operator, on=D(2025, 5, 6),
                                       reviewer_kind="joint", reviewer=reviewer, advisor=advisor())  # fmt: skip
        services.conclude_review(doc.review, actor=cast.a_operator, outcome="modified",
                                 opinion="删去第八条罚款规定。", advisor_opinion="同意修改后通过。",
                                 on=D(2025, 5, 6))  # fmt: skip
        doc.refresh_from_db()
        doc = services.issue_document(
            doc, actor=cast.a_operator, on=D(2025, 5, 6), doc_no="甲政〔2025〕3号"
        )
    assert doc.status == DocumentStatus.ISSUED and doc.filing_due_on == D(2025, 5, 21)
    with at(D(2025, 5, 30)):
        doc = services.file_document(
            doc, actor=cast.a_operator, on=D(2025, 5, 30), filed_with="测试县人民政府"
        )
    filing = [d for d in deadlines_for(doc) if d.rule_code == "legal.normative_filing"][0]
    assert filing.status == DeadlineStatus.DONE_LATE


def test_unreviewed_contract_is_recorded_with_its_reason(cast, contract):
    c = contract()
    with at(D(2025, 6, 1)):
        with pytest.raises(ValidationError):
            services.record_unreviewed_contract(
                c, actor=cast.a_operator, on=D(2025, 5, 1), reason=""
            )
        c = services.record_unreviewed_contract(
            c, actor=cast.a_operator, on=D(2025, 5, 1), reason="村委会自行签订，事后补录"
        )
    assert c.status == ContractStatus.SIGNED and c.review is None


def test_workflow_fields_cannot_be_edited_directly(cast, reviewed_contract):
    with pytest.raises(ValidationError) as exc:
        services.update_contract(
            reviewed_contract, {"status": "signed"}, actor=cast.a_operator, expected_version=None
        )
    assert "由办理流程记录" in str(exc.value)


def test_reconsideration_answer_deadline_is_on_my_deadlines_and_hearing_needs_a_delegate(cast):
    from fazhi.core.deadlines import my_deadlines
    from fazhi.legal import cases
    from fazhi.legal.models import Reconsideration

    with at(D(2025, 6, 9)):
        r = cases.create_reconsideration(
            Reconsideration, {"township": cast.a, "applicant": "某商户", "act": "责令改正",
                              "body": "测试县人民政府", "received_on": D(2025, 6, 9)},
            actor=cast.a_operator,
        )  # fmt: skip
        assert r.answer_due_on == D(2025, 6, 23)  # 10 working days (端午 5/31–6/2 already past)
        mine = list(my_deadlines(cast.a_operator))
        assert any(d.rule_code == "legal.reconsideration_answer" for d in mine)
        with pytest.raises(ValidationError) as exc:
            cases.update_reconsideration(r, {"hearing_on": D(2025, 6, 9)}, actor=cast.a_operator,
                                         expected_version=r.version)  # fmt: skip
        assert "委托参加人员和理由" in str(exc.value)
