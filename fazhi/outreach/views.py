"""Workflow pages of the outreach module: a 普法 event entered from a phone."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from fazhi.core import scope
from fazhi.core.roles import ADD, VIEW
from fazhi.governance import targets
from fazhi.indicators import registry
from fazhi.indicators.registry import Period
from fazhi.outreach import services
from fazhi.outreach.forms import QuickEventForm
from fazhi.outreach.models import Event

#: the township figures a clerk sees change after entering an event
FIGURES = ("outreach.events", "outreach.audience", "outreach.materials", "outreach.banners")


def quick_event(request: HttpRequest) -> HttpResponse:
    """Phone-width entry of a 普法 event (the short form)."""
    if not scope.has_any(request.user, ADD, Event):
        raise PermissionDenied("您的角色无权登记普法活动。")
    form = QuickEventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(Event, form.changed_data_dict(), actor=request.user)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            return redirect("outreach:quick_event_done", pk=event.pk)
    return render(request, "outreach/quick_event.html", {"form": form})


def quick_event_done(request: HttpRequest, pk: int) -> HttpResponse:
    """After saving: the township's year figures and the outreach targets' progress."""
    event = get_object_or_404(Event.objects.visible_to(request.user, VIEW), pk=pk)
    year = event.held_on.year
    period = Period.year(year)
    figures = [registry.compute(code, event.township, period) for code in FIGURES]
    progress = [
        p
        for p in targets.progress_for(event.township, year)
        if p.target.metric_code.startswith("outreach.")
    ]
    return render(
        request,
        "outreach/quick_event_done.html",
        {"event": event, "figures": figures, "progress": progress, "year": year},
    )
