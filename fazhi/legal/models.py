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
    CORRECTING,
    LOST,
    PASSING,
    AdvisorKind,
    AppealDecision,
    CaseStatus,
    ContractKind,
    ContractStatus,
    CourtFinding,
    DocumentKind,
    DocumentStatus,
    JudgmentKind,
    JudgmentResult,
    LitigationEndReason,
    LitigationSuspensionReason,
    Procedure,
    ReconsiderationDecision,
    ReviewerKind,
    ReviewKind,
    ReviewOutcome,
    ReviewStatus,
    SuspensionReason,
    TerminationReason,
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


def _subject_label(subject: str) -> str:
    from fazhi.legal.links import subject_label

    return subject_label(subject)


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
    #: the record of another app this review gates, by its evidence-chain name
    #: ("enforcement.enforcementcase:42"); its conclusion is reported back (`legal.links`)
    subject = models.CharField(
        "审查对象记录", max_length=80, blank=True, default="", editable=False, db_index=True
    )

    scope_village_field = "village"
    #: pages and the history name the gated record, not its chain name
    field_value_labels = {"subject": lambda v: _subject_label(v)}

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


# --- reconsideration, litigation, court judgments (REGULATIONS.md §13) ------------------------
class Reconsideration(TownshipScoped):
    """A 行政复议 case where the township (or its department) is the respondent."""

    applicant = models.CharField("申请人", max_length=100)
    unit = models.ForeignKey(
        "core.Department",
        verbose_name="被申请人(站所)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="镇人民政府为被申请人的留空",
    )
    act = models.TextField("被申请复议的行政行为")
    body = models.CharField("复议机关", max_length=100)
    case_no = models.CharField("复议案号", max_length=60, blank=True)
    procedure = models.CharField(
        "审理程序", max_length=10, choices=Procedure, default=Procedure.ORDINARY
    )
    received_on = models.DateField("收到申请书副本日期")
    answer_due_on = models.DateField("答复期限", null=True, blank=True, editable=False)
    answered_on = models.DateField("答复日期", null=True, blank=True, editable=False)
    hearing_on = models.DateField("听证(听取意见)日期", null=True, blank=True)
    head_attended = models.BooleanField("负责人参加", default=False)
    delegate = models.ForeignKey(
        "core.Staff",
        verbose_name="委托参加人员",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    delegate_reason = models.CharField("负责人未参加的理由", max_length=200, blank=True)
    review = models.ForeignKey(
        ReviewRequest,
        verbose_name="答复的合法性审查",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    decision = models.CharField(
        "复议决定", max_length=20, choices=ReconsiderationDecision, blank=True, editable=False
    )
    decided_on = models.DateField("决定日期", null=True, blank=True, editable=False)
    letter_on = models.DateField("收到行政复议意见书日期", null=True, blank=True)
    reported_on = models.DateField("报告纠正情况日期", null=True, blank=True)
    performed_on = models.DateField("履行日期", null=True, blank=True, editable=False)
    suspended_on = models.DateField("中止日期", null=True, blank=True, editable=False)
    suspension_reason = models.CharField(
        "中止情形", max_length=20, choices=SuspensionReason, blank=True, editable=False
    )
    suspension_note = models.CharField("中止说明", max_length=200, blank=True, editable=False)
    resumed_on = models.DateField("恢复审理日期", null=True, blank=True, editable=False)
    suspended_days = models.PositiveIntegerField("中止天数(累计)", default=0, editable=False)
    termination_reason = models.CharField(
        "终止情形", max_length=20, choices=TerminationReason, blank=True, editable=False
    )
    status = models.CharField(
        "状态", max_length=12, choices=CaseStatus, default=CaseStatus.RECEIVED, editable=False
    )

    history_masked_fields = frozenset({"applicant"})

    class Meta:
        verbose_name = verbose_name_plural = "行政复议"
        ordering = ["township_id", "-received_on"]
        indexes = [models.Index(fields=["township", "received_on"], name="legal_recon_day")]

    def __str__(self) -> str:
        return f"{self.case_no or self.received_on} 行政复议"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if (
            self.hearing_on
            and not self.head_attended
            and not (self.delegate_id and self.delegate_reason)
        ):
            errors["delegate_reason"] = (
                "负责人未参加听证的，请填写委托参加人员和理由（第五十一条）。"
            )
        if self.reported_on and not self.letter_on:
            errors["letter_on"] = "请先填写收到行政复议意见书日期。"
        if errors:
            raise ValidationError(errors)

    @property
    def corrected(self) -> bool:
        return self.decision in CORRECTING


class Litigation(TownshipScoped):
    """A 行政诉讼 case where the township (or its department) is the defendant."""

    plaintiff = models.CharField("原告", max_length=100)
    unit = models.ForeignKey(
        "core.Department",
        verbose_name="被告(站所)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="镇人民政府为被告的留空",
    )
    court = models.CharField("受理法院", max_length=100)
    case_no = models.CharField("案号", max_length=60, blank=True)
    act = models.TextField("被诉行政行为")
    served_on = models.DateField("收到起诉状副本日期")
    defence_due_on = models.DateField("答辩期限", null=True, blank=True, editable=False)
    defence_on = models.DateField("提交答辩状日期", null=True, blank=True, editable=False)
    review = models.ForeignKey(
        ReviewRequest,
        verbose_name="答辩的合法性审查",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    result = models.CharField(
        "裁判结果", max_length=20, choices=JudgmentResult, blank=True, editable=False
    )
    judged_on = models.DateField("裁判送达日期", null=True, blank=True, editable=False)
    appeal_due_on = models.DateField("上诉期届满日", null=True, blank=True, editable=False)
    appeal_decision = models.CharField(
        "上诉情况", max_length=12, choices=AppealDecision, blank=True, editable=False
    )
    appeal_decided_on = models.DateField("登记上诉情况日期", null=True, blank=True, editable=False)
    performed_on = models.DateField("履行日期", null=True, blank=True, editable=False)
    suspended_on = models.DateField("中止日期", null=True, blank=True, editable=False)
    suspension_reason = models.CharField(
        "中止情形",
        max_length=20,
        choices=LitigationSuspensionReason,
        blank=True,
        editable=False,
    )
    suspension_note = models.CharField("中止说明", max_length=200, blank=True, editable=False)
    resumed_on = models.DateField("恢复诉讼日期", null=True, blank=True, editable=False)
    suspended_days = models.PositiveIntegerField("中止天数(累计)", default=0, editable=False)
    end_reason = models.CharField(
        "终结情形", max_length=20, choices=LitigationEndReason, blank=True, editable=False
    )
    status = models.CharField(
        "状态", max_length=12, choices=CaseStatus, default=CaseStatus.RECEIVED, editable=False
    )

    history_masked_fields = frozenset({"plaintiff"})

    class Meta:
        verbose_name = verbose_name_plural = "行政诉讼"
        ordering = ["township_id", "-served_on"]
        indexes = [models.Index(fields=["township", "served_on"], name="legal_lit_day")]

    def __str__(self) -> str:
        return f"{self.case_no or self.served_on} 行政诉讼"

    @property
    def lost(self) -> bool:
        return self.result in LOST


class Hearing(TownshipScoped):
    """One court hearing of a case: 负责人出庭应诉, or the delegate and the reason."""

    litigation = models.ForeignKey(
        Litigation, verbose_name="行政诉讼", on_delete=models.CASCADE, related_name="hearings"
    )
    held_on = models.DateField("开庭日期")
    head_appeared = models.BooleanField("负责人出庭", default=False)
    head = models.ForeignKey(
        "core.Staff",
        verbose_name="出庭负责人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    delegate = models.ForeignKey(
        "core.Staff",
        verbose_name="委托出庭人员",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField("负责人未出庭的理由", max_length=200, blank=True)

    history_parent = "litigation"

    class Meta:
        verbose_name = verbose_name_plural = "出庭应诉"
        ordering = ["township_id", "-held_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "litigation", "held_on"], name="legal_hearing_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} 开庭"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.head_appeared and not self.head_id:
            errors["head"] = "负责人出庭的，请选择出庭负责人。"
        if not self.head_appeared and not (self.delegate_id and (self.reason or "").strip()):
            errors["reason"] = (
                "负责人未出庭的，请选择委托出庭人员并填写理由（《行政诉讼法》第三条）。"
            )
        if errors:
            raise ValidationError(errors)


class Judgment(TownshipScoped):
    """A court judgment (or mediation document) binding the township: its obligations and their
    performance. Refused, delayed or evaded performance is computed, never typed."""

    kind = models.CharField(
        "文书类别", max_length=16, choices=JudgmentKind, default=JudgmentKind.ADMINISTRATIVE
    )
    court = models.CharField("法院", max_length=100)
    case_no = models.CharField("案号", max_length=60)
    litigation = models.ForeignKey(
        Litigation,
        verbose_name="对应行政诉讼",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="judgments",
    )
    effective_on = models.DateField("生效日期")
    obligations = models.TextField("确定的义务")
    perform_due_on = models.DateField(
        "履行期限", null=True, blank=True, help_text="文书写明的履行期限；未写明的按默认期限计算"
    )
    performed_on = models.DateField("履行完毕日期", null=True, blank=True, editable=False)
    performance_note = models.TextField("履行情况", blank=True, editable=False)
    court_finding = models.CharField(
        "法院认定(通报)", max_length=10, choices=CourtFinding, blank=True, default=""
    )

    class Meta:
        verbose_name = verbose_name_plural = "生效裁判履行"
        ordering = ["township_id", "-effective_on"]
        constraints = [
            models.UniqueConstraint(fields=["township", "case_no"], name="legal_judgment_case")
        ]

    def __str__(self) -> str:
        return self.case_no

    def clean(self) -> None:
        if self.perform_due_on and self.effective_on and self.perform_due_on < self.effective_on:
            raise ValidationError({"perform_due_on": "履行期限不能早于生效日期。"})

    def performance(self, today: dt.date) -> str:
        """按期履行 / 拖延履行 / 未履行(逾期) / 履行期内 / 拒绝履行 / 规避执行 — computed."""
        if self.court_finding:
            return self.get_court_finding_display()
        if self.performed_on:
            return "按期履行" if self.performed_on <= self.perform_due_on else "拖延履行"
        if self.perform_due_on and self.perform_due_on < today:
            return "逾期未履行"
        return "履行期内"
