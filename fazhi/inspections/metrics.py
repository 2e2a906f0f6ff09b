"""Figures of enterprise inspections and special campaigns, registered in the indicator registry.

- 专项整治次数: campaigns started in the period.
- 检查企业数: distinct enterprises with at least one completed inspection in the period (a joint
  inspection and repeated visits count the enterprise once).
- 涉企检查次数: completed inspections in the period; a joint inspection (进一次门、查多项事) is
  one visit and counts once.
- 发现隐患数 / 整改隐患数: hazards found in the period, and of those the ones rectified by the
  period's end. 按期整改率 = rectified on or before their deadline ÷ those due by the period's
  end or already rectified.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from fazhi.indicators.registry import COUNT, RATE, Metric, Period, register
from fazhi.inspections import choices as c
from fazhi.inspections.models import Campaign, Enterprise, Hazard, Inspection

CITATION = "国办发〔2024〕54号"
TOPIC = "规范行政执法"


def _between(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def campaigns(township: Any, period: Period) -> QuerySet:
    return Campaign.objects.filter(_between("start", period), township=township)


def inspections_done(township: Any, period: Period) -> QuerySet:
    return Inspection.objects.filter(
        _between("inspected_on", period), township=township, status=c.InspectionStatus.DONE
    )


def enterprises_inspected(township: Any, period: Period) -> QuerySet:
    done = inspections_done(township, period).filter(enterprise=OuterRef("pk"))
    return Enterprise.objects.filter(Exists(done), township=township)


def over_cap(township: Any, period: Period) -> QuerySet:
    return Inspection.objects.filter(
        _between("planned_on", period), township=township, over_cap=True
    ).exclude(status=c.InspectionStatus.CANCELLED)


def hazards_found(township: Any, period: Period) -> QuerySet:
    return Hazard.objects.filter(_between("found_on", period), township=township)


def hazards_rectified(township: Any, period: Period) -> QuerySet:
    return hazards_found(township, period).filter(rectified_on__lte=period.end)


def hazards_due(township: Any, period: Period) -> QuerySet:
    return hazards_found(township, period).filter(
        Q(deadline__lte=period.end) | Q(rectified_on__lte=period.end)
    )


def hazards_on_time(township: Any, period: Period) -> QuerySet:
    return (
        hazards_due(township, period)
        .filter(rectified_on__lte=period.end)
        .filter(rectified_on__lte=F("deadline"))
    )


def hazards_overdue(township: Any, period: Period) -> QuerySet:
    """Open at the period's end although their deadline has passed (逾期未整改)."""
    return Hazard.objects.filter(
        Q(rectified_on__isnull=True) | Q(rectified_on__gt=period.end),
        township=township,
        found_on__lte=period.end,
        deadline__lt=period.end,
    )


register(
    Metric(
        "inspections.campaigns",
        "开展专项整治行动次数",
        "次",
        COUNT,
        campaigns,
        citation="专项整治方案",
        aliases=("专项整治行动", "专项整治", "专项行动"),
        definition="期内开始的专项整治行动。",
        report_section="measures",
        report_topic=TOPIC,
        report_phrase="开展专项整治行动{value}次",
    )
)
register(
    Metric(
        "inspections.enterprises_inspected",
        "检查企业数",
        "家",
        COUNT,
        enterprises_inspected,
        citation=CITATION,
        aliases=("检查企业", "检查企业家数"),
        definition="期内完成至少一次入企检查的企业（重复检查、联合检查只计一家）。",
        report_section="measures",
        report_topic=TOPIC,
        report_phrase="检查企业{value}家",
    )
)
register(
    Metric(
        "inspections.inspections",
        "涉企检查次数",
        "次",
        COUNT,
        inspections_done,
        citation=CITATION,
        aliases=("涉企检查", "入企检查", "涉企行政检查"),
        definition="期内完成的入企检查次数；联合检查（进一次门、查多项事）只计一次。",
        higher_is_better=False,
    )
)
register(
    Metric(
        "inspections.over_cap",
        "超频次检查预警数",
        "次",
        COUNT,
        over_cap,
        citation=CITATION,
        aliases=("超频次", "超频次预警"),
        definition="期内计划的检查中，超过同一主体对同一企业年度检查上限而经确认仍进行的次数。",
        higher_is_better=False,
    )
)
register(
    Metric(
        "inspections.hazards_found",
        "发现隐患数",
        "条",
        COUNT,
        hazards_found,
        aliases=("发现隐患", "排查隐患"),
        definition="期内检查发现的隐患。",
        report_section="measures",
        report_topic=TOPIC,
        report_phrase="发现隐患{value}条",
    )
)
register(
    Metric(
        "inspections.hazards_rectified",
        "整改隐患数",
        "条",
        COUNT,
        hazards_rectified,
        aliases=("整改隐患", "发现并整改隐患", "整改到位"),
        definition="期内发现的隐患中，至期末已整改完成的条数。",
        report_section="measures",
        report_topic=TOPIC,
        report_phrase="整改隐患{value}条",
    )
)
register(
    Metric(
        "inspections.rectified_on_time_rate",
        "隐患按期整改率",
        "%",
        RATE,
        hazards_due,
        numerator_records=hazards_on_time,
        aliases=("按期整改率",),
        definition="期内发现、至期末已到整改期限或已整改的隐患中，在整改期限内完成整改的比例。",
    )
)
register(
    Metric(
        "inspections.hazards_overdue",
        "逾期未整改隐患数",
        "条",
        COUNT,
        hazards_overdue,
        aliases=("逾期未整改",),
        definition="至期末已过整改期限仍未整改完成的隐患。",
        higher_is_better=False,
    )
)


def random_targets(township: Any, period: Period) -> QuerySet:
    from fazhi.inspections.models import RandomTarget

    return RandomTarget.objects.filter(
        _between("plan__start", period), township=township, plan__seed__gt=""
    )


def random_plans_due(township: Any, period: Period) -> QuerySet:
    from fazhi.inspections.models import RandomPlan

    return RandomPlan.objects.filter(
        Q(results_due_on__lte=period.end) | Q(results_published_on__lte=period.end),
        _between("end", period),
        township=township,
    ).exclude(seed="")


def random_plans_on_time(township: Any, period: Period) -> QuerySet:
    return random_plans_due(township, period).filter(
        results_published_on__isnull=False, results_published_on__lte=F("results_due_on")
    )


register(
    Metric(
        "inspections.random_targets",
        "双随机抽查户次",
        "户次",
        COUNT,
        random_targets,
        citation="国办发〔2015〕58号",
        aliases=("抽查户次", "随机抽查", "双随机"),
        definition="期内开始的双随机抽查计划抽中的检查对象户次。",
        report_section="measures",
        report_topic=TOPIC,
        report_phrase="开展“双随机、一公开”抽查{value}户次",
    )
)
register(
    Metric(
        "inspections.random_publication_rate",
        "抽查结果公示及时率",
        "%",
        RATE,
        random_plans_due,
        numerator_records=random_plans_on_time,
        citation="国办发〔2015〕58号",
        aliases=("抽查结果公示", "结果公示及时率"),
        definition="期内结束、至期末公示期限已届满或已公示的抽查计划中，在抽查结束后20个工作日内公示结果的比例。",
    )
)
