"""The 处理意见书 and its service (条例第三十二、三十四条), 复查 and 复核 (第三十五、三十六条), and
filing a concluded matter (终结归档)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from fazhi.core import deadlines, evidence_display
from fazhi.core.audit import record_change, record_event, snapshot
from fazhi.core.choices import ChangeAction
from fazhi.core.numbering import claim_number, next_number, taken_in
from fazhi.petitions import rules
from fazhi.petitions.choices import (
    Action,
    OpinionLevel,
    Outcome,
    ServiceMethod,
    Status,
)
from fazhi.petitions.models import (
    Petition,
    PetitionOpinion,
)
from fazhi.petitions.services._common import (
    OPINION_NUMBER_KIND,
    REGULATION,
    _begin,
    _check_day,
    _cn,
    _create,
    _evidence,
    _finish,
    _open,
    _required_text,
    _save,
    _Step,
    today,
    window_due,
)


# --- 处理意见书 / 送达 ---------------------------------------------------------------------------
def _opinion_fields(
    *,
    request: str,
    facts: str,
    outcome: str,
    decision: str,
    legal_basis: str,
) -> dict[str, str]:
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "请选择处理结论（支持、解释说明或不予支持）。"})
    return {
        "request": _required_text(request, "request", "信访请求"),
        "facts": _required_text(facts, "facts", "查明的事实和理由"),
        "outcome": outcome,
        "decision": _required_text(decision, "decision", "处理意见"),
        "legal_basis": _required_text(legal_basis, "legal_basis", "法律政策依据"),
    }


@transaction.atomic
def issue_opinion(
    petition: Petition,
    *,
    actor: Any,
    on: dt.date,
    request: str,
    facts: str,
    outcome: str,
    decision: str,
    legal_basis: str,
    number: str = "",
    issued_by: str = "",
) -> PetitionOpinion:
    """Issue the 信访处理意见书 (条例第三十一条第六项、第三十二条)."""
    step = _begin(petition, Action.ISSUE_OPINION, actor)
    p = step.petition
    on = _check_day(on, "on", "出具日期", not_before=p.accepted_on, not_before_label="受理日期")
    fields = _opinion_fields(
        request=request, facts=facts, outcome=outcome, decision=decision, legal_basis=legal_basis
    )
    if not number:
        _n, number = next_number(
            p.township,
            OPINION_NUMBER_KIND,
            year=on.year,
            taken=taken_in(PetitionOpinion, "number", p.township),
        )
    else:
        claim_number(p.township, OPINION_NUMBER_KIND, number)
    opinion = PetitionOpinion(
        township=p.township,
        petition=p,
        level=OpinionLevel.HANDLING,
        number=number,
        issued_by=(issued_by or f"{p.township.name}人民政府").strip(),
        issued_on=on,
        **fields,
    )
    _create(opinion, actor)
    _finish(
        step,
        "opinion_issued",
        f"出具信访处理意见书{number}（{Outcome(outcome).label}）",
        opinion=opinion.pk,
        outcome=outcome,
    )
    _evidence(p, "petitions.opinion_issued", _opinion_content(opinion), actor)
    return opinion


for _kind, _label in {
    "petitions.opinion_issued": "出具处理意见书",
    "petitions.opinion_served": "送达处理意见书",
    "petitions.handling_opinion": "处理意见",
    "petitions.review_opinion": "复查意见",
    "petitions.recheck_opinion": "复核意见",
}.items():
    evidence_display.register_kind(_kind, _label, PetitionOpinion)


def _opinion_content(opinion: PetitionOpinion) -> dict[str, Any]:
    return {
        "level": opinion.level,
        "number": opinion.number,
        "issued_by": opinion.issued_by,
        "issued_on": opinion.issued_on,
        "request": opinion.request,
        "facts": opinion.facts,
        "outcome": opinion.outcome,
        "decision": opinion.decision,
        "legal_basis": opinion.legal_basis,
        "served_on": opinion.served_on,
        "service_method": opinion.service_method,
    }


@transaction.atomic
def serve_opinion(
    petition: Petition, *, actor: Any, on: dt.date, method: str = ServiceMethod.DIRECT
) -> Petition:
    """Serve the 处理意见书: the matter is 办结 (条例第三十四条) and the petitioner's 30日
    window to request 复查 (第三十五条) and the rating window begin."""
    step = _begin(petition, Action.SERVE, actor)
    p = step.petition
    opinion = p.opinions.select_for_update().get(level=OpinionLevel.HANDLING)
    on = _check_day(on, "on", "送达日期", not_before=opinion.issued_on, not_before_label="出具日期")
    if method not in ServiceMethod.values:
        raise ValidationError({"method": "请选择送达方式。"})
    before = snapshot(opinion)
    opinion.served_on = on
    opinion.service_method = method
    _save(opinion, before, actor)
    p.concluded_on = on
    deadlines.complete_deadline(p, rules.HANDLING.code, on, actor=actor)
    p.review_request_due_on = window_due(p.township, rules.REVIEW_REQUEST.code, on)
    p.rating_due_on = window_due(p.township, rules.RATING_WINDOW.code, on)
    late = p.handling_due_on is not None and on > p.handling_due_on
    _finish(
        step,
        "served",
        f"处理意见书已{ServiceMethod(method).label}（{_cn(on)}），"
        f"{'逾期办结' if late else '按期办结'}；复查申请期限至{_cn(p.review_request_due_on)}",
        on=on,
        method=method,
        late=late,
    )
    _evidence(p, "petitions.opinion_served", _opinion_content(opinion), actor)
    return p


# --- 复查 / 复核 -----------------------------------------------------------------------------
def _request_review_level(
    petition: Petition,
    *,
    action: str,
    actor: Any,
    on: dt.date,
    body: str,
) -> Petition:
    review = action == Action.REQUEST_REVIEW
    label = "复查" if review else "复核"
    article = "第三十五条" if review else "第三十六条"
    step = _begin(petition, action, actor)
    p = step.petition
    body = _required_text(body, "body", f"{label}机关")
    if review:
        served = p.concluded_on
    else:
        served = p.opinions.get(level=OpinionLevel.REVIEW).served_on
    on = _check_day(on, "on", f"{label}申请日期", not_before=served, not_before_label="送达日期")
    due = p.review_request_due_on if review else p.recheck_request_due_on
    if due and on > due:
        raise ValidationError(
            {
                "on": (
                    f"{label}申请已超过30日期限（应于{_cn(due)}前提出，{REGULATION}{article}），"
                    f"不予登记。"
                )
            }
        )
    if review:
        p.review_requested_on, p.review_body = on, body
    else:
        p.recheck_requested_on, p.recheck_body = on, body
    reply_rule = rules.REVIEW_REPLY.code if review else rules.RECHECK_REPLY.code
    reply_due = _open(p, reply_rule, on, actor)
    return _finish(
        step,
        "review_requested" if review else "recheck_requested",
        f"信访人向{body}申请{label}（{_cn(on)}），{label}意见应于{_cn(reply_due)}前作出",
        on=on,
        body=body,
        reply_due=reply_due,
    )


def _record_review_level(
    petition: Petition,
    *,
    action: str,
    actor: Any,
    issued_on: dt.date,
    served_on: dt.date,
    request: str,
    facts: str,
    outcome: str,
    decision: str,
    legal_basis: str,
    number: str,
) -> tuple[_Step, PetitionOpinion, bool]:
    review = action == Action.RECORD_REVIEW
    label = "复查" if review else "复核"
    step = _begin(petition, action, actor)
    p = step.petition
    requested_on = p.review_requested_on if review else p.recheck_requested_on
    issued_on = _check_day(
        issued_on, "issued_on", f"{label}意见出具日期",
        not_before=requested_on, not_before_label=f"{label}申请日期",
    )  # fmt: skip
    served_on = _check_day(
        served_on, "served_on", f"{label}意见送达日期",
        not_before=issued_on, not_before_label="出具日期",
    )  # fmt: skip
    fields = _opinion_fields(
        request=request, facts=facts, outcome=outcome, decision=decision, legal_basis=legal_basis
    )
    opinion = PetitionOpinion(
        township=p.township,
        petition=p,
        level=OpinionLevel.REVIEW if review else OpinionLevel.RECHECK,
        number=(number or "").strip(),
        issued_by=p.review_body if review else p.recheck_body,
        issued_on=issued_on,
        served_on=served_on,
        service_method=ServiceMethod.DIRECT,
        **fields,
    )
    _create(opinion, actor)
    reply_rule = rules.REVIEW_REPLY.code if review else rules.RECHECK_REPLY.code
    deadline = deadlines.complete_deadline(p, reply_rule, served_on, actor=actor)
    late = deadline is not None and deadline.status == "done_late"
    _evidence(p, f"petitions.{opinion.level}_opinion", _opinion_content(opinion), actor)
    return step, opinion, late


@transaction.atomic
def request_review(petition: Petition, *, actor: Any, on: dt.date, body: str) -> Petition:
    """The petitioner asked the next higher level for 复查 (条例第三十五条)."""
    return _request_review_level(
        petition, action=Action.REQUEST_REVIEW, actor=actor, on=on, body=body
    )


@transaction.atomic
def record_review(
    petition: Petition,
    *,
    actor: Any,
    issued_on: dt.date,
    served_on: dt.date,
    request: str,
    facts: str,
    outcome: str,
    decision: str,
    legal_basis: str,
    number: str = "",
) -> PetitionOpinion:
    """Record the 复查意见 and open the petitioner's 30日 window for 复核 (第三十六条)."""
    step, opinion, late = _record_review_level(
        petition,
        action=Action.RECORD_REVIEW,
        actor=actor,
        issued_on=issued_on,
        served_on=served_on,
        request=request,
        facts=facts,
        outcome=outcome,
        decision=decision,
        legal_basis=legal_basis,
        number=number,
    )
    p = step.petition
    p.recheck_request_due_on = window_due(p.township, rules.RECHECK_REQUEST.code, served_on)
    _finish(
        step,
        "review_recorded",
        f"{p.review_body}作出复查意见（{Outcome(outcome).label}）"
        f"{'，超过30日答复期限' if late else ''}；复核申请期限至{_cn(p.recheck_request_due_on)}",
        opinion=opinion.pk,
        outcome=outcome,
        late=late,
    )
    return opinion


