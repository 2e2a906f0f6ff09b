"""合法性审查全覆盖: every decision, document and contract that took effect in a period, and
whether it was reviewed before it took effect. The uncovered ones are listed, not hidden in a rate.

Modules with reviewable records add a source (`register_source`); the decisions app adds its
major decisions. A source returns `Item`s for one township and period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from fazhi.indicators.registry import Period
from fazhi.legal.choices import ContractStatus, DocumentStatus
from fazhi.legal.models import Contract, NormativeDocument, ReviewRequest
from fazhi.legal.services import reviewed_before


@dataclass(frozen=True)
class Item:
    category: str  # 合同 / 规范性文件 / 重大行政决策 …
    title: str
    owner: str  # 镇政府 or the village
    effective_on: dt.date | None
    review: ReviewRequest | None
    url: str
    note: str = ""

    @property
    def covered(self) -> bool:
        return reviewed_before(self.review, self.effective_on)

    @property
    def gap(self) -> str:
        """Why an item is not covered, in words a clerk understands."""
        if self.covered:
            return ""
        r = self.review
        if r is None:
            return self.note or "未送合法性审查"
        if not r.opinion_on:
            return "审查意见尚未出具"
        if r.outcome not in ("passed", "modified"):
            return f"审查结论为“{r.get_outcome_display()}”"
        return "生效日期早于审查意见"


Source = Callable[[Any, Period], list[Item]]
_SOURCES: list[tuple[str, Source]] = []


def register_source(key: str, source: Source) -> None:
    if key not in [k for k, _ in _SOURCES]:
        _SOURCES.append((key, source))


def contracts(township: Any, period: Period) -> list[Item]:
    qs = (
        Contract.objects.filter(
            township=township,
            status=ContractStatus.SIGNED,
            signed_on__gte=period.start,
            signed_on__lte=period.end,
        )
        .select_related("village", "review")
        .order_by("signed_on", "pk")
    )
    return [
        Item(
            "村级合同" if c.village_id else "镇政府合同",
            c.title,
            c.owner_label,
            c.signed_on,
            c.review,
            reverse("legal:contracts_detail", args=[c.pk]),
            note=f"补录：{c.unreviewed_reason}" if c.unreviewed_reason else "",
        )
        for c in qs
    ]


def documents(township: Any, period: Period) -> list[Item]:
    qs = (
        NormativeDocument.objects.filter(
            township=township,
            status__in=[DocumentStatus.ISSUED, DocumentStatus.FILED],
            issued_on__gte=period.start,
            issued_on__lte=period.end,
        )
        .select_related("village", "review")
        .order_by("issued_on", "pk")
    )
    return [
        Item(
            d.get_kind_display(),
            str(d),
            d.village.name if d.village_id else "镇政府",
            d.issued_on,
            d.review,
            reverse("legal:documents_detail", args=[d.pk]),
            note=f"补录：{d.unreviewed_reason}" if d.unreviewed_reason else "",
        )
        for d in qs
    ]


register_source("legal.contracts", contracts)
register_source("legal.documents", documents)


def items(township: Any, period: Period) -> list[Item]:
    out: list[Item] = []
    for _key, source in _SOURCES:
        out.extend(source(township, period))
    return out
