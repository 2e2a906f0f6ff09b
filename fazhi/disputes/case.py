"""The dispute's case page: 登记 → 受理调解 → 调解 → 办结 → 归档 as steps, the next actions,
the rest (当事人, 期限, 调解记录, 回访, 预警, 卷宗, 附件, 变更记录, 证据链) in tabs."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from fazhi.core import deadlines
from fazhi.core.casepage import CaseAction, Panel, Procedure, Step, insert_panels
from fazhi.core.views.case import CaseDetailView
from fazhi.disputes import choices as c
from fazhi.disputes import forms as dforms
from fazhi.disputes import services
from fazhi.disputes.models import MediationAgreement
from fazhi.parties import pii
from fazhi.parties.choices import PII_FIELDS, PII_LABELS

ARCHIVED = "archived"


def stage(dispute: Any) -> str:
    """The status, or 已归档 once the file is archived."""
    return ARCHIVED if dispute.archived_on else dispute.status


def _outcome(dispute: Any) -> str:
    if dispute.is_open:
        return ""
    label = dispute.get_status_display()
    return f"{label} {dispute.concluded_on:%Y-%m-%d}" if dispute.concluded_on else label


PROCEDURE = Procedure(
    steps=(
        Step("register", "登记", citation="《人民调解法》第十七条"),
        Step(
            "accept",
            "受理调解",
            statuses=(c.DisputeStatus.REGISTERED,),
            citation="《人民调解法》第十七条",
            note=lambda d: f"{d.accepted_on:%Y-%m-%d}" if d.accepted_on else "",
        ),
        Step(
            "mediate",
            "调解",
            statuses=(c.DisputeStatus.MEDIATING,),
            citation="《人民调解工作若干规定》第三十三条",
            reached=lambda d: d.accepted_on,
        ),
        Step("conclude", "办结", note=_outcome),
        Step(
            "archive",
            "归档",
            statuses=tuple(c.OUTCOMES),
            citation="《人民调解法》第二十七条",
            note=lambda d: f"{d.archived_on:%Y-%m-%d}" if d.archived_on else "",
        ),
    ),
    done_statuses=(ARCHIVED,),
    status=stage,
)


class DisputeDetailView(CaseDetailView):
    template_name = "disputes/case/page.html"
    procedure = PROCEDURE
    #: a form posted with errors, by action name (set by the action view to re-render it)
    bound: dict[str, Any] = {}

    def _form(self, form_class: type, name: str, **kwargs: Any) -> Any:
        if name in self.bound:
            return self.bound[name]
        return form_class(auto_id=f"{name}_%s", **kwargs)

    def case_context(self, obj: Any, ctx: dict[str, Any]) -> dict[str, Any]:
        from fazhi.disputes.views import other_records

        user = self.request.user
        links = list(obj.dispute_parties.select_related("party").order_by("role", "pk"))
        ctx["party_rows"] = [
            {
                "link": link,
                "can_reveal": pii.can_reveal(user, link.party, obj),
                "pii": [
                    (name, PII_LABELS[name], pii.mask(name, getattr(link.party, name)))
                    for name in PII_FIELDS
                ],
            }
            for link in links
        ]
        ctx["via"] = f"disputes.dispute:{obj.pk}"
        ctx["other_records"] = other_records(obj, links, user)
        ctx["file_items"] = services.dispute_file(obj)
        ctx["agreement"] = MediationAgreement.objects.filter(dispute=obj).first()
        ctx["escalated"] = services.is_escalated(obj)
        case = super().case_context(obj, ctx)
        # a refused action whose form the page no longer offers (the case moved on meanwhile:
        # 409 "已被他人修改") shows its errors at the top instead of inside its form
        shown = {id(a.form) for a in case["actions"] if a.form is not None}
        for form in self.bound.values():
            if id(form) not in shown:
                case["alerts"] = [*case["alerts"], *(e for es in form.errors.values() for e in es)]
        return case

    def summary(self, obj: Any, ctx: dict[str, Any]) -> list[tuple[str, Any]]:
        status = format_html(
            '<span class="badge status-{}">{}</span>', obj.status, obj.get_status_display()
        )
        if ctx["escalated"]:
            status = format_html('{} <span class="badge state-due_soon">已上报</span>', status)
        if obj.archived_on:
            status = format_html(
                '{} <span class="badge">已归档 {}</span>', status, f"{obj.archived_on:%Y-%m-%d}"
            )
        facts: list[tuple[str, Any]] = [("纠纷编号", obj.number), ("办理状态", status)]
        open_deadlines = [
            (d, deadlines.deadline_state(d))
            for d in deadlines.deadlines_for(obj)
            if d.completed_on is None
        ]
        if open_deadlines:
            d, state = open_deadlines[0]
            facts.append(
                (
                    "当前期限",
                    format_html(
                        '{}：{} 届满 <span class="badge state-{}">{}</span>',
                        d.label,
                        f"{d.due_date:%Y-%m-%d}",
                        state.value,
                        state.label,
                    ),
                )
            )
        if obj.village_id:
            facts.append(("村(社区)", obj.village))
        return facts

    def next_actions(self, obj: Any, ctx: dict[str, Any]) -> list[CaseAction]:
        agreement = ctx["agreement"]
        downloads = []
        if agreement is not None:
            downloads = [
                CaseAction(
                    f"调解协议书 {agreement.number}",
                    reverse("disputes:agreements_detail", args=[agreement.pk]),
                    download=True,
                ),
                CaseAction(
                    "打印协议书(.docx)",
                    reverse("disputes:agreement_docx", args=[agreement.pk]),
                    download=True,
                ),
            ]
        if not ctx["can_change"]:
            return downloads
        user = self.request.user
        today = timezone.localdate()
        status = obj.status
        S = c.DisputeStatus

        def post(name: str) -> str:
            return reverse(f"disputes:dispute_{name}", args=[obj.pk])

        actions: list[CaseAction] = []
        if status == S.REGISTERED:
            actions.append(
                CaseAction(
                    "受理调解",
                    form=self._form(dforms.AcceptForm, "accept", dispute=obj, user=user),
                    post_url=post("accept"),
                    submit="受理",
                    primary=True,
                    help="受理后开始计算调结期限。",
                )
            )
        if obj.is_open:
            actions.append(
                CaseAction(
                    "登记调解记录",
                    f"{reverse('disputes:sessions_add')}?dispute={obj.pk}",
                    primary=status == S.MEDIATING,
                )
            )
        if agreement is None and status in (S.MEDIATING, S.SUCCEEDED):
            actions.append(
                CaseAction(
                    "制作调解协议书", f"{reverse('disputes:agreements_add')}?dispute={obj.pk}"
                )
            )
        if status == S.SUCCEEDED:
            actions.append(
                CaseAction("登记回访", f"{reverse('disputes:follow-ups_add')}?dispute={obj.pk}")
            )
        next_statuses = [S(s).label for s in c.TRANSITIONS[status]]
        if next_statuses:
            registered = status == S.REGISTERED
            actions.append(
                CaseAction(
                    "不予调解 / 直接转出" if registered else "登记办结结果",
                    form=self._form(dforms.ConcludeForm, "conclude"),
                    post_url=post("conclude"),
                    submit="办结",
                    help=(
                        "一方明确拒绝调解的，不得调解（第十七条）。"
                        if registered
                        else f"可改为：{'、'.join(next_statuses)}"
                    ),
                )
            )
        if status == S.MEDIATING:
            actions.append(
                CaseAction(
                    "延长调结期限",
                    form=self._form(dforms.ExtendForm, "extend"),
                    post_url=post("extend"),
                    submit="延期",
                )
            )
        if obj.is_open:
            actions.append(
                CaseAction(
                    "上报(村→镇)",
                    form=self._form(dforms.EscalateForm, "escalate", dispute=obj, user=user),
                    post_url=post("escalate"),
                    submit="上报",
                )
            )
        if not obj.is_open and not obj.archived_on:
            actions.append(
                CaseAction(
                    "归档",
                    form=self._form(dforms.ArchiveForm, "archive", initial={"on": today}),
                    post_url=post("archive"),
                    template="disputes/_file.html",
                    primary=True,
                    help="卷宗齐全方可归档（《人民调解法》第二十七条）。",
                )
            )
        actions.append(
            CaseAction(
                "三调联动、诉调对接",
                form=self._form(dforms.LinkageForm, "linkage", initial={"on": today}),
                post_url=post("linkage"),
                submit="记录",
            )
        )
        # the procedure's next step first
        actions.sort(key=lambda a: not a.primary)
        return actions + downloads

    def panels(self, obj: Any, ctx: dict[str, Any]) -> list[Panel]:
        panels = super().panels(obj, ctx)
        panels[0].template = "disputes/case/_details.html"
        if not any(p.key == "deadlines" for p in panels):
            panels = insert_panels(
                panels,
                [
                    Panel(
                        "deadlines", "期限", "core/case/_deadlines.html", context={"deadlines": []}
                    )
                ],
                after="details",
            )
        panels = insert_panels(
            panels,
            [
                Panel(
                    "parties",
                    "当事人",
                    "disputes/case/_parties.html",
                    count=len(ctx["party_rows"]),
                )
            ],
            after="details",
        )
        return insert_panels(
            panels,
            [Panel("file", "卷宗", "disputes/case/_file.html")],
            after="deadlines",
        )
