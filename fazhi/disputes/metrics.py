"""Figures of people's mediation, registered in the indicator registry (the only place they
are computed). Each names the records it counts; rates state numerator and denominator.

Definitions (docs/disputes.md explains the choice):
- 排查件数 (screened): disputes registered (登记日期) in the period, from every source — screening
  campaigns, grid reports, walk-ins and transfers. Township reports use "排查矛盾纠纷N件" for all
  disputes found, and the line statistics count all of them.
- 化解件数 (resolved): of those, the ones concluded as 调解成功 by the period's end.
- 化解成功率 = 化解件数 ÷ 排查件数 (调解成功 ÷ 登记受理): REGULATIONS.md §6 gives usual practice as
  调解成功件数 ÷ 调解(受理)纠纷总件数, and the seed reports use it (化工镇 105/121 = 86.8% ≈ 87%).
  Open cases stay in the denominator: a case not yet resolved is not a success.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from fazhi.core.models import Village
from fazhi.disputes import choices as c
from fazhi.disputes.models import (
    BacklogCase,
    Dispute,
    EarlyWarning,
    MediationCommittee,
    Mediator,
    MediatorTraining,
)
from fazhi.indicators.registry import COUNT, RATE, Metric, Period, Rows, register

CITATION = "《人民调解法》"


def _between(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


# Declared with Rows: every figure of a table comes from one aggregate (docs/indicators.md).
screened = Rows(Dispute, lambda p: _between("received_on", p))
resolved = screened.narrow(lambda p: Q(status=c.DisputeStatus.SUCCEEDED, concluded_on__lte=p.end))
concluded = screened.narrow(lambda p: Q(status__in=c.OUTCOMES, concluded_on__lte=p.end))
trainings = Rows(MediatorTraining, lambda p: _between("held_on", p))
mediators = Rows(
    Mediator,
    lambda p: (
        (Q(appointed_on__isnull=True) | Q(appointed_on__lte=p.as_of))
        & Q(is_active=True)
        & ~Q(kind__in=c.INVITED_KINDS)
    ),
)
villages = Rows(Village)


def _committee(period: Period) -> Q:
    committees = MediationCommittee.objects.filter(
        Q(established_on__isnull=True) | Q(established_on__lte=period.as_of),
        village=OuterRef("pk"),
        level=c.CommitteeLevel.VILLAGE,
        is_active=True,
    )
    return Q(Exists(committees))


villages_with_committee = villages.narrow(_committee)
backlog_collected = Rows(
    BacklogCase,
    lambda p: _between("collected_on", p) & Q(intake=c.BacklogIntake.COLLECTED),
)
backlog_resolved = Rows(BacklogCase, lambda p: _between("resolved_on", p) & Q(resolution__gt=""))
backlog_resolved_on_site = backlog_resolved.narrow(
    lambda p: Q(resolution=c.BacklogResolution.ON_SITE)
)
backlog_resolved_by_visit = backlog_resolved.narrow(
    lambda p: Q(resolution=c.BacklogResolution.BY_VISIT)
)
backlog_archived = Rows(BacklogCase, lambda p: _between("archived_on", p))
warnings = Rows(EarlyWarning, lambda p: _between("raised_on", p))
warnings_handled = warnings.narrow(
    lambda p: Q(status=c.WarningStatus.HANDLED, handled_on__lte=p.end)
)


register(
    Metric(
        "disputes.screened",
        "排查矛盾纠纷件数",
        "件",
        COUNT,
        screened,
        aliases=("排查矛盾纠纷", "排查化解矛盾纠纷", "排查各类矛盾纠纷"),
        definition="期内登记的矛盾纠纷（按登记日期），含排查发现、网格上报、群众来访、信访/公安/法院转入。",
        report_section="measures",
        report_topic="矛盾纠纷化解",
        report_phrase="全镇排查化解矛盾纠纷{value}件",
    )
)
register(
    Metric(
        "disputes.resolved",
        "成功化解矛盾纠纷件数",
        "件",
        COUNT,
        resolved,
        aliases=("成功化解", "化解矛盾纠纷", "调解成功"),
        definition="期内登记的矛盾纠纷中，至期末已以“调解成功”办结的件数。",
        report_section="measures",
        report_topic="矛盾纠纷化解",
        report_phrase="成功化解{value}件",
    )
)
register(
    Metric(
        "disputes.concluded",
        "办结矛盾纠纷件数",
        "件",
        COUNT,
        concluded,
        definition="期内登记的矛盾纠纷中，至期末已办结（调解成功、调解不成、终止、转诉讼·仲裁·行政处理）的件数。",
    )
)
register(
    Metric(
        "disputes.mediation_success_rate",
        "矛盾纠纷化解成功率",
        "%",
        RATE,
        screened,
        numerator_records=resolved,
        aliases=("调解成功率", "化解成功率"),
        citation="分母口径按通行做法：调解成功件数 ÷ 调解(受理)纠纷总件数",
        definition="分子：期内登记且至期末调解成功的纠纷；分母：期内登记的全部纠纷（未办结的计入分母）。",
        report_section="measures",
        report_topic="矛盾纠纷化解",
        report_phrase="调解成功率{display}",
    )
)
register(
    Metric(
        "disputes.mediator_trainings",
        "调解员培训次数",
        "次",
        COUNT,
        trainings,
        aliases=("调解员培训", "组织调解员培训"),
        definition="期内举办的调解员培训场次（按培训日期）。",
        report_section="measures",
        report_topic="矛盾纠纷化解",
        report_phrase="组织调解员培训{value}次",
    )
)
register(
    Metric(
        "disputes.mediators",
        "人民调解员人数",
        "名",
        COUNT,
        mediators,
        aliases=("人民调解员", "调解员"),
        definition="期末在岗的专职、兼职人民调解员（不含受邀参与调解的法律明白人、乡贤、律师）。",
    )
)
register(
    Metric(
        "disputes.committee_coverage",
        "村级人民调解委员会覆盖率",
        "%",
        RATE,
        villages,
        numerator_records=villages_with_committee,
        citation="《人民调解法》第八条",
        definition="期末设有在用村(社区)人民调解委员会的村(社区、场) ÷ 全部村(社区、场)。",
    )
)
register(
    Metric(
        "disputes.backlog_collected",
        "收集积案件数",
        "起",
        COUNT,
        backlog_collected,
        aliases=("收集积案",),
        definition="期内收集梳理、登记待化解的积案（收理方式为“收集梳理”）。",
        report_section="measures",
        report_topic="矛盾纠纷化解",
        report_phrase="收集积案{value}起",
    )
)
register(
    Metric(
        "disputes.backlog_resolved",
        "化解积案件数",
        "起",
        COUNT,
        backlog_resolved,
        aliases=("化解积案", "积案化解"),
        definition="期内化解的积案（现场化解与走访下访化解之和，按化解日期）。",
    )
)
register(
    Metric(
        "disputes.backlog_resolved_on_site",
        "现场化解积案件数",
        "起",
        COUNT,
        backlog_resolved_on_site,
        aliases=("现场化解积案",),
        definition="期内在座谈会、动员会上当场化解的积案。",
        report_section="measures",
        report_topic="矛盾纠纷化解",
        report_phrase="现场化解积案{value}起",
    )
)
register(
    Metric(
        "disputes.backlog_resolved_by_visit",
        "走访下访化解积案件数",
        "起",
        COUNT,
        backlog_resolved_by_visit,
        aliases=("走访下访化解", "下访化解"),
        definition="期内通过逐户走访、下访化解的积案。",
        report_section="measures",
        report_topic="矛盾纠纷化解",
        report_phrase="走访下访化解积案{value}起",
    )
)
register(
    Metric(
        "disputes.backlog_archived",
        "积案归档件数",
        "起",
        COUNT,
        backlog_archived,
        aliases=("积案归档",),
        definition="期内经卷宗完整性核查（登记、记录、协议书、回访）后归档的积案。",
    )
)
register(
    Metric(
        "disputes.warnings",
        "矛盾纠纷预警数",
        "条",
        COUNT,
        warnings,
        aliases=("预警",),
        definition="期内产生的预警：当事人反复涉纠纷、暴力或民转刑风险词、超期未结、群体性纠纷。",
    )
)
register(
    Metric(
        "disputes.warning_handling_rate",
        "矛盾纠纷预警处置率",
        "%",
        RATE,
        warnings,
        numerator_records=warnings_handled,
        aliases=("预警处置率",),
        definition="分子：期内预警中至期末已登记处置措施的；分母：期内全部预警。",
    )
)
