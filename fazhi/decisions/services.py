"""The steps of a major administrative decision, each a gate that refuses a skipped step and
names the missing item in Chinese (《重大行政决策程序暂行条例》第十条至第三十七条).

启动 → 公众参与 (≥30日 unless a reason; hearing materials 7日 before; comments summarised, the
adoption of each recorded) → 专家论证 / 风险评估 where required → 合法性审查 (legal app, ≥7 个工作日,
the advisor's opinion) → 集体讨论决定 (会前学法, minutes, dissent, the head speaks last) → 公布 →
执行 → 决策后评估 (optional) → 归档 (completeness check of the whole file).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fazhi.core import evidence
from fazhi.decisions import rules
from fazhi.decisions.choices import ORDER, Adoption, Outcome, Status
from fazhi.decisions.models import Decision, PublicComment
from fazhi.legal import services as legal_services
from fazhi.legal.choices import PASSING, ReviewKind, ReviewStatus
from fazhi.legal.services import _create, _day, _event, _lock, _save, _text, guarded_update

EDITABLE_FIELDS = ("title", "year", "catalogue", "outside_reason", "lead_unit", "draft", "options",
                   "expert_required", "risk_required", "executing_unit", "adjustment_kind",
                   "adjusts")  # fmt: skip
_update_fields = guarded_update(EDITABLE_FIELDS)


def update_decision(obj: Decision, data: dict[str, Any], *, actor: Any,
                    expected_version: int | None) -> Decision:  # fmt: skip
    """The descriptive fields; which decision an adjustment changes or stops (条例第三十七条) is
    fixed once its procedure has gone past 启动."""
    if obj.status != Status.DRAFTING:
        for name in ("adjustment_kind", "adjusts"):
            if name not in data:
                continue
            value = data[name]
            new = value.pk if hasattr(value, "pk") else value
            old = getattr(obj, Decision._meta.get_field(name).attname)
            if (new or None) != (old or None):
                label = Decision._meta.get_field(name).verbose_name
                raise ValidationError({name: f"决策程序启动后不能修改“{label}”。"})
    return _update_fields(obj, data, actor=actor, expected_version=expected_version)


def _refuse(missing: list[str], step: str) -> None:
    if missing:
        raise ValidationError(f"不能进入“{step}”：" + "；".join(missing) + "。")


def _at(d: Decision, *allowed: str, step: str) -> None:
    if d.status not in allowed:
        names = "、".join(Status(s).label for s in allowed)
        raise ValidationError(
            f"不能进入“{step}”：当前环节为“{d.get_status_display()}”，应在“{names}”环节办理。"
        )


def _evidence(d: Decision, kind: str, content: dict[str, Any], actor: Any) -> None:
    evidence.append(d.township_id, evidence.chain_name(d), kind, content, actor=actor)


@transaction.atomic
def open_comment(d: Decision, *, actor: Any, start: dt.date, end: dt.date,
                 short_reason: str = "") -> Decision:  # fmt: skip
    """公众参与: the draft is published for comment; ≥30日 unless the reason is stated."""
    d, before = _lock(d, actor)
    _at(d, Status.DRAFTING, step="公众参与")
    missing = []
    if not (d.draft or "").strip():
        missing.append("缺少决策草案及说明")
    if d.lead_unit_id is None:
        missing.append("未确定决策承办单位")
    _refuse(missing, "公众参与")
    if start is None or end is None or end < start:
        raise ValidationError({"end": "请填写征求意见起止日期，止日不能早于起日。"})
    days = (end - start).days + 1
    reason = (short_reason or "").strip()
    if days < rules.COMMENT_PERIOD.length and not reason:
        raise ValidationError(
            {
                "short_reason": f"征求意见期限为{days}日，少于30日，须说明缩短期限的理由（条例第十五条）。"
            }
        )
    d.comment_start, d.comment_end, d.comment_short_reason = start, end, reason[:200]
    d.status = Status.CONSULTING
    _save(d, before, actor)
    _event(d, "comment_opened", f"{d}：公开征求意见（{start:%Y-%m-%d}至{end:%Y-%m-%d}）", actor)
    return d


@transaction.atomic
def record_hearing(
    d: Decision, *, actor: Any, hearing_on: dt.date, materials_on: dt.date
) -> Decision:
    d, before = _lock(d, actor)
    _at(d, Status.CONSULTING, step="听证会")
    if materials_on is None or hearing_on is None:
        raise ValidationError({"materials_on": "请填写听证会日期和材料送达日期。"})
    if (hearing_on - materials_on).days < 7:
        raise ValidationError(
            {"materials_on": "听证材料应当于听证会7日前送达听证参加人（条例第十六条）。"}
        )
    d.hearing_on, d.hearing_materials_on = hearing_on, materials_on
    _save(d, before, actor)
    _event(d, "hearing", f"{d}：听证会", actor)
    return d


def submit_public_comment(d: Decision, *, content: str, name: str = "", contact: str = "",
                          channel: str = "portal", on: dt.date | None = None,
                          actor: Any = None) -> PublicComment:  # fmt: skip
    """A comment from the portal (no login) or entered by a clerk: only while the period runs."""
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=d.pk)
        on = on or timezone.localdate()
        if locked.status != Status.CONSULTING or not (
            locked.comment_start <= on <= locked.comment_end
        ):
            raise ValidationError("该决策草案不在征求意见期内。")
        comment = PublicComment(township_id=locked.township_id, decision=locked, channel=channel,
                                submitted_on=on, name=(name or "")[:50], contact=(contact or "")[:50],
                                content=_text(content, "content", "意见内容")[:5000])  # fmt: skip
        _create(comment, actor)
        return comment


@transaction.atomic
def record_adoption(
    comment: PublicComment, *, actor: Any, adoption: str, reply: str
) -> PublicComment:
    c, before = _lock(comment, actor)
    if adoption not in (Adoption.ADOPTED, Adoption.PARTLY, Adoption.NOT_ADOPTED):
        raise ValidationError({"adoption": "请选择采纳情况。"})
    c.adoption, c.reply = adoption, _text(reply, "reply", "采纳或不采纳的理由")
    _save(c, before, actor)
    return c


@transaction.atomic
def close_comment(d: Decision, *, actor: Any, summary: str) -> Decision:
    d, before = _lock(d, actor)
    _at(d, Status.CONSULTING, step="意见汇总")
    missing = []
    if d.comment_end and timezone.localdate() <= d.comment_end:
        missing.append(f"征求意见期至{d.comment_end:%Y-%m-%d}尚未届满")
    pending = d.comments.filter(adoption="").count()
    if pending:
        missing.append(f"尚有{pending}条公众意见未记录采纳情况")
    if not (summary or "").strip():
        missing.append("缺少意见采纳情况汇总")
    _refuse(missing, "专家论证、风险评估")
    d.comments_summary = summary.strip()
    d.status = Status.ARGUING
    _save(d, before, actor)
    _evidence(d, "公众参与", {"征求意见": f"{d.comment_start}至{d.comment_end}",
                           "意见条数": d.comments.count(), "采纳情况汇总": d.comments_summary}, actor)  # fmt: skip
    return d


@transaction.atomic
def record_expert(d: Decision, *, actor: Any, on: dt.date, opinion: str) -> Decision:
    d, before = _lock(d, actor)
    _at(d, Status.ARGUING, step="专家论证")
    d.expert_on = _day(on, "on", "专家论证日期")
    d.expert_opinion = _text(opinion, "opinion", "专家论证意见")
    _save(d, before, actor)
    _evidence(d, "专家论证", {"日期": d.expert_on, "意见": d.expert_opinion}, actor)
    return d


@transaction.atomic
def record_risk(d: Decision, *, actor: Any, on: dt.date, report: str) -> Decision:
    d, before = _lock(d, actor)
    _at(d, Status.ARGUING, step="风险评估")
    d.risk_on = _day(on, "on", "风险评估日期")
    d.risk_report = _text(report, "report", "风险评估报告")
    _save(d, before, actor)
    _evidence(d, "风险评估", {"日期": d.risk_on, "报告": d.risk_report}, actor)
    return d


@transaction.atomic
def send_for_review(d: Decision, *, actor: Any, on: dt.date, reviewer: Any = None,
                    advisor: Any = None, reviewer_kind: str = "joint") -> Decision:  # fmt: skip
    """合法性审查: mandatory before discussion; the legal app's review (≥7 个工作日, advisor)."""
    d, before = _lock(d, actor)
    _at(d, Status.ARGUING, step="合法性审查")
    missing = []
    if d.expert_required and not d.expert_opinion:
        missing.append("本事项需专家论证，缺少专家论证意见")
    if d.risk_required and not d.risk_report:
        missing.append("本事项需风险评估，缺少风险评估报告")
    _refuse(missing, "合法性审查")
    d.review = legal_services.submit_review(
        d.township, kind=ReviewKind.MAJOR_DECISION, title=d.title, submitted_on=on, actor=actor,
        unit=d.lead_unit, reviewer_kind=reviewer_kind, reviewer=reviewer, advisor=advisor,
        materials="决策草案、公众意见采纳情况、专家论证意见、风险评估报告",
    )  # fmt: skip
    d.status = Status.REVIEWING
    _save(d, before, actor)
    return d


