"""The verbs of reconsideration, litigation and court judgments (REGULATIONS.md §13).

复议: 收到申请书副本 → 答复 (10 个工作日; 简易程序 5) → 决定 → 履行; a 行政复议意见书 opens the
60日 report-back. 诉讼: 收到起诉状副本 → 答辩 (15日) → 开庭 (负责人出庭 or the delegate and
reason, per hearing) → 裁判 (上诉期) → 履行. 生效裁判: obligations with a performance deadline;
performance is dated and its evidence appended to the evidence chain; refused / delayed / evaded
performance is computed from the dates and the court's notice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.core import deadlines, evidence, scope
from fazhi.core.calendar import compute_due
from fazhi.core.choices import DeadlineStatus
from fazhi.core.roles import ADD
from fazhi.core.rules import effective_rule
from fazhi.legal import rules
from fazhi.legal.choices import (
    CASE_TRANSITIONS,
    AppealDecision,
    CaseAction,
    CaseStatus,
    JudgmentResult,
    LitigationEndReason,
    LitigationSuspensionReason,
    Procedure,
    ReconsiderationDecision,
    SuspensionReason,
    TerminationReason,
    next_status,
)
from fazhi.legal.models import Judgment, Litigation, Reconsideration, ReviewRequest
from fazhi.legal.services import _create, _day, _event, _lock, _save, _text


def _due(township: Any, code: str, start: dt.date) -> dt.date:
    eff = effective_rule(code, township)
    return compute_due(start, eff.length, eff.unit)[0]


def _answer_rule(r: Reconsideration) -> str:
    return (
        rules.RECON_ANSWER_SIMPLE.code
        if r.procedure == Procedure.SIMPLE
        else rules.RECON_ANSWER.code
    )


def _check_review(review: ReviewRequest | None, obj: Any, kind: str) -> None:
    if review is not None and (review.township_id != obj.township_id or review.kind != kind):
        raise ValidationError({"review": "所选合法性审查不属于该乡镇或类别不符。"})


# --- 行政复议 ----------------------------------------------------------------------------------
def _new_case(model: Any, data: dict[str, Any], actor: Any, rule_code: Any, start_field: str,
              due_field: str) -> Any:  # fmt: skip
    data = dict(data)
    township = data.get("township")
    if township is None:
        raise ValidationError({"township": "请选择乡镇。"})
    if actor is not None:
        scope.ensure_township(actor, ADD, township.pk, model)
    obj = model(**data)
    start = _day(getattr(obj, start_field), start_field,
                 str(model._meta.get_field(start_field).verbose_name))  # fmt: skip
    code = rule_code(obj) if callable(rule_code) else rule_code
    setattr(obj, due_field, _due(township, code, start))
    _create(obj, actor)
    deadlines.open_deadline(obj, code, start, actor=actor)
    _event(obj, f"{model._meta.model_name}_received", f"{obj}：登记", actor)
    return obj


@transaction.atomic
def create_reconsideration(model: Any, data: dict[str, Any], *, actor: Any) -> Reconsideration:
    """登记: the answer deadline (10 / 5 个工作日) opens on 我的期限."""
    return _new_case(Reconsideration, data, actor, _answer_rule, "received_on", "answer_due_on")


RECONSIDERATION_FIELDS = ("applicant", "unit", "act", "body", "case_no", "procedure",
                          "received_on", "hearing_on", "head_attended", "delegate",
                          "delegate_reason", "letter_on", "reported_on")  # fmt: skip


def update_reconsideration(obj: Reconsideration, data: dict[str, Any], *, actor: Any,
                           expected_version: Any) -> Reconsideration:  # fmt: skip
    """Descriptive fields, the hearing attendance (第五十一条) and the 意见书: receiving the letter
    opens the 60日 report-back, the report completes it."""
    from fazhi.legal.services import guarded_update

    with transaction.atomic():
        before_letter, before_report = obj.letter_on, obj.reported_on
        if (
            "received_on" in data
            and data["received_on"] != obj.received_on
            and obj.status != CaseStatus.RECEIVED
        ):
            raise ValidationError({"received_on": "已答复的案件不能修改收到日期。"})
        saved = guarded_update(RECONSIDERATION_FIELDS)(obj, data, actor=actor,
                                                       expected_version=expected_version)  # fmt: skip
        code = rules.RECON_REPORT_BACK.code
        if saved.letter_on and not before_letter:
            deadlines.open_deadline(saved, code, saved.letter_on, actor=actor)
        if saved.reported_on and not before_report:
            deadlines.complete_deadline(saved, code, saved.reported_on, actor=actor)
        return saved


@transaction.atomic
def answer_reconsideration(r: Reconsideration, *, actor: Any, on: dt.date,
                           review: ReviewRequest | None = None) -> Reconsideration:  # fmt: skip
    r, before = _lock(r, actor)
    r.status = next_status(CASE_TRANSITIONS, r.status, CaseAction.ANSWER, CaseStatus, CaseAction)
    r.answered_on = _day(
        on, "on", "答复日期", not_before=r.received_on, not_before_label="收到日期"
    )
    _check_review(review, r, "reconsideration")
    r.review = review
    _save(r, before, actor)
    deadlines.complete_deadline(r, _answer_rule(r), r.answered_on, actor=actor)
    _event(r, "reconsideration_answered", f"{r}：提交书面答复", actor)
    return r


@transaction.atomic
def decide_reconsideration(
    r: Reconsideration, *, actor: Any, on: dt.date, decision: str
) -> Reconsideration:
    r, before = _lock(r, actor)
    r.status = next_status(CASE_TRANSITIONS, r.status, CaseAction.DECIDE, CaseStatus, CaseAction)
    if decision not in ReconsiderationDecision.values:
        raise ValidationError({"decision": "请选择复议决定。"})
    r.decision = decision
    r.decided_on = _day(on, "on", "决定日期", not_before=r.received_on, not_before_label="收到日期")
    _save(r, before, actor)
    _event(r, "reconsideration_decided", f"{r}：复议决定{r.get_decision_display()}", actor)
    return r


@transaction.atomic
def perform_reconsideration(
    r: Reconsideration, *, actor: Any, on: dt.date, note: str
) -> Reconsideration:
    r, before = _lock(r, actor)
    r.status = next_status(CASE_TRANSITIONS, r.status, CaseAction.PERFORM, CaseStatus, CaseAction)
    r.performed_on = _day(
        on, "on", "履行日期", not_before=r.decided_on, not_before_label="决定日期"
    )
    _save(r, before, actor)
    evidence.append(r.township_id, evidence.chain_name(r), "履行复议决定",
                    {"决定": r.get_decision_display(), "履行日期": r.performed_on,
                     "履行情况": _text(note, "note", "履行情况")}, actor=actor)  # fmt: skip
    _event(r, "reconsideration_performed", f"{r}：履行复议决定", actor)
    return r


# --- 中止 / 恢复 / 终止 (《行政复议法》第三十九条、第四十一条) -----------------------------------
#: the article the suspension and resumption rest on (text checked in the mirror REGULATIONS.md
#: names; the article itself is not quoted in REGULATIONS.md §13, see rules.SUSPENSION_NOTE)
SUSPENSION_BASIS = f"{rules.RECONSIDERATION_LAW}第三十九条"


def _case_rules(r: Reconsideration, status: str) -> list[str]:
    """The case's deadlines (answer, report-back) in `status`."""
    codes = [_answer_rule(r), rules.RECON_REPORT_BACK.code]
    return list(
        deadlines.deadlines_for(r)
        .filter(rule_code__in=codes, status=status)
        .values_list("rule_code", flat=True)
    )


