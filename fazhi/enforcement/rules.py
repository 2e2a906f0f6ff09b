"""Statutory periods and configurable defaults of administrative enforcement (REGULATIONS.md §2,
§3, §10, §11). Lengths are adjustable per province or county through core's rule overrides;
"U" values are configurable defaults and shown as such.
"""

from __future__ import annotations

from typing import Any

from fazhi.core.choices import DeadlineUnit
from fazhi.core.rules import DeadlineRule, register_rule

CERTIFICATE_RENEWAL = register_rule(
    DeadlineRule(
        code="enforcement.certificate_renewal",
        label="行政执法证件到期换证",
        start_event="到期预警起算（届满日前）",
        length=60,
        unit=DeadlineUnit.DAYS,
        citation="《行政执法监督条例》（国务院令第825号）关于执法证件管理的规定；各省执法证件管理办法",
        confidence="U",
        note="提前60日预警为可调整的默认值；证件过期后不得从事行政执法活动。",
    )
)

DECISION = register_rule(
    DeadlineRule(
        code="enforcement.decision",
        label="作出行政处罚决定",
        start_event="立案",
        length=90,
        unit=DeadlineUnit.DAYS,
        citation="《行政处罚法》第六十条",
        confidence="C",
        note="自立案之日起九十日内作出决定；法律、法规、规章另有规定的从其规定。延长须经负责人批准并记录。",
    )
)

HEARING_REQUEST = register_rule(
    DeadlineRule(
        code="enforcement.hearing_request",
        label="当事人要求听证",
        start_event="告知",
        length=5,
        unit=DeadlineUnit.WORKING_DAYS,
        citation="《行政处罚法》第六十四条第一项、第八十五条",
        confidence="C",
    )
)

HEARING_NOTICE = register_rule(
    DeadlineRule(
        code="enforcement.hearing_notice",
        label="听证七日前通知",
        start_event="通知听证时间地点（听证日前）",
        length=7,
        unit=DeadlineUnit.WORKING_DAYS,
        citation="《行政处罚法》第六十四条第二项、第八十五条",
        confidence="C",
    )
)

SERVICE = register_rule(
    DeadlineRule(
        code="enforcement.service",
        label="送达行政处罚决定书",
        start_event="作出决定（当事人不在场）",
        length=7,
        unit=DeadlineUnit.WORKING_DAYS,
        citation="《行政处罚法》第六十一条、第八十五条",
        confidence="C",
    )
)

PAYMENT = register_rule(
    DeadlineRule(
        code="enforcement.payment",
        label="缴纳罚款",
        start_event="收到行政处罚决定书",
        length=15,
        unit=DeadlineUnit.DAYS,
        citation="《行政处罚法》第六十七条、第七十二条",
        confidence="C",
        note="到期不缴纳的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不得超出罚款的数额。",
    )
)

DISCLOSURE_PENALTY = register_rule(
    DeadlineRule(
        code="enforcement.disclosure_penalty",
        label="公示行政处罚、行政许可决定",
        start_event="作出决定",
        length=7,
        unit=DeadlineUnit.WORKING_DAYS,
        citation="国办发〔2018〕118号（行政执法公示制度）",
        confidence="S",
    )
)

DISCLOSURE_OTHER = register_rule(
    DeadlineRule(
        code="enforcement.disclosure_other",
        label="公示其他行政执法决定",
        start_event="作出决定",
        length=20,
        unit=DeadlineUnit.WORKING_DAYS,
        citation="国办发〔2018〕118号（行政执法公示制度）",
        confidence="S",
    )
)

WITHDRAWAL = register_rule(
    DeadlineRule(
        code="enforcement.withdrawal",
        label="撤回已公示的决定信息",
        start_event="决定被变更、撤销或确认违法、无效",
        length=3,
        unit=DeadlineUnit.WORKING_DAYS,
        citation="《行政处罚法》第四十八条、第八十五条",
        confidence="C",
    )
)

LEGAL_REVIEW = register_rule(
    DeadlineRule(
        code="enforcement.legal_review",
        label="重大执法决定法制审核",
        start_event="送审",
        length=7,
        unit=DeadlineUnit.WORKING_DAYS,
        citation="国办发〔2018〕118号；宁夏住建厅法制审核办法（地方例）",
        confidence="U",
        note="国家层面未规定审核时限；7个工作日（可延长3个工作日）为可调整的默认值。",
    )
)

CORRECTION = register_rule(
    DeadlineRule(
        code="enforcement.supervision_correction",
        label="按监督意见书整改并报告",
        start_event="送达监督意见书",
        length=30,
        unit=DeadlineUnit.DAYS,
        citation="《行政执法监督条例》（国务院令第825号）",
        confidence="U",
        note="条例未见整改期限条文；30日为可调整的默认值。",
    )
)

