"""Workflow pages of the petitions app. A view parses a form, calls one service, renders.

The generic resource pages (list, detail, edit, history, Excel) come from `resources.py`; these
add registration with the printed receipt, the actions of the loop, the opinion document, the
backlog actions, the statistics table and the ledger import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from fazhi.core import scope
from fazhi.core.models import Township
from fazhi.core.roles import CHANGE, EXPORT, IMPORT, VIEW
from fazhi.core.views.generic import (
    EditView,
    act_at_version,
    apply_errors,
    column_label,
    display_value,
)
from fazhi.indicators.registry import Period
from fazhi.petitions import documents, forms, io, metrics, rules, services
from fazhi.petitions.choices import Action, Channel
from fazhi.petitions.models import BacklogCase, Petition, PetitionOpinion
from fazhi.petitions.resources import BACKLOG, PETITIONS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SESSION_CODES = "petitions_receipt_codes"


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _petition(request: HttpRequest, pk: int, action: str = VIEW) -> Petition:
    obj = (
        Petition.objects.visible_to(request.user, VIEW)
        .select_related("township", "petitioner")
        .filter(pk=pk)
        .first()
    )
    if obj is None:
        raise Http404("记录不存在或无权访问。")
    if action != VIEW:
        scope.ensure(request.user, action, obj)
    return obj


def _remember_code(request: HttpRequest, petition: Petition, code: str) -> None:
    """Keep the clear code for the one receipt page that prints it (then it is forgotten)."""
    codes = request.session.get(SESSION_CODES, {})
    codes[str(petition.pk)] = code
    request.session[SESSION_CODES] = codes


# --- registration and receipt ---------------------------------------------------------------
class RegisterView(EditView):
    """The add page of petitions: registers and goes to the receipt with the code."""

    template_name = "petitions/register.html"

    def post(self, request: HttpRequest, pk: Any = None) -> HttpResponse:
        if pk is not None:
            return super().post(request, pk)
        self._load(None)
        form = self.get_form(None)
        if form.is_valid():
            try:
                petition = services.create_from_resource(
                    Petition, form.changed_data_dict(), actor=request.user
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                _remember_code(request, petition, petition.receipt_code)
                messages.success(request, f"已登记信访事项：{petition.receipt_no}")
                return HttpResponseRedirect(
                    reverse("petitions:petition_receipt", args=[petition.pk])
                )
        return render(request, self.template_name, self.context(form=form, obj=None), status=400)


@login_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable receipt (登记回执). The code shows once, right after registration or a
    reissue; afterwards only a new code can be issued."""
    petition = _petition(request, pk)
    codes = request.session.get(SESSION_CODES, {})
    code = codes.pop(str(pk), "")
    if code:
        request.session[SESSION_CODES] = codes
    return render(
        request,
        "petitions/receipt.html",
        {
            "p": petition,
            "code": code,
            "portal_url": request.build_absolute_uri(reverse("petitions_portal:lookup")),
            "can_change": scope.visible(request.user, petition, CHANGE),
        },
    )


# --- the actions of the loop ----------------------------------------------------------------
@dataclass(frozen=True)
class ActionSpec:
    form: type[forms.ActionForm]
    run: Callable[..., Any]
    done: str
    help: str = ""


def _run_reissue(petition: Petition, *, actor: Any) -> str:
    return services.reissue_code(petition, actor=actor)