@transaction.atomic
def suspend_reconsideration(r: Reconsideration, *, actor: Any, on: dt.date, reason: str,
                            note: str = "") -> Reconsideration:  # fmt: skip
    """中止: the 复议机关's notice of suspension, with the ground (第三十九条第一款); the running
    deadlines (answer, report-back) are paused: off 我的期限, no reminder, never overdue."""
    r, before = _lock(r, actor)
    if r.status not in (CaseStatus.RECEIVED, CaseStatus.ANSWERED):
        raise ValidationError(f"案件当前为“{r.get_status_display()}”，不能中止。")
    if reason not in SuspensionReason.values:
        raise ValidationError({"reason": "请选择中止情形。"})
    note = (note or "").strip()
    if reason == SuspensionReason.OTHER and not note:
        raise ValidationError({"note": "“其他”中止情形请填写说明。"})
    r.suspended_on = _day(on, "on", "中止日期", not_before=r.received_on,
                          not_before_label="收到日期")  # fmt: skip
    r.suspension_reason, r.suspension_note, r.resumed_on = reason, note[:200], None
    r.status = CaseStatus.SUSPENDED
    _save(r, before, actor)
    why = f"行政复议中止（{r.get_suspension_reason_display()}），{SUSPENSION_BASIS}"
    for code in _case_rules(r, DeadlineStatus.OPEN):
        deadlines.pause_deadline(r, code, r.suspended_on, actor=actor, reason=why)
    evidence.append(r.township_id, evidence.chain_name(r), "行政复议中止",
                    {"中止日期": r.suspended_on, "中止情形": r.get_suspension_reason_display(),
                     "说明": note}, actor=actor)  # fmt: skip
    _event(r, "reconsideration_suspended", f"{r}：中止（{r.get_suspension_reason_display()}）",
           actor)  # fmt: skip
    return r


