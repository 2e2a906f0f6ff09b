"""The statutory and configured periods of people's mediation, and the early-warning defaults.

Deadline lengths are adjustable per province or county through core's rule overrides
(fazhi.core.rules.set_override); early-warning thresholds per township (WarningSettings).
Confidence tags as in REGULATIONS.md: C checked against the text, S from a quoting page,
U unconfirmed — a configurable default, shown as such.
"""

from __future__ import annotations

from fazhi.core.choices import DeadlineUnit
from fazhi.core.rules import DeadlineRule, register_rule

CONCLUSION = register_rule(
    DeadlineRule(
        code="disputes.conclusion",
        label="人民调解委员会调结纠纷",
        start_event="受理调解",
        length=1,
        unit=DeadlineUnit.MONTHS,
        citation="司法部《人民调解工作若干规定》(司法部令第75号)第三十三条",
        confidence="S",
        note="“一般在一个月内调结”；各省规定经双方当事人同意可以延长。",
    )
)

COURT_CONFIRMATION = register_rule(
    DeadlineRule(
        code="disputes.court_confirmation",
        label="提醒当事人申请司法确认",
        start_event="调解协议生效",
        length=30,
        unit=DeadlineUnit.DAYS,
        citation="《人民调解法》第三十三条",
        confidence="C",
        note="双方当事人可以自调解协议生效之日起三十日内共同向人民法院申请司法确认。",
    )
)

FOLLOW_UP = register_rule(
    DeadlineRule(
        code="disputes.follow_up",
        label="回访调解协议履行情况",
        start_event="调解协议生效或上次回访",
        length=30,
        unit=DeadlineUnit.DAYS,
        citation="《人民调解法》第三十一条（监督履行）；各省人民调解规定（回访）",
        confidence="U",
        note="国家层面未规定回访间隔，30日为可调整的默认值；未全部履行的，每次回访后重新计算。",
    )
)

RULE_CODES = (CONCLUSION.code, COURT_CONFIRMATION.code, FOLLOW_UP.code)

# --- early warning defaults [U]: a township may change them (WarningSettings) ------------------
#: a party with another record (any module) within this many days raises a warning
REPEAT_WINDOW_DAYS = 180
#: a dispute with at least this many parties is a group dispute (群体性纠纷)
GROUP_THRESHOLD = 5
#: words in a description that signal violence or 民转刑 risk (人民调解法 第二十五条)
VIOLENCE_KEYWORDS = (
    "打人",
    "殴打",
    "动手",
    "持刀",
    "刀",
    "砍",
    "杀",
    "报复",
    "威胁",
    "恐吓",
    "同归于尽",
    "寻死",
    "自杀",
    "服毒",
    "喝药",
    "纵火",
    "放火",
    "爆炸",
    "堵门",
    "聚众",
    "家暴",
    "极端",
)

CITATION_REPORT_POLICE = "《人民调解法》第二十五条"
CITATION_FILE = "《人民调解法》第二十七条"
CITATION_AGREEMENT = "《人民调解法》第二十九条"
