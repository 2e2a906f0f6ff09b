"""Probes that request every URL pattern of the platform, discovered from the URL resolver, so
that a module added later is swept without anyone listing its pages (issue 7).

- `patterns()`: every route (pages, workflow actions, API), with its namespace, name and the
  model each id in it refers to (from the resource registry, the API router's basename, the path
  segment before the id, or `EXTRA_MODELS` for the few core pages that are not resources). A
  route with an id whose model cannot be found is reported, so a new module cannot slip by.
- `foreign_rows(cast)`: a row of every model in another township (乙镇), made by the model's
  `ResourceSuite.make` (every record type declares one) or by `EXTRA_FACTORIES`.
- `url_for(route, values)`: the URL with the values put in.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from fazhi.core import resources

#: an id that no row has
UNKNOWN_ID = 987_654_321
#: hostile query values; each request sends one kind for every parameter
HOSTILE_VALUES = ("9223372036854775808", "abc", "-1", "长" * 3000, "0x1F%00'\"<>")
#: query parameter names every list-like page or endpoint may read
COMMON_PARAMS = (
    "page",
    "limit",
    "offset",
    "q",
    "version",
    "year",
    "period",
    "township",
    "county",
    "status",
    "kind",
    "code",
    "month",
    "ordering",
    "next",
)
#: FAZHI_SWEEP_FULL=1: every role on every route (the probe for the closing figures); otherwise
#: the roles, hostile values and methods rotate over the routes so that every role and every
#: value meets many routes and every route is tried, within the CI budget
FULL = os.environ.get("FAZHI_SWEEP_FULL", "") == "1"

#: routes never requested (they end the session, or are the static file server)
SKIP_NAMES = {"logout"}

_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?:[^()]|\([^()]*\))*\)")


@dataclass
class Route:
    route: str  # "petitions/petitions/<int:pk>/accept/" or the regex of an API route
    namespace: str
    name: str
    params: dict[str, str]  # name → converter ("int", "str", "uuid", "regex")
    model: type[models.Model] | None = None

    @property
    def key(self) -> str:
        return f"{self.namespace}:{self.name}" if self.namespace else self.name

    @property
    def id_params(self) -> list[str]:
        return [n for n, conv in self.params.items() if _is_id(n, conv)]

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    @property
    def resource(self) -> resources.Resource | None:
        return _resource_of(self)


def _is_id(name: str, conv: str) -> bool:
    return conv in ("int", "uuid") or (conv == "regex" and name == "pk") or name == "pk"


def public_by_township(route: Route) -> bool:
    """A public portal page per township (/gk/…/<township>/…): every township's is public by
    design, so a foreign township's id is not a leak there."""
    return route.key in PUBLIC_BY_TOWNSHIP or (
        route.namespace.endswith("portal")
        and route.model is not None
        and route.model._meta.label == "core.Township"
    )


def _walk(patterns: list[Any], prefix: str, namespace: str, out: list[Route]) -> None:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            _walk(p.url_patterns, prefix + _text(p.pattern), ns, out)
        elif isinstance(p, URLPattern):
            route = prefix + _text(p.pattern)
            params: dict[str, str] = {}
            for m in _GROUP.finditer(route):
                params[m.group("name")] = "regex"
            for m in _PARAM.finditer(_GROUP.sub("", route)):
                params[m.group("name")] = m.group("conv") or "str"
            if "format" in params or (p.name or "") in SKIP_NAMES:
                continue  # DRF's ".json" duplicates; logout
            out.append(Route(route, namespace or "", p.name or "", params))


def _text(pattern: Any) -> str:
    if isinstance(pattern, RoutePattern):
        return str(pattern)
    if isinstance(pattern, RegexPattern):
        return str(pattern).lstrip("^").rstrip("$").replace("\\.", ".")
    return str(pattern)


#: models of id routes that are not resources, by route name (namespace:name); a module whose
#: workflow page takes an id of a non-resource model adds it here
EXTRA_MODELS: dict[str, str] = {
    "core:township": "core.Township",
    "core:county": "core.County",
    "core:user_detail": "auth.User",
    "core:user_set_active": "auth.User",
    "core:user_reset_password": "auth.User",
    "core:membership_revoke": "core.Membership",
    "core:notification_read": "core.Notification",
    "core:attachment_download": "core.Attachment",
    "core:job_result": "core.Job",
    "core:job_detail": "core.Job",
    "core:job_status": "core.Job",
    "core:deadline_detail": "core.Deadline",
    "core:pii_reveal": "core.Staff",
    "core:calendar_day_delete": "core.CalendarDay",
    "core:rule_override_delete": "core.RuleOverride",
    "outreach:quick_event_done": "outreach.Event",
    "core:force_logout": "core.UserSession",
    "core:notice_detail": "core.Notice",
    "core:notice_read": "core.Notice",
    "reports:annual_detail": "reports.AnnualReport",
    "reports:annual_sign": "reports.AnnualReport",
    "reports:annual_submit": "reports.AnnualReport",
    "reports:annual_publish": "reports.AnnualReport",
    "reports:annual_save_targets": "reports.AnnualReport",
    "reports:annual_download": "reports.AnnualReport",
    "reports:paragraph_edit": "reports.ReportParagraph",
    "reports:handwritten_detail": "reports.HandwrittenReport",
    "reports_portal:detail": "reports.AnnualReport",
    "enforcement_portal:powers": "core.Township",
    "decisions_portal:catalogue": "decisions.Catalogue",
    "indicators:assessment": "indicators.AssessmentScheme",
    "indicators:assessment_export": "indicators.AssessmentScheme",
    "indicators:assessment_item_delete": "indicators.AssessmentScheme",
    "petitions_portal:status": "petitions.Petition",
    "petitions_portal:rate": "petitions.Petition",
}


