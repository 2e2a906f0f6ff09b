"""Review periods and the filing deadline (REGULATIONS.md §5, §9, §2.3, §10), declared as data.

Every length can be changed for a province or county (core `RuleOverride`); "U" rules are
unconfirmed defaults and shown as such on the rules page.
"""

from __future__ import annotations

from fazhi.core.choices import DeadlineUnit
from fazhi.core.rules import DeadlineRule, register_rule
from fazhi.legal.choices import ReviewKind

DECISION_REGULATION = "《重大行政决策程序暂行条例》"

REVIEW_DECISION = register_rule(
    DeadlineRule(
        code="legal.review_major_decision",
        label="重大行政决策合法性审查",
        start_event="送请合法性审查",
        length=7,
        unit=DeadlineUnit.WORKING_DAYS,
        citation=f"{DECISION_REGULATION}第二十六条、第二十八条",
        confidence="C",
        note=(
            "送请合法性审查，应当保证必要的审查时间，一般不少于7个工作日；"
            "应当听取法律顾问、公职律师的意见。此处为审查的最短时间，也作为审查期限提示。"
        ),
    )
)

REVIEW_NORMATIVE = register_rule(
    DeadlineRule(
        code="legal.review_normative",
        label="行政规范性文件合法性审核",
        start_event="送审",
        length=15,
        unit=DeadlineUnit.WORKING_DAYS,
        citation="国办发〔2018〕115号（审核时限未核对原文）",
        confidence="U",
        note="“原则上不少于5个工作日，最长不超过15个工作日”待确认，此处取15个工作日为默认值。",
    )
)

REVIEW_CONTRACT = register_rule(
    DeadlineRule(
        code="legal.review_contract",
        label="合同合法性审查",
        start_event="送审",
        length=5,
        unit=DeadlineUnit.WORKING_DAYS,
        citation="未见国家规定的审查时限；各地合同审查办法",
        confidence="U",
        note="通行做法为未经法律顾问审查不得签字盖章；5个工作日为可调整的默认值。",
    )
)

REVIEW_ENFORCEMENT = register_rule(
    DeadlineRule(
        code="legal.review_enforcement",
        label="重大行政执法决定法制审核",
        start_event="送审",
        length=7,
        unit=DeadlineUnit.WORKING_DAYS,
        citation="国办发〔2018〕118号；宁夏住建厅地方规定",
        confidence="U",
        note="118号未规定时限；地方例：7个工作日，可延长3个工作日。",
    )
)

REVIEW_RESPONSE = register_rule(
    DeadlineRule(
        code="legal.review_response",
        label="行政复议答复、行政诉讼答辩的合法性审查",
        start_event="送审",
        length=3,
        unit=DeadlineUnit.WORKING_DAYS,
        citation="无统一规定；须在答复（10个工作日）、答辩（15日）期限内完成",
        confidence="U",
        note="3个工作日为可调整的默认值，以保证在法定答复、答辩期限内提交。",
    )
)

REVIEW_VILLAGE_RULES = register_rule(
    DeadlineRule(
        code="legal.review_village_rules",
        label="村规民约(居民公约)合法性审查",
        start_event="送审",
        length=10,
        unit=DeadlineUnit.WORKING_DAYS,
        citation="《村民委员会组织法》第二十七条（备案审查）；地方做法",
        confidence="U",
        note="10个工作日为可调整的默认值。",
    )
)

REVIEW_OTHER = register_rule(
    DeadlineRule(
        code="legal.review_other",
        label="其他事项合法性审查",
        start_event="送审",
        length=5,
        unit=DeadlineUnit.WORKING_DAYS,
        citation="地方做法",
        confidence="U",
        note="5个工作日为可调整的默认值。",
    )
)

