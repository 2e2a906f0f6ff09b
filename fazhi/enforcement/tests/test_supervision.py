"""Enforcement supervision (《行政执法监督条例》): who may supervise, the 监督意见书 with its
numbered document and correction deadline (escalated by the sweep when overdue), the body's
report-back and the supervisor's confirmation, the risk queue computed from the records, the
metrics, and isolation of every new page."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document

from fazhi.core import deadlines, scope
from fazhi.core.models import Notification
from fazhi.core.testing import ReadOnlyResourceSuite, ResourceSuite, act, form_payload
from fazhi.enforcement import cases, documents, rules, supervision
from fazhi.enforcement.models import Certificate, SupervisionMatter, SupervisionOpinion
from fazhi.enforcement.tests.helpers import body_of
from fazhi.enforcement.tests.test_cases import file, investigate
from fazhi.indicators import registry
from fazhi.indicators.registry import Period

D = dt.date
NOW = dt.datetime(2025, 12, 30, 9, 0, tzinfo=dt.UTC)


def matter(cast, township=None, actor=None, **kw):
    township = township or cast.a
    return supervision.open_matter(
        township=township,
        kind=kw.pop("kind", "routine"),
        level="county",
        supervisor="测试县司法局",
        title=kw.pop("title", "执法案卷日常检查"),
        subject="body",
        body=body_of(township),
        started_on=kw.pop("started_on", D(2025, 10, 8)),
        actor=actor if actor is not None else cast.supervisor,
        **kw,
    )


ISSUED = D(2025, 10, 9)


def issue(cast, m, on=ISSUED):
    return supervision.issue_opinion(
        m,
        issued_on=on,
        problems="2件案件未按期公示",
        requirements="补充公示并建立公示台账",
        actor=cast.supervisor,
    )


# --- roles ------------------------------------------------------------------------------------
def test_who_may_supervise(cast):
    from fazhi.core.choices import Role
    from fazhi.core.models import Department, Membership

    assert scope.has_any(cast.supervisor, "add", SupervisionMatter)  # county 司法局
    assert scope.has_any(cast.a_officer, "add", SupervisionMatter)  # the township's 司法所
    assert set(scope.township_ids(cast.a_officer, "add", SupervisionMatter)) == {cast.a.pk}
    # neither the township's administrator nor another 站所's officer supervises enforcement
    market = Department.objects.create(township=cast.a, name="甲镇市场监管所", kind="market")
    clerk = type(cast.a_officer).objects.create_user("market_officer", password="x")
    Membership.objects.create(
        user=clerk, role=Role.DEPARTMENT_OFFICER, township=cast.a, department=market
    )
    for user in (cast.a_admin, cast.a_operator, clerk, cast.a_viewer):
        assert not scope.has_any(user, "add", SupervisionMatter), user
    # a 司法所 membership held as township administrator supervises too
    chief = type(cast.a_officer).objects.create_user("justice_chief", password="x")
    Membership.objects.create(
        user=chief, role=Role.TOWNSHIP_ADMIN, township=cast.a, department=cast.justice_a
    )
    assert scope.has_any(chief, "add", SupervisionMatter)
    with pytest.raises(PermissionDenied):
        matter(cast, actor=cast.a_admin)
    with pytest.raises(PermissionDenied):
        matter(cast, actor=cast.a_operator)
    # the county supervisor stays read-only on the enforcement records themselves
    assert not scope.has_any(cast.supervisor, "change", cases.EnforcementCase)
    # another county's township is out of reach
    with pytest.raises(PermissionDenied):
        matter(cast, township=cast.c)


# --- the 监督意见书 and its correction -----------------------------------------------------------
@time_machine.travel(NOW, tick=False)
def test_opinion_numbered_with_deadline_then_corrected_and_confirmed(cast):
    m = matter(cast)
    opinion = issue(cast, m)
    assert opinion.number == "〔2025〕甲镇执监字第1号"
    assert opinion.due_on == D(2025, 11, 10)  # 30日 end on Sat 8 Nov → next working day
    dl = deadlines.deadlines_for(opinion).get(rule_code=rules.CORRECTION.code)
    assert dl.due_date == opinion.due_on and dl.status == "open"
    # the body (an operator of the township) reports back
    with pytest.raises(PermissionDenied):  # the county reads but does not answer for the body
        supervision.report_correction(
            opinion,
            reported_on=D(2025, 11, 1),
            correction="已补充公示",
            actor=cast.supervisor,
        )
    opinion = supervision.report_correction(
        opinion,
        reported_on=D(2025, 11, 1),
        correction="已补充公示2件并建立台账",
        actor=cast.a_operator,
    )
    assert opinion.status == "reported"
    assert deadlines.deadlines_for(opinion).get().status == "done"
    with pytest.raises(PermissionDenied):  # the body cannot confirm its own correction
        supervision.review_correction(
            opinion,
            reviewed_on=D(2025, 11, 3),
            accepted=True,
            actor=cast.a_operator,
        )
    with pytest.raises(ValidationError) as err:
        supervision.review_correction(
            opinion,
            reviewed_on=D(2025, 11, 3),
            accepted=False,
            actor=cast.supervisor,
        )
    assert "理由" in str(err.value)
    opinion = supervision.review_correction(
        opinion,
        reviewed_on=D(2025, 11, 3),
        accepted=True,
        note="整改到位",
        actor=cast.supervisor,
    )
    assert opinion.status == "accepted" and opinion.accepted_on == D(2025, 11, 3)
    m.refresh_from_db()
    m = supervision.close_matter(m, closed_on=D(2025, 11, 4), actor=cast.supervisor)
    assert m.status == "closed"
    with pytest.raises(ValidationError):
        issue(cast, m)
    period = Period.year(2025)
    assert registry.compute("enforcement.supervision_opinions", cast.a, period).value == 1
    assert registry.compute("enforcement.correction_rate", cast.a, period).value == 100


@time_machine.travel(NOW, tick=False)
def test_returned_correction_reopens_the_deadline(cast):
    opinion = issue(cast, matter(cast))
    opinion = supervision.report_correction(
        opinion,
        reported_on=D(2025, 10, 20),
        correction="已整改",
        actor=cast.a_operator,
    )
    opinion = supervision.review_correction(
        opinion,
        reviewed_on=D(2025, 10, 22),
        accepted=False,
        note="台账未建立",
        actor=cast.supervisor,
    )
    assert opinion.status == "issued"
    assert opinion.due_on == D(2025, 11, 21)
    assert deadlines.deadlines_for(opinion).filter(status="open").get().due_date == opinion.due_on


def test_bad_input_is_refused_naming_the_field(cast):
    with time_machine.travel(NOW, tick=False):
        m = matter(cast)
        with pytest.raises(ValidationError) as err:
            supervision.issue_opinion(
                m, issued_on=D(2025, 10, 1), problems="", requirements="", actor=cast.supervisor
            )
    assert set(err.value.message_dict) == {"problems", "requirements", "issued_on"}
    assert SupervisionOpinion.objects.count() == 0
    with pytest.raises(ValidationError) as err:
        matter(cast, kind="single_case")
    assert "个案监督" in str(err.value)


def test_overdue_correction_escalates_through_the_sweep(cast):
    with time_machine.travel(NOW, tick=False):
        opinion = issue(cast, matter(cast))
    counts = deadlines.sweep(D(2025, 11, 11))
    assert counts["overdue"] >= 1
    note = Notification.objects.get(user=cast.supervisor, kind="overdue")
    assert "按监督意见书整改并报告" in note.text
    # overdue and not corrected: in the 整改完成率 denominator only
    figure = registry.compute("enforcement.correction_rate", cast.a, Period.year(2025))
    assert figure.value == 0
    assert list(
        registry.metric("enforcement.correction_rate").drilldown(cast.a, Period.year(2025))
    ) == [opinion]


@time_machine.travel(NOW, tick=False)
def test_docx_names_what_to_correct_and_by_when(cast):
    opinion = issue(cast, matter(cast))
    content, name = documents.render_opinion(opinion)
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert name == "监督意见书〔2025〕甲镇执监字第1号.docx"
    for part in (
        "行政执法监督意见书",
        "2件案件未按期公示",
        "补充公示并建立公示台账",
        "2025年11月10日前完成整改",
        "测试县司法局",
        body_of(cast.a).name,
    ):
        assert part in text


# --- risk signals -------------------------------------------------------------------------------
@time_machine.travel(NOW, tick=False)
def test_signals_come_from_the_records(cast):
    overdue = file(cast, filed_on=D(2025, 9, 1))  # 90日 ran out on 1 Dec
    fresh = file(cast, filed_on=D(2025, 12, 20))
    found = {(s.code, s.case_id) for s in supervision.signals_for(cast.supervisor)}
    assert ("case_overdue", overdue.pk) in found
    assert ("case_overdue", fresh.pk) not in found
    # an officer's certificate is revoked: every open case they handle is flagged
    Certificate.objects.filter(officer__name="承办甲").update(status="revoked")
    codes = {(s.code, s.case_id) for s in supervision.signals_for(cast.a_officer)}
    assert ("uncertified_officer", fresh.pk) in codes
    # another township's supervisor (the same county's other township's staff) sees none
    assert supervision.signals_for(cast.b_operator) == []


@time_machine.travel(NOW, tick=False)
def test_missing_review_and_late_disclosure_signals(cast):
    from decimal import Decimal

    case = file(cast, review=True)
    investigate(cast, case)
    case = cases.notify(
        case,
        notified_on=D(2025, 9, 3),
        proposed_penalty="罚款",
        fine_amount=Decimal(100),
        actor=cast.a_operator,
    )
    # the gate refuses a decision without review; an imported/legacy record can still lack it
    cases.EnforcementCase.objects.filter(pk=case.pk).update(
        decided_on=D(2025, 9, 15), status="decided"
    )
    cases.Disclosure.objects.create(
        township=cast.a, case=case, due_on=D(2025, 9, 24), title="公示", content="…"
    )
    codes = {s.code for s in supervision.signals_for(cast.supervisor) if s.case_id == case.pk}
    assert {"review_missing", "disclosure_late"} <= codes


# --- pages --------------------------------------------------------------------------------------
@time_machine.travel(NOW, tick=False)
def test_supervisor_issues_from_a_signal_and_sees_the_correction_come_back(cast, login):
    case = file(cast, filed_on=D(2025, 9, 1))
    sup = login(cast.supervisor)
    page = sup.get("/enforcement/supervisions/signals/")
    assert page.status_code == 200 and case.number in page.content.decode()
    r = sup.post("/enforcement/supervisions/start/", {"signal": "case_overdue", "case": case.pk})
    m = SupervisionMatter.objects.get()
    assert r.url == f"/enforcement/supervisions/{m.pk}/"
    assert m.kind == "single_case" and m.level == "county" and m.supervisor == "测试县司法局"
    r = act(
        sup,
        f"/enforcement/supervisions/{m.pk}/step/opinion/",
        m,
        {"issued_on": "2025-12-30", "problems": "超期未决", "requirements": "尽快作出决定"},
    )
    assert r.status_code == 302
    opinion = SupervisionOpinion.objects.get()
    assert sup.get(f"/enforcement/supervision-opinions/{opinion.pk}/docx/").status_code == 200
    body = login(cast.a_operator)
    assert "报告整改情况" in body.get(f"/enforcement/supervisions/{m.pk}/").content.decode()
    r = act(
        body,
        f"/enforcement/supervisions/{m.pk}/step/report/",
        opinion,
        {"opinion": opinion.pk, "reported_on": "2025-12-30", "correction": "已作出处罚决定"},
    )
    assert r.status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == "reported"
    sup = login(cast.supervisor)  # the fixture's client is shared: log the supervisor back in
    page = sup.get(f"/enforcement/supervisions/{m.pk}/").content.decode()
    assert "已作出处罚决定" in page
    assert "审查整改情况" in page
    r = act(
        sup,
        f"/enforcement/supervisions/{m.pk}/step/review/",
        opinion,
        {"opinion": opinion.pk, "reviewed_on": "2025-12-30", "accepted": "1", "note": ""},
    )
    assert r.status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == "accepted"


@time_machine.travel(NOW, tick=False)
def test_other_township_gets_404_on_every_new_page(cast, login):
    case = file(cast, filed_on=D(2025, 9, 1))
    m = matter(cast)
    opinion = issue(cast, m)
    other = login(cast.b_operator)
    before = (SupervisionMatter.objects.get().version, SupervisionOpinion.objects.get().version)
    assert other.get(f"/enforcement/supervisions/{m.pk}/").status_code == 404
    assert other.get(f"/enforcement/supervision-opinions/{opinion.pk}/").status_code == 404
    assert other.get(f"/enforcement/supervision-opinions/{opinion.pk}/docx/").status_code == 404
    for step in supervision_steps():
        r = other.post(
            f"/enforcement/supervisions/{m.pk}/step/{step}/",
            {
                "opinion": opinion.pk,
                "version": 1,
                "reported_on": "2025-12-30",
                "correction": "x",
                "issued_on": "2025-12-30",
                "problems": "x",
                "requirements": "x",
                "findings": "x",
                "closed_on": "2025-12-30",
                "reviewed_on": "2025-12-30",
                "accepted": "1",
            },
        )
        assert r.status_code == 404, step
    r = other.post("/enforcement/supervisions/start/", {"signal": "case_overdue", "case": case.pk})
    assert r.status_code == 404  # another township's case does not exist for them
    # a same-township user who supervises nowhere is refused (403) and nothing is written
    r = login(cast.a_operator).post(
        "/enforcement/supervisions/start/", {"signal": "case_overdue", "case": case.pk}
    )
    assert r.status_code == 403
    other = login(cast.b_operator)
    # the queue is for supervisors only
    assert other.get("/enforcement/supervisions/signals/").status_code == 403
    assert before == (
        SupervisionMatter.objects.get().version,
        SupervisionOpinion.objects.get().version,
    )
    assert SupervisionOpinion.objects.count() == 1


def supervision_steps():
    from fazhi.enforcement.supervision_views import STEPS

    return list(STEPS)


# --- the resource suites ------------------------------------------------------------------------
class TestSupervisionMatters(ResourceSuite):
    resource_key = "enforcement:supervisions"
    writer = "a_officer"  # the township's 司法所
    label_field = "title"
    changes = {"findings": "案卷装订不规范"}

    def make(self, cast, township):
        return SupervisionMatter.objects.create(
            township=township,
            kind="routine",
            level="township",
            supervisor=f"{township.name}司法所",
            title=f"日常监督{SupervisionMatter.objects.count()}",
            subject="body",
            body=body_of(township),
            started_on=D(2025, 10, 8),
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "kind": "thematic",
            "level": "township",
            "supervisor": "甲镇司法所",
            "title": "涉企检查专项监督",
            "subject": "body",
            "body": body_of(cast.a),
            "case": "",
            "inspection": "",
            "started_on": D(2025, 10, 8),
            "findings": "",
        }

    def test_county_supervisor_reads_all_townships_but_cannot_write(self, cast, login):
        # replaced: supervising is the county 司法局's write; it may edit a matter of its
        # townships, but never one of another county
        a_row = self.make(cast, cast.a)
        client = login(cast.supervisor)
        r = client.post(
            self.url("edit", a_row),
            form_payload({**self.new_data(cast), **self.changes}, a_row.version),
        )
        assert r.status_code == 302
        c_row = self.make(cast, cast.c)
        assert client.get(self.url("detail", c_row)).status_code == 404

    def test_the_body_cannot_write_supervision(self, cast, login):
        row = self.make(cast, cast.a)
        client = login(cast.a_operator)
        assert client.get(self.url("detail", row)).status_code == 200
        r = client.post(self.url("edit", row), form_payload(self.changes, row.version))
        assert r.status_code == 403


class TestSupervisionOpinions(ReadOnlyResourceSuite):
    resource_key = "enforcement:supervision-opinions"
    label_field = "number"

    def make(self, cast, township):
        m = TestSupervisionMatters().make(cast, township)
        return SupervisionOpinion.objects.create(
            township=township,
            matter=m,
            number=f"监{SupervisionOpinion.objects.count()}",
            body=m.body,
            issued_on=D(2025, 10, 9),
            problems="问题",
            requirements="要求",
            due_on=D(2025, 11, 10),
        )

    def new_data(self, cast):
        m = TestSupervisionMatters().make(cast, cast.a)
        return {
            "township": cast.a,
            "matter": m,
            "body": m.body,
            "issued_on": D(2025, 10, 9),
            "problems": "问题",
            "requirements": "要求",
        }

    def made_by_workflow(self, cast):
        with time_machine.travel(NOW, tick=False):
            return issue(cast, matter(cast))


@time_machine.travel(NOW, tick=False)
def test_a_supervision_step_without_the_version_it_read_or_with_an_older_one_writes_nothing(
    cast, login
):
    """The matter's steps carry the matter's version, 整改反馈 the 监督意见书's (the record it
    changes): without it 400, with an older one 409, and nothing is written either way."""
    from fazhi.core.models import ChangeRecord

    m = matter(cast)
    opinion = issue(cast, m)
    m.refresh_from_db()
    SupervisionOpinion.objects.filter(pk=opinion.pk).update(version=m.version + 5)
    opinion.refresh_from_db()
    sup = login(cast.supervisor)
    findings = f"/enforcement/supervisions/{m.pk}/step/findings/"
    written = ChangeRecord.objects.count()
    missing = sup.post(findings, {"findings": "抽查发现问题"})
    assert missing.status_code == 400 and "缺少版本号" in missing.content.decode()
    assert act(sup, findings, m, {"findings": "抽查发现问题"}).status_code == 302
    stale = sup.post(findings, {"findings": "另一人的记录", "version": m.version})
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    m.refresh_from_db()
    assert m.findings == "抽查发现问题" and ChangeRecord.objects.count() == written + 1
    body = login(cast.a_operator)
    page = body.get(f"/enforcement/supervisions/{m.pk}/").content.decode()
    assert f'name="version" value="{opinion.version}"' in page  # the opinion's, not the matter's
    report = f"/enforcement/supervisions/{m.pk}/step/report/"
    data = {"opinion": opinion.pk, "reported_on": "2025-12-30", "correction": "已整改"}
    assert body.post(report, {**data, "version": m.version}).status_code == 409
    assert body.post(report, data).status_code == 400
    opinion.refresh_from_db()
    assert opinion.status == "issued" and ChangeRecord.objects.count() == written + 1
    assert act(body, report, opinion, data).status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == "reported"
