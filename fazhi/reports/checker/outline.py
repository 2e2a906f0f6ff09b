"""Title, headings, numbering checks and the statutory parts of the report."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .doc import Doc
from .model import Defect, DefectKind, Heading, Section, SectionKind, Severity
from .numerals import cn_small

_CN = "一二三四五六七八九十"
_LEAD = " \t\u3000\xa0"
_BLOCK_RE = re.compile(
    r"[ \t\u3000\xa0]*(?:"
    rf"(?P<cn>[{_CN}]{{1,3}})[ \t]*(?P<cn_p>[、．.])"
    rf"|(?P<cnp_o>[（(])[ \t]*(?P<cnp>[{_CN}]{{1,3}})[ \t]*[）)]"
    r"|(?P<arp_o>[（(])[ \t]*(?P<arp>\d{1,2})[ \t]*[）)]"
    r"|(?P<ar>\d{1,2})[ \t]*(?P<ar_p>[.．、])(?![\d.．])"
    r"|(?P<circ>[①-⑳])"
    r")"
)
# 一是 / 二是 inside a paragraph, after a sentence or clause break (not 统一是, 唯一是).
_INLINE_RE = re.compile(
    rf"(?:(?<=[。；;：:，,！？!?\s])|^)(?P<n>[{_CN}]{{1,3}})是(?![，,。；;、：:是否])", re.M
)
# Families that can stand in each other's place when a writer slips: （一）…（2）…（三）.
_SIMILAR = {"cnp": {"arp"}, "arp": {"cnp"}, "cn": {"ar"}, "ar": {"cn"}, "circ": {"arp"}}
_CN_FULL = "零一二三四五六七八九十"

_TITLE_HINT_RE = re.compile(r"报告|总结|情况|工作|要点")
_OTHER_RE = re.compile(
    r"其[他它](?:需要|应当)?报告|其[他它](?:有关)?(?:情况|事项)|需要报告的其[他它]"
)
_PROBLEMS_RE = re.compile(
    r"存在的?(?:主要)?(?:问题|不足)|问题(?:和|与|及)不足|不足(?:和|与|及)(?:原因|问题)|"
    r"问题(?:和|与|及)原因|短板|差距|薄弱环节|困难和问题|不足之处"
)
_PLAN_RE = re.compile(
    r"下一步|下步|下一年|下年度|明年|工作(?:计划|打算|安排|思路|设想|重点)|主要安排|努力方向|"
    r"(?:19|20)\d\d[ \t]*年.{0,14}?(?:计划|安排|打算|思路|重点|目标|设想)"
)
RESPONSIBILITY_RE = re.compile(r"第一责任人|主要负责人履行|党政主要负责人")


def _chinese(n: int) -> str:
    if n <= 10:
        return _CN_FULL[n]
    if n < 20:
        return "十" + _CN_FULL[n - 10]
    tens, ones = divmod(n, 10)
    return _CN_FULL[tens] + "十" + (_CN_FULL[ones] if ones else "")


def token_for(h: Heading, n: int) -> str:
    """The token h's style would use for number n: （一） style, 2 → "（二）"."""
    if h.family in ("cn", "cnp", "yishi"):
        return h.style.replace("一", _chinese(n), 1)
    if h.family == "circ":
        return chr(ord("①") + n - 1) if 1 <= n <= 20 else str(n)
    return h.style.replace("1", str(n), 1)


def _title_after(text: str, pos: int, line_end: int, limit: int, stops: str) -> tuple[str, int]:
    while pos < line_end and text[pos] in _LEAD:
        pos += 1
    end = pos
    while end < line_end and text[end] not in stops and end - pos < limit:
        end += 1
    title = text[pos:end].rstrip(_LEAD + "：:")
    return title, pos + len(title)


