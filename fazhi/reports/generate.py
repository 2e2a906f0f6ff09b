"""Drafting the annual report from the township's records.

`draft_paragraphs(township, year)` builds the five sections of REGULATIONS.md §1 from the indicator
registry: every metric that names a `report_section` contributes its `report_phrase`, grouped by
`report_topic`. A figure enters the text as a placeholder `{{metric.code}}`, so it stays live
until signing; `render_text` fills it in: a recorded figure or a declared 0 as the metric's
phrase (rates with their counts: 86.8%（105/121）), 不适用 left out, and nothing recorded as a
marked blank 【未记录：…】 for the clerk (a draft with a blank cannot be signed).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import cn2an
from django.apps import apps
from django.utils import timezone

from fazhi.indicators import registry
from fazhi.indicators.registry import (
    AVERAGE,
    NO_RECORDS,
    NOT_APPLICABLE,
    RATE,
    RECORDED,
    SUM,
    ZERO,
    Figure,
    Period,
)

PLACEHOLDER = re.compile(r"\{\{([a-z_]+\.[a-z0-9_]+)\}\}")
BLANK_MARK = "【未记录"
#: a rate below this (in %) is named in 存在的不足 as a low rate
LOW_RATE = Decimal("90")

SECTION_ORDER = ["measures", "shortcomings", "leaders", "plan", "other"]


def section_heading(key: str, year: int) -> str:
    heading = registry.REPORT_SECTIONS[key]
    return heading.replace("上一年度", f"{year}年").replace("下一年度", f"{year + 1}年")


def chinese_number(n: int) -> str:
    return cn2an.an2cn(n)


@dataclass
class DraftParagraph:
    section: str
    level: int
    text: str
    source: str = ""


@dataclass
class Figures:
    """The figures of one township and year, computed once (with the time)."""

    township: Any
    year: int
    figures: dict[str, Figure] = field(default_factory=dict)
    computed_at: dt.datetime = field(default_factory=timezone.now)

    @classmethod
    def compute(cls, township: Any, year: int, codes: list[str] | None = None) -> Figures:
        if codes is None:
            codes = [m.code for m in report_metrics()]
        computed_at = timezone.now()
        figures = registry.compute_many(codes, township, Period.year(year))
        return cls(township, year, figures, computed_at)

    def get(self, code: str) -> Figure | None:
        if code not in self.figures:
            try:
                self.figures[code] = registry.compute(code, self.township, Period.year(self.year))
            except registry.UnknownMetric:
                return None
        return self.figures[code]


def report_metrics() -> list[registry.Metric]:
    return [m for m in registry.metrics() if m.report_section in registry.REPORT_SECTIONS]


def _number(value: Any) -> str:
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)


def rate_text(figure: Figure) -> str:
    """A rate as a report writes it: 86.8%（105/121）."""
    if figure.value is None:
        return f"0%（{figure.numerator or 0}/{figure.denominator or 0}）"
    return f"{_number(figure.value)}%（{figure.numerator}/{figure.denominator}）"


def average_text(figure: Figure) -> str:
    """An average as a report writes it: 4.2个工作日（21件，合计88个工作日）."""
    unit = figure.metric.unit
    return (
        f"{_number(figure.value)}{unit}"
        f"（{figure.denominator}件，合计{_number(figure.numerator)}{unit}）"
    )


def phrase(figure: Figure) -> str:
    """The clause the report writes for a figure (empty for 不适用, a marked blank for 未记录)."""
    m = figure.metric
    if figure.status == NOT_APPLICABLE:
        return ""
    if figure.status == NO_RECORDS:
        return f"【未记录：{m.label}，请核实台账或声明零报告】"
    if figure.status == ZERO and m.kind in (RATE, AVERAGE):
        return ""  # nothing happened: no rate or average to state
    if figure.status == RECORDED and m.kind == SUM and not figure.value:
        return ""  # rows exist but none filled the quantity in: say nothing rather than 0
    template = m.report_phrase or f"{m.label}{{display}}"
    if m.kind == RATE:
        display = rate_text(figure)
    elif m.kind == AVERAGE:
        display = average_text(figure)
    else:
        display = f"{_number(figure.value)}{m.unit}"
    value = figure.value if figure.value is not None else 0
    return template.format(
        value=_number(value),
        numerator=figure.numerator if figure.numerator is not None else "",
        denominator=figure.denominator if figure.denominator is not None else "",
        display=display,
        unit=m.unit,
    )


_TIDY = [
    (re.compile(r"([，、；])\s*(?:[，、；]\s*)+"), r"\1"),
    (re.compile(r"[，、；]\s*([。])"), r"\1"),
    (re.compile(r"([：。])\s*[，、；]"), r"\1"),
]


def render_text(text: str, figures: Figures) -> str:
    """Fill the placeholders of a paragraph with the live (or frozen) figures."""

    def fill(match: re.Match[str]) -> str:
        figure = figures.get(match.group(1))
        return phrase(figure) if figure is not None else f"【指标{match.group(1)}不存在】"

    out = PLACEHOLDER.sub(fill, text)
    for pattern, repl in _TIDY:
        out = pattern.sub(repl, out)
    return out


def placeholders(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


# --- drafting -------------------------------------------------------------------------------
def _topic_paragraphs(section: str, figures: Figures) -> list[DraftParagraph]:
    topics: dict[str, list[registry.Metric]] = {}
    for m in report_metrics():
        if m.report_section == section:
            topics.setdefault(m.report_topic or "其他工作", []).append(m)
    out: list[DraftParagraph] = []
    for topic, ms in topics.items():
        shown = [m for m in ms if figures.get(m.code).status != NOT_APPLICABLE]  # type: ignore[union-attr]
        if not shown:
            continue
        out.append(DraftParagraph(section, 2, topic, "按指标归类"))
        body = "，".join("{{" + m.code + "}}" for m in shown)
        out.append(
            DraftParagraph(
                section,
                0,
                f"{figures.year}年，{body}。",
                "据台账记录起草：" + "、".join(m.label for m in shown),
            )
        )
    return out


def _overdue(township: Any, year: int) -> list[tuple[str, int]]:
    from django.db.models import Count, Q

    from fazhi.core.choices import DeadlineStatus
    from fazhi.core.models import Deadline

    end = min(dt.date(year, 12, 31), timezone.localdate())
    rows = (
        Deadline.objects.filter(township=township, due_date__year=year)
        .filter(
            Q(status=DeadlineStatus.DONE_LATE) | Q(status=DeadlineStatus.OPEN, due_date__lt=end)
        )
        .values("label")
        .annotate(n=Count("pk"))
        .order_by("-n", "label")
    )
    return [(r["label"], r["n"]) for r in rows]


def shortcomings(figures: Figures) -> list[DraftParagraph]:
    """存在的不足和原因, drafted from what the records show (suggestions the clerk edits)."""
    items: list[str] = []
    ms = report_metrics()
    low = [
        figures.get(m.code)
        for m in ms
        if m.kind == RATE and m.higher_is_better and figures.get(m.code).value is not None  # type: ignore[union-attr]
    ]
    low = [f for f in low if f is not None and f.value < LOW_RATE]
    if low:
        items.append(
            "部分工作指标偏低："
            + "；".join(f"{f.metric.label}为{rate_text(f)}" for f in low)
            + "，工作质效有待提升"
        )
    missed = missed_targets(figures)
    if missed:
        items.append("部分年度目标未完成：" + "；".join(missed[:5]))
    overdue = _overdue(figures.township, figures.year)
    if overdue:
        total = sum(n for _, n in overdue)
        detail = "、".join(f"{label}{n}件" for label, n in overdue[:5])
        items.append(f"办理时限管理不够严格，全年共有{total}件事项逾期办理（{detail}）")
    blanks = [m.label for m in ms if figures.get(m.code).status == NO_RECORDS]  # type: ignore[union-attr]
    if blanks:
        items.append(
            "台账记录不够完整，"
            + "、".join(blanks[:8])
            + ("等" if len(blanks) > 8 else "")
            + "未在平台建立记录，工作留痕有待加强"
        )
    if not items:
        return [
            DraftParagraph(
                "shortcomings",
                0,
                "【请填写：台账记录未显示明显短板，请结合实际写明存在的不足和原因】",
                "台账记录未发现低指标、逾期事项或空白台账",
            )
        ]
    ordinals = ["一", "二", "三", "四", "五", "六", "七", "八"]
    body = "；".join(f"{ordinals[i]}是{text}" for i, text in enumerate(items[:8]))
    return [
        DraftParagraph(
            "shortcomings",
            0,
            f"对照台账记录，{figures.year}年我镇法治政府建设工作仍存在一些不足：{body}。"
            "原因主要是【请填写原因】。",
            "据台账记录起草（低于90%的比率、逾期期限、未记录的指标），请核实修改",
        )
    ]


def _targets(township: Any, year: int) -> list[Any]:
    model = _target_model()
    if model is None:
        return []
    return list(model.objects.filter(township=township, year=year).order_by("metric_code"))


def proposed_targets(figures: Figures) -> list[dict[str, Any]]:
    """Next year's targets the plan proposes when none are set: this year's targets carried over
    (the higher of target and actual), else each recorded count of the measures section kept at
    least at this year's level."""
    out: list[dict[str, Any]] = []
    this_year = _targets(figures.township, figures.year)
    if this_year:
        for t in this_year:
            figure = figures.get(t.metric_code)
            actual = figure.value if figure is not None and figure.value is not None else None
            value = max(Decimal(t.value), Decimal(actual)) if actual is not None else t.value
            if t.comparator != "ge":
                value = t.value
            out.append(
                {
                    "metric_code": t.metric_code,
                    "comparator": t.comparator,
                    "value": value,
                    "wording": "",
                }
            )
        return out
    for m in report_metrics():
        figure = figures.get(m.code)
        if m.report_section != "measures" or figure is None or figure.status != "recorded":
            continue
        if m.group == "core":  # villages, grids: not a plan
            continue
        if m.kind in (RATE, AVERAGE) or not figure.value:
            continue  # a plan states counts to reach, not rates or averages
        out.append(
            {
                "metric_code": m.code,
                "comparator": "ge",
                "value": Decimal(figure.value),
                "wording": f"{m.label}不少于{_number(figure.value)}{m.unit}",
            }
        )
    return out[:8]


