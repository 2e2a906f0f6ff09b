"""The steps of a major administrative decision (《重大行政决策程序暂行条例》, REGULATIONS.md §5)."""

from __future__ import annotations

from django.db import models


class Status(models.TextChoices):
    DRAFTING = "drafting", "启动（起草）"
    CONSULTING = "consulting", "公众参与"
    ARGUING = "arguing", "专家论证、风险评估"
    REVIEWING = "reviewing", "合法性审查"
    DISCUSSION = "discussion", "待集体讨论"
    DECIDED = "decided", "已集体讨论决定"
    PUBLISHED = "published", "已公布"
    EXECUTING = "executing", "执行中"
    EVALUATED = "evaluated", "已后评估"
    ARCHIVED = "archived", "已归档"
    DROPPED = "dropped", "未通过(终止)"
    SUSPENDED = "suspended", "中止执行"


ORDER = [
    Status.DRAFTING,
    Status.CONSULTING,
    Status.ARGUING,
    Status.REVIEWING,
    Status.DISCUSSION,
    Status.DECIDED,
    Status.PUBLISHED,
    Status.EXECUTING,
    Status.EVALUATED,
    Status.ARCHIVED,
]


#: a decision made (and possibly in force): the only kind a later decision can adjust or stop
MADE = frozenset(
    {
        Status.DECIDED,
        Status.PUBLISHED,
        Status.EXECUTING,
        Status.EVALUATED,
        Status.ARCHIVED,
        Status.SUSPENDED,
    }
)


class AdjustmentKind(models.TextChoices):
    """How a decision adjusts an earlier one (条例第三十七条: 未经法定程序不得随意变更或者停止执行;
    需要作出重大调整的，应当依照本条例履行相关法定程序)."""

    NONE = "", "不是对原决策的调整"
    CHANGE = "change", "变更原决策"
    STOP = "stop", "停止执行原决策"


class MeetingKind(models.TextChoices):
    EXECUTIVE = "executive", "镇政府常务会议"
    PLENARY = "plenary", "镇政府全体会议"


class Outcome(models.TextChoices):
    ADOPTED = "adopted", "通过"
    MODIFIED = "modified", "修改后通过"
    REJECTED = "rejected", "不予通过"
    DEFERRED = "deferred", "暂缓决策"


class Adoption(models.TextChoices):
    PENDING = "", "待研究"
    ADOPTED = "adopted", "采纳"
    PARTLY = "partly", "部分采纳"
    NOT_ADOPTED = "not_adopted", "不采纳"


class CommentChannel(models.TextChoices):
    PORTAL = "portal", "网上征求意见"
    LETTER = "letter", "书面意见"
    FORUM = "forum", "座谈会"
    HEARING = "hearing", "听证会"
    VISIT = "visit", "实地走访"
