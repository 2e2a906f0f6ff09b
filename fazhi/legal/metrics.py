"""Metrics of legal advisors and legality review (the indicator registry).

Cohorts, stated once:
- advisors: serving at any time in the period (任职起 ≤ period end, 任职止 empty or ≥ start);
- reviews: submitted (送审) in the period; 按期 counts those whose opinion is due or given by
  the period's end;
- contracts / documents: signed / published in the period; "reviewed before taking effect" means a
  concluded review with 通过 or 修改后通过 dated on or before the signing / publication.
A figure for a past period does not change later: every condition is bounded by the period end.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from fazhi.core.models import Village
from fazhi.indicators.registry import COUNT, RATE, Metric, Period, register
from fazhi.legal.choices import (
    PASSING,
    ContractStatus,
    DocumentKind,
    DocumentStatus,
    ReviewKind,
    ReviewStatus,
)
from fazhi.legal.models import Advisor, Contract, NormativeDocument, ReviewRequest

SECTION = "measures"
TOPIC_REVIEW = "依法决策和合法性审查"
TOPIC_SERVICE = "公共法律服务"
DECISION_CITATION = "《重大行政决策程序暂行条例》第二十五条至第二十八条"


def _in(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def advisors(township: Any, period: Period) -> QuerySet:
    return Advisor.objects.filter(
        Q(end__isnull=True) | Q(end__gte=period.start),
        township=township,
        start__lte=period.end,
    ).select_related("township", "engagement")


def township_advisors(township: Any, period: Period) -> QuerySet:
    return advisors(township, period).filter(is_township_advisor=True)


def villages(township: Any, period: Period) -> QuerySet:
    return Village.objects.filter(township=township).select_related("township")


def villages_with_advisor(township: Any, period: Period) -> QuerySet:
    serving = advisors(township, period).filter(villages=OuterRef("pk"))
    return villages(township, period).filter(Exists(serving))


def reviews(township: Any, period: Period) -> QuerySet:
    return ReviewRequest.objects.filter(
        _in("submitted_on", period), township=township
    ).select_related("township", "advisor")


def _due_by(period: Period) -> Q:
    """Due by the period's end; while the period runs, only what is already overdue today."""
    today = timezone.localdate()
    limit = Q(due_on__lte=period.end) if period.end < today else Q(due_on__lt=today)
    return limit


def reviews_due(township: Any, period: Period) -> QuerySet:
    return (
        reviews(township, period)
        .exclude(status=ReviewStatus.WITHDRAWN)
        .filter(Q(opinion_on__lte=period.end) | _due_by(period))
    )


def reviews_on_time(township: Any, period: Period) -> QuerySet:
    return (
        reviews_due(township, period)
        .filter(opinion_on__lte=period.end)
        .filter(opinion_on__lte=F("due_on"))
    )


def decision_reviews(township: Any, period: Period) -> QuerySet:
    return reviews(township, period).filter(
        kind=ReviewKind.MAJOR_DECISION, status=ReviewStatus.CONCLUDED, opinion_on__lte=period.end
    )


def decision_reviews_with_advisor(township: Any, period: Period) -> QuerySet:
    return (
        decision_reviews(township, period).filter(advisor__isnull=False).exclude(advisor_opinion="")
    )


def _reviewed_before(effective: str) -> Q:
    return Q(
        review__status=ReviewStatus.CONCLUDED,
        review__outcome__in=PASSING,
        review__opinion_on__lte=F(effective),
    )


def contracts_signed(township: Any, period: Period) -> QuerySet:
    return Contract.objects.filter(
        _in("signed_on", period), township=township, status=ContractStatus.SIGNED
    ).select_related("township", "village", "review")


def contracts_reviewed(township: Any, period: Period) -> QuerySet:
    return contracts_signed(township, period).filter(_reviewed_before("signed_on"))


def contracts_reviewed_by_advisor(township: Any, period: Period) -> QuerySet:
    return (
        contracts_reviewed(township, period)
        .filter(review__advisor__isnull=False)
        .exclude(review__advisor_opinion="")
    )


def documents_issued(township: Any, period: Period) -> QuerySet:
    return NormativeDocument.objects.filter(
        _in("issued_on", period),
        township=township,
        status__in=[DocumentStatus.ISSUED, DocumentStatus.FILED],
    ).select_related("township", "village", "review")


def documents_reviewed(township: Any, period: Period) -> QuerySet:
    return documents_issued(township, period).filter(_reviewed_before("issued_on"))


def filings_due(township: Any, period: Period) -> QuerySet:
    today = timezone.localdate()
    due = Q(filing_due_on__lte=period.end) if period.end < today else Q(filing_due_on__lt=today)
    return (
        documents_issued(township, period)
        .filter(kind=DocumentKind.NORMATIVE)
        .filter(Q(filed_on__lte=period.end) | due)
    )