def attach_review(d: Decision, review: Any, *, actor: Any) -> Decision:
    """Link a legality review entered in the legal app (demo, import)."""
    with transaction.atomic():
        d, before = _lock(d, actor)
        _at(d, Status.ARGUING, step="合法性审查")
        if review.kind != ReviewKind.MAJOR_DECISION or review.township_id != d.township_id:
            raise ValidationError({"review": "所选审查不是本镇的重大行政决策合法性审查。"})
        d.review, d.status = review, Status.REVIEWING
        return _save(d, before, actor)


def _governance_installed() -> bool:
    from django.apps import apps

    return apps.is_installed("fazhi.governance")


@transaction.atomic
def discuss(d: Decision, *, actor: Any, meeting_on: dt.date, meeting_kind: str, minutes: str,
            head: Any, head_spoke_last: bool, outcome: str, dissent: str = "",
            head_explanation: str = "", study: Any = None) -> Decision:  # fmt: skip
    """集体讨论决定: refused before a passing legality review with the advisor's opinion, without
    会前学法 (when the governance app keeps study records), minutes, or the head speaking last."""
    d, before = _lock(d, actor)
    _at(d, Status.REVIEWING, Status.DISCUSSION, step="集体讨论决定")
    r = d.review
    missing = []
    if r is None or r.status != ReviewStatus.CONCLUDED:
        missing.append("合法性审查尚未出具意见")
    elif r.outcome not in PASSING:
        missing.append("合法性审查结论为“不予通过”")
    elif not r.advisor_opinion:
        missing.append("合法性审查缺少法律顾问意见")
    elif meeting_on and r.opinion_on > meeting_on:
        missing.append("集体讨论日期早于合法性审查意见")
    if _governance_installed():
        if study is None:
            missing.append("缺少会前学法记录")
        elif study.township_id != d.township_id or (meeting_on and study.held_on > meeting_on):
            missing.append("会前学法记录不属于本镇或晚于会议")
    if not (minutes or "").strip():
        missing.append("缺少会议纪要")
    if head is None:
        missing.append("未载明作出决定的行政首长")
    if not head_spoke_last:
        missing.append("行政首长应当最后发言并作出决定（条例第三十条）")
    if outcome not in Outcome.values:
        missing.append("未载明决定")
    _refuse(missing, "集体讨论决定")
    d.meeting_on = _day(meeting_on, "meeting_on", "集体讨论日期")
    d.meeting_kind, d.minutes, d.dissent = meeting_kind, minutes.strip(), (dissent or "").strip()
    d.head, d.outcome, d.head_explanation, d.study = (
        head,
        outcome,
        (head_explanation or "").strip(),
        study,
    )
    d.status = Status.DECIDED if outcome in (Outcome.ADOPTED, Outcome.MODIFIED) else Status.DROPPED
    _save(d, before, actor)
    _evidence(d, "集体讨论决定", {"会议": d.get_meeting_kind_display(), "日期": d.meeting_on,
                              "纪要": d.minutes, "不同意见": d.dissent, "行政首长": str(head),
                              "决定": d.get_outcome_display()}, actor)  # fmt: skip
    return d


