"""The case and its workflow-written records under the reusable suites, and the case page's
steps: other township 404 on every step and the document; viewer 403."""

import datetime as dt
from decimal import Decimal

import time_machine

from fazhi.core.testing import ReadOnlyResourceSuite, ResourceSuite, act
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
def test_a_step_without_the_version_it_read_or_with_an_older_one_writes_nothing(cast, login):
    """Two officers with the same case open: the second 延长办案期限 is refused (409), not applied
    twice; a post without the version is refused (400); nothing is written either way."""
    from fazhi.core.models import ChangeRecord

    case = file(cast)
    client = login(cast.a_operator)
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert f'name="version" value="{case.version}"' in page
    url = f"/enforcement/cases/{case.pk}/step/extend/"
    data = {"days": 30, "approver": "王局长", "reason": "案情复杂"}
    written = ChangeRecord.objects.count()
    missing = client.post(url, data)
    assert missing.status_code == 400 and "缺少版本号" in missing.content.decode()
    case.refresh_from_db()
    assert case.extension_days == 0 and ChangeRecord.objects.count() == written
    read = case.version
    assert client.post(url, {**data, "version": read}).status_code == 302
    again = client.post(url, {**data, "version": read})
    assert again.status_code == 409 and "已被他人修改" in again.content.decode()
    case.refresh_from_db()
    assert case.extension_days == 30 and case.version == read + 1


@time_machine.travel(NOW, tick=False)
def test_publishing_carries_the_version_of_the_disclosure_it_changes(cast, login):
    case = decided(cast)
    disclosure = Disclosure.objects.get(case=case)
    Disclosure.objects.filter(pk=disclosure.pk).update(version=case.version + 5)
    disclosure.refresh_from_db()
    client = login(cast.a_operator)
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert f'name="version" value="{disclosure.version}"' in page
    url = f"/enforcement/cases/{case.pk}/step/publish/"
    r = client.post(url, {"published_on": "2025-09-18", "version": case.version})
    assert r.status_code == 409
    disclosure.refresh_from_db()
    assert disclosure.published_on is None
    assert act(client, url, disclosure, {"published_on": "2025-09-18"}).status_code == 302
    disclosure.refresh_from_db()
    assert disclosure.published_on == dt.date(2025, 9, 18)


@time_machine.travel(NOW, tick=False)
def test_decision_document_and_portal_disclosure(cast, login, client):
    from io import BytesIO

    from docx import Document

    case = decided(cast)
    response = login(cast.a_operator).get(f"/enforcement/cases/{case.pk}/docx/")
    doc = Document(BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert case.decision_number in text and "六十日内" in text and "罚款一百元" in text
    assert "四、救济途径和期限" in text and "{{" not in text
    _gbt9704(doc)
    portal = f"/gk/enforcement/{cast.a.pk}/disclosures/"
    assert case.decision_number not in client.get(portal).content.decode()
    disclosure = Disclosure.objects.get(case=case)  # the step changes the 公示 beside the case
    r = act(
        login(cast.a_operator),
        f"/enforcement/cases/{case.pk}/step/publish/",
        disclosure,
        {"published_on": "2025-09-18"},
    )
    assert r.status_code == 302
    page = client.get(portal).content.decode()
    assert case.decision_number in page and "张某" in page and "张三丰" not in page
    r = act(
        login(cast.a_operator),
        f"/enforcement/cases/{case.pk}/step/withdraw/",
        disclosure,
        {"changed_on": "2025-10-09", "withdrawn_on": "2025-10-10", "reason": "复议撤销"},
    )
    assert r.status_code == 302
    assert case.decision_number not in client.get(portal).content.decode()


def _docx(content: bytes):
    from io import BytesIO

    from docx import Document

    doc = Document(BytesIO(content))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return doc, "\n".join([p.text for p in doc.paragraphs] + cells)


def _gbt9704(doc) -> None:
    """A4, margins 37/35/28/26 mm, 仿宋 body and the page number field (REGULATIONS.md §14)."""
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    assert doc.styles["Normal"].font.name == "仿宋_GB2312"
    assert "PAGE" in section.footer.paragraphs[0]._element.xml


@time_machine.travel(NOW, tick=False)
def test_notice_and_service_receipt_documents(cast, login):
    client = login(cast.a_operator)
    filed = file(cast)
    assert client.get(f"/enforcement/cases/{filed.pk}/docx/notice/").status_code == 404
    case = decided(cast)
    base = f"/enforcement/cases/{case.pk}/docx/"
    response = client.get(base + "notice/")
    assert response.status_code == 200
    doc, text = _docx(response.content)
    _gbt9704(doc)
    assert "行政处罚事先告知书" in text and case.number in text and "张三丰：" in text
    assert "现场勘验并制作笔录" in text  # the investigation record is listed as evidence
    assert "罚款人民币100.00元" in text and "《城乡规划法》第六十五条" in text
    # 5 working days from Wednesday 3 Sep 2025 end on Wednesday 10 Sep
    assert "5工作日内（2025年9月10日前）" in text and "陈述、申辩" in text
    assert "{{" not in text and "{%" not in text
    response = client.get(base + "receipt/")
    doc, text = _docx(response.content)
    _gbt9704(doc)
    assert "送达回证" in text and f"行政处罚决定书（{case.decision_number}）" in text
    assert "承办甲、承办乙" in text and "    年  月  日" in text  # not yet served
    assert "7工作日内（2025年9月24日前）" in text
    cases.serve(case, served_on=dt.date(2025, 9, 16), actor=cast.a_operator)
    assert "2025年9月16日" in _docx(client.get(base + "receipt/").content)[1]
    assert client.get(base + "nothing/").status_code == 404
    page = client.get(f"/enforcement/cases/{case.pk}/")
    assert page.status_code == 200, page.status_code
    page = page.content.decode()
    assert "行政处罚事先告知书（.docx）" in page and "送达回证（.docx）" in page
    assert login(cast.b_operator).get(base + "receipt/").status_code == 404
