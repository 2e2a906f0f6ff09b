"""Pages of the inspections module beyond the generic ones: the workflow steps of an inspection
and a hazard. A view validates input, calls one service, redirects; the scope gate decides 404
vs 403."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core import scope
from fazhi.core.roles import CHANGE, VIEW
from fazhi.core.views.generic import DetailView
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


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for text in exc.messages:
        messages.error(request, text)


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


def _step(request: HttpRequest, model: type, pk: int, form_class: type, call: Any) -> HttpResponse:
    obj = _get(model, request, pk, CHANGE)
    form = form_class(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            call(obj, form.cleaned_data)
            messages.success(request, "已保存。")
        except ValidationError as exc:
            _errors(request, exc)
    return redirect(obj.resource.url("detail", obj))


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


@login_required
@require_POST
def plan_draw(request: HttpRequest, pk: int) -> HttpResponse:
    from fazhi.inspections import random
    from fazhi.inspections.models import RandomPlan

    plan = _get(RandomPlan, request, pk, CHANGE)
    try:
        plan = random.draw_plan(plan, actor=request.user)
        messages.success(request, f"已抽取{plan.targets.count()}户，种子{plan.seed}。")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(plan.resource.url("detail", plan))


class PublishForm(forms.Form):
    published_on = forms.DateField(label="公示日期")


@login_required
@require_POST
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    from fazhi.inspections import random
    from fazhi.inspections.models import RandomPlan

    return _step(
        request,
        RandomPlan,
        pk,
        PublishForm,
        lambda obj, d: random.publish_results(obj, actor=request.user, **d),
    )
