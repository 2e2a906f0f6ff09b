"""Pages of the inspections module beyond the generic ones: the workflow steps of an inspection
and a hazard. A view validates input, calls one service, redirects; the scope gate decides 404
vs 403."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core import scope
from fazhi.core.roles import CHANGE, VIEW
from fazhi.core.services import parse_version
from fazhi.core.views.generic import DetailView, act_at_version
from fazhi.inspections import choices as c
from fazhi.inspections import services
from fazhi.inspections.forms import ApproveForm, RecordForm, RectifyForm, VerifyForm
from fazhi.inspections.models import Hazard, Inspection


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


class InspectionDetailView(DetailView):
    def context(self, **extra: Any) -> dict[str, Any]:
        ctx = super().context(**extra)
        obj = extra.get("obj")
        if obj is not None:
            today = timezone.localdate()
            ctx["approve_form"] = ApproveForm(initial={"approved_on": today})
            ctx["record_form"] = RecordForm(initial={"inspected_on": today})
            ctx["officer_rows"] = [
                (o, o.certificate_on(obj.inspected_on or obj.planned_on))
                for o in obj.officers.all()
            ]
        return ctx


class HazardDetailView(DetailView):
    def context(self, **extra: Any) -> dict[str, Any]:
        ctx = super().context(**extra)
        today = timezone.localdate()
        ctx["rectify_form"] = RectifyForm(initial={"rectified_on": today})
        ctx["verify_form"] = VerifyForm(initial={"verified_on": today})
        return ctx


def _refused(request: HttpRequest, url: str, form: forms.Form, status: int) -> HttpResponse:
    """The record's page again with the form's errors (named by field) and `status`."""
    from fazhi.enforcement.views import refused_page

    _form_errors(request, form)
    return refused_page(request, url, status)


def _step(request: HttpRequest, model: type, pk: int, form_class: type, call: Any) -> HttpResponse:
    """A step posted from the record's page, run at the version the page read (hidden `version`,
    act_at_version): back to the page; refused (invalid, no version 400, older 409, the
    service's reason) the page again with the reasons, nothing written."""
    obj = _get(model, request, pk, CHANGE)
    form = form_class(request.POST)
    status = 400
    if form.is_valid():
        outcome = act_at_version(request, form, obj, lambda: call(obj, form.cleaned_data))
        if outcome.ok:
            messages.success(request, "已保存。")
            return redirect(obj.resource.url("detail", obj))
        status = outcome.status
    return _refused(request, obj.resource.url("detail", obj), form, status)


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        Inspection,
        pk,
        ApproveForm,
        lambda obj, d: services.approve_inspection(obj, actor=request.user, **d),
    )


@login_required
@require_POST
def record(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        Inspection,
        pk,
        RecordForm,
        lambda obj, d: services.record_inspection(obj, actor=request.user, **d),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label="取消理由", max_length=200)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        Inspection,
        pk,
        CancelForm,
        lambda obj, d: services.cancel_inspection(obj, actor=request.user, **d),
    )


@login_required
@require_POST
def rectify(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        Hazard,
        pk,
        RectifyForm,
        lambda obj, d: services.rectify_hazard(obj, actor=request.user, **d),
    )


@login_required
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        Hazard,
        pk,
        VerifyForm,
        lambda obj, d: services.verify_hazard(obj, actor=request.user, **d),
    )


STATUS_LABELS = dict(c.InspectionStatus.choices)


class DrawForm(forms.Form):
    """随机抽取 has no fields: only the plan's version (posted hidden)."""


@login_required
@require_POST
def plan_draw(request: HttpRequest, pk: int) -> HttpResponse:
    from fazhi.inspections import random
    from fazhi.inspections.models import RandomPlan

    plan = _get(RandomPlan, request, pk, CHANGE)
    form = DrawForm(request.POST)
    outcome = act_at_version(
        request, form, plan, lambda: random.draw_plan(plan, actor=request.user)
    )
    if not outcome.ok:
        return _refused(request, plan.resource.url("detail", plan), form, outcome.status)
    plan = outcome.result
    messages.success(request, f"已抽取{plan.targets.count()}户，种子{plan.seed}。")
    return redirect(plan.resource.url("detail", plan))


class PublishForm(forms.Form):
    published_on = forms.DateField(label="公示日期", widget=forms.DateInput(attrs={"type": "date"}))


class ResultForm(forms.Form):
    result = forms.ChoiceField(
        label="抽查结果", choices=[(v, label) for v, label in c.RandomResult.choices if v]
    )
    result_on = forms.DateField(label="检查日期", widget=forms.DateInput(attrs={"type": "date"}))


@login_required
@require_POST
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """公示抽查结果 at the plan's version the results page read (act_at_version; the service
    gets the same version, so its own check agrees)."""
    from fazhi.inspections import random
    from fazhi.inspections.models import RandomPlan

    plan = _get(RandomPlan, request, pk, CHANGE)
    form = PublishForm(request.POST)
    status = 400
    if form.is_valid():
        outcome = act_at_version(
            request,
            form,
            plan,
            lambda: random.publish_results(
                plan,
                published_on=form.cleaned_data["published_on"],
                expected_version=parse_version(request.POST.get("version")),
                actor=request.user,
            ),
        )
        if outcome.ok:
            messages.success(request, "抽查结果已公示。")
            return redirect("inspections:plan_results", pk=plan.pk)
        status = outcome.status
    _form_errors(request, form)
    response = plan_results(request, plan.pk)
    response.status_code = status
    return response


