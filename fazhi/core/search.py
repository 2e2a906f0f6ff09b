"""Global search: one box on every page finds case and receipt numbers, party names, villages
and titles across every module, behind the scope gate.

Each module declares what of its records is searchable in its own `search.py` (discovered at
start-up):

    from fazhi.core.search import Searchable, register

    register(Searchable(Dispute, "矛盾纠纷", ["number", "title", "village__name",
                                              "parties__name"],
                        summary=lambda d: f"{d.get_status_display()} · {d.village or ''}"))

A hit shows the record's title and summary only (personal data masked, as on every page); a
user sees only rows the scope gate gives them (`visible_to(user, VIEW)`), so another
township's records never appear, not even as a count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.urls import NoReverseMatch

from fazhi.core.roles import VIEW

#: hits per record type (the page says when there are more)
PER_KIND = 10
MIN_LENGTH = 2
MAX_LENGTH = 50


@dataclass(frozen=True)
class Searchable:
    model: type[models.Model]
    #: what the hits are, in Chinese (信访事项, 矛盾纠纷 …)
    label: str
    #: lookups matched with icontains (related names allowed: "village__name")
    fields: list[str]
    #: the hit's title (defaults to str(record))
    title: Callable[[Any], str] | None = None
    #: one line under the title: status, date, village (personal data masked)
    summary: Callable[[Any], str] | None = None
    #: the record's page (defaults to its resource's detail page)
    url: Callable[[Any], str] | None = None
    select_related: list[str] = field(default_factory=list)
    ordering: list[str] = field(default_factory=lambda: ["-pk"])
    order: int = 50


_REGISTRY: list[Searchable] = []


def register(searchable: Searchable) -> Searchable:
    if all(s.model is not searchable.model for s in _REGISTRY):
        _REGISTRY.append(searchable)
    return searchable


def searchables() -> list[Searchable]:
    return sorted(_REGISTRY, key=lambda s: s.order)


@dataclass
class Hit:
    title: str
    summary: str
    url: str


@dataclass
class Group:
    label: str
    hits: list[Hit]
    more: bool


def clean_query(q: str | None) -> str:
    return " ".join((q or "").split())[:MAX_LENGTH]


def search(user: Any, q: str) -> list[Group]:
    """Groups of hits the user may see, one per record type that has any."""
    q = clean_query(q)
    if len(q) < MIN_LENGTH:
        return []
    groups = []
    for s in searchables():
        manager = s.model._default_manager
        if not hasattr(manager, "visible_to"):
            continue
        query = models.Q()
        for name in s.fields:
            query |= models.Q(**{f"{name}__icontains": q})
        ids = list(
            manager.visible_to(user, VIEW)
            .filter(query)
            .order_by(*s.ordering)
            .values_list("pk", flat=True)
            .distinct()[: PER_KIND + 1]
        )
        if not ids:
            continue
        rows = manager.filter(pk__in=ids[:PER_KIND])
        if s.select_related:
            rows = rows.select_related(*s.select_related)
        rows = rows.order_by(*s.ordering)
        groups.append(Group(s.label, [_hit(s, r) for r in rows], len(ids) > PER_KIND))
    return groups


def _hit(s: Searchable, obj: Any) -> Hit:
    title = s.title(obj) if s.title else str(obj)
    summary = s.summary(obj) if s.summary else ""
    if s.url is not None:
        url = s.url(obj)
    else:
        resource = getattr(type(obj), "resource", None)
        try:
            url = resource.url("detail", obj) if resource is not None else ""
        except NoReverseMatch:
            url = ""
    return Hit(str(title), str(summary or ""), url)


def _village_summary(v: Any) -> str:
    return f"{v.township} · {v.get_kind_display()}" if hasattr(v, "get_kind_display") else ""


def register_core() -> None:
    from fazhi.core.models import Village

    register(
        Searchable(
            Village,
            "村(社区)",
            ["name"],
            summary=_village_summary,
            select_related=["township"],
            ordering=["township_id", "name"],
            order=80,
        )
    )


register_core()
