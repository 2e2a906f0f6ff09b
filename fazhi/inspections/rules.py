"""Periods and configurable defaults of enterprise inspections, special campaigns and 双随机一公开
(REGULATIONS.md §7, §12). Lengths adjustable per province/county via core's rule overrides."""

from __future__ import annotations

from fazhi.core.choices import DeadlineUnit
from fazhi.core.rules import DeadlineRule, register_rule

RECTIFICATION = register_rule(
    DeadlineRule(
        code="inspections.rectification",
        label="隐患整改",
        start_event="下达整改通知",
        length=30,
        unit=DeadlineUnit.DAYS,
        citation="专项整治方案（各地规定）",
        confidence="U",
        note="整改期限由检查单位在整改通知中确定；30日为未填写时的默认值。",
    )
)

RANDOM_PUBLICATION = register_rule(
    DeadlineRule(
        code="inspections.random_publication",
        label="公示双随机抽查结果",
        start_event="抽查结束",
        length=20,
        unit=DeadlineUnit.WORKING_DAYS,
        citation="国办发〔2015〕58号；市场监管总局答记者问（2018-06-08）",
        confidence="S",
    )
)

#: yearly cap of inspections of one enterprise by one department [U: provinces publish their own]
DEFAULT_YEARLY_CAP = 2
#: inspections by this many different bodies of one enterprise in a year raise a warning [U]
MULTI_AGENCY_THRESHOLD = 2
#: the credit classes' default sampling ratios in percent [U]: 河南 2021 example (REGULATIONS §7)
DEFAULT_CLASS_RATIOS = {"A": 1, "B": 2, "C": 10, "D": 30}
#: inspectors per drawn entity (REGULATIONS §7 example sector rule: ≥ 2)
INSPECTORS_PER_ENTITY = 2
