"""The enforcement case procedure (行政处罚法 普通程序 and 简易程序) under the 三项制度.

立案 → 调查取证 (≥2 certified officers) → 告知 → 陈述申辩 / 听证 (request within 5 工作日, notice
7 工作日 before) → 法制审核 where required → 集体讨论 where required → 决定 (90日 from 立案,
extensions approved and recorded) → 送达 (7 工作日) → 执行 (15日; 3%/day late charge capped at the
fine) → 结案. Every verb runs in one transaction, checks the scope gate, locks the case, checks
the transition table (choices.CASE_TRANSITIONS), writes change records, events, deadlines and
the case's evidence chain (全过程记录). `actor=None` is the system (demo loader).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from fazhi.core import deadlines, evidence, numbering, scope
from fazhi.core.audit import record_change, record_event, snapshot
from fazhi.core.calendar import compute_due
from fazhi.core.choices import ChangeAction, DeadlineStatus, DeadlineUnit
from fazhi.core.models import Deadline
from fazhi.core.roles import ADD, CHANGE
from fazhi.core.rules import effective_rule
from fazhi.enforcement import choices as c
from fazhi.enforcement import legal_gate, rules
from fazhi.enforcement.models import (
    CaseFileReview,
    CaseRecord,
    Disclosure,
    EnforcementBody,
    EnforcementCase,
    LegalReview,
    Officer,
    Power,
)
from fazhi.enforcement.services import ensure_assignable

CASE_KIND = "执"
DECISION_KIND = "执罚决"


# --- helpers --------------------------------------------------------------------------------
def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _save(obj: models.Model, before: dict[str, Any] | None, actor: Any) -> None:
    obj.full_clean()
    if before is not None:
        obj.version += 1
    else:
        obj.created_by = _user(actor)
    obj.updated_by = _user(actor)
    obj.save()
    action = ChangeAction.UPDATE if before is not None else ChangeAction.CREATE
    record_change(obj, action, before, snapshot(obj), actor=actor)


def _event(kind: str, label: str, obj: models.Model, actor: Any, /, **payload: Any) -> None:
    record_event(kind, label, township=obj.township_id, actor=actor, obj=obj, payload=payload)


def _lock(case: EnforcementCase, actor: Any) -> EnforcementCase:
    if actor is not None:
        scope.ensure(actor, CHANGE, case)
    return EnforcementCase.objects.select_for_update().get(pk=case.pk)


def _transition(case: EnforcementCase, new: str) -> None:
    if new not in c.CASE_TRANSITIONS[case.status]:
        raise ValidationError(
            f"案件当前为“{c.CaseStatus(case.status).label}”，不能转为“{c.CaseStatus(new).label}”。"
        )
    case.status = new


def _not_before(on: dt.date, earliest: dt.date | None, field: str, what: str) -> None:
    if earliest is not None and on < earliest:
        raise ValidationError({field: f"日期不能早于{what}（{earliest:%Y-%m-%d}）。"})


def chain_of(case: EnforcementCase) -> str:
    return evidence.chain_name(case)


def _chain(case: EnforcementCase, kind: str, content: dict[str, Any], actor: Any, files=()) -> Any:
    return evidence.append(
        case.township_id, chain_of(case), kind, content, actor=actor, attachments=files
    )


def _open(case_or_child: Any, rule: Any, start: dt.date, actor: Any) -> Deadline:
    return deadlines.open_deadline(case_or_child, rule.code, start, actor=actor)


def _due(rule: Any, township: Any, start: dt.date) -> dt.date:
    effective = effective_rule(rule.code, township)
    return compute_due(start, effective.length, effective.unit)[0]


def redact_name(name: str, kind: str) -> str:
    """张三 → 张某; an organisation keeps its name (处罚决定公开 covers legal persons)."""
    name = (name or "").strip()
    if kind == c.PartyKind.ORGANISATION or not name:
        return name
    return f"{name[0]}某"


# --- filing ----------------------------------------------------------------------------------
@transaction.atomic
def file_case(
    *,
    township: Any,
    power: Power,
    body: EnforcementBody,
    handlers: Sequence[Officer],
    party_kind: str,
    party_name: str,
    cause: str,
    filed_on: dt.date,
    facts: str = "",
    party_id_number: str = "",
    party_address: str = "",
    public_interest: bool = False,
    complex_case: bool = False,
    actor: Any,
) -> EnforcementCase:
    """立案 with the case number, two certified handlers, the 90日 decision deadline and the
    first entry of the full-process record."""
    township_id = getattr(township, "pk", township)
    if actor is not None:
        scope.ensure_township(actor, ADD, township_id, EnforcementCase)
    if power.body_id != body.pk:
        raise ValidationError({"power": f"“{power.name}”由{power.body}实施，不属于所选执法主体。"})
    if not power.is_active or power.published_on is None:
        raise ValidationError({"power": "该事项不在已公布的权责清单中，不能立案。"})
    if filed_on > timezone.localdate():
        raise ValidationError({"filed_on": "立案日期不能晚于今天。"})
    ensure_assignable(handlers, filed_on, field="handlers")
    case = EnforcementCase(
        township_id=township_id,
        procedure=c.Procedure.ORDINARY,
        power=power,
        body=body,
        party_kind=party_kind,
        party_name=party_name.strip(),
        party_id_number=party_id_number.strip(),
        party_address=party_address.strip(),
        cause=cause.strip(),
        facts=facts.strip(),
        filed_on=filed_on,
        public_interest=public_interest,
        complex_case=complex_case,
    )
    _, case.number = numbering.next_number(township_id, CASE_KIND, year=filed_on.year)
    _save(case, None, actor)
    case.handlers.set(handlers)
    if actor is not None and not scope.visible(actor, case, ADD):
        raise PermissionDenied("保存后的记录超出您的权限范围，未保存。")
    _open(case, rules.DECISION, filed_on, actor)
    _chain(
        case,
        "立案",
        {
            "案件编号": case.number,
            "案由": case.cause,
            "立案日期": filed_on,
            "承办人员": [h.name for h in handlers],
            "执法事项": str(power),
        },
        actor,
    )
    _event("enforcement.case_filed", f"立案：{case.number}", case, actor)
    return case


# --- full-process record --------------------------------------------------------------------
def _is_av(attachment: Any) -> bool:
    mime = getattr(attachment, "mime_type", "") or ""
    return mime.startswith("audio/") or mime.startswith("video/")


@transaction.atomic
def record_step(
    case: EnforcementCase,
    *,
    step: str,
    form: str,
    occurred_at: dt.datetime,
    place: str,
    summary: str,
    attachments: Iterable[Any] = (),
    actor: Any,
) -> CaseRecord:
    """Append one entry to the full-process record: who, when, where, what, and the files'
    hashes. Steps that require audio/video cannot be recorded without an audio or video file."""
    locked = _lock(case, actor)
    if locked.status in (c.CaseStatus.CLOSED, c.CaseStatus.TERMINATED):
        raise ValidationError("案件已结案，不能再补充记录。")
    files = list(attachments)
    if any(getattr(f, "township_id", locked.township_id) != locked.township_id for f in files):
        raise ValidationError({"attachments": "附件不属于该乡镇。"})
    if step in c.AV_REQUIRED_STEPS and not any(_is_av(f) for f in files):
        raise ValidationError(
            {
                "attachments": f"“{c.RecordStep(step).label}”须全程音像记录，请上传录音或录像后再登记。"
            }
        )
    if form in (c.RecordForm.AUDIO, c.RecordForm.VIDEO) and not any(_is_av(f) for f in files):
        raise ValidationError({"attachments": "记录形式为录音或录像的，请上传相应文件。"})
    if not (summary or "").strip():
        raise ValidationError({"summary": "请填写记录内容。"})
    if not (place or "").strip():
        raise ValidationError({"place": "请填写地点。"})
    officers = "、".join(h.name for h in locked.handlers.all())
    record = CaseRecord(
        township_id=locked.township_id,
        case=locked,
        step=step,
        form=form,
        occurred_at=occurred_at,
        place=place.strip(),
        officers=officers[:120],
        summary=summary.strip(),
    )
    _save(record, None, actor)
    entry = _chain(
        locked,
        c.RecordStep(step).label,
        {
            "形式": c.RecordForm(form).label,
            "时间": occurred_at.isoformat(),
            "地点": record.place,
            "执法人员": officers,
            "内容": record.summary,
            "文件": [f.original_name for f in files],
        },
        actor,
        files,
    )
    record.evidence_seq = entry.seq
    CaseRecord.objects.filter(pk=record.pk).update(evidence_seq=entry.seq)
    _event("enforcement.case_recorded", f"全过程记录：{record}", locked, actor, step=step)
    return record


# --- notice, statement, hearing -------------------------------------------------------------
@transaction.atomic
def notify(
    case: EnforcementCase,
    *,
    notified_on: dt.date,
    proposed_penalty: str,
    fine_amount: Decimal | None = None,
    actor: Any,
) -> EnforcementCase:
    """告知 the proposed penalty, facts, reasons, basis and rights (Art. 44); the 5-工作日
    hearing-request period starts."""
    locked = _lock(case, actor)
    _transition(locked, c.CaseStatus.NOTIFIED)
    _not_before(notified_on, locked.filed_on, "notified_on", "立案日期")
    if not locked.records.filter(
        step__in=(c.RecordStep.INVESTIGATION, c.RecordStep.ON_SITE, c.RecordStep.SEIZURE)
    ).exists():
        raise ValidationError("尚无调查取证记录，不能告知（行政处罚法第四十二条、第五十五条）。")
    if not (proposed_penalty or "").strip():
        raise ValidationError({"proposed_penalty": "请填写拟作出的处罚。"})
    if fine_amount is not None and fine_amount < 0:
        raise ValidationError({"fine_amount": "罚款金额不能为负数。"})
    before = snapshot(locked)
    locked.notified_on = notified_on
    locked.proposed_penalty = proposed_penalty.strip()
    locked.fine_amount = fine_amount
    _save(locked, before, actor)
    deadlines.cancel_deadline(locked, rules.HEARING_REQUEST.code, actor=actor)  # re-notice
    _open(locked, rules.HEARING_REQUEST, notified_on, actor)
    _chain(
        locked,
        "告知",
        {
            "告知日期": notified_on,
            "拟处罚": locked.proposed_penalty,
            "罚款": str(fine_amount or ""),
        },
        actor,
    )
    _event("enforcement.case_notified", f"告知拟处罚：{locked.proposed_penalty}", locked, actor)
    return locked


@transaction.atomic
def record_statement(case: EnforcementCase, *, statement: str, actor: Any) -> EnforcementCase:
    """陈述申辩: heard and checked; a defence never leads to a heavier penalty (Art. 45)."""
    locked = _lock(case, actor)
    if locked.status not in (c.CaseStatus.NOTIFIED, c.CaseStatus.HEARING):
        raise ValidationError("告知后、决定前才能登记陈述申辩。")
    if not (statement or "").strip():
        raise ValidationError({"statement": "请填写当事人的陈述申辩意见。"})
    before = snapshot(locked)
    locked.statement = statement.strip()
    _save(locked, before, actor)
    _chain(locked, "陈述申辩", {"意见": locked.statement}, actor)
    _event("enforcement.case_statement", "登记陈述申辩", locked, actor)
    return locked


@transaction.atomic
def request_hearing(
    case: EnforcementCase,
    *,
    requested_on: dt.date,
    notice_on: dt.date,
    hearing_on: dt.date,
    actor: Any,
) -> EnforcementCase:
    """The party asks for a hearing within 5 工作日 of the notice; the time and place are
    notified at least 7 工作日 before it (Art. 64, 85)."""
    locked = _lock(case, actor)
    _transition(locked, c.CaseStatus.HEARING)
    request_deadline = (
        deadlines.deadlines_for(locked).filter(rule_code=rules.HEARING_REQUEST.code).first()
    )
    if request_deadline and requested_on > request_deadline.due_date:
        raise ValidationError(
            {
                "requested_on": f"听证申请期限已于{request_deadline.due_date:%Y-%m-%d}届满（告知后5个工作日）。"
            }
        )
    _not_before(requested_on, locked.notified_on, "requested_on", "告知日期")
    _not_before(notice_on, requested_on, "notice_on", "申请日期")
    earliest = _due(rules.HEARING_NOTICE, locked.township, notice_on)
    if hearing_on < earliest:
        raise ValidationError(
            {
                "hearing_on": f"须在听证七个工作日前通知当事人：{notice_on:%Y-%m-%d}通知的，听证不得早于{earliest:%Y-%m-%d}。"
            }
        )
    before = snapshot(locked)
    locked.hearing_requested_on, locked.hearing_on = requested_on, hearing_on
    _save(locked, before, actor)
    deadlines.complete_deadline(locked, rules.HEARING_REQUEST.code, requested_on, actor=actor)
    _chain(
        locked,
        "听证申请及通知",
        {"申请日期": requested_on, "通知日期": notice_on, "听证日期": hearing_on},
        actor,
    )
    _event("enforcement.hearing_scheduled", f"听证定于{hearing_on:%Y-%m-%d}", locked, actor)
    return locked


# --- legal review ----------------------------------------------------------------------------
@transaction.atomic
def submit_review(
    case: EnforcementCase, *, reviewer: Officer, submitted_on: dt.date, actor: Any
) -> LegalReview:
    """送法制审核: the reviewer must be a 法制审核人员 with the legal qualification, hold a valid
    certificate and not handle the case."""
    locked = _lock(case, actor)
    _transition(locked, c.CaseStatus.REVIEW)
    _not_before(submitted_on, locked.notified_on, "submitted_on", "告知日期")
    if reviewer.township_id != locked.township_id:
        raise ValidationError({"reviewer": "审核人员不属于该乡镇。"})
    if not (reviewer.is_legal_reviewer and reviewer.legal_qualification):
        raise ValidationError({"reviewer": f"{reviewer.name}不是具有法律职业资格的法制审核人员。"})
    if locked.handlers.filter(pk=reviewer.pk).exists():
        raise ValidationError({"reviewer": "法制审核人员不能是本案承办人员。"})
    before = snapshot(locked)
    _save(locked, before, actor)
    review = LegalReview(
        township_id=locked.township_id, case=locked, reviewer=reviewer, submitted_on=submitted_on
    )
    _save(review, None, actor)
    _open(review, rules.LEGAL_REVIEW, submitted_on, actor)
    if legal_gate.enabled():  # the township's legality review ledger (issue #11)
        legal_gate.open_review(locked, review, actor)
    _event("enforcement.review_submitted", f"送{reviewer.name}法制审核", locked, actor)
    return review


@transaction.atomic
def complete_review(
    review: LegalReview,
    *,
    reviewed_on: dt.date,
    points: dict[str, bool],
    opinion: str,
    passed: bool,
    actor: Any,
) -> LegalReview:
    """The reviewer's opinion on every review point; it goes onto the case's evidence chain.
    A failed review sends the case back to investigation."""
    case = _lock(review.case, actor)
    locked = LegalReview.objects.select_for_update().get(pk=review.pk)
    if locked.passed is not None:
        raise ValidationError("该法制审核已出具意见。")
    _not_before(reviewed_on, locked.submitted_on, "reviewed_on", "送审日期")
    missing = [label for key, label in rules.REVIEW_POINTS if key not in points]
    if missing:
        raise ValidationError({"points": f"请逐项审核：{'、'.join(missing)}。"})
    if passed and not all(points.values()):
        raise ValidationError({"passed": "有审核要点未通过的，不能出具“通过”意见。"})
    if not (opinion or "").strip():
        raise ValidationError({"opinion": "请填写审核意见。"})
    before = snapshot(locked)
    locked.reviewed_on, locked.points = reviewed_on, {k: bool(v) for k, v in points.items()}
    locked.opinion, locked.passed = opinion.strip(), passed
    _save(locked, before, actor)
    deadlines.complete_deadline(locked, rules.LEGAL_REVIEW.code, reviewed_on, actor=actor)
    _chain(
        case,
        "法制审核意见",
        {
            "审核人员": locked.reviewer.name,
            "审核日期": reviewed_on,
            "要点": {label: points[key] for key, label in rules.REVIEW_POINTS},
            "意见": locked.opinion,
            "结论": "通过" if passed else "不通过",
        },
        actor,
    )
    if legal_gate.enabled():
        legal_gate.mirror_conclusion(case, locked, actor)
    if not passed:
        case_before = snapshot(case)
        _transition(case, c.CaseStatus.FILED)
        case.notified_on = None
        _save(case, case_before, actor)
    _event(
        "enforcement.review_done",
        f"法制审核{'通过' if passed else '未通过，退回补充调查'}",
        case,
        actor,
        passed=passed,
    )
    return locked


def passed_review(case: EnforcementCase, on: dt.date | None = None) -> LegalReview | None:
    qs = case.reviews.filter(passed=True)
    if on is not None:
        qs = qs.filter(reviewed_on__lte=on)
    return qs.order_by("-reviewed_on").first()


# --- extension, decision, service, execution ------------------------------------------------
@transaction.atomic
def extend(
    case: EnforcementCase, *, days: int, approver: str, reason: str, actor: Any
) -> EnforcementCase:
    """Extend the 90日 decision period with the head's approval, recorded (Art. 60)."""
    locked = _lock(case, actor)
    if locked.status not in c.OPEN_STATUSES or locked.decided_on:
        raise ValidationError("已作出决定的案件不能延长办案期限。")
    if not (approver or "").strip():
        raise ValidationError({"approver": "延长办案期限须经行政机关负责人批准，请填写批准人。"})
    deadlines.extend_deadline(
        locked, rules.DECISION.code, days, DeadlineUnit.DAYS, actor=actor, reason=reason
    )
    before = snapshot(locked)
    locked.extension_days += days
    locked.extension_approver, locked.extension_reason = approver.strip(), reason.strip()
    _save(locked, before, actor)
    _chain(locked, "延长办案期限", {"延长天数": days, "批准人": approver, "理由": reason}, actor)
    _event("enforcement.case_extended", f"经{approver}批准延长{days}日", locked, actor)
    return locked


