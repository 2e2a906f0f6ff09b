"""Metrics of major administrative decisions (the indicator registry).

Cohort: decisions discussed (集体讨论决定) in the period. "Reviewed" means the legal app's review
concluded with 通过 / 修改后通过 on or before the meeting; "public participation" means the draft
was put out for comment (公众参与) before the meeting.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q

from fazhi.decisions.models import Decision
from fazhi.indicators.registry import COUNT, RATE, Metric, Period, Rows, register
from fazhi.legal.choices import PASSING, ReviewStatus

CITATION = "《重大行政决策程序暂行条例》"
SECTION, TOPIC = "measures", "依法决策和合法性审查"


# Declared with Rows: every figure of the table comes from one aggregate (docs/indicators.md).
decided = Rows(
    Decision,
    lambda p: Q(meeting_on__gte=p.start, meeting_on__lte=p.end),
    select_related=("township", "review"),
)
with_participation = decided.narrow(
    lambda p: Q(comment_start__isnull=False, comment_start__lte=F("meeting_on"))
)
reviewed = decided.narrow(
    lambda p: Q(
        review__status=ReviewStatus.CONCLUDED,
        review__outcome__in=PASSING,
        review__opinion_on__lte=F("meeting_on"),
    )
)
evaluated = Rows(
    Decision,
    lambda p: Q(evaluated_on__gte=p.start, evaluated_on__lte=p.end),
    select_related=("township",),
)
with_study = decided.narrow(lambda p: Q(study__isnull=False))


def _m(*args: Any, **kw: Any) -> Metric:
    kw.setdefault("report_section", SECTION)
    kw.setdefault("report_topic", TOPIC)
    return register(Metric(*args, **kw))


COUNT_DECIDED = _m("decisions.count", "重大行政决策件数", "件", COUNT, decided,
                   citation=f"{CITATION}第三条、第二十九条至第三十一条",
                   definition="期内经镇政府常务会议或全体会议集体讨论决定的重大行政决策事项。",
                   aliases=("重大行政决策", "重大决策事项"), report_phrase="作出重大行政决策{value}件")  # fmt: skip
PARTICIPATION = _m("decisions.participation_rate", "重大决策公众参与率", "%", RATE, decided,
                   numerator_records=with_participation, citation=f"{CITATION}第十四条至第十八条",
                   definition="期内集体讨论决定的重大决策中，会前公开征求过公众意见的比例。",
                   aliases=("公众参与率", "公众参与"), report_phrase="重大决策公众参与率{display}")  # fmt: skip
REVIEW_RATE = _m("decisions.review_rate", "重大决策合法性审查率", "%", RATE, decided,
                 numerator_records=reviewed, citation=f"{CITATION}第二十五条至第二十八条",
                 definition="期内集体讨论决定的重大决策中，讨论前经合法性审查（通过或修改后通过）的比例。",
                 aliases=("重大决策合法性审查",), report_phrase="重大行政决策合法性审查率{display}")  # fmt: skip
STUDY_RATE = _m("decisions.study_rate", "重大决策会前学法率", "%", RATE, decided,
                numerator_records=with_study, citation="地方“重大行政决策前学法”制度",
                definition="期内集体讨论决定的重大决策中，会前有学法记录的比例。",
                aliases=("决策前学法", "会前学法"), report_phrase="坚持重大行政决策前学法，{display}")  # fmt: skip
EVALUATED = _m("decisions.evaluated", "决策后评估件数", "件", COUNT, evaluated,
               citation=f"{CITATION}第三十五条", definition="期内完成决策后评估的重大决策件数。",
               aliases=("决策后评估",), report_phrase="开展决策后评估{value}件")  # fmt: skip


def _coverage() -> None:
    from django.urls import reverse

    from fazhi.legal import coverage

    def source(township: Any, period: Period) -> list[coverage.Item]:
        return [
            coverage.Item(
                "重大行政决策",
                d.title,
                "镇政府",
                d.meeting_on,
                d.review,
                reverse("decisions:decisions_detail", args=[d.pk]),
            )  # fmt: skip
            for d in decided(township, period).order_by("meeting_on", "pk")
        ]

    coverage.register_source("decisions.decisions", source)


_coverage()