ACTIONS: dict[str, ActionSpec] = {
    Action.ACCEPT: ActionSpec(
        forms.AcceptForm,
        services.accept_petition,
        "已受理并记录书面告知",
        "受理后开始计算60日办理期限（《信访工作条例》第三十四条）。",
    ),
    Action.DECLINE: ActionSpec(
        forms.DeclineForm,
        services.decline_petition,
        "已记录不予受理及书面告知",
        "不予受理的，应当书面告知信访人并说明理由（第二十三条）。",
    ),
    "refuse_repeat": ActionSpec(
        forms.RepeatForm,
        services.refuse_repeat,
        "已按复核终结的同一事项不予受理",
        "复核终结后，以同一事实和理由提出的信访请求不再受理（第三十六条）。",
    ),
    Action.OBJECT: ActionSpec(
        forms.ObjectForm,
        services.object_to_assignment,
        "已记录异议",
        "不属于本机关职权范围的转送、交办事项，应在5个工作日内提出异议并说明理由（第二十三条）。",
    ),
    Action.EXTEND: ActionSpec(
        forms.ExtendForm,
        services.extend_handling,
        "已延长办理期限",
        "延期须经本机关负责人批准，合计不超过30日，并告知信访人延期理由（第三十四条）。",
    ),
    Action.ISSUE_OPINION: ActionSpec(
        forms.OpinionForm,
        services.issue_opinion,
        "已出具处理意见书",
        "处理意见书载明信访请求、事实和理由、处理意见及其法律法规依据（第三十二条）。",
    ),
    Action.SERVE: ActionSpec(forms.ServeForm, services.serve_opinion, "已记录送达"),
    Action.REQUEST_REVIEW: ActionSpec(
        forms.RequestLevelForm,
        services.request_review,
        "已登记复查申请",
        "信访人可自收到书面答复之日起30日内请求复查（第三十五条）。",
    ),
    Action.RECORD_REVIEW: ActionSpec(
        forms.RecordLevelForm, services.record_review, "已登记复查意见"
    ),
    Action.REQUEST_RECHECK: ActionSpec(
        forms.RequestLevelForm,
        services.request_recheck,
        "已登记复核申请",
        "信访人可自收到复查意见之日起30日内请求复核（第三十六条）。",
    ),
    Action.RECORD_RECHECK: ActionSpec(
        forms.RecordLevelForm, services.record_recheck, "已登记复核意见，信访事项终结"
    ),
    Action.CLOSE: ActionSpec(forms.CloseForm, services.close_petition, "已终结归档"),
    Action.ROUTE: ActionSpec(
        forms.RouteForm,
        services.route_to_legal_channel,
        "已导入法定途径并办结",
        "依法应当通过诉讼、仲裁、行政复议等法定途径解决的，导入相应程序（第三十一条）。",
    ),
    Action.ESCALATE: ActionSpec(forms.EscalateForm, services.escalate_to_township, "已上交镇级"),
    Action.HAND_UP: ActionSpec(forms.HandUpForm, services.hand_up_to_county, "已上交县级"),
    Action.TO_MEDIATION: ActionSpec(
        forms.MediationForm, services.transfer_to_mediation, "已转人民调解"
    ),
    Action.RATE: ActionSpec(forms.RateForm, services.rate_petition, "已登记满意度评价"),
    Action.FLAG_BACKLOG: ActionSpec(forms.BacklogForm, services.flag_backlog, "已列为信访积案"),
    Action.REISSUE_CODE: ActionSpec(forms.ReissueForm, _run_reissue, "已重新生成查询码"),
}


def _action_label(action: str) -> str:
    if action == "refuse_repeat":
        return "按重复信访不予受理"
    return Action(action).label


@login_required
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("没有该操作。")
    petition = _petition(request, pk, CHANGE)
    form = spec.form(request.POST or None, petition=petition, user=request.user)
    if request.method == "GET" and "on" in form.fields:
        form.fields["on"].initial = timezone.localdate()
    status = 400
    if request.method == "POST" and form.is_valid():
        outcome = act_at_version(
            request,
            form,
            petition,
            lambda: spec.run(petition, actor=request.user, **form.service_kwargs()),
        )
        if outcome.ok:
            messages.success(request, spec.done)
            if action == Action.REISSUE_CODE:
                _remember_code(request, petition, outcome.result)
                return HttpResponseRedirect(reverse("petitions:petition_receipt", args=[pk]))
            return HttpResponseRedirect(PETITIONS.url("detail", petition))
        status = outcome.status
    return render(
        request,
        "petitions/action.html",
        {
            "p": petition,
            "form": form,
            "action": action,
            "label": _action_label(action),
            "help": spec.help,
            "repeat_reason": services.repeat_refusal_reason(petition)
            if action in (Action.ACCEPT, "refuse_repeat")
            else "",
        },
        status=status if request.method == "POST" else 200,
    )


