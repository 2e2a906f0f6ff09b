"""Pages of the disputes module beyond the generic ones. A view validates input, calls one
service, renders; the scope gate decides 404 vs 403."""

from __future__ import annotations

from collections.abc import Callable
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

from fazhi.core import resources, scope
from fazhi.core.models import Township
from fazhi.core.roles import ADD, CHANGE, EXPORT, IMPORT, VIEW
from fazhi.core.views.generic import DetailView, act_at_version, apply_errors
from fazhi.core.views.io import XLSX
from fazhi.disputes import choices as c
from fazhi.disputes import documents, io, services, stats
from fazhi.disputes import forms as dforms
from fazhi.disputes.models import BacklogCase, Dispute, EarlyWarning, MediationAgreement
from fazhi.indicators.registry import Period


def _get(model: type, request: HttpRequest, pk: int, action: str = VIEW) -> Any:
    obj = model.objects.visible_to(request.user, VIEW).filter(pk=pk).first()
    if obj is None:
        raise Http404("记录不存在或无权访问。")
    if action != VIEW:
        scope.ensure(request.user, action, obj)
    return obj


def _form_errors(request: HttpRequest, form: forms.Form) -> None:
    for name, errs in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for e in errs:
            messages.error(request, f"{label}：{e}" if label else e)


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- dispute page ---------------------------------------------------------------------------
def other_records(dispute: Dispute, links: list[Any], user: Any) -> list[Any]:
    """The parties' records in every module (party index), other than this dispute, that the
    viewer may see: a repeat party or a petitioner in dispute shows here."""
    from fazhi.parties import registry

    seen = {f"disputes.dispute:{dispute.pk}"}
    out = []
    for link in links:
        for record in registry.records_for(link.party, user):
            if record.key not in seen:
                seen.add(record.key)
                out.append((link.party, record))
    return out[:30]


def _dispute_action(
    form_class: type[forms.Form], run: Callable[[Dispute, dict[str, Any], Any], Any], done: str
) -> Callable[..., HttpResponse]:
    """A small form on the dispute's case page, posted here. A bad entry re-renders the page
    with the form open and each error next to its field (400); nothing is written."""
    name = form_class.__name__.removesuffix("Form").lower()

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        dispute = _get(Dispute, request, pk, CHANGE)
        kwargs = (
            {"dispute": dispute, "user": request.user}
            if form_class
            in (
                dforms.AcceptForm,
                dforms.EscalateForm,
            )
            else {}
        )
        form = form_class(request.POST, auto_id=f"{name}_%s", **kwargs)
        status = 400
        if form.is_valid():
            outcome = act_at_version(
                request, form, dispute, lambda: run(dispute, form.cleaned_data, request.user)
            )
            if outcome.ok:
                messages.success(request, done)
                return redirect("disputes:disputes_detail", pk=dispute.pk)
            status = outcome.status
        return _case_page_with(request, dispute, name, form, status)

    return view


def _case_page_with(
    request: HttpRequest, dispute: Dispute, name: str, form: Any, status: int = 400
) -> HttpResponse:
    from fazhi.disputes.case import DisputeDetailView
    from fazhi.disputes.resources import DISPUTES

    page = DisputeDetailView(resource=DISPUTES)
    page.setup(request, pk=dispute.pk)
    page.bound = {name: form}
    response = page.get(request, dispute.pk)
    response.status_code = status
    return response


def _record_action(
    request: HttpRequest,
    obj: Any,
    form: forms.Form,
    run: Callable[[], Any],
    done: str,
    page: tuple[str, type[DetailView]],
) -> HttpResponse:
    """An action form on a record's own page (agreement, warning, backlog case), posted with the
    version the page showed: done → back to the page; a bad entry, a missing version (400) or a
    record changed meanwhile (409) → the page again with the errors, nothing written."""
    status = 400
    if form.is_valid():
        try:
            outcome = act_at_version(request, form, obj, run)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            if outcome.ok:
                messages.success(request, done)
                return redirect(f"disputes:{page[0]}_detail", pk=obj.pk)
            status = outcome.status
    _form_errors(request, form)
    slug, view_class = page
    detail = view_class(resource=resources.get("disputes", slug))
    detail.setup(request, pk=obj.pk)
    response = detail.get(request, obj.pk)
    response.status_code = status
    return response


