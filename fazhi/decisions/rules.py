"""Periods of the decision procedure (《重大行政决策程序暂行条例》, REGULATIONS.md §5, §10)."""

from __future__ import annotations

from fazhi.core.choices import DeadlineUnit
from fazhi.core.rules import DeadlineRule, register_rule

REGULATION = "《重大行政决策程序暂行条例》"

COMMENT_PERIOD = register_rule(
    DeadlineRule(
        code="decisions.comment_period",
        label="公开征求意见期限（一般不少于30日）",
        start_event="公布决策草案",
        length=30,
        unit=DeadlineUnit.DAYS,
        citation=f"{REGULATION}第十五条",
        confidence="C",
        note="因情况紧急等原因需要缩短期限的，应当在公开征求意见时予以说明。",
    )
)
HEARING_NOTICE = register_rule(
    DeadlineRule(
        code="decisions.hearing_notice",
        label="听证材料提前送达听证参加人",
        start_event="送达听证材料",
        length=7,
        unit=DeadlineUnit.DAYS,
        citation=f"{REGULATION}第十六条",
        confidence="C",
        note="听证会材料应当于听证会7日前送达听证参加人。",
    )
)
ALL_RULES = (COMMENT_PERIOD, HEARING_NOTICE)
