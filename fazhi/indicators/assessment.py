"""Scoring a county's townships by an assessment scheme, with the evidence behind each score.

Every score is computed from a registry figure (the evidence: the figure, its counts and a link to
its records). Ranking is added only when the scheme says so (DESIGN §2.9: assessment serves
improvement; no check-in, click or online-time figures)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.urls import reverse

from fazhi.indicators import registry
from fazhi.indicators.models import (
    AssessmentItem,
    AssessmentScheme,
    AssessmentSchemeVersion,
    ScoringRule,
)
from fazhi.indicators.registry import NO_RECORDS, NOT_APPLICABLE, RECORDED, ZERO, Figure, Period


@dataclass
class Score:
    item: AssessmentItem
    figure: Figure
    points: Decimal
    reason: str
    url: str


@dataclass
class TownshipResult:
    township: Any
    scores: list[Score] = field(default_factory=list)
    rank: int | None = None

    @property
    def total(self) -> Decimal:
        return sum((s.points for s in self.scores), Decimal(0))

    @property
    def possible(self) -> Decimal:
        """The weights of the items that apply (a 不适用 item is left out of the total)."""
        return sum(
            (s.item.weight for s in self.scores if s.figure.status != NOT_APPLICABLE), Decimal(0)
        )


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def score(item: AssessmentItem, figure: Figure) -> tuple[Decimal, str]:
    weight = Decimal(item.weight)
    if figure.status == NOT_APPLICABLE:
        return Decimal(0), "不适用，不计入满分"
    if figure.status == NO_RECORDS:
        return Decimal(0), "未记录，不得分"
    if item.rule == ScoringRule.RECORDED:
        return weight, "有记录" if figure.status == RECORDED else "零报告"
    actual = Decimal(figure.value) if figure.value is not None else Decimal(0)
    standard = Decimal(item.standard or 0)
    if item.rule == ScoringRule.THRESHOLD:
        met = actual >= standard if figure.metric.higher_is_better else actual <= standard
        return (weight if met else Decimal(0)), (
            f"{figure.display}，{'达到' if met else '未达到'}标准{standard}"
        )
    if figure.metric.higher_is_better:
        share = min(Decimal(1), actual / standard) if standard else Decimal(0)
    else:
        share = Decimal(1) if actual <= standard else min(Decimal(1), standard / actual)
    if figure.status == ZERO:
        share = Decimal(0)
    return _q(weight * share), f"{figure.display}，标准{standard}，完成{_q(share * 100)}%"


# --- versions: a change makes a new version; scores are computed under the one in force -----
class StaleScheme(Exception):
    """The scheme changed since the page was read (the write names the version it read)."""


def snapshot(scheme: AssessmentScheme) -> list[dict[str, Any]]:
    return [
        {
            "metric_code": i.metric_code,
            "weight": str(i.weight),
            "rule": i.rule,
            "standard": None if i.standard is None else str(i.standard),
        }
        for i in scheme.items.order_by("pk")
    ]


def current_number(scheme: AssessmentScheme) -> int:
    """The latest version's number (0 for a scheme without one)."""
    latest = scheme.versions.order_by("-number").values_list("number", flat=True).first()
    return latest or 0


def record_version(
    scheme: AssessmentScheme, change: str, *, actor: Any, expected: int | None
) -> AssessmentSchemeVersion:
    """Freeze the scheme as it now stands as the next version. Call inside the transaction of
    the change; `expected` is the version number the change was made from (None: a new scheme).
    Raises StaleScheme when another change came first."""
    AssessmentScheme.objects.select_for_update().filter(pk=scheme.pk).first()
    number = current_number(scheme)
    if expected is not None and expected != number:
        raise StaleScheme(number)
    return AssessmentSchemeVersion.objects.create(
        scheme=scheme,
        number=number + 1,
        items=snapshot(scheme),
        rank=scheme.rank,
        change=change[:300],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def version_in_force(
    scheme: AssessmentScheme, number: int | None = None
) -> AssessmentSchemeVersion | None:
    """Version `number`, or the latest (the one in force); None for a scheme without any."""
    versions = scheme.versions.select_related("created_by")
    if number is not None:
        return versions.filter(number=number).first()
    return versions.order_by("-number").first()


def items_of(version: AssessmentSchemeVersion) -> list[AssessmentItem]:
    """The version's items as (unsaved) AssessmentItems, for scoring."""
    return [
        AssessmentItem(
            scheme=version.scheme,
            metric_code=i["metric_code"],
            weight=Decimal(i["weight"]),
            rule=i["rule"],
            standard=None if i["standard"] is None else Decimal(i["standard"]),
        )
        for i in version.items
    ]


def evaluate(
    scheme: AssessmentScheme,
    townships: list[Any],
    version: AssessmentSchemeVersion | None = None,
) -> list[TownshipResult]:
    """Scores under `version` (default: the version in force; a scheme without versions is
    scored by its items as they are)."""
    version = version or version_in_force(scheme)
    items = items_of(version) if version is not None else list(scheme.items.all())
    rank = version.rank if version is not None else scheme.rank
    period = Period.year(scheme.year)
    codes = [i.metric_code for i in items]
    results = []
    for t in townships:
        figures = registry.compute_many(codes, t, period)
        r = TownshipResult(t)
        for item in items:
            figure = figures[item.metric_code]
            points, reason = score(item, figure)
            url = reverse("indicators:figure", args=[t.pk, item.metric_code]) + (
                f"?year={scheme.year}"
            )
            r.scores.append(Score(item, figure, points, reason, url))
        results.append(r)
    if rank:
        ordered = sorted(results, key=lambda r: r.total, reverse=True)
        for i, r in enumerate(ordered):
            same = i and ordered[i - 1].total == r.total
            r.rank = ordered[i - 1].rank if same else i + 1
    return results
