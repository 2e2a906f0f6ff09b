"""Stable English values with Chinese labels (never store labels), and the status transition
table of a dispute, declared next to the choices (STYLE.md §3)."""

from django.db import models


class CommitteeLevel(models.TextChoices):
    VILLAGE = "village", "村(社区)人民调解委员会"
    TOWNSHIP = "township", "乡镇(街道)人民调解委员会"
    SPECIAL = "special", "行业性、专业性调解组织"


class MediatorKind(models.TextChoices):
    FULL_TIME = "full_time", "专职调解员"
    PART_TIME = "part_time", "兼职调解员"
    LAWYER = "lawyer", "驻村律师(法律顾问)"
    LEGAL_LITERATE = "legal_literate", "法律明白人"
    SAGE = "sage", "乡贤"
    OTHER_INVITED = "other_invited", "其他受邀人员"


#: invited helpers (人民调解法 第二十条): they assist, the committee's mediators mediate
INVITED_KINDS = frozenset(
    {
        MediatorKind.LAWYER,
        MediatorKind.LEGAL_LITERATE,
        MediatorKind.SAGE,
        MediatorKind.OTHER_INVITED,
    }
)


class DisputeSource(models.TextChoices):
    SCREENING = "screening", "排查发现"
    GRID = "grid", "网格上报"
    WALK_IN = "walk_in", "群众来访"
    PETITION = "petition", "信访转入"
    POLICE = "police", "公安转入"
    COURT = "court", "法院转入"
    OTHER_BODY = "other_body", "其他部门移交"


class DisputeType(models.TextChoices):
    """The categories of the 人民调解 statistical report (司法部人民调解工作统计)."""

    MARRIAGE_FAMILY = "marriage_family", "婚姻家庭纠纷"
    NEIGHBOUR = "neighbour", "邻里纠纷"
    LAND_CONTRACT = "land_contract", "土地承包经营纠纷"
    HOMESTEAD = "homestead", "房屋宅基地纠纷"
    LAND_ACQUISITION = "land_acquisition", "征地拆迁纠纷"
    FOREST_WATER = "forest_water", "山林水利纠纷"
    CONTRACT = "contract", "合同纠纷"
    LABOUR = "labour", "劳动争议纠纷"
    DAMAGES = "damages", "损害赔偿纠纷"
    TRAFFIC = "traffic", "道路交通事故纠纷"
    MEDICAL = "medical", "医疗纠纷"
    PROPERTY = "property", "物业纠纷"
    ENVIRONMENT = "environment", "环境污染纠纷"
    BUSINESS = "business", "生产经营纠纷"
    OTHER = "other", "其他纠纷"


class RiskLevel(models.TextChoices):
    LOW = "low", "一般"
    MEDIUM = "medium", "较大"
    HIGH = "high", "重大"


class DisputeStatus(models.TextChoices):
    REGISTERED = "registered", "已登记"
    MEDIATING = "mediating", "调解中"
    SUCCEEDED = "succeeded", "调解成功"
    FAILED = "failed", "调解不成"
    TERMINATED = "terminated", "终止调解"
    TRANSFERRED = "transferred", "转诉讼·仲裁·行政处理"


#: the outcomes (办结); everything else is open
OUTCOMES = (
    DisputeStatus.SUCCEEDED,
    DisputeStatus.FAILED,
    DisputeStatus.TERMINATED,
    DisputeStatus.TRANSFERRED,
)
OPEN_STATUSES = (DisputeStatus.REGISTERED, DisputeStatus.MEDIATING)

#: status → statuses it may change to. 调解不成 may still be routed on (人民调解法 第二十六条:
#: the parties are told of arbitration, administrative and judicial routes); the others are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    DisputeStatus.REGISTERED: frozenset(
        {DisputeStatus.MEDIATING, DisputeStatus.TERMINATED, DisputeStatus.TRANSFERRED}
    ),
    DisputeStatus.MEDIATING: frozenset(
        {
            DisputeStatus.SUCCEEDED,
            DisputeStatus.FAILED,
            DisputeStatus.TERMINATED,
            DisputeStatus.TRANSFERRED,
        }
    ),
    DisputeStatus.SUCCEEDED: frozenset(),
    DisputeStatus.FAILED: frozenset({DisputeStatus.TRANSFERRED}),
    DisputeStatus.TERMINATED: frozenset(),
    DisputeStatus.TRANSFERRED: frozenset(),
}