@transaction.atomic
def decide(
    case: EnforcementCase,
    *,
    decided_on: dt.date,
    outcome: str,
    decision: str,
    fine_amount: Decimal | None = None,
    discussed_on: dt.date | None = None,
    actor: Any,
) -> EnforcementCase:
    """作出决定. Refused without the notice, before a requested hearing is held, without a passed
    法制审核 where one is required (Art. 58), and without 集体讨论 for a complex case (Art. 57)."""
    locked = _lock(case, actor)
    _transition(locked, c.CaseStatus.DECIDED)
    _not_before(decided_on, locked.notified_on, "decided_on", "告知日期")
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": "决定日期不能晚于今天。"})
    if outcome not in c.Outcome.values:
        raise ValidationError({"outcome": "请选择处理决定。"})
    if not (decision or "").strip():
        raise ValidationError({"decision": "请填写决定内容（处罚种类、依据、履行方式和期限）。"})
    if locked.hearing_on and decided_on < locked.hearing_on:
        raise ValidationError(
            {"decided_on": f"听证（{locked.hearing_on:%Y-%m-%d}）结束前不能作出决定。"}
        )
    if fine_amount is not None:
        if fine_amount < 0:
            raise ValidationError({"fine_amount": "罚款金额不能为负数。"})
        if locked.fine_amount is not None and fine_amount > locked.fine_amount:
            raise ValidationError(
                {
                    "fine_amount": "决定的罚款不得高于告知的拟罚款（不得因陈述申辩加重处罚，第四十五条）。"
                }
            )
        locked.fine_amount = fine_amount
    window = (
        deadlines.deadlines_for(locked)
        .filter(rule_code=rules.HEARING_REQUEST.code, status=DeadlineStatus.OPEN)
        .first()
    )
    if window is not None and decided_on <= window.due_date:
        raise ValidationError(
            {
                "decided_on": f"听证申请期限{window.due_date:%Y-%m-%d}届满前不能作出决定（第六十四条）。"
            }
        )
    # the threshold in force at the decision, kept with it (a later change does not reach back)
    locked.major_fine_limit = rules.major_fine(locked.township, locked.party_kind)
    if locked.needs_review and legal_gate.enabled():
        legal_gate.check(locked, decided_on)  # the legal app's review (issue #11)
    elif locked.needs_review and passed_review(locked, decided_on) is None:
        reasons = "、".join(c.ReviewTrigger(t).label for t in locked.review_triggers())
        raise ValidationError(
            f"本案须经法制审核（{reasons}），未经审核或审核未通过的，不得作出决定。"
        )
    if locked.complex_case and not discussed_on:
        raise ValidationError(
            {"discussed_on": "情节复杂或重大违法行为须经负责人集体讨论决定，请填写集体讨论日期。"}
        )
    before = snapshot(locked)
    locked.decided_on, locked.outcome, locked.decision = decided_on, outcome, decision.strip()
    locked.discussed_on = discussed_on
    _, locked.decision_number = numbering.next_number(
        locked.township_id, DECISION_KIND, year=decided_on.year
    )
    _save(locked, before, actor)
    deadlines.complete_deadline(locked, rules.DECISION.code, decided_on, actor=actor)
    if window is not None:  # the period ran out without a request
        deadlines.cancel_deadline(locked, rules.HEARING_REQUEST.code, actor=actor)
    _open(locked, rules.SERVICE, decided_on, actor)
    _disclosure_for(locked, actor)
    _chain(
        locked,
        "决定",
        {
            "决定书文号": locked.decision_number,
            "决定日期": decided_on,
            "处理决定": c.Outcome(outcome).label,
            "内容": locked.decision,
            "罚款": str(locked.fine_amount or ""),
        },
        actor,
    )
    _event("enforcement.case_decided", f"作出决定{locked.decision_number}", locked, actor)
    return locked


