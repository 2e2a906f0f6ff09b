"""Background jobs, the working-day calendar, deadlines and notifications."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from fazhi.core.choices import DayKind, DeadlineStatus, DeadlineUnit, JobStatus, NotificationKind
from fazhi.core.models.base import ScopedQuerySet, TimeStamped


class Job(TimeStamped):
    """Long work (imports, batch reports, sweeps): claimed by `manage.py run_jobs` with a
    conditional UPDATE, so no broker is needed on the embedded default."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("任务类型", max_length=60, db_index=True)
    status = models.CharField(
        "状态", max_length=12, choices=JobStatus, default=JobStatus.QUEUED, db_index=True
    )
    township = models.ForeignKey(
        "core.Township", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    county = models.ForeignKey(
        "core.County", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    params = models.JSONField("参数", default=dict, blank=True)
    progress = models.PositiveIntegerField("进度", default=0)
    total = models.PositiveIntegerField("总量", default=0)
    log = models.TextField("日志", blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    result_file = models.CharField("结果文件", max_length=255, blank=True)
    error = models.TextField("错误", blank=True)
    run_after = models.DateTimeField("计划时间", null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_village_field = None
    scope_write_roles = None

    class Meta:
        verbose_name = verbose_name_plural = "后台任务"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "run_after"], name="job_claim")]

    def __str__(self) -> str:
        return f"{self.kind} {self.get_status_display()}"


class CalendarDay(TimeStamped):
    """An administrator-entered day that overrides the built-in calendar (chinese-calendar):
    a holiday, or a make-up working day (调休上班), typically for a year the library lacks."""

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=DayKind)
    name = models.CharField("名称", max_length=30, blank=True, help_text="如：春节、国庆节调休")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class CalendarYear(TimeStamped):
    """A year an administrator has entered completely (so deadlines into it are not flagged)."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField(
        "依据", max_length=200, help_text="如：国务院办公厅关于2027年部分节假日安排的通知"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "已录入年度日历"
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class RuleOverride(TimeStamped):
    """A province's or county's change to a declared deadline rule (length and/or unit)."""

    rule_code = models.CharField("规则代码", max_length=80)
    province = models.CharField("省(区)", max_length=30, blank=True)
    county = models.ForeignKey(
        "core.County", verbose_name="县(市、区)", on_delete=models.CASCADE, null=True, blank=True
    )
    length = models.PositiveIntegerField("期限长度")
    unit = models.CharField("单位", max_length=15, choices=DeadlineUnit)
    basis = models.CharField("地方依据", max_length=200, help_text="如：某省信访条例实施办法第十条")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "期限规则地方调整"
        constraints = [
            models.UniqueConstraint(
                fields=["rule_code", "province", "county"], name="rule_override_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(province="") | models.Q(county__isnull=False),
                name="rule_override_has_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_code}: {self.length}{self.get_unit_display()}"


class Deadline(TimeStamped):
    """One running statutory deadline of one record."""

    #: the rule's code is plumbing: the history shows the rule's name (事项) and its basis instead
    history_hidden_fields = frozenset({"rule_code"})

    township = models.ForeignKey("core.Township", on_delete=models.PROTECT, related_name="+")
    rule_code = models.CharField("规则代码", max_length=80)
    label = models.CharField("事项", max_length=200)
    citation = models.CharField("依据", max_length=200)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    start_date = models.DateField("起算日")
    length = models.PositiveIntegerField("期限长度")
    unit = models.CharField("单位", max_length=15, choices=DeadlineUnit)
    override = models.ForeignKey(
        RuleOverride, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_date = models.DateField("届满日", db_index=True)
    calendar_unknown = models.BooleanField(
        "日历未覆盖", default=False, help_text="期限跨入日历未知年份，届满日为估算"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="督办领导",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        "状态", max_length=12, choices=DeadlineStatus, default=DeadlineStatus.OPEN
    )
    completed_on = models.DateField("完成日", null=True, blank=True)
    #: the day the period stopped running (暂停计算, e.g. 行政复议中止); None unless paused
    paused_on = models.DateField("暂停计算日", null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    escalated_on = models.DateField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_village_field = None
    scope_write_roles = None

    class Meta:
        verbose_name = verbose_name_plural = "法定期限"
        ordering = ["due_date"]
        indexes = [
            models.Index(fields=["township", "status", "due_date"], name="deadline_open"),
            models.Index(fields=["content_type", "object_id"], name="deadline_object"),
        ]

    def __str__(self) -> str:
        return f"{self.label}（{self.due_date}）"


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    township = models.ForeignKey(
        "core.Township", on_delete=models.CASCADE, null=True, related_name="+"
    )
    kind = models.CharField("类型", max_length=12, choices=NotificationKind)
    text = models.CharField("内容", max_length=300)
    url = models.CharField(max_length=300, blank=True)
    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    due_date = models.DateField(
        "届满日", null=True, blank=True, help_text="提醒针对的届满日；期限延长后会再次提醒"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "提醒"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "deadline", "kind", "due_date"],
                name="notification_once_per_due_date",
            )
        ]

    def __str__(self) -> str:
        return self.text
