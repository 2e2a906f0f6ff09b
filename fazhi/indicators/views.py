"""Indicator pages: the registry, one figure, the records behind it, and the county comparison.

Every number on these pages comes from `fazhi.indicators.registry`; the views only pick the
township and period, ask the scope gate, and render. No role anywhere → 403; a township
outside the user's scope → 404 (it does not exist for them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fazhi.core import resources, scope
from fazhi.core.choices import Role
from fazhi.core.models import County, Membership, Township
from fazhi.core.roles import VIEW
from fazhi.core.views.generic import column_label, display_value
from fazhi.indicators import registry
from fazhi.indicators.registry import AVERAGE, COUNT, RATE, SUM, Metric, Period

PAGE_SIZE = 50
KIND_LABELS = {COUNT: "计数", SUM: "合计", RATE: "比率", AVERAGE: "平均值"}
PART_LABELS = {"numerator": "分子", "denominator": "分母"}


# --- shared helpers (also used by the township home) -----------------------------------------
def period_from_request(request: HttpRequest, default_year: int | None = None) -> Period:
    """`?year=2025` (default: `default_year`, else this year) or
    `?start=2025-01-01&end=2025-06-30`; else 400."""
    start, end = request.GET.get("start"), request.GET.get("end")
    if start or end:
        try:
            first, last = dt.date.fromisoformat(start or ""), dt.date.fromisoformat(end or "")
        except ValueError:
            raise BadRequest("起止日期格式应为 YYYY-MM-DD。") from None
        if last < first:
            raise BadRequest("结束日期早于起始日期。")
        return Period.between(first, last)
    raw = request.GET.get("year") or str(default_year or timezone.localdate().year)
    try:
        year = int(raw)
    except ValueError:
        raise BadRequest("年度应为四位数字，如 2025。") from None
    if not 2000 <= year <= 2100:
        raise BadRequest("年度应在 2000 至 2100 之间。")
    return Period.year(year)


def period_query(period: Period) -> str:
    """The query string that selects `period` again."""
    if period == Period.year(period.start.year):
        return f"year={period.start.year}"
    return f"start={period.start.isoformat()}&end={period.end.isoformat()}"


def township_or_404(user: Any, pk: int) -> Township:
    if not scope.has_any(user, VIEW):
        raise PermissionDenied("您的角色无权查看指标。")
    try:
        return Township.objects.visible_to(user, VIEW).select_related("county").get(pk=pk)
    except Township.DoesNotExist:
        raise Http404("乡镇不存在或无权访问。") from None


def metric_or_404(code: str) -> Metric:
    try:
        return registry.metric(code)
    except registry.UnknownMetric:
        raise Http404("指标不存在。") from None


def supervised_counties(user: Any) -> QuerySet:
    """Counties whose townships the user compares: county-level roles; all for a platform admin."""
    if not user.is_authenticated:
        return County.objects.none()
    if scope.grant(user, VIEW).everything:
        return County.objects.all()
    ids = Membership.objects.filter(
        user=user, county__isnull=False, role__in=[Role.COUNTY_SUPERVISOR, Role.VIEWER]
    ).values("county_id")
    return County.objects.filter(pk__in=ids)


def group_label(group: str) -> str:
    try:
        return str(apps.get_app_config(group).verbose_name)
    except LookupError:
        return group


# --- pages -----------------------------------------------------------------------------------
@login_required
def registry_page(request: HttpRequest) -> HttpResponse:
    """Every registered metric with its definition and citation, by module."""
    groups: dict[str, list[Metric]] = {}
    for m in registry.metrics():
        groups.setdefault(m.group, []).append(m)
    return render(
        request,
        "indicators/registry.html",
        {
            "groups": [(g, group_label(g), ms) for g, ms in groups.items()],
            "kind_labels": KIND_LABELS,
            "can_compare": supervised_counties(request.user).exists(),
            "count": sum(len(ms) for ms in groups.values()),
        },
    )


@login_required
def figure_page(request: HttpRequest, township: int, code: str) -> HttpResponse:
    """One metric for one township and period: value, numerator and denominator, definition."""
    t = township_or_404(request.user, township)
    m = metric_or_404(code)
    period = period_from_request(request)
    figure = registry.compute(code, t, period)
    return render(
        request,
        "indicators/figure.html",
        {
            "township": t,
            "metric": m,
            "figure": figure,
            "period": period,
            "query": period_query(period),
            "year": period.start.year,
            "kind_label": KIND_LABELS.get(m.kind, m.kind),
            "can_compare": supervised_counties(request.user).filter(pk=t.county_id).exists(),
        },
    )


@login_required
def drilldown_page(request: HttpRequest, township: int, code: str) -> HttpResponse:
    """The records a figure counts (`?part=numerator` for a rate's numerator), as the user may
    see them: rows outside a village-level user's villages are left out and said so."""
    t = township_or_404(request.user, township)
    m = metric_or_404(code)
    part = request.GET.get("part") or "denominator"
    if part not in PART_LABELS or (part == "numerator" and m.kind != RATE):
        raise Http404("指标没有这一部分。")
    period = period_from_request(request)
    figure = registry.compute(code, t, period)
    records = m.drilldown(t, period, part)
    total = records.count()
    model = records.model
    if any(f.name == "township" for f in model._meta.get_fields()):
        records = records.filter(scope.scope_filter(request.user, VIEW, model))
    resource = resources.for_model(model)
    if resource is not None and resource.select_related:
        records = records.select_related(*resource.select_related)
    if not records.ordered:
        records = records.order_by("pk")
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    names = list(resource.list_columns) if resource is not None else []
    columns = [column_label(model, n) for n in names] or [str(model._meta.verbose_name)]
    rows = []
    for obj in page:
        values = [display_value(obj, n) for n in names] if names else [str(obj)]
        url = resource.url("detail", obj) if resource is not None else None
        rows.append((url, values))
    if m.kind == RATE:
        part_label = f"{PART_LABELS[part]}记录"
    elif m.kind == AVERAGE:
        part_label = "计入平均值的记录"
    else:
        part_label = "计入的记录"
    return render(
        request,
        "indicators/drilldown.html",
        {
            "township": t,
            "metric": m,
            "figure": figure,
            "period": period,
            "query": period_query(period),
            "part": part,
            "part_label": part_label,
            "columns": columns,
            "rows": rows,
            "page": page,
            "total": total,
            "hidden": total - page.paginator.count,
            "model_label": str(model._meta.verbose_name),
        },
    )


@login_required
def compare_page(request: HttpRequest, code: str) -> HttpResponse:
    """One metric across the townships of a county the user supervises (read-only)."""
    counties = supervised_counties(request.user)
    if not counties.exists():
        raise PermissionDenied("只有县级督导可以对比各乡镇指标。")
    m = metric_or_404(code)
    period = period_from_request(request)
    county_id = request.GET.get("county")
    if county_id:
        try:
            county = counties.get(pk=int(county_id))
        except (ValueError, County.DoesNotExist):
            raise Http404("县(市、区)不存在或无权访问。") from None
    else:
        county = counties.order_by("province", "city", "name").first()
    townships = (
        Township.objects.visible_to(request.user, VIEW).filter(county=county).order_by("name")
    )
    comparison = registry.compare(code, townships, period)
    return render(
        request,
        "indicators/compare.html",
        {
            "comparison": comparison,
            "metric": m,
            "county": county,
            "counties": counties.order_by("province", "city", "name"),
            "metrics": registry.metrics(),
            "period": period,
            "query": period_query(period),
            "year": period.start.year,
        },
    )