def disclosure_rule(case: EnforcementCase) -> Any:
    if case.power.category in ("penalty", "licence"):
        return rules.DISCLOSURE_PENALTY
    return rules.DISCLOSURE_OTHER


def disclosure_text(case: EnforcementCase) -> tuple[str, str]:
    """The public title and body: the body, the (redacted) party, category, facts in brief,
    conclusion. Personal data (ID number, address, a person's full name) is removed."""
    party = redact_name(case.party_name, case.party_kind)
    decision = case.decision
    for secret in (
        case.party_name if case.party_kind == c.PartyKind.PERSON else "",
        case.party_id_number,
        case.party_address,
    ):
        if secret:
            decision = decision.replace(secret, party if secret == case.party_name else "＊＊")
    title = f"{case.body.name}{case.power.get_category_display()}决定（{case.decision_number}）"
    body = (
        f"执法机关：{case.body.name}\n执法对象：{party}\n执法类别：{case.power.get_category_display()}\n"
        f"案由：{case.cause}\n执法结论：{c.Outcome(case.outcome).label}。{decision}\n"
        f"决定日期：{case.decided_on:%Y年%m月%d日}"
    )
    return title, body


def _disclosure_for(case: EnforcementCase, actor: Any) -> Disclosure:
    rule = disclosure_rule(case)
    title, body = disclosure_text(case)
    disclosure = Disclosure(
        township_id=case.township_id,
        case=case,
        due_on=_due(rule, case.township, case.decided_on),
        title=title[:200],
        content=body,
    )
    _save(disclosure, None, actor)
    _open(disclosure, rule, case.decided_on, actor)
    return disclosure