def target_text(t: Any) -> str:
    if getattr(t, "wording", ""):
        return t.wording
    try:
        m = registry.metric(t.metric_code)
        label, unit = m.label, m.unit
    except registry.UnknownMetric:
        label, unit = t.metric_code, ""
    words = {"ge": "不少于", "le": "不多于", "eq": "达到"}.get(t.comparator, "")
    return f"{label}{words}{_number(Decimal(t.value))}{unit}"


def plan(figures: Figures) -> list[DraftParagraph]:
    """下一年度安排: from next year's targets (governance.Target); without them, proposed targets
    the clerk saves back as next year's targets from the report page."""
    next_year = figures.year + 1
    rows = _targets(figures.township, next_year)
    if rows:
        lines = "；".join(target_text(t) for t in rows)
        return [
            DraftParagraph(
                "plan",
                0,
                f"{next_year}年，我镇将围绕以下目标推进法治政府建设：{lines}。",
                f"据{next_year}年度目标起草",
            )
        ]
    proposed = proposed_targets(figures)
    if not proposed:
        return [
            DraftParagraph(
                "plan",
                0,
                f"【请填写：{next_year}年推进法治政府建设的主要安排和目标】",
                "尚无下一年度目标，也没有可参照的本年度记录",
            )
        ]
    from types import SimpleNamespace

    lines = "；".join(target_text(SimpleNamespace(**p)) for p in proposed)
    return [
        DraftParagraph(
            "plan",
            0,
            f"{next_year}年，我镇将巩固{figures.year}年工作成效：{lines}。",
            f"尚无{next_year}年目标：按本年度目标和实绩建议，可在报告页“保存为下一年度目标”",
        )
    ]


