"""The needs survey summary (菜单式普法): what the year's surveys asked for, as a clerk plans the
next year's activities from it.

The surveys summarised are exactly the records behind the registry's
`outreach.survey_respondents` for the year (its drill-down), so every breakdown adds up to the
registry's figure. Each demand (a group, a law, a topic, a preferred form, a village) is weighed
by the respondents of the surveys that asked for it, and set against the 普法 events of the plan
year (the next year) that answer it: events for that group, publicising that law, in that form,
in that village. Topics are free text and cannot be matched to events; they are listed for the
clerk to read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from fazhi.indicators import registry
from fazhi.indicators.registry import Period
from fazhi.outreach import choices as c
from fazhi.outreach.models import NeedsSurvey, split_groups

RESPONDENTS = "outreach.survey_respondents"
EVENTS = "outreach.events"


@dataclass
class Demand:
    label: str
    respondents: int = 0
    surveys: int = 0
    #: events of the plan year that answer this demand (None: cannot be matched, e.g. topics)
    answered_by: int | None = None

    @property
    def unanswered(self) -> bool:
        return self.answered_by == 0


@dataclass
class Summary:
    year: int
    plan_year: int
    respondents: registry.Figure
    plan_events: registry.Figure
    surveys: int
    groups: list[Demand] = field(default_factory=list)
    laws: list[Demand] = field(default_factory=list)
    topics: list[Demand] = field(default_factory=list)
    channels: list[Demand] = field(default_factory=list)
    villages: list[Demand] = field(default_factory=list)

    @property
    def unanswered(self) -> list[Demand]:
        """Demands (groups, laws, forms, villages) no event of the plan year answers yet."""
        return [
            d for d in (*self.groups, *self.laws, *self.channels, *self.villages) if d.unanswered
        ]


def _split_topics(text: str) -> list[str]:
    for sep in (",", "，", ";", "；", "/", "、", "\n"):
        text = text.replace(sep, "、")
    return [t.strip() for t in text.split("、") if t.strip()]


def _tally(
    surveys: Iterable[NeedsSurvey],
    keys: Callable[[NeedsSurvey], Iterable[str]],
    answered: Callable[[str], int | None],
) -> list[Demand]:
    out: dict[str, Demand] = {}
    for s in surveys:
        for key in dict.fromkeys(keys(s)):
            d = out.setdefault(key, Demand(key))
            d.respondents += s.respondents
            d.surveys += 1
    for d in out.values():
        d.answered_by = answered(d.label)
    return sorted(out.values(), key=lambda d: (-d.respondents, -d.surveys, d.label))


def summarise(township: Any, year: int) -> Summary:
    """The surveys of `year` summarised against the events of `year + 1`."""
    period = Period.year(year)
    plan_period = Period.year(year + 1)
    metric = registry.metric(RESPONDENTS)
    surveys = list(
        metric.drilldown(township, period)
        .select_related("village")
        .prefetch_related("laws")
        .order_by("surveyed_on", "pk")
    )
    events = list(
        registry.metric(EVENTS)
        .drilldown(township, plan_period)
        .select_related("village")
        .prefetch_related("laws")
    )
    by_group: dict[str, int] = {}
    by_law: dict[str, int] = {}
    by_channel: dict[str, int] = {}
    by_village: dict[str, int] = {}
    for e in events:
        for g in split_groups(e.target_groups):
            by_group[g] = by_group.get(g, 0) + 1
        for law in e.laws.all():
            by_law[str(law)] = by_law.get(str(law), 0) + 1
        label = e.get_channel_display()
        by_channel[label] = by_channel.get(label, 0) + 1
        if e.village_id:
            by_village[e.village.name] = by_village.get(e.village.name, 0) + 1
    channel_label = dict(c.Channel.choices)
    return Summary(
        year=year,
        plan_year=year + 1,
        respondents=registry.compute(RESPONDENTS, township, period),
        plan_events=registry.compute(EVENTS, township, plan_period),
        surveys=len(surveys),
        groups=_tally(surveys, lambda s: [s.group], lambda k: by_group.get(k, 0)),
        laws=_tally(
            surveys, lambda s: [str(law) for law in s.laws.all()], lambda k: by_law.get(k, 0)
        ),
        topics=_tally(surveys, lambda s: _split_topics(s.topics), lambda k: None),
        channels=_tally(
            surveys,
            lambda s: [channel_label[s.channel]] if s.channel else [],
            lambda k: by_channel.get(k, 0),
        ),
        villages=_tally(
            surveys,
            lambda s: [s.village.name] if s.village_id else [],
            lambda k: by_village.get(k, 0),
        ),
    )
