"""Marks a careful reader catches: malformed heading markers, unbalanced brackets, quotation marks
and 书名号, and a plan that cites an older meeting or year than the actuals do."""

from __future__ import annotations

import re

from .doc import Doc
from .model import Defect, DefectKind, Section, SectionKind, Severity

PAIRS = {"（": "）", "(": ")", "《": "》", "“": "”", "‘": "’", "【": "】", "「": "」", "〔": "〕"}
CLOSERS = {v: k for k, v in PAIRS.items()}
_MARK_RE = re.compile("[" + re.escape("".join(PAIRS) + "".join(CLOSERS)) + "]")

_CN = "一二三四五六七八九十"
# a heading marker at the start of a line that is not one of 一、 （一） 1. （1） 1、
_MARKERS = [
    (re.compile(rf"^[（(]([{_CN}]+|\d+)(?![{_CN}\d]*[）)])"), "编号缺少右括号"),
    (re.compile(rf"^([{_CN}]+|\d{{1,2}})[）)]"), "编号缺少左括号"),
    (re.compile(rf"^\(([{_CN}]+|\d+)）|^（([{_CN}]+|\d+)\)"), "编号括号全角半角混用"),
    (re.compile(rf"^([{_CN}]+)[，,.．:：](?!\d)"), "一级编号后应为顿号“、”"),
    (re.compile(rf"^[（(]([{_CN}]+|\d+)[）)][、，,.．]"), "括号编号后不应再加标点"),
]


def check_markers(doc: Doc) -> list[Defect]:
    out: list[Defect] = []
    for ln in doc.lines:
        raw = doc.text[ln.start : ln.end]
        stripped = raw.lstrip(" \t\u3000")
        offset = ln.start + len(raw) - len(stripped)
        for pattern, reason in _MARKERS:
            m = pattern.match(stripped)
            if m:
                out.append(
                    Defect(
                        DefectKind.NUMBERING,
                        Severity.WARNING,
                        offset,
                        offset + m.end(),
                        m.group(0),
                        f"编号格式错误：{reason}（“{m.group(0)}”）",
                        ln.index + 1,
                        "malformed_marker",
                    )
                )
                break
    return out


def check_pairs(doc: Doc) -> list[Defect]:
    """Brackets, quotation marks and 书名号 that open and never close (or close and never
    opened), within one paragraph."""
    out: list[Defect] = []
    for ln in doc.lines:
        stack: list[tuple[str, int]] = []
        for mark in _MARK_RE.finditer(doc.text, ln.start, ln.end):
            i, ch = mark.start(), mark.group()
            if ch in PAIRS:
                stack.append((ch, i))
            elif ch in CLOSERS:
                if stack and stack[-1][0] == CLOSERS[ch]:
                    stack.pop()
                elif any(o == CLOSERS[ch] for o, _ in stack):
                    while stack and stack[-1][0] != CLOSERS[ch]:
                        o, at = stack.pop()
                        out.append(_pair(doc, ln.index, at, o, f"“{o}”没有对应的“{PAIRS[o]}”"))
                    stack.pop()
                else:
                    out.append(_pair(doc, ln.index, i, ch, f"“{ch}”前没有对应的“{CLOSERS[ch]}”"))
        for o, at in stack:
            out.append(_pair(doc, ln.index, at, o, f"“{o}”没有对应的“{PAIRS[o]}”"))
    return out


def _pair(doc: Doc, line: int, at: int, ch: str, reason: str) -> Defect:
    end = min(len(doc.text), at + 12)
    return Defect(
        DefectKind.NUMBERING,
        Severity.WARNING,
        at,
        at + 1,
        doc.text[at:end],
        f"标点不成对：{reason}",
        line + 1,
        "unbalanced",
    )


_PLENUM = re.compile(r"([一二三四五六七八九十]+)届([一二三四五六七八九十]+)中全会")
_NUM = {c: i for i, c in enumerate("零一二三四五六七八九", start=0)}


def _cn(s: str) -> int:
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _NUM[s[1]]
    if "十" in s:
        tens, _, ones = s.partition("十")
        return _NUM[tens] * 10 + (_NUM[ones] if ones else 0)
    return _NUM[s]


def check_stale_plan(doc: Doc, sections: list[Section], year: int | None) -> list[Defect]:
    """A plan citing an older plenary session than the actuals do, or a year before the report's."""
    plan = [s for s in sections if SectionKind.PLAN in s.kinds]
    if not plan:
        return []
    p = plan[0]
    rest = doc.text[: p.start] + doc.text[p.end :]
    cited = [(_cn(a), _cn(b)) for a, b in _PLENUM.findall(rest)]
    out: list[Defect] = []
    latest = max(cited) if cited else None
    for m in _PLENUM.finditer(doc.text, p.start, p.end):
        session = (_cn(m.group(1)), _cn(m.group(2)))
        if latest and session < latest:
            out.append(
                Defect(
                    DefectKind.YEAR,
                    Severity.WARNING,
                    m.start(),
                    m.end(),
                    m.group(0),
                    f"下一年度安排引用了较早的会议（{m.group(0)}），而工作情况部分已写到"
                    f"{_plenum_name(latest)}",
                    doc.line_no(m.start()),
                    "stale_reference",
                )
            )
    if year:
        body = max(p.start, p.heading_end)  # the heading's own year is checked with the outline
        for m in re.finditer(r"(20\d\d)年", doc.text[body : p.end]):
            y = int(m.group(1))
            if y < year:
                at = body + m.start()
                out.append(
                    Defect(
                        DefectKind.YEAR,
                        Severity.WARNING,
                        at,
                        at + len(m.group(0)),
                        m.group(0),
                        f"下一年度安排中出现{y}年，早于报告年度{year}年",
                        doc.line_no(at),
                        "stale_reference",
                    )
                )
    return out


def _plenum_name(session: tuple[int, int]) -> str:
    import cn2an

    return f"{cn2an.an2cn(session[0])}届{cn2an.an2cn(session[1])}中全会"
