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

import datetime as dt
from typing import Any

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from fazhi.core.models import Village
from fazhi.indicators.registry import AVERAGE, COUNT, RATE, Metric, Period, Rows, register
from fazhi.legal.choices import (
    CORRECTING,
    LOST,
    PASSING,
    ContractStatus,
    DocumentKind,
    DocumentStatus,
    ReviewKind,
    ReviewStatus,
)
from fazhi.legal.models import (
    Advisor,
    Contract,
    Hearing,
    Judgment,
    Litigation,
    NormativeDocument,
    Reconsideration,
    ReviewRequest,
)

SECTION = "measures"
TOPIC_REVIEW = "依法决策和合法性审查"
TOPIC_SERVICE = "公共法律服务"
DECISION_CITATION = "《重大行政决策程序暂行条例》第二十五条至第二十八条"


def _in(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


# Declared with Rows: every figure of a table comes from one aggregate (docs/indicators.md).
advisors = Rows(
    Advisor,
    lambda p: (Q(end__isnull=True) | Q(end__gte=p.start)) & Q(start__lte=p.end),
    select_related=("township", "engagement"),
)
township_advisors = advisors.narrow(lambda p: Q(is_township_advisor=True))
villages = Rows(Village, select_related=("township",))


def _has_advisor(period: Period) -> Q:
    serving = Advisor.objects.filter(
        Q(end__isnull=True) | Q(end__gte=period.start),
        start__lte=period.end,
        township=OuterRef("township"),
        villages=OuterRef("pk"),
    )
    return Q(Exists(serving))


villages_with_advisor = villages.narrow(_has_advisor)
reviews = Rows(
    ReviewRequest,
    lambda p: _in("submitted_on", p),
    select_related=("township", "advisor"),
)


def _due_by(period: Period) -> Q:
    """Due by the period's end; while the period runs, only what is already overdue today."""
    today = timezone.localdate()
    limit = Q(due_on__lte=period.end) if period.end < today else Q(due_on__lt=today)
    return limit


reviews_due = reviews.narrow(
    lambda p: ~Q(status=ReviewStatus.WITHDRAWN) & (Q(opinion_on__lte=p.end) | _due_by(p))
)
reviews_on_time = reviews_due.narrow(
    lambda p: Q(opinion_on__lte=p.end) & Q(opinion_on__lte=F("due_on"))
)
#: reviews with an opinion given by the period's end and a turnaround counted (the calendar
#: covered the days between); the rows the average turnaround divides by
reviews_timed = reviews.narrow(
    lambda p: Q(status=ReviewStatus.CONCLUDED, opinion_on__lte=p.end, turnaround__isnull=False)
)
decision_reviews = reviews.narrow(
    lambda p: Q(
        kind=ReviewKind.MAJOR_DECISION, status=ReviewStatus.CONCLUDED, opinion_on__lte=p.end
    )
)
decision_reviews_with_advisor = decision_reviews.narrow(
    lambda p: Q(advisor__isnull=False) & ~Q(advisor_opinion="")
)


def _reviewed_before(effective: str) -> Q:
    return Q(
        review__status=ReviewStatus.CONCLUDED,
        review__outcome__in=PASSING,
        review__opinion_on__lte=F(effective),
    )


contracts_signed = Rows(
    Contract,
    lambda p: _in("signed_on", p) & Q(status=ContractStatus.SIGNED),
    select_related=("township", "village", "review"),
)
contracts_reviewed = contracts_signed.narrow(lambda p: _reviewed_before("signed_on"))
contracts_reviewed_by_advisor = contracts_reviewed.narrow(
    lambda p: Q(review__advisor__isnull=False) & ~Q(review__advisor_opinion="")
)
documents_issued = Rows(
    NormativeDocument,
    lambda p: _in("issued_on", p) & Q(status__in=[DocumentStatus.ISSUED, DocumentStatus.FILED]),
    select_related=("township", "village", "review"),
)
documents_reviewed = documents_issued.narrow(lambda p: _reviewed_before("issued_on"))


def _filing_due(period: Period) -> Q:
    today = timezone.localdate()
    due = Q(filing_due_on__lte=period.end) if period.end < today else Q(filing_due_on__lt=today)
    return Q(kind=DocumentKind.NORMATIVE) & (Q(filed_on__lte=period.end) | due)


filings_due = documents_issued.narrow(_filing_due)
filings_on_time = filings_due.narrow(
    lambda p: Q(filed_on__lte=p.end) & Q(filed_on__lte=F("filing_due_on"))
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
    citation="党政机关法律顾问制度",
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
REVIEW_TURNAROUND = _m(
    "legal.review_turnaround",
    "合法性审查平均办理用时",
    "个工作日",
    AVERAGE,
    reviews_timed,
    sum_field="turnaround",
    definition="期内送审、期末前已出具意见的合法性审查事项，审查用时（自送审日次日起至出具意见日"
    "的工作日数，按工作日历计算，不含周末、法定节假日，计入调休上班日）的平均值："
    "各件用时之和 ÷ 件数，保留1位小数。没有已出具意见的事项时为“未记录”，不写作0。",
    aliases=("平均办理用时", "平均审查用时", "审查平均用时"),
    higher_is_better=False,
    report_phrase="合法性审查平均办理用时{display}",
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
    citation="各省规范性文件备案规定",
    definition="期内公布、报备期限已届满或已报备的行政规范性文件中，在期限内报备的比例。",
    aliases=("备案及时率", "报备率"),
    report_phrase="规范性文件备案及时率{display}",
)


# --- reconsideration, litigation, court judgments (REGULATIONS.md §13) ------------------------
TOPIC_CASES = "行政复议应诉和生效裁判履行"
RECON_CITATION = "《行政复议法》(2023年修订)"


reconsiderations = Rows(
    Reconsideration, lambda p: _in("received_on", p), select_related=("township",)
)


def _answer_due(field: str, due: str, period: Period) -> Q:
    today = timezone.localdate()
    limit = Q(**{f"{due}__lte": period.end}) if period.end < today else Q(**{f"{due}__lt": today})
    return Q(**{f"{field}__lte": period.end}) | limit


def _reconsideration_due(period: Period) -> Q:
    """Answered, or unanswered past the due date — except while the case is suspended (the time
    stops) and when it was terminated (withdrawn …) before the answer fell due."""
    from fazhi.legal.choices import CaseStatus, ReconsiderationDecision

    return (
        _answer_due("answered_on", "answer_due_on", period)
        & ~Q(answered_on__isnull=True, status=CaseStatus.SUSPENDED)
        & ~Q(
            answered_on__isnull=True,
            decision=ReconsiderationDecision.TERMINATED,
            decided_on__lte=F("answer_due_on"),
        )
    )


reconsiderations_due = reconsiderations.narrow(_reconsideration_due)
reconsiderations_answered_on_time = reconsiderations_due.narrow(
    lambda p: Q(answered_on__lte=p.end) & Q(answered_on__lte=F("answer_due_on"))
)
reconsiderations_decided = Rows(
    Reconsideration, lambda p: _in("decided_on", p), select_related=("township",)
)
reconsiderations_corrected = reconsiderations_decided.narrow(lambda p: Q(decision__in=CORRECTING))
litigations = Rows(Litigation, lambda p: _in("served_on", p), select_related=("township", "review"))
litigations_with_advisor = litigations.narrow(
    lambda p: (
        Q(review__advisor__isnull=False, review__opinion_on__lte=F("defence_on"))
        & ~Q(review__advisor_opinion="")
    )
)


def _defence_due(period: Period) -> Q:
    """Defended, or undefended past the due date — except while the case is suspended (the
    defence period is paused) and when the court ended it (诉讼终结) before the defence fell due."""
    from fazhi.legal.choices import CaseStatus, JudgmentResult

    return (
        _answer_due("defence_on", "defence_due_on", period)
        & ~Q(defence_on__isnull=True, status=CaseStatus.SUSPENDED)
        & ~Q(
            defence_on__isnull=True,
            result=JudgmentResult.ENDED,
            judged_on__lte=F("defence_due_on"),
        )
    )


defences_due = litigations.narrow(_defence_due)
defences_on_time = defences_due.narrow(
    lambda p: Q(defence_on__lte=p.end) & Q(defence_on__lte=F("defence_due_on"))
)
litigations_judged = Rows(Litigation, lambda p: _in("judged_on", p), select_related=("township",))
litigations_lost = litigations_judged.narrow(lambda p: Q(result__in=LOST))
hearings = Rows(
    Hearing,
    lambda p: _in("held_on", p),
    select_related=("township", "litigation", "head", "delegate"),
)
hearings_with_head = hearings.narrow(lambda p: Q(head_appeared=True))


def _judgment_due(period: Period) -> Q:
    """Judgments whose performance deadline fell in the period (while the period runs: passed
    already), or that were performed in it."""
    today = timezone.localdate()
    end = period.end if period.end < today else today - dt.timedelta(days=1)
    return Q(perform_due_on__gte=period.start, perform_due_on__lte=end) | Q(
        performed_on__gte=period.start, performed_on__lte=period.end
    )


judgments_due = Rows(Judgment, _judgment_due, select_related=("township", "litigation"))
judgments_performed_on_time = judgments_due.narrow(
    lambda p: (
        Q(court_finding="", performed_on__lte=p.end) & Q(performed_on__lte=F("perform_due_on"))
    )
)
#: 拒绝履行、拖延履行、规避执行: the court's finding, performance after the deadline, or no
#: performance by the period's end past the deadline.
judgments_not_performed = judgments_due.narrow(
    lambda p: ~Q(court_finding="", performed_on__lte=F("perform_due_on"))
)


RECONSIDERATIONS = _m(
    "legal.reconsiderations", "行政复议案件数", "件", COUNT, reconsiderations,
    citation=RECON_CITATION, definition="期内收到复议申请书副本、本镇或所属站所为被申请人的行政复议案件。",
    aliases=("行政复议案件", "复议案件"), report_topic=TOPIC_CASES,
    report_phrase="行政复议案件{value}件",
)  # fmt: skip
RECON_ON_TIME = _m(
    "legal.reconsideration_answer_rate", "行政复议按期答复率", "%", RATE, reconsiderations_due,
    numerator_records=reconsiderations_answered_on_time,
    citation=f"{RECON_CITATION}第四十八条、第五十四条",
    definition="期内收到、已答复或答复期限已届满的复议案件中，在10个工作日（简易程序5个工作日）内答复的比例。",
    aliases=("按期答复率",), report_topic=TOPIC_CASES, report_phrase="行政复议按期答复率{display}",
)  # fmt: skip
RECON_CORRECTED = _m(
    "legal.reconsideration_corrected", "行政复议被纠错数", "件", COUNT, reconsiderations_corrected,
    citation=f"{RECON_CITATION}第六十三条至第六十八条",
    definition="期内作出的复议决定为变更、撤销、确认违法、确认无效或责令履行的件数。",
    aliases=("被纠错", "复议被撤销", "行政复议被撤销"), higher_is_better=False,
    report_topic=TOPIC_CASES, report_phrase="行政复议被纠错{value}件",
)  # fmt: skip
RECON_CORRECTION_RATE = _m(
    "legal.reconsideration_correction_rate", "行政复议纠错率", "%", RATE, reconsiderations_decided,
    numerator_records=reconsiderations_corrected, higher_is_better=False,
    definition="期内作出复议决定的案件中被纠错的比例。", aliases=("纠错率",),
    report_topic=TOPIC_CASES, report_phrase="行政复议纠错率{display}",
)  # fmt: skip
LITIGATIONS = _m(
    "legal.litigations", "行政诉讼案件数", "件", COUNT, litigations,
    definition="期内收到起诉状副本、本镇或所属站所为被告的行政诉讼案件。",
    aliases=("行政诉讼案件", "行政应诉案件", "应诉案件"), report_topic=TOPIC_CASES,
    report_phrase="行政应诉案件{value}件",
)  # fmt: skip
LITIGATION_LOST = _m(
    "legal.litigation_lost", "行政诉讼败诉数", "件", COUNT, litigations_lost, higher_is_better=False,
    definition="期内送达的裁判为撤销、确认违法、判决履行、变更或赔偿的件数。",
    aliases=("败诉", "行政诉讼败诉"), report_topic=TOPIC_CASES, report_phrase="行政诉讼败诉{value}件",
)  # fmt: skip
DEFENCE_ON_TIME = _m(
    "legal.defence_on_time_rate", "行政应诉按期答辩率", "%", RATE, defences_due,
    numerator_records=defences_on_time, citation="《行政诉讼法》第六十七条",
    definition="期内收到、已答辩或答辩期限已届满的案件中，在15日内提交答辩状的比例。",
    aliases=("按期答辩",), report_topic=TOPIC_CASES, report_phrase="按期答辩率{display}",
)  # fmt: skip
LITIGATION_ADVISOR = _m(
    "legal.litigation_advisor_rate", "应诉案件法律顾问先期研究率", "%", RATE, litigations,
    numerator_records=litigations_with_advisor,
    definition="期内收到的应诉案件中，答辩前有法律顾问书面审查意见的比例。",
    aliases=("法律顾问进行先期研究", "先期研究"), report_topic=TOPIC_CASES,
    report_phrase="行政应诉案件均由法律顾问进行先期研究并提出法律意见（{display}）",
)  # fmt: skip
HEAD_APPEARANCE = _m(
    "legal.head_appearance_rate", "负责人出庭应诉率", "%", RATE, hearings,
    numerator_records=hearings_with_head, citation="《行政诉讼法》第三条",
    definition="期内开庭中行政机关负责人出庭的比例（未出庭的记录委托人员和理由）。",
    aliases=("负责人出庭应诉", "出庭应诉率"), report_topic=TOPIC_CASES,
    report_phrase="负责人出庭应诉率{display}",
)  # fmt: skip
JUDGMENT_PERFORMANCE = _m(
    "legal.judgment_performance_rate", "生效裁判履行率", "%", RATE, judgments_due,
    numerator_records=judgments_performed_on_time, citation="《行政诉讼法》第九十四条至第九十六条",
    definition="期内履行期限届满或已履行的生效裁判中，在履行期限内履行完毕且法院未认定拒绝履行、规避执行的比例。",
    aliases=("履行法院生效裁判", "生效裁判履行"), report_topic=TOPIC_CASES,
    report_phrase="全面履行法院生效裁判，履行率{display}",
)  # fmt: skip
JUDGMENT_NOT_PERFORMED = _m(
    "legal.judgments_not_performed", "拒不履行、拖延履行、规避执行生效裁判数", "件", COUNT,
    judgments_not_performed, higher_is_better=False,
    definition="期内履行期限届满的生效裁判中，法院认定拒绝履行或规避执行、逾期履行或期满未履行的件数（由日期计算，不填报）。",
    aliases=("拒绝执行", "拖延执行", "规避执行"), report_topic=TOPIC_CASES,
    report_phrase="拒绝执行、拖延执行或规避执行的情况{value}件",
)  # fmt: skip
