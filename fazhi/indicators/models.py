"""Declarations that tell a real 0 and "does not apply" apart from "no records".

A count of 0 from the registry means nothing by itself: the ledger may have been kept and been
empty (寺庄镇: 行政复议零发生), or nobody entered anything. A township states the first with a
**nil return** (零报告: "this ledger was kept and had none this year") and a metric that does not
concern it with a **not-applicable** declaration (不适用, with the reason). Without either, the
registry reports 未记录 and the annual report marks the blank for the clerk instead of writing 0.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from fazhi.core.models import TownshipScoped
from fazhi.core.models.base import TimeStamped


class DeclarationKind(models.TextChoices):
    NIL = "nil", "零报告（已建台账，本年度未发生）"
    NOT_APPLICABLE = "not_applicable", "不适用"


def _metric_label(code: str) -> str:
    from fazhi.indicators import registry

    try:
        return registry.metric(code).label
    except registry.UnknownMetric:
        return "未登记的指标"  # the code is not a label; the registry no longer defines it


class FigureDeclaration(TownshipScoped):
    """One township's statement about one metric for one year."""

    #: pages and the change history show the metric's name, not its code
    field_value_labels = {"metric_code": _metric_label}

    metric_code = models.CharField("指标", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("声明类型", max_length=20, choices=DeclarationKind.choices)
    reason = models.TextField(
        "理由或说明",
        help_text="零报告写明台账名称；不适用写明原因（如：本镇未设农贸市场）。",
    )

    class Meta:
        verbose_name = "零报告/不适用声明"
        verbose_name_plural = "零报告与不适用声明"
        ordering = ["-year", "metric_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "metric_code", "year"], name="uniq_figure_declaration"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.metric_label()}：{self.get_kind_display()}"

    def metric_label(self) -> str:
        return _metric_label(self.metric_code)

    metric_label.short_description = "指标"  # type: ignore[attr-defined]

    def clean(self) -> None:
        from fazhi.indicators import registry

        errors: dict[str, str] = {}
        try:
            registry.metric(self.metric_code)
        except registry.UnknownMetric:
            errors["metric_code"] = "指标不存在，请从列表中选择。"
        if self.year is not None and not 2000 <= self.year <= 2100:
            errors["year"] = "年度应在 2000 至 2100 之间。"
        if not (self.reason or "").strip():
            errors["reason"] = "请写明理由或说明。"
        if errors:
            raise ValidationError(errors)


class ScoringRule(models.TextChoices):
    PROPORTIONAL = "proportional", "按完成比例得分（实绩÷标准，最高满分）"
    THRESHOLD = "threshold", "达到标准得满分，否则不得分"
    RECORDED = "recorded", "有记录（或零报告）即得满分"


class AssessmentScheme(TimeStamped):
    """A county's scheme for assessing its townships' year (DESIGN §2.9): indicators from the
    registry, weights, scoring rules; ranking only when the scheme asks for it."""

    county = models.ForeignKey(
        "core.County", verbose_name="县(市、区)", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("考核年度")
    name = models.CharField("方案名称", max_length=100)
    rank = models.BooleanField("公布排名", default=False, help_text="考核办法要求排名时才勾选")
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "考核方案"
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return f"{self.year}年{self.name}"


class AssessmentItem(TimeStamped):
    scheme = models.ForeignKey(
        AssessmentScheme, verbose_name="方案", on_delete=models.CASCADE, related_name="items"
    )
    metric_code = models.CharField("指标", max_length=100)
    weight = models.DecimalField("分值", max_digits=6, decimal_places=1)
    rule = models.CharField("计分规则", max_length=20, choices=ScoringRule.choices)
    standard = models.DecimalField(
        "标准值",
        max_digits=12,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="按比例或达标计分时必填（比率按百分数填写，如 95）",
    )

    class Meta:
        verbose_name = verbose_name_plural = "考核指标"
        ordering = ["scheme", "pk"]

    def clean(self) -> None:
        from fazhi.indicators import registry

        errors: dict[str, str] = {}
        try:
            registry.metric(self.metric_code)
        except registry.UnknownMetric:
            errors["metric_code"] = "指标不存在，请从列表中选择。"
        if self.weight is not None and self.weight <= 0:
            errors["weight"] = "分值应大于0。"
        if self.rule != ScoringRule.RECORDED and (self.standard is None or self.standard <= 0):
            errors["standard"] = "按比例或达标计分时，请填写大于0的标准值。"
        if errors:
            raise ValidationError(errors)


class AssessmentSchemeVersion(models.Model):
    """The scheme as it stood after one change (制定, 新增指标, 删除指标): its items frozen as
    they were. Scores are computed under the version in force and shown with it; a version is
    never changed (a later change makes the next one)."""

    scheme = models.ForeignKey(
        AssessmentScheme, verbose_name="方案", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField("版本号")
    #: [{"metric_code", "weight", "rule", "standard"}] as strings (Decimal-exact)
    items = models.JSONField("考核指标")
    rank = models.BooleanField("公布排名", default=False)
    change = models.CharField("修改内容", max_length=300)
    created_at = models.DateTimeField("施行时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "考核方案版本"
        ordering = ["scheme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="uniq_scheme_version")
        ]

    def __str__(self) -> str:
        return f"{self.scheme}（第{self.number}版）"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValidationError("考核方案的历史版本不可修改；修改方案会生成新版本。")
        super().save(*args, **kwargs)  # type: ignore[arg-type]