NORMATIVE_FILING = register_rule(
    DeadlineRule(
        code="legal.normative_filing",
        label="行政规范性文件报送备案",
        start_event="公布",
        length=15,
        unit=DeadlineUnit.DAYS,
        citation="各省规范性文件备案规定（15日或30日）",
        confidence="U",
        note="备案期限由各省规定，例为公布后15日或30日；默认15日，按本省规定调整。",
    )
)

#: the review period of each kind of item
REVIEW_RULES: dict[str, str] = {
    ReviewKind.TOWNSHIP_CONTRACT: REVIEW_CONTRACT.code,
    ReviewKind.VILLAGE_CONTRACT: REVIEW_CONTRACT.code,
    ReviewKind.NORMATIVE: REVIEW_NORMATIVE.code,
    ReviewKind.MAJOR_DECISION: REVIEW_DECISION.code,
    ReviewKind.ENFORCEMENT: REVIEW_ENFORCEMENT.code,
    ReviewKind.RECONSIDERATION: REVIEW_RESPONSE.code,
    ReviewKind.LITIGATION: REVIEW_RESPONSE.code,
    ReviewKind.VILLAGE_RULES: REVIEW_VILLAGE_RULES.code,
    ReviewKind.OTHER: REVIEW_OTHER.code,
}

#: kinds whose opinion must include the legal advisor's (条例第二十七条、第二十八条)
ADVISOR_REQUIRED: frozenset[str] = frozenset({ReviewKind.MAJOR_DECISION})

ALL_RULES = (
    REVIEW_DECISION,
    REVIEW_NORMATIVE,
    REVIEW_CONTRACT,
    REVIEW_ENFORCEMENT,
    REVIEW_RESPONSE,
    REVIEW_VILLAGE_RULES,
    REVIEW_OTHER,
    NORMATIVE_FILING,
)

UNCONFIRMED_CONVENTIONS: tuple[tuple[str, str], ...] = (
    (
        "审查在先",
        "审查结论为“通过”或“修改后通过”、且出具意见日期不晚于签订(公布、决定)日期的，"
        "计为“生效前经审查”；补录的未经审查事项在覆盖情况中逐件列出（待确认）。",
    ),
    (
        "法律顾问参与",
        "审查记录载明法律顾问并有其书面意见的，计为法律顾问参与（待确认）。",
    ),
    (
        "审查用时",
        "自送审日次日起至出具意见日的工作日数（按工作日历）。",
    ),
)

# --- reconsideration and litigation (REGULATIONS.md §13) -----------------------------------
RECONSIDERATION_LAW = "《行政复议法》(2023年修订)"

