"""The enforcement case page: 立案 → 调查取证 → 告知 → 听证 → 法制审核 → 决定 → 送达 → 执行 → 结案
as steps with the current one marked, the next actions first, the rest in tabs."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from fazhi.core import deadlines
from fazhi.core.casepage import CaseAction, Ending, Panel, Procedure, Step, insert_panels
from fazhi.core.views.case import CaseDetailView
from fazhi.enforcement import cases
from fazhi.enforcement import choices as c
from fazhi.enforcement import forms as ef
from fazhi.enforcement.models import Disclosure

S = c.CaseStatus

PROCEDURE = Procedure(
    steps=(
        Step("file", "立案", citation="《行政处罚法》第五十四条"),
        Step("investigate", "调查取证", statuses=(S.FILED,), citation="第四十二条、第五十五条"),
        Step(
            "notify",
            "告知与陈述申辩",
            statuses=(S.NOTIFIED,),
            citation="第四十四条、第四十五条",
            note=lambda k: f"{k.notified_on:%Y-%m-%d}" if k.notified_on else "",
        ),
        Step(
            "hearing",
            "听证",
            statuses=(S.HEARING,),
            citation="第六十三条至第六十五条",
            reached=lambda k: k.hearing_on,
        ),
        Step(
            "review",
            "法制审核",
            statuses=(S.REVIEW,),
            citation="第五十八条",
            reached=lambda k: k.reviews.exists(),
        ),
        Step(
            "decide",
            "决定",
            citation="第五十七条、第五十九条、第六十条",
            note=lambda k: k.decision_number,
        ),
        Step("serve", "送达", statuses=(S.DECIDED,), citation="第六十一条"),
        Step("execute", "执行", statuses=(S.SERVED,), citation="第六十六条、第七十二条"),
    ),
    done_statuses=(S.CLOSED,),
    endings={S.TERMINATED: Ending("撤销立案/移送", after="investigate")},
)


def step_action(
    obj: Any,
    name: str,
    label: str,
    form: Any,
    *,
    primary: bool = False,
    version: int | None = None,
    route: str = "enforcement:case_step",
) -> CaseAction:
    """An inline step form posted to `route` (the case's steps, or the supervision matter's);
    `version`: that of the record beside the case the step changes (a 法制审核, the 公示, a
    监督意见书), else the case's own is posted (views.run_step checks it)."""
    return CaseAction(
        label,
        form=form,
        post_url=reverse(route, args=[obj.pk, name]),
        primary=primary,
        version=version,
    )


