"""The public portal (政务公开): no login. What each township publishes comes from the sections
the modules register (fazhi/portal/sections.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from fazhi.core.models import Township
from fazhi.portal import sections


def index(request: HttpRequest) -> HttpResponse:
    townships = list(
        Township.objects.select_related("county").order_by(
            "county__province", "county__city", "county__name", "name"
        )
    )
    counties: dict[object, list] = {}
    for t in townships:
        counties.setdefault(t.county, []).append(
            {"township": t, "sections": sections.for_township(t)}
        )
    return render(
        request,
        "portal/index.html",
        {
            "counties": counties,
            "disclosures": [s for s in sections.all_sections() if not s.is_lookup],
            "lookups": sections.lookups(),
        },
    )


def township(request: HttpRequest, township_id: int) -> HttpResponse:
    t = get_object_or_404(Township.objects.select_related("county"), pk=township_id)
    return render(
        request,
        "portal/township.html",
        {"township": t, "sections": sections.for_township(t), "lookups": sections.lookups()},
    )


def evidence_heads(request: HttpRequest) -> HttpResponse:
    """证据链校验值: the latest signed checkpoint of every township, for third parties to hold."""
    from fazhi.core import evidence

    townships = Township.objects.select_related("county").order_by(
        "county__province", "county__name", "name"
    )
    rows = [(t, evidence.latest_checkpoint(t)) for t in townships]
    return render(request, "portal/evidence.html", {"rows": rows})