@transaction.atomic
def request_recheck(petition: Petition, *, actor: Any, on: dt.date, body: str) -> Petition:
    """The petitioner asked the level above the 复查 body for 复核 (条例第三十六条)."""
    return _request_review_level(
        petition, action=Action.REQUEST_RECHECK, actor=actor, on=on, body=body
    )


@transaction.atomic
def record_recheck(
    petition: Petition,
    *,
    actor: Any,
    issued_on: dt.date,
    served_on: dt.date,
    request: str,
    facts: str,
    outcome: str,
    decision: str,
    legal_basis: str,
    number: str = "",
) -> PetitionOpinion:
    """Record the 复核意见: the matter is concluded (终结); the same claim on the same facts is
    not accepted again (条例第三十六条)."""
    step, opinion, late = _record_review_level(
        petition,
        action=Action.RECORD_RECHECK,
        actor=actor,
        issued_on=issued_on,
        served_on=served_on,
        request=request,
        facts=facts,
        outcome=outcome,
        decision=decision,
        legal_basis=legal_basis,
        number=number,
    )
    p = step.petition
    p.closed_on = served_on
    p.close_note = "复核终结"
    _finish(
        step,
        "recheck_recorded",
        f"{p.recheck_body}作出复核意见（{Outcome(outcome).label}）"
        f"{'，超过30日答复期限' if late else ''}，信访事项终结",
        opinion=opinion.pk,
        outcome=outcome,
        late=late,
    )
    return opinion


