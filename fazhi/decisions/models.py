"""Major administrative decisions (重大行政决策): the year's catalogue and each decision's file.

A decision's step fields are written only by `decisions.services`, whose gates refuse a skipped
step naming the missing item; the generic pages edit the descriptive fields.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from fazhi.core.models import TownshipScoped
from fazhi.decisions.choices import (
    MADE,
    AdjustmentKind,
    Adoption,
    CommentChannel,
    MeetingKind,
    Outcome,
    Status,
)


class Catalogue(TownshipScoped):
    """The year's decision-item catalogue (决策事项目录, 条例第三条)."""

    year = models.PositiveSmallIntegerField("年度")
    document_no = models.CharField("文号", max_length=60, blank=True)
    approved_on = models.DateField("党委同意日期", null=True, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    entries = models.TextField("目录事项", help_text="每行一项")

    class Meta:
        verbose_name = verbose_name_plural = "重大行政决策事项目录"
        ordering = ["township_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["township", "year"], name="decision_catalogue_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}年度重大行政决策事项目录"

    def clean(self) -> None:
        if self.published_on and not self.approved_on:
            raise ValidationError(
                {"approved_on": "目录经同级党委同意后方可公布，请填写党委同意日期。"}
            )
        if self.published_on and self.approved_on and self.published_on < self.approved_on:
            raise ValidationError({"published_on": "公布日期不能早于党委同意日期。"})


class Decision(TownshipScoped):
    """One major administrative decision through every step of 条例 (REGULATIONS.md §5)."""

    title = models.CharField("决策事项", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    catalogue = models.ForeignKey(
        Catalogue, verbose_name="所列目录", on_delete=models.PROTECT, null=True, blank=True,
        related_name="decisions",
    )  # fmt: skip
    outside_reason = models.CharField(
        "目录外决策的理由", max_length=200, blank=True, help_text="未列入年度目录的必须填写"
    )
    lead_unit = models.ForeignKey(
        "core.Department", verbose_name="决策承办单位", on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    draft = models.TextField("决策草案及说明")
    options = models.TextField(
        "备选方案", blank=True, help_text="意见分歧较大的，可以提出两个以上方案"
    )
    expert_required = models.BooleanField(
        "需专家论证", default=False, help_text="专业性、技术性较强"
    )
    risk_required = models.BooleanField(
        "需风险评估", default=False, help_text="可能影响社会稳定、公共安全"
    )
    executing_unit = models.ForeignKey(
        "core.Department", verbose_name="决策执行单位", on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    #: 条例第三十七条: changing or stopping a decision made is itself a decision through the whole
    #: procedure; it names the decision it adjusts, and both pages show the link
    adjustment_kind = models.CharField(
        "对原决策的调整", max_length=10, choices=AdjustmentKind, blank=True, default="",
        help_text="变更或者停止执行已作出的重大行政决策的，应当依照条例履行法定程序（条例第三十七条）",
    )  # fmt: skip
    adjusts = models.ForeignKey(
        "self", verbose_name="调整的原决策", on_delete=models.PROTECT, null=True, blank=True,
        related_name="adjustments",
    )  # fmt: skip

    status = models.CharField("所处环节", max_length=12, choices=Status, default=Status.DRAFTING,
                              editable=False)  # fmt: skip
    comment_start = models.DateField("征求意见起", null=True, blank=True, editable=False)
    comment_end = models.DateField("征求意见止", null=True, blank=True, editable=False)
    comment_short_reason = models.CharField("缩短征求意见期限的理由", max_length=200, blank=True,
                                            editable=False)  # fmt: skip
    hearing_on = models.DateField("听证会日期", null=True, blank=True, editable=False)
    hearing_materials_on = models.DateField(
        "听证材料送达日期", null=True, blank=True, editable=False
    )
    comments_summary = models.TextField("意见采纳情况汇总", blank=True, editable=False)
    expert_on = models.DateField("专家论证日期", null=True, blank=True, editable=False)
    expert_opinion = models.TextField("专家论证意见", blank=True, editable=False)
    risk_on = models.DateField("风险评估日期", null=True, blank=True, editable=False)
    risk_report = models.TextField("风险评估报告", blank=True, editable=False)
    review = models.ForeignKey(
        "legal.ReviewRequest", verbose_name="合法性审查", on_delete=models.PROTECT, null=True,
        blank=True, editable=False, related_name="+",
    )  # fmt: skip
    study = models.ForeignKey(
        "governance.StudySession", verbose_name="会前学法", on_delete=models.PROTECT, null=True,
        blank=True, editable=False, related_name="+",
    )  # fmt: skip
    meeting_on = models.DateField("集体讨论日期", null=True, blank=True, editable=False)
    meeting_kind = models.CharField("会议", max_length=12, choices=MeetingKind, blank=True,
                                    editable=False)  # fmt: skip
    minutes = models.TextField("会议纪要", blank=True, editable=False)
    dissent = models.TextField("不同意见", blank=True, editable=False)
    head = models.ForeignKey(
        "core.Staff", verbose_name="行政首长", on_delete=models.PROTECT, null=True, blank=True,
        editable=False, related_name="+",
    )  # fmt: skip
    head_explanation = models.TextField("与多数意见不一致的说明", blank=True, editable=False)
    outcome = models.CharField("决定", max_length=10, choices=Outcome, blank=True, editable=False)
    party_reported_on = models.DateField(
        "向同级党委请示报告日期", null=True, blank=True, editable=False
    )
    published_on = models.DateField("公布日期", null=True, blank=True, editable=False)
    publish_channel = models.CharField("公布途径", max_length=100, blank=True, editable=False)
    adoption_note = models.TextField("公众、专家意见采纳情况说明", blank=True, editable=False)
    progress = models.TextField("执行情况", blank=True, editable=False)
    evaluated_on = models.DateField("决策后评估日期", null=True, blank=True, editable=False)
    evaluation = models.TextField("后评估报告", blank=True, editable=False)
    archived_on = models.DateField("归档日期", null=True, blank=True, editable=False)
    suspended_on = models.DateField("中止执行日期", null=True, blank=True, editable=False)
    suspended_by = models.ForeignKey(
        "core.Staff", verbose_name="决定中止的行政首长", on_delete=models.PROTECT, null=True,
        blank=True, editable=False, related_name="+",
    )  # fmt: skip
    suspension_reason = models.CharField("中止执行的理由", max_length=200, blank=True,
                                         editable=False)  # fmt: skip
    resumed_on = models.DateField("恢复执行日期", null=True, blank=True, editable=False)
    resumption_note = models.CharField("恢复执行的依据", max_length=200, blank=True,
                                       editable=False)  # fmt: skip

    class Meta:
        verbose_name = verbose_name_plural = "重大行政决策"
        ordering = ["township_id", "-year", "-pk"]
        indexes = [models.Index(fields=["township", "status", "meeting_on"], name="decision_state")]
        constraints = [
            models.UniqueConstraint(fields=["township", "year", "title"], name="decision_unique")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.catalogue_id is None and not (self.outside_reason or "").strip():
            errors["outside_reason"] = "未列入年度决策事项目录的，请填写目录外决策的理由。"
        if self.catalogue_id and self.year and self.catalogue.year != self.year:
            errors["catalogue"] = "所列目录的年度与决策年度不一致。"
        errors.update(self._adjustment_errors())
        if errors:
            raise ValidationError(errors)

    def _adjustment_errors(self) -> dict[str, str]:
        """条例第三十七条: an adjustment names the decision it changes or stops, of the same
        township, already made; a link without its kind (or the kind without a link) is refused."""
        if self.adjustment_kind and self.adjusts_id is None:
            return {"adjusts": "变更或者停止执行原决策的，请选择调整的原决策（条例第三十七条）。"}
        if self.adjusts_id is None:
            return {}
        if not self.adjustment_kind:
            return {"adjustment_kind": "已选择调整的原决策，请选择调整方式（变更或者停止执行）。"}
        original = self.adjusts
        if self.pk is not None and original.pk == self.pk:
            return {"adjusts": "不能选择本决策作为调整的原决策。"}
        if original.township_id != self.township_id:
            return {"adjusts": "调整的原决策不属于该乡镇。"}
        if original.status not in MADE:
            return {
                "adjusts": f"原决策“{original}”尚未作出决定（{original.get_status_display()}），"
                "无需作为重大调整办理。"
            }
        return {}

    @property
    def open_for_comment(self) -> bool:
        from django.utils import timezone

        today = timezone.localdate()
        return (
            self.status == Status.CONSULTING
            and self.comment_start is not None
            and self.comment_start <= today <= self.comment_end
        )


class PublicComment(TownshipScoped):
    """A comment on a draft (网上、书面、座谈会、听证会), and whether it was adopted."""

    decision = models.ForeignKey(Decision, verbose_name="重大行政决策", on_delete=models.CASCADE,
                                 related_name="comments")  # fmt: skip
    channel = models.CharField("渠道", max_length=10, choices=CommentChannel,
                               default=CommentChannel.PORTAL)  # fmt: skip
    submitted_on = models.DateField("提出日期")
    name = models.CharField("提出人", max_length=50, blank=True)
    contact = models.CharField("联系方式", max_length=50, blank=True)
    content = models.TextField("意见内容")
    adoption = models.CharField("采纳情况", max_length=12, choices=Adoption, blank=True, default="")
    reply = models.TextField("采纳或不采纳的理由", blank=True)

    history_masked_fields = frozenset({"name", "contact"})
    history_parent = "decision"

    class Meta:
        verbose_name = verbose_name_plural = "公众意见"
        ordering = ["township_id", "decision_id", "submitted_on", "pk"]

    def __str__(self) -> str:
        return f"{self.submitted_on:%Y-%m-%d} {self.get_channel_display()}意见"

    def clean(self) -> None:
        if self.adoption and not (self.reply or "").strip():
            raise ValidationError({"reply": "记录采纳情况时请填写理由。"})
