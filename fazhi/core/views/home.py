"""Home: a township's standing at a glance (figures from the indicator registry only)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from fazhi.core.models import Township
from fazhi.core.roles import VIEW


@login_required
def home(request: HttpRequest) -> HttpResponse:
    townships = Township.objects.visible_to(request.user, VIEW).select_related("county")
    if townships.count() == 1:
        return redirect("core:township", pk=townships.first().pk)
    return render(request, "core/home.html", {"townships": townships})


@login_required
def township(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        township = (
            Township.objects.visible_to(request.user, VIEW).select_related("county").get(pk=pk)
        )
    except Township.DoesNotExist:
        raise Http404("乡镇不存在或无权访问。") from None
    from fazhi.indicators import registry

    year = int(request.GET.get("year") or timezone.localdate().year)
    period = registry.Period.year(year)
    figures = registry.compute_group("core", township, period)
    return render(
        request,
        "core/township.html",
        {"township": township, "figures": figures, "year": year},
    )