#: public pages (the portal) that show every township by design: a foreign id is not a leak
PUBLIC_BY_TOWNSHIP = {"enforcement_portal:powers"}

#: models that some route takes but no ResourceSuite makes yet (their module's tests should
#: declare one; until then the cross-township sweep skips their routes and says so). A model
#: not listed here and not makeable fails the sweep.
KNOWN_GAPS: set[str] = set()  # the legal cases have their suites (legal/tests/test_resources.py)


def _resource_of(route: Route) -> resources.Resource | None:
    registry = resources.all_resources()
    if route.is_api:
        m = re.match(r"api/([\w-]+)/([\w-]+)/", route.route)
        if m:
            for r in registry:
                if r.app_label == m.group(1) and r.slug == m.group(2):
                    return r
        return None
    for r in registry:
        if route.namespace == r.app_label and route.name.startswith(f"{r.slug}_"):
            return r
    ids = route.id_params
    if not ids:
        return None
    head = route.route.split(f"<{route.params[ids[0]]}:{ids[0]}>")[0].rstrip("/")
    segment = head.rsplit("/", 1)[-1]
    same_app = [r for r in registry if r.slug == segment and r.app_label == route.namespace]
    anywhere = [r for r in registry if r.slug == segment]
    found = same_app or anywhere
    return found[0] if found else None


def model_of(route: Route) -> type[models.Model] | None:
    ids = route.id_params
    if not ids:
        return None
    if ids[0] in ("township", "township_id"):
        return apps.get_model("core", "Township")
    if route.key in EXTRA_MODELS:
        return apps.get_model(EXTRA_MODELS[route.key])
    resource = _resource_of(route)
    return resource.model if resource is not None else None


def patterns() -> list[Route]:
    """Every route; a route whose `slug` names a resource of its app (a module's generic
    workflow action `<slug>/<pk>/do/<action>/`) becomes one route per resource of the app."""
    out: list[Route] = []
    _walk(get_resolver().url_patterns, "", "", out)
    expanded: list[Route] = []
    for route in out:
        if "slug" in route.params:
            for r in resources.all_resources(route.namespace):
                variant = Route(
                    route.route.replace("<str:slug>", r.slug).replace("<slug:slug>", r.slug),
                    route.namespace,
                    route.name,
                    {k: v for k, v in route.params.items() if k != "slug"},
                )
                variant.model = r.model
                expanded.append(variant)
            continue
        route.model = model_of(route)
        expanded.append(route)
    return expanded


def url_for(route: Route, values: dict[str, Any]) -> str:
    def sub(m: re.Match[str]) -> str:
        return str(values[m.group("name")])

    path = _GROUP.sub(sub, route.route)
    path = _PARAM.sub(sub, path)
    return "/" + path