accept = _dispute_action(
    dforms.AcceptForm,
    lambda d, f, u: services.accept_dispute(d, on=f["on"], actor=u, mediator=f["mediator"]),
    "已受理调解，调结期限开始计算。",
)
conclude = _dispute_action(
    dforms.ConcludeForm,
    lambda d, f, u: services.conclude_dispute(
        d, f["outcome"], on=f["on"], actor=u, note=f["note"], route=f["route"], reason=f["reason"]
    ),
    "已登记办结结果。",
)
extend = _dispute_action(
    dforms.ExtendForm,
    lambda d, f, u: services.extend_conclusion(d, days=f["days"], reason=f["reason"], actor=u),
    "已延长调结期限。",
)
escalate = _dispute_action(
    dforms.EscalateForm,
    lambda d, f, u: services.escalate_dispute(
        d, committee=f["committee"], on=f["on"], reason=f["reason"], actor=u
    ),
    "已上报，并通知分包领导。",
)
linkage = _dispute_action(
    dforms.LinkageForm,
    lambda d, f, u: services.record_linkage(
        d,
        channel=f["channel"],
        direction=f["direction"],
        on=f["on"],
        counterpart=f["counterpart"],
        note=f["note"],
        actor=u,
    ),
    "已记录衔接情况。",
)
archive = _dispute_action(
    dforms.ArchiveForm,
    lambda d, f, u: services.archive_dispute(d, on=f["on"], actor=u),
    "卷宗完整，已归档。",
)


# --- agreement ------------------------------------------------------------------------------
class AgreementDetailView(DetailView):
    def context(self, **extra: Any) -> dict[str, Any]:
        ctx = super().context(**extra)
        if extra.get("obj") is not None:
            ctx["upload_form"] = dforms.UploadForm()
        return ctx


