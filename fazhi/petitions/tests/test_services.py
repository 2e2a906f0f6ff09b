"""The petition loop through its services: every transition, its deadline and its record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from fazhi.core.choices import DeadlineStatus, DeadlineUnit
from fazhi.core.deadlines import deadlines_for
from fazhi.core.models import ChangeRecord, Deadline, DomainEvent, EvidenceEntry, Staff
from fazhi.core.rules import set_override
from fazhi.petitions import services
from fazhi.petitions.choices import Level, NotAcceptedReason, Outcome, Source, Status
from fazhi.petitions.models import Petition, PetitionParty, PetitionTransfer
from fazhi.petitions.tests.conftest import OPINION, at

pytestmark = pytest.mark.django_db
D = dt.date


def deadline(p: Petition, code: str) -> Deadline:
    return deadlines_for(p).get(rule_code=code)


def events(p: Petition) -> list[str]:
    return list(
        DomainEvent.objects.filter(object_id=str(p.pk), kind__startswith="petitions.")
        .order_by("pk")
        .values_list("kind", flat=True)
    )


# --- 登记 -------------------------------------------------------------------------------------
def test_registration_numbers_the_receipt_and_stores_only_a_hash_of_the_code(cast, walk):
    p = walk()
    assert p.receipt_no == "〔2025〕甲镇信字第1号"
    assert len(p.test_code) == services.CODE_LENGTH
    assert p.test_code not in p.receipt_code_hash
    identify_hasher(p.receipt_code_hash)  # a Django password hash
    assert services.code_matches(p, p.test_code.lower())
    assert not services.code_matches(p, "WRONG000")
    second = walk()
    assert second.receipt_no == "〔2025〕甲镇信字第2号"
    record = ChangeRecord.objects.get(object_id=str(p.pk), content_type__model="petition")
    assert record.changes["receipt_code_hash"]["after"].startswith("（已修改")


def test_registration_opens_the_15_day_acceptance_notice(cast, walk):
    p = walk(received=D(2025, 3, 3))
    d = deadline(p, "petitions.acceptance_notice")
    assert (d.start_date, d.due_date, d.length, d.unit) == (
        D(2025, 3, 3),
        D(2025, 3, 18),
        15,
        "days",
    )
    assert d.citation == "《信访工作条例》第二十三条"
    assert p.acceptance_due_on == D(2025, 3, 18)
    assert events(p) == ["petitions.registered"]


def test_acceptance_deadline_skips_national_day(cast, walk):
    p = walk(received=D(2025, 9, 16), accepted=D(2025, 9, 17))
    assert p.acceptance_due_on == D(2025, 10, 9)  # 10-01 … 10-08 are holidays


def test_petitioner_comes_from_the_party_index_and_is_reused(cast, walk, party):
    zhang = party("张明", id_number="", phone="13800001111")
    first = walk(petitioner={"name": "张明", "phone": "13800001111"})
    assert first.petitioner == zhang
    again = services.resolve_party(
        cast.a, services.PartyInput("张明", phone="13800001111"), actor=cast.a_operator
    )
    assert again == zhang


def test_group_visit_allows_at_most_five_representatives(cast, walk):
    people = [{"name": f"代表{i}"} for i in range(4)]
    p = walk(is_group=True, visitor_count=30, representatives=people)
    assert p.party_links.count() == 4
    assert set(PetitionParty.objects.filter(petition=p).values_list("role", flat=True)) == {
        "representative"
    }
    with pytest.raises(ValidationError) as exc:
        walk(is_group=True, visitor_count=30, representatives=[*people, {"name": "代表9"}])
    assert "不超过5人" in str(exc.value) and "第十九条" in str(exc.value)


def test_group_visit_is_only_for_visits(cast, walk):
    with pytest.raises(ValidationError) as exc:
        walk(channel="letter", is_group=True, visitor_count=3)
    assert "is_group" in exc.value.message_dict


def test_registration_outside_scope_is_refused(cast, party):
    with pytest.raises(PermissionDenied):
        services.register_petition(
            cast.a, actor=cast.b_operator, channel="letter", received_on=D(2025, 3, 3),
            petitioner=party(), subject="x", content="y",
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.register_petition(
            cast.a, actor=cast.a_viewer, channel="letter", received_on=D(2025, 3, 3),
            petitioner=party(), subject="x", content="y",
        )  # fmt: skip


def test_received_date_cannot_be_in_the_future(cast, party):
    with at(D(2025, 3, 3)), pytest.raises(ValidationError) as exc:
        services.register_petition(
            cast.a, actor=cast.a_operator, channel="letter", received_on=D(2025, 3, 4),
            petitioner=party(), subject="x", content="y",
        )  # fmt: skip
    assert "received_on" in exc.value.message_dict


# --- 受理 / 不予受理 / 异议 -------------------------------------------------------------------
def test_acceptance_completes_notice_and_opens_60_day_handling(cast, walk):
    p = walk("accepted", received=D(2025, 3, 3), accepted=D(2025, 3, 5))
    assert p.status == Status.ACCEPTED and p.accepted_on == D(2025, 3, 5)
    notice = deadline(p, "petitions.acceptance_notice")
    assert (notice.status, notice.completed_on) == (DeadlineStatus.DONE, D(2025, 3, 5))
    handling = deadline(p, "petitions.handling")
    # 60日 ends on 2025-05-04 (劳动节 holidays, then Sunday): the next working day is 05-06
    assert (handling.due_date, handling.citation) == (D(2025, 5, 6), "《信访工作条例》第三十四条")
    assert p.handling_due_on == D(2025, 5, 6)
    assert events(p) == ["petitions.registered", "petitions.accepted"]


def test_late_acceptance_is_recorded_as_done_late(cast, walk):
    p = walk("accepted", received=D(2025, 3, 3), accepted=D(2025, 3, 20))
    assert deadline(p, "petitions.acceptance_notice").status == DeadlineStatus.DONE_LATE


def test_decline_requires_a_written_reason_and_closes(cast, walk):
    p = walk()
    with at(D(2025, 3, 4)):
        with pytest.raises(ValidationError) as exc:
            services.decline_petition(
                p, actor=cast.a_operator, on=D(2025, 3, 4), reason="other", note=" "
            )
        assert "note" in exc.value.message_dict
        p = services.decline_petition(
            p, actor=cast.a_operator, on=D(2025, 3, 4),
            reason=NotAcceptedReason.LEGAL_CHANNEL, note="属于劳动争议，应申请劳动仲裁。",
        )  # fmt: skip
    assert p.status == Status.NOT_ACCEPTED and p.closed_on == D(2025, 3, 4)
    assert deadline(p, "petitions.acceptance_notice").status == DeadlineStatus.DONE
    with at(D(2025, 3, 5)), pytest.raises(ValidationError) as exc:
        services.accept_petition(p, actor=cast.a_operator, on=D(2025, 3, 5))
    assert "不予受理" in str(exc.value) and "受理并告知" in str(exc.value)


def test_forwarded_matter_objection_within_five_working_days(cast, walk):
    p = walk(received=D(2025, 9, 26), source=Source.ASSIGNED, forwarded_by="县信访局")
    objection = deadline(p, "petitions.objection")
    # 09-28 is a make-up working day; 10-01 … 10-08 are holidays
    assert (objection.due_date, objection.unit) == (D(2025, 10, 10), DeadlineUnit.WORKING_DAYS)
    assert p.objection_due_on == D(2025, 10, 10)
    with at(D(2025, 10, 9)):
        p = services.object_to_assignment(
            p, actor=cast.a_operator, on=D(2025, 10, 9), reason="属县自然资源局职权。"
        )
    assert p.status == Status.OBJECTED
    assert deadline(p, "petitions.objection").status == DeadlineStatus.DONE
    assert deadline(p, "petitions.acceptance_notice").status == DeadlineStatus.CANCELLED


def test_objection_only_for_forwarded_or_assigned_matters(cast, walk):
    p = walk()
    with at(D(2025, 3, 4)), pytest.raises(ValidationError):
        services.object_to_assignment(p, actor=cast.a_operator, on=D(2025, 3, 4), reason="x")


def test_accepting_a_forwarded_matter_cancels_the_objection_period(cast, walk):
    p = walk("accepted", source=Source.FORWARDED, forwarded_by="县信访局")
    assert deadline(p, "petitions.objection").status == DeadlineStatus.CANCELLED


def test_forwarded_matter_needs_the_forwarding_body(cast, walk):
    with pytest.raises(ValidationError) as exc:
        walk(source=Source.FORWARDED)
    assert "forwarded_by" in exc.value.message_dict


# --- 办理: 延期 -------------------------------------------------------------------------------
def test_extension_needs_approval_and_notice_and_moves_the_due_date(cast, walk, head):
    p = walk("accepted")
    with at(D(2025, 4, 28)):
        with pytest.raises(ValidationError) as exc:
            services.extend_handling(
                p, actor=cast.a_operator, days=30, reason="需要实地测量", approved_by=None,
                approved_on=D(2025, 4, 28), notified_on=D(2025, 4, 28),
            )  # fmt: skip
        assert "approved_by" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            services.extend_handling(
                p, actor=cast.a_operator, days=30, reason="需要实地测量", approved_by=head,
                approved_on=D(2025, 4, 28), notified_on=None,
            )  # fmt: skip
        assert "notified_on" in exc.value.message_dict
        p = services.extend_handling(
            p, actor=cast.a_operator, days=30, reason="需要实地测量", approved_by=head,
            approved_on=D(2025, 4, 28), notified_on=D(2025, 4, 28),
        )  # fmt: skip
    assert p.handling_due_on == D(2025, 6, 5)  # 05-06 + 30日
    assert deadline(p, "petitions.handling").due_date == D(2025, 6, 5)
    assert (p.extension_days, p.extension_approved_by, p.extension_notified_on) == (
        30,
        head,
        D(2025, 4, 28),
    )
    assert "petitions.extended" in events(p)
    assert DomainEvent.objects.filter(kind="core.deadline_extended", object_id=str(p.pk)).exists()


def test_extension_is_at_most_30_days_in_total(cast, walk, head):
    p = walk("accepted")
    with at(D(2025, 4, 28)):
        with pytest.raises(ValidationError) as exc:
            services.extend_handling(
                p, actor=cast.a_operator, days=31, reason="r", approved_by=head,
                approved_on=D(2025, 4, 28), notified_on=D(2025, 4, 28),
            )  # fmt: skip
        assert "不得超过30日" in str(exc.value)
        p = services.extend_handling(
            p, actor=cast.a_operator, days=20, reason="r", approved_by=head,
            approved_on=D(2025, 4, 28), notified_on=D(2025, 4, 28),
        )  # fmt: skip
        with pytest.raises(ValidationError) as exc:
            services.extend_handling(
                p, actor=cast.a_operator, days=11, reason="r", approved_by=head,
                approved_on=D(2025, 4, 28), notified_on=D(2025, 4, 28),
            )  # fmt: skip
        assert "最多可延长10日" in str(exc.value)


def test_extension_after_the_period_expired_is_refused(cast, walk, head):
    p = walk("accepted")
    with at(D(2025, 5, 7)), pytest.raises(ValidationError) as exc:
        services.extend_handling(
            p, actor=cast.a_operator, days=10, reason="r", approved_by=head,
            approved_on=D(2025, 5, 7), notified_on=D(2025, 5, 7),
        )  # fmt: skip
    assert "届满" in exc.value.message_dict["approved_on"][0]


def test_extension_approver_from_another_township_is_refused(cast, walk):
    p = walk("accepted")
    other = Staff.objects.create(township=cast.b, name="乙镇长")
    with at(D(2025, 4, 1)), pytest.raises(ValidationError):
        services.extend_handling(
            p, actor=cast.a_operator, days=10, reason="r", approved_by=other,
            approved_on=D(2025, 4, 1), notified_on=D(2025, 4, 1),
        )  # fmt: skip


def test_county_override_shortens_the_handling_period(cast, walk):
    set_override(
        "petitions.handling", length=30, unit="days", basis="某省信访条例第二十条",
        county=cast.county, actor=cast.admin,
    )  # fmt: skip
    p = walk("accepted", accepted=D(2025, 3, 5))
    d = deadline(p, "petitions.handling")
    assert (d.length, d.due_date, d.override is not None) == (30, D(2025, 4, 7), True)


# --- 处理意见书 / 送达 ---------------------------------------------------------------------------
def test_opinion_needs_facts_and_legal_basis(cast, walk):
    p = walk("accepted")
    with at(D(2025, 4, 1)):
        for missing in ("facts", "legal_basis"):
            with pytest.raises(ValidationError) as exc:
                services.issue_opinion(
                    p, actor=cast.a_operator, on=D(2025, 4, 1), **{**OPINION, missing: ""}
                )
            assert missing in exc.value.message_dict
        with pytest.raises(ValidationError):
            services.issue_opinion(
                p, actor=cast.a_operator, on=D(2025, 4, 1), **{**OPINION, "outcome": "maybe"}
            )
        opinion = services.issue_opinion(p, actor=cast.a_operator, on=D(2025, 4, 1), **OPINION)
    assert opinion.number == "〔2025〕甲镇信复字第1号"
    assert opinion.issued_by == "甲镇人民政府"
    p.refresh_from_db()
    assert p.status == Status.OPINION_ISSUED
    assert EvidenceEntry.objects.filter(
        chain=f"petitions.petition:{p.pk}", kind="petitions.opinion_issued"
    ).exists()


def test_serving_concludes_on_time_and_opens_the_review_and_rating_windows(cast, walk):
    p = walk("served", served=D(2025, 4, 2))
    assert p.status == Status.SERVED and p.concluded_on == D(2025, 4, 2)
    assert deadline(p, "petitions.handling").status == DeadlineStatus.DONE
    assert p.review_request_due_on == D(2025, 5, 6)  # 05-02 is a holiday
    assert p.rating_due_on == D(2025, 5, 6)
    opinion = p.opinions.get()
    assert (opinion.served_on, opinion.service_method) == (D(2025, 4, 2), "direct")
    # the petitioner's windows are not staff deadlines
    assert (
        not deadlines_for(p)
        .filter(rule_code__in=["petitions.review_request", "petitions.rating_window"])
        .exists()
    )


def test_serving_after_60_days_is_done_late(cast, walk):
    p = walk("served", issued=D(2025, 5, 7), served=D(2025, 5, 8))
    assert deadline(p, "petitions.handling").status == DeadlineStatus.DONE_LATE


def test_extended_case_served_within_extension_is_on_time(cast, walk, head):
    p = walk("accepted")
    with at(D(2025, 4, 30)):
        services.extend_handling(
            p, actor=cast.a_operator, days=30, reason="r", approved_by=head,
            approved_on=D(2025, 4, 30), notified_on=D(2025, 4, 30),
        )  # fmt: skip
    with at(D(2025, 6, 3)):
        services.issue_opinion(p, actor=cast.a_operator, on=D(2025, 6, 3), **OPINION)
        services.serve_opinion(p, actor=cast.a_operator, on=D(2025, 6, 3))
    assert deadline(p, "petitions.handling").status == DeadlineStatus.DONE


def test_illegal_transition_names_both_states(cast, walk):
    p = walk()
    with at(D(2025, 3, 4)), pytest.raises(ValidationError) as exc:
        services.serve_opinion(p, actor=cast.a_operator, on=D(2025, 3, 4))
    assert "当前状态为“已登记”，不能执行“送达处理意见书”" in str(exc.value)


def test_other_township_operator_cannot_act(cast, walk):
    p = walk()
    with at(D(2025, 3, 4)), pytest.raises(Http404):
        services.accept_petition(p, actor=cast.b_operator, on=D(2025, 3, 4))
    with at(D(2025, 3, 4)), pytest.raises(PermissionDenied):
        services.accept_petition(p, actor=cast.a_viewer, on=D(2025, 3, 4))
    p.refresh_from_db()
    assert p.status == Status.REGISTERED


# --- 复查 / 复核 -----------------------------------------------------------------------------
REVIEW = {**OPINION, "outcome": Outcome.EXPLAIN}


def test_review_request_within_30_days_opens_the_30_day_reply(cast, walk):
    p = walk("served", served=D(2025, 4, 2))
    with at(D(2025, 5, 6)):
        p = services.request_review(p, actor=cast.a_operator, on=D(2025, 5, 6), body="县人民政府")
    assert p.status == Status.REVIEW
    reply = deadline(p, "petitions.review_reply")
    assert (reply.start_date, reply.due_date) == (D(2025, 5, 6), D(2025, 6, 5))
    assert reply.citation == "《信访工作条例》第三十五条"


def test_review_request_after_30_days_is_refused(cast, walk):
    p = walk("served", served=D(2025, 4, 2))
    with at(D(2025, 5, 7)), pytest.raises(ValidationError) as exc:
        services.request_review(p, actor=cast.a_operator, on=D(2025, 5, 7), body="县人民政府")
    assert "超过30日期限" in str(exc.value) and "第三十五条" in str(exc.value)


def _review(cast, p, *, requested=None, issued=None, served=None):
    requested = requested or D(2025, 4, 20)
    issued = issued or D(2025, 5, 15)
    served = served or D(2025, 5, 16)
    with at(requested):
        p = services.request_review(p, actor=cast.a_operator, on=requested, body="县人民政府")
    with at(served):
        services.record_review(
            p, actor=cast.a_operator, issued_on=issued, served_on=served, **REVIEW
        )
    p.refresh_from_db()
    return p


def test_review_opinion_opens_the_recheck_window(cast, walk):
    p = _review(cast, walk("served"))
    assert p.status == Status.REVIEWED
    assert deadline(p, "petitions.review_reply").status == DeadlineStatus.DONE
    assert p.recheck_request_due_on == D(2025, 6, 16)  # 05-16 + 30 = 06-15 (Sunday)
    with at(D(2025, 6, 17)), pytest.raises(ValidationError) as exc:
        services.request_recheck(p, actor=cast.a_operator, on=D(2025, 6, 17), body="市人民政府")
    assert "第三十六条" in str(exc.value)


def test_late_review_opinion_is_recorded_as_late(cast, walk):
    p = _review(
        cast, walk("served"), requested=D(2025, 4, 20), issued=D(2025, 5, 26), served=D(2025, 5, 26)
    )
    assert deadline(p, "petitions.review_reply").status == DeadlineStatus.DONE_LATE


def _recheck(cast, p):
    with at(D(2025, 6, 1)):
        p = services.request_recheck(p, actor=cast.a_operator, on=D(2025, 6, 1), body="市人民政府")
    assert deadline(p, "petitions.recheck_reply").due_date == D(2025, 7, 1)
    with at(D(2025, 6, 20)):
        services.record_recheck(
            p, actor=cast.a_operator, issued_on=D(2025, 6, 19), served_on=D(2025, 6, 20),
            **{**OPINION, "outcome": Outcome.NOT_SUPPORT},
        )  # fmt: skip
    p.refresh_from_db()
    return p


def test_recheck_concludes_the_matter(cast, walk):
    p = _recheck(cast, _review(cast, walk("served")))
    assert (
        p.status == Status.CLOSED and p.closed_on == D(2025, 6, 20) and p.close_note == "复核终结"
    )
    assert deadline(p, "petitions.recheck_reply").status == DeadlineStatus.DONE
    assert [o.level for o in p.opinions.order_by("issued_on")] == ["handling", "review", "recheck"]
    kinds = events(p)
    assert kinds[-1] == "petitions.recheck_recorded"


def test_same_claim_after_recheck_is_refused_with_the_reason(cast, walk, party):
    zhang = party("张明")
    concluded = _recheck(cast, _review(cast, walk("served", petitioner=zhang)))
    with at(D(2025, 8, 1)):
        again, _code = services.register_petition(
            cast.a, actor=cast.a_operator, channel="letter", received_on=D(2025, 8, 1),
            petitioner=zhang, subject="耕地补贴未发放", content="仍要求补发。", category="agriculture",
        )  # fmt: skip
    assert again.same_matter_as == concluded  # same petitioner, same matter: found automatically
    reason = services.repeat_refusal_reason(again)
    assert concluded.receipt_no in reason and "不再受理" in reason and "第三十六条" in reason
    with at(D(2025, 8, 2)):
        with pytest.raises(ValidationError) as exc:
            services.accept_petition(again, actor=cast.a_operator, on=D(2025, 8, 2))
        assert "不再受理" in str(exc.value)
        again = services.refuse_repeat(again, actor=cast.a_operator, on=D(2025, 8, 2))
    assert again.status == Status.NOT_ACCEPTED
    assert again.decline_reason == NotAcceptedReason.CONCLUDED and again.decision_note == reason


def test_a_different_matter_of_the_same_petitioner_is_accepted(cast, walk, party):
    zhang = party("张明")
    _recheck(cast, _review(cast, walk("served", petitioner=zhang)))
    other = walk(
        petitioner=zhang,
        received=D(2025, 8, 1),
        accepted=D(2025, 8, 2),
        subject="宅基地纠纷",
        category="land",
    )
    assert other.same_matter_as is None
    with at(D(2025, 8, 2)):
        assert (
            services.accept_petition(other, actor=cast.a_operator, on=D(2025, 8, 2)).status
            == Status.ACCEPTED
        )


def test_repeat_before_recheck_is_linked_but_may_be_accepted(cast, walk, party):
    zhang = party("张明")
    first = walk("served", petitioner=zhang)
    again = walk(petitioner=zhang, received=D(2025, 4, 10), accepted=D(2025, 4, 11))
    assert again.same_matter_as == first
    assert services.repeat_refusal_reason(again) == ""


# --- 终结归档 ---------------------------------------------------------------------------------
def test_closing_before_the_review_window_lapses_needs_the_petitioners_word(cast, walk):
    p = walk("served", served=D(2025, 4, 2))
    with at(D(2025, 4, 10)):
        with pytest.raises(ValidationError) as exc:
            services.close_petition(p, actor=cast.a_operator, on=D(2025, 4, 10))
        assert "尚未届满" in exc.value.message_dict["note"][0]
        p = services.close_petition(
            p, actor=cast.a_operator, on=D(2025, 4, 10), note="信访人书面表示服从处理意见"
        )
    assert p.status == Status.CLOSED


def test_lapsed_windows_are_closed_by_the_daily_job(cast, walk):
    p = walk("served", served=D(2025, 4, 2))
    assert services.close_lapsed(D(2025, 5, 6)) == 0
    assert services.close_lapsed(D(2025, 5, 7)) == 1
    p.refresh_from_db()
    assert p.status == Status.CLOSED and "届满未申请复查" in p.close_note


# --- 导入法定途径 / 三级化解 / 转调解 ------------------------------------------------------------
def test_routing_to_a_legal_channel_closes_with_the_route(cast, walk):
    p = walk("accepted")
    with at(D(2025, 3, 10)):
        p = services.route_to_legal_channel(
            p,
            actor=cast.a_operator,
            on=D(2025, 3, 10),
            route="arbitration",
            note="告知向县劳动人事争议仲裁委申请仲裁",
        )
    assert (p.status, p.route, p.concluded_on, p.closed_on) == (
        Status.ROUTED,
        "arbitration",
        D(2025, 3, 10),
        D(2025, 3, 10),
    )
    assert deadline(p, "petitions.handling").status == DeadlineStatus.DONE
    assert PetitionTransfer.objects.get(petition=p).kind == "route"


def test_routing_before_acceptance_is_the_written_notice(cast, walk):
    p = walk()
    with at(D(2025, 3, 4)):
        p = services.route_to_legal_channel(
            p, actor=cast.a_operator, on=D(2025, 3, 4), route="litigation", note="告知向法院起诉"
        )
    assert p.decided_on == D(2025, 3, 4) and p.concluded_on is None
    assert deadline(p, "petitions.acceptance_notice").status == DeadlineStatus.DONE


def test_three_level_escalation_is_recorded(cast, walk):
    p = walk(level=Level.VILLAGE, village=cast.a1)
    with at(D(2025, 3, 4)):
        p = services.escalate_to_township(
            p, actor=cast.a_operator, on=D(2025, 3, 4), reason="村调解未果"
        )
        assert p.level == Level.TOWNSHIP and p.status == Status.REGISTERED
        with pytest.raises(ValidationError):
            services.escalate_to_township(
                p, actor=cast.a_operator, on=D(2025, 3, 4), reason="again"
            )
        p = services.accept_petition(p, actor=cast.a_operator, on=D(2025, 3, 4))
        p = services.hand_up_to_county(
            p,
            actor=cast.a_operator,
            on=D(2025, 3, 4),
            to_unit="测试县信访局",
            reason="涉及县级职能",
        )
    assert (p.status, p.level) == (Status.ESCALATED, Level.COUNTY)
    assert deadline(p, "petitions.handling").status == DeadlineStatus.CANCELLED
    moves = list(
        PetitionTransfer.objects.filter(petition=p)
        .order_by("pk")
        .values_list("from_level", "to_level")
    )
    assert moves == [("village", "township"), ("township", "county")]


def test_transfer_to_mediation_is_an_event_and_handling_continues(cast, walk):
    p = walk("accepted")
    with at(D(2025, 3, 6)):
        transfer = services.transfer_to_mediation(
            p, actor=cast.a_operator, on=D(2025, 3, 6), reason="邻里纠纷，宜调解"
        )
    p.refresh_from_db()
    assert transfer.kind == "to_mediation" and p.status == Status.ACCEPTED
    assert "petitions.to_mediation" in events(p)
    from django.apps import apps

    if apps.is_installed("fazhi.disputes"):  # the dispute is opened in the disputes app
        from fazhi.disputes.models import Dispute

        dispute = Dispute.objects.get(source_ref=p.receipt_no)
        assert dispute.source == "petition" and transfer.reference == dispute.number


# --- 评价 / 查询码 / 积案 -----------------------------------------------------------------------
def test_rating_only_after_service_and_only_once(cast, walk):
    p = walk("accepted")
    with at(D(2025, 3, 10)), pytest.raises(ValidationError) as exc:
        services.rate_petition(
            p, satisfaction="satisfied", channel="follow_up", actor=cast.a_operator
        )
    assert "送达后" in str(exc.value)
    p = walk("served")
    with at(D(2025, 4, 5)):
        p = services.rate_petition(
            p, satisfaction="satisfied", channel="follow_up", actor=cast.a_operator
        )
        assert (p.satisfaction, p.rated_on) == ("satisfied", D(2025, 4, 5))
        with pytest.raises(ValidationError) as exc:
            services.rate_petition(p, satisfaction="unsatisfied", channel="portal")
        assert "不能重复评价" in str(exc.value)


def test_rating_after_the_window_is_refused(cast, walk):
    p = walk("served", served=D(2025, 4, 2))
    with at(D(2025, 5, 7)), pytest.raises(ValidationError) as exc:
        services.rate_petition(p, satisfaction="satisfied", channel="portal")
    assert "评价期限" in str(exc.value)


def test_reissued_code_replaces_the_old_one(cast, walk):
    p = walk()
    old = p.test_code
    with at(D(2025, 3, 4)):
        new = services.reissue_code(p, actor=cast.a_operator)
    p.refresh_from_db()
    assert services.code_matches(p, new) and not services.code_matches(p, old)


def test_backlog_case_flag_progress_and_resolution(cast, walk, head):
    p = walk("accepted")
    with at(D(2025, 3, 10)):
        case = services.flag_backlog(
            p,
            actor=cast.a_operator,
            owner=head,
            flagged_on=D(2025, 3, 10),
            target_on=D(2025, 6, 30),
        )
        with pytest.raises(ValidationError):
            services.flag_backlog(
                p,
                actor=cast.a_operator,
                owner=head,
                flagged_on=D(2025, 3, 10),
                target_on=D(2025, 6, 30),
            )
        services.add_backlog_progress(
            case, actor=cast.a_operator, on=D(2025, 3, 10), note="包案领导约谈信访人"
        )
    with at(D(2025, 5, 1)):
        case = services.resolve_backlog(
            case, actor=cast.a_operator, on=D(2025, 5, 1), resolution="达成和解，息诉罢访"
        )
    assert case.status == "resolved" and case.progress.count() == 1
    with at(D(2025, 5, 2)), pytest.raises(ValidationError):
        services.resolve_backlog(case, actor=cast.a_operator, on=D(2025, 5, 2), resolution="again")


def test_editing_period_fields_after_acceptance_is_refused(cast, walk):
    p = walk("accepted")
    with pytest.raises(ValidationError) as exc:
        services.update_petition(
            p, {"received_on": D(2025, 3, 1)}, actor=cast.a_operator, expected_version=p.version
        )
    assert "收到日期" in str(exc.value)
    saved = services.update_petition(
        p, {"subject": "新摘要"}, actor=cast.a_operator, expected_version=p.version
    )
    assert saved.subject == "新摘要"


def test_new_receipt_date_recomputes_the_acceptance_period(cast, walk):
    p = walk(received=D(2025, 3, 3))
    services.update_petition(
        p, {"received_on": D(2025, 3, 1)}, actor=cast.a_operator, expected_version=p.version
    )
    p.refresh_from_db()
    assert p.acceptance_due_on == D(2025, 3, 17)
    assert deadlines_for(p).filter(
        rule_code="petitions.acceptance_notice", status="open"
    ).get().due_date == D(2025, 3, 17)


def test_only_registrations_may_be_deleted(cast, walk):
    p = walk("accepted")
    with pytest.raises(ValidationError):
        services.delete_petition(p, actor=cast.a_operator, expected_version=p.version)
    q = walk()
    services.delete_petition(q, actor=cast.a_operator, expected_version=q.version)
    assert not Petition.objects.filter(pk=q.pk).exists()
    assert (
        deadlines_for(q).get(rule_code="petitions.acceptance_notice").status
        == DeadlineStatus.CANCELLED
    )
