"""Public pages (no login) under /gk/inspections/: an enterprise checks an inspection's code
(扫码入企、亮码检查: is it real, who, which items) and rates it once afterwards. A code is
10 characters from a 32-letter alphabet (about 10^15 values), so guessing is impractical; the
page shows no personal data beyond the officers' names and certificate numbers, which officers
show at the door anyway (亮证执法)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from fazhi.inspections import choices as c
from fazhi.inspections import services
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
