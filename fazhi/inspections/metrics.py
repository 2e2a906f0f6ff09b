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

from django.db.models import Exists, F, OuterRef, Q

from fazhi.indicators.registry import COUNT, RATE, Metric, Period, Rows, register
from fazhi.inspections import choices as c
from fazhi.inspections.models import (
    Campaign,
    Enterprise,
    Hazard,
    Inspection,
    RandomPlan,
    RandomTarget,
)

CITATION = "国办发〔2024〕54号"
TOPIC = "规范行政执法"


def _between(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


# Declared with Rows: every figure of a table comes from one aggregate (docs/indicators.md).
campaigns = Rows(Campaign, lambda p: _between("start", p))
inspections_done = Rows(
    Inspection, lambda p: _between("inspected_on", p) & Q(status=c.InspectionStatus.DONE)
)


def _inspected(period: Period) -> Q:
    done = Inspection.objects.filter(
        _between("inspected_on", period),
        status=c.InspectionStatus.DONE,
        township=OuterRef("township"),
        enterprise=OuterRef("pk"),
    )
    return Q(Exists(done))


enterprises_inspected = Rows(Enterprise, _inspected)
over_cap = Rows(
    Inspection,
    lambda p: (
        _between("planned_on", p) & Q(over_cap=True) & ~Q(status=c.InspectionStatus.CANCELLED)
    ),
)
hazards_found = Rows(Hazard, lambda p: _between("found_on", p))
hazards_rectified = hazards_found.narrow(lambda p: Q(rectified_on__lte=p.end))
hazards_due = hazards_found.narrow(lambda p: Q(deadline__lte=p.end) | Q(rectified_on__lte=p.end))
hazards_on_time = hazards_due.narrow(
    lambda p: Q(rectified_on__lte=p.end) & Q(rectified_on__lte=F("deadline"))
)
hazards_overdue = Rows(
    Hazard,
    lambda p: (
        (Q(rectified_on__isnull=True) | Q(rectified_on__gt=p.end))
        & Q(found_on__lte=p.end, deadline__lt=p.end)
    ),
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


random_targets = Rows(RandomTarget, lambda p: _between("plan__start", p) & Q(plan__seed__gt=""))
random_plans_due = Rows(
    RandomPlan,
    lambda p: (
        (Q(results_due_on__lte=p.end) | Q(results_published_on__lte=p.end))
        & _between("end", p)
        & ~Q(seed="")
    ),
)
random_plans_on_time = random_plans_due.narrow(
    lambda p: Q(results_published_on__isnull=False, results_published_on__lte=F("results_due_on"))
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