@transaction.atomic
def publish(d: Decision, *, actor: Any, on: dt.date, channel: str, adoption_note: str,
            party_reported_on: dt.date | None = None) -> Decision:  # fmt: skip
    """公布 (条例第三十二条), refused before the decision was reported to the same-level Party
    committee (第三十一条: 出台前按照规定向同级党委请示报告)."""
    d, before = _lock(d, actor)
    _at(d, Status.DECIDED, step="公布")
    if party_reported_on in (None, ""):
        _refuse(["缺少向同级党委请示报告的日期（条例第三十一条）"], "公布")
    d.party_reported_on = _day(
        party_reported_on, "party_reported_on", "向同级党委请示报告日期",
        not_before=d.meeting_on, not_before_label="决定日期",
    )  # fmt: skip
    d.published_on = _day(
        on, "on", "公布日期", not_before=d.party_reported_on,
        not_before_label="向同级党委请示报告日期",
    )  # fmt: skip
    d.publish_channel = _text(channel, "channel", "公布途径")[:100]
    d.adoption_note = _text(adoption_note, "adoption_note", "公众、专家意见采纳情况说明")
    d.status = Status.PUBLISHED
    _save(d, before, actor)
    return d


@transaction.atomic
def record_progress(d: Decision, *, actor: Any, progress: str) -> Decision:
    d, before = _lock(d, actor)
    _at(d, Status.PUBLISHED, Status.EXECUTING, step="执行")
    if d.executing_unit_id is None:
        raise ValidationError({"executing_unit": "不能进入“执行”：未确定决策执行单位。"})
    d.progress = _text(progress, "progress", "执行情况")
    d.status = Status.EXECUTING
    return _save(d, before, actor)