#: 法制审核 is required for a fine of at least these amounts (元) [U: a local example; 较大数额
#: is set by each province or department]. Configured numbers like the 案卷评查 marks: a province
#: or county sets its own under 系统管理 › 期限规则; read them with `major_fine(township, kind)` or,
#: in a query, with `major_fine_value(kind)` (the value of each row's own county).
MAJOR_FINE_CITATION = "《行政处罚法》第五十八条第一款；各省（区、市）较大数额罚款标准（地方规定）"
MAJOR_FINE_PERSON_RULE = register_rule(
    DeadlineRule(
        code="enforcement.major_fine_person",
        label="须法制审核的较大数额罚款（公民）",
        start_event="拟作出罚款决定",
        length=10_000,
        unit=DeadlineUnit.DAYS,
        citation=MAJOR_FINE_CITATION,
        confidence="U",
        note="对公民罚款达到该数额的须经法制审核；1万元为地方例的默认值，可按省、县调整。",
        value_unit="元",
    )
)
MAJOR_FINE_ORGANISATION_RULE = register_rule(
    DeadlineRule(
        code="enforcement.major_fine_organisation",
        label="须法制审核的较大数额罚款（法人或其他组织）",
        start_event="拟作出罚款决定",
        length=100_000,
        unit=DeadlineUnit.DAYS,
        citation=MAJOR_FINE_CITATION,
        confidence="U",
        note="对法人或其他组织罚款达到该数额的须经法制审核；10万元为地方例的默认值，可按省、县调整。",
        value_unit="元",
    )
)
#: late-payment surcharge per day, and its cap (the fine itself), 行政处罚法 第七十二条 [C]
LATE_RATE_PERCENT = 3
#: summary procedure limits (行政处罚法 第五十一条) [C]
SUMMARY_MAX_PERSON = 200
SUMMARY_MAX_ORGANISATION = 3000

#: 案卷评查 checklist: (key, item, full marks) [U: provinces publish their own standards]
FILE_REVIEW_CHECKLIST: tuple[tuple[str, str, int], ...] = (
    ("body", "执法主体合法、执法人员持证", 15),
    ("facts", "事实清楚、证据确凿", 25),
    ("law", "适用法律正确、裁量适当", 20),
    ("procedure", "程序合法（告知、陈述申辩、听证、法制审核）", 25),
    ("documents", "文书规范、卷宗完整", 15),
)
#: a file passes with at least this total [U]
FILE_REVIEW_PASS = 80
FILE_REVIEW_CITATION = "各省（区、市）行政执法案卷评查标准（地方规定）"

#: the checklist's full marks and the pass mark as configured numbers: a province or county
#: sets its own under 系统管理 › 期限规则 (core RuleOverride); defaults above, shown as [U]
FILE_REVIEW_RULES = {
    key: register_rule(
        DeadlineRule(
            code=f"enforcement.file_review.{key}",
            label=f"案卷评查分值：{item}",
            start_event="案卷评查",
            length=full,
            unit=DeadlineUnit.DAYS,
            citation=FILE_REVIEW_CITATION,
            confidence="U",
            note="该评查项目的满分；各地评查标准不同，可按省、县调整。",
            value_unit="分",
        )
    )
    for key, item, full in FILE_REVIEW_CHECKLIST
}
FILE_REVIEW_PASS_RULE = register_rule(
    DeadlineRule(
        code="enforcement.file_review_pass",
        label="案卷评查合格线",
        start_event="案卷评查",
        length=FILE_REVIEW_PASS,
        unit=DeadlineUnit.DAYS,
        citation=FILE_REVIEW_CITATION,
        confidence="U",
        note="总分达到该分数为合格；可按省、县调整。",
        value_unit="分",
    )
)


def file_review_checklist(township: Any) -> list[tuple[str, str, int]]:
    """(key, item, full marks) in force for the township (county, else province, else default)."""
    from fazhi.core.rules import effective_rule

    return [
        (key, item, effective_rule(FILE_REVIEW_RULES[key].code, township).length)
        for key, item, _ in FILE_REVIEW_CHECKLIST
    ]


def file_review_pass(township: Any) -> int:
    from fazhi.core.rules import effective_rule

    return effective_rule(FILE_REVIEW_PASS_RULE.code, township).length


#: the review points of 法制审核 (REGULATIONS.md §2.3 [S])
REVIEW_POINTS: tuple[tuple[str, str], ...] = (
    ("subject", "执法主体、权限和执法人员资格"),
    ("procedure", "程序"),
    ("facts", "事实和证据"),
    ("law", "适用法律和裁量基准"),
    ("documents", "文书完备规范"),
    ("transfer", "是否涉嫌犯罪需移送司法机关"),
)


def _major_fine_rule(party_kind: str) -> DeadlineRule:
    from fazhi.enforcement.choices import PartyKind

    return (
        MAJOR_FINE_PERSON_RULE if party_kind == PartyKind.PERSON else MAJOR_FINE_ORGANISATION_RULE
    )


def major_fine(township: Any, party_kind: str) -> int:
    """The fine (元) from which a decision against this kind of party needs 法制审核 in the
    township (county, else province, else the default)."""
    from fazhi.core.rules import effective_rule

    return effective_rule(_major_fine_rule(party_kind).code, township).length


def major_fine_value(party_kind: str, county: str = "township__county") -> Any:
    """`major_fine` as an SQL expression: each row's own county's value (see
    `fazhi.core.rules.value_in_force`)."""
    from fazhi.core.rules import value_in_force

    return value_in_force(_major_fine_rule(party_kind).code, county)