@transaction.atomic
def publish(disclosure: Disclosure, *, published_on: dt.date, actor: Any) -> Disclosure:
    """Publish the redacted decision on the portal; late publication stays visible as late."""
    _lock(disclosure.case, actor)
    locked = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
    if locked.published_on:
        raise ValidationError("该决定已公示。")
    _not_before(published_on, locked.case.decided_on, "published_on", "决定日期")
    before = snapshot(locked)
    locked.published_on = published_on
    _save(locked, before, actor)
    deadlines.complete_deadline(
        locked, disclosure_rule(locked.case).code, published_on, actor=actor
    )
    late = published_on > locked.due_on
    _event(
        "enforcement.disclosed",
        f"公示决定{'（逾期）' if late else ''}",
        locked.case,
        actor,
        late=late,
    )
    return locked


@transaction.atomic
def withdraw(
    disclosure: Disclosure, *, changed_on: dt.date, withdrawn_on: dt.date, reason: str, actor: Any
) -> Disclosure:
    """Withdraw a published decision changed, revoked or found unlawful/void: within 3 工作日 of
    the change (Art. 48)."""
    _lock(disclosure.case, actor)
    locked = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
    if not locked.published_on or locked.withdrawn_on:
        raise ValidationError("只有已公示且未撤回的决定才能撤回。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写撤回原因（变更、撤销、确认违法或无效）。"})
    _not_before(changed_on, locked.published_on, "changed_on", "公示日期")
    _not_before(withdrawn_on, changed_on, "withdrawn_on", "决定变更日期")
    before = snapshot(locked)
    locked.withdrawal_due_on = _due(rules.WITHDRAWAL, locked.township, changed_on)
    locked.withdrawn_on, locked.withdrawal_reason = withdrawn_on, reason.strip()
    _save(locked, before, actor)
    late = withdrawn_on > locked.withdrawal_due_on
    _event(
        "enforcement.withdrawn",
        f"撤回公示{'（逾期）' if late else ''}：{reason}",
        locked.case,
        actor,
    )
    return locked