class CaseView(CaseDetailView):
    procedure = PROCEDURE

    def summary(self, obj: Any, ctx: dict[str, Any]) -> list[tuple[str, Any]]:
        facts: list[tuple[str, Any]] = [
            ("案件编号", obj.number),
            ("程序", obj.get_procedure_display()),
            ("办理状态", obj.get_status_display()),
            ("当事人", obj.party_name),
            ("案由", obj.cause),
        ]
        triggers = obj.review_triggers() if obj.procedure == c.Procedure.ORDINARY else []
        facts.append(
            ("法制审核", "须审核：" + "、".join(c.ReviewTrigger(t).label for t in triggers))
            if triggers
            else ("法制审核", "不属于须审核的情形")
        )
        if obj.decision_number:
            facts.append(("决定书", f"{obj.decision_number}（{obj.decided_on:%Y-%m-%d}）"))
        for d in deadlines.deadlines_for(obj):
            if d.completed_on is None and d.status == "open":
                facts.append(
                    (
                        "当前期限",
                        f"{d.label}：{d.due_date:%Y-%m-%d}（{deadlines.deadline_state(d).label}）",
                    )
                )
        return facts

    def alerts(self, obj: Any, ctx: dict[str, Any]) -> list[str]:
        today = timezone.localdate()
        out = []
        for h in obj.handlers.all():
            if (
                h.kind == c.OfficerKind.OFFICER
                and h.certificate_on(today) is None
                and obj.status in c.OPEN_STATUSES
            ):
                out.append(f"承办人员{h.name}目前没有有效的行政执法证件。")
        return out

    def next_actions(self, obj: Any, ctx: dict[str, Any]) -> list[CaseAction]:
        actions: list[CaseAction] = [
            CaseAction(
                "处罚决定书（.docx）" if obj.decision_number else "立案审批表（.docx）",
                reverse("enforcement:case_docx", args=[obj.pk]),
                download=True,
            )
        ]
        if obj.notified_on:
            actions.append(
                CaseAction(
                    "行政处罚事先告知书（.docx）",
                    reverse("enforcement:case_document", args=[obj.pk, "notice"]),
                    download=True,
                )
            )
        if obj.decision_number:
            actions.append(
                CaseAction(
                    "送达回证（.docx）",
                    reverse("enforcement:case_document", args=[obj.pk, "receipt"]),
                    download=True,
                )
            )
        if not ctx["can_change"]:
            return actions
        today = timezone.localdate()
        status = obj.status
        if status in c.OPEN_STATUSES:
            actions.append(
                step_action(
                    obj,
                    "record",
                    "全过程记录",
                    ef.RecordStepForm(
                        auto_id="rec_%s", initial={"occurred_at": timezone.localtime()}
                    ),
                )
            )
        if status == S.FILED:
            actions.insert(
                0,
                step_action(
                    obj,
                    "notify",
                    "告知拟处罚",
                    ef.NotifyForm(auto_id="ntf_%s", initial={"notified_on": today}),
                    primary=True,
                ),
            )
        if status in (S.NOTIFIED, S.HEARING):
            actions.append(
                step_action(obj, "statement", "登记陈述申辩", ef.StatementForm(auto_id="stm_%s"))
            )
        if status == S.NOTIFIED:
            actions.append(
                step_action(obj, "hearing", "听证申请与通知", ef.HearingForm(auto_id="hrg_%s"))
            )
        if status in (S.NOTIFIED, S.HEARING) and obj.needs_review and not cases.passed_review(obj):
            actions.insert(
                0,
                step_action(
                    obj,
                    "submit_review",
                    "送法制审核",
                    ef.SubmitReviewForm(
                        auto_id="srv_%s", case=obj, initial={"submitted_on": today}
                    ),
                    primary=True,
                ),
            )
        # once the review passed (here or on the legal review page) the next step is the decision
        pending = obj.reviews.filter(passed__isnull=True).order_by("-pk").first()
        if status == S.REVIEW and not cases.passed_review(obj) and pending is not None:
            actions.insert(
                0,
                step_action(
                    obj,
                    "complete_review",
                    "出具法制审核意见",
                    ef.CompleteReviewForm(auto_id="crv_%s", initial={"reviewed_on": today}),
                    primary=True,
                    version=pending.version,
                ),
            )
        if status in (S.NOTIFIED, S.HEARING, S.REVIEW) and (
            not obj.needs_review or cases.passed_review(obj)
        ):
            actions.insert(
                0,
                step_action(
                    obj,
                    "decide",
                    "作出决定",
                    ef.DecideForm(
                        auto_id="dec_%s",
                        initial={"decided_on": today, "fine_amount": obj.fine_amount},
                    ),
                    primary=True,
                ),
            )
        if status in (S.FILED, S.NOTIFIED, S.HEARING, S.REVIEW):
            actions.append(
                step_action(obj, "extend", "延长办案期限", ef.ExtendForm(auto_id="ext_%s"))
            )
        if status == S.DECIDED:
            actions.insert(
                0,
                step_action(
                    obj,
                    "serve",
                    "登记送达",
                    ef.ServeForm(auto_id="srv2_%s", initial={"served_on": today}),
                    primary=True,
                ),
            )
        if status == S.SERVED and obj.fine_amount and not obj.paid_on:
            actions.insert(
                0,
                step_action(
                    obj,
                    "pay",
                    "登记缴款",
                    ef.PayForm(
                        auto_id="pay_%s", initial={"paid_on": today, "amount": obj.fine_amount}
                    ),
                    primary=True,
                ),
            )
        if status == S.SERVED:
            actions.append(
                step_action(
                    obj,
                    "close",
                    "结案",
                    ef.CloseForm(auto_id="cls_%s", initial={"closed_on": today}),
                )
            )
        if status in (S.FILED, S.NOTIFIED):
            actions.append(
                step_action(
                    obj,
                    "terminate",
                    "撤销立案/移送",
                    ef.TerminateForm(auto_id="trm_%s", initial={"on": today}),
                )
            )
        disclosure = Disclosure.objects.filter(case=obj).first()
        if disclosure and not disclosure.published_on:
            actions.insert(
                0,
                step_action(
                    obj,
                    "publish",
                    f"公示决定（应于{disclosure.due_on:%Y-%m-%d}前）",
                    ef.PublishForm(auto_id="pub_%s", initial={"published_on": today}),
                    primary=True,
                    version=disclosure.version,
                ),
            )
        if disclosure and disclosure.published_on and not disclosure.withdrawn_on:
            actions.append(
                step_action(
                    obj,
                    "withdraw",
                    "撤回公示",
                    ef.WithdrawForm(auto_id="wdr_%s", initial={"withdrawn_on": today}),
                    version=disclosure.version,
                )
            )
        if status in (S.DECIDED, S.SERVED, S.CLOSED):
            actions.append(
                step_action(
                    obj,
                    "file_review",
                    "案卷评查",
                    ef.FileReviewForm(
                        auto_id="frv_%s", initial={"reviewed_on": today}, township=obj.township
                    ),
                )
            )
        return actions

    def panels(self, obj: Any, ctx: dict[str, Any]) -> list:
        return insert_panels(
            super().panels(obj, ctx),
            [
                Panel(
                    "decision",
                    "告知与决定",
                    "enforcement/case/_decision.html",
                    context={
                        "reviews": list(obj.reviews.select_related("reviewer")),
                        "disclosure": Disclosure.objects.filter(case=obj).first(),
                        "file_reviews": list(obj.file_reviews.all()),
                    },
                )
            ],
            after="details",
        )
