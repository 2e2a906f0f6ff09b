"""Which records name a party, across modules.

Each module registers one source: a callable that, given the ids of a party and its aliases,
returns that module's records naming them. The party page lists them (filtered by what the
viewing user may see), and early warnings count them (repeat parties), so a petitioner who is
also a dispute party shows up as one person.

    from fazhi.parties import registry

    def petition_records(party_ids, user):
        qs = Petition.objects.filter(petitioners__party_id__in=party_ids)
        if user is not None:
            qs = qs.visible_to(user, "view")
        for p in qs.distinct():
            yield registry.PartyRecord(
                key=f"petitions.petition:{p.pk}", module="信访", title=p.number,
                url=reverse("petitions:petitions_detail", args=[p.pk]), date=p.received_on,
                role="信访人", status=p.get_status_display(), township_id=p.township_id)

    registry.register("petitions", "信访", petition_records)      # in AppConfig.ready()

`user=None` means "all records" (system use, e.g. warnings); with a user, return only what
that user may see (the scope gate), so the party page leaks nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class PartyRecord:
    key: str  # "<app>.<model>:<pk>", unique across modules
    module: str  # 调解 / 信访 …
    title: str  # receipt number or short title
    url: str
    date: dt.date | None
    role: str  # 申请人 / 被申请人 / 信访人 …
    status: str
    township_id: int
    summary: str = ""


Source = Callable[[Sequence[int], Any], Iterable[PartyRecord]]


@dataclass(frozen=True)
class _Entry:
    key: str
    label: str
    fn: Source
    #: (model, FK field to Party) pairs: a record of `model` names a party through them
    links: tuple[tuple[type[models.Model], str], ...]


_SOURCES: dict[str, _Entry] = {}


def register(
    key: str,
    label: str,
    fn: Source,
    *,
    links: Sequence[tuple[type[models.Model], str]] = (),
) -> None:
    """Register a module's records of parties. `links` says how a record names a party, e.g.
    `[(Dispute, "dispute_parties__party")]`; it lets a reveal "via" that record be checked."""
    _SOURCES[key] = _Entry(key, label, fn, tuple(links))


def unregister(key: str) -> None:
    """For tests only."""
    _SOURCES.pop(key, None)


def sources() -> list[tuple[str, str]]:
    return [(e.key, e.label) for e in _SOURCES.values()]


def records_for(party: Any, user: Any = None) -> list[PartyRecord]:
    """Every record naming the party or one of its aliases, newest first."""
    ids = party.family_ids()
    out: list[PartyRecord] = []
    for entry in _SOURCES.values():
        out.extend(entry.fn(ids, user))
    return sorted(out, key=lambda r: (r.date or dt.date.min, r.key), reverse=True)


def records_between(
    party: Any, start: dt.date, end: dt.date, *, exclude: str = ""
) -> list[PartyRecord]:
    """Records of the party (all modules, unscoped) dated within [start, end]."""
    return [
        r
        for r in records_for(party, None)
        if r.key != exclude and r.date is not None and start <= r.date <= end
    ]


def any_between(parties: Sequence[Any], start: dt.date, end: dt.date, *, exclude: str = "") -> bool:
    """Whether any of `parties` (or their aliases) has a record other than `exclude` dated
    within [start, end]: one query per module for all of them (records_between asks per party)."""
    from fazhi.parties.models import Party

    ids = [p.pk for p in parties]
    frontier = list(ids)
    while frontier:  # aliases merged into them, at any depth
        frontier = list(
            Party.objects.filter(merged_into_id__in=frontier)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids.extend(frontier)
    for entry in _SOURCES.values():
        for r in entry.fn(ids, None):
            if r.key != exclude and r.date is not None and start <= r.date <= end:
                return True
    return False


def record_names_party(record: models.Model, party: Any) -> bool:
    """Does `record` (of a registered module) name `party` or one of its aliases?"""
    ids = party.family_ids()
    for entry in _SOURCES.values():
        for model, path in entry.links:
            if isinstance(record, model):
                if model._default_manager.filter(pk=record.pk, **{f"{path}__in": ids}).exists():
                    return True
    return False
