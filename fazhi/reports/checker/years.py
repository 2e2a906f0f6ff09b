"""Years and dates: collected apart from the claims, and checked against the period covered."""

from __future__ import annotations

import re
from bisect import bisect_right

from .doc import Doc, is_cjk
from .model import Defect, DefectKind, Heading, Section, SectionKind, Severity, YearMention
from .numerals import cn_small
from .outline import classify

_YEAR_RE = re.compile(
    r"(?<![\d.．])(?P<y>19[5-9]\d|20\d\d|21\d\d)(?![\d.．%％])[ \t]*"
    r"(?P<suf>年度|年(?:[ \t]*(?P<m>\d{1,2})[ \t]*月(?:[ \t]*(?P<d>\d{1,2})[ \t]*[日号])?)?)?"
)
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
# 二〇二六年二月二十八日 (signing dates are often written this way)
_CN_DATE_RE = re.compile(
    r"(?P<y>[〇零一二三四五六七八九]{4})年"
    r"(?:(?P<m>十[一二]?|[一二三四五六七八九])月(?:(?P<d>[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])日)?)?"
)
_MONTH_RE = re.compile(
    r"(?<![\d.．年])(?P<m>\d{1,2})[ \t]*月份?(?:[ \t]*(?P<d>\d{1,2})[ \t]*[日号])?"
    r"|(?P<cm>十[一二]|[一二三四五六七八九十])月份"
)
_NOT_BARE_NEXT = set("余多万亿次件起人份名家条场个项期所户篇元")
_RANGE_SEP_RE = re.compile(r"[ \t]*(?:年|年度)?[ \t]*[—－\-~～至到–][—－\-]?[ \t]*")

_PLAN_WORDS_RE = re.compile(
    r"^(?:年度?)?[ \t]*(?:的)?(?:工作)?(?:思路|计划|安排|打算|目标|任务|设想)"
)
_PERIOD_NEXT_RE = re.compile(
    r"^[ \t]*(?:以来|[，,]|年度|全年|上半年|下半年|工作|法治政府建设|我镇|我乡|共)"
)
_SENT_LEAD = set("。！？!?；;\n")
_PAST_COMPARE = ("自", "从", "较", "比", "与", "同", "截至", "截止", "至", "到")


def collect_years(doc: Doc) -> list[YearMention]:
    text = doc.text
    out: list[YearMention] = []
    for m in _YEAR_RE.finditer(text):
        suf = m.group("suf")
        end = m.end() if suf else m.end("y")
        if not suf:
            nxt = text[end] if end < len(text) else ""
            dash_year = re.match(r"[—－\-~～至到]\s*(?:19|20)\d\d", text[end : end + 7])
            if not (is_cjk(nxt) and nxt not in _NOT_BARE_NEXT) and not dash_year:
                continue
        month = int(m.group("m")) if m.group("m") else None
        day = int(m.group("d")) if m.group("d") else None
        out.append(
            YearMention(
                text=text[m.start() : end],
                start=m.start(),
                end=end,
                line=doc.line_no(m.start()),
                kind="date" if month else "year",
                year=int(m.group("y")),
                month=month,
                day=day,
                quoted=doc.in_book(m.start()) or doc.in_quote(m.start()),
            )
        )
    for m in _CN_DATE_RE.finditer(text):
        year = int("".join(str(_CN_DIGIT[c]) for c in m.group("y")))
        if not 1950 <= year <= 2199:
            continue
        month = cn_small(m.group("m")) if m.group("m") else None
        out.append(
            YearMention(
                text=m.group(0),
                start=m.start(),
                end=m.end(),
                line=doc.line_no(m.start()),
                kind="date" if month else "year",
                year=year,
                month=month,
                day=cn_small(m.group("d")) if m.group("d") else None,
                quoted=doc.in_book(m.start()) or doc.in_quote(m.start()),
            )
        )
    out.sort(key=lambda y: y.start)
    covered = [(y.start, y.end) for y in out]
    starts = [s for s, _ in covered]
    for m in _MONTH_RE.finditer(text):
        i = bisect_right(starts, m.start()) - 1
        if i >= 0 and covered[i][0] <= m.start() < covered[i][1]:
            continue

        month = int(m.group("m")) if m.group("m") else cn_small(m.group("cm") or "")
        if not month or not 1 <= month <= 12:
            continue
        out.append(
            YearMention(
                text=m.group(0),
                start=m.start(),
                end=m.end(),
                line=doc.line_no(m.start()),
                kind="month",
                year=None,
                month=month,
                day=int(m.group("d")) if m.group("d") else None,
                quoted=doc.in_book(m.start()) or doc.in_quote(m.start()),
            )
        )
    out.sort(key=lambda y: y.start)
    # "2021—2025年", "2024至2025年度": a span of years, not the period of one report
    for a, b in zip(out, out[1:], strict=False):
        if a.year and b.year and _RANGE_SEP_RE.fullmatch(text[a.end : b.start]):
            a.kind = b.kind = "range"
    return out


def _is_plan_mention(text: str, y: YearMention) -> bool:
    return bool(_PLAN_WORDS_RE.match(text[y.end : y.end + 8]))


