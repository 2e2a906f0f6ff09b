"""Stable English values with Chinese labels. Never store labels."""

from django.db import models


class TownshipKind(models.TextChoices):
    TOWN = "town", "镇"
    TOWNSHIP = "township", "乡"
    SUBDISTRICT = "subdistrict", "街道"


class VillageKind(models.TextChoices):
    VILLAGE = "village", "村"
    COMMUNITY = "community", "社区"
    FARM = "farm", "场"


class DepartmentKind(models.TextChoices):
    JUSTICE = "justice", "司法所"
    ENFORCEMENT = "enforcement", "综合行政执法大队"
    SAFETY = "safety", "平安办"
    POLICE = "police", "派出所"
    MARKET = "market", "市场监管所"
    LAND = "land", "自然资源所"
    PETITION = "petition", "信访办"
    EMERGENCY = "emergency", "应急办"
    RULE_OF_LAW = "rule_of_law", "法治办"
    OFFICE = "office", "党政办"
    OTHER = "other", "其他"


class LeadingRole(models.TextChoices):
    LEADER = "leader", "组长"
    EXECUTIVE_DEPUTY = "executive_deputy", "常务副组长"
    DEPUTY = "deputy", "副组长"
    MEMBER = "member", "成员"


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", "平台管理员"
    COUNTY_SUPERVISOR = "county_supervisor", "县级督导"
    TOWNSHIP_ADMIN = "township_admin", "乡镇管理员"
    TOWNSHIP_OPERATOR = "township_operator", "乡镇经办人"
    DEPARTMENT_OFFICER = "department_officer", "站所工作人员"
    LEGAL_ADVISOR = "legal_advisor", "法律顾问"
    MEDIATOR = "mediator", "调解员"
    GRID_WORKER = "grid_worker", "网格员"
    VIEWER = "viewer", "只读用户"


class ChangeAction(models.TextChoices):
    CREATE = "create", "新建"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "运行中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "失败"


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "法定节假日/休息日"
    WORKDAY = "workday", "工作日(含调休上班)"


class DeadlineUnit(models.TextChoices):
    DAYS = "days", "日"
    WORKING_DAYS = "working_days", "工作日"
    MONTHS = "months", "个月"


class DeadlineStatus(models.TextChoices):
    OPEN = "open", "进行中"
    DONE = "done", "按期完成"
    DONE_LATE = "done_late", "逾期完成"
    CANCELLED = "cancelled", "已撤销"
    PAUSED = "paused", "暂停计算"


class DeadlineState(models.TextChoices):
    """Computed state shown to users (status + today)."""

    ON_TIME = "on_time", "按期"
    DUE_SOON = "due_soon", "即将到期"
    OVERDUE = "overdue", "已逾期"
    DONE = "done", "按期完成"
    DONE_LATE = "done_late", "逾期完成"
    CANCELLED = "cancelled", "已撤销"
    PAUSED = "paused", "暂停计算"


class NotificationKind(models.TextChoices):
    REMINDER = "reminder", "到期提醒"
    OVERDUE = "overdue", "逾期提醒"
    ESCALATION = "escalation", "逾期督办"
    INFO = "info", "通知"