@transaction.atomic
def evaluate(d: Decision, *, actor: Any, on: dt.date, evaluation: str) -> Decision:
    d, before = _lock(d, actor)
    _at(d, Status.EXECUTING, step="决策后评估")
    d.evaluated_on = _day(
        on, "on", "后评估日期", not_before=d.published_on, not_before_label="公布日期"
    )
    d.evaluation = _text(evaluation, "evaluation", "后评估报告")
    d.status = Status.EVALUATED
    _save(d, before, actor)
    _evidence(d, "决策后评估", {"日期": d.evaluated_on, "报告": d.evaluation}, actor)
    return d


@transaction.atomic
def suspend_execution(d: Decision, *, actor: Any, on: dt.date, head: Any,
                      reason: str) -> Decision:  # fmt: skip
    """中止执行 (条例第三十七条): a decision is not changed or stopped without procedure; in an
    emergency the head of the government may first decide to suspend it. A major adjustment
    goes through the procedure again (a new decision)."""
    d, before = _lock(d, actor)
    _at(d, Status.PUBLISHED, Status.EXECUTING, step="中止执行")
    if head is None:
        raise ValidationError(
            {"head": "中止执行须由行政首长决定，请选择行政首长（条例第三十七条）。"}
        )
    if head.township_id != d.township_id:
        raise ValidationError({"head": "所选行政首长不属于该乡镇。"})
    d.suspended_on = _day(on, "on", "中止执行日期", not_before=d.published_on,
                          not_before_label="公布日期")  # fmt: skip
    d.suspended_by = head
    d.suspension_reason = _text(reason, "reason", "中止执行的理由")[:200]
    d.resumed_on, d.resumption_note = None, ""
    d.status = Status.SUSPENDED
    _save(d, before, actor)
    _evidence(d, "中止执行", {"日期": d.suspended_on, "行政首长": str(head),
                          "理由": d.suspension_reason}, actor)  # fmt: skip
    _event(d, "execution_suspended", f"{d}：中止执行", actor)
    return d


@transaction.atomic
def resume_execution(d: Decision, *, actor: Any, on: dt.date, note: str) -> Decision:
    """恢复执行, with what it rests on (the cause removed; or the adjustment's new decision)."""
    d, before = _lock(d, actor)
    _at(d, Status.SUSPENDED, step="恢复执行")
    d.resumed_on = _day(on, "on", "恢复执行日期", not_before=d.suspended_on,
                        not_before_label="中止执行日期")  # fmt: skip
    d.resumption_note = _text(note, "note", "恢复执行的依据")[:200]
    d.status = Status.EXECUTING
    _save(d, before, actor)
    _evidence(d, "恢复执行", {"日期": d.resumed_on, "依据": d.resumption_note}, actor)
    _event(d, "execution_resumed", f"{d}：恢复执行", actor)
    return d


def missing_items(d: Decision) -> list[str]:
    """The archive completeness check: what the file lacks (条例第三十三条)."""
    checks = [
        (d.draft, "决策草案"),
        (d.comment_start, "公众参与记录"),
        (d.comments_summary, "意见采纳情况汇总"),
        (d.expert_opinion or not d.expert_required, "专家论证意见"),
        (d.risk_report or not d.risk_required, "风险评估报告"),
        (d.review_id and d.review.opinion, "合法性审查意见"),
        (d.minutes, "集体讨论会议纪要"),
        (d.published_on, "公布记录"),
        (d.progress, "执行情况"),
    ]
    return [label for ok, label in checks if not ok]


@transaction.atomic
def archive(d: Decision, *, actor: Any, on: dt.date) -> Decision:
    d, before = _lock(d, actor)
    _at(d, Status.EXECUTING, Status.EVALUATED, step="归档")
    _refuse([f"档案缺少{m}" for m in missing_items(d)], "归档")
    d.archived_on = _day(on, "on", "归档日期")
    d.status = Status.ARCHIVED
    _save(d, before, actor)
    _evidence(
        d, "归档", {"归档日期": d.archived_on, "环节": [Status(s).label for s in ORDER]}, actor
    )
    return d