@transaction.atomic
def serve(case: EnforcementCase, *, served_on: dt.date, actor: Any) -> EnforcementCase:
    """送达 the decision (7 工作日 when the party was absent, Art. 61); the 15日 payment period
    starts for a fine."""
    locked = _lock(case, actor)
    _transition(locked, c.CaseStatus.SERVED)
    _not_before(served_on, locked.decided_on, "served_on", "决定日期")
    before = snapshot(locked)
    locked.served_on = served_on
    _save(locked, before, actor)
    deadlines.complete_deadline(locked, rules.SERVICE.code, served_on, actor=actor)
    if locked.outcome == c.Outcome.PENALTY and locked.fine_amount:
        _open(locked, rules.PAYMENT, served_on, actor)
    _chain(locked, "送达", {"送达日期": served_on}, actor)
    _event("enforcement.case_served", f"送达决定书（{served_on:%Y-%m-%d}）", locked, actor)
    return locked


def late_charge(fine: Decimal, due: dt.date, paid_on: dt.date) -> Decimal:
    """加处罚款: 3% of the fine per day after the due date, never more than the fine (Art. 72)."""
    days = max(0, (paid_on - due).days)
    charge = (fine * rules.LATE_RATE_PERCENT * days / 100).quantize(Decimal("0.01"))
    return min(charge, fine)