@transaction.atomic
def resume_reconsideration(r: Reconsideration, *, actor: Any, on: dt.date) -> Reconsideration:
    """恢复审理 (第三十九条第二款): every paused deadline runs again from this day with the time it
    had left when the case was suspended (the suspended days do not count)."""
    r, before = _lock(r, actor)
    if r.status != CaseStatus.SUSPENDED:
        raise ValidationError(f"案件当前为“{r.get_status_display()}”，不是中止状态。")
    r.resumed_on = _day(on, "on", "恢复审理日期", not_before=r.suspended_on,
                        not_before_label="中止日期")  # fmt: skip
    days = (r.resumed_on - r.suspended_on).days
    r.suspended_days += days
    r.status = CaseStatus.ANSWERED if r.answered_on else CaseStatus.RECEIVED
    why = (
        f"行政复议自{r.suspended_on:%Y-%m-%d}中止至{r.resumed_on:%Y-%m-%d}恢复审理，"
        f"中止期间不计入期限（{SUSPENSION_BASIS}）"
    )
    for code in _case_rules(r, DeadlineStatus.PAUSED):
        moved = deadlines.resume_deadline(r, code, r.resumed_on, actor=actor, reason=why)
        if code == _answer_rule(r):
            r.answer_due_on = moved.due_date
    _save(r, before, actor)
    evidence.append(r.township_id, evidence.chain_name(r), "行政复议恢复审理",
                    {"恢复审理日期": r.resumed_on, "中止天数": days}, actor=actor)  # fmt: skip
    _event(r, "reconsideration_resumed", f"{r}：恢复审理（中止{days}日）", actor)
    return r