def _block_heading(doc: Doc, ln_start: int, ln_end: int, line_no: int) -> Heading | None:
    text = doc.text
    m = _BLOCK_RE.match(text, ln_start, ln_end)
    if not m:
        return None
    g = m.groupdict()
    value: int | None
    if g["cn"]:
        family, value, style = "cn", cn_small(g["cn"]), "一" + g["cn_p"]
    elif g["cnp"]:
        family, value = "cnp", cn_small(g["cnp"])
        style = "（一）" if g["cnp_o"] == "（" else "(一)"
    elif g["arp"]:
        family, value = "arp", int(g["arp"])
        style = "（1）" if g["arp_o"] == "（" else "(1)"
    elif g["ar"]:
        family, value, style = "ar", int(g["ar"]), "1" + g["ar_p"]
    else:
        family, value, style = "circ", ord(g["circ"]) - ord("①") + 1, "①"
    if not value:
        return None
    token_start = ln_start
    while text[token_start] in _LEAD:
        token_start += 1
    title, end = _title_after(text, m.end(), ln_end, 80, "。")
    if not title:  # a bare "1." line is not a heading
        return None
    return Heading(
        numbering=text[token_start : m.end()].rstrip(_LEAD),
        style=style,
        family=family,
        value=value,
        level=0,
        title=title,
        start=token_start,
        end=end,
        line=line_no,
    )


def parse_headings(doc: Doc) -> list[Heading]:
    """Block headings at line starts and inline 一是 items, in text order."""
    text = doc.text
    out: list[Heading] = []
    for ln in doc.lines:
        if ln.start == ln.end:
            continue
        h = _block_heading(doc, ln.start, ln.end, ln.number)
        if h:
            out.append(h)
        for im in _INLINE_RE.finditer(text, ln.start, ln.end):
            value = cn_small(im.group("n"))
            if not value or (h and im.start() < h.end):
                continue
            title, end = _title_after(text, im.end(), ln.end, 40, "。；;，,")
            out.append(
                Heading(
                    numbering=im.group(0),
                    style="一是",
                    family="yishi",
                    value=value,
                    level=0,
                    title=title,
                    start=im.start(),
                    end=end,
                    line=ln.number,
                    inline=True,
                )
            )
    return out


@dataclass(slots=True)
class _Entry:
    heading: Heading  # the first heading of this family at this level: its style is the norm
    last: int


def _numbering_defect(h: Heading, code: str, reason: str, sev: Severity) -> Defect:
    return Defect(
        kind=DefectKind.NUMBERING,
        severity=sev,
        start=h.start,
        end=h.start + len(h.numbering),
        text=h.numbering,
        reason=reason,
        line=h.line,
        code=code,
    )


def _sequence_defect(h: Heading, prev: Heading, last: int) -> Defect | None:
    v = h.value
    if v == last + 1:
        return None
    was = token_for(prev, last)
    if v == last:
        return _numbering_defect(
            h, "repeat", f"编号“{h.numbering}”与上一条“{was}”重复", Severity.WARNING
        )
    if v == 1:
        return _numbering_defect(
            h, "restart", f"编号在“{was}”之后重新从“{h.numbering}”开始", Severity.WARNING
        )
    if v > last + 1:
        missing = "、".join(token_for(prev, n) for n in range(last + 1, min(v, last + 4)))
        return _numbering_defect(
            h, "skip", f"编号从“{was}”跳到“{h.numbering}”，缺少“{missing}”", Severity.WARNING
        )
    return _numbering_defect(
        h, "out_of_order", f"编号“{h.numbering}”排在“{was}”之后，顺序颠倒", Severity.WARNING
    )


