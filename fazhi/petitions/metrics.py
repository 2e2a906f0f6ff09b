"""Petition metrics (the indicator registry) and the statistics table by channel × status.

Cohorts, stated once:
- registered: petitions received (收到日期) in the period;
- accepted: petitions accepted (受理日期) in the period, except those handed up to the county
  (上交县级), which the township no longer concludes;
- rated: ratings given (评价日期) in the period.
A figure for a past period does not change later: every condition is bounded by the period end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone

from fazhi.indicators.registry import COUNT, RATE, Metric, Period, Rows, register
from fazhi.petitions import rules
from fazhi.petitions.choices import CONCLUDED, Channel, Status
from fazhi.petitions.models import BacklogCase, Petition

CITATION = "《信访工作条例》"


def _period(field: str) -> Any:
    return lambda p: Q(**{f"{field}__gte": p.start, f"{field}__lte": p.end})


def _due(field: str, period: Period) -> Q:
    """Due by the period's end; while the period runs, only what is already overdue today (a
    deadline still running is neither on time nor late yet)."""
    today = timezone.localdate()
    if period.end < today:
        return Q(**{f"{field}__lte": period.end})
    return Q(**{f"{field}__lt": today})


# Declared with Rows: every figure of a table comes from one aggregate (docs/indicators.md).
_SHOWN = ("township", "petitioner")
registered = Rows(Petition, _period("received_on"), select_related=_SHOWN)
repeats = registered.narrow(lambda p: Q(same_matter_as__isnull=False))
accepted = Rows(
    Petition,
    lambda p: _period("accepted_on")(p) & ~Q(status=Status.ESCALATED),
    select_related=_SHOWN,
)
concluded = accepted.narrow(lambda p: Q(concluded_on__lte=p.end))
#: accepted in the period and either concluded by its end or due (see `_due`)
due_for_conclusion = accepted.narrow(
    lambda p: Q(concluded_on__lte=p.end) | _due("handling_due_on", p)
)
concluded_on_time = due_for_conclusion.narrow(
    lambda p: Q(concluded_on__lte=p.end) & Q(concluded_on__lte=F("handling_due_on"))
)
#: received in the period and decided (受理/不予受理/异议/导入) by its end or due by its end; a
#: matter handed up before any decision is not counted
due_for_decision = registered.narrow(
    lambda p: (
        (Q(decided_on__lte=p.end) | _due("acceptance_due_on", p))
        & ~Q(status=Status.ESCALATED, decided_on__isnull=True)
    )
)
decided_on_time = due_for_decision.narrow(
    lambda p: (
        (
            (~Q(status=Status.OBJECTED) & Q(decided_on__lte=F("acceptance_due_on")))
            | Q(status=Status.OBJECTED, decided_on__lte=F("objection_due_on"))
        )
        & Q(decided_on__lte=p.end)
    )
)
rated = Rows(
    Petition,
    lambda p: _period("rated_on")(p) & ~Q(satisfaction=""),
    select_related=_SHOWN,
)
satisfied = rated.narrow(lambda p: Q(satisfaction__in=rules.SATISFIED_LEVELS))
backlog_resolved = Rows(BacklogCase, _period("resolved_on"), select_related=("petition", "owner"))


REGISTERED = register(
    Metric(
        "petitions.registered",
        "登记信访件数",
        "件",
        COUNT,
        registered,
        citation=f"{CITATION}第二十二条、第二十三条",
        definition="期内收到并登记的信访事项（含不予受理、转送交办后提出异议的）。",
        aliases=("信访件数", "登记信访", "信访事项", "信访案件"),
    )
)
ACCEPTED = register(
    Metric(
        "petitions.accepted",
        "受理(办理)信访件数",
        "件",
        COUNT,
        accepted,
        citation=f"{CITATION}第二十三条、第三十四条",
        definition="期内受理的信访事项（已上交县级的除外）。",
        aliases=("办理信访案件", "依法办理信访案件", "受理信访"),
        report_section="measures",
        report_topic="信访工作法治化",
        report_phrase="依法办理信访案件{value}件",
    )
)
ACCEPTED_ON_TIME = register(
    Metric(
        "petitions.accepted_on_time_rate",
        "受理及时率",
        "%",
        RATE,
        due_for_decision,
        numerator_records=decided_on_time,
        citation=f"{CITATION}第二十三条",
        definition=(
            "分母：期内收到、期末前已作出受理决定（受理、不予受理、异议或导入法定途径）"
            "或受理告知期限已届满的事项；分子：其中在15日受理告知期限内（转送交办事项提出异议的，"
            "在5个工作日内）作出决定的。"
        ),
        aliases=("受理及时率", "及时受理率"),
    )
)
CLOSED_ON_TIME = register(
    Metric(
        "petitions.closed_on_time_rate",
        "按期办结率",
        "%",
        RATE,
        due_for_conclusion,
        numerator_records=concluded_on_time,
        citation=f"{CITATION}第三十四条",
        definition=(
            "分母：期内受理、期末前已办结或办理期限（60日，经批准延期的含延长期限）已届满的事项；"
            "分子：其中在办理期限内办结（处理意见书送达或导入法定途径）的。"
        ),
        aliases=("按期办结率", "按时办结率"),
        report_section="measures",
        report_topic="信访工作法治化",
        report_phrase="按期办结率{display}",
    )
)
CLOSURE = register(
    Metric(
        "petitions.closure_rate",
        "信访办结率",
        "%",
        RATE,
        accepted,
        numerator_records=concluded,
        citation=f"{CITATION}第三十四条",
        definition=(
            "分母：期内受理的信访事项（已上交县级的除外）；分子：其中期末前已办结的"
            "（处理意见书已送达，或已导入诉讼、仲裁、复议等法定途径）。"
        ),
        aliases=("办结率", "信访办结率", "信访案件办结率"),
        report_section="measures",
        report_topic="信访工作法治化",
        report_phrase="办结率{display}",
    )
)
SATISFACTION = register(
    Metric(
        "petitions.satisfaction_rate",
        "信访群众满意率",
        "%",
        RATE,
        rated,
        numerator_records=satisfied,
        citation=f"{CITATION}第二十一条（评价办法待确认）",
        definition=(
            "分母：期内作出满意度评价的事项（未评价的不计入）；分子：其中评价为“满意”或"
            "“基本满意”的（评价等级为待确认的默认值）。"
        ),
        aliases=("满意率", "群众满意率", "信访满意率"),
        report_section="measures",
        report_topic="信访工作法治化",
        report_phrase="群众满意率{display}",
    )
)
REPEAT = register(
    Metric(
        "petitions.repeat_rate",
        "重复信访率",
        "%",
        RATE,
        registered,
        numerator_records=repeats,
        citation=f"{CITATION}第三十六条",
        definition="分母：期内登记的信访事项；分子：其中同一信访人就同一事项再次信访的。",
        aliases=("重复信访率", "重复访"),
        higher_is_better=False,
    )
)
BACKLOG_RESOLVED = register(
    Metric(
        "petitions.backlog_resolved",
        "信访积案化解数",
        "件",
        COUNT,
        backlog_resolved,
        definition="期内化解的信访积案（积案“清零”行动）。",
        aliases=("积案化解", "化解信访积案"),
    )
)


# --- the statistics table: channel × status -------------------------------------------------
@dataclass(frozen=True)
class Column:
    key: str
    label: str
    q: Q
    visits_only: bool = False
    sum_field: str | None = None


COLUMNS: tuple[Column, ...] = (
    Column("total", "登记件数", Q()),
    Column("group", "其中集体访(批次)", Q(is_group=True), visits_only=True),
    Column("visitors", "来访人次", Q(), visits_only=True, sum_field="visitor_count"),
    Column("registered", "待受理", Q(status=Status.REGISTERED)),
    Column("not_accepted", "不予受理", Q(status=Status.NOT_ACCEPTED)),
    Column("objected", "提出异议", Q(status=Status.OBJECTED)),
    Column("accepted", "受理", Q(accepted_on__isnull=False)),
    Column("handling", "办理中", Q(status__in=[Status.ACCEPTED, Status.OPINION_ISSUED])),
    Column("concluded", "已办结", Q(status__in=CONCLUDED)),
    Column(
        "on_time",
        "其中按期办结",
        Q(status__in=CONCLUDED, accepted_on__isnull=False)
        & Q(concluded_on__lte=F("handling_due_on")),
    ),
    Column("routed", "导入法定途径", Q(status=Status.ROUTED)),
    Column("review", "申请复查", Q(review_requested_on__isnull=False)),
    Column("recheck", "申请复核", Q(recheck_requested_on__isnull=False)),
    Column("escalated", "上交县级", Q(status=Status.ESCALATED)),
    Column("rated", "已评价", ~Q(satisfaction="")),
    Column("satisfied", "满意(含基本满意)", Q(satisfaction__in=rules.SATISFIED_LEVELS)),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}


def cell_records(township: Any, period: Period, channel: str | None, column: str) -> QuerySet:
    """The petitions behind one cell (channel None: the 合计 row)."""
    col = COLUMN_BY_KEY[column]
    qs = registered(township, period).filter(col.q)
    if channel:
        qs = qs.filter(channel=channel)
    elif col.visits_only:
        qs = qs.filter(channel=Channel.VISIT)
    return qs


@dataclass
class StatsRow:
    channel: str | None
    label: str
    cells: list[tuple[Column, int | None]]


def channel_status_table(township: Any, period: Period) -> list[StatsRow]:
    """Rows by channel (走访 first, as the line system's forms list it), then 合计; a cell of a
    column that only applies to visits is None for the other channels."""
    rows: list[StatsRow] = []
    for channel, label in [(c.value, c.label) for c in Channel] + [(None, "合计")]:
        cells: list[tuple[Column, int | None]] = []
        for col in COLUMNS:
            if col.visits_only and channel not in (Channel.VISIT, None):
                cells.append((col, None))
                continue
            qs = cell_records(township, period, channel, col.key)
            if col.sum_field:
                value = qs.aggregate(total=Sum(col.sum_field))["total"] or 0
            else:
                value = qs.count()
            cells.append((col, value))
        rows.append(StatsRow(channel, label, cells))
    return rows