def filings_on_time(township: Any, period: Period) -> QuerySet:
    return (
        filings_due(township, period)
        .filter(filed_on__lte=period.end)
        .filter(filed_on__lte=F("filing_due_on"))
    )


def _m(code: str, label: str, unit: str, kind: str, records: Any, **kw: Any) -> Metric:
    kw.setdefault("report_section", SECTION)
    kw.setdefault("report_topic", TOPIC_REVIEW)
    return register(Metric(code, label, unit, kind, records, **kw))


ADVISORS = _m(
    "legal.advisors",
    "法律顾问人数",
    "名",
    COUNT,
    township_advisors,
    citation="REGULATIONS.md §9（法律顾问制度）",
    definition="期内任职的镇政府法律顾问（含律师、公职律师、法学专家）人数。",
    aliases=("法律顾问", "律师担任", "名律师"),
    report_phrase="聘请{value}名律师担任镇政府法律顾问",
)
VILLAGE_COVERAGE = _m(
    "legal.village_advisor_coverage",
    "村居法律顾问覆盖率",
    "%",
    RATE,
    villages,
    numerator_records=villages_with_advisor,
    definition="期内有法律顾问任职的村(社区、场)数 / 村(社区、场)总数。",
    aliases=("村居法律顾问", "一村一法律顾问", "村法律顾问"),
    report_topic=TOPIC_SERVICE,
    report_phrase="村居法律顾问覆盖{numerator}个村(社区)，覆盖率{value}%",
)
REVIEWS = _m(
    "legal.reviews",
    "合法性审查件数",
    "件",
    COUNT,
    reviews,
    definition="期内送请合法性审查的事项（合同、规范性文件、重大决策、重大执法决定、复议答复、应诉答辩、村规民约）。",
    aliases=("合法性审查", "审查件数"),
    report_phrase="开展合法性审查{value}件",
)
REVIEW_ON_TIME = _m(
    "legal.review_on_time_rate",
    "合法性审查按期率",
    "%",
    RATE,
    reviews_due,
    numerator_records=reviews_on_time,
    definition="期内送审且期末前已出具意见或已到期的事项中，在审查期限内出具意见的比例。",
    aliases=("审查按期率", "按期审查"),
    report_phrase="合法性审查按期率{display}",
)
ADVISOR_IN_DECISIONS = _m(
    "legal.advisor_decision_rate",
    "法律顾问参与重大决策率",
    "%",
    RATE,
    decision_reviews,
    numerator_records=decision_reviews_with_advisor,
    citation=DECISION_CITATION,
    definition="期内完成合法性审查的重大行政决策中，有法律顾问书面意见的比例。",
    aliases=("法律顾问全程参与率", "法律顾问参与率", "征询法律顾问"),
    report_phrase="法律顾问全程参与重大决策合法性审查，参与率{value}%",
)
CONTRACT_REVIEW = _m(
    "legal.contract_review_rate",
    "合同合法性审查率",
    "%",
    RATE,
    contracts_signed,
    numerator_records=contracts_reviewed,
    definition="期内签订的镇政府和村级合同中，签订前经合法性审查（通过或修改后通过）的比例。",
    aliases=("合同审查", "合同合法性审查"),
    report_phrase="镇政府和各村签订的合同{numerator}份均经合法性审查，审查率{value}%",
)
CONTRACT_ADVISOR = _m(
    "legal.contract_advisor_rate",
    "合同经法律顾问先行审查率",
    "%",
    RATE,
    contracts_signed,
    numerator_records=contracts_reviewed_by_advisor,
    definition="期内签订的镇政府和村级合同中，签订前有法律顾问书面审查意见的比例。",
    aliases=("法律顾问先行审查",),
    report_phrase="镇政府和各村签订的合同由法律顾问先行审查，{display}",
)
DOCUMENT_REVIEW = _m(
    "legal.document_review_rate",
    "规范性文件合法性审核率",
    "%",
    RATE,
    documents_issued,
    numerator_records=documents_reviewed,
    definition="期内公布的行政规范性文件和村规民约中，公布前经合法性审查的比例。",
    aliases=("规范性文件审核", "文件合法性审核"),
    report_phrase="规范性文件合法性审核率{value}%",
)
FILING_ON_TIME = _m(
    "legal.filing_on_time_rate",
    "规范性文件备案及时率",
    "%",
    RATE,
    filings_due,
    numerator_records=filings_on_time,
    citation="各省规范性文件备案规定（REGULATIONS.md §9）",
    definition="期内公布、报备期限已届满或已报备的行政规范性文件中，在期限内报备的比例。",
    aliases=("备案及时率", "报备率"),
    report_phrase="规范性文件备案及时率{display}",
)
