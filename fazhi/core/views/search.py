"""The global search page and the 操作指南 pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fazhi.core import help as help_registry
from fazhi.core import search as search_registry


@login_required
def search(request: HttpRequest) -> HttpResponse:
    q = search_registry.clean_query(request.GET.get("q"))
    groups = search_registry.search(request.user, q) if q else []
    return render(
        request,
        "core/search.html",
        {
            "q": q,
            "groups": groups,
            "too_short": bool(q) and len(q) < search_registry.MIN_LENGTH,
            "min_length": search_registry.MIN_LENGTH,
            "kinds": [s.label for s in search_registry.searchables()],
        },
    )


@login_required
def help_index(request: HttpRequest) -> HttpResponse:
    return render(request, "core/help/index.html", {"topics": help_registry.topics()})


@login_required
def help_topic(request: HttpRequest, key: str) -> HttpResponse:
    topic = help_registry.get(key)
    if topic is None:
        raise Http404("没有这份操作指南。")
    sections = [(title, help_registry.blocks(text)) for title, text in topic.sections]
    return render(
        request,
        "core/help/topic.html",
        {
            "topic": topic,
            "intro": help_registry.blocks(topic.intro),
            "sections": sections,
            "topics": help_registry.topics(),
        },
    )
