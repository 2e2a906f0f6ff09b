"""Result types of the report checker: plain dataclasses that serialise to JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How bad a defect is. Values are stable English codes; `label` is what users read."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return _SEVERITY_LABELS[self]

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


class DefectKind(StrEnum):
    MISSING_NUMBER = "missing_number"
    NUMBERING = "numbering"
    RATE_MISMATCH = "rate_mismatch"
    YEAR = "year"
    MISSING_SECTION = "missing_section"
    TARGET_BELOW_ACTUAL = "target_below_actual"
    DUPLICATE = "duplicate"
    RECORD_MISMATCH = "record_mismatch"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    DefectKind.MISSING_NUMBER: "缺少数字",
    DefectKind.NUMBERING: "编号错误",
    DefectKind.RATE_MISMATCH: "比率不符",
    DefectKind.YEAR: "年份矛盾",
    DefectKind.MISSING_SECTION: "缺少必备内容",
    DefectKind.TARGET_BELOW_ACTUAL: "目标低于实绩",
    DefectKind.DUPLICATE: "重复内容",
    DefectKind.RECORD_MISMATCH: "与台账记录不符",
}


class SectionKind(StrEnum):
    """The parts of an annual report (REGULATIONS.md §1, Art. 25) plus the opening paragraph."""

    PREAMBLE = "preamble"
    MEASURES = "measures"  # 主要举措和成效
    PROBLEMS = "problems"  # 存在的不足和原因
    RESPONSIBILITY = "responsibility"  # 党政主要负责人履行第一责任人职责
    PLAN = "plan"  # 下一年度主要安排
    OTHER = "other"  # 其他需要报告的情况

    @property
    def label(self) -> str:
        return _SECTION_LABELS[self]


_SECTION_LABELS = {
    SectionKind.PREAMBLE: "开头",
    SectionKind.MEASURES: "主要举措和成效",
    SectionKind.PROBLEMS: "存在的不足和原因",
    SectionKind.RESPONSIBILITY: "党政主要负责人履行推进法治建设第一责任人职责情况",
    SectionKind.PLAN: "下一年度主要安排",
    SectionKind.OTHER: "其他需要报告的情况",
}


@dataclass(slots=True)
class Heading:
    """A numbered heading or list item (`一、`, `（一）`, `1.`, `（1）`) or an inline `一是` item."""

    numbering: str  # the token as written: "（一）", "2.", "三是"
    style: (
        str  # normalised style: "一、", "（一）", "(一)", "1.", "1、", "（1）", "(1)", "①", "一是"
    )
    family: str  # numbering family: "cn" 一、, "cnp" （一）, "ar" 1., "arp" （1）, "circ" ①, "yishi" 一是
    value: int  # the number the token stands for
    level: int  # 1 = top level; inline items sit one below the enclosing heading
    title: str  # the heading text up to the first "。" (trimmed)
    start: int  # offset of the numbering token
    end: int  # offset just after the title
    line: int  # 1-based line number
    inline: bool = False  # True for 一是/二是 enumerations inside a paragraph

    def label(self) -> str:
        return f"{self.numbering}{self.title}"


@dataclass(slots=True)
class Section:
    """A top-level part of the report, classified against the statutory parts."""

    kinds: list[SectionKind]
    heading: str  # numbering and title, "" for the preamble
    start: int
    end: int
    line: int
    heading_end: int = 0  # end of the heading's title in the text


@dataclass(slots=True)
class YearMention:
    """A year or date in the text. Years are never quantity claims; they feed the year checks."""

    text: str
    start: int
    end: int
    line: int
    kind: str  # "year" (2025年, 2025年度, bare 2023), "date" (2026年2月28日), "month" (9月份),
    # "range" (2021—2025年: a span of years, never the period of the report)
    year: int | None
    month: int | None = None
    day: int | None = None
    quoted: bool = False  # inside 《》 or quotation marks: a name, not the period covered


@dataclass(slots=True)
class Claim:
    """One quantitative statement: "检查企业150余家", "调解成功率达100%", "专题学习不少于4次"."""

    id: str
    value: float | int
    unit: str  # 次, 件, 起, 人次, 份, 名, 家, 条, 场, 个, %, 元, 万元 …
    raw: str  # the number as written with its qualifiers: "150余家", "不少于4次", "98%以上"
    noun: str  # what it counts: "企业", "专项整治行动", "调解成功率"
    phrase: str  # the words before/after the number it was taken from: "检查企业"
    qualifiers: list[str]  # as written: ["余"], ["不少于"], ["达", "以上"]
    bound: str  # "eq", "gt" (余/多/超过), "ge" (以上/不少于), "le", "lt", "approx" (近/约/左右)
    kind: str  # "actual" or "target"
    start: int
    end: int
    line: int
    sentence: str
    sentence_start: int
    sentence_end: int
    section: list[str]  # heading path, outermost first
    section_kind: str  # SectionKind value of the enclosing top-level part
    per: str | None = None  # "月" for "每月1次"
    numerator: str | None = None  # for rates: id of the count claim it divides
    denominator: str | None = None  # for rates: id of the total claim
    metric: str | None = None  # indicator code, when a RecordSource recognised the claim
    record: dict[str, Any] | None = None  # the RecordFigure it was compared with

    @property
    def is_rate(self) -> bool:
        return self.unit == "%"

    def display(self) -> str:
        per = f"每{self.per}" if self.per else ""
        return f"{self.noun}{per}{self.raw}"


@dataclass(slots=True)
class Defect:
    kind: DefectKind
    severity: Severity
    start: int
    end: int
    text: str  # the offending text ("" for a defect of the whole document)
    reason: str  # one line in Chinese
    line: int | None
    code: str = ""  # sub-kind, e.g. "skip", "mixed_style", "causes", "impossible"
    claims: list[str] = field(default_factory=list)  # ids of the claims involved

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": str(self.kind),
            "kind_label": self.kind.label,
            "code": self.code,
            "severity": str(self.severity),
            "severity_label": self.severity.label,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "text": self.text,
            "reason": self.reason,
            "claims": list(self.claims),
        }


@dataclass(slots=True)
class CheckResult:
    """Everything the checker found in one report."""

    text: str
    title: str | None
    year: int | None  # the year the report covers
    year_source: str  # "argument", "title", "intro", "heading" or "" when unknown
    outline: list[Heading]
    sections: list[Section]
    claims: list[Claim]
    years: list[YearMention]
    defects: list[Defect]
    source: str | None = None  # file name, when read from a file

    @property
    def plan_year(self) -> int | None:
        return self.year + 1 if self.year is not None else None

    @property
    def counts(self) -> dict[str, int]:
        counts = {str(s): 0 for s in Severity}
        for d in self.defects:
            counts[str(d.severity)] += 1
        return counts

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.defects)

    @property
    def summary(self) -> str:
        """ "2 处错误，5 处警告，1 处提示"; categories with none are left out."""
        counts = self.counts
        parts = [f"{counts[str(s)]} 处{s.label}" for s in Severity if counts[str(s)]]
        return "，".join(parts) if parts else "未发现问题"

    def to_dict(self, *, include_text: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "source": self.source,
            "title": self.title,
            "year": self.year,
            "plan_year": self.plan_year,
            "year_source": self.year_source,
            "summary": self.summary,
            "counts": self.counts,
            "outline": [asdict(h) for h in self.outline],
            "sections": [
                {
                    "kinds": [str(k) for k in s.kinds],
                    "heading": s.heading,
                    "start": s.start,
                    "end": s.end,
                    "line": s.line,
                    "heading_end": s.heading_end,
                }
                for s in self.sections
            ],
            "claims": [asdict(c) for c in self.claims],
            "years": [asdict(y) for y in self.years],
            "defects": [d.to_dict() for d in self.defects],
        }
        if include_text:
            data["text"] = self.text
        return data

    def render_text(self, *, claims: bool = True, outline: bool = True) -> str:
        from .render import render_text

        return render_text(self, claims=claims, outline=outline)
