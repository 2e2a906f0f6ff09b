"""The petition's case page: the 信访工作条例 loop as steps, the next actions, the rest in tabs."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from fazhi.core import scope
from fazhi.core.casepage import CaseAction, Ending, Panel, Procedure, Step, insert_panels
from fazhi.core.deadlines import deadline_state, deadlines_for
from fazhi.core.roles import CHANGE, VIEW, VIEW_PII
from fazhi.core.views.case import CaseDetailView
from fazhi.parties import pii
from fazhi.petitions import services
from fazhi.petitions.choices import Action, Status
from fazhi.petitions.rules import REGULATION


def _date(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def _after_registration(petition: Any) -> str:
    return "handle" if petition.accepted_on else "accept"


#: the actions shown as buttons, in the order of the loop
PRIMARY = (
    Action.ACCEPT,
    Action.DECLINE,
    Action.OBJECT,
    Action.EXTEND,
    Action.ISSUE_OPINION,
    Action.SERVE,
    Action.REQUEST_REVIEW,
    Action.RECORD_REVIEW,
    Action.REQUEST_RECHECK,
    Action.RECORD_RECHECK,
    Action.CLOSE,
    Action.RATE,
)
SECONDARY = (
    Action.ROUTE,
    Action.ESCALATE,
    Action.HAND_UP,
    Action.TO_MEDIATION,
    Action.FLAG_BACKLOG,
    Action.REISSUE_CODE,
)


def _party_row(user: Any, role: str, party: Any, via: str, petition: Any) -> dict[str, Any]:
    can = pii.can_reveal(user, party, petition)
    return {
        "role": role,
        "party": party,
        "url": reverse("parties:parties_detail", args=[party.pk])
        if scope.visible(user, party, VIEW)
        else "",
        "fields": [
            ("证件号码", "id_number", pii.mask_id(party.id_number)),
            ("联系电话", "phone", pii.mask_phone(party.phone)),
            ("住址", "address", pii.mask_address(party.address)),
        ],
        "can_reveal": can,
        "via": via,
    }


def workflow_context(user: Any, petition: Any) -> dict[str, Any]:
    """What the petition's panels show: parties (masked), deadlines, opinions, transfers."""
    from fazhi.parties import registry

    can_change = scope.visible(user, petition, CHANGE)
    available = set(services.available_actions(petition)) if can_change else set()
    via = f"petitions.petition:{petition.pk}"
    parties = [
        _party_row(user, role, party, via, petition)
        for role, party in services.parties_of(petition)
    ]
    others = []
    seen = {f"petitions.petition:{petition.pk}"}
    for _role, party in services.parties_of(petition):
        for record in registry.records_for(party, user):
            if record.key not in seen:
                seen.add(record.key)
                others.append(record)
    deadlines = [(d, deadline_state(d)) for d in deadlines_for(petition)]
    backlog = getattr(petition, "backlog", None) if hasattr(petition, "backlog") else None
    return {
        "p": petition,
        "primary": [(a, Action(a).label) for a in PRIMARY if a in available],
        "secondary": [(a, Action(a).label) for a in SECONDARY if a in available],
        "repeat_reason": services.repeat_refusal_reason(petition),
        "parties": parties,
        "others": others[:20],
        "deadlines": deadlines,
        "opinions": list(services.iter_opinions(petition)),
        "transfers": list(petition.transfers.order_by("on", "pk")),
        "repeats": list(petition.repeats.visible_to(user, VIEW).order_by("received_on")),
        "backlog": backlog,
        "can_change": can_change,
        "can_pii": scope.visible(user, petition, VIEW_PII),
    }


PROCEDURE = Procedure(
    steps=(
        Step("register", "登记", citation=f"{REGULATION}第二十一条"),
        Step(
            "accept",
            "受理告知",
            statuses=(Status.REGISTERED,),
            citation=f"{REGULATION}第二十三条",
            note=lambda p: _date(p.decided_on),
        ),
        Step(
            "handle",
            "办理",
            statuses=(Status.ACCEPTED,),
            citation=f"{REGULATION}第三十四条",
            note=lambda p: _date(p.concluded_on),
        ),
        Step("serve", "送达意见书", statuses=(Status.OPINION_ISSUED,)),
        Step(
            "review",
            "复查",
            statuses=(Status.SERVED, Status.REVIEW),
            citation=f"{REGULATION}第三十五条",
            reached=lambda p: p.review_requested_on,
        ),
        Step(
            "recheck",
            "复核",
            statuses=(Status.REVIEWED, Status.RECHECK),
            citation=f"{REGULATION}第三十六条",
            reached=lambda p: p.recheck_requested_on,
        ),
        Step("close", "办结归档", note=lambda p: _date(p.closed_on)),
    ),
    done_statuses=(Status.CLOSED,),
    endings={
        Status.NOT_ACCEPTED: Ending("不予受理", after="accept", citation=f"{REGULATION}第二十三条"),
        Status.OBJECTED: Ending("已提出异议", after="accept", citation=f"{REGULATION}第二十三条"),
        Status.ROUTED: Ending(
            "导入法定途径", after=_after_registration, citation=f"{REGULATION}第三十一条"
        ),
        Status.ESCALATED: Ending("上交县级", after=_after_registration),
    },
)