# --- 终结归档 ---------------------------------------------------------------------------------
@transaction.atomic
def close_petition(petition: Petition, *, actor: Any, on: dt.date, note: str = "") -> Petition:
    """File a served matter as concluded: after the 复查 (or 复核) window lapsed, or earlier when
    the petitioner states in writing that they accept the answer (note required)."""
    step = _begin(petition, Action.CLOSE, actor)
    p = step.petition
    on = _check_day(on, "on", "归档日期", not_before=p.concluded_on, not_before_label="办结日期")
    window = p.review_request_due_on if p.status == Status.SERVED else p.recheck_request_due_on
    what = "复查" if p.status == Status.SERVED else "复核"
    note = (note or "").strip()
    if window and on <= window and not note:
        raise ValidationError(
            {
                "note": (
                    f"{what}申请期限至{_cn(window)}尚未届满；提前归档请注明信访人的书面意见"
                    f"（如：信访人表示服从处理意见、不再申请{what}）。"
                )
            }
        )
    p.closed_on = on
    p.close_note = (note or f"{what}申请期限届满未申请{what}")[:200]
    return _finish(step, "closed", f"终结归档：{p.close_note}", on=on)


def close_lapsed(today_: dt.date | None = None, *, actor: Any = None) -> int:
    """File every served / reviewed petition whose request window has lapsed (a daily job)."""
    day = today_ or today()
    done = 0
    lapsed = Petition.objects.filter(
        models.Q(status=Status.SERVED, review_request_due_on__lt=day)
        | models.Q(status=Status.REVIEWED, recheck_request_due_on__lt=day)
    )
    for pk in lapsed.values_list("pk", flat=True):
        with transaction.atomic():
            p = Petition.objects.select_for_update().get(pk=pk)
            if p.status not in (Status.SERVED, Status.REVIEWED):
                continue
            before = snapshot(p)
            what = "复查" if p.status == Status.SERVED else "复核"
            p.status = Status.CLOSED
            p.closed_on = day
            p.close_note = f"{what}申请期限届满未申请{what}"
            p.version += 1
            p.save()
            record_change(p, ChangeAction.UPDATE, before, snapshot(p), actor=actor)
            record_event(
                "petitions.closed",
                f"{p.receipt_no}：终结归档：{p.close_note}",
                township=p.township_id,
                actor=actor,
                obj=p,
                payload={"status": p.status, "on": day, "automatic": True},
            )
            done += 1
    return done