@transaction.atomic
def terminate_reconsideration(r: Reconsideration, *, actor: Any, on: dt.date, reason: str,
                              note: str = "") -> Reconsideration:  # fmt: skip
    """终止 (第四十一条): the 复议机关 ends the case (withdrawal …); the deadlines still running or
    paused are cancelled."""
    r, before = _lock(r, actor)
    if r.status not in (CaseStatus.RECEIVED, CaseStatus.ANSWERED, CaseStatus.SUSPENDED):
        raise ValidationError(f"案件当前为“{r.get_status_display()}”，不能终止。")
    if reason not in TerminationReason.values:
        raise ValidationError({"reason": "请选择终止情形。"})
    note = (note or "").strip()
    if reason == TerminationReason.OTHER and not note:
        raise ValidationError({"note": "“其他”终止情形请填写说明。"})
    if reason == TerminationReason.LONG_SUSPENSION:
        if r.status != CaseStatus.SUSPENDED or r.suspension_reason not in LONG_SUSPENSION_GROUNDS:
            raise ValidationError(
                {"reason": "只有因申请人死亡、丧失行为能力或法人终止而中止的案件，"
                           "才能以“中止满六十日”终止（第四十一条第五项）。"}
            )  # fmt: skip
        if (on - r.suspended_on).days < 60:
            raise ValidationError({"reason": "中止未满六十日，不能以此情形终止。"})
    r.decided_on = _day(on, "on", "终止日期", not_before=r.received_on,
                        not_before_label="收到日期")  # fmt: skip
    r.decision, r.termination_reason = ReconsiderationDecision.TERMINATED, reason
    r.status = CaseStatus.CLOSED
    _save(r, before, actor)
    for code in {*_case_rules(r, DeadlineStatus.OPEN), *_case_rules(r, DeadlineStatus.PAUSED)}:
        deadlines.cancel_deadline(r, code, actor=actor)
    evidence.append(r.township_id, evidence.chain_name(r), "行政复议终止",
                    {"终止日期": r.decided_on, "终止情形": r.get_termination_reason_display(),
                     "说明": note}, actor=actor)  # fmt: skip
    _event(r, "reconsideration_terminated", f"{r}：终止（{r.get_termination_reason_display()}）",
           actor)  # fmt: skip
    return r


# --- 行政诉讼 ----------------------------------------------------------------------------------
@transaction.atomic
def create_litigation(model: Any, data: dict[str, Any], *, actor: Any) -> Litigation:
    """登记: the 15日 defence deadline opens on 我的期限."""
    return _new_case(Litigation, data, actor, rules.LITIGATION_DEFENCE.code, "served_on",
                     "defence_due_on")  # fmt: skip


LITIGATION_FIELDS = ("plaintiff", "unit", "court", "case_no", "act", "served_on")


def update_litigation(obj: Litigation, data: dict[str, Any], *, actor: Any, expected_version: Any):
    from fazhi.legal.services import guarded_update

    if (
        "served_on" in data
        and data["served_on"] != obj.served_on
        and obj.status != CaseStatus.RECEIVED
    ):
        raise ValidationError({"served_on": "已答辩的案件不能修改收到日期。"})
    return guarded_update(LITIGATION_FIELDS)(
        obj, data, actor=actor, expected_version=expected_version
    )


@transaction.atomic
def defend_litigation(c: Litigation, *, actor: Any, on: dt.date,
                      review: ReviewRequest | None = None) -> Litigation:  # fmt: skip
    c, before = _lock(c, actor)
    c.status = next_status(CASE_TRANSITIONS, c.status, CaseAction.ANSWER, CaseStatus, CaseAction)
    c.defence_on = _day(on, "on", "答辩日期", not_before=c.served_on, not_before_label="收到日期")
    _check_review(review, c, "litigation")
    c.review = review
    _save(c, before, actor)
    deadlines.complete_deadline(c, rules.LITIGATION_DEFENCE.code, c.defence_on, actor=actor)
    _event(c, "litigation_defended", f"{c}：提交答辩状", actor)
    return c


@transaction.atomic
def judge_litigation(c: Litigation, *, actor: Any, on: dt.date, result: str) -> Litigation:
    c, before = _lock(c, actor)
    c.status = next_status(CASE_TRANSITIONS, c.status, CaseAction.DECIDE, CaseStatus, CaseAction)
    if result not in JudgmentResult.values:
        raise ValidationError({"result": "请选择裁判结果。"})
    if result == JudgmentResult.ENDED:
        raise ValidationError({"result": "诉讼终结请通过“登记诉讼终结”登记终结情形。"})
    c.result = result
    c.judged_on = _day(
        on, "on", "裁判送达日期", not_before=c.served_on, not_before_label="收到日期"
    )
    first_instance = not c.appeal_decision  # after an appeal the judgment is final (终审)
    window = first_instance and result not in NO_APPEAL_RESULTS
    c.appeal_due_on = _due(c.township, rules.APPEAL_WINDOW.code, c.judged_on) if window else None
    _save(c, before, actor)
    if window:  # the township's own decision whether to appeal, on 我的期限 with its reminder
        deadlines.open_deadline(c, rules.APPEAL_WINDOW.code, c.judged_on, actor=actor,
                                label=f"{c}：决定是否上诉（上诉期届满{c.appeal_due_on:%Y-%m-%d}）")  # fmt: skip
    _event(c, "litigation_judged", f"{c}：{c.get_result_display()}", actor)
    return c


