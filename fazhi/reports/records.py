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


#: units a claim and a metric may share (a report writes 件 or 起 for cases, 场 or 次 for events)
_SAME_UNIT = [{"件", "起"}, {"次", "场", "场次", "期"}, {"人次", "人"}, {"名", "人"}, {"份", "册"}]


def _units_agree(claim_unit: str, metric_unit: str) -> bool:
    if not claim_unit or not metric_unit or claim_unit == metric_unit:
        return True
    return any(claim_unit in group and metric_unit in group for group in _SAME_UNIT)


def _same_noun(word: str, noun: str) -> bool:
    """Does `word` (which ends right before the number) name the claim's noun? It contains it,
    is contained in it, or the noun continues it (走访下访化解 + 化解积案)."""
    if len(noun) < 2 or noun in word or word in noun:
        return True
    return any(word.endswith(noun[:k]) for k in range(2, len(noun) + 1))


def _stem(metric: registry.Metric) -> str:
    """The words of the metric's report phrase before its figure: "现场化解积案" of
    "现场化解积案{value}起" (the report generator writes exactly these)."""
    head = metric.report_phrase.split("{", 1)[0]
    for prefix in ("全镇", "全年", "共"):
        head = head.removeprefix(prefix)
    return head if len(head) >= 2 else ""


def match_metric(
    claim: Claim, metrics: list[registry.Metric] | None = None
) -> registry.Metric | None:
    """The metric a claim states; None when none or ambiguous ("no matching metric": never a
    guess).

    The claim's unit must agree with the metric's (a rate only with a rate; 件/起, 次/场 …). The
    words immediately before the number decide first: a metric whose report phrase ends right
    there ("现场化解积案" + 35起: its report phrase, label or alias, the longest) wins. Otherwise a metric's word must appear in the claim's
    phrase; words that overlap the claim's own noun ("办结率") beat words found only elsewhere in
    the phrase ("办结率和群众满意率均达…" names two rates); among those, the longest word wins."""
    noun, text = claim.noun, f"{claim.phrase}{claim.noun}"
    candidates = [
        m
        for m in (metrics if metrics is not None else registry.metrics())
        if (claim.unit == "%") == (m.kind == registry.RATE)
        and (claim.unit == "%" or _units_agree(claim.unit, m.unit))
    ]
    before = claim.sentence[: max(0, claim.start - claim.sentence_start)] if claim.sentence else ""
    stems = []
    for m in candidates:
        ends = [
            w
            for w in (_stem(m), *_words(m))
            if len(w) >= 2
            and before.endswith(w)
            and _same_noun(w, noun)  # the claim's own noun, not a neighbour's
        ]
        if ends:
            stems.append((max(len(w) for w in ends), m))
    if stems:
        stems.sort(key=lambda item: item[0], reverse=True)
        top = {m.code: m for n, m in stems if n == stems[0][0]}
        return next(iter(top.values())) if len(top) == 1 else None
    best: list[tuple[tuple[int, int], registry.Metric]] = []
    for metric in candidates:
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


#: "每月1次" states a yearly count of 12: the record is compared per period
PER_YEAR = {"月": 12, "季度": 4, "季": 4, "半年": 2, "年": 1, "年度": 1}


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
        per_year = PER_YEAR.get(claim.per or "", 1)
        if claim.per and (
            claim.per not in PER_YEAR or metric.kind in (registry.RATE, registry.AVERAGE)
        ):
            return None  # "每天" etc.: not a yearly count to compare with
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
        label = metric.label if per_year == 1 else f"{metric.label}（全年÷{per_year}）"
        return RecordFigure(
            metric=metric.code,
            label=label,
            value=float(figure.value) / per_year,
            unit=metric.unit,
            numerator=None if figure.numerator is None else float(figure.numerator),
            denominator=None if figure.denominator is None else float(figure.denominator),
            average=metric.kind == registry.AVERAGE,
            url=url,
        )