@transaction.atomic
def record_payment(
    case: EnforcementCase, *, paid_on: dt.date, amount: Decimal, actor: Any
) -> EnforcementCase:
    locked = _lock(case, actor)
    if locked.status != c.CaseStatus.SERVED:
        raise ValidationError("送达后才能登记履行。")
    _not_before(paid_on, locked.served_on, "paid_on", "送达日期")
    fine = locked.fine_amount or Decimal(0)
    due = deadlines.deadlines_for(locked).filter(rule_code=rules.PAYMENT.code).first()
    charge = late_charge(fine, due.due_date, paid_on) if due else Decimal(0)
    if amount < fine + charge:
        raise ValidationError(
            {"amount": f"应缴{fine + charge}元（罚款{fine}元，加处罚款{charge}元），实缴不足。"}
        )
    before = snapshot(locked)
    locked.paid_on, locked.paid_amount = paid_on, amount
    _save(locked, before, actor)
    if due:
        deadlines.complete_deadline(locked, rules.PAYMENT.code, paid_on, actor=actor)
    _chain(
        locked, "执行", {"缴款日期": paid_on, "金额": str(amount), "加处罚款": str(charge)}, actor
    )
    _event("enforcement.case_paid", f"履行完毕：缴款{amount}元", locked, actor)
    return locked