@login_required
def agreement_docx(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _get(MediationAgreement, request, pk)
    content = documents.render_agreement(agreement, user=request.user)
    return _attachment(
        content,
        f"人民调解协议书_{agreement.number or agreement.pk}.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@login_required
@require_POST
def agreement_upload(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _get(MediationAgreement, request, pk, CHANGE)
    form = dforms.UploadForm(request.POST, request.FILES)
    return _record_action(
        request,
        agreement,
        form,
        lambda: services.attach_signed_scan(
            agreement, form.cleaned_data["file"], actor=request.user
        ),
        "已上传签字盖章扫描件。",
        ("agreements", AgreementDetailView),
    )


# --- warnings -------------------------------------------------------------------------------
class WarningDetailView(DetailView):
    def context(self, **extra: Any) -> dict[str, Any]:
        ctx = super().context(**extra)
        obj = extra.get("obj")
        if obj is None:
            return ctx
        if obj.status == c.WarningStatus.OPEN and ctx.get("can_change"):
            ctx["handle_form"] = dforms.HandleWarningForm(initial={"on": timezone.localdate()})
        # the thresholds in force; unconfirmed ([U]) defaults are shown as such
        ctx["thresholds"] = services.settings_for(obj.township_id)
        return ctx


@login_required
@require_POST
def warning_handle(request: HttpRequest, pk: int) -> HttpResponse:
    warning = _get(EarlyWarning, request, pk, CHANGE)
    form = dforms.HandleWarningForm(request.POST)
    return _record_action(
        request,
        warning,
        form,
        lambda: services.handle_warning(
            warning,
            action=form.cleaned_data["action"],
            note=form.cleaned_data["note"],
            on=form.cleaned_data["on"],
            actor=request.user,
        ),
        "已登记处置情况。",
        ("warnings", WarningDetailView),
    )


# --- backlog --------------------------------------------------------------------------------
class BacklogDetailView(DetailView):
    def context(self, **extra: Any) -> dict[str, Any]:
        ctx = super().context(**extra)
        obj = extra.get("obj")
        if obj is None:
            return ctx
        ctx["file_items"] = services.backlog_file(obj)
        if ctx.get("can_change"):
            ctx["resolve_form"] = dforms.ResolveBacklogForm(initial={"on": timezone.localdate()})
            ctx["archive_form"] = dforms.ArchiveForm(initial={"on": timezone.localdate()})
        return ctx


@login_required
@require_POST
def backlog_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get(BacklogCase, request, pk, CHANGE)
    form = dforms.ResolveBacklogForm(request.POST)
    return _record_action(
        request,
        case,
        form,
        lambda: services.resolve_backlog(
            case,
            how=form.cleaned_data["how"],
            on=form.cleaned_data["on"],
            note=form.cleaned_data["note"],
            actor=request.user,
        ),
        "已登记积案化解。",
        ("backlog", BacklogDetailView),
    )


@login_required
@require_POST
def backlog_archive(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get(BacklogCase, request, pk, CHANGE)
    form = dforms.ArchiveForm(request.POST)
    return _record_action(
        request,
        case,
        form,
        lambda: services.archive_backlog(case, on=form.cleaned_data["on"], actor=request.user),
        "卷宗完整，已归档。",
        ("backlog", BacklogDetailView),
    )


# --- the grid worker's report ---------------------------------------------------------------
@login_required
def grid_report(request: HttpRequest) -> HttpResponse:
    """A phone-width form: village and grid prefilled from the worker's membership."""
    if not scope.has_any(request.user, ADD, Dispute):
        raise PermissionDenied("您的角色无权上报纠纷。")
    form = dforms.GridReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        village = data["village"]
        try:
            dispute = services.register_dispute(
                Township.objects.get(pk=village.township_id),
                received_on=timezone.localdate(),
                source=c.DisputeSource.GRID,
                kind=data["kind"],
                description=data["description"],
                parties=form.parties(),
                village=village,
                grid=data.get("grid"),
                risk_level=c.RiskLevel.MEDIUM if data.get("urgent") else c.RiskLevel.LOW,
                reported_by=request.user,
                actor=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return render(request, "disputes/grid_report_done.html", {"dispute": dispute})
    status = 400 if request.method == "POST" else 200
    return render(request, "disputes/grid_report.html", {"form": form}, status=status)


# --- statistics -----------------------------------------------------------------------------
@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    """人民调解统计表 by type × outcome, from the records; ?format=xlsx exports it."""
    if not scope.has_any(request.user, VIEW, Dispute):
        raise PermissionDenied("您的角色无权查看调解统计。")
    townships = Township.objects.visible_to(request.user, VIEW).order_by("county_id", "name")
    form = dforms.PeriodForm(request.GET or None, townships=townships)
    table = None
    if form.is_bound and form.is_valid():
        township = form.cleaned_data["township"]
        period = Period.between(form.cleaned_data["start"], form.cleaned_data["end"])
        if period == Period.year(period.start.year):
            period = Period.year(period.start.year)
        table = stats.build(township, period)
        if request.GET.get("format") == "xlsx":
            if not scope.has_any(request.user, EXPORT, Dispute):
                raise PermissionDenied("您的角色无权导出。")
            return _attachment(
                stats.workbook(table),
                f"{township.name}人民调解统计表_{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx",
                XLSX,
            )
    elif not form.is_bound and townships.count() == 1:
        form = dforms.PeriodForm(
            {
                "township": townships.first().pk,
                "start": form.fields["start"].initial,
                "end": form.fields["end"].initial,
            },
            townships=townships,
        )
        if form.is_valid():
            year = form.cleaned_data["start"].year
            table = stats.build(form.cleaned_data["township"], Period.year(year))
    return render(
        request,
        "disputes/statistics.html",
        {
            "form": form,
            "table": table,
            "query": request.GET.urlencode(),
            "can_export": scope.has_any(request.user, EXPORT, Dispute),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


# --- ledger import --------------------------------------------------------------------------
@login_required
def ledger_template(request: HttpRequest) -> HttpResponse:
    if not scope.has_any(request.user, IMPORT, Dispute):
        raise PermissionDenied("您的角色无权导入。")
    return _attachment(io.template_workbook(), "矛盾纠纷台账_导入模板.xlsx", XLSX)


@login_required
def ledger_import(request: HttpRequest) -> HttpResponse:
    if not scope.has_any(request.user, IMPORT, Dispute):
        raise PermissionDenied("您的角色无权导入。")
    context: dict[str, Any] = {"columns": io.COLUMNS}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = "请选择要导入的 Excel 文件。"
            return render(request, "disputes/ledger_import.html", context, status=400)
        result = io.import_ledger(upload, actor=request.user)
        if result.errors:
            context["result"] = result
            return render(request, "disputes/ledger_import.html", context, status=400)
        if result.job_id:
            messages.info(request, f"文件较大，已转为后台任务处理（任务号 {result.job_id}）。")
        else:
            messages.success(request, f"导入完成：新建纠纷 {result.created} 件。")
        return redirect(reverse("disputes:disputes_list"))
    return render(request, "disputes/ledger_import.html", context)
