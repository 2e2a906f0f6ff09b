"""The case pages of the legal app (`fazhi.core.casepage`): a review request, a reconsideration,
a litigation and a court judgment show where they stand (the steps), their key facts and current
deadline, the next actions as small forms posted to the workflow pages (`views.act`), and the
rest — details, hearings, deadlines, attachments, history, evidence chain — in tabs, the same
way as petitions, disputes and enforcement cases."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from fazhi.core import deadlines
from fazhi.core.casepage import CaseAction, Ending, Procedure, Step
from fazhi.core.views.case import CaseDetailView
from fazhi.legal import links, rules
from fazhi.legal.choices import (
    CASE_TRANSITIONS,
    REVIEW_TRANSITIONS,
    CaseStatus,
    JudgmentResult,
    ReconsiderationDecision,
    ReviewStatus,
    allowed,
)
from fazhi.legal.models import Contract, NormativeDocument

S = CaseStatus


def _day(value: Any) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def _current_deadline(obj: Any) -> Any:
    """The first open (or paused) deadline of the record, as a fact with its state badge."""
    for d in (
        deadlines.deadlines_for(obj).filter(status__in=("open", "paused")).order_by("due_date")
    ):
        state = deadlines.deadline_state(d)
        if d.status == "paused":
            return format_html(
                '{}：自{}暂停计算（原届满日{}） <span class="badge state-{}">{}</span>',
                d.label,
                _day(d.paused_on),
                _day(d.due_date),
                state.value,
                state.label,
            )
        return format_html(
            '{}：{} 届满 <span class="badge state-{}">{}</span>',
            d.label,
            _day(d.due_date),
            state.value,
            state.label,
        )
    return None


class LegalCaseView(CaseDetailView):
    """Actions are the workflow pages of `views.ACTIONS`, offered as inline forms."""

    slug = ""

    def offered(self, obj: Any) -> list[str]:
        return []

    def next_actions(self, obj: Any, ctx: dict[str, Any]) -> list[CaseAction]:
        if not ctx["can_change"]:
            return []
        from fazhi.legal.views import ACTIONS

        today = timezone.localdate()
        actions = []
        for i, code in enumerate(self.offered(obj)):
            spec = ACTIONS[self.slug][code]
            form = spec.form(obj=obj, user=self.request.user, auto_id=f"{code}_%s")
            if "on" in form.fields:
                form.fields["on"].initial = today
            actions.append(
                CaseAction(
                    spec.label,
                    form=form,
                    post_url=reverse("legal:act", args=[self.slug, obj.pk, code]),
                    primary=i == 0,
                    danger=code in ("withdraw", "terminate"),
                    help=spec.help,
                    submit="确认",
                )
            )
        return actions


# --- review requests ------------------------------------------------------------------------
REVIEW_PROCEDURE = Procedure(
    steps=(
        Step("submit", "送审", note=lambda r: _day(r.submitted_on)),
        Step(
            "review",
            "审查",
            statuses=(ReviewStatus.REVIEWING,),
            citation="合法性审查全覆盖；《重大行政决策程序暂行条例》第二十五条至第二十八条",
        ),
        Step(
            "opinion",
            "出具审查意见",
            note=lambda r: f"{r.get_outcome_display()} {_day(r.opinion_on)}",
        ),
    ),
    done_statuses=(ReviewStatus.CONCLUDED,),
    endings={ReviewStatus.WITHDRAWN: Ending("撤回送审", after="submit")},
)


class ReviewCaseView(LegalCaseView):
    procedure = REVIEW_PROCEDURE
    slug = "reviews"

    def offered(self, obj: Any) -> list[str]:
        codes = allowed(REVIEW_TRANSITIONS, obj.status)
        return [c for c in codes if not (obj.subject and c == "withdraw")]

    def summary(self, obj: Any, ctx: dict[str, Any]) -> list[tuple[str, Any]]:
        reviewer = obj.get_reviewer_kind_display()
        who = "、".join(str(p) for p in (obj.reviewer, obj.advisor) if p is not None)
        facts: list[tuple[str, Any]] = [
            ("审查编号", obj.number),
            ("类别", obj.get_kind_display()),
            ("状态", obj.get_status_display()),
            ("审查主体", f"{reviewer}（{who}）" if who else reviewer),
        ]
        current = _current_deadline(obj)
        if current is not None:
            facts.append(("当前期限", current))
        elif obj.due_on:
            facts.append(("审查期限", _day(obj.due_on)))
        if obj.outcome:
            on_time = "按期" if obj.on_time else "逾期"
            facts += [
                ("审查结论", format_html("<b>{}</b>（{}）", obj.get_outcome_display(), on_time)),
                ("审查意见", obj.opinion),
            ]
            if obj.advisor_opinion:
                facts.append(("法律顾问意见", obj.advisor_opinion))
            if obj.turnaround is not None:
                facts.append(("审查用时", f"{obj.turnaround}个工作日"))
        if obj.withdrawn_reason:
            facts.append(("撤回原因", obj.withdrawn_reason))
        subjects = self.subjects(obj)
        if subjects:
            facts.append(
                (
                    "审查对象",
                    format_html(
                        "、".join(['<a href="{}">{}</a>'] * len(subjects)),
                        *[x for label, url in subjects for x in (url, label)],
                    ),
                )
            )
        return facts

    @staticmethod
    def subjects(obj: Any) -> list[tuple[str, str]]:
        found = [
            (f"合同：{c}", reverse("legal:contracts_detail", args=[c.pk]))
            for c in Contract.objects.filter(review=obj)
        ] + [
            (f"{d.get_kind_display()}：{d}", reverse("legal:documents_detail", args=[d.pk]))
            for d in NormativeDocument.objects.filter(review=obj)
        ]
        linked = links.subject_link(obj)
        if linked is not None:
            found.append(linked)
        from django.apps import apps

        if apps.is_installed("fazhi.decisions"):
            from fazhi.decisions.models import Decision

            found += [
                (f"重大行政决策：{d}", reverse("decisions:decisions_detail", args=[d.pk]))
                for d in Decision.objects.filter(review=obj)
            ]
        return found


# --- reconsideration ------------------------------------------------------------------------
TERMINATED = "terminated"


def _recon_stage(r: Any) -> str:
    if r.status == S.CLOSED and r.decision == ReconsiderationDecision.TERMINATED:
        return TERMINATED
    if r.status == S.SUSPENDED:
        return S.ANSWERED if r.answered_on else S.RECEIVED
    return r.status


RECONSIDERATION_PROCEDURE = Procedure(
    steps=(
        Step("receive", "收到申请书副本", note=lambda r: _day(r.received_on)),
        Step(
            "answer",
            "书面答复",
            statuses=(S.RECEIVED,),
            citation=rules.RECON_ANSWER.citation,
            note=lambda r: _day(r.answered_on),
        ),
        Step(
            "decide",
            "复议决定",
            statuses=(S.ANSWERED,),
            citation="《行政复议法》第六十三条至第六十九条",
            note=lambda r: f"{r.get_decision_display()} {_day(r.decided_on)}",
        ),
        Step(
            "perform",
            "履行",
            statuses=(S.DECIDED,),
            citation="《行政复议法》第七十七条",
            note=lambda r: _day(r.performed_on),
        ),
    ),
    done_statuses=(S.CLOSED,),
    endings={
        TERMINATED: Ending(
            "复议终止",
            after=lambda r: "answer" if r.answered_on else "receive",
            citation="《行政复议法》第四十一条",
        )
    },
    status=_recon_stage,
)

RECON_OFFERED = {
    S.RECEIVED: ("answer", "suspend", "terminate"),
    S.ANSWERED: ("decide", "suspend", "terminate"),
    S.SUSPENDED: ("resume", "terminate"),
    S.DECIDED: ("perform",),
}


class ReconsiderationCaseView(LegalCaseView):
    procedure = RECONSIDERATION_PROCEDURE
    slug = "reconsiderations"

    def offered(self, obj: Any) -> list[str]:
        return list(RECON_OFFERED.get(obj.status, ()))

    def alerts(self, obj: Any, ctx: dict[str, Any]) -> list[str]:
        if obj.status == S.SUSPENDED:
            return [
                f"本案自{_day(obj.suspended_on)}中止（{obj.get_suspension_reason_display()}"
                f"{'：' + obj.suspension_note if obj.suspension_note else ''}）。中止期间期限不计算"
                "（答复期限暂停计算，不在我的期限中提醒），恢复审理后按中止时尚余的期限继续计算"
                "（《行政复议法》第三十九条；暂停计算为本平台做法，待确认）。"
            ]
        return []

    def summary(self, obj: Any, ctx: dict[str, Any]) -> list[tuple[str, Any]]:
        facts: list[tuple[str, Any]] = [
            ("复议机关", f"{obj.body}{'（' + obj.case_no + '）' if obj.case_no else ''}"),
            ("被申请人", obj.unit or "镇人民政府"),
            ("审理程序", obj.get_procedure_display()),
            ("状态", obj.get_status_display()),
        ]
        current = _current_deadline(obj)
        if current is not None:
            facts.append(("当前期限", current))
        if obj.hearing_on:
            who = (
                "负责人参加"
                if obj.head_attended
                else f"委托{obj.delegate}（{obj.delegate_reason}）"
            )
            facts.append(("听证(听取意见)", f"{_day(obj.hearing_on)}，{who}"))
        if obj.suspended_days:
            facts.append(("中止天数(累计)", f"{obj.suspended_days}日"))
        if obj.decision:
            facts.append(("复议决定", f"{obj.get_decision_display()}（{_day(obj.decided_on)}）"))
        if obj.termination_reason:
            facts.append(("终止情形", obj.get_termination_reason_display()))
        if obj.review_id:
            facts.append(
                (
                    "答复的合法性审查",
                    format_html(
                        '<a href="{}">{}</a>',
                        reverse("legal:reviews_detail", args=[obj.review_id]),
                        obj.review.number,
                    ),
                )
            )
        return facts


# --- litigation -----------------------------------------------------------------------------
APPEAL_PENDING = "appeal_pending"


def _lit_stage(c: Any) -> str:
    if c.status == S.DECIDED and c.appeal_due_on and not c.appeal_decision:
        return APPEAL_PENDING
    return c.status


LITIGATION_PROCEDURE = Procedure(
    steps=(
        Step("receive", "收到起诉状副本", note=lambda c: _day(c.served_on)),
        Step(
            "defend",
            "答辩",
            statuses=(S.RECEIVED,),
            citation=rules.LITIGATION_DEFENCE.citation,
            note=lambda c: _day(c.defence_on),
        ),
        Step(
            "hearing",
            "出庭应诉",
            statuses=(S.ANSWERED,),
            citation="《行政诉讼法》第三条",
            reached=lambda c: c.hearings.exists(),
        ),
        Step("judge", "裁判", note=lambda c: f"{c.get_result_display()} {_day(c.judged_on)}"),
        Step(
            "appeal",
            "上诉期",
            statuses=(APPEAL_PENDING,),
            citation=rules.APPEAL_WINDOW.citation,
            reached=lambda c: c.appeal_due_on,
            note=lambda c: c.get_appeal_decision_display(),
        ),
        Step("close", "履行结案", statuses=(S.DECIDED,), note=lambda c: _day(c.performed_on)),
    ),
    done_statuses=(S.CLOSED,),
    status=_lit_stage,
)


class LitigationCaseView(LegalCaseView):
    procedure = LITIGATION_PROCEDURE
    slug = "litigations"

    def offered(self, obj: Any) -> list[str]:
        if _lit_stage(obj) == APPEAL_PENDING:
            return ["appeal"]
        if obj.status == S.SUSPENDED:
            return ["resume", "end"]
        extra = ["suspend", "end"] if obj.status in (S.RECEIVED, S.ANSWERED) else []
        return [*allowed(CASE_TRANSITIONS, obj.status), *extra]

    def alerts(self, obj: Any, ctx: dict[str, Any]) -> list[str]:
        if obj.status == S.SUSPENDED:
            return [
                f"本案自{_day(obj.suspended_on)}中止诉讼（{obj.get_suspension_reason_display()}"
                f"{'：' + obj.suspension_note if obj.suspension_note else ''}）。中止期间答辩期限"
                "暂停计算，恢复诉讼后按尚余的期限继续计算（《行政诉讼法》第六十一条第二款、"
                "第一百零一条；暂停计算待确认）。"
            ]
        if obj.result == JudgmentResult.ENDED:
            return [
                f"本案于{_day(obj.judged_on)}诉讼终结（{obj.get_end_reason_display()}），"
                "不计为败诉，无上诉期，无须履行。"
            ]
        return []

    def next_actions(self, obj: Any, ctx: dict[str, Any]) -> list[CaseAction]:
        actions = super().next_actions(obj, ctx)
        if ctx["can_change"] and obj.status in (S.RECEIVED, S.ANSWERED):
            actions.append(
                CaseAction("登记出庭应诉", f"{reverse('legal:hearings_add')}?litigation={obj.pk}")
            )
        if ctx["can_change"] and obj.status in (S.DECIDED, S.CLOSED):
            actions.append(
                CaseAction(
                    "登记生效裁判履行", f"{reverse('legal:judgments_add')}?litigation={obj.pk}"
                )
            )
        return actions

    def summary(self, obj: Any, ctx: dict[str, Any]) -> list[tuple[str, Any]]:
        hearings = list(obj.hearings.all())
        appeared = sum(1 for h in hearings if h.head_appeared)
        facts: list[tuple[str, Any]] = [
            ("受理法院", f"{obj.court}{'（' + obj.case_no + '）' if obj.case_no else ''}"),
            ("被告", obj.unit or "镇人民政府"),
            ("状态", obj.get_status_display()),
        ]
        current = _current_deadline(obj)
        if current is not None:
            facts.append(("当前期限", current))
        facts.append(
            (
                "负责人出庭应诉",
                f"开庭{len(hearings)}次，负责人出庭{appeared}次" if hearings else "尚未开庭",
            )
        )
        if obj.suspended_days:
            facts.append(("中止天数(累计)", f"{obj.suspended_days}日"))
        if obj.result == JudgmentResult.ENDED:
            facts.append(("诉讼终结", f"{obj.get_end_reason_display()}（{_day(obj.judged_on)}）"))
        elif obj.result:
            facts.append(("裁判结果", f"{obj.get_result_display()}（{_day(obj.judged_on)}送达）"))
        if obj.appeal_due_on:
            facts.append(
                (
                    "上诉期",
                    f"{_day(obj.appeal_due_on)}届满"
                    + (f"；{obj.get_appeal_decision_display()}" if obj.appeal_decision else ""),
                )
            )
        return facts


# --- court judgments ------------------------------------------------------------------------
JUDGMENT_PROCEDURE = Procedure(
    steps=(
        Step("register", "登记生效裁判", note=lambda j: _day(j.effective_on)),
        Step(
            "perform",
            "履行",
            statuses=("open",),
            citation=rules.JUDGMENT_PERFORMANCE.citation,
            note=lambda j: _day(j.performed_on),
        ),
    ),
    done_statuses=("performed",),
    status=lambda j: "performed" if j.performed_on else "open",
)


class JudgmentCaseView(LegalCaseView):
    procedure = JUDGMENT_PROCEDURE
    slug = "judgments"

    def offered(self, obj: Any) -> list[str]:
        return [] if obj.performed_on else ["perform"]

    def summary(self, obj: Any, ctx: dict[str, Any]) -> list[tuple[str, Any]]:
        facts: list[tuple[str, Any]] = [
            ("法院", obj.court),
            ("案号", obj.case_no),
            ("确定的义务", obj.obligations),
            ("履行期限", _day(obj.perform_due_on)),
            ("履行情况(计算)", obj.performance(timezone.localdate())),
        ]
        current = _current_deadline(obj)
        if current is not None:
            facts.append(("当前期限", current))
        return facts
