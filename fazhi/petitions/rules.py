"""The statutory steps and periods of 《信访工作条例》(2022), declared as data with citations.

Every length can be changed for a province or county (core `RuleOverride`); the Deadline row
records which length applied. Items the regulation does not settle are tagged "U" and shown as
unconfirmed defaults (REGULATIONS.md §4, §10).
"""

from __future__ import annotations

from fazhi.core.choices import DeadlineUnit
from fazhi.core.rules import DeadlineRule, register_rule
from fazhi.petitions.choices import Satisfaction

REGULATION = "《信访工作条例》"
_DAYS_NOTE = (
    "条例写作“日”，未规定计算方法，按自然日并参照《民事诉讼法》第八十五条计算"
    "（计算方法待确认，可由省、县调整）。"
)

ACCEPTANCE_NOTICE = register_rule(
    DeadlineRule(
        code="petitions.acceptance_notice",
        label="信访事项受理告知（书面告知信访人是否受理）",
        start_event="收到信访事项",
        length=15,
        unit=DeadlineUnit.DAYS,
        citation=f"{REGULATION}第二十三条",
        confidence="C",
        note="能够当场告知的应当当场书面告知；信访人姓名(名称)、住址不清的除外。" + _DAYS_NOTE,
    )
)

OBJECTION = register_rule(
    DeadlineRule(
        code="petitions.objection",
        label="上级转送、交办事项不属于本机关职权范围的，提出异议",
        start_event="收到转送、交办的信访事项",
        length=5,
        unit=DeadlineUnit.WORKING_DAYS,
        citation=f"{REGULATION}第二十三条",
        confidence="C",
        note="条例明确为5个工作日，应当说明理由。",
    )
)

HANDLING = register_rule(
    DeadlineRule(
        code="petitions.handling",
        label="信访事项办理并书面答复（处理意见书送达）",
        start_event="受理",
        length=60,
        unit=DeadlineUnit.DAYS,
        citation=f"{REGULATION}第三十四条",
        confidence="C",
        note=_DAYS_NOTE,
    )
)

EXTENSION_MAX = register_rule(
    DeadlineRule(
        code="petitions.extension_max",
        label="办理期限延长上限（经本机关负责人批准并告知信访人延期理由）",
        start_event="原办理期限届满",
        length=30,
        unit=DeadlineUnit.DAYS,
        citation=f"{REGULATION}第三十四条",
        confidence="C",
        note="延长期限不得超过30日；延期须经本机关负责人批准，并告知信访人延期理由。",
    )
)

REVIEW_REQUEST = register_rule(
    DeadlineRule(
        code="petitions.review_request",
        label="信访人请求复查",
        start_event="收到书面答复（处理意见书）",
        length=30,
        unit=DeadlineUnit.DAYS,
        citation=f"{REGULATION}第三十五条",
        confidence="C",
        note="向原办理机关、单位的上一级机关、单位提出复查请求。" + _DAYS_NOTE,
    )
)

REVIEW_REPLY = register_rule(
    DeadlineRule(
        code="petitions.review_reply",
        label="复查机关出具复查意见",
        start_event="收到复查请求",
        length=30,
        unit=DeadlineUnit.DAYS,
        citation=f"{REGULATION}第三十五条",
        confidence="C",
        note="复查机关应当自收到复查请求之日起30日内提出复查意见，并予以书面答复。",
    )
)

RECHECK_REQUEST = register_rule(
    DeadlineRule(
        code="petitions.recheck_request",
        label="信访人请求复核",
        start_event="收到复查意见",
        length=30,
        unit=DeadlineUnit.DAYS,
        citation=f"{REGULATION}第三十六条",
        confidence="C",
        note="向复查机关、单位的上一级机关、单位请求复核。" + _DAYS_NOTE,
    )
)

RECHECK_REPLY = register_rule(
    DeadlineRule(
        code="petitions.recheck_reply",
        label="复核机关出具复核意见",
        start_event="收到复核请求",
        length=30,
        unit=DeadlineUnit.DAYS,
        citation=f"{REGULATION}第三十六条",
        confidence="C",
        note="听证所需时间不计算在内。复核终结后，信访人以同一事实和理由提出的信访请求不再受理。",
    )
)

RATING_WINDOW = register_rule(
    DeadlineRule(
        code="petitions.rating_window",
        label="信访人满意度评价期限",
        start_event="处理意见书送达",
        length=30,
        unit=DeadlineUnit.DAYS,
        citation=f"{REGULATION}第二十一条；国信发〔2022〕11号（评价期限未核对）",
        confidence="U",
        note=(
            "条例第二十一条只规定信访人可以查询、评价；评价期限、评价等级和逾期未评价的处理"
            "以国家及本省满意度评价办法为准，此处30日为可调整的默认值。"
        ),
    )
)

ALL_RULES = (
    ACCEPTANCE_NOTICE,
    OBJECTION,
    HANDLING,
    EXTENSION_MAX,
    REVIEW_REQUEST,
    REVIEW_REPLY,
    RECHECK_REQUEST,
    RECHECK_REPLY,
    RATING_WINDOW,
)

# --- unconfirmed conventions ([U]): shown on the rules page, changed here ---------------------
#: which ratings count as satisfied in 满意率 [U]
SATISFIED_LEVELS: frozenset[str] = frozenset({Satisfaction.SATISFIED, Satisfaction.BASICALLY})
UNCONFIRMED_CONVENTIONS: tuple[tuple[str, str], ...] = (
    (
        "评价等级",
        "满意、基本满意、不满意三级；“满意”与“基本满意”计入满意率分子（待确认，按本省办法调整）。",
    ),
    (
        "未评价的处理",
        "评价期限届满未评价的，不计入满意率（满意率的分母为已评价件数），不视为满意（待确认）。",
    ),
    (
        "评价范围",
        "导入诉讼、仲裁、行政复议等法定途径的事项不纳入满意度评价"
        "（国信发〔2014〕16号第四条，据转述页面，待确认）。",
    ),
    (
        "“三级”化解",
        "条例未使用“三级”一词：本平台的三级化解指村级→镇级→县级逐级上交的流转记录；"
        "“三级终结”指办理→复查→复核（第三十四至三十六条）。",
    ),
)