def _target_model() -> Any:
    try:
        return apps.get_model("governance", "Target")
    except LookupError:
        return None


def missed_targets(figures: Figures) -> list[str]:
    if _target_model() is None:
        return []
    from fazhi.governance.targets import progress_for

    as_of = min(dt.date(figures.year, 12, 31), timezone.localdate())
    out = []
    for p in progress_for(figures.township, figures.year, as_of):
        if p.met is False:
            out.append(f"{target_text(p.target)}（实际{p.figure.display}）")
    return out


def draft_paragraphs(
    township: Any, year: int, figures: Figures | None = None
) -> list[DraftParagraph]:
    figures = figures or Figures.compute(township, year)
    name = township.name
    out = [
        DraftParagraph(
            "intro",
            0,
            f"{year}年，{name}坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，"
            f"依法全面履行政府职能，扎实推进法治政府建设各项工作。现将{year}年度法治政府建设情况报告如下：",
            "固定开头",
        )
    ]
    for key in SECTION_ORDER:
        out.append(DraftParagraph(key, 1, section_heading(key, year), "法定内容"))
        if key == "shortcomings":
            out += shortcomings(figures)
        elif key == "plan":
            out += plan(figures)
        else:
            body = _topic_paragraphs(key, figures)
            if not body:
                text = (
                    "无其他需要报告的情况。"
                    if key == "other"
                    else "【请填写：台账中尚无本部分的记录】"
                )
                body = [DraftParagraph(key, 0, text, "台账中没有本部分的指标记录")]
            out += body
    return out


def numbered(paragraphs: list[Any]) -> list[tuple[int, str]]:
    """Headings numbered 一、 and （一） in order (numbering restarts under each 一、)."""
    out: list[tuple[int, str]] = []
    top = sub = 0
    for p in paragraphs:
        text = p.text if not isinstance(p, dict) else p["text"]
        level = p.level if not isinstance(p, dict) else p["level"]
        if level == 1:
            top += 1
            sub = 0
            out.append((1, f"{chinese_number(top)}、{text}"))
        elif level == 2:
            sub += 1
            out.append((2, f"（{chinese_number(sub)}）{text}"))
        else:
            out.append((0, text))
    return out


def title(township: Any, year: int) -> str:
    return f"{township.name}{year}年法治政府建设年度报告"


def signature_lines(township: Any, date: dt.date | None) -> list[str]:
    name = township.name
    when = f"{date.year}年{date.month}月{date.day}日" if date else "　　年　月　日"
    return [f"中共{name}委员会", f"{name}人民政府", when]
