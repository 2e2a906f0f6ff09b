"""Pages of enforcement supervision: the supervisor's risk queue, the supervision matter's page
(on core's case-page component), its steps, and the 监督意见书 (.docx). A view validates input,
calls one service of supervision.py, renders; the scope gate decides 404 vs 403."""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core import scope
from fazhi.core.casepage import CaseAction, Panel, Procedure, Step, insert_panels
from fazhi.core.roles import ADD, CHANGE, ROLE_ACTIONS, SUPERVISE, VIEW
from fazhi.core.views.case import CaseDetailView
from fazhi.enforcement import choices as c
from fazhi.enforcement import documents, supervision
from fazhi.enforcement import forms as ef
from fazhi.enforcement.case import step_action
from fazhi.enforcement.models import (
    EnforcementBody,
    EnforcementCase,
    SupervisionMatter,
    SupervisionOpinion,
)
from fazhi.enforcement.views import refused_page, run_step

PROCEDURE = Procedure(
    steps=(
        Step("start", "启动监督", citation="《行政执法监督条例》"),
        Step(
            "opinion",
            "制发监督意见书",
            statuses=(c.MatterStatus.OPEN,),
            reached=lambda m: m.opinions.exists(),
        ),
        Step(
            "correct",
            "整改反馈",
            reached=lambda m: m.opinions.filter(reported_on__isnull=False).exists(),
        ),
        Step(
            "confirm",
            "确认整改",
            reached=lambda m: m.opinions.filter(status=c.OpinionStatus.ACCEPTED).exists(),
        ),
    ),
    done_statuses=(c.MatterStatus.CLOSED,),
)


def _act(obj: Any, name: str, label: str, form: Any, **kwargs: Any) -> CaseAction:
    """A step form of the supervision matter's page (case.step_action on its own route)."""
    return step_action(obj, name, label, form, route="enforcement:supervision_step", **kwargs)


def _may_report(user: Any, opinion: SupervisionOpinion) -> bool:
    return scope.visible(user, opinion.body, CHANGE)


