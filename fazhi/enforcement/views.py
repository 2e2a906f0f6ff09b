"""Pages of the enforcement module beyond the generic ones. A view validates input, calls one
service, renders; the scope gate decides 404 vs 403."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fazhi.core import scope
from fazhi.core.roles import VIEW
from fazhi.enforcement import services
from fazhi.enforcement.models import Certificate


@login_required
def certificate_warnings(request: HttpRequest) -> HttpResponse:
    """Certificates that expire soon, have expired or missed the yearly check (scoped)."""
    if not scope.has_any(request.user, VIEW, Certificate):
        raise PermissionDenied("您的角色无权查看执法证件。")
    today = timezone.localdate()
    warnings = services.certificate_warnings(
        Certificate.objects.visible_to(request.user, VIEW), today
    )
    return render(
        request, "enforcement/certificate_warnings.html", {"warnings": warnings, "today": today}
    )
