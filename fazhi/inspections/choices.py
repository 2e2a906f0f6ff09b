"""Stable English values with Chinese labels, and the status transition tables of inspections
and hazards (STYLE.md §3)."""

from django.db import models


class CreditClass(models.TextChoices):
    """Credit-risk classes (市场监管总局 A–D; the names are [U], REGULATIONS.md §7)."""

    A = "A", "A类（信用风险低）"
    B = "B", "B类（信用风险一般）"
    C = "C", "C类（信用风险较高）"
    D = "D", "D类（信用风险高）"


class CampaignDomain(models.TextChoices):
    SAFETY = "safety", "安全生产"
    ENVIRONMENT = "environment", "生态环境"
    FARMLAND = "farmland", "耕地保护"
    FIRE = "fire", "消防安全"
    FOOD = "food", "食品安全"
    CONSTRUCTION = "construction", "违法建设"
    OTHER = "other", "其他"


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", "待审批"
    APPROVED = "approved", "已审批"
    DONE = "done", "已检查"
    CANCELLED = "cancelled", "已取消"


INSPECTION_TRANSITIONS: dict[str, frozenset[str]] = {
    InspectionStatus.PLANNED: frozenset({InspectionStatus.APPROVED, InspectionStatus.CANCELLED}),
    InspectionStatus.APPROVED: frozenset({InspectionStatus.DONE, InspectionStatus.CANCELLED}),
    InspectionStatus.DONE: frozenset(),
    InspectionStatus.CANCELLED: frozenset(),
}


class InspectionKind(models.TextChoices):
    ROUTINE = "routine", "日常检查"
    CAMPAIGN = "campaign", "专项整治检查"
    RANDOM = "random", "双随机抽查"
    COMPLAINT = "complaint", "投诉举报核查"
    REINSPECTION = "reinspection", "复查"


class HazardLevel(models.TextChoices):
    ORDINARY = "ordinary", "一般隐患"
    MAJOR = "major", "重大隐患"


class HazardStatus(models.TextChoices):
    OPEN = "open", "整改中"
    RECTIFIED = "rectified", "已整改"
    VERIFIED = "verified", "复查合格"


HAZARD_TRANSITIONS: dict[str, frozenset[str]] = {
    HazardStatus.OPEN: frozenset({HazardStatus.RECTIFIED}),
    HazardStatus.RECTIFIED: frozenset({HazardStatus.VERIFIED, HazardStatus.OPEN}),
    HazardStatus.VERIFIED: frozenset(),
}


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "待抽取"
    DRAWN = "drawn", "已抽取"
    PUBLISHED = "published", "结果已公示"


class RandomResult(models.TextChoices):
    PENDING = "", "待检查"
    OK = "ok", "未发现问题"
    FIXED = "fixed", "发现问题已责令整改"
    CASE = "case", "发现问题已立案查处"
    NOT_FOUND = "not_found", "通过登记的住所(经营场所)无法联系"