class MatterView(CaseDetailView):
    procedure = PROCEDURE

    def summary(self, obj: Any, ctx: dict[str, Any]) -> list[tuple[str, Any]]:
        facts: list[tuple[str, Any]] = [
            ("监督方式", obj.get_kind_display()),
            ("监督机关", obj.supervisor),
            ("被监督执法主体", obj.body),
            ("状态", obj.get_status_display()),
        ]
        if obj.case_id:
            facts.append(("涉及案件", obj.case))
        if obj.signal:
            facts.append(("风险提示来源", obj.get_signal_display()))
        for o in obj.opinions.all():
            facts.append(
                (
                    f"监督意见书{o.number}",
                    f"{o.get_status_display()}；整改期限{o.due_on:%Y-%m-%d}",
                )
            )
        return facts

    def alerts(self, obj: Any, ctx: dict[str, Any]) -> list[str]:
        today = timezone.localdate()
        return [
            f"监督意见书{o.number}整改期限{o.due_on:%Y-%m-%d}已过，尚未反馈整改情况。"
            for o in obj.opinions.filter(status=c.OpinionStatus.ISSUED, due_on__lt=today)
        ]

    def next_actions(self, obj: Any, ctx: dict[str, Any]) -> list[CaseAction]:
        user = self.request.user
        today = timezone.localdate()
        actions: list[CaseAction] = [
            CaseAction(
                f"监督意见书{o.number}（.docx）",
                reverse("enforcement:opinion_docx", args=[o.pk]),
                download=True,
            )
            for o in obj.opinions.all()
        ]
        # the body reports its correction back (it may not supervise, but it may answer)
        for o in obj.opinions.filter(status=c.OpinionStatus.ISSUED):
            if _may_report(user, o):
                actions.insert(
                    0,
                    _act(
                        obj,
                        "report",
                        f"报告整改情况（{o.number}，期限{o.due_on:%Y-%m-%d}）",
                        ef.ReportCorrectionForm(
                            auto_id=f"rep{o.pk}_%s",
                            initial={"opinion": o.pk, "reported_on": today},
                        ),
                        primary=True,
                        version=o.version,
                    ),
                )
        if not ctx["can_change"]:
            return actions
        for o in obj.opinions.filter(status=c.OpinionStatus.REPORTED):
            actions.insert(
                0,
                _act(
                    obj,
                    "review",
                    f"审查整改情况（{o.number}）",
                    ef.ReviewCorrectionForm(
                        auto_id=f"rev{o.pk}_%s",
                        initial={"opinion": o.pk, "reviewed_on": today},
                    ),
                    primary=True,
                    version=o.version,
                ),
            )
        if obj.status == c.MatterStatus.OPEN:
            actions.append(
                _act(
                    obj,
                    "opinion",
                    "制发监督意见书",
                    ef.IssueOpinionForm(
                        auto_id="op_%s",
                        initial={"issued_on": today, "problems": obj.findings},
                    ),
                    primary=not obj.opinions.exists(),
                )
            )
            actions.append(
                _act(
                    obj,
                    "findings",
                    "记录监督发现的问题",
                    ef.FindingsForm(auto_id="fd_%s", initial={"findings": obj.findings}),
                )
            )
            if not obj.opinions.exclude(status=c.OpinionStatus.ACCEPTED).exists():
                actions.append(
                    _act(
                        obj,
                        "close",
                        "办结",
                        ef.CloseMatterForm(auto_id="cl_%s", initial={"closed_on": today}),
                    )
                )
        return actions

    def panels(self, obj: Any, ctx: dict[str, Any]) -> list:
        return insert_panels(
            super().panels(obj, ctx),
            [
                Panel(
                    "opinions",
                    "监督意见书与整改",
                    "enforcement/supervision/_opinions.html",
                    context={"opinions": list(obj.opinions.select_related("body"))},
                )
            ],
            after="details",
        )


# --- steps ----------------------------------------------------------------------------------
def _get_matter(request: HttpRequest, pk: int) -> SupervisionMatter:
    obj = SupervisionMatter.objects.visible_to(request.user, VIEW).filter(pk=pk).first()
    if obj is None:
        raise Http404("记录不存在或无权访问。")
    return obj


def _opinion_of(matter: SupervisionMatter, form: forms.Form) -> SupervisionOpinion:
    found = matter.opinions.filter(pk=form.cleaned_data["opinion"]).first()
    if found is None:
        raise Http404("记录不存在或无权访问。")
    return found


STEPS: dict[str, tuple[type[forms.Form], Any]] = {
    "opinion": (
        ef.IssueOpinionForm,
        lambda r, m, f: supervision.issue_opinion(m, actor=r.user, **f.cleaned_data),
    ),
    "findings": (
        ef.FindingsForm,
        lambda r, m, f: supervision.record_findings(m, actor=r.user, **f.cleaned_data),
    ),
    "close": (
        ef.CloseMatterForm,
        lambda r, m, f: supervision.close_matter(m, actor=r.user, **f.cleaned_data),
    ),
    "report": (
        ef.ReportCorrectionForm,
        lambda r, m, f: supervision.report_correction(
            _opinion_of(m, f),
            reported_on=f.cleaned_data["reported_on"],
            correction=f.cleaned_data["correction"],
            actor=r.user,
        ),
    ),
    "review": (
        ef.ReviewCorrectionForm,
        lambda r, m, f: supervision.review_correction(
            _opinion_of(m, f),
            reviewed_on=f.cleaned_data["reviewed_on"],
            accepted=f.cleaned_data["accepted"],
            note=f.cleaned_data["note"],
            actor=r.user,
        ),
    ),
}


