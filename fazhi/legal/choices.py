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