#: 第四十一条第五项: "依照本法第三十九条第一款第一项、第二项、第四项的规定中止行政复议满六十日"
LONG_SUSPENSION_GROUNDS = frozenset(
    {SuspensionReason.APPLICANT_DIED, SuspensionReason.INCAPACITY, SuspensionReason.SUCCESSOR}
)

#: results after which there is no appeal window to watch (撤诉、调解: a ruling / a settlement)
NO_APPEAL_RESULTS = frozenset({JudgmentResult.WITHDRAWN, JudgmentResult.MEDIATED})


@transaction.atomic
def record_appeal(c: Litigation, *, actor: Any, on: dt.date, decision: str,
                  note: str = "") -> Litigation:  # fmt: skip
    """登记上诉情况: completes the appeal-window deadline; an appeal (by either side) returns the
    case to await the second-instance judgment, which is final."""
    c, before = _lock(c, actor)
    if c.status != CaseStatus.DECIDED or c.appeal_due_on is None or c.appeal_decision:
        raise ValidationError("该案件没有待登记的上诉情况（仅一审判决后登记）。")
    if decision not in AppealDecision.values:
        raise ValidationError({"decision": "请选择上诉情况。"})
    c.appeal_decided_on = _day(on, "on", "登记日期", not_before=c.judged_on,
                               not_before_label="裁判送达日期")  # fmt: skip
    if decision == AppealDecision.APPEAL and c.appeal_decided_on > c.appeal_due_on:
        raise ValidationError(
            {"on": f"上诉期已于{c.appeal_due_on:%Y-%m-%d}届满，不能登记本机关上诉。"}
        )
    c.appeal_decision = decision
    if decision != AppealDecision.NONE:
        c.status = CaseStatus.ANSWERED  # the second instance
    _save(c, before, actor)
    deadlines.complete_deadline(c, rules.APPEAL_WINDOW.code, c.appeal_decided_on, actor=actor)
    evidence.append(c.township_id, evidence.chain_name(c), "上诉情况",
                    {"一审裁判": c.get_result_display(), "上诉情况": c.get_appeal_decision_display(),
                     "登记日期": c.appeal_decided_on, "说明": (note or "").strip()},
                    actor=actor)  # fmt: skip
    _event(c, "litigation_appeal", f"{c}：{c.get_appeal_decision_display()}", actor)
    return c


@transaction.atomic
def perform_litigation(c: Litigation, *, actor: Any, on: dt.date, note: str) -> Litigation:
    c, before = _lock(c, actor)
    c.status = next_status(CASE_TRANSITIONS, c.status, CaseAction.PERFORM, CaseStatus, CaseAction)
    if c.appeal_due_on is not None and not c.appeal_decision:
        raise ValidationError("一审判决后请先登记上诉情况（是否上诉），再登记结案。")
    c.performed_on = _day(
        on, "on", "结案日期", not_before=c.judged_on, not_before_label="裁判送达日期"
    )
    _save(c, before, actor)
    _event(c, "litigation_closed", f"{c}：结案（{_text(note, 'note', '履行情况')}）", actor)
    return c


# --- 诉讼中止 / 恢复 / 终结 ---------------------------------------------------------------------
#: the court's rulings; 《行政诉讼法》第六十一条第二款 (one ground of 中止) and 第一百零一条 (中止诉讼、
#: 终结诉讼 follow 民事诉讼法); see rules.LITIGATION_SUSPENSION_NOTE for what is 待确认
LITIGATION_BASIS = "《行政诉讼法》第六十一条第二款、第一百零一条"
#: deadlines of a litigation that a suspension pauses and an end cancels
LITIGATION_RULES = (rules.LITIGATION_DEFENCE.code, rules.APPEAL_WINDOW.code)