def report_year(
    doc: Doc,
    years: list[YearMention],
    title_span: tuple[int, int],
    sections: list[Section],
    headings: list[Heading],
) -> tuple[int | None, str, YearMention | None, YearMention | None]:
    """(year, source, title mention, intro mention). The intro is the text before the first
    top-level heading, or the first paragraph when there are no headings."""
    text = doc.text
    usable = [y for y in years if y.year and not y.quoted and y.kind in ("year", "date")]
    t0, t1 = title_span
    title_m = next((y for y in usable if t0 <= y.start < t1), None)
    intro_end = sections[1].start if len(sections) > 1 else _first_paragraph_end(doc, t1)
    intro_m = next(
        (
            y
            for y in usable
            if t1 <= y.start < intro_end and not _is_plan_mention(text, y) and y.kind == "year"
        ),
        None,
    )
    if title_m and title_m.year is not None:
        return title_m.year, "title", title_m, intro_m
    if intro_m and intro_m.year is not None:
        return intro_m.year, "intro", title_m, intro_m
    tops = [h for h in headings if not h.inline and h.level == 1]
    for h in tops:  # "一、2023年工作开展情况"
        if SectionKind.PLAN in classify(h.title):
            continue
        for y in usable:
            if h.start <= y.start < h.end and not _is_plan_mention(text, y) and y.year:
                return y.year, "heading", None, None
    for h in tops:  # only "五、2026年工作计划": the report covers the year before
        if SectionKind.PLAN in classify(h.title):
            for y in usable:
                if h.start <= y.start < h.end and y.year:
                    return y.year - 1, "plan", None, None
    return None, "", None, None


def _first_paragraph_end(doc: Doc, after: int) -> int:
    for ln in doc.lines:
        if ln.start >= after and doc.text[ln.start : ln.end].strip():
            return ln.end
    return len(doc.text)


def _defect(y: YearMention, code: str, reason: str, sev: Severity = Severity.ERROR) -> Defect:
    return Defect(DefectKind.YEAR, sev, y.start, y.end, y.text, reason, y.line, code)


def check_years(
    doc: Doc,
    years: list[YearMention],
    sections: list[Section],
    headings: list[Heading],
    *,
    year: int | None,
    source: str,
    title_m: YearMention | None,
    intro_m: YearMention | None,
) -> list[Defect]:
    """Years that contradict the report year Y.

    - the opening names another year than the title;
    - a heading or the opening sentence names the period covered as another year than Y, or the
      plan as another year than Y+1 (a plan year already past is an error);
    - a sentence of the work done opens with another year ("2023年，我镇…" in a 2025 report), or
      a sentence of the plan opens with a year that has passed;
    - the signing date lies outside Y…Y+1.
    Years inside 《》 or quotation marks are names and are left alone, as are years introduced
    by a comparison or a starting point (较2024年, 自2021年以来, 截至2025年底).
    """
    text = doc.text
    if year is None:
        reason = "标题和开头都没有写明报告所属年度"
        return [Defect(DefectKind.YEAR, Severity.WARNING, 0, 0, "", reason, None, "unknown")]
    plan = year + 1
    out: list[Defect] = []
    if title_m and intro_m and source == "title" and intro_m.year != year:
        reason = f"开头称“{intro_m.text}”，与标题的{year}年度不一致"
        out.append(_defect(intro_m, "title_intro", reason))
    sec_starts = [s.start for s in sections]
    blocks = [h for h in headings if not h.inline]
    block_starts = [h.start for h in blocks]
    intro_end = sections[1].start if len(sections) > 1 else _first_paragraph_end(doc, 0)
    last_lines = {ln.index for ln in doc.lines[-4:]}

    def expect_plan(y: YearMention, where: str) -> None:
        if y.year is not None and y.year < plan:
            out.append(_defect(y, "plan_past", f"{where}“{y.text}”已不是下一年度，应为{plan}年"))
        elif y.year is not None and y.year > plan:
            reason = f"{year}年度报告的下一年度应为{plan}年，{where}写作“{y.text}”"
            out.append(_defect(y, "plan_far", reason, Severity.WARNING))

    for y in years:
        if y.year is None or y.quoted or y.kind == "range" or y is title_m or y is intro_m:
            continue
        line_idx = doc.line_index(y.start)
        if y.kind == "date" and line_idx in last_lines:
            if doc.line_text(line_idx).strip(" \t\u3000") == y.text.strip():
                if y.year not in (year, plan):
                    reason = f"落款日期为{y.year}年，与{year}年度报告不符"
                    out.append(_defect(y, "signature", reason, Severity.WARNING))
                continue
        sec = sections[max(0, bisect_right(sec_starts, y.start) - 1)]
        in_plan = SectionKind.PLAN in sec.kinds
        hi = bisect_right(block_starts, y.start) - 1
        h = blocks[hi] if hi >= 0 and y.start < blocks[hi].end else None
        after = text[y.end : y.end + 12]
        if h is not None:
            if in_plan:
                expect_plan(y, "计划部分的标题")
            elif y.year != year:
                reason = f"标题“{h.label()}”写的是{y.year}年，与报告年度{year}年不一致"
                out.append(_defect(y, "heading", reason))
            continue
        if y.start < intro_end:
            if _is_plan_mention(text, y):
                expect_plan(y, "开头")
            elif _PERIOD_NEXT_RE.match(after) or "如下" in text[y.end : y.end + 30]:
                if y.year != year:
                    reason = f"开头称“{y.text}”，与报告年度{year}年不一致"
                    out.append(_defect(y, "title_intro", reason))
            continue
        lead = y.start == 0 or text[y.start - 1] in _SENT_LEAD
        before = text[max(0, y.start - 2) : y.start]
        if not lead or not _PERIOD_NEXT_RE.match(after) or before.endswith(_PAST_COMPARE):
            continue
        if in_plan:
            expect_plan(y, "下一年度安排中的")
        elif y.year > year:
            out.append(_defect(y, "future", f"{year}年度报告把“{y.text}”写成已经做过的工作"))
        elif y.year < year:
            since = after.lstrip().startswith("以来")
            reason = f"{year}年度报告在此叙述“{y.text}”的工作"
            out.append(
                _defect(y, "other_year", reason, Severity.WARNING if since else Severity.ERROR)
            )
    return out