@login_required
@require_POST
def supervision_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One step of a supervision matter: validate, call one service at the version the page read
    (the matter's, or the 监督意见书's for 整改反馈 and its review), back to the page (or the page
    again with the refusal: 400/409)."""
    matter = _get_matter(request, pk)
    if step not in STEPS:
        raise Http404("没有该办理环节。")
    form_class, call = STEPS[step]
    target = _opinion_of if step in ("report", "review") else None
    status = run_step(request, form_class(request.POST), call, matter, target)
    page = reverse("enforcement:supervisions_detail", args=[matter.pk])
    return redirect(page) if status is None else refused_page(request, page, status)


@login_required
def opinion_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The 行政执法监督意见书 as .docx."""
    opinion = (
        SupervisionOpinion.objects.visible_to(request.user, VIEW)
        .select_related("matter", "body", "township__county")
        .filter(pk=pk)
        .first()
    )
    if opinion is None:
        raise Http404("记录不存在或无权访问。")
    content, filename = documents.render_opinion(opinion)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- the risk queue -------------------------------------------------------------------------
@login_required
def signals(request: HttpRequest) -> HttpResponse:
    """风险提示: what the records show, for the townships the user supervises."""
    if not scope.has_any(request.user, ADD, SupervisionMatter):
        raise PermissionDenied("您的角色无权开展执法监督。")
    today = timezone.localdate()
    rows = supervision.signals_for(request.user, today)
    wanted = request.GET.get("signal", "")
    counts = Counter(s.code for s in rows)
    if wanted:
        rows = [s for s in rows if s.code == wanted]
    return render(
        request,
        "enforcement/supervision/signals.html",
        {
            "signals": rows,
            "today": today,
            "kinds": [(k, label, counts.get(k, 0)) for k, label in c.RiskSignal.choices],
            "wanted": wanted,
        },
    )


def _supervisor_of(user: Any, township: Any) -> tuple[str, str]:
    """(level, name) of the supervising organ: the county 司法局 when the user supervises
    through a county membership, else the township's 司法所."""
    for role, county_id, _township_id, _village_id in scope._memberships(user):
        if county_id == township.county_id and SUPERVISE in ROLE_ACTIONS.get(role, ()):
            return c.SupervisorLevel.COUNTY, f"{township.county.name}司法局"
    return c.SupervisorLevel.TOWNSHIP, f"{township.name}司法所"


@login_required
@require_POST
def start_from_signal(request: HttpRequest) -> HttpResponse:
    """发起监督 from a signal: a 个案监督 matter about the signal's case or inspection."""
    from fazhi.inspections.models import Inspection

    code = request.POST.get("signal", "")
    if code not in c.RiskSignal.values:
        raise Http404("没有该风险提示。")
    case = inspection = None
    if request.POST.get("case"):
        case = (
            EnforcementCase.objects.visible_to(request.user, VIEW)
            .filter(pk=request.POST["case"])
            .first()
        )
        record = case
    else:
        inspection = (
            Inspection.objects.visible_to(request.user, VIEW)
            .filter(pk=request.POST.get("inspection") or 0)
            .first()
        )
        record = inspection
    if record is None:
        raise Http404("记录不存在或无权访问。")
    body = EnforcementBody.objects.get(pk=record.body_id)
    level, name = _supervisor_of(request.user, record.township)
    today = timezone.localdate()
    try:
        matter = supervision.open_matter(
            township=record.township,
            kind=c.SupervisionKind.SINGLE_CASE,
            level=level,
            supervisor=name,
            title=f"{c.RiskSignal(code).label}：{record}",
            subject=c.SupervisionSubject.CASE if case else c.SupervisionSubject.INSPECTION,
            body=body,
            case=case,
            inspection=inspection,
            started_on=today,
            signal=code,
            actor=request.user,
        )
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
        return redirect(reverse("enforcement:supervision_signals"))
    messages.success(request, "已发起个案监督。")
    return redirect(reverse("enforcement:supervisions_detail", args=[matter.pk]))
