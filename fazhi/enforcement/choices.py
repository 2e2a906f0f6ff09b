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


class Procedure(models.TextChoices):
    ORDINARY = "ordinary", "普通程序"
    SUMMARY = "summary", "简易程序（当场处罚）"


class PartyKind(models.TextChoices):
    PERSON = "person", "自然人"
    ORGANISATION = "organisation", "法人或其他组织"


class CaseStatus(models.TextChoices):
    FILED = "filed", "已立案（调查取证）"
    NOTIFIED = "notified", "已告知（陈述申辩）"
    HEARING = "hearing", "听证"
    REVIEW = "review", "法制审核"
    DECIDED = "decided", "已决定"
    SERVED = "served", "已送达（执行）"
    CLOSED = "closed", "已结案"
    TERMINATED = "terminated", "撤销立案/移送"


CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.FILED: frozenset({CaseStatus.NOTIFIED, CaseStatus.TERMINATED}),
    CaseStatus.NOTIFIED: frozenset(
        {CaseStatus.HEARING, CaseStatus.REVIEW, CaseStatus.DECIDED, CaseStatus.TERMINATED}
    ),
    CaseStatus.HEARING: frozenset({CaseStatus.REVIEW, CaseStatus.DECIDED}),
    # a failed review sends the case back to investigation
    CaseStatus.REVIEW: frozenset({CaseStatus.DECIDED, CaseStatus.FILED}),
    CaseStatus.DECIDED: frozenset({CaseStatus.SERVED}),
    CaseStatus.SERVED: frozenset({CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
    CaseStatus.TERMINATED: frozenset(),
}

OPEN_STATUSES = frozenset(
    {
        CaseStatus.FILED,
        CaseStatus.NOTIFIED,
        CaseStatus.HEARING,
        CaseStatus.REVIEW,
        CaseStatus.DECIDED,
        CaseStatus.SERVED,
    }
)


class Outcome(models.TextChoices):
    PENALTY = "penalty", "给予行政处罚"
    NO_PENALTY = "no_penalty", "不予行政处罚"
    TRANSFER = "transfer", "移送司法机关"
    OTHER = "other", "其他处理决定"


class RecordStep(models.TextChoices):
    """Steps of the full-process record (行政处罚法 第四十七条)."""

    START = "start", "启动（立案）"
    INVESTIGATION = "investigation", "调查取证"
    ON_SITE = "on_site", "现场执法"
    SEIZURE = "seizure", "查封扣押财产"
    DEMOLITION = "demolition", "强制拆除"
    HEARING = "hearing", "听证"
    REVIEW = "review", "审核"
    DECISION = "decision", "决定"
    SERVICE = "service", "送达"
    SERVICE_LEFT = "service_left", "留置送达"
    EXECUTION = "execution", "执行"


#: steps that cannot be recorded without audio or video (REGULATIONS.md §2.2 [S])
AV_REQUIRED_STEPS = frozenset({RecordStep.SEIZURE, RecordStep.DEMOLITION})


class RecordForm(models.TextChoices):
    TEXT = "text", "文字记录"
    PHOTO = "photo", "照相"
    AUDIO = "audio", "录音"
    VIDEO = "video", "录像"


class ReviewTrigger(models.TextChoices):
    """Why a decision needs 法制审核 (行政处罚法 第五十八条; 118号)."""

    LIST = "list", "列入本单位重大执法决定法制审核目录"
    PUBLIC_INTEREST = "public_interest", "涉及重大公共利益"
    HEARING = "hearing", "直接关系当事人重大权益且经过听证"
    COMPLEX = "complex", "案件情况疑难复杂、涉及多个法律关系"
    MAJOR_FINE = "major_fine", "较大数额罚款（本地目录）"
    LAW = "law", "法律、法规规定应当审核"


# --- supervision (行政执法监督条例, 国务院令第825号) ----------------------------------------
class SupervisionKind(models.TextChoices):
    ROUTINE = "routine", "日常监督"
    THEMATIC = "thematic", "专项监督"
    SINGLE_CASE = "single_case", "个案监督"


class SupervisionSubject(models.TextChoices):
    BODY = "body", "执法主体"
    CASE = "case", "执法案件"
    INSPECTION = "inspection", "涉企检查"


class SupervisorLevel(models.TextChoices):
    TOWNSHIP = "township", "乡镇司法所"
    COUNTY = "county", "县级司法行政部门"


class MatterStatus(models.TextChoices):
    OPEN = "open", "监督中"
    CLOSED = "closed", "已办结"


class OpinionStatus(models.TextChoices):
    ISSUED = "issued", "待整改"
    REPORTED = "reported", "已反馈待确认"
    ACCEPTED = "accepted", "整改完成"


class RiskSignal(models.TextChoices):
    CASE_OVERDUE = "case_overdue", "案件超过办案期限未决定"
    REVIEW_MISSING = "review_missing", "应审未审（缺少法制审核）"
    DISCLOSURE_LATE = "disclosure_late", "执法决定逾期未公示或公示迟延"
    INSPECTION_OVER_CAP = "inspection_over_cap", "涉企检查超频次"
    UNCERTIFIED_OFFICER = "uncertified_officer", "无有效执法证件人员承办案件"