@login_required
def opinion_docx(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = (
        PetitionOpinion.objects.visible_to(request.user, VIEW)
        .select_related("petition", "petition__petitioner", "petition__township")
        .filter(pk=pk)
        .first()
    )
    if opinion is None:
        raise Http404("记录不存在或无权访问。")
    return _download(documents.render_opinion(opinion), documents.filename(opinion), DOCX)


# --- backlog actions --------------------------------------------------------------------------
def _case(request: HttpRequest, pk: int) -> BacklogCase:
    case = BacklogCase.objects.visible_to(request.user, VIEW).filter(pk=pk).first()
    if case is None:
        raise Http404("记录不存在或无权访问。")
    scope.ensure(request.user, CHANGE, case)
    return case


@login_required
def backlog_progress(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = forms.ProgressForm(request.POST or None, initial={"on": timezone.localdate()})
    status = 400
    if request.method == "POST" and form.is_valid():
        outcome = act_at_version(
            request,
            form,
            case,
            lambda: services.add_backlog_progress(case, actor=request.user, **form.cleaned_data),
        )
        if outcome.ok:
            messages.success(request, "已记录化解进展")
            return HttpResponseRedirect(BACKLOG.url("detail", case))
        status = outcome.status
    return render(
        request,
        "petitions/backlog_action.html",
        {"case": case, "form": form, "label": "记录化解进展"},
        status=status if request.method == "POST" else 200,
    )


@login_required
def backlog_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = forms.ResolveForm(request.POST or None, initial={"on": timezone.localdate()})
    status = 400
    if request.method == "POST" and form.is_valid():
        outcome = act_at_version(
            request,
            form,
            case,
            lambda: services.resolve_backlog(case, actor=request.user, **form.cleaned_data),
        )
        if outcome.ok:
            messages.success(request, "积案已化解")
            return HttpResponseRedirect(BACKLOG.url("detail", case))
        status = outcome.status
    return render(
        request,
        "petitions/backlog_action.html",
        {"case": case, "form": form, "label": "化解销号"},
        status=status if request.method == "POST" else 200,
    )


# --- statistics -----------------------------------------------------------------------------
def _township_and_period(request: HttpRequest) -> tuple[list[Township], Township, Period]:
    if not scope.has_any(request.user, VIEW, Petition):
        raise PermissionDenied("您的角色无权查看信访统计。")
    townships = list(
        Township.objects.visible_to(request.user, VIEW).select_related("county").order_by("name")
    )
    if not townships:
        raise PermissionDenied("您的角色无权查看信访统计。")
    raw = request.GET.get("township")
    township = townships[0]
    if raw:
        township = next((t for t in townships if str(t.pk) == raw), None)
        if township is None:
            raise Http404("乡镇不存在或无权访问。")
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return townships, township, Period.year(max(2000, min(2100, year)))


def _scoped(request: HttpRequest, qs: Any) -> Any:
    return qs.filter(scope.scope_filter(request.user, VIEW, qs.model))


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    townships, township, period = _township_and_period(request)
    table = metrics.channel_status_table(township, period)
    figures = [
        m.compute(township, period)
        for m in (
            metrics.REGISTERED,
            metrics.ACCEPTED,
            metrics.ACCEPTED_ON_TIME,
            metrics.CLOSED_ON_TIME,
            metrics.CLOSURE,
            metrics.SATISFACTION,
            metrics.REPEAT,
            metrics.BACKLOG_RESOLVED,
        )
    ]
    query = urlencode({"township": township.pk, "year": period.start.year})
    return render(
        request,
        "petitions/stats.html",
        {
            "townships": townships,
            "township": township,
            "period": period,
            "year": period.start.year,
            "columns": metrics.COLUMNS,
            "table": table,
            "figures": figures,
            "query": query,
            "can_export": scope.has_any(request.user, EXPORT, Petition),
        },
    )


@login_required
def stats_export(request: HttpRequest) -> HttpResponse:
    _townships, township, period = _township_and_period(request)
    if not scope.has_any(request.user, EXPORT, Petition):
        raise PermissionDenied("您的角色无权导出。")
    content = io.export_stats(township, period)
    return _download(content, f"{township.name}信访统计表_{period.start.year}.xlsx", XLSX)


@login_required
def stats_cell(request: HttpRequest) -> HttpResponse:
    """The petitions behind one cell of the statistics table."""
    _townships, township, period = _township_and_period(request)
    column = request.GET.get("column", "total")
    channel = request.GET.get("channel") or None
    if column not in metrics.COLUMN_BY_KEY or (channel and channel not in Channel.values):
        raise Http404("没有该统计项。")
    records = metrics.cell_records(township, period, channel, column)
    total = records.count()
    records = _scoped(request, records).order_by("-received_on", "-pk")
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    names = PETITIONS.list_columns
    rows = [(PETITIONS.url("detail", p), [display_value(p, n) for n in names]) for p in page]
    return render(
        request,
        "petitions/stats_cell.html",
        {
            "township": township,
            "period": period,
            "column": metrics.COLUMN_BY_KEY[column],
            "channel_label": Channel(channel).label if channel else "合计",
            "columns": [column_label(Petition, n) for n in names],
            "rows": rows,
            "page": page,
            "total": total,
            "hidden": total - page.paginator.count,
            "query": urlencode(
                {
                    "township": township.pk,
                    "year": period.start.year,
                    "column": column,
                    "channel": channel or "",
                }
            ),
        },
    )


# --- rules ----------------------------------------------------------------------------------
@login_required
def rules_page(request: HttpRequest) -> HttpResponse:
    """The declared periods with their citations, the length in force for the user's township
    (county override shown), and the unconfirmed conventions."""
    from fazhi.core.rules import effective_rule

    township = Township.objects.visible_to(request.user, VIEW).select_related("county").first()
    rows = []
    for rule in rules.ALL_RULES:
        effective = effective_rule(rule.code, township) if township is not None else None
        rows.append((rule, effective))
    return render(
        request,
        "petitions/rules.html",
        {
            "rows": rows,
            "township": township,
            "conventions": rules.UNCONFIRMED_CONVENTIONS,
        },
    )


# --- the ledger (Excel) ---------------------------------------------------------------------
@login_required
def ledger_template(request: HttpRequest) -> HttpResponse:
    if not scope.has_any(request.user, IMPORT, Petition):
        raise PermissionDenied("您的角色无权导入。")
    return _download(io.template_workbook(), "信访台账_导入模板.xlsx", XLSX)


@login_required
def ledger_export(request: HttpRequest) -> HttpResponse:
    if not scope.has_any(request.user, EXPORT, Petition):
        raise PermissionDenied("您的角色无权导出。")
    filterset = PETITIONS.get_filterset_class()(
        request.GET or None, queryset=PETITIONS.queryset(request.user, EXPORT), request=request
    )
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _download(io.export_ledger(queryset), f"信访台账_{stamp}.xlsx", XLSX)


@login_required
def ledger_import(request: HttpRequest) -> HttpResponse:
    if not scope.has_any(request.user, IMPORT, Petition):
        raise PermissionDenied("您的角色无权导入。")
    form = forms.LedgerImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = io.import_ledger(form.cleaned_data["file"], actor=request.user)
        if not result.errors:
            if result.job_id:
                messages.info(request, f"文件较大，已转为后台任务处理（任务号 {result.job_id}）。")
            else:
                messages.success(request, f"导入完成：新建信访事项 {result.created} 件。")
            return HttpResponseRedirect(PETITIONS.url("list"))
    return render(
        request,
        "petitions/ledger_import.html",
        {
            "form": form,
            "result": result,
            "can_export": scope.has_any(request.user, EXPORT, Petition),
        },
        status=400 if request.method == "POST" else 200,
    )