RECON_ANSWER = register_rule(
    DeadlineRule(
        code="legal.reconsideration_answer",
        label="行政复议书面答复并提交证据、依据",
        start_event="收到复议申请书副本",
        length=10,
        unit=DeadlineUnit.WORKING_DAYS,
        citation=f"{RECONSIDERATION_LAW}第四十八条、第八十八条",
        confidence="C",
        note="逾期未答复的，视为该行政行为没有证据、依据（第七十条）。",
    )
)
RECON_ANSWER_SIMPLE = register_rule(
    DeadlineRule(
        code="legal.reconsideration_answer_simple",
        label="行政复议书面答复（简易程序）",
        start_event="收到复议申请书副本",
        length=5,
        unit=DeadlineUnit.WORKING_DAYS,
        citation=f"{RECONSIDERATION_LAW}第五十四条、第八十八条",
        confidence="C",
    )
)
RECON_REPORT_BACK = register_rule(
    DeadlineRule(
        code="legal.reconsideration_report_back",
        label="行政复议意见书：报告纠正情况",
        start_event="收到行政复议意见书",
        length=60,
        unit=DeadlineUnit.DAYS,
        citation=f"{RECONSIDERATION_LAW}第七十六条",
        confidence="C",
    )
)
LITIGATION_DEFENCE = register_rule(
    DeadlineRule(
        code="legal.litigation_defence",
        label="行政诉讼提交答辩状及证据、依据",
        start_event="收到起诉状副本",
        length=15,
        unit=DeadlineUnit.DAYS,
        citation="《行政诉讼法》第六十七条",
        confidence="S",
    )
)
APPEAL_WINDOW = register_rule(
    DeadlineRule(
        code="legal.appeal_window",
        label="不服一审判决的上诉期",
        start_event="判决书送达",
        length=15,
        unit=DeadlineUnit.DAYS,
        citation="《行政诉讼法》第八十五条",
        confidence="S",
        note=(
            "一审判决送达后，本机关须在上诉期内决定是否上诉（我的期限，到期前提醒）；"
            "登记上诉情况即完成。裁定的上诉期为10日；撤诉、调解结案不计上诉期。"
        ),
    )
)
JUDGMENT_PERFORMANCE = register_rule(
    DeadlineRule(
        code="legal.judgment_performance",
        label="履行法院生效裁判确定的义务",
        start_event="裁判生效",
        length=30,
        unit=DeadlineUnit.DAYS,
        citation="《行政诉讼法》第九十四条至第九十六条；裁判文书确定的履行期限",
        confidence="U",
        note="以裁判文书确定的期限为准；文书未写明时30日为可调整的默认值。",
    )
)
#: 第三十九条 (中止, 恢复) and 第四十一条 (终止): the article numbers and the grounds were checked
#: against the law's text in LawRefBook/Laws 行政复议法(2023-09-01).md, the mirror REGULATIONS.md
#: names as its source, so they are cited without 待确认. REGULATIONS.md §13 itself does not quote
#: them (it lists Art. 48, 51, 54, 62, 70, 76, 77, 88). What stays 待确认 is the pause: the law
#: says the case is suspended and then resumed, not in words that the respondent's answer period
#: (第四十八条) or the report-back (第七十六条) stops meanwhile.
SUSPENSION_NOTE = (
    "行政复议中止期间，被申请人的答复期限和意见书报告期限暂停计算（不在我的期限中、不提醒、不计逾期）；"
    "恢复审理后按中止时尚余的期限继续计算（工作日期限按工作日历）；终止时撤销进行中或暂停的期限。"
    "中止、恢复依据《行政复议法》第三十九条，终止依据第四十一条；法律未明文规定中止期间答复期限"
    "停止计算，此为本平台做法（待确认）。"
)
UNCONFIRMED_CONVENTIONS = (*UNCONFIRMED_CONVENTIONS, ("复议中止", SUSPENSION_NOTE))

#: 行政诉讼中止、终结: 《行政诉讼法》第六十一条第二款 (a case that depends on a civil judgment) and
#: 第一百零一条 (中止诉讼、终结诉讼 follow 民事诉讼法) were read in the LawRefBook mirror; REGULATIONS.md
#: §13 quotes neither, nor the 民事诉讼法 articles the other grounds come from, and says nothing of
#: the defence period during a suspension.
LITIGATION_SUSPENSION_NOTE = (
    "法院裁定中止诉讼的，登记中止情形；中止期间答辩期限暂停计算，恢复诉讼后按尚余的期限继续计算；"
    "裁定终结诉讼的，案件以“诉讼终结”结案，不计为败诉，不开上诉期，撤销进行中或暂停的期限。"
    "依据《行政诉讼法》第六十一条第二款、第一百零一条（适用民事诉讼法关于中止诉讼、终结诉讼的规定）；"
    "民事诉讼法的条文序号及答辩期限暂停计算均待确认。"
)
UNCONFIRMED_CONVENTIONS = (
    *UNCONFIRMED_CONVENTIONS,
    ("诉讼中止、终结", LITIGATION_SUSPENSION_NOTE),
)

ALL_RULES = (*ALL_RULES, RECON_ANSWER, RECON_ANSWER_SIMPLE, RECON_REPORT_BACK,
             LITIGATION_DEFENCE, APPEAL_WINDOW, JUDGMENT_PERFORMANCE)  # fmt: skip
