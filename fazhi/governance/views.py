"""Workflow pages of the governance module: expected frequencies and the year's targets."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fazhi.core import scope
from fazhi.core.deadlines import today_local
from fazhi.core.models import Township
from fazhi.core.roles import VIEW
from fazhi.governance import services, targets
from fazhi.governance.forms import TownshipYearForm
from fazhi.governance.models import Meeting, Target


def _choose(request: HttpRequest, model: Any) -> tuple[TownshipYearForm, Any, int | None]:
    if not scope.has_any(request.user, VIEW, model):
        raise PermissionDenied("您的角色无权查看。")
    townships = Township.objects.visible_to(request.user, VIEW).order_by("county_id", "name")
    data = request.GET.copy()
    if "township" not in data and townships.count() >= 1:
        data["township"] = str(townships.first().pk)
    if "year" not in data:
        data["year"] = str(today_local().year)
    form = TownshipYearForm(data, townships=townships)
    if form.is_valid():
        return form, form.cleaned_data["township"], form.cleaned_data["year"]
    return form, None, None


def frequencies(request: HttpRequest) -> HttpResponse:
    """Expected frequencies of meetings and study against what happened, with warnings."""
    form, township, year = _choose(request, Meeting)
    rows = services.frequency_status(township, year) if township is not None else []
    return render(
        request,
        "governance/frequencies.html",
        {"form": form, "township": township, "year": year, "rows": rows},
    )


def progress(request: HttpRequest) -> HttpResponse:
    """The year's targets with progress, and warnings for targets below last year's actual."""
    form, township, year = _choose(request, Target)
    rows = targets.progress_for(township, year) if township is not None else []
    return render(
        request,
        "governance/progress.html",
        {"form": form, "township": township, "year": year, "rows": rows},
    )
