"""Public pages (no login) under /gk/enforcement/: each township's enforcement bodies, its
power and responsibility list (权责清单) and published entrustments (委托书)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from fazhi.core.models import Township
from fazhi.enforcement import choices as c
from fazhi.enforcement.models import Disclosure, EnforcementBody, Power


def index(request: HttpRequest) -> HttpResponse:
    townships = Township.objects.select_related("county").order_by(
        "county__province", "county__name", "name"
    )
    return render(request, "enforcement/portal_index.html", {"townships": townships})


def powers(request: HttpRequest, township_id: int) -> HttpResponse:
    township = get_object_or_404(Township.objects.select_related("county"), pk=township_id)
    rows = (
        Power.objects.filter(township=township, is_active=True, published_on__isnull=False)
        .select_related("body")
        .order_by("category", "code")
    )
    category = request.GET.get("category", "")
    if category in c.PowerCategory.values:
        rows = rows.filter(category=category)
    bodies = EnforcementBody.objects.filter(township=township, is_active=True).order_by("name")
    return render(
        request,
        "enforcement/portal_powers.html",
        {
            "township": township,
            "rows": rows,
            "bodies": bodies,
            "categories": c.PowerCategory.choices,
            "category": category,
        },
    )


def disclosures(request: HttpRequest, township_id: int) -> HttpResponse:
    """Published decisions (redacted when written), withdrawn ones removed (Art. 48)."""
    township = get_object_or_404(Township.objects.select_related("county"), pk=township_id)
    rows = (
        Disclosure.objects.filter(
            township=township, published_on__isnull=False, withdrawn_on__isnull=True
        )
        .select_related("case")
        .order_by("-published_on", "-pk")[:200]
    )
    return render(
        request, "enforcement/portal_disclosures.html", {"township": township, "rows": rows}
    )