def _lit_rules(c: Litigation, *statuses: str) -> list[str]:
    return list(
        deadlines.deadlines_for(c)
        .filter(rule_code__in=LITIGATION_RULES, status__in=statuses)
        .values_list("rule_code", flat=True)
    )


@transaction.atomic
def suspend_litigation(c: Litigation, *, actor: Any, on: dt.date, reason: str,
                       note: str = "") -> Litigation:  # fmt: skip
    """诉讼中止 (the court's ruling, before the judgment): the defence deadline, if still running,
    is paused (off 我的期限, never overdue) until the case resumes."""
    c, before = _lock(c, actor)
    if c.status not in (CaseStatus.RECEIVED, CaseStatus.ANSWERED):
        raise ValidationError(
            f"案件当前为“{c.get_status_display()}”，不能中止（裁判前方可登记中止诉讼）。"
        )
    if reason not in LitigationSuspensionReason.values:
        raise ValidationError({"reason": "请选择中止情形。"})
    note = (note or "").strip()
    if reason == LitigationSuspensionReason.OTHER and not note:
        raise ValidationError({"note": "“其他”中止情形请填写说明。"})
    c.suspended_on = _day(on, "on", "中止日期", not_before=c.served_on,
                          not_before_label="收到起诉状副本日期")  # fmt: skip
    c.suspension_reason, c.suspension_note, c.resumed_on = reason, note[:200], None
    c.status = CaseStatus.SUSPENDED
    _save(c, before, actor)
    why = f"行政诉讼中止（{c.get_suspension_reason_display()}），{LITIGATION_BASIS}"
    for code in _lit_rules(c, DeadlineStatus.OPEN):
        deadlines.pause_deadline(c, code, c.suspended_on, actor=actor, reason=why)
    evidence.append(c.township_id, evidence.chain_name(c), "行政诉讼中止",
                    {"中止日期": c.suspended_on, "中止情形": c.get_suspension_reason_display(),
                     "说明": note}, actor=actor)  # fmt: skip
    _event(c, "litigation_suspended", f"{c}：中止诉讼（{c.get_suspension_reason_display()}）",
           actor)  # fmt: skip
    return c


@transaction.atomic
def resume_litigation(c: Litigation, *, actor: Any, on: dt.date) -> Litigation:
    """恢复诉讼: the paused deadline runs again with the time it had left."""
    c, before = _lock(c, actor)
    if c.status != CaseStatus.SUSPENDED:
        raise ValidationError(f"案件当前为“{c.get_status_display()}”，不是中止状态。")
    c.resumed_on = _day(on, "on", "恢复诉讼日期", not_before=c.suspended_on,
                        not_before_label="中止日期")  # fmt: skip
    days = (c.resumed_on - c.suspended_on).days
    c.suspended_days += days
    c.status = CaseStatus.ANSWERED if c.defence_on else CaseStatus.RECEIVED
    why = (
        f"行政诉讼自{c.suspended_on:%Y-%m-%d}中止至{c.resumed_on:%Y-%m-%d}恢复，"
        f"中止期间不计入期限（{LITIGATION_BASIS}；待确认）"
    )
    for code in _lit_rules(c, DeadlineStatus.PAUSED):
        moved = deadlines.resume_deadline(c, code, c.resumed_on, actor=actor, reason=why)
        if code == rules.LITIGATION_DEFENCE.code:
            c.defence_due_on = moved.due_date
    _save(c, before, actor)
    evidence.append(c.township_id, evidence.chain_name(c), "行政诉讼恢复",
                    {"恢复诉讼日期": c.resumed_on, "中止天数": days}, actor=actor)  # fmt: skip
    _event(c, "litigation_resumed", f"{c}：恢复诉讼（中止{days}日）", actor)
    return c


