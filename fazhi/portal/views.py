"""The public portal (公开): no login. Modules add their pages (disclosures, receipts …)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fazhi.core.models import Township


def index(request: HttpRequest) -> HttpResponse:
    townships = Township.objects.select_related("county").order_by(
        "county__province", "county__name", "name"
    )
    return render(request, "portal/index.html", {"townships": townships})


def evidence_heads(request: HttpRequest) -> HttpResponse:
    """证据链校验值: the latest signed checkpoint of every township, for third parties to hold."""
    from fazhi.core import evidence

    townships = Township.objects.select_related("county").order_by(
        "county__province", "county__name", "name"
    )
    rows = [(t, evidence.latest_checkpoint(t)) for t in townships]
    return render(request, "portal/evidence.html", {"rows": rows})