@login_required
def plan_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Phone-width list of a drawn plan's entities with their results, the publication deadline
    (20 工作日 after the plan's end) and its state, and the publish form once all are entered."""
    from fazhi.inspections import random
    from fazhi.inspections.models import RandomPlan

    plan = _get(RandomPlan, request, pk)
    targets = list(plan.targets.select_related("enterprise").order_by("rank"))
    pending = sum(1 for t in targets if not t.result)
    can_change = scope.visible(request.user, plan, CHANGE)
    ctx = {
        "plan": plan,
        "targets": targets,
        "pending": pending,
        "entered": len(targets) - pending,
        "timeliness": random.timeliness(plan),
        "can_change": can_change,
        "publish_form": PublishForm(initial={"published_on": timezone.localdate()}),
    }
    return render(request, "inspections/plan_results.html", ctx)


@login_required
def target_result(request: HttpRequest, pk: int) -> HttpResponse:
    """Phone-width entry of one drawn entity's result; after saving, the next entity without a
    result opens."""
    from fazhi.inspections import random
    from fazhi.inspections.models import RandomTarget

    target = _get(RandomTarget, request, pk)
    plan = target.plan
    if request.method == "POST":
        scope.ensure(request.user, CHANGE, plan)
        form = ResultForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            outcome = act_at_version(
                request,
                form,
                target,
                lambda: random.record_result(
                    target,
                    result=data["result"],
                    result_on=data["result_on"],
                    expected_version=parse_version(request.POST.get("version")),
                    actor=request.user,
                ),
            )
            if outcome.ok:
                messages.success(request, f"已保存：{target.enterprise}。")
                following = (
                    plan.targets.filter(result="", rank__gt=target.rank).order_by("rank").first()
                )
                if following is not None:
                    return redirect("inspections:target_result", pk=following.pk)
                return redirect("inspections:plan_results", pk=plan.pk)
            status = outcome.status
    else:
        form = ResultForm(
            initial={
                "result": target.result or c.RandomResult.OK,
                "result_on": target.result_on or timezone.localdate(),
            }
        )
        status = 200
    ctx = {
        "plan": plan,
        "target": target,
        "form": form,
        "can_change": scope.visible(request.user, plan, CHANGE)
        and plan.status == c.PlanStatus.DRAWN,
    }
    return render(request, "inspections/target_result.html", ctx, status=status)


class DirectoryForm(forms.Form):
    township = forms.ModelChoiceField(label="乡镇", queryset=None, empty_label=None)
    file = forms.FileField(label="名录文件（.xlsx）")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from fazhi.core.roles import IMPORT
        from fazhi.inspections.models import Enterprise

        self.fields["township"].queryset = scope.writable_townships(user, IMPORT, Enterprise)


@login_required
def directory_import(request: HttpRequest) -> HttpResponse:
    """Upload the entity directory (检查对象名录); it is bounded and handed to a background job
    before it is parsed; the job page shows the progress and the errors by row and column."""
    from django.core.exceptions import PermissionDenied

    from fazhi.core.roles import IMPORT
    from fazhi.inspections import directory
    from fazhi.inspections.models import Enterprise

    if not scope.has_any(request.user, IMPORT, Enterprise):
        raise PermissionDenied("您的角色无权导入检查对象名录。")
    form = DirectoryForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = directory.enqueue(
                form.cleaned_data["file"],
                township=form.cleaned_data["township"],
                actor=request.user,
            )
        except ValueError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, "名录文件已提交，正在后台校验和导入。")
            return redirect("core:job_detail", job.pk)
    status = 400 if request.method == "POST" else 200
    ctx = {"form": form, "columns": directory.COLUMNS, "max_rows": directory.MAX_ROWS}
    return render(request, "inspections/directory_import.html", ctx, status=status)


@login_required
def inspection_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """检查通知书 (any registered inspection) and 检查记录 (once the visit is recorded)."""
    from urllib.parse import quote

    from fazhi.inspections import documents

    inspection = _get(Inspection, request, pk)
    if kind == "notice" and inspection.status != c.InspectionStatus.CANCELLED:
        content, filename = documents.render_notice(inspection)
    elif kind == "record" and inspection.inspected_on:
        content, filename = documents.render_record(inspection)
    else:
        raise Http404("该检查尚无此文书。")
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    """涉企行政检查统计表 by body and by enterprise, from the registry's record sets;
    ?format=xlsx exports it for the line department."""
    from urllib.parse import quote

    from django.core.exceptions import PermissionDenied

    from fazhi.core.models import Township
    from fazhi.core.roles import EXPORT
    from fazhi.indicators.registry import Period
    from fazhi.inspections import stats
    from fazhi.inspections.forms import PeriodForm

    if not scope.has_any(request.user, VIEW, Inspection):
        raise PermissionDenied("您的角色无权查看涉企检查统计。")
    townships = Township.objects.visible_to(request.user, VIEW).order_by("county_id", "name")
    data = request.GET.copy()
    data.pop("format", None)
    if not data and townships.count() == 1:
        year = timezone.localdate().year
        data.update({"township": townships.first().pk, "start": f"{year}-01-01"})
        data["end"] = f"{year}-12-31"
    form = PeriodForm(data or None, townships=townships)
    table = None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        period = Period.between(start, end)
        if start.month == 1 and start.day == 1 and end == start.replace(month=12, day=31):
            period = Period.year(start.year)
        table = stats.build(form.cleaned_data["township"], period)
        if request.GET.get("format") == "xlsx":
            if not scope.has_any(request.user, EXPORT, Inspection):
                raise PermissionDenied("您的角色无权导出。")
            name = f"{table.township.name}涉企行政检查统计表_{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
            response = HttpResponse(
                stats.workbook(table),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
            return response
    return render(
        request,
        "inspections/statistics.html",
        {
            "form": form,
            "table": table,
            "headers": stats.BODY_HEADERS,
            "query": data.urlencode(),
            "can_export": scope.has_any(request.user, EXPORT, Inspection),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
