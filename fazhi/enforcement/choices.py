"""Stable English values with Chinese labels (never store labels), and the transition table of
an enforcement case, declared next to the choices (STYLE.md §3)."""

from django.db import models


class BodyKind(models.TextChoices):
    TOWNSHIP = "township", "乡镇人民政府（赋权事项）"
    COMPREHENSIVE = "comprehensive", "综合行政执法机构"
    DISPATCHED = "dispatched", "县级部门派驻机构"
    ENTRUSTED = "entrusted", "受委托组织"


class PowerCategory(models.TextChoices):
    PENALTY = "penalty", "行政处罚"
    LICENCE = "licence", "行政许可"
    COERCION = "coercion", "行政强制"
    INSPECTION = "inspection", "行政检查"
    OTHER = "other", "其他"


class PowerSource(models.TextChoices):
    DELEGATED = "delegated", "省级决定赋权（行政处罚法第二十四条）"
    ENTRUSTED = "entrusted", "委托（行政处罚法第二十条）"
    STATUTORY = "statutory", "法律法规直接规定"


class OfficerKind(models.TextChoices):
    OFFICER = "officer", "行政执法人员"
    AUXILIARY = "auxiliary", "执法辅助人员"
    GRID = "grid", "网格员"


#: kinds that may never inspect or handle a case on their own (国办发〔2024〕54号)
NON_ENFORCING_KINDS = frozenset({OfficerKind.AUXILIARY, OfficerKind.GRID})


class CertificateStatus(models.TextChoices):
    VALID = "valid", "有效"
    SUSPENDED = "suspended", "暂扣"
    CANCELLED = "cancelled", "注销"
    REVOKED = "revoked", "吊销"


class CertificateState(models.TextChoices):
    """Computed for a day (status + dates + yearly check); never stored."""

    VALID = "valid", "有效"
    EXPIRING = "expiring", "即将到期"
    EXPIRED = "expired", "已过期"
    UNCHECKED = "unchecked", "未年审"
    INVALID = "invalid", "暂扣/注销/吊销"
    NOT_YET = "not_yet", "尚未生效"
