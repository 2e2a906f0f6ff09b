"""Public pages of the outreach module (政务公开, no login): a township's public legal services,
its 普法 activities and culture sites, and its 法律明白人 by village.

Each page shows one township's own records only (the id in the address names the township) and
nothing personal: no phone, no ID number, no applicant of legal aid, no consultation's content
(consultations and legal aid appear only as the registry's figures). A 法律明白人's name and
village are published, as villages post them, so that villagers know whom to ask.
The sections are registered with the portal (`fazhi/portal/sections.py`) and are listed for a
township only when it has records of that kind.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from fazhi.core.deadlines import today_local
from fazhi.core.models import Township
from fazhi.indicators import registry
from fazhi.indicators.registry import Period
from fazhi.outreach.models import (
    Award,
    CultureSite,
    DutySession,
    Event,
    LegalUnderstander,
    ServicePoint,
)
from fazhi.portal import sections

#: the registry figures each public page states for the chosen year
SERVICE_FIGURES = (
    "outreach.duty_sessions",
    "outreach.consultation_people",
    "outreach.consultation_questions",
    "outreach.legal_aid_received",
)
EVENT_FIGURES = (
    "outreach.events",
    "outreach.audience",
    "outreach.materials",
    "outreach.banners",
    "outreach.bulletin_boards",
)
UNDERSTANDER_FIGURES = ("outreach.understanders", "outreach.awards")


def _township(township_id: int) -> Township:
    return get_object_or_404(Township.objects.select_related("county"), pk=township_id)


def _year(request: HttpRequest, years: list[int]) -> int:
    """The year asked for (?year=), else the latest year with records, else this year."""
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return years[0] if years else today_local().year


def _years(qs, field: str) -> list[int]:
    return sorted({d.year for d in qs.dates(field, "year")}, reverse=True)


def _figures(codes: tuple[str, ...], township: Township, year: int) -> list[registry.Figure]:
    return list(registry.compute_many(codes, township, Period.year(year)).values())


def services(request: HttpRequest, township_id: int) -> HttpResponse:
    """公共法律服务: the service points, the lawyers' duty sessions of the year, the year's figures."""
    township = _township(township_id)
    sessions = DutySession.objects.filter(township=township)
    years = _years(sessions, "held_on")
    year = _year(request, years)
    points = (
        ServicePoint.objects.filter(township=township, is_active=True)
        .select_related("village")
        .order_by("level", "name")
    )
    rows = (
        sessions.filter(held_on__year=year)
        .select_related("point")
        .order_by("-held_on", "pk")
        .only("held_on", "lawyer", "firm", "hours", "point__name")
    )
    return render(
        request,
        "outreach/portal_services.html",
        {
            "township": township,
            "year": year,
            "years": years,
            "points": points,
            "sessions": rows,
            "figures": _figures(SERVICE_FIGURES, township, year),
        },
    )


def events(request: HttpRequest, township_id: int) -> HttpResponse:
    """普法活动: the year's events (date, theme, key day, form, place, audience) and culture sites."""
    township = _township(township_id)
    qs = Event.objects.filter(township=township)
    years = _years(qs, "held_on")
    year = _year(request, years)
    rows = (
        qs.filter(held_on__year=year)
        .select_related("village", "organiser")
        .order_by("-held_on", "pk")
        .only(
            "held_on",
            "title",
            "key_day",
            "channel",
            "venue",
            "target_groups",
            "audience",
            "village__name",
            "organiser__name",
        )
    )
    sites = (
        CultureSite.objects.filter(township=township, is_active=True)
        .select_related("village")
        .order_by("village__name", "kind", "name")
    )
    return render(
        request,
        "outreach/portal_events.html",
        {
            "township": township,
            "year": year,
            "years": years,
            "events": rows,
            "sites": sites,
            "figures": _figures(EVENT_FIGURES, township, year),
        },
    )


def understanders(request: HttpRequest, township_id: int) -> HttpResponse:
    """法律明白人: the active registry by village (name and identity only) with their awards."""
    township = _township(township_id)
    people = (
        LegalUnderstander.objects.filter(township=township, is_active=True)
        .select_related("village")
        .order_by("village__name", "name")
        .only("name", "occupation", "village__name")
    )
    awards: dict[int, list[str]] = {}
    for a in Award.objects.filter(township=township, understander__is_active=True).order_by(
        "-awarded_on"
    ):
        awards.setdefault(a.understander_id, []).append(f"{a.awarded_on.year}年{a.title}")
    villages: dict[str, list[dict]] = {}
    for p in people:
        villages.setdefault(p.village.name, []).append(
            {"name": p.name, "occupation": p.occupation, "awards": awards.get(p.pk, [])}
        )
    year = today_local().year
    return render(
        request,
        "outreach/portal_understanders.html",
        {
            "township": township,
            "villages": villages,
            "year": year,
            "figures": _figures(UNDERSTANDER_FIGURES, township, year),
        },
    )


def register_sections() -> None:
    sections.register(
        sections.Section(
            key="outreach.services",
            title="公共法律服务",
            description="公共法律服务站点、律师坐班安排和全年法律咨询、法律援助情况。",
            township_url_name="outreach_portal:services",
            count=lambda t: ServicePoint.objects.filter(township=t, is_active=True).count(),
            order=40,
        )
    )
    sections.register(
        sections.Section(
            key="outreach.events",
            title="普法活动",
            description="本乡镇开展的普法宣传活动和法治文化阵地。",
            township_url_name="outreach_portal:events",
            count=lambda t: Event.objects.filter(township=t).count(),
            order=45,
        )
    )
    sections.register(
        sections.Section(
            key="outreach.understanders",
            title="法律明白人",
            description="各村(社区)法律明白人名单及表彰情况，群众遇到法律问题可就近咨询。",
            township_url_name="outreach_portal:understanders",
            count=lambda t: LegalUnderstander.objects.filter(township=t, is_active=True).count(),
            order=46,
        )
    )
