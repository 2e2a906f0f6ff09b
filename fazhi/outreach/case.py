"""The legal-aid application's case page: 接收 → 转交县法律援助中心 → 审查决定."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from fazhi.core import deadlines
from fazhi.core.casepage import CaseAction, Procedure, Step
from fazhi.core.views.case import CaseDetailView
from fazhi.outreach import choices as c
from fazhi.outreach import forms as oforms
from fazhi.outreach import rules

PROCEDURE = Procedure(
    steps=(
        Step("receive", "接收申请", citation="《法律援助法》第三十八条"),
        Step(
            "forward",
            "转交县法律援助中心",
            statuses=(c.AidStatus.RECEIVED,),
            note=lambda a: f"{a.forwarded_on:%Y-%m-%d}" if a.forwarded_on else "",
        ),
        Step(
            "decide",
            "审查决定",
            statuses=(c.AidStatus.FORWARDED,),
            citation=rules.REVIEW.citation,
            note=lambda a: f"{a.decided_on:%Y-%m-%d}" if a.decided_on else "",
        ),
    ),
    done_statuses=(c.AidStatus.GRANTED, c.AidStatus.REFUSED),
    endings={},
)


class AidDetailView(CaseDetailView):
    procedure = PROCEDURE

    def summary(self, obj: Any, ctx: dict[str, Any]) -> list[tuple[str, Any]]:
        facts: list[tuple[str, Any]] = [
            ("受理编号", obj.number or "—"),
            ("状态", obj.get_status_display()),
            ("援助条件", obj.get_basis_display()),
            ("经济困难核查", "免予核查（第四十二条）" if obj.exempt_from_means_check else "需核查"),
        ]
        if obj.green_channel:
            facts.append(("绿色通道", "是"))
        for d in deadlines.deadlines_for(obj):
            if d.completed_on is None and d.status == "open":
                state = deadlines.deadline_state(d)
                facts.append(
                    ("当前期限", f"{d.label}：{d.due_date:%Y-%m-%d} 届满（{state.label}）")
                )
        return facts

    def next_actions(self, obj: Any, ctx: dict[str, Any]) -> list[CaseAction]:
        if not ctx["can_change"]:
            return []
        actions = []
        if obj.status == c.AidStatus.RECEIVED:
            actions.append(
                CaseAction(
                    "转交县法律援助中心",
                    form=oforms.AidForwardForm(auto_id="forward_%s"),
                    post_url=reverse("outreach:aid_forward", args=[obj.pk]),
                    primary=True,
                )
            )
        if obj.status == c.AidStatus.FORWARDED:
            actions.append(
                CaseAction(
                    "登记审查决定",
                    form=oforms.AidDecideForm(auto_id="decide_%s"),
                    post_url=reverse("outreach:aid_decide", args=[obj.pk]),
                    primary=True,
                )
            )
        if obj.status in (c.AidStatus.RECEIVED, c.AidStatus.FORWARDED):
            actions.append(
                CaseAction(
                    "申请人撤回",
                    form=oforms.AidWithdrawForm(auto_id="withdraw_%s"),
                    post_url=reverse("outreach:aid_withdraw", args=[obj.pk]),
                    danger=True,
                )
            )
        return actions