@transaction.atomic
def end_litigation(c: Litigation, *, actor: Any, on: dt.date, reason: str,
                   note: str = "") -> Litigation:  # fmt: skip
    """诉讼终结 (the court's ruling, before the judgment): the case closes as 诉讼终结 — not a
    judgment against the township, no appeal window, nothing to perform; the running or paused
    deadlines are cancelled."""
    c, before = _lock(c, actor)
    if c.status not in (CaseStatus.RECEIVED, CaseStatus.ANSWERED, CaseStatus.SUSPENDED):
        raise ValidationError(
            f"案件当前为“{c.get_status_display()}”，不能终结（裁判前方可登记诉讼终结）。"
        )
    if reason not in LitigationEndReason.values:
        raise ValidationError({"reason": "请选择终结情形。"})
    note = (note or "").strip()
    if reason == LitigationEndReason.OTHER and not note:
        raise ValidationError({"note": "“其他”终结情形请填写说明。"})
    c.judged_on = _day(on, "on", "终结日期", not_before=c.served_on,
                       not_before_label="收到起诉状副本日期")  # fmt: skip
    c.result, c.end_reason, c.appeal_due_on = JudgmentResult.ENDED, reason, None
    c.status = CaseStatus.CLOSED
    _save(c, before, actor)
    for code in _lit_rules(c, DeadlineStatus.OPEN, DeadlineStatus.PAUSED):
        deadlines.cancel_deadline(c, code, actor=actor)
    evidence.append(c.township_id, evidence.chain_name(c), "行政诉讼终结",
                    {"终结日期": c.judged_on, "终结情形": c.get_end_reason_display(),
                     "说明": note}, actor=actor)  # fmt: skip
    _event(c, "litigation_ended", f"{c}：诉讼终结（{c.get_end_reason_display()}）", actor)
    return c


# --- 生效裁判履行 -----------------------------------------------------------------------------
@transaction.atomic
def create_judgment(model: Any, data: dict[str, Any], *, actor: Any) -> Judgment:
    """登记: the performance deadline (the judgment's own, else the default) opens."""
    data = dict(data)
    township = data.get("township")
    if township is None:
        raise ValidationError({"township": "请选择乡镇。"})
    if actor is not None:
        scope.ensure_township(actor, ADD, township.pk, Judgment)
    j = Judgment(**data)
    _day(j.effective_on, "effective_on", "生效日期")
    if j.perform_due_on is None:
        j.perform_due_on = _due(township, rules.JUDGMENT_PERFORMANCE.code, j.effective_on)
    _create(j, actor)
    deadlines.open_deadline(j, rules.JUDGMENT_PERFORMANCE.code, j.effective_on, actor=actor,
                            label=f"{j}：履行生效裁判（履行期限{j.perform_due_on:%Y-%m-%d}）")  # fmt: skip
    _event(j, "judgment_registered", f"{j}：登记生效裁判", actor)
    return j


JUDGMENT_FIELDS = ("kind", "court", "case_no", "litigation", "effective_on", "obligations",
                   "perform_due_on", "court_finding")  # fmt: skip


def update_judgment(obj: Judgment, data: dict[str, Any], *, actor: Any, expected_version: Any):
    from fazhi.legal.services import guarded_update

    return guarded_update(JUDGMENT_FIELDS)(
        obj, data, actor=actor, expected_version=expected_version
    )


@transaction.atomic
def perform_judgment(j: Judgment, *, actor: Any, on: dt.date, note: str) -> Judgment:
    """履行完毕: dated, with the evidence appended to the judgment's evidence chain."""
    j, before = _lock(j, actor)
    if j.performed_on:
        raise ValidationError("该裁判已登记履行完毕。")
    j.performed_on = _day(on, "on", "履行完毕日期", not_before=j.effective_on,
                          not_before_label="生效日期")  # fmt: skip
    j.performance_note = _text(note, "note", "履行情况及证据")
    _save(j, before, actor)
    deadlines.complete_deadline(j, rules.JUDGMENT_PERFORMANCE.code, j.performed_on, actor=actor)
    evidence.append(j.township_id, evidence.chain_name(j), "履行生效裁判",
                    {"案号": j.case_no, "义务": j.obligations, "履行完毕日期": j.performed_on,
                     "履行期限": j.perform_due_on, "履行情况及证据": j.performance_note},
                    actor=actor)  # fmt: skip
    _event(j, "judgment_performed", f"{j}：履行完毕", actor)
    return j