@transaction.atomic
def close(case: EnforcementCase, *, closed_on: dt.date, actor: Any) -> EnforcementCase:
    locked = _lock(case, actor)
    _transition(locked, c.CaseStatus.CLOSED)
    if locked.outcome == c.Outcome.PENALTY and locked.fine_amount and not locked.paid_on:
        raise ValidationError("罚款尚未缴纳，不能结案（可申请人民法院强制执行后结案）。")
    _not_before(closed_on, locked.served_on, "closed_on", "送达日期")
    before = snapshot(locked)
    locked.closed_on = closed_on
    _save(locked, before, actor)
    _chain(locked, "结案", {"结案日期": closed_on}, actor)
    _event("enforcement.case_closed", "结案", locked, actor)
    return locked


@transaction.atomic
def terminate(case: EnforcementCase, *, on: dt.date, reason: str, actor: Any) -> EnforcementCase:
    locked = _lock(case, actor)
    _transition(locked, c.CaseStatus.TERMINATED)
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写撤销立案或移送的理由。"})
    before = snapshot(locked)
    locked.closed_on = on
    _save(locked, before, actor)
    deadlines.cancel_deadline(locked, rules.DECISION.code, actor=actor)
    _chain(locked, "撤销立案/移送", {"日期": on, "理由": reason}, actor)
    _event("enforcement.case_terminated", f"撤销立案/移送：{reason}", locked, actor)
    return locked