class TransferRoute(models.TextChoices):
    LITIGATION = "litigation", "诉讼"
    ARBITRATION = "arbitration", "仲裁"
    ADMINISTRATIVE = "administrative", "行政处理"
    ADMIN_MEDIATION = "admin_mediation", "行政调解"
    JUDICIAL_MEDIATION = "judicial_mediation", "司法调解(诉调对接)"
    PETITION = "petition", "信访渠道"
    POLICE = "police", "公安机关"


class TerminationReason(models.TextChoices):
    REFUSED = "refused", "一方明确拒绝调解(第十七条)"
    WITHDREW = "withdrew", "当事人要求终止调解(第二十三条)"
    SETTLED = "settled", "当事人自行和解"
    OTHER = "other", "其他"


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", "申请人"
    RESPONDENT = "respondent", "被申请人"
    THIRD = "third", "第三人"


class SessionResult(models.TextChoices):
    CONTINUE = "continue", "继续调解"
    AGREED = "agreed", "达成协议"
    FAILED = "failed", "未达成协议"


class Performance(models.TextChoices):
    PENDING = "pending", "尚未履行"
    PARTIAL = "partial", "正在履行(部分履行)"
    DONE = "done", "已全部履行"
    REFUSED = "refused", "拒不履行"


class VisitMethod(models.TextChoices):
    HOME = "home", "上门回访"
    PHONE = "phone", "电话回访"
    OFFICE = "office", "来所回访"


class CourtConfirmation(models.TextChoices):
    NOT_YET = "not_yet", "尚未申请"
    APPLIED = "applied", "已申请"
    CONFIRMED = "confirmed", "已确认有效"
    REJECTED = "rejected", "法院不予确认"
    DECLINED = "declined", "当事人不申请"


class WarningKind(models.TextChoices):
    REPEAT_PARTY = "repeat_party", "当事人反复涉纠纷"
    VIOLENCE = "violence", "暴力或民转刑风险"
    OVERDUE = "overdue", "超期未结"
    GROUP = "group", "群体性纠纷"


class WarningStatus(models.TextChoices):
    OPEN = "open", "待处置"
    HANDLED = "handled", "已处置"


WARNING_TRANSITIONS: dict[str, frozenset[str]] = {
    WarningStatus.OPEN: frozenset({WarningStatus.HANDLED}),
    WarningStatus.HANDLED: frozenset(),
}


class WarningAction(models.TextChoices):
    VISITED = "visited", "已上门稳控"
    MEDIATED = "mediated", "已组织调解"
    REPORTED_POLICE = "reported_police", "已报告公安机关(第二十五条)"
    ESCALATED = "escalated", "已上报镇(街道)"
    REFERRED = "referred", "已移交相关部门"
    NO_RISK = "no_risk", "核实无风险"


class BacklogIntake(models.TextChoices):
    ON_SITE = "on_site", "座谈会现场受理"
    COLLECTED = "collected", "收集梳理"


class BacklogStatus(models.TextChoices):
    PENDING = "pending", "待化解"
    RESOLVED = "resolved", "已化解"
    ARCHIVED = "archived", "已归档"


class BacklogResolution(models.TextChoices):
    ON_SITE = "on_site", "现场化解"
    BY_VISIT = "by_visit", "走访下访化解"


BACKLOG_TRANSITIONS: dict[str, frozenset[str]] = {
    BacklogStatus.PENDING: frozenset({BacklogStatus.RESOLVED}),
    BacklogStatus.RESOLVED: frozenset({BacklogStatus.ARCHIVED}),
    BacklogStatus.ARCHIVED: frozenset(),
}


class LinkageChannel(models.TextChoices):
    ADMIN_MEDIATION = "admin_mediation", "行政调解"
    JUDICIAL_MEDIATION = "judicial_mediation", "司法调解"
    COURT_DOCKING = "court_docking", "诉调对接"
    POLICE_DOCKING = "police_docking", "警调对接"
    PETITION_DOCKING = "petition_docking", "访调对接"


class LinkageDirection(models.TextChoices):
    IN = "in", "转入"
    OUT = "out", "转出"