def default_values(route: Route, id_value: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, conv in route.params.items():
        if conv == "uuid":
            values[name] = uuid.UUID(int=int(id_value) if str(id_value).isdigit() else 1)
        elif _is_id(name, conv):
            values[name] = id_value
        elif name == "field":
            values[name] = "phone"
        elif name == "label" and route.model is not None:
            values[name] = route.model._meta.label
        elif name == "action":
            values[name] = "accept"
        else:
            values[name] = "x"
    return values


# --- rows in another township --------------------------------------------------------------
def _suites() -> dict[str, type]:
    """Every ResourceSuite subclass of every app's tests, by resource key."""
    import fazhi
    from fazhi.core.testing import ResourceSuite

    for info in pkgutil.walk_packages(fazhi.__path__, "fazhi."):
        if ".tests.test_" in info.name and "browser_tests" not in info.name:
            importlib.import_module(info.name)
    found: dict[str, type] = {}
    stack = list(ResourceSuite.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if getattr(cls, "resource_key", ""):
            found.setdefault(cls.resource_key, cls)
    return found


def _user_row(cast: Any) -> Any:
    return cast.b_operator


def _membership_row(cast: Any) -> Any:
    return cast.b_operator.memberships.first()


def _notification_row(cast: Any) -> Any:
    from fazhi.core.models import Notification

    return Notification.objects.create(
        user=cast.b_operator, township=cast.b, kind="reminder", text="乙镇的提醒"
    )


def _attachment_row(cast: Any) -> Any:
    from fazhi.core.models import Attachment

    return Attachment.objects.create(
        township=cast.b,
        file="sweep/none.txt",
        original_name="乙镇.txt",
        mime_type="text/plain",
        size=1,
        sha256="0" * 64,
    )


def _job_row(cast: Any) -> Any:
    from fazhi.core.models import Job

    return Job.objects.create(kind="sweep", township=cast.b, actor=cast.b_operator)


def _deadline_row(cast: Any) -> Any:
    import datetime as dt

    from django.contrib.contenttypes.models import ContentType

    from fazhi.core.models import Deadline

    return Deadline.objects.create(
        township=cast.b,
        rule_code="sweep",
        label="乙镇的期限",
        citation="测试",
        content_type=ContentType.objects.get_for_model(cast.b),
        object_id=str(cast.b.pk),
        start_date=dt.date(2025, 1, 1),
        length=1,
        unit="days",
        due_date=dt.date(2025, 1, 2),
    )


def _calendar_row(cast: Any) -> Any:
    import datetime as dt

    from fazhi.core.models import CalendarDay

    return CalendarDay.objects.create(date=dt.date(2099, 1, 1), kind="holiday", name="测试")


def _override_row(cast: Any) -> Any:
    from fazhi.core.models import RuleOverride

    return RuleOverride.objects.create(
        rule_code="sweep", county=cast.other_county, length=1, unit="days", basis="测试"
    )


def _session_row(cast: Any) -> Any:
    from django.utils import timezone

    from fazhi.core.models import UserSession

    now = timezone.now()
    return UserSession.objects.create(
        session_key="sweep-b-operator", user=cast.b_operator, started_at=now, last_seen=now
    )


def _notice_row(cast: Any) -> Any:
    from django.utils import timezone

    from fazhi.core.models import Notice

    return Notice.objects.create(
        county=_county_row(cast), title="第三县的通知", body="正文", published_at=timezone.now()
    )


def _report_row(cast: Any) -> Any:
    from fazhi.reports.models import AnnualReport

    report, _ = AnnualReport.objects.get_or_create(
        township=cast.b, year=2025, defaults={"title": "乙镇2025年度报告"}
    )
    return report


def _paragraph_row(cast: Any) -> Any:
    from fazhi.reports.models import ReportParagraph

    report = _report_row(cast)
    return ReportParagraph.objects.create(township=cast.b, report=report, order=1, text="段落")


def _handwritten_row(cast: Any) -> Any:
    from fazhi.reports.models import HandwrittenReport

    return HandwrittenReport.objects.create(
        township=cast.b, year=2025, attachment=_attachment_row(cast), text="乙镇报告", summary="—"
    )


def _scheme_row(cast: Any) -> Any:
    from fazhi.indicators.models import AssessmentScheme

    return AssessmentScheme.objects.create(county=_county_row(cast), year=2025, name="第三县考核")


def _county_row(cast: Any) -> Any:
    from fazhi.core.models import County

    county, _ = County.objects.get_or_create(name="第三县", province="测试省", city="测试市")
    return county


EXTRA_FACTORIES: dict[str, Callable[[Any], Any]] = {
    "core.County": _county_row,
    "indicators.AssessmentScheme": _scheme_row,
    "core.UserSession": _session_row,
    "core.Notice": _notice_row,
    "reports.AnnualReport": _report_row,
    "reports.ReportParagraph": _paragraph_row,
    "reports.HandwrittenReport": _handwritten_row,
    "core.Deadline": _deadline_row,
    "core.CalendarDay": _calendar_row,
    "core.RuleOverride": _override_row,
    "core.Township": lambda cast: cast.b,
    "auth.User": _user_row,
    "core.Membership": _membership_row,
    "core.Notification": _notification_row,
    "core.Attachment": _attachment_row,
    "core.Job": _job_row,
}


def foreign_rows(
    cast: Any, needed: set[type[models.Model]], *, strict: bool = True
) -> dict[type, Any]:
    """A row of every needed model in 乙镇 (foreign to every 甲镇 user). `strict=False` leaves
    out the models that cannot be made instead of failing (the sweep reports those)."""
    suites = _suites()
    rows: dict[type, Any] = {}
    problems: list[str] = []
    for model in needed:
        label = model._meta.label
        if label in EXTRA_FACTORIES:
            rows[model] = EXTRA_FACTORIES[label](cast)
            continue
        resource = resources.for_model(model)
        suite = suites.get(resource.key) if resource is not None else None
        if suite is None:
            if label not in KNOWN_GAPS:
                problems.append(f"{label}: no ResourceSuite declares make() for it")
            continue
        try:
            with transaction.atomic():  # a failed make() leaves the test's transaction usable
                rows[model] = suite().make(cast, cast.b)
        except Exception as exc:  # noqa: BLE001 - reported with the model's name
            problems.append(f"{label}: make(cast, cast.b) failed: {exc!r}")
    if problems and strict:
        raise AssertionError("cannot make a foreign row:\n" + "\n".join(problems))
    return rows
