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
from fazhi.core.choices import Role
from fazhi.core.models import Membership, Township
from fazhi.core.roles import VIEW

#: the registry group whose figures the home pages show
HOME_GROUP = "core"
PAGE_SIZE = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    from fazhi.indicators import registry
    from fazhi.indicators.views import period_from_request, period_query, supervised_counties

    # a county supervisor (a county-level membership) lands on the county's home
    own_counties = set(
        Membership.objects.filter(
            user=request.user, county__isnull=False, role__in=[Role.COUNTY_SUPERVISOR, Role.VIEWER]
        ).values_list("county_id", flat=True)
    )
    if len(own_counties) == 1:
        return redirect("core:county", pk=own_counties.pop())
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
    period = period_from_request(request, default_year(request.user, [township]))
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


def own_county_ids(user) -> set[int]:
    """The counties a user supervises through a county-level membership (cached memberships:
    no query once the scope gate has read them)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return {
        county_id
        for role, county_id, _township, _village in scope._memberships(user)
        if county_id is not None and role in (Role.COUNTY_SUPERVISOR, Role.VIEWER)
    }


@login_required
def my_county(request: HttpRequest) -> HttpResponse:
    """The menu's 本县首页: the county home of a county supervisor (several counties: the home
    page, which lists them)."""
    counties = own_county_ids(request.user)
    if len(counties) == 1:
        return redirect("core:county", pk=counties.pop())
    return redirect("core:home")


def default_year(user, townships: list[Township]) -> int:
    """The year a user most likely means: the report year (last calendar year) until the
    annual report for it is published (every township's, for a county), then this year."""
    from django.apps import apps
    from django.utils import timezone

    this_year = timezone.localdate().year
    if not townships or not apps.is_installed("fazhi.reports"):
        return this_year
    from fazhi.reports.models import AnnualReport, ReportStatus

    published = (
        AnnualReport.objects.visible_to(user, VIEW)
        .filter(township__in=townships, year=this_year - 1, status=ReportStatus.PUBLISHED)
        .count()
    )
    return this_year if published >= len(townships) else this_year - 1


#: the county home's key figures, one or two per module (registry codes; those not
#: registered, e.g. a module not installed, are left out)
COUNTY_METRICS = (
    "core.villages",
    "petitions.registered",
    "petitions.closed_on_time_rate",
    "disputes.screened",
    "disputes.mediation_success_rate",
    "enforcement.cases",
    "enforcement.on_time_rate",
    "inspections.rectified_on_time_rate",
    "legal.reviews",
    "decisions.count",
    "governance.study_sessions",
    "outreach.events",
)


def county_metric_codes() -> list[str]:
    from fazhi.indicators import registry

    known = {m.code for m in registry.metrics()}
    return [c for c in COUNTY_METRICS if c in known]


def overdue_by_township(user, townships: list[Township], limit: int = 15):
    """Open deadlines past their due date: a count per township and the most overdue ones."""
    from django.db.models import Count
    from django.utils import timezone

    from fazhi.core.choices import DeadlineStatus
    from fazhi.core.models import Deadline

    today = timezone.localdate()
    overdue = Deadline.objects.visible_to(user, VIEW).filter(
        township__in=townships, status=DeadlineStatus.OPEN, due_date__lt=today
    )
    counts = dict(
        overdue.order_by().values("township").annotate(n=Count("pk")).values_list("township", "n")
    )
    worst = [
        (d, (today - d.due_date).days)
        for d in overdue.select_related("township", "responsible").order_by("due_date", "pk")[
            :limit
        ]
    ]
    return counts, worst


@login_required
def county(request: HttpRequest, pk: int) -> HttpResponse:
    """A county's home: its townships side by side on the key figures, their overdue
    deadlines, and the ways into each township and into the county's collection pages."""
    from fazhi.indicators import registry
    from fazhi.indicators.views import period_from_request, period_query, supervised_counties

    county = supervised_counties(request.user).filter(pk=pk).first()
    if county is None:
        raise Http404("县(市、区)不存在或无权访问。")
    townships = list(
        Township.objects.visible_to(request.user, VIEW).filter(county=county).order_by("name")
    )
    period = period_from_request(request, default_year(request.user, townships))
    codes = county_metric_codes()
    compared = registry.compare_many(codes, townships, period) if townships else {}
    counts, worst = overdue_by_township(request.user, townships)
    rows = [
        {
            "township": t,
            "figures": [compared[c].rows[i][1] for c in codes],
            "overdue": counts.get(t.pk, 0),
        }
        for i, t in enumerate(townships)
    ]
    return render(
        request,
        "core/county.html",
        {
            "county": county,
            "metrics": [registry.metric(c) for c in codes],
            "rows": rows,
            "overdue_total": sum(counts.values()),
            "worst": worst,
            "period": period,
            "year": period.start.year,
            "query": period_query(period),
            "first_code": codes[0] if codes else None,
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
