"""The case and its workflow-written records under the reusable suites, and the case page's
steps: other township 404 on every step and the document; viewer 403."""

import datetime as dt
from decimal import Decimal

import time_machine

from fazhi.core.testing import ReadOnlyResourceSuite, ResourceSuite
from fazhi.enforcement import cases
from fazhi.enforcement.models import (
    CaseFileReview,
    CaseRecord,
    Disclosure,
    EnforcementCase,
    LegalReview,
)
from fazhi.enforcement.tests.helpers import body_of, officer
from fazhi.enforcement.tests.test_cases import ALL_POINTS, file, investigate, power, reviewer

D = dt.date(2025, 6, 16)
NOW = dt.datetime(2025, 12, 30, 9, 0, tzinfo=dt.UTC)


def raw_case(cast, township):
    case = EnforcementCase.objects.create(
        township=township,
        number=f"执{EnforcementCase.objects.count()}",
        power=power(township),
        body=body_of(township),
        party_kind="person",
        party_name="王五",
        cause=f"占道经营{EnforcementCase.objects.count()}",
        filed_on=D,
    )
    return case


def decided(cast):
    case = file(cast)
    investigate(cast, case)
    case = cases.notify(
        case,
        notified_on=dt.date(2025, 9, 3),
        proposed_penalty="罚款",
        fine_amount=Decimal(100),
        actor=cast.a_operator,
    )
    return cases.decide(
        case,
        decided_on=dt.date(2025, 9, 15),
        outcome="penalty",
        decision="罚款一百元",
        fine_amount=Decimal(100),
        actor=cast.a_operator,
    )


class TestCases(ResourceSuite):
    resource_key = "enforcement:cases"
    label_field = "number"
    changes = {"facts": "补充查明的事实"}

    def make(self, cast, township):
        return raw_case(cast, township)

    def new_data(self, cast):
        return {
            "township": cast.a,
            "power": power(cast.a),
            "body": body_of(cast.a),
            "handlers": [officer(cast.a, "立案甲").pk, officer(cast.a, "立案乙").pk],
            "party_kind": "organisation",
            "party_name": "某建材公司",
            "party_id_number": "",
            "party_address": "",
            "cause": "未经批准擅自建设",
            "facts": "",
            "filed_on": D,
            "public_interest": False,
            "complex_case": False,
        }


class TestCaseRecords(ReadOnlyResourceSuite):
    resource_key = "enforcement:case-records"
    label_field = "summary"
    changes = {"summary": "改写"}

    def make(self, cast, township):
        return CaseRecord.objects.create(
            township=township,
            case=raw_case(cast, township),
            step="investigation",
            form="text",
            occurred_at=NOW,
            place="现场",
            officers="甲、乙",
            summary="笔录",
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "case": raw_case(cast, cast.a),
            "step": "investigation",
            "form": "text",
            "occurred_at": "2025-06-16T10:00",
            "place": "现场",
            "officers": "甲",
            "summary": "笔录",
        }

    def made_by_workflow(self, cast):
        return investigate(cast, file(cast))


class TestLegalReviews(ReadOnlyResourceSuite):
    resource_key = "enforcement:legal-reviews"
    label_field = "opinion"
    changes = {"opinion": "改写"}

    def make(self, cast, township):
        return LegalReview.objects.create(
            township=township,
            case=raw_case(cast, township),
            reviewer=officer(township, f"审核{LegalReview.objects.count()}"),
            submitted_on=D,
            opinion="同意",
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "case": raw_case(cast, cast.a),
            "reviewer": officer(cast.a, "审"),
            "submitted_on": D,
            "reviewed_on": None,
            "opinion": "同意",
            "passed": True,
        }

    def made_by_workflow(self, cast):
        case = file(cast, review=True)
        investigate(cast, case)
        case = cases.notify(
            case, notified_on=dt.date(2025, 9, 3), proposed_penalty="罚款", actor=cast.a_operator
        )
        review = cases.submit_review(
            case, reviewer=reviewer(cast), submitted_on=dt.date(2025, 9, 4), actor=cast.a_operator
        )
        return cases.complete_review(
            review,
            reviewed_on=dt.date(2025, 9, 5),
            points=ALL_POINTS,
            opinion="同意",
            passed=True,
            actor=cast.a_operator,
        )