def check_numbering(headings: list[Heading]) -> list[Defect]:
    """Assign levels and report numbering that skips, repeats, restarts or mixes styles.

    Block headings keep a stack of open levels, one per numbering family. A heading whose family
    is open continues that level's sequence. A new family opens a level below when it starts at
    1; when it does not start at 1 but continues the sequence of an open level of a similar
    family (（一）… （2）… （三）), it is that level's item written in the wrong style.
    Inline 一是 items are numbered within their enclosing heading; a new series may start at 一是.
    """
    defects: list[Defect] = []
    stack: list[_Entry] = []
    inline_last = 0
    inline_prev: Heading | None = None
    for h in headings:
        if h.inline:
            h.level = len(stack) + 1
            if h.value != 1 and inline_prev is not None:
                d = _sequence_defect(h, inline_prev, inline_last)
                if d:
                    defects.append(d)
            elif h.value != 1:
                defects.append(
                    _numbering_defect(h, "skip", f"“{h.numbering}”之前没有“一是”", Severity.WARNING)
                )
            inline_last, inline_prev = h.value, h
            continue
        inline_last, inline_prev = 0, None
        idx = next((i for i, e in enumerate(stack) if e.heading.family == h.family), None)
        if h.family == "cn" and h.value == 1 and idx is None:
            stack.clear()  # 一、 is always the top level
        if idx is not None:
            entry = stack[idx]
            del stack[idx + 1 :]
            h.level = idx + 1
            d = _sequence_defect(h, entry.heading, entry.last)
            if d:
                defects.append(d)
            elif h.style != entry.heading.style:
                want = token_for(entry.heading, h.value)
                defects.append(
                    _numbering_defect(
                        h,
                        "style",
                        f"编号“{h.numbering}”与同级“{entry.heading.numbering}”的标点不统一，宜作“{want}”",
                        Severity.INFO,
                    )
                )
            entry.last = h.value
            continue
        if h.value == 1:
            stack.append(_Entry(h, 1))
            h.level = len(stack)
            continue
        similar = _SIMILAR.get(h.family, set())
        cand = next(
            (
                i
                for i in range(len(stack) - 1, -1, -1)
                if stack[i].heading.family in similar and stack[i].last == h.value - 1
            ),
            None,
        )
        if cand is not None:
            entry = stack[cand]
            del stack[cand + 1 :]
            h.level = cand + 1
            entry.last = h.value
            want = token_for(entry.heading, h.value)
            defects.append(
                _numbering_defect(
                    h,
                    "mixed_style",
                    f"编号“{h.numbering}”与同级“{entry.heading.numbering}”样式混用，应为“{want}”",
                    Severity.WARNING,
                )
            )
            continue
        stack.append(_Entry(h, h.value))
        h.level = len(stack)
        defects.append(
            _numbering_defect(
                h,
                "skip",
                f"编号从“{h.numbering}”开始，缺少“{token_for(h, 1)}”",
                Severity.WARNING,
            )
        )
    return defects


def detect_title(doc: Doc, headings: list[Heading]) -> tuple[str | None, int, int]:
    """The first non-empty line when it reads like a title; (title, start, end)."""
    heading_lines = {h.line for h in headings if not h.inline}
    for ln in doc.lines:
        raw = doc.text[ln.start : ln.end]
        line = raw.strip(_LEAD)
        if not line:
            continue
        if ln.number in heading_lines or len(line) > 60 or line[-1] in "。：:；;，,":
            return None, 0, 0
        if not _TITLE_HINT_RE.search(line):
            return None, 0, 0
        start = ln.start + (len(raw) - len(raw.lstrip(_LEAD)))
        return line, start, start + len(line)
    return None, 0, 0


def classify(title: str) -> list[SectionKind]:
    kinds: list[SectionKind] = []
    if _OTHER_RE.search(title):
        kinds.append(SectionKind.OTHER)
    if _PROBLEMS_RE.search(title):
        kinds.append(SectionKind.PROBLEMS)
    if _PLAN_RE.search(title):
        kinds.append(SectionKind.PLAN)
    if RESPONSIBILITY_RE.search(title) and SectionKind.PLAN not in kinds:
        kinds.append(SectionKind.RESPONSIBILITY)
    return kinds or [SectionKind.MEASURES]


def split_sections(doc: Doc, headings: list[Heading]) -> list[Section]:
    """The preamble plus one section per top-level heading."""
    tops = [h for h in headings if not h.inline and h.level == 1]
    sections: list[Section] = []
    first = tops[0].start if tops else len(doc.text)
    sections.append(Section([SectionKind.PREAMBLE], "", 0, first, 1))
    for i, h in enumerate(tops):
        end = tops[i + 1].start if i + 1 < len(tops) else len(doc.text)
        sections.append(Section(classify(h.title), h.label(), h.start, end, h.line, h.end))

    return sections
