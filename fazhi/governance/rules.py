"""Rules of the governance module: expected frequencies of meetings and study, and the task
deadline. Each is a core DeadlineRule, so a county (or province) adjusts it through
RuleOverride like any other period; "[U]" values are configurable defaults.

An expected frequency is read as "at least once in every window of `length` `unit` counted
from 1 January" (quarterly = a window of 3 months). `fazhi.governance.services.frequency_status`
checks what happened against it and warns before a window ends without a record.
"""

from __future__ import annotations

from dataclasses import dataclass

from fazhi.core.choices import DeadlineUnit
from fazhi.core.rules import DeadlineRule, register_rule
from fazhi.governance import choices as c

DUTY_RULES = "《党政主要负责人履行推进法治建设第一责任人职责规定》（2016）"


@dataclass(frozen=True)
class Frequency:
    """An expected frequency: `rule` gives the window; `kind` is a meeting or study kind."""

    rule: DeadlineRule
    record: str  # "meeting" or "study"
    kind: str


def _freq(code: str, label: str, months: int, citation: str, confidence: str) -> DeadlineRule:
    return register_rule(
        DeadlineRule(
            code=f"governance.frequency.{code}",
            label=label,
            start_event="每年1月1日（按周期滚动）",
            length=months,
            unit=DeadlineUnit.MONTHS,
            citation=citation,
            confidence=confidence,
            note="期内至少一次",
        )
    )


QUARTERLY_REPORT = _freq(
    "quarterly_report",
    "听取法治建设工作汇报（每季度至少一次）",
    3,
    f"{DUTY_RULES}；各地实施办法（如寺庄镇报告“每季度听取法治建设工作汇报”）",
    "U",
)
HALF_YEAR = _freq(
    "half_year",
    "召开法治建设专题会议研究重大问题（每半年至少一次）",
    6,
    f"{DUTY_RULES}；各地实施办法（如寺庄镇报告“每半年召开专题会议”）",
    "U",
)
COMMITTEE_TOPIC = _freq(
    "committee_topic",
    "党委会专题研究法治建设（每年至少一次）",
    12,
    f"{DUTY_RULES}第五条（定期听取汇报、专题研究）",
    "U",
)
COMMITTEE_STUDY = _freq(
    "committee_study",
    "党委会学法（每月至少一次）",
    1,
    "各地党委(党组)理论学习中心组学法制度（如寺庄镇报告“党委会定期学法每月1次”）",
    "U",
)
CENTRAL_GROUP = _freq(
    "central_group",
    "党委理论学习中心组学法（每季度至少一次）",
    3,
    "《中国共产党党委（党组）理论学习中心组学习规则》；各地年度学法计划",
    "U",
)

FREQUENCIES: tuple[Frequency, ...] = (
    Frequency(QUARTERLY_REPORT, "meeting", c.MeetingKind.QUARTERLY_REPORT),
    Frequency(HALF_YEAR, "meeting", c.MeetingKind.HALF_YEAR),
    Frequency(COMMITTEE_TOPIC, "meeting", c.MeetingKind.COMMITTEE_TOPIC),
    Frequency(COMMITTEE_STUDY, "study", c.StudyKind.COMMITTEE),
    Frequency(CENTRAL_GROUP, "study", c.StudyKind.CENTRAL_GROUP),
)

#: how many days before a window ends without a record the frequency page warns ([U] default)
FREQUENCY_LEAD_DAYS = 15

#: a task of the year's plan: its own 完成时限 is the due date; the rule names the period and the
#: default when a task is decomposed without one
TASK = register_rule(
    DeadlineRule(
        code="governance.task",
        label="法治建设任务完成时限",
        start_event="任务分解下达",
        length=30,
        unit=DeadlineUnit.DAYS,
        citation=f"{DUTY_RULES}；本年度法治建设工作要点（任务分解表所定时限）",
        confidence="U",
        note="任务填写了完成时限的，以所填时限为准",
    )
)
