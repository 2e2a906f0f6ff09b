"""Periods and configurable defaults of enterprise inspections, special campaigns and 双随机一公开
(REGULATIONS.md §7, §12). Lengths adjustable per province/county via core's rule overrides."""

from __future__ import annotations

from typing import Any

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

INSPECTION_CITATION = "国办发〔2024〕54号（年度检查频次上限由各省公布）"
RANDOM_CITATION = "国办发〔2015〕58号；河南2021年信用风险分类抽查比例（示例）"


def _value(code: str, label: str, value: int, unit: str, citation: str, note: str) -> Any:
    return register_rule(
        DeadlineRule(
            code=code,
            label=label,
            start_event="（数值规则）",
            length=value,
            unit=DeadlineUnit.DAYS,
            citation=citation,
            confidence="U",
            note=note,
            value_unit=unit,
        )
    )


#: the thresholds as configured numbers, overridable per province or county under 期限规则
YEARLY_CAP = _value(
    "inspections.yearly_cap",
    "同一主体对同一企业年度检查上限",
    DEFAULT_YEARLY_CAP,
    "次",
    INSPECTION_CITATION,
    "本省（县）公布的上限；检查事项清单中单项上限更低的，按较低者执行。",
)
REPEAT_WARNING = _value(
    "inspections.repeat_warning",
    "重复检查预警（同一主体年内已检查次数）",
    1,
    "次",
    INSPECTION_CITATION,
    "同一主体今年已检查达到该次数时，登记时提示重复检查。",
)
MULTI_AGENCY = _value(
    "inspections.multi_agency",
    "多头检查预警（年内入企检查主体数）",
    MULTI_AGENCY_THRESHOLD,
    "个",
    INSPECTION_CITATION,
    "年内入企检查的主体超过该数时，提示联合检查（进一次门、查多项事）。",
)
CLASS_RATIOS = {
    cls: _value(
        f"inspections.ratio_{cls.lower()}",
        f"双随机抽查比例：{cls}类（信用风险分类）",
        ratio,
        "%",
        RANDOM_CITATION,
        "新建抽查计划时的默认比例，计划中可按实际调整。",
    )
    for cls, ratio in DEFAULT_CLASS_RATIOS.items()
}
INSPECTORS = _value(
    "inspections.inspectors_per_entity",
    "双随机每户检查人员数",
    INSPECTORS_PER_ENTITY,
    "人",
    "REGULATIONS §7（行业规定示例：不少于2人）；《行政处罚法》第四十二条",
    "新建抽查计划时的默认人数，不得少于2人。",
)


def effective_value(rule: Any, township: Any) -> int:
    """The number in force for the township (its county's, else its province's, else default)."""
    from fazhi.core.rules import effective_rule

    return effective_rule(rule.code, township).length


def plan_defaults(township: Any) -> dict[str, int]:
    """A new 双随机 plan's ratios and inspectors per entity in force for the township."""
    out = {f"ratio_{c.lower()}": effective_value(r, township) for c, r in CLASS_RATIOS.items()}
    out["inspectors_per_entity"] = max(2, effective_value(INSPECTORS, township))
    return out