# --- summary procedure ----------------------------------------------------------------------
@transaction.atomic
def summary_decision(
    *,
    township: Any,
    power: Power,
    body: EnforcementBody,
    handlers: Sequence[Officer],
    party_kind: str,
    party_name: str,
    cause: str,
    decided_on: dt.date,
    fine_amount: Decimal | None,
    decision: str,
    actor: Any,
) -> EnforcementCase:
    """当场处罚 (Art. 51–52): ≤200元 for a person, ≤3000元 for an organisation, or a warning;
    decided and served on the spot and filed with the body (备案)."""
    limit = (
        rules.SUMMARY_MAX_PERSON
        if party_kind == c.PartyKind.PERSON
        else rules.SUMMARY_MAX_ORGANISATION
    )
    if fine_amount is not None and fine_amount > limit:
        raise ValidationError({"fine_amount": f"简易程序罚款不得超过{limit}元，请适用普通程序。"})
    if power.category != c.PowerCategory.PENALTY:
        raise ValidationError({"power": "简易程序只适用于行政处罚事项。"})
    township_id = getattr(township, "pk", township)
    if actor is not None:
        scope.ensure_township(actor, ADD, township_id, EnforcementCase)
    ensure_assignable(handlers, decided_on, field="handlers")
    case = EnforcementCase(
        township_id=township_id,
        procedure=c.Procedure.SUMMARY,
        power=power,
        body=body,
        party_kind=party_kind,
        party_name=party_name.strip(),
        cause=cause.strip(),
        filed_on=decided_on,
        status=c.CaseStatus.SERVED,
        fine_amount=fine_amount,
        decided_on=decided_on,
        served_on=decided_on,
        outcome=c.Outcome.PENALTY,
        decision=decision.strip(),
    )
    _, case.number = numbering.next_number(township_id, CASE_KIND, year=decided_on.year)
    _, case.decision_number = numbering.next_number(
        township_id, DECISION_KIND, year=decided_on.year
    )
    _save(case, None, actor)
    case.handlers.set(handlers)
    if fine_amount:
        _open(case, rules.PAYMENT, decided_on, actor)
    _disclosure_for(case, actor)
    _chain(
        case,
        "当场处罚",
        {"决定书文号": case.decision_number, "罚款": str(fine_amount or ""), "内容": case.decision},
        actor,
    )
    _event("enforcement.summary_decided", f"当场作出处罚决定{case.decision_number}", case, actor)
    return case


# --- case-file review -----------------------------------------------------------------------
@transaction.atomic
def review_file(
    case: EnforcementCase,
    *,
    reviewed_on: dt.date,
    reviewer: str,
    scores: dict[str, Any],
    note: str = "",
    actor: Any,
) -> CaseFileReview:
    """案卷评查 with the configured checklist; passes at the configured total."""
    if actor is not None:
        scope.ensure(actor, CHANGE, case)
    if case.status not in (c.CaseStatus.CLOSED, c.CaseStatus.SERVED, c.CaseStatus.DECIDED):
        raise ValidationError("作出决定后的案卷才能评查。")
    if not (reviewer or "").strip():
        raise ValidationError({"reviewer": "请填写评查人。"})
    clean: dict[str, float] = {}
    for key, label, full in rules.file_review_checklist(case.township):
        try:
            value = float(scores.get(key, ""))
        except (TypeError, ValueError):
            raise ValidationError({"scores": f"“{label}”请填写0至{full}之间的分数。"}) from None
        if not 0 <= value <= full:
            raise ValidationError({"scores": f"“{label}”的分数须在0至{full}之间。"})
        clean[key] = value
    total = Decimal(str(sum(clean.values()))).quantize(Decimal("0.1"))
    review = CaseFileReview(
        township_id=case.township_id,
        case=case,
        reviewed_on=reviewed_on,
        reviewer=reviewer.strip(),
        scores=clean,
        total=total,
        passed=total >= rules.file_review_pass(case.township),
        note=note.strip(),
    )
    _save(review, None, actor)
    _event(
        "enforcement.file_reviewed",
        f"案卷评查{total}分（{'合格' if review.passed else '不合格'}）",
        case,
        actor,
    )
    return review
