"""The checker's link to the indicator registry: a RecordSource over one township's records.

A claim is mapped to a metric by the words reports use for it (the metric's label and
`aliases`) and by its unit (a rate only to a rate metric); the figure is computed by the
registry over the report's year, so "报告称58件，系统记录56件" compares with the same number the
dashboard shows, with a link to the records behind it.
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

from fazhi.indicators import registry
from fazhi.reports.checker import Claim, RecordFigure


def _words(metric: registry.Metric) -> list[str]:
    return [w for w in (metric.label, *metric.aliases) if len(w) >= 2]


def match_metric(
    claim: Claim, metrics: list[registry.Metric] | None = None
) -> registry.Metric | None:
    """The metric a claim states; None when none or ambiguous.

    A metric's word must appear in the claim's phrase. Words that overlap the claim's own noun
    ("办结率") beat words found only elsewhere in the phrase ("办结率和群众满意率均达…" names two
    rates); among those, the longest word wins."""
    noun, text = claim.noun, f"{claim.phrase}{claim.noun}"
    best: list[tuple[tuple[int, int], registry.Metric]] = []
    for metric in metrics if metrics is not None else registry.metrics():
        if (claim.unit == "%") != (metric.kind == registry.RATE):
            continue
        for word in _words(metric):
            if word not in text and word != noun:
                continue
            overlaps = len(noun) >= 2 and (noun in word or word in noun)
            best.append(((int(overlaps), len(word)), metric))
    if not best:
        return None
    best.sort(key=lambda item: item[0], reverse=True)
    top = {m.code: m for score, m in best if score == best[0][0]}
    return next(iter(top.values())) if len(top) == 1 else None


class RegistrySource:
    """Look claims up in one township's records through the indicator registry."""

    def __init__(self, township: Any) -> None:
        self.township = township
        self._metrics = registry.metrics()

    def lookup(self, claim: Claim, *, year: int | None) -> RecordFigure | None:
        if year is None:
            return None
        metric = match_metric(claim, self._metrics)
        if metric is None:
            return None
        figure = metric.compute(self.township, registry.Period.year(year))
        if figure.value is None or (figure.value == 0 and not figure.denominator):
            # nothing recorded for this measure: the module is not in use here (yet), so there is
            # nothing to compare with — not a contradiction
            return None
        try:
            url = (
                reverse("indicators:figure", args=[self.township.pk, metric.code]) + f"?year={year}"
            )
        except NoReverseMatch:
            url = None
        return RecordFigure(
            metric=metric.code,
            label=metric.label,
            value=float(figure.value),
            unit=metric.unit,
            numerator=None if figure.numerator is None else float(figure.numerator),
            denominator=None if figure.denominator is None else float(figure.denominator),
            url=url,
        )