class TestDisclosures(ReadOnlyResourceSuite):
    resource_key = "enforcement:disclosures"
    label_field = "title"
    changes = {"title": "改写"}

    def make(self, cast, township):
        return Disclosure.objects.create(
            township=township,
            case=raw_case(cast, township),
            due_on=D,
            title=f"公示{Disclosure.objects.count()}",
            content="内容",
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "case": raw_case(cast, cast.a),
            "title": "x",
            "content": "y",
            "due_on": D,
            "published_on": None,
            "withdrawn_on": None,
            "withdrawal_reason": "",
        }

    def made_by_workflow(self, cast):
        return decided(cast).disclosure


class TestFileReviews(ReadOnlyResourceSuite):
    resource_key = "enforcement:file-reviews"
    label_field = "reviewer"
    changes = {"reviewer": "改写"}

    def make(self, cast, township):
        return CaseFileReview.objects.create(
            township=township,
            case=raw_case(cast, township),
            reviewed_on=D,
            reviewer=f"评查{CaseFileReview.objects.count()}",
            scores={},
            total=90,
            passed=True,
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "case": raw_case(cast, cast.a),
            "reviewed_on": D,
            "reviewer": "x",
            "total": 90,
            "passed": True,
            "note": "",
        }

    def made_by_workflow(self, cast):
        return cases.review_file(
            decided(cast),
            reviewed_on=dt.date(2025, 10, 1),
            reviewer="司法所",
            scores={"body": 15, "facts": 20, "law": 18, "procedure": 20, "documents": 10},
            actor=cast.a_operator,
        )


@time_machine.travel(NOW, tick=False)
def test_case_page_steps_are_scoped(cast, login):
    case = file(cast)
    base = f"/enforcement/cases/{case.pk}/"
    page = login(cast.a_operator).get(base)
    assert page.status_code == 200
    text = page.content.decode()
    assert "调查取证" in text and "告知拟处罚" in text and "全过程记录" in text
    assert login(cast.a_operator).get(base + "docx/").status_code == 200
    other = login(cast.b_operator)
    assert other.get(base).status_code == 404
    assert other.get(base + "docx/").status_code == 404
    for step in ("notify", "record", "decide", "terminate", "publish"):
        assert other.post(base + f"step/{step}/", {"on": "2025-09-01"}).status_code == 404, step
    viewer = login(cast.a_viewer)
    assert (
        viewer.post(base + "step/terminate/", {"on": "2025-09-01", "reason": "x"}).status_code
        == 403
    )
    assert "告知拟处罚" not in viewer.get(base).content.decode()
    case.refresh_from_db()
    assert case.status == "filed" and case.version == 1


@time_machine.travel(NOW, tick=False)
def test_decision_document_and_portal_disclosure(cast, login, client):
    from io import BytesIO

    from docx import Document

    case = decided(cast)
    response = login(cast.a_operator).get(f"/enforcement/cases/{case.pk}/docx/")
    text = "\n".join(p.text for p in Document(BytesIO(response.content)).paragraphs)
    assert case.decision_number in text and "六十日内" in text and "罚款一百元" in text
    portal = f"/gk/enforcement/{cast.a.pk}/disclosures/"
    assert case.decision_number not in client.get(portal).content.decode()
    login(cast.a_operator).post(
        f"/enforcement/cases/{case.pk}/step/publish/", {"published_on": "2025-09-18"}
    )
    page = client.get(portal).content.decode()
    assert case.decision_number in page and "张某" in page and "张三丰" not in page
    login(cast.a_operator).post(
        f"/enforcement/cases/{case.pk}/step/withdraw/",
        {"changed_on": "2025-10-09", "withdrawn_on": "2025-10-10", "reason": "复议撤销"},
    )
    assert case.decision_number not in client.get(portal).content.decode()
