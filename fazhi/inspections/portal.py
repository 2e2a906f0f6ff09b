"""Public pages (no login) under /gk/inspections/: an enterprise checks an inspection's code
(扫码入企、亮码检查: is it real, who, which items) and rates it once afterwards. A code is
10 characters from a 32-letter alphabet (about 10^15 values), so guessing is impractical; the
page shows no personal data beyond the officers' names and certificate numbers, which officers
show at the door anyway (亮证执法)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from fazhi.inspections import choices as c
from fazhi.inspections import draw, services
from fazhi.inspections.forms import CodeForm, RateForm
from fazhi.inspections.models import Inspection


def check(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.GET or None)
    inspection = None
    officers: list = []
    if form.is_valid():
        code = form.cleaned_data["code"].strip().upper()
        inspection = (
            Inspection.objects.select_related("township", "enterprise", "body")
            .filter(code=code)
            .exclude(status=c.InspectionStatus.CANCELLED)
            .first()
        )
        if inspection is None:
            form.add_error("code", "查无此检查码：该检查未经登记，企业有权拒绝。")
        else:
            on = inspection.inspected_on or inspection.planned_on
            officers = [(o, o.certificate_on(on)) for o in inspection.officers.all()]
    return render(
        request,
        "inspections/portal_check.html",
        {
            "form": form,
            "inspection": inspection,
            "officers": officers,
            "rate_form": RateForm(),
        },
    )


def rate(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect(reverse("inspections_portal:check"))
    code = (request.POST.get("code") or "").strip().upper()
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.rate_inspection(code, **form.cleaned_data)
            messages.success(request, "感谢您的评价。")
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
    else:
        messages.error(request, "请选择评价。")
    return redirect(f"{reverse('inspections_portal:check')}?code={code}")


# --- 双随机 plans and results ---------------------------------------------------------------
def _drawn_plan(pk: int) -> Any:
    from fazhi.inspections.models import RandomPlan

    plan = RandomPlan.objects.select_related("township", "body").filter(pk=pk).first()
    if plan is None or not plan.seed:
        raise Http404("没有该抽查计划。")
    return plan


def plans(request: HttpRequest) -> HttpResponse:
    from fazhi.inspections.models import RandomPlan

    rows = (
        RandomPlan.objects.exclude(seed="")
        .select_related("township", "body")
        .order_by("-drawn_at")[:200]
    )
    return render(request, "inspections/portal_plans.html", {"rows": rows})


def plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _drawn_plan(pk)
    targets = plan.targets.select_related("enterprise").order_by("rank")[:2000]
    return render(
        request,
        "inspections/portal_plan.html",
        {"plan": plan, "targets": targets, "ratios": draw.format_ratios(plan.ratios)},
    )


def plan_list(request: HttpRequest, pk: int) -> FileResponse:
    from fazhi.inspections import random

    plan = _drawn_plan(pk)
    return FileResponse(
        open(random.list_path(plan), "rb"),  # noqa: SIM115 - FileResponse closes it
        as_attachment=True,
        filename=f"抽查对象名单-{plan.pk}.csv",
        content_type="text/csv; charset=utf-8",
    )


def plan_result(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _drawn_plan(pk)
    lines = [
        f"# {plan.name}；算法{plan.algorithm or 'v1'}；种子 {plan.seed}",
        "统一社会信用代码,信用风险分类,检查人员,抽查结果",
    ]
    for t in plan.targets.order_by("rank").iterator():
        result = t.get_result_display() if plan.results_published_on else ""
        lines.append(f"{t.credit_code},{t.credit_class},{t.inspectors},{result}")
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename=result-{plan.pk}.csv"
    return response


def verifier(request: HttpRequest) -> FileResponse:
    """The standalone verifier itself (Python standard library only)."""
    return FileResponse(
        open(draw.__file__, "rb"),  # noqa: SIM115
        as_attachment=True,
        filename="draw.py",
        content_type="text/x-python; charset=utf-8",
    )