class PetitionDetailView(CaseDetailView):
    template_name = "petitions/case/page.html"
    procedure = PROCEDURE

    def case_context(self, obj: Any, ctx: dict[str, Any]) -> dict[str, Any]:
        # the petition's own data (parties, opinions, transfers …), gathered once
        ctx["p"] = obj
        ctx.update(workflow_context(self.request.user, obj))
        return super().case_context(obj, ctx)

    def summary(self, obj: Any, ctx: dict[str, Any]) -> list[tuple[str, Any]]:
        from django.utils.html import format_html

        facts: list[tuple[str, Any]] = [
            ("登记编号", obj.receipt_no),
            (
                "办理状态",
                format_html(
                    '<span class="badge">{}</span> <span class="muted">{}</span>',
                    obj.get_status_display(),
                    obj.get_level_display(),
                ),
            ),
        ]
        open_deadlines = [(d, s) for d, s in ctx["deadlines"] if d.completed_on is None]
        if open_deadlines:
            d, state = open_deadlines[0]
            facts.append(
                (
                    "当前期限",
                    format_html(
                        '{} 届满 <span class="badge state-{}">{}</span>',
                        f"{d.label}：{_date(d.due_date)}",
                        state.value,
                        state.label,
                    ),
                )
            )
        if ctx.get("backlog"):
            b = ctx["backlog"]
            facts.append(
                (
                    "信访积案",
                    format_html(
                        '<a href="{}">{}，包案领导{}</a>',
                        reverse("petitions:backlog_detail", args=[b.pk]),
                        b.get_status_display(),
                        b.owner.name,
                    ),
                )
            )
        return facts

    def alerts(self, obj: Any, ctx: dict[str, Any]) -> list[str]:
        reason = ctx.get("repeat_reason")
        return [f"重复信访：{reason}"] if reason else []

    def next_actions(self, obj: Any, ctx: dict[str, Any]) -> list[CaseAction]:
        def act(code: str, **kw: Any) -> CaseAction:
            return CaseAction(
                Action(code).label if code in Action.values else kw.pop("label"),
                reverse("petitions:petition_act", args=[obj.pk, code]),
                **kw,
            )

        primary = [code for code, _label in ctx["primary"]]
        actions = [act(code, primary=i == 0) for i, code in enumerate(primary)]
        if ctx["repeat_reason"] and obj.status == Status.REGISTERED and ctx["can_change"]:
            actions.append(act("refuse_repeat", label="按重复信访不予受理", danger=True))
        actions += [act(code) for code, _label in ctx["secondary"]]
        actions.append(
            CaseAction("回执", reverse("petitions:petition_receipt", args=[obj.pk]), download=True)
        )
        return actions

    def panels(self, obj: Any, ctx: dict[str, Any]) -> list[Panel]:
        panels = super().panels(obj, ctx)
        panels = [p for p in panels if p.key != "deadlines"]  # the petition's own, with citations
        panels[0].template = "petitions/case/_details.html"
        return insert_panels(
            panels,
            [
                Panel(
                    "parties", "信访人", "petitions/case/_parties.html", count=len(ctx["parties"])
                ),
                Panel(
                    "deadlines",
                    "法定期限",
                    "core/case/_deadlines.html",
                    count=len(ctx["deadlines"]),
                    context={"deadlines": ctx["deadlines"]},
                ),
                Panel(
                    "opinions",
                    "意见书",
                    "petitions/case/_opinions.html",
                    count=len(ctx["opinions"]),
                ),
                Panel(
                    "transfers",
                    "流转记录",
                    "petitions/case/_transfers.html",
                    count=len(ctx["transfers"]),
                ),
            ],
            after="details",
        )
