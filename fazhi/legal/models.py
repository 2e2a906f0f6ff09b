"""Legal advisors and legality review covering everything (合法性审查全覆盖, REGULATIONS.md §9).

- `AdvisorEngagement`: the township's engagement of a law firm (term, fee); `Advisor`: a lawyer
  (or government lawyer, expert, 司法所 officer) serving as the township's legal advisor and/or a
  village's 村居法律顾问. Their duty sessions (律师坐班) and the consultations answered are kept by
  the outreach app (`outreach.DutySession`, `outreach.Consultation`), one ledger for both.
- `ReviewRequest`: one item sent for legality review, with its deadline, reviewer, opinion
  (appended to the evidence chain), outcome and turnaround.
- `Contract` and `NormativeDocument` (行政规范性文件 and 村规民约): the items that take effect
  only after a review; their status changes only through `legal.services`.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models

from fazhi.core.models import TownshipScoped
from fazhi.legal.choices import (
    PASSING,
    AdvisorKind,
    ContractKind,
    ContractStatus,
    DocumentKind,
    DocumentStatus,
    ReviewerKind,
    ReviewKind,
    ReviewOutcome,
    ReviewStatus,
)


class AdvisorEngagement(TownshipScoped):
    """The township's engagement of a law firm as its legal advisor (聘请法律顾问)."""

    firm = models.CharField("律师事务所(单位)", max_length=100)
    contract_no = models.CharField("聘用合同编号", max_length=60, blank=True)
    start = models.DateField("聘期起")
    end = models.DateField("聘期止")
    fee = models.DecimalField(
        "顾问费(元/年)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    services = models.TextField(
        "服务内容",
        blank=True,
        help_text="如：重大决策、合同和规范性文件审查，行政应诉，村居法律顾问",
    )
    covers_villages = models.BooleanField("含村居法律顾问服务", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "法律顾问聘用"
        ordering = ["township_id", "-start"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "firm", "start"], name="legal_engagement_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.firm}（{self.start:%Y-%m-%d}至{self.end:%Y-%m-%d}）"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = "聘期止不能早于聘期起。"
        if self.fee is not None and self.fee < 0:
            errors["fee"] = "顾问费不能为负数。"
        if errors:
            raise ValidationError(errors)


class Advisor(TownshipScoped):
    """A legal advisor: the township's (政府法律顾问) and/or a village's (村居法律顾问)."""

    name = models.CharField("姓名", max_length=30)
    kind = models.CharField("类别", max_length=20, choices=AdvisorKind, default=AdvisorKind.LAWYER)
    engagement = models.ForeignKey(
        AdvisorEngagement,
        verbose_name="所属聘用(律师事务所)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="advisors",
    )
    license_no = models.CharField("执业证号", max_length=40, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    is_township_advisor = models.BooleanField("担任镇政府法律顾问", default=True)
    villages = models.ManyToManyField(
        "core.Village", verbose_name="担任村居法律顾问的村(社区)", blank=True, related_name="+"
    )
    is_mediator = models.BooleanField("兼任人民调解员", default=False)
    start = models.DateField("任职起")
    end = models.DateField("任职止", null=True, blank=True)

    history_masked_fields = frozenset({"phone"})

    class Meta:
        verbose_name = verbose_name_plural = "法律顾问"
        ordering = ["township_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "name", "start"], name="legal_advisor_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "任职止不能早于任职起。"})

    def serves_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class ReviewRequest(TownshipScoped):
    """One item sent for legality review (合法性审查) and its opinion."""

    number = models.CharField("审查编号", max_length=60, editable=False)
    year = models.PositiveSmallIntegerField("年度", editable=False)
    kind = models.CharField("审查事项类别", max_length=20, choices=ReviewKind)
    title = models.CharField("送审事项", max_length=200)
    unit = models.ForeignKey(
        "core.Department",
        verbose_name="送审单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    village = models.ForeignKey(
        "core.Village",
        verbose_name="村(社区)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_on = models.DateField("送审日期")
    materials = models.TextField("送审材料", blank=True, help_text="送审稿、起草说明、依据等")
    reviewer_kind = models.CharField(
        "审查主体", max_length=10, choices=ReviewerKind, default=ReviewerKind.JOINT
    )
    reviewer = models.ForeignKey(
        "core.Staff",
        verbose_name="审查人(司法所)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    advisor = models.ForeignKey(
        Advisor,
        verbose_name="法律顾问",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
    )
    due_on = models.DateField("审查期限", null=True, blank=True, editable=False)
    status = models.CharField(
        "状态",
        max_length=12,
        choices=ReviewStatus,
        default=ReviewStatus.REVIEWING,
        editable=False,
    )
    outcome = models.CharField(
        "审查结论", max_length=10, choices=ReviewOutcome, blank=True, editable=False
    )
    opinion = models.TextField("审查意见", blank=True, editable=False)
    advisor_opinion = models.TextField("法律顾问意见", blank=True, editable=False)
    opinion_on = models.DateField("出具意见日期", null=True, blank=True, editable=False)
    turnaround = models.PositiveIntegerField(
        "审查用时(工作日)", null=True, blank=True, editable=False
    )
    withdrawn_reason = models.CharField("撤回原因", max_length=200, blank=True, editable=False)

    scope_village_field = "village"

    class Meta:
        verbose_name = verbose_name_plural = "合法性审查"
        ordering = ["township_id", "-submitted_on", "-pk"]
        indexes = [
            models.Index(fields=["township", "status", "due_on"], name="legal_review_due"),
            models.Index(fields=["township", "kind", "submitted_on"], name="legal_review_kind"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["township", "number"], name="legal_review_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def passed(self) -> bool:
        return self.status == ReviewStatus.CONCLUDED and self.outcome in PASSING

    @property
    def on_time(self) -> bool | None:
        if self.opinion_on is None or self.due_on is None:
            return None
        return self.opinion_on <= self.due_on


class Contract(TownshipScoped):
    """A contract of the township or of one of its villages: no signing before the opinion."""

    title = models.CharField("合同名称", max_length=200)
    village = models.ForeignKey(
        "core.Village",
        verbose_name="签订村(社区)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="村级合同选择签订的村；镇政府合同留空",
    )
    kind = models.CharField(
        "合同类别", max_length=20, choices=ContractKind, default=ContractKind.OTHER
    )
    counterparty = models.CharField("合同相对方", max_length=200)
    amount = models.DecimalField(
        "合同金额(元)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.ForeignKey(
        "core.Department",
        verbose_name="承办单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    summary = models.TextField("主要内容", blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=ContractStatus, default=ContractStatus.DRAFT, editable=False
    )
    review = models.ForeignKey(
        ReviewRequest,
        verbose_name="合法性审查",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    signed_on = models.DateField("签订日期", null=True, blank=True, editable=False)
    unreviewed_reason = models.CharField(
        "未经审查的原因", max_length=200, blank=True, editable=False
    )

    scope_village_field = "village"

    class Meta:
        verbose_name = verbose_name_plural = "合同"
        ordering = ["township_id", "-pk"]
        indexes = [
            models.Index(fields=["township", "status", "signed_on"], name="legal_contract_state")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.amount is not None and self.amount < 0:
            raise ValidationError({"amount": "合同金额不能为负数。"})

    @property
    def owner_label(self) -> str:
        return self.village.name if self.village_id else "镇政府"


class NormativeDocument(TownshipScoped):
    """A 行政规范性文件 of the township, or a village's 村规民约 (居民公约)."""

    kind = models.CharField(
        "文件类别", max_length=16, choices=DocumentKind, default=DocumentKind.NORMATIVE
    )
    title = models.CharField("文件名称", max_length=200)
    doc_no = models.CharField("文号", max_length=60, blank=True)
    village = models.ForeignKey(
        "core.Village",
        verbose_name="村(社区)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="村规民约选择所属的村(社区)",
    )
    unit = models.ForeignKey(
        "core.Department",
        verbose_name="起草单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    summary = models.TextField("主要内容", blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=DocumentStatus, default=DocumentStatus.DRAFT, editable=False
    )
    review = models.ForeignKey(
        ReviewRequest,
        verbose_name="合法性审查",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    issued_on = models.DateField("公布日期", null=True, blank=True, editable=False)
    filing_due_on = models.DateField("报备期限", null=True, blank=True, editable=False)
    filed_on = models.DateField("报备日期", null=True, blank=True, editable=False)
    filed_with = models.CharField("备案机关", max_length=100, blank=True, editable=False)
    unreviewed_reason = models.CharField(
        "未经审查的原因", max_length=200, blank=True, editable=False
    )

    scope_village_field = "village"

    class Meta:
        verbose_name = verbose_name_plural = "规范性文件和村规民约"
        ordering = ["township_id", "-pk"]
        indexes = [
            models.Index(fields=["township", "status", "issued_on"], name="legal_document_state")
        ]

    def __str__(self) -> str:
        return f"{self.title}{'（' + self.doc_no + '）' if self.doc_no else ''}"

    def clean(self) -> None:
        if self.kind == DocumentKind.VILLAGE_RULES and not self.village_id:
            raise ValidationError({"village": "村规民约请选择所属的村(社区)。"})
