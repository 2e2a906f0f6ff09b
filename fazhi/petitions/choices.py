"""Stable English values with Chinese labels, and the petition's transition table.

Status changes only through `petitions.services`, which consult `TRANSITIONS` before changing a
row; an illegal step raises a translated `ValidationError` naming both states.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models


class Channel(models.TextChoices):
    """《信访工作条例》第十七条: 信息网络、书信、电话、传真、走访."""

    VISIT = "visit", "走访"
    LETTER = "letter", "来信"
    ONLINE = "online", "网上信访"
    PHONE = "phone", "电话"
    FAX = "fax", "传真"


class Source(models.TextChoices):
    """How the matter reached the township."""

    DIRECT = "direct", "直接受理"
    FORWARDED = "forwarded", "上级转送"
    ASSIGNED = "assigned", "上级交办"
    VILLAGE = "village", "村级上报"


class Level(models.TextChoices):
    """三级化解: the level currently working on the matter."""

    VILLAGE = "village", "村级"
    TOWNSHIP = "township", "镇级"
    COUNTY = "county", "县级"


LEVEL_ORDER = [Level.VILLAGE, Level.TOWNSHIP, Level.COUNTY]


class Category(models.TextChoices):
    LAND = "land", "土地征收与山林权属"
    HOUSING = "housing", "城乡建设与住房"
    LABOUR = "labour", "劳动社保与欠薪"
    AGRICULTURE = "agriculture", "农业农村与惠农补贴"
    CIVIL_AFFAIRS = "civil_affairs", "民政与社会救助"
    ENVIRONMENT = "environment", "生态环境"
    NEIGHBOURS = "neighbours", "邻里与婚姻家庭纠纷"
    LAW_ENFORCEMENT = "law_enforcement", "行政执法与政法"
    VILLAGE_AFFAIRS = "village_affairs", "村务与干部作风"
    OTHER = "other", "其他"


class Status(models.TextChoices):
    REGISTERED = "registered", "已登记"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    OBJECTED = "objected", "已提出异议"
    ACCEPTED = "accepted", "办理中"
    OPINION_ISSUED = "opinion_issued", "已出具意见"
    SERVED = "served", "已送达"
    REVIEW = "review", "复查中"
    REVIEWED = "reviewed", "已复查"
    RECHECK = "recheck", "复核中"
    CLOSED = "closed", "已办结"
    ROUTED = "routed", "已导入法定途径"
    ESCALATED = "escalated", "已上交县级"


class Action(models.TextChoices):
    """The verbs of the loop (services of the same name)."""

    ACCEPT = "accept", "受理并告知"
    DECLINE = "decline", "不予受理"
    OBJECT = "object", "提出异议"
    EXTEND = "extend", "延长办理期限"
    ISSUE_OPINION = "issue_opinion", "出具处理意见书"
    SERVE = "serve", "送达处理意见书"
    REQUEST_REVIEW = "request_review", "登记复查申请"
    RECORD_REVIEW = "record_review", "登记复查意见"
    REQUEST_RECHECK = "request_recheck", "登记复核申请"
    RECORD_RECHECK = "record_recheck", "登记复核意见"
    CLOSE = "close", "办结归档"
    ROUTE = "route", "导入法定途径"
    ESCALATE = "escalate", "村级上交镇级"
    HAND_UP = "hand_up", "上交县级"
    TO_MEDIATION = "to_mediation", "转人民调解"
    RATE = "rate", "登记满意度评价"
    REISSUE_CODE = "reissue_code", "重新生成查询码"
    FLAG_BACKLOG = "flag_backlog", "列为积案"


#: (from status) → {action: to status}; actions that do not change the status map to the same.
TRANSITIONS: dict[str, dict[str, str]] = {
    Status.REGISTERED: {
        Action.ACCEPT: Status.ACCEPTED,
        Action.DECLINE: Status.NOT_ACCEPTED,
        Action.OBJECT: Status.OBJECTED,
        Action.ROUTE: Status.ROUTED,
        Action.ESCALATE: Status.REGISTERED,  # 三级化解: village → township stays here
        Action.HAND_UP: Status.ESCALATED,  # township → county ends the township's handling
        Action.TO_MEDIATION: Status.REGISTERED,
        Action.FLAG_BACKLOG: Status.REGISTERED,
    },
    Status.ACCEPTED: {
        Action.EXTEND: Status.ACCEPTED,
        Action.ISSUE_OPINION: Status.OPINION_ISSUED,
        Action.ROUTE: Status.ROUTED,
        Action.ESCALATE: Status.ACCEPTED,
        Action.HAND_UP: Status.ESCALATED,
        Action.TO_MEDIATION: Status.ACCEPTED,
        Action.FLAG_BACKLOG: Status.ACCEPTED,
    },
    Status.OPINION_ISSUED: {
        Action.SERVE: Status.SERVED,
        Action.FLAG_BACKLOG: Status.OPINION_ISSUED,
    },
    Status.SERVED: {
        Action.REQUEST_REVIEW: Status.REVIEW,
        Action.CLOSE: Status.CLOSED,
        Action.RATE: Status.SERVED,
        Action.FLAG_BACKLOG: Status.SERVED,
    },
    Status.REVIEW: {
        Action.RECORD_REVIEW: Status.REVIEWED,
        Action.RATE: Status.REVIEW,
        Action.FLAG_BACKLOG: Status.REVIEW,
    },
    Status.REVIEWED: {
        Action.REQUEST_RECHECK: Status.RECHECK,
        Action.CLOSE: Status.CLOSED,
        Action.RATE: Status.REVIEWED,
        Action.FLAG_BACKLOG: Status.REVIEWED,
    },
    Status.RECHECK: {
        Action.RECORD_RECHECK: Status.CLOSED,
        Action.RATE: Status.RECHECK,
        Action.FLAG_BACKLOG: Status.RECHECK,
    },
    Status.CLOSED: {Action.RATE: Status.CLOSED, Action.FLAG_BACKLOG: Status.CLOSED},
    Status.NOT_ACCEPTED: {},
    Status.OBJECTED: {},
    Status.ROUTED: {},
    Status.ESCALATED: {},
}

#: Actions allowed in any status (they change no status and no statutory step).
ANY_STATUS_ACTIONS = frozenset({Action.REISSUE_CODE})

#: terminal states: nothing but the code reissue may follow
TERMINAL = frozenset(s for s, actions in TRANSITIONS.items() if not actions)

#: handling has concluded (办结): the opinion was served, or the matter went to a legal channel
CONCLUDED = frozenset(
    {
        Status.SERVED,
        Status.REVIEW,
        Status.REVIEWED,
        Status.RECHECK,
        Status.CLOSED,
        Status.ROUTED,
    }
)

#: the opinion has been served, so the petitioner may rate it (once)
RATABLE = frozenset({Status.SERVED, Status.REVIEW, Status.REVIEWED, Status.RECHECK, Status.CLOSED})


def allowed_actions(status: str) -> list[str]:
    return [*TRANSITIONS.get(status, {}), *ANY_STATUS_ACTIONS]


def next_status(status: str, action: str) -> str:
    """The status after `action`, or a ValidationError naming the current state."""
    if action in ANY_STATUS_ACTIONS:
        return status
    target = TRANSITIONS.get(status, {}).get(action)
    if target is None:
        raise ValidationError(
            f"当前状态为“{Status(status).label}”，不能执行“{Action(action).label}”。"
        )
    return target


class NotAcceptedReason(models.TextChoices):
    """Common grounds for 不予受理 (free text required besides)."""

    NOT_COMPETENT = "not_competent", "不属于本机关职权范围"
    LEGAL_CHANNEL = "legal_channel", "应当通过法定途径解决"
    CONCLUDED = "concluded", "已经复核终结的同一事项"
    IN_PROGRESS = "in_progress", "同一事项正在办理中"
    UNCLEAR = "unclear", "信访人姓名(名称)或住址不清"
    OTHER = "other", "其他"


class Outcome(models.TextChoices):
    """《信访工作条例》第三十二条."""

    SUPPORT = "support", "支持"
    EXPLAIN = "explain", "解释说明"
    NOT_SUPPORT = "not_support", "不予支持"


class OpinionLevel(models.TextChoices):
    HANDLING = "handling", "处理意见"
    REVIEW = "review", "复查意见"
    RECHECK = "recheck", "复核意见"


class ServiceMethod(models.TextChoices):
    DIRECT = "direct", "直接送达"
    POST = "post", "邮寄送达"
    ONLINE = "online", "网上答复"
    LEFT = "left", "留置送达"
    OTHER = "other", "其他方式"


class LegalRoute(models.TextChoices):
    """《信访工作条例》第三十一条第(一)至(五)项."""

    LITIGATION = "litigation", "诉讼"
    ARBITRATION = "arbitration", "仲裁"
    RECONSIDERATION = "reconsideration", "行政复议"
    LICENSING = "licensing", "行政许可"
    PENALTY = "penalty", "行政处罚"
    ADJUDICATION = "adjudication", "行政裁决"
    DISCIPLINE = "discipline", "纪检监察"
    OTHER = "other", "其他法定途径"


class Satisfaction(models.TextChoices):
    """The rating scale: a configurable default (REGULATIONS.md §4: [U])."""

    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class RatingChannel(models.TextChoices):
    PORTAL = "portal", "网上查询评价"
    FOLLOW_UP = "follow_up", "回访"
    PHONE = "phone", "电话"
    ON_SITE = "on_site", "现场"


class PartyRole(models.TextChoices):
    PETITIONER = "petitioner", "信访人"
    REPRESENTATIVE = "representative", "代表"
    CO_PETITIONER = "co_petitioner", "共同信访人"


class TransferKind(models.TextChoices):
    ESCALATION = "escalation", "逐级上交"
    TO_MEDIATION = "to_mediation", "转人民调解"
    ROUTE = "route", "导入法定途径"


class ReceptionKind(models.TextChoices):
    RECEPTION = "reception", "领导接访"
    VISIT = "visit", "领导下访"


class BacklogStatus(models.TextChoices):
    OPEN = "open", "化解中"
    RESOLVED = "resolved", "已化解"
