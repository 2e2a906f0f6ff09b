"""Reconsideration and litigation (REGULATIONS.md §13) on the shared case page: the steps, the
current deadline and the next actions; 中止 / 恢复 / 终止 of a reconsideration with their effect on
the deadlines; the appeal window after a first-instance judgment as a staff deadline with its
reminder; a review request's page names what it reviews."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from fazhi.core.deadlines import deadline_state, deadlines_for, my_deadlines, sweep
from fazhi.core.models import DomainEvent, Notification
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


def test_suspension_pauses_the_answer_deadline_resumption_restarts_it_termination_cancels_it(
    cast, login
):
    with at(D(2025, 6, 9)):
        r = _recon(cast)
    assert r.answer_due_on == D(2025, 6, 23)  # 10 working days (第四十八条、第八十八条)
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
        assert "第三十九条" in html and "暂停计算" in html
        assert "登记恢复审理" in html and "登记书面答复" not in html
    # while suspended the answer deadline is paused: off 我的期限, not overdue past its due date
    d = _answer_deadline(r)
    assert (d.status, d.paused_on) == ("paused", D(2025, 6, 12))
    assert "第三十九条" in DomainEvent.objects.get(kind="core.deadline_paused").label
    assert d not in my_deadlines(cast.a_operator, today=D(2025, 6, 24))
    assert sweep(D(2025, 6, 24))["overdue"] == 0
    assert not Notification.objects.filter(deadline=d).exists()
    with at(D(2025, 6, 22)):
        r = cases.resume_reconsideration(r, actor=cast.a_operator, on=D(2025, 6, 22))
    # 3 of the 10 working days had run (10–12 June); the 7 left run again from 22 June → 1 July
    assert r.suspended_days == 10 and r.status == "received"
    d = _answer_deadline(r)
    assert d.status == "open" and d.due_date == r.answer_due_on == D(2025, 7, 1)
    assert "第三十九条" in DomainEvent.objects.get(kind="core.deadline_resumed").label
    with at(D(2025, 6, 25)):
        with pytest.raises(ValidationError, match="第四十一条第五项"):
            cases.terminate_reconsideration(r, actor=cast.a_operator, on=D(2025, 6, 25),
                                            reason="long_suspension")  # fmt: skip
        r = cases.suspend_reconsideration(r, actor=cast.a_operator, on=D(2025, 6, 25),
                                          reason="mediation")  # fmt: skip
        r = cases.terminate_reconsideration(
            r, actor=cast.a_operator, on=D(2025, 6, 25), reason="withdrawn"
        )
        assert (r.status, r.decision) == ("closed", "terminated")
        assert _answer_deadline(r).status == "cancelled"  # a paused deadline is cancelled too
        html = login(cast.a_operator).get(f"/legal/reconsiderations/{r.pk}/").content.decode()
        assert "复议终止" in html and "准予撤回" in html
    # withdrawn before the answer fell due: not counted as an answer missed
    with at(D(2025, 12, 31)):
        rate = registry.compute("legal.reconsideration_answer_rate", cast.a, Period.year(2025))
    assert rate.denominator == 0


def test_sixty_days_suspended_ends_the_case_only_for_the_grounds_the_law_names(cast):
    with at(D(2025, 6, 9)):
        missing, died = _recon(cast), _recon(cast)
    with at(D(2025, 6, 10)):
        missing = cases.suspend_reconsideration(missing, actor=cast.a_operator,
                                                on=D(2025, 6, 10), reason="missing")  # fmt: skip
        died = cases.suspend_reconsideration(died, actor=cast.a_operator, on=D(2025, 6, 10),
                                             reason="applicant_died")  # fmt: skip
    with at(D(2025, 8, 20)):
        with pytest.raises(ValidationError, match="第四十一条第五项"):  # 下落不明 is item (3)
            cases.terminate_reconsideration(missing, actor=cast.a_operator, on=D(2025, 8, 20),
                                            reason="long_suspension")  # fmt: skip
        with pytest.raises(ValidationError, match="中止未满六十日"):
            cases.terminate_reconsideration(died, actor=cast.a_operator, on=D(2025, 8, 8),
                                            reason="long_suspension")  # fmt: skip
        died = cases.terminate_reconsideration(died, actor=cast.a_operator, on=D(2025, 8, 20),
                                               reason="long_suspension")  # fmt: skip
    assert died.status == "closed" and _answer_deadline(died).status == "cancelled"


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


def _litigation(cast):
    return cases.create_litigation(
        Litigation, {"township": cast.a, "plaintiff": "某公司", "court": "测试县人民法院",
                     "act": "行政处罚决定", "served_on": D(2025, 3, 3)},
        actor=cast.a_operator,
    )  # fmt: skip


def _defence_deadline(c):
    return deadlines_for(c).get(rule_code="legal.litigation_defence")


def test_litigation_suspension_pauses_the_defence_and_the_end_closes_the_case_not_as_a_loss(
    cast, login
):
    with at(D(2025, 3, 3)):
        c = _litigation(cast)
    assert c.defence_due_on == D(2025, 3, 18)  # 15日 (第六十七条)
    with at(D(2025, 3, 10)):
        with pytest.raises(ValidationError, match="请填写说明"):
            cases.suspend_litigation(c, actor=cast.a_operator, on=D(2025, 3, 10), reason="other")
        c = cases.suspend_litigation(c, actor=cast.a_operator, on=D(2025, 3, 10),
                                     reason="civil_case")  # fmt: skip
        assert c.status == "suspended"
        with pytest.raises(ValidationError, match="当前状态为“中止”，不能执行“登记决定\\(裁判\\)”"):
            cases.judge_litigation(c, actor=cast.a_operator, on=D(2025, 3, 10), result="won")
        html = login(cast.a_operator).get(f"/legal/litigations/{c.pk}/").content.decode()
        assert "第六十一条第二款" in html and "中止诉讼" in html
        assert "登记恢复诉讼" in html and "登记诉讼终结" in html and "登记答辩" not in html
    assert _defence_deadline(c).status == "paused"
    assert _defence_deadline(c) not in my_deadlines(cast.a_operator, today=D(2025, 3, 25))
    assert sweep(D(2025, 3, 25))["overdue"] == 0  # past the old due date, but paused
    with at(D(2025, 4, 10)):
        c = cases.resume_litigation(c, actor=cast.a_operator, on=D(2025, 4, 10))
    # 8 of the 15 days were left on 10 March: they run again from 10 April → 18 April
    assert (c.status, c.suspended_days) == ("received", 31)
    assert _defence_deadline(c).status == "open"
    assert _defence_deadline(c).due_date == c.defence_due_on == D(2025, 4, 18)
    with at(D(2025, 4, 12)):
        with pytest.raises(ValidationError, match="请填写说明"):
            cases.end_litigation(c, actor=cast.a_operator, on=D(2025, 4, 12), reason="other")
        c = cases.end_litigation(c, actor=cast.a_operator, on=D(2025, 4, 12), reason="no_heir")
        assert (c.status, c.result, c.appeal_due_on) == ("closed", "ended", None)
        assert _defence_deadline(c).status == "cancelled"
        with pytest.raises(ValidationError, match="不能中止"):
            cases.suspend_litigation(c, actor=cast.a_operator, on=D(2025, 4, 12), reason="party")
        html = login(cast.a_operator).get(f"/legal/litigations/{c.pk}/").content.decode()
        assert "诉讼终结" in html and "不计为败诉" in html
    with at(D(2025, 12, 31)):
        lost = registry.compute("legal.litigation_lost", cast.a, Period.year(2025))
        defence = registry.compute("legal.defence_on_time_rate", cast.a, Period.year(2025))
    assert lost.value == 0 and lost.status == "recorded"  # a case ended, none lost: a real 0
    assert defence.denominator == 0  # ended before the defence fell due: not a defence missed


def test_a_judgment_cannot_be_entered_as_an_end_and_the_end_needs_a_ground(cast):
    with at(D(2025, 3, 3)):
        c = cases.defend_litigation(_litigation(cast), actor=cast.a_operator, on=D(2025, 3, 3))
        with pytest.raises(ValidationError, match="登记诉讼终结"):
            cases.judge_litigation(c, actor=cast.a_operator, on=D(2025, 3, 3), result="ended")
        with pytest.raises(ValidationError, match="请选择终结情形"):
            cases.end_litigation(c, actor=cast.a_operator, on=D(2025, 3, 3), reason="won")
