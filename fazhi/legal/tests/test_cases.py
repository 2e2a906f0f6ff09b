"""Reconsideration and litigation (REGULATIONS.md §13) on the shared case page: the steps, the
current deadline and the next actions; 中止 / 恢复 / 终止 of a reconsideration with their effect on
the deadlines; the appeal window after a first-instance judgment as a staff deadline with its
reminder; a review request's page names what it reviews."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from fazhi.core.deadlines import deadline_state, deadlines_for, my_deadlines, sweep
from fazhi.core.models import Notification
from fazhi.indicators import registry
from fazhi.indicators.registry import Period
from fazhi.legal import cases
from fazhi.legal.models import Litigation, Reconsideration
from fazhi.legal.tests.conftest import D, at


def _recon(cast):
    received = D(2025, 6, 9)
    return cases.create_reconsideration(
        Reconsideration, {"township": cast.a, "applicant": "某商户", "act": "责令改正",
                          "body": "测试县人民政府", "received_on": received},
        actor=cast.a_operator,
    )  # fmt: skip


def _answer_deadline(r):
    return deadlines_for(r).get(rule_code="legal.reconsideration_answer")


def test_suspension_stops_the_answer_deadline_and_termination_cancels_it(cast, login):
    with at(D(2025, 6, 9)):
        r = _recon(cast)
    assert r.answer_due_on == D(2025, 6, 23)
    with at(D(2025, 6, 12)):
        with pytest.raises(ValidationError, match="请填写说明"):
            cases.suspend_reconsideration(r, actor=cast.a_operator, on=D(2025, 6, 12),
                                          reason="other")  # fmt: skip
        r = cases.suspend_reconsideration(
            r, actor=cast.a_operator, on=D(2025, 6, 12), reason="related_case"
        )
        assert r.status == "suspended"
        with pytest.raises(ValidationError, match="不能中止"):
            cases.suspend_reconsideration(r, actor=cast.a_operator, on=D(2025, 6, 12),
                                          reason="related_case")  # fmt: skip
        page = login(cast.a_operator).get(f"/legal/reconsiderations/{r.pk}/")
        html = page.content.decode()
        assert page.status_code == 200 and "中止期间期限不计算" in html
        assert "登记恢复审理" in html and "登记书面答复" not in html
    with at(D(2025, 6, 22)):
        r = cases.resume_reconsideration(r, actor=cast.a_operator, on=D(2025, 6, 22))
    # ten days suspended: the answer deadline moves on by ten days
    assert r.suspended_days == 10 and r.status == "received"
    assert _answer_deadline(r).due_date == r.answer_due_on == D(2025, 7, 3)
    with at(D(2025, 6, 25)):
        with pytest.raises(ValidationError, match="中止未满六十日"):
            cases.terminate_reconsideration(r, actor=cast.a_operator, on=D(2025, 6, 25),
                                            reason="long_suspension")  # fmt: skip
        r = cases.terminate_reconsideration(
            r, actor=cast.a_operator, on=D(2025, 6, 25), reason="withdrawn"
        )
        assert (r.status, r.decision) == ("closed", "terminated")
        assert _answer_deadline(r).status == "cancelled"
        html = login(cast.a_operator).get(f"/legal/reconsiderations/{r.pk}/").content.decode()
        assert "复议终止" in html and "准予撤回" in html
    # withdrawn before the answer fell due: not counted as an answer missed
    with at(D(2025, 12, 31)):
        rate = registry.compute("legal.reconsideration_answer_rate", cast.a, Period.year(2025))
    assert rate.denominator == 0


def test_the_appeal_window_is_a_deadline_with_a_reminder_and_the_case_page_shows_it(cast, login):
    with at(D(2025, 3, 3)):
        c = cases.create_litigation(
            Litigation, {"township": cast.a, "plaintiff": "某公司", "court": "测试县人民法院",
                         "act": "行政处罚决定", "served_on": D(2025, 3, 3)},
            actor=cast.a_operator,
        )  # fmt: skip
    with at(D(2025, 3, 10)):
        c = cases.defend_litigation(c, actor=cast.a_operator, on=D(2025, 3, 10))
    with at(D(2025, 5, 6)):
        c = cases.judge_litigation(c, actor=cast.a_operator, on=D(2025, 5, 6), result="revoked")
        window = deadlines_for(c).get(rule_code="legal.appeal_window")
        assert window.due_date == c.appeal_due_on == D(2025, 5, 21)  # 15日
        assert window in list(my_deadlines(cast.a_operator))
        with pytest.raises(ValidationError, match="先登记上诉情况"):
            cases.perform_litigation(c, actor=cast.a_operator, on=D(2025, 5, 6), note="履行")
        html = login(cast.a_operator).get(f"/legal/litigations/{c.pk}/").content.decode()
        assert "上诉期" in html and "登记上诉情况" in html and "2025-05-21" in html
    # the daily sweep reminds the responsible person before the window closes
    sweep(D(2025, 5, 19))
    assert Notification.objects.filter(user=cast.a_operator, deadline=window).exists()
    assert deadline_state(window, D(2025, 5, 19)).value == "due_soon"
    with at(D(2025, 5, 20)):
        c = cases.record_appeal(c, actor=cast.a_operator, on=D(2025, 5, 20), decision="appeal")
    window.refresh_from_db()
    assert window.status == "done" and c.status == "answered"
    with at(D(2025, 8, 1)):
        # the second-instance judgment is final: no new window
        c = cases.judge_litigation(c, actor=cast.a_operator, on=D(2025, 8, 1), result="won")
        assert c.appeal_due_on is None
        c = cases.perform_litigation(c, actor=cast.a_operator, on=D(2025, 8, 1), note="结案")
    assert c.status == "closed"


def test_review_page_is_a_case_page_naming_its_contract(cast, login, reviewed_contract):
    review = reviewed_contract.review
    html = login(cast.a_operator).get(f"/legal/reviews/{review.pk}/").content.decode()
    assert 'class="steps"' in html and "出具审查意见" in html
    assert reviewed_contract.title in html and "证据链" in html
    assert "审查用时" in html
    # another township's user gets nothing
    assert login(cast.b_operator).get(f"/legal/reviews/{review.pk}/").status_code == 404


def test_judgment_page_offers_performance(cast, login):
    from fazhi.legal.models import Judgment

    with at(D(2025, 4, 1)):
        j = cases.create_judgment(
            Judgment, {"township": cast.a, "court": "测试县人民法院", "case_no": "(2025)测行初1号",
                       "effective_on": D(2025, 4, 1), "obligations": "撤销处罚决定"},
            actor=cast.a_operator,
        )  # fmt: skip
        html = login(cast.a_operator).get(f"/legal/judgments/{j.pk}/").content.decode()
    assert "登记履行完毕" in html and "履行期内" in html
    # 30日 default; 1 May falls in the Labour Day holiday (1–5 May 2025)
    assert j.perform_due_on == dt.date(2025, 5, 6) and "2025-05-06" in html
