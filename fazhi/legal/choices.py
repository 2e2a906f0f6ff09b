"""Stable English values with Chinese labels, and the transition tables of the legal app.

Status changes only through `legal.services`, which consult the tables here; an illegal step
raises a Chinese `ValidationError` naming the current state and the refused action.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models


class AdvisorKind(models.TextChoices):
    LAWYER = "lawyer", "执业律师"
    PUBLIC_LAWYER = "public_lawyer", "公职律师"
    EXPERT = "expert", "法学专家"
    JUSTICE_STAFF = "justice_staff", "司法所工作人员"
    OTHER = "other", "其他"


class ReviewKind(models.TextChoices):
    """合法性审查全覆盖 (REGULATIONS.md §9): what is sent for review."""

    TOWNSHIP_CONTRACT = "township_contract", "镇政府合同"
    VILLAGE_CONTRACT = "village_contract", "村级合同"
    NORMATIVE = "normative", "行政规范性文件"
    MAJOR_DECISION = "major_decision", "重大行政决策"
    ENFORCEMENT = "enforcement", "重大行政执法决定"
    RECONSIDERATION = "reconsideration", "行政复议答复"
    LITIGATION = "litigation", "行政诉讼答辩"
    VILLAGE_RULES = "village_rules", "村规民约(居民公约)"
    OTHER = "other", "其他事项"


#: kinds that concern one village (the village must be named)
VILLAGE_KINDS = frozenset({ReviewKind.VILLAGE_CONTRACT, ReviewKind.VILLAGE_RULES})


class ReviewerKind(models.TextChoices):
    JUSTICE = "justice", "司法所"
    ADVISOR = "advisor", "法律顾问"
    JOINT = "joint", "司法所会同法律顾问"


class ReviewOutcome(models.TextChoices):
    PASSED = "passed", "通过"
    MODIFIED = "modified", "修改后通过"
    REJECTED = "rejected", "不予通过"


#: outcomes that allow the reviewed item to take effect
PASSING = frozenset({ReviewOutcome.PASSED, ReviewOutcome.MODIFIED})


class ReviewStatus(models.TextChoices):
    REVIEWING = "reviewing", "审查中"
    CONCLUDED = "concluded", "已出具审查意见"
    WITHDRAWN = "withdrawn", "已撤回"


class ReviewAction(models.TextChoices):
    CONCLUDE = "conclude", "出具审查意见"
    WITHDRAW = "withdraw", "撤回送审"


REVIEW_TRANSITIONS: dict[str, dict[str, str]] = {
    ReviewStatus.REVIEWING: {
        ReviewAction.CONCLUDE: ReviewStatus.CONCLUDED,
        ReviewAction.WITHDRAW: ReviewStatus.WITHDRAWN,
    },
    ReviewStatus.CONCLUDED: {},
    ReviewStatus.WITHDRAWN: {},
}


class ContractKind(models.TextChoices):
    PROCUREMENT = "procurement", "采购"
    CONSTRUCTION = "construction", "工程建设"
    LEASE = "lease", "租赁"
    LAND = "land", "土地承包、流转"
    SERVICE = "service", "委托服务"
    COOPERATION = "cooperation", "合作协议"
    OTHER = "other", "其他"


class ContractStatus(models.TextChoices):
    DRAFT = "draft", "拟签订"
    IN_REVIEW = "in_review", "合法性审查中"
    REVIEWED = "reviewed", "已审查"
    SIGNED = "signed", "已签订"
    ABANDONED = "abandoned", "已终止签订"


class ContractAction(models.TextChoices):
    SUBMIT = "submit", "送合法性审查"
    SIGN = "sign", "登记签订"
    RECORD_UNREVIEWED = "record_unreviewed", "补录未经审查已签订的合同"
    ABANDON = "abandon", "终止签订"


CONTRACT_TRANSITIONS: dict[str, dict[str, str]] = {
    ContractStatus.DRAFT: {
        ContractAction.SUBMIT: ContractStatus.IN_REVIEW,
        ContractAction.RECORD_UNREVIEWED: ContractStatus.SIGNED,
        ContractAction.ABANDON: ContractStatus.ABANDONED,
    },
    ContractStatus.IN_REVIEW: {ContractAction.ABANDON: ContractStatus.ABANDONED},
    # a reviewed contract is signed, or sent again after a 不予通过 opinion
    ContractStatus.REVIEWED: {
        ContractAction.SIGN: ContractStatus.SIGNED,
        ContractAction.SUBMIT: ContractStatus.IN_REVIEW,
        ContractAction.ABANDON: ContractStatus.ABANDONED,
    },
    ContractStatus.SIGNED: {},
    ContractStatus.ABANDONED: {},
}


class DocumentKind(models.TextChoices):
    NORMATIVE = "normative", "行政规范性文件"
    VILLAGE_RULES = "village_rules", "村规民约(居民公约)"


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", "起草中"
    IN_REVIEW = "in_review", "合法性审查中"
    REVIEWED = "reviewed", "已审查"
    ISSUED = "issued", "已公布施行"
    FILED = "filed", "已报备"
    ABANDONED = "abandoned", "已终止制定"


class DocumentAction(models.TextChoices):
    SUBMIT = "submit", "送合法性审查"
    ISSUE = "issue", "登记公布施行"
    RECORD_UNREVIEWED = "record_unreviewed", "补录未经审查已公布的文件"
    FILE = "file", "登记报备"
    ABANDON = "abandon", "终止制定"


DOCUMENT_TRANSITIONS: dict[str, dict[str, str]] = {
    DocumentStatus.DRAFT: {
        DocumentAction.SUBMIT: DocumentStatus.IN_REVIEW,
        DocumentAction.RECORD_UNREVIEWED: DocumentStatus.ISSUED,
        DocumentAction.ABANDON: DocumentStatus.ABANDONED,
    },
    DocumentStatus.IN_REVIEW: {DocumentAction.ABANDON: DocumentStatus.ABANDONED},
    DocumentStatus.REVIEWED: {
        DocumentAction.ISSUE: DocumentStatus.ISSUED,
        DocumentAction.SUBMIT: DocumentStatus.IN_REVIEW,
        DocumentAction.ABANDON: DocumentStatus.ABANDONED,
    },
    DocumentStatus.ISSUED: {DocumentAction.FILE: DocumentStatus.FILED},
    DocumentStatus.FILED: {},
    DocumentStatus.ABANDONED: {},
}


def next_status(
    table: dict[str, dict[str, str]], status: str, action: str, status_cls, action_cls
) -> str:
    """The status after `action`, or a ValidationError naming the current state."""
    target = table.get(status, {}).get(action)
    if target is None:
        raise ValidationError(
            f"当前状态为“{status_cls(status).label}”，不能执行“{action_cls(action).label}”。"
        )
    return target


def allowed(table: dict[str, dict[str, str]], status: str) -> list[str]:
    return list(table.get(status, {}))


# --- reconsideration, litigation, judgments (REGULATIONS.md §13) -------------------------------
class Procedure(models.TextChoices):
    ORDINARY = "ordinary", "普通程序"
    SIMPLE = "simple", "简易程序"


class ReconsiderationDecision(models.TextChoices):
    """行政复议法 (2023) 第六十三条至第六十九条."""

    MAINTAIN = "maintain", "维持"
    CHANGE = "change", "变更"
    REVOKE = "revoke", "撤销"
    CONFIRM_ILLEGAL = "confirm_illegal", "确认违法"
    CONFIRM_VOID = "confirm_void", "确认无效"
    ORDER_PERFORM = "order_perform", "责令履行"
    REJECT = "reject", "驳回复议请求"
    MEDIATED = "mediated", "调解结案"
    TERMINATED = "terminated", "终止"


#: decisions that correct the township's act (被纠错)
CORRECTING = frozenset(
    {
        ReconsiderationDecision.CHANGE,
        ReconsiderationDecision.REVOKE,
        ReconsiderationDecision.CONFIRM_ILLEGAL,
        ReconsiderationDecision.CONFIRM_VOID,
        ReconsiderationDecision.ORDER_PERFORM,
    }
)


class CaseStatus(models.TextChoices):
    RECEIVED = "received", "待答复(答辩)"
    ANSWERED = "answered", "已答复(答辩)"
    SUSPENDED = "suspended", "中止"
    DECIDED = "decided", "已作出决定(裁判)"
    CLOSED = "closed", "已履行结案"


class SuspensionReason(models.TextChoices):
    """行政复议中止的情形: 《行政复议法》(2023) 第三十九条第一款, items in the law's order (text
    checked in LawRefBook/Laws 行政复议法(2023-09-01).md, the mirror REGULATIONS.md names; the
    article is not quoted in REGULATIONS.md §13)."""

    APPLICANT_DIED = (
        "applicant_died",
        "（一）作为申请人的公民死亡，其近亲属尚未确定是否参加行政复议",
    )
    INCAPACITY = (
        "incapacity",
        "（二）作为申请人的公民丧失参加行政复议的行为能力，尚未确定法定代理人参加行政复议",
    )
    MISSING = "missing", "（三）作为申请人的公民下落不明"
    SUCCESSOR = "successor", "（四）作为申请人的法人或者其他组织终止，尚未确定权利义务承受人"
    FORCE_MAJEURE = (
        "force_majeure",
        "（五）申请人、被申请人因不可抗力或者其他正当理由，不能参加行政复议",
    )
    MEDIATION = "mediation", "（六）依照本法规定进行调解、和解，申请人和被申请人同意中止"
    PRIOR_CASE = "prior_case", "（七）行政复议案件涉及的法律适用问题需要有权机关作出解释或者确认"
    RELATED_CASE = (
        "related_case",
        "（八）行政复议案件审理需要以其他案件的审理结果为依据，而其他案件尚未审结",
    )
    REVIEW_REQUEST = (
        "review_request",
        "（九）有本法第五十六条或者第五十七条规定的情形（规范性文件或者依据的附带审查）",
    )
    OTHER = "other", "（十）需要中止行政复议的其他情形"


class TerminationReason(models.TextChoices):
    """行政复议终止的情形: 《行政复议法》(2023) 第四十一条 (text checked as for SuspensionReason)."""

    WITHDRAWN = "withdrawn", "（一）申请人撤回行政复议申请，行政复议机构准予撤回"
    NO_HEIR = "no_heir", "（二）作为申请人的公民死亡，没有近亲属或者其近亲属放弃行政复议权利"
    NO_SUCCESSOR = (
        "no_successor",
        "（三）作为申请人的法人或者其他组织终止，没有权利义务承受人或者其权利义务承受人放弃行政复议权利",
    )
    DETAINED = (
        "detained",
        "（四）申请人对行政拘留或者限制人身自由的行政强制措施不服申请行政复议后，因同一违法行为涉嫌犯罪，被采取刑事强制措施",
    )
    LONG_SUSPENSION = (
        "long_suspension",
        "（五）因第三十九条第一款第一项、第二项、第四项中止满六十日，中止的原因仍未消除",
    )
    OTHER = "other", "其他（请说明）"


class AppealDecision(models.TextChoices):
    """After a first-instance judgment: did the case go on to the second instance?"""

    APPEAL = "appeal", "本机关提起上诉"
    OTHER_PARTY = "other_party", "对方当事人上诉"
    NONE = "none", "均未上诉(一审判决生效)"


class CaseAction(models.TextChoices):
    ANSWER = "answer", "登记书面答复(答辩)"
    DECIDE = "decide", "登记决定(裁判)"
    PERFORM = "perform", "登记履行"


CASE_TRANSITIONS: dict[str, dict[str, str]] = {
    CaseStatus.RECEIVED: {CaseAction.ANSWER: CaseStatus.ANSWERED},
    CaseStatus.ANSWERED: {CaseAction.DECIDE: CaseStatus.DECIDED},
    CaseStatus.DECIDED: {CaseAction.PERFORM: CaseStatus.CLOSED},
    CaseStatus.CLOSED: {},
}


class LitigationSuspensionReason(models.TextChoices):
    """行政诉讼中止的情形 (the court's ruling, recorded as received). 《行政诉讼法》第六十一条第二款
    names one; the others come from 民事诉讼法 through 第一百零一条 (article numbers 待确认: not in
    REGULATIONS.md §13, which quotes 行政诉讼法 Art. 3, 67, 94–96 only)."""

    CIVIL_CASE = (
        "civil_case",
        "行政案件的审理需以民事诉讼的裁判为依据（《行政诉讼法》第六十一条第二款）",
    )
    PARTY = "party", "当事人死亡、丧失诉讼行为能力或者法人、其他组织终止，尚待确定参加诉讼的人"
    FORCE_MAJEURE = "force_majeure", "一方当事人因不可抗拒的事由，不能参加诉讼"
    OTHER_CASE = "other_case", "本案必须以另一案的审理结果为依据，而另一案尚未审结"
    OTHER = "other", "其他应当中止诉讼的情形（请说明）"


class LitigationEndReason(models.TextChoices):
    """行政诉讼终结的情形 (民事诉讼法's 终结诉讼, applied through 《行政诉讼法》第一百零一条;
    article numbers 待确认)."""

    NO_HEIR = "no_heir", "原告死亡，没有近亲属或者近亲属放弃诉讼权利"
    NO_SUCCESSOR = (
        "no_successor",
        "作为原告的法人或者其他组织终止后，其权利义务的承受人放弃诉讼权利",
    )
    OTHER = "other", "其他应当终结诉讼的情形（请说明）"


class JudgmentResult(models.TextChoices):
    WON = "won", "驳回原告诉讼请求(胜诉)"
    REVOKED = "revoked", "撤销行政行为"
    CONFIRM_ILLEGAL = "confirm_illegal", "确认违法"
    ORDER_PERFORM = "order_perform", "判决履行"
    CHANGED = "changed", "变更"
    COMPENSATION = "compensation", "判决赔偿"
    WITHDRAWN = "withdrawn", "原告撤诉"
    MEDIATED = "mediated", "调解结案"
    ENDED = "ended", "诉讼终结"


LOST = frozenset(
    {
        JudgmentResult.REVOKED,
        JudgmentResult.CONFIRM_ILLEGAL,
        JudgmentResult.ORDER_PERFORM,
        JudgmentResult.CHANGED,
        JudgmentResult.COMPENSATION,
    }
)


class JudgmentKind(models.TextChoices):
    ADMINISTRATIVE = "administrative", "行政裁判"
    CIVIL = "civil", "民事裁判"
    MEDIATION = "mediation", "调解书"


class CourtFinding(models.TextChoices):
    """What the court found on performance (from its notice), recorded as received."""

    NONE = "", "无"
    REFUSED = "refused", "拒绝履行"
    EVADED = "evaded", "规避执行"
