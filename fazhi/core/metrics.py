"""Organisation metrics: villages, grids, grid workers, leading group, 分包 coverage.

Stock figures are counted as at the period's end: a row counts when it existed then (and, for
terms, when its term covered that day).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from fazhi.core.models import Grid, GridAssignment, LeadingGroupMember, Village, VillageContact
from fazhi.indicators.registry import COUNT, RATE, Metric, Period, Rows, register


def _active(prefix_start: str, prefix_end: str, day: Any) -> Q:
    return Q(**{f"{prefix_start}__lte": day}) & (
        Q(**{f"{prefix_end}__isnull": True}) | Q(**{f"{prefix_end}__gte": day})
    )


# Declared with Rows: every figure of a table comes from one aggregate (docs/indicators.md).
villages = Rows(Village)
grids = Rows(Grid)
full_time_grid_workers = Rows(
    GridAssignment,
    lambda p: _active("start", "end", p.as_of) & Q(full_time=True),
    select_related=("staff", "grid"),
)
leading_group_members = Rows(
    LeadingGroupMember,
    lambda p: _active("term_start", "term_end", p.as_of) & Q(group__name__contains="法治"),
    select_related=("staff", "group"),
)


def _has_contact(period: Period) -> Q:
    contacts = VillageContact.objects.filter(
        _active("start", "end", period.as_of), village=OuterRef("pk")
    )
    return Q(Exists(contacts))


villages_with_contact = villages.narrow(_has_contact)


register(
    Metric(
        "core.villages",
        "村(社区、场)数",
        "个",
        COUNT,
        villages,
        aliases=("村", "村（场）", "行政村"),
        definition="乡镇登记在册的村、社区和场（村(社区、场)台账的全部记录）。",
        report_section="measures",
        report_topic="基层依法治理",
        report_phrase="全镇共有村（社区、场）{value}个",
    )
)
register(
    Metric(
        "core.grids",
        "网格数",
        "个",
        COUNT,
        grids,
        aliases=("网格",),
        definition="乡镇各村(社区、场)划分的网格（网格台账的全部记录）。",
        report_section="measures",
        report_topic="基层依法治理",
        report_phrase="划分网格{value}个",
    )
)
register(
    Metric(
        "core.grid_workers",
        "专职网格员人数",
        "名",
        COUNT,
        full_time_grid_workers,
        aliases=("专职网格员", "网格员"),
        definition="期末在岗的专职网格员：专职的网格员分配记录，起始日期不晚于期末、"
        "结束日期为空或不早于期末；一个网格可有多名网格员。",
        report_section="measures",
        report_topic="基层依法治理",
        report_phrase="设置专职网格员{value}名",
    )
)
register(
    Metric(
        "core.leading_group_members",
        "法治建设领导小组成员数",
        "名",
        COUNT,
        leading_group_members,
        aliases=("领导小组成员",),
        definition="名称含“法治”的领导小组（如法治政府建设工作领导小组）中期末在任的成员，"
        "含组长、常务副组长、副组长和成员。",
        report_section="leaders",
        report_topic="组织领导",
        report_phrase="法治建设工作领导小组成员{value}名",
    )
)
register(
    Metric(
        "core.village_contact_coverage",
        "分包领导覆盖率",
        "%",
        RATE,
        villages,
        numerator_records=villages_with_contact,
        definition="期末有在任分包领导的村(社区、场) ÷ 全部村(社区、场)。",
        report_section="leaders",
        report_topic="组织领导",
        report_phrase="班子成员分包联系村（场）覆盖率{display}",
    )
)
