"""The ordinary procedure end to end, with the clock controlled: every gate refuses in Chinese,
deadlines are counted in the right units, the full-process record and the review are on the
case's evidence chain, and the decision is disclosed redacted."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.core import attachments, evidence
from fazhi.core.deadlines import deadlines_for
from fazhi.enforcement import cases, rules
from fazhi.enforcement.models import Officer, Power
from fazhi.enforcement.tests.helpers import body_of, officer
from fazhi.indicators import registry
from fazhi.indicators.registry import Period

D = dt.date
ALL_POINTS = {key: True for key, _ in rules.REVIEW_POINTS}


def power(township, *, review=False, category="penalty"):
    return Power.objects.create(
        township=township,
        code=f"CF-{Power.objects.count()}",
        name="对违法建设的处罚",
        category=category,
        body=body_of(township),
        source="statutory",
        legal_basis="《城乡规划法》第六十五条",
        legal_review_required=review,
        published_on=D(2025, 1, 1),
    )


def file(cast, *, review=False, **kw):
    handlers = [officer(cast.a, "承办甲"), officer(cast.a, "承办乙")]
    return cases.file_case(
        township=cast.a,
        power=power(cast.a, review=review),
        body=body_of(cast.a),
        handlers=handlers,
        party_kind="person",
        party_name="张三丰",
        party_id_number="410101199001011234",
        cause="未经批准建设临时建筑",
        filed_on=kw.pop("filed_on", D(2025, 9, 1)),
        actor=cast.a_operator,
        **kw,
    )


def investigate(cast, case, step="investigation", files=()):
    return cases.record_step(
        case,
        step=step,
        form="text",
        occurred_at=dt.datetime(2025, 9, 2, 10, 0, tzinfo=dt.UTC),
        place="某村",
        summary="现场勘验并制作笔录。",
        attachments=files,
        actor=cast.a_operator,
    )


def reviewer(cast):
    person = officer(cast.a, "审核员")
    Officer.objects.filter(pk=person.pk).update(legal_qualification=True, is_legal_reviewer=True)
    person.refresh_from_db()
    return person


@time_machine.travel(dt.datetime(2025, 12, 30, 9, 0, tzinfo=dt.UTC), tick=False)
def test_ordinary_procedure_with_review_hearing_and_disclosure(cast):
    case = file(cast, review=True)
    # 90 days end on Sunday 30 Nov: the period ends on the next working day (民诉法 Art. 85)
    assert deadlines_for(case).get(rule_code="enforcement.decision").due_date == D(2025, 12, 1)
    with pytest.raises(ValidationError, match="尚无调查取证记录"):
        cases.notify(
            case, notified_on=D(2025, 9, 5), proposed_penalty="罚款", actor=cast.a_operator
        )
    investigate(cast, case)
    case = cases.notify(
        case,
        notified_on=D(2025, 9, 26),
        proposed_penalty="罚款五千元",
        fine_amount=Decimal(5000),
        actor=cast.a_operator,
    )
    # 5 working days from Friday 26 Sep skip the National Day holiday (1–8 Oct 2025)
    hearing_due = deadlines_for(case).get(rule_code="enforcement.hearing_request").due_date
    assert hearing_due == D(2025, 10, 10)
    with pytest.raises(ValidationError, match="七个工作日前通知"):
        cases.request_hearing(
            case,
            requested_on=D(2025, 10, 9),
            notice_on=D(2025, 10, 10),
            hearing_on=D(2025, 10, 15),
            actor=cast.a_operator,
        )
    case = cases.request_hearing(
        case,
        requested_on=D(2025, 10, 9),
        notice_on=D(2025, 10, 10),
        hearing_on=D(2025, 10, 21),
        actor=cast.a_operator,
    )
    # no decision without the required legal review
    with pytest.raises(ValidationError, match="须经法制审核"):
        cases.decide(
            case,
            decided_on=D(2025, 10, 22),
            outcome="penalty",
            decision="罚款五千元",
            actor=cast.a_operator,
        )
    handler = case.handlers.first()
    Officer.objects.filter(pk=handler.pk).update(legal_qualification=True, is_legal_reviewer=True)
    handler.refresh_from_db()
    with pytest.raises(ValidationError, match="不能是本案承办人员"):
        cases.submit_review(
            case, reviewer=handler, submitted_on=D(2025, 10, 22), actor=cast.a_operator
        )
    review = cases.submit_review(
        case, reviewer=reviewer(cast), submitted_on=D(2025, 10, 22), actor=cast.a_operator
    )
    with pytest.raises(ValidationError, match="有审核要点未通过"):
        cases.complete_review(
            review,
            reviewed_on=D(2025, 10, 24),
            points={**ALL_POINTS, "law": False},
            opinion="裁量过重",
            passed=True,
            actor=cast.a_operator,
        )
    cases.complete_review(
        review,
        reviewed_on=D(2025, 10, 24),
        points=ALL_POINTS,
        opinion="主体合法，程序正当，事实清楚，适用法律正确。",
        passed=True,
        actor=cast.a_operator,
    )
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="不得高于告知的拟罚款"):
        cases.decide(
            case,
            decided_on=D(2025, 10, 27),
            outcome="penalty",
            decision="罚款六千元",
            fine_amount=Decimal(6000),
            actor=cast.a_operator,
        )
    case = cases.decide(
        case,
        decided_on=D(2025, 10, 27),
        outcome="penalty",
        decision="对张三丰罚款五千元，限十五日内缴纳。",
        fine_amount=Decimal(5000),
        actor=cast.a_operator,
    )
    assert case.decision_number == "〔2025〕甲镇执罚决字第1号"
    assert deadlines_for(case).get(rule_code="enforcement.decision").status == "done"
    disclosure = case.disclosure
    assert disclosure.due_on == D(2025, 11, 5)  # 7 working days
    assert "张三丰" not in disclosure.content and "张某" in disclosure.content
    assert "410101199001011234" not in disclosure.content
    cases.publish(disclosure, published_on=D(2025, 11, 3), actor=cast.a_operator)
    case = cases.serve(case, served_on=D(2025, 10, 28), actor=cast.a_operator)
    assert deadlines_for(case).get(rule_code="enforcement.payment").due_date == D(2025, 11, 12)
    with pytest.raises(ValidationError, match="实缴不足"):
        cases.record_payment(
            case, paid_on=D(2025, 11, 14), amount=Decimal(5000), actor=cast.a_operator
        )
    case = cases.record_payment(
        case, paid_on=D(2025, 11, 14), amount=Decimal(5300), actor=cast.a_operator
    )
    case = cases.close(case, closed_on=D(2025, 11, 15), actor=cast.a_operator)
    kinds = [e.kind for e in evidence.entries(cast.a, cases.chain_of(case))]
    assert kinds == [
        "立案",
        "调查取证",
        "告知",
        "听证申请及通知",
        "法制审核意见",
        "决定",
        "送达",
        "执行",
        "结案",
    ]
    assert evidence.verify(cast.a, cases.chain_of(case))
    period = Period.year(2025)
    assert registry.compute("enforcement.review_rate", cast.a, period).display == "1/1 = 100.0%"
    assert registry.compute("enforcement.disclosure_timely_rate", cast.a, period).value == 100
    assert registry.compute("enforcement.on_time_rate", cast.a, period).value == 100


def test_late_charge_is_three_percent_a_day_capped_at_the_fine():
    assert cases.late_charge(Decimal(1000), D(2025, 1, 15), D(2025, 1, 15)) == 0
    assert cases.late_charge(Decimal(1000), D(2025, 1, 15), D(2025, 1, 17)) == Decimal("60.00")
    assert cases.late_charge(Decimal(1000), D(2025, 1, 15), D(2025, 6, 1)) == Decimal(1000)


@time_machine.travel(dt.datetime(2025, 12, 30, 9, 0, tzinfo=dt.UTC), tick=False)
def test_seizure_cannot_be_recorded_without_audio_or_video(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = file(cast)
    with pytest.raises(ValidationError, match="须全程音像记录"):
        investigate(cast, case, step="seizure")
    photo = attachments.store(
        SimpleUploadedFile("现场.jpg", b"jpg"), township=cast.a, obj=case, actor=cast.a_operator
    )
    with pytest.raises(ValidationError, match="须全程音像记录"):
        investigate(cast, case, step="seizure", files=[photo])
    video = attachments.store(
        SimpleUploadedFile("扣押.mp4", b"mp4data"), township=cast.a, obj=case, actor=cast.a_operator
    )
    record = investigate(cast, case, step="seizure", files=[photo, video])
    entry = evidence.entries(cast.a, cases.chain_of(case)).get(seq=record.evidence_seq)
    assert video.sha256 in entry.attachment_hashes


@time_machine.travel(dt.datetime(2025, 12, 30, 9, 0, tzinfo=dt.UTC), tick=False)
def test_complex_cases_need_collective_discussion_and_a_failed_review_returns(cast):
    case = file(cast, complex_case=True)
    investigate(cast, case)
    case = cases.notify(
        case, notified_on=D(2025, 9, 5), proposed_penalty="罚款", actor=cast.a_operator
    )
    review = cases.submit_review(
        case, reviewer=reviewer(cast), submitted_on=D(2025, 9, 15), actor=cast.a_operator
    )
    cases.complete_review(
        review,
        reviewed_on=D(2025, 9, 16),
        points={**ALL_POINTS, "facts": False},
        opinion="证据不足，退回补充调查。",
        passed=False,
        actor=cast.a_operator,
    )
    case.refresh_from_db()
    assert case.status == "filed"
    case = cases.notify(
        case, notified_on=D(2025, 9, 22), proposed_penalty="罚款", actor=cast.a_operator
    )
    review = cases.submit_review(
        case, reviewer=reviewer(cast), submitted_on=D(2025, 9, 23), actor=cast.a_operator
    )
    cases.complete_review(
        review,
        reviewed_on=D(2025, 9, 24),
        points=ALL_POINTS,
        opinion="同意。",
        passed=True,
        actor=cast.a_operator,
    )
    case.refresh_from_db()
    # notified Monday 22 Sep: 5 working days end Sunday 28 Sep, a make-up working day (调休)
    with pytest.raises(ValidationError, match="届满前不能作出决定"):
        cases.decide(
            case,
            decided_on=D(2025, 9, 25),
            outcome="penalty",
            decision="罚款",
            discussed_on=D(2025, 9, 25),
            actor=cast.a_operator,
        )
    with pytest.raises(ValidationError, match="集体讨论"):
        cases.decide(
            case,
            decided_on=D(2025, 9, 30),
            outcome="penalty",
            decision="罚款",
            actor=cast.a_operator,
        )
    case = cases.decide(
        case,
        decided_on=D(2025, 9, 30),
        outcome="penalty",
        decision="罚款",
        discussed_on=D(2025, 9, 30),
        actor=cast.a_operator,
    )
    with pytest.raises(ValidationError, match="不能转为"):
        cases.close(case, closed_on=D(2025, 10, 9), actor=cast.a_operator)


@time_machine.travel(dt.datetime(2025, 12, 30, 9, 0, tzinfo=dt.UTC), tick=False)
def test_extension_and_the_on_time_rate(cast):
    late = file(cast, filed_on=D(2025, 6, 2))
    cases.extend(late, days=30, approver="镇长", reason="案情复杂需鉴定", actor=cast.a_operator)
    # 90日 end Sunday 31 Aug → 1 Sep; +30日 is 1 Oct, a holiday → 9 Oct
    assert deadlines_for(late).get(rule_code="enforcement.decision").due_date == D(2025, 10, 9)
    with pytest.raises(ValidationError, match="负责人批准"):
        cases.extend(late, days=10, approver="", reason="x", actor=cast.a_operator)
    overdue = file(cast, filed_on=D(2025, 6, 2))
    period = Period.year(2025)
    figure = registry.compute("enforcement.on_time_rate", cast.a, period)
    # both are undecided at the year's end; both periods have ended: none on time
    assert figure.display == "0/2 = 0.0%"
    assert {
        c.pk for c in registry.metric("enforcement.overdue_cases").drilldown(cast.a, period)
    } == {late.pk, overdue.pk}


@time_machine.travel(dt.datetime(2025, 12, 30, 9, 0, tzinfo=dt.UTC), tick=False)
def test_summary_procedure_limits(cast):
    common = dict(
        township=cast.a,
        power=power(cast.a),
        body=body_of(cast.a),
        handlers=[officer(cast.a, "甲"), officer(cast.a, "乙")],
        party_kind="person",
        party_name="李四",
        cause="占道经营",
        decided_on=D(2025, 7, 1),
        decision="当场罚款五十元",
        actor=cast.a_operator,
    )
    with pytest.raises(ValidationError, match="不得超过200元"):
        cases.summary_decision(fine_amount=Decimal(500), **common)
    case = cases.summary_decision(fine_amount=Decimal(50), **common)
    assert case.status == "served" and case.procedure == "summary"
    assert registry.compute("enforcement.cases_summary", cast.a, Period.year(2025)).value == 1
