"""Declarations that tell a real 0 and "does not apply" apart from "no records".

A count of 0 from the registry means nothing by itself: the ledger may have been kept and been
empty (寺庄镇: 行政复议零发生), or nobody entered anything. A township states the first with a
**nil return** (零报告: "this ledger was kept and had none this year") and a metric that does not
concern it with a **not-applicable** declaration (不适用, with the reason). Without either, the
registry reports 未记录 and the annual report marks the blank for the clerk instead of writing 0.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from fazhi.core.models import TownshipScoped


class DeclarationKind(models.TextChoices):
    NIL = "nil", "零报告（已建台账，本年度未发生）"
    NOT_APPLICABLE = "not_applicable", "不适用"


class FigureDeclaration(TownshipScoped):
    """One township's statement about one metric for one year."""

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
        from fazhi.indicators import registry

        try:
            return registry.metric(self.metric_code).label
        except registry.UnknownMetric:
            return "未登记的指标"  # the code is not a label; the registry no longer defines it

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
