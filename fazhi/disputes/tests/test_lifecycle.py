"""Registration, the status transition table, and the deadlines it opens and closes."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.core.deadlines import deadlines_for
from fazhi.core.models import DomainEvent
from fazhi.disputes import choices as c
from fazhi.disputes import services
from fazhi.disputes.models import Dispute, DisputeParty, MediationAgreement
from fazhi.disputes.tests.helpers import D, mediator, party, register
from fazhi.parties.models import Party


def _deadline(dispute, code):
    return deadlines_for(dispute).filter(rule_code=code).order_by("-pk").first()


def test_registration_numbers_and_indexes_parties(cast):
    first = register(cast, actor=cast.a_operator)
    second = register(cast, actor=cast.a_operator)
    assert first.number == "〔2025〕甲镇调字第1号" and second.number == "〔2025〕甲镇调字第2号"
    assert first.status == c.DisputeStatus.REGISTERED
    assert first.title == "张三与李四邻里纠纷"
    # the same name + phone is the same party in both disputes
    assert Party.objects.filter(township=cast.a).count() == 2
    assert DisputeParty.objects.filter(party__name="张三").count() == 2
    assert DomainEvent.objects.filter(kind="disputes.registered").count() == 2


def test_grid_worker_registers_only_in_own_village(cast):
    register(cast, actor=cast.a1_grid, source="grid")
    with pytest.raises(PermissionDenied):
        register(cast, actor=cast.a1_grid, village=cast.a2)
    assert Dispute.objects.count() == 1


def test_transfer_in_from_court_is_a_linkage_event(cast):
    dispute = register(
        cast, actor=cast.a_operator, source="court", source_ref="（2025）豫0883民诉前调123号"
    )
    event = DomainEvent.objects.get(kind="disputes.linkage")
    assert event.object_id == str(dispute.pk)
    assert (
        event.payload["channel"] == c.LinkageChannel.COURT_DOCKING
        and event.payload["direction"] == "in"
    )


def test_accept_opens_the_one_month_conclusion_deadline(cast):
    dispute = register(cast, actor=cast.a_operator)
    dispute = services.accept_dispute(dispute, on=D, actor=cast.a_operator)
    deadline = _deadline(dispute, "disputes.conclusion")
    assert deadline.status == "open" and deadline.due_date == dt.date(2025, 4, 3)
    assert deadline.length == 1 and deadline.unit == "months"
    assert "第75号" in deadline.citation


def test_conclusion_completes_the_deadline(cast):
    dispute = services.accept_dispute(
        register(cast, actor=cast.a_operator), on=D, actor=cast.a_operator
    )
    services.conclude_dispute(
        dispute, "succeeded", on=D + dt.timedelta(days=5), actor=cast.a_operator
    )
    assert _deadline(dispute, "disputes.conclusion").status == "done"
    late = services.accept_dispute(
        register(cast, actor=cast.a_operator), on=D, actor=cast.a_operator
    )
    services.conclude_dispute(late, "succeeded", on=dt.date(2025, 5, 6), actor=cast.a_operator)
    assert _deadline(late, "disputes.conclusion").status == "done_late"


def test_illegal_transition_has_a_clear_chinese_error(cast):
    dispute = register(cast, actor=cast.a_operator)
    with pytest.raises(ValidationError) as exc:
        services.conclude_dispute(dispute, "succeeded", on=D, actor=cast.a_operator)
    assert "不能改为“调解成功”" in str(exc.value) and "已登记" in str(exc.value)
    dispute = services.accept_dispute(dispute, on=D, actor=cast.a_operator)
    services.conclude_dispute(dispute, "succeeded", on=D, actor=cast.a_operator)
    with pytest.raises(ValidationError) as exc:
        services.conclude_dispute(dispute, "failed", on=D, actor=cast.a_operator, note="x")
    assert "调解成功" in str(exc.value)


def test_transition_table_is_complete():
    assert set(c.TRANSITIONS) == set(c.DisputeStatus.values)
    for targets in c.TRANSITIONS.values():
        assert targets <= set(c.DisputeStatus.values)


def test_failed_needs_the_routes_told_and_may_then_be_transferred(cast):
    dispute = services.accept_dispute(
        register(cast, actor=cast.a_operator), on=D, actor=cast.a_operator
    )
    with pytest.raises(ValidationError):
        services.conclude_dispute(dispute, "failed", on=D, actor=cast.a_operator)
    services.conclude_dispute(
        dispute, "failed", on=D, actor=cast.a_operator, note="已告知可向法院起诉"
    )
    with pytest.raises(ValidationError):
        services.conclude_dispute(dispute, "transferred", on=D, actor=cast.a_operator)
    dispute = services.conclude_dispute(
        dispute,
        "transferred",
        on=D + dt.timedelta(days=3),
        actor=cast.a_operator,
        route="litigation",
    )
    assert dispute.status == "transferred" and dispute.concluded_on == D


def test_transfer_to_judicial_mediation_records_linkage(cast):
    dispute = services.accept_dispute(
        register(cast, actor=cast.a_operator), on=D, actor=cast.a_operator
    )
    services.conclude_dispute(
        dispute, "transferred", on=D, actor=cast.a_operator, route="judicial_mediation"
    )
    event = DomainEvent.objects.get(kind="disputes.linkage")
    assert event.payload["channel"] == "judicial_mediation" and event.payload["direction"] == "out"


def test_terminate_from_registered_needs_a_reason(cast):
    dispute = register(cast, actor=cast.a_operator)
    with pytest.raises(ValidationError):
        services.conclude_dispute(dispute, "terminated", on=D, actor=cast.a_operator)
    services.conclude_dispute(dispute, "terminated", on=D, actor=cast.a_operator, reason="refused")
    assert Dispute.objects.get(pk=dispute.pk).termination_reason == "refused"


def test_viewer_cannot_conclude(cast):
    dispute = register(cast, actor=cast.a_operator)
    with pytest.raises(PermissionDenied):
        services.accept_dispute(dispute, on=D, actor=cast.a_viewer)


def test_session_on_registered_dispute_accepts_it(cast):
    from fazhi.disputes.models import MediationSession

    m = mediator(cast)
    dispute = register(cast, actor=cast.a1_mediator)
    services.record_session(
        MediationSession,
        {
            "township": cast.a,
            "dispute": dispute,
            "held_on": D,
            "record": "调解记录",
            "mediators": [m],
        },
        actor=cast.a1_mediator,
    )
    dispute.refresh_from_db()
    assert dispute.status == "mediating" and dispute.accepted_on == D and dispute.mediator == m


def test_agreement_taking_effect_concludes_and_starts_reminders(cast):
    dispute = services.accept_dispute(
        register(cast, actor=cast.a_operator), on=D, actor=cast.a_operator
    )
    agreement = services.create_agreement(
        MediationAgreement,
        {
            "dispute": dispute,
            "made_on": D + dt.timedelta(days=2),
            "place": "村委会",
            "facts": "事实",
            "responsibilities": "责任",
            "terms": "一、疏通排水沟。",
            "performance_method": "自行履行",
            "performance_deadline": D + dt.timedelta(days=10),
            "effective_on": D + dt.timedelta(days=2),
        },
        actor=cast.a_operator,
    )
    assert agreement.number == "〔2025〕甲镇调协字第1号"
    dispute.refresh_from_db()
    assert dispute.status == "succeeded" and dispute.concluded_on == D + dt.timedelta(days=2)
    court = _deadline(dispute, "disputes.court_confirmation")
    # 30日 from 3月5日 ends on 4月4日, 清明 (4–6 April 2025): the period ends on the next working day
    assert court.due_date == dt.date(2025, 4, 7) and court.citation == "《人民调解法》第三十三条"
    assert _deadline(dispute, "disputes.follow_up").status == "open"

    # parties apply for court confirmation: the reminder is done, 诉调对接 is recorded
    services.update_agreement(
        agreement,
        {
            "court_confirmation": "applied",
            "court_applied_on": D + dt.timedelta(days=9),
            "court_name": "县人民法院",
        },
        actor=cast.a_operator,
        expected_version=agreement.version,
    )
    assert _deadline(dispute, "disputes.court_confirmation").status == "done"
    assert DomainEvent.objects.filter(
        kind="disputes.linkage", payload__channel="court_docking"
    ).exists()


def test_follow_up_closes_and_reopens_the_follow_up_period(cast):
    from fazhi.disputes.models import FollowUpVisit

    dispute = services.accept_dispute(
        register(cast, actor=cast.a_operator), on=D, actor=cast.a_operator
    )
    agreement = services.create_agreement(
        MediationAgreement,
        {
            "dispute": dispute,
            "made_on": D,
            "place": "村委会",
            "facts": "事实",
            "responsibilities": "责任",
            "terms": "一、分期支付。",
            "performance_method": "分两期支付",
            "performance_deadline": D + dt.timedelta(days=60),
            "effective_on": D,
        },
        actor=cast.a_operator,
    )
    dispute.refresh_from_db()
    services.record_follow_up(
        FollowUpVisit,
        {
            "township": cast.a,
            "dispute": dispute,
            "visited_on": D + dt.timedelta(days=20),
            "method": "phone",
            "performance": "partial",
        },
        actor=cast.a_operator,
    )
    periods = deadlines_for(dispute).filter(rule_code="disputes.follow_up").order_by("pk")
    assert [p.status for p in periods] == ["done", "open"]
    services.record_follow_up(
        FollowUpVisit,
        {
            "township": cast.a,
            "dispute": dispute,
            "visited_on": D + dt.timedelta(days=45),
            "method": "home",
            "performance": "done",
        },
        actor=cast.a_operator,
    )
    assert not deadlines_for(dispute).filter(rule_code="disputes.follow_up", status="open").exists()
    agreement.refresh_from_db()
    assert agreement.performance == "done" and agreement.performed_on == D + dt.timedelta(days=45)


def test_follow_up_only_for_successful_mediation(cast):
    from fazhi.disputes.models import FollowUpVisit

    dispute = register(cast, actor=cast.a_operator)
    with pytest.raises(ValidationError):
        services.record_follow_up(
            FollowUpVisit,
            {
                "township": cast.a,
                "dispute": dispute,
                "visited_on": D,
                "method": "phone",
                "performance": "partial",
            },
            actor=cast.a_operator,
        )


def test_extension_moves_the_due_date(cast):
    dispute = services.accept_dispute(
        register(cast, actor=cast.a_operator), on=D, actor=cast.a_operator
    )
    services.extend_conclusion(dispute, days=15, reason="双方同意延期", actor=cast.a_operator)
    assert _deadline(dispute, "disputes.conclusion").due_date == dt.date(2025, 4, 18)


def test_county_override_changes_the_conclusion_period(cast):
    from fazhi.core import rules

    rules.set_override(
        "disputes.conclusion",
        length=20,
        unit="days",
        basis="某县人民调解工作规范第十条",
        county=cast.county,
        actor=cast.admin,
    )
    dispute = services.accept_dispute(
        register(cast, actor=cast.a_operator), on=D, actor=cast.a_operator
    )
    deadline = _deadline(dispute, "disputes.conclusion")
    assert deadline.length == 20 and deadline.due_date == dt.date(2025, 3, 24)


def test_escalation_hands_up_and_is_recorded(cast):
    from fazhi.disputes.tests.helpers import committee

    low = committee(cast, level="village")
    high = committee(cast, level="township", name="甲镇人民调解委员会")
    dispute = register(cast, actor=cast.a_operator, committee=low)
    services.escalate_dispute(
        dispute, committee=high, on=D, reason="涉及多村，村调委会难以调处", actor=cast.a1_mediator
    )
    dispute.refresh_from_db()
    assert dispute.committee == high and services.is_escalated(dispute)


def test_archive_checks_the_case_file(cast):
    dispute = services.accept_dispute(
        register(cast, actor=cast.a_operator), on=D, actor=cast.a_operator
    )
    services.conclude_dispute(dispute, "succeeded", on=D, actor=cast.a_operator)
    with pytest.raises(ValidationError) as exc:
        services.archive_dispute(dispute, on=D, actor=cast.a_operator)
    assert (
        "调解记录" in str(exc.value)
        and "调解协议书" in str(exc.value)
        and "回访记录" in str(exc.value)
    )


def test_delete_only_a_registration_in_error(cast):
    dispute = register(cast, actor=cast.a_operator)
    services.accept_dispute(dispute, on=D, actor=cast.a_operator)
    with pytest.raises(ValidationError):
        services.delete_dispute(dispute, actor=cast.a_operator, expected_version=dispute.version)


def test_a_number_given_by_hand_moves_the_counter(cast):
    register(cast, number="〔2025〕甲镇调字第7号")
    assert register(cast).number == "〔2025〕甲镇调字第8号"
    with pytest.raises(ValidationError):
        register(cast, number="〔2025〕甲镇调字第7号")


def test_agreement_taking_effect_later_through_an_edit(cast):
    dispute = services.accept_dispute(
        register(cast, actor=cast.a_operator), on=D, actor=cast.a_operator
    )
    agreement = services.create_agreement(
        MediationAgreement,
        {
            "dispute": dispute,
            "made_on": D,
            "place": "村委会",
            "facts": "事实",
            "responsibilities": "责任",
            "terms": "一、赔偿500元。",
            "performance_method": "现金支付",
            "performance_deadline": D + dt.timedelta(days=10),
        },
        actor=cast.a1_mediator,
    )
    assert Dispute.objects.get(pk=dispute.pk).status == "mediating"
    services.update_agreement(
        agreement,
        {"effective_on": D + dt.timedelta(days=1)},
        actor=cast.a1_mediator,
        expected_version=agreement.version,
    )
    dispute.refresh_from_db()
    assert dispute.status == "succeeded"
    assert _deadline(dispute, "disputes.court_confirmation").status == "open"
    agreement.refresh_from_db()
    with pytest.raises(ValidationError):
        services.update_agreement(
            agreement,
            {"effective_on": D + dt.timedelta(days=2)},
            actor=cast.a1_mediator,
            expected_version=agreement.version,
        )


def test_api_shows_parties_masked(cast, api):
    dispute = register(cast, parties=[party("张三", phone="13800000001")])
    data = api(cast.a_operator).get(f"/api/disputes/disputes/{dispute.pk}/").json()
    assert data["number"] == dispute.number and data["status"] == "registered"
    assert data["party_list"] == [
        {
            "party": dispute.dispute_parties.get().party_id,
            "role": "applicant",
            "name": "张三",
            "phone": "138****0001",
            "id_number": "",
        }
    ]
