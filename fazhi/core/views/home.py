"""Home: a township's standing at a glance (figures from the indicator registry only).

One township → its page. Several (a county supervisor, a platform admin) → the list of
townships with the same org figures side by side, each linking to its definition and records.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fazhi.core import scope
from fazhi.core.models import Township
from fazhi.core.roles import VIEW

#: the registry group whose figures the home pages show
HOME_GROUP = "core"
PAGE_SIZE = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    from fazhi.indicators import registry
    from fazhi.indicators.views import period_from_request, period_query, supervised_counties

    townships = Township.objects.visible_to(request.user, VIEW).select_related("county")
    if townships.count() == 1:
        return redirect("core:township", pk=townships.first().pk)
    period = period_from_request(request)
    page = Paginator(townships.order_by("county__name", "name"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "core/home.html",
        {
            "page": page,
            "townships": page,
            "metrics": registry.metrics(HOME_GROUP),
            "rows": [(t, registry.compute_group(HOME_GROUP, t, period)) for t in page],
            "period": period,
            "year": period.start.year,
            "query": period_query(period),
            "counties": supervised_counties(request.user).order_by("province", "city", "name"),
        },
    )


@login_required
def township(request: HttpRequest, pk: int) -> HttpResponse:
    from fazhi.indicators import registry
    from fazhi.indicators.views import period_from_request, period_query, supervised_counties

    if not scope.has_any(request.user, VIEW):
        raise PermissionDenied("您的角色无权查看乡镇。")
    try:
        township = (
            Township.objects.visible_to(request.user, VIEW).select_related("county").get(pk=pk)
        )
    except Township.DoesNotExist:
        raise Http404("乡镇不存在或无权访问。") from None
    period = period_from_request(request)
    return render(
        request,
        "core/township.html",
        {
            "township": township,
            "figures": registry.compute_group(HOME_GROUP, township, period),
            "module_figures": module_figures(township, period),
            "period": period,
            "year": period.start.year,
            "query": period_query(period),
            "can_compare": supervised_counties(request.user).filter(pk=township.county_id).exists(),
            "pressing": pressing_deadlines(request.user, township),
            "plan_progress": plan_progress(township, period),
            "dashboard": _dashboard(township, period),
        },
    )


def _dashboard(township: Township, period: object) -> dict | None:
    """Targets and monthly trends for a calendar year (fazhi.reports.dashboard)."""
    from django.apps import apps

    start, end = period.start, period.end  # type: ignore[attr-defined]
    if not apps.is_installed("fazhi.reports") or start.year != end.year:
        return None
    from fazhi.reports.dashboard import dashboard

    return dashboard(township, start.year)


def pressing_deadlines(user, township: Township, limit: int = 10) -> list:
    """Open deadlines of the township that are overdue or due soon, earliest first."""
    import datetime as dt

    from django.conf import settings
    from django.utils import timezone

    from fazhi.core.choices import DeadlineStatus
    from fazhi.core.deadlines import deadline_state
    from fazhi.core.models import Deadline

    today = timezone.localdate()
    horizon = today + dt.timedelta(days=settings.FAZHI_DEADLINE_DUE_SOON_DAYS)
    rows = (
        Deadline.objects.visible_to(user, VIEW)
        .filter(township=township, status=DeadlineStatus.OPEN, due_date__lte=horizon)
        .select_related("responsible")
        .order_by("due_date")[:limit]
    )
    return [(d, deadline_state(d, today)) for d in rows]


def module_figures(township: Township, period) -> list[tuple[str, list]]:
    """Each module's figures for the township and period, under the module's name."""
    from django.apps import apps

    from fazhi.indicators import registry

    groups = sorted({m.group for m in registry.metrics()} - {HOME_GROUP})
    out = []
    for group in groups:
        try:
            label = str(apps.get_app_config(group).verbose_name)
        except LookupError:
            label = group
        out.append((label, registry.compute_group(group, township, period)))
    return out


def plan_progress(township: Township, period) -> list:
    """The year's targets (governance module) with their progress, when the module is installed."""
    from django.apps import apps

    if not apps.is_installed("fazhi.governance"):
        return []
    from fazhi.governance.targets import progress_for

    return progress_for(township, period.end.year)
