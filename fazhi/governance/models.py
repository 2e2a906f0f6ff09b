"""Governance records (第一责任人职责, 学法, 会议, 培训考试, 法治经费, 年度目标).

The duty list of the Party secretary and the township head, the year's tasks decomposed to
departments and leaders, the meetings that hear and decide on rule-of-law work, the study
sessions with the laws studied, trainings and tests with their results, the budget lines with
spending, and the year's plan as measurable targets over the indicator registry.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from fazhi.core.models import TownshipScoped
from fazhi.governance import choices as c


def metric_choices() -> list[tuple[str, str]]:
    """Every metric of the indicator registry a target can name (code → label)."""
    from fazhi.indicators import registry

    return [(m.code, f"{m.label}（{m.unit}）") for m in registry.metrics()]


class Law(TownshipScoped):
    """An entry of the catalogue of laws studied and publicised (extensible per township)."""

    name = models.CharField("法律法规名称", max_length=80, help_text="如：中华人民共和国民法典")
    short_name = models.CharField("简称", max_length=30, blank=True, help_text="如：民法典")
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "法律法规目录"
        ordering = ["township_id", "name"]
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="law_unique_name")]

    def __str__(self) -> str:
        return f"《{self.short_name or self.name}》"


class StudySession(TownshipScoped):
    """One study session (学法): 中心组学法, 周例会学法, 会前学法, 专题党课 …"""

    held_on = models.DateField("学习日期")
    kind = models.CharField("学习形式", max_length=20, choices=c.StudyKind)
    topic = models.CharField("学习内容", max_length=150)
    laws = models.ManyToManyField(Law, verbose_name="所学法律法规", blank=True)
    speaker = models.CharField("主讲人(领学人)", max_length=40, blank=True)
    attendance = models.PositiveIntegerField("参学人数", default=0)
    place = models.CharField("地点", max_length=60, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "学法记录"
        ordering = ["township_id", "-held_on"]
        indexes = [models.Index(fields=["township", "kind", "held_on"], name="study_tsp_kind_date")]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()}：{self.topic}"


class Meeting(TownshipScoped):
    """A meeting that studies, hears or decides rule-of-law work (党委会专题研究, 季度汇报 …)."""

    held_on = models.DateField("会议日期")
    kind = models.CharField("会议类型", max_length=20, choices=c.MeetingKind)
    title = models.CharField("会议名称", max_length=120)
    presided_by = models.CharField("主持人", max_length=40, blank=True)
    agenda = models.TextField("议题", blank=True)
    attendance = models.PositiveIntegerField("参会人数", default=0)
    attendees = models.TextField("参会人员", blank=True)
    decisions = models.TextField("研究决定事项", blank=True)
    issues_count = models.PositiveIntegerField(
        "研究解决问题(项)", default=0, help_text="会议研究解决的重点问题项数"
    )

    class Meta:
        verbose_name = verbose_name_plural = "法治建设会议"
        ordering = ["township_id", "-held_on"]
        indexes = [
            models.Index(fields=["township", "kind", "held_on"], name="meeting_tsp_kind_date")
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class DutyItem(TownshipScoped):
    """An item of the first-responsible-person duty list (第一责任人职责清单)."""

    holder = models.CharField("责任主体", max_length=12, choices=c.DutyHolder)
    year = models.PositiveSmallIntegerField("年度")
    content = models.TextField("职责内容")
    basis = models.CharField(
        "依据",
        max_length=150,
        blank=True,
        help_text="如：党政主要负责人履行推进法治建设第一责任人职责规定",
    )
    order = models.PositiveSmallIntegerField("序号", default=1)

    class Meta:
        verbose_name = verbose_name_plural = "第一责任人职责清单"
        ordering = ["township_id", "-year", "holder", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "year", "holder", "order"], name="duty_unique_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_holder_display()}第{self.order}项"


class Task(TownshipScoped):
    """A task of the year's plan decomposed to a department and a leader (任务分解)."""

    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("任务", max_length=150)
    duty = models.ForeignKey(
        DutyItem, verbose_name="对应职责", on_delete=models.SET_NULL, null=True, blank=True
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name="来源会议",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        help_text="会议研究决定的跟进任务",
    )
    department = models.ForeignKey(
        "core.Department", verbose_name="责任部门", on_delete=models.PROTECT
    )
    leader = models.ForeignKey(
        "core.Staff",
        verbose_name="分管领导",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    owner = models.ForeignKey(
        "core.Staff",
        verbose_name="责任人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="有登录账号的，逾期时出现在其“我的期限”中",
    )
    due = models.DateField("完成时限")
    status = models.CharField(
        "状态", max_length=12, choices=c.TaskStatus, default=c.TaskStatus.PLANNED
    )
    completed_on = models.DateField("完成日期", null=True, blank=True)
    evidence = models.TextField("完成情况及佐证", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "法治建设任务"
        ordering = ["township_id", "due"]
        indexes = [models.Index(fields=["township", "status", "due"], name="task_tsp_status_due")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.status == c.TaskStatus.DONE and not self.completed_on:
            errors["completed_on"] = "已完成的任务须填写完成日期。"
        if self.status == c.TaskStatus.DONE and not self.evidence.strip():
            errors["evidence"] = "已完成的任务须填写完成情况及佐证。"
        if self.status != c.TaskStatus.DONE and self.completed_on:
            errors["completed_on"] = "任务未完成，请清空完成日期。"
        if errors:
            raise ValidationError(errors)


class Training(TownshipScoped):
    """A training or a test of cadres or enforcement officers (培训, 资格考试, 知识测试, 技能比武)."""

    held_on = models.DateField("日期")
    kind = models.CharField("类型", max_length=20, choices=c.TrainingKind)
    audience = models.CharField("对象", max_length=20, choices=c.Audience)
    title = models.CharField("名称", max_length=120)
    organiser = models.CharField("组织单位", max_length=60, blank=True)
    speaker = models.CharField("授课人", max_length=40, blank=True)
    participants = models.PositiveIntegerField("参加人数", default=0)
    pass_score = models.DecimalField(
        "合格分数线",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="考试、测试、比武填写；成绩不低于此分数为合格",
    )
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "培训与考试"
        ordering = ["township_id", "-held_on"]
        indexes = [
            models.Index(fields=["township", "kind", "held_on"], name="training_tsp_kind_date")
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    def clean(self) -> None:
        if self.kind in c.TEST_KINDS and self.pass_score is None:
            raise ValidationError({"pass_score": "考试、测试、比武须填写合格分数线。"})


class TrainingResult(TownshipScoped):
    """One participant's score in a test (合格 when the score reaches the pass mark)."""

    training = models.ForeignKey(
        Training, verbose_name="考试(测试)", on_delete=models.CASCADE, related_name="results"
    )
    name = models.CharField("姓名", max_length=30)
    staff = models.ForeignKey(
        "core.Staff", verbose_name="对应工作人员", on_delete=models.SET_NULL, null=True, blank=True
    )
    score = models.DecimalField(
        "成绩",
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000"))],
    )
    passed = models.BooleanField("合格", default=False, editable=False)

    history_parent = "training"

    class Meta:
        verbose_name = verbose_name_plural = "考试成绩"
        ordering = ["township_id", "training_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["training", "name"], name="result_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.score}"

    def clean(self) -> None:
        if self.training_id and self.training.kind not in c.TEST_KINDS:
            raise ValidationError({"training": "只有考试、测试、比武可登记成绩。"})

    def save(self, *args, **kwargs) -> None:
        if self.training_id and self.training.pass_score is not None:
            self.passed = self.score >= self.training.pass_score
        super().save(*args, **kwargs)


class BudgetLine(TownshipScoped):
    """A rule-of-law line of the year's budget (法治经费列入预算)."""

    year = models.PositiveSmallIntegerField("预算年度")
    kind = models.CharField("经费类别", max_length=20, choices=c.BudgetKind)
    item = models.CharField("预算项目", max_length=100)
    amount = models.DecimalField(
        "预算金额(元)", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    document = models.CharField("预算文件", max_length=120, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "法治经费预算"
        ordering = ["township_id", "-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["township", "year", "item"], name="budget_unique_item")
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.item}"


class Expenditure(TownshipScoped):
    """Money spent against a budget line."""

    line = models.ForeignKey(
        BudgetLine, verbose_name="预算项目", on_delete=models.PROTECT, related_name="expenditures"
    )
    spent_on = models.DateField("支出日期")
    amount = models.DecimalField(
        "支出金额(元)", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    purpose = models.CharField("用途", max_length=150)
    voucher = models.CharField("凭证号", max_length=40, blank=True)

    history_parent = "line"

    class Meta:
        verbose_name = verbose_name_plural = "法治经费支出"
        ordering = ["township_id", "-spent_on"]

    def __str__(self) -> str:
        return f"{self.spent_on:%Y-%m-%d} {self.purpose}"

    def clean(self) -> None:
        if self.line_id and self.spent_on and self.spent_on.year != self.line.year:
            raise ValidationError({"spent_on": f"支出日期不在预算年度（{self.line.year}年）内。"})


class Target(TownshipScoped):
    """A measurable target of the year's plan: a registry metric, a comparator and a value.

    `fazhi.governance.targets` computes its progress and warns when a target is set below last
    year's actual; the annual report's 下一年度主要安排 drafts its plan into these rows.
    """

    year = models.PositiveSmallIntegerField("计划年度")
    metric_code = models.CharField(
        "指标",
        max_length=80,
        choices=metric_choices,
        help_text="指标库中的指标（决定如何统计完成情况）",
    )
    comparator = models.CharField(
        "要求", max_length=2, choices=c.Comparator, default=c.Comparator.AT_LEAST
    )
    value = models.DecimalField("目标值", max_digits=12, decimal_places=1)
    wording = models.CharField(
        "计划表述", max_length=150, blank=True, help_text="如：全年组织专题学习不少于4次"
    )
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度目标"
        ordering = ["township_id", "-year", "metric_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "year", "metric_code", "comparator"],
                name="target_unique_metric",
            )
        ]

    def __str__(self) -> str:
        return (
            self.wording
            or f"{self.year}年{self.metric_label}{self.get_comparator_display()}{self.value}"
        )

    @property
    def metric_label(self) -> str:
        from fazhi.indicators import registry

        try:
            return registry.metric(self.metric_code).label
        except registry.UnknownMetric:
            return self.metric_code

    def clean(self) -> None:
        from fazhi.indicators import registry

        errors: dict[str, str] = {}
        try:
            m = registry.metric(self.metric_code)
        except registry.UnknownMetric:
            errors["metric_code"] = f"指标库中没有“{self.metric_code}”。"
        else:
            if m.code == "governance.target_completion_rate":
                errors["metric_code"] = "年度目标完成率由目标本身计算，不能作为目标。"
            if m.kind == registry.RATE and self.value is not None and not 0 <= self.value <= 100:
                errors["value"] = "比率类指标的目标值须在0至100之间。"
        if self.value is not None and self.value < 0:
            errors["value"] = "目标值不能为负数。"
        if errors:
            raise ValidationError(errors)


def village_metric_choices() -> list[tuple[str, str]]:
    """Registry metrics whose records belong to a village (so a village can be scored on them)."""
    from fazhi.governance.assessment import village_metrics

    return [(m.code, f"{m.label}（{m.unit}）") for m in village_metrics()]


class AssessmentScheme(TownshipScoped):
    """The year-end assessment of villages' rule-of-law work (各村法治工作纳入年终考核): a set
    of items, each a registry metric counted over the village's own records."""

    year = models.PositiveSmallIntegerField("考核年度")
    name = models.CharField("考核方案名称", max_length=80, help_text="如：2025年度各村法治工作考核")
    document = models.CharField("依据文件", max_length=120, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "村级法治工作考核方案"
        ordering = ["township_id", "-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["township", "year", "name"], name="scheme_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class AssessmentItem(TownshipScoped):
    """An item of a scheme: `weight` points when the village's figure reaches `full_at`,
    proportionally below. Only registry metrics over business records can be chosen: no
    check-in, click, online-time or points measures (DESIGN §2.9)."""

    scheme = models.ForeignKey(
        AssessmentScheme, verbose_name="考核方案", on_delete=models.CASCADE, related_name="items"
    )
    label = models.CharField("考核项目", max_length=60)
    metric_code = models.CharField(
        "依据指标", max_length=80, choices=village_metric_choices, help_text="按本村记录统计"
    )
    weight = models.DecimalField(
        "分值", max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.1"))]
    )
    full_at = models.DecimalField(
        "满分标准",
        max_digits=10,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text="本村数值达到此值得满分，不足按比例计分（比率类填百分数，如100）",
    )
    order = models.PositiveSmallIntegerField("序号", default=1)

    history_parent = "scheme"

    class Meta:
        verbose_name = verbose_name_plural = "考核项目"
        ordering = ["township_id", "scheme_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "metric_code"], name="item_unique_metric")
        ]

    def __str__(self) -> str:
        return f"{self.label}（{self.weight}分）"
