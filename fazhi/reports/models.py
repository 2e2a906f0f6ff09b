"""The township's annual report: a draft of paragraphs (figures live), signed versions (frozen).

A draft is a list of `ReportParagraph`s whose text carries figure placeholders (`{{metric.code}}`);
the figures stay live until signing. Signing freezes a `ReportVersion`: the rendered text, every
figure with the time it was computed, and the SHA-256 of both. A signed version is never changed;
a later change makes the next version. Submission to the county and publication on the portal
are timestamped on the report (the version sent or published is recorded).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from fazhi.core.models import TownshipScoped


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SIGNED = "signed", "已签发"
    SUBMITTED = "submitted", "已报送"
    PUBLISHED = "published", "已公开"


class AnnualReport(TownshipScoped):
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("标题", max_length=200)
    status = models.CharField(
        "状态", max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_version = models.PositiveIntegerField("报送版本", null=True, blank=True)
    submitted_late = models.BooleanField("逾期报送", default=False)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    published_version = models.PositiveIntegerField("公开版本", null=True, blank=True)
    published_late = models.BooleanField("逾期公开", default=False)
    #: the personal-data findings the clerk cleared before publication (text, kind, who, when)
    privacy_clearance = models.JSONField("公开前保密审查", default=list, blank=True)

    class Meta:
        verbose_name = "法治政府建设年度报告"
        verbose_name_plural = "法治政府建设年度报告"
        ordering = ["-year", "township__name"]
        constraints = [
            models.UniqueConstraint(fields=["township", "year"], name="uniq_annual_report")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def latest_version(self) -> ReportVersion | None:
        return self.versions.order_by("-number").first()


class ReportParagraph(TownshipScoped):
    """One heading or body paragraph of the draft. `level` 0 is body text, 1 is 一、, 2 is （一）."""

    report = models.ForeignKey(
        AnnualReport, verbose_name="报告", on_delete=models.CASCADE, related_name="paragraphs"
    )
    order = models.PositiveIntegerField("顺序")
    section = models.CharField("部分", max_length=20, blank=True)
    level = models.PositiveSmallIntegerField("层级", default=0)
    text = models.TextField("内容", blank=True)
    #: how the paragraph was drafted (from records, from targets, suggestion…); shown to the clerk
    source = models.CharField("起草依据", max_length=200, blank=True)
    edited = models.BooleanField("经人工修改", default=False)

    history_parent = "report"

    class Meta:
        verbose_name = "报告段落"
        verbose_name_plural = "报告段落"
        ordering = ["report", "order"]

    def __str__(self) -> str:
        return self.text[:30]


class ReportVersion(TownshipScoped):
    """A signed, immutable version of the report."""

    report = models.ForeignKey(
        AnnualReport, verbose_name="报告", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField("版本号")
    text = models.TextField("正文")
    #: the draft's structure at signing: [{"level":…, "section":…, "text":…}] (rendered)
    paragraphs = models.JSONField("段落")
    #: every figure the text states: code, label, display, status, counts, computed_at
    figures = models.JSONField("数据")
    sha256 = models.CharField("哈希(SHA-256)", max_length=64)
    signed_by = models.CharField("签发人", max_length=200)
    signed_at = models.DateTimeField("签发时间")

    class Meta:
        verbose_name = "报告签发版本"
        verbose_name_plural = "报告签发版本"
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="uniq_report_version")
        ]

    def __str__(self) -> str:
        return f"{self.report.title}（第{self.number}版）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError("已签发的版本不可修改；修改请生成新版本。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError("已签发的版本不可删除。")


class HandwrittenReport(TownshipScoped):
    """A report a township wrote outside the platform (.docx, .pdf or .txt), uploaded for the
    county's collection board: the file (an attachment, kept with its SHA-256), the text read
    from it and the checker's findings at upload. A new upload is a new row (the board shows
    the latest)."""

    year = models.PositiveSmallIntegerField("年度")
    attachment = models.ForeignKey(
        "core.Attachment", verbose_name="报告文件", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("识别的标题", max_length=200, blank=True)
    text = models.TextField("报告文字")
    errors = models.PositiveIntegerField("错误数", default=0)
    warnings = models.PositiveIntegerField("提示数", default=0)
    summary = models.CharField("检查结论", max_length=200)
    #: the checker's defects at upload (Defect.to_dict)
    defects = models.JSONField("检查结果", default=list)

    class Meta:
        verbose_name = "线下撰写的年度报告"
        verbose_name_plural = "线下撰写的年度报告"
        ordering = ["-year", "township__name", "-created_at"]

    def __str__(self) -> str:
        return f"{self.township}{self.year}年度报告（上传：{self.attachment.original_name}）"
