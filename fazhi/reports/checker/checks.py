"""The defect checks that work on the text, the sections and the claims."""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from fractions import Fraction

from .claims import COUNT_VERBS, is_outcome_rate
from .doc import Doc, is_cjk
from .model import Claim, Defect, DefectKind, Heading, Section, SectionKind, Severity
from .numerals import stated_decimals
from .outline import RESPONSIBILITY_RE

# --- missing numbers ------------------------------------------------------------------------

_MN_UNITS = "人次|场次|次|项|件|起|场|份|名|家|条|个|篇"
# A measure word that ends a clause: "召开法治建设专题会议次，".
_MN_END_RE = re.compile(rf"(?P<u>{_MN_UNITS})(?=[ \t\u3000]*(?:[，,。；;、！？!?）)]|$))", re.M)
# A measure word right after a counting verb and before its noun: "开展次法治宣传活动".
_MN_VERB_RE = re.compile(
    r"(?P<v>召开|开展|举办|组织|发放|印制|张贴|悬挂|排查|受理|办理|检查|接待|走访|出动|累计|共计|"
    r"参加|聘请|培养|设置|新增|查处|化解|调解)"
    r"(?P<u>场次|人次|次|项|件|起|场|份|名|家|条|个|篇)(?=[\u4e00-\u9fff“《])"
)
# Words that end in a measure word (频次, 事项, 案件, 场所 …) or start with one (次数, 项目 …).
_NOT_BEFORE = {
    "次": set("频层名档批班车架位席依再屡多每首此这本上下历初逐渐其主年届轮途造鳞胸人场件户航列词"),
    "项": set("事专各多单强弱款选立要缺漏分本此该逐义进出奖颈细大小子用列前后同首末某加"),
    "场次": set("同每各本此该"),
}
# For the other measure words only a short list of nouns is trusted before them.
_ONLY_AFTER = {
    "件": set("纷求"),
    "起": set("纷件故案情灾盾"),
    "场": set("动座讲训演映"),
    "人次": set("达共计约逾近超"),
    "份": set("料册单书页卷纸品报折函"),
    "名": set("员师者生警士工官众手"),
    "家": set("铺店厂构校院社司馆"),
    "条": set("幅语息议见患题诉"),
    "个": set("栏点站室村组格牌区队群号台屏园馆"),
    "篇": set("稿章告息文"),
}
_NOT_AFTER = (
    "次数 次序 次日 次年 次要 次生 次级 次性 项目 件事 件数 场所 场地 场合 场景 场馆 场面 场域 场次 "
    "条件 条例 条款 条线 条理 条目 名单 名义 名称 名额 名誉 名字 名录 名片 名师 名医 名家 名人 名牌 "
    "名校 名优 名胜 名镇 名村 家庭 家属 家长 家风 家乡 家园 家具 家畜 个人 个性 个体 个案 个别 起草 "
    "起诉 起到 起来 起点 起步 起始 起源 起因 起重 份额 篇章 篇目 人次数 条幅 条文 条形 条码 "
    "家访 家政 项下 名录 次均"
).split()
_NOT_AFTER_T = tuple(_NOT_AFTER)
_MN_CLAUSE_VERB_RE = re.compile(
    "|".join(
        sorted(
            COUNT_VERBS + ["研究", "解决", "学习", "学法", "宣讲", "共", "累计", "全年"],
            key=len,
            reverse=True,
        )
    )
)
_NUMERALS = set("零〇一二两三四五六七八九十百千万亿余多几数") | set(
    "0123456789０１２３４５６７８９"
)


def check_missing_numbers(doc: Doc) -> list[Defect]:
    """A measure word with no number before it. Precision first: a measure word at the end of a
    clause counts only when a counting verb precedes it in the clause and the noun before it is
    not one that forms a word with it (频次, 事项, 案件); a measure word right after a counting
    verb counts only before a noun it does not form a word with (次数, 项目, 场所)."""
    text = doc.text
    out: list[Defect] = []
    seen: set[int] = set()
    for m in _MN_END_RE.finditer(text):
        u, pos = m.group("u"), m.start()
        if pos == 0 or doc.in_quote(pos) or doc.in_book(pos):
            continue
        prev = text[pos - 1]
        if not is_cjk(prev) or prev in _NUMERALS:
            continue
        if u in _ONLY_AFTER:
            if prev not in _ONLY_AFTER[u]:
                continue
        elif prev in _NOT_BEFORE.get(u, ()):
            continue
        cs = doc.clause_start(pos)
        clause = text[cs:pos]
        if not _MN_CLAUSE_VERB_RE.search(clause) or any(ch in _NUMERALS for ch in clause[-2:]):
            continue
        start = max(cs, pos - 4)
        out.append(_mn_defect(doc, start, m.end(), u))
        seen.add(pos)
    for m in _MN_VERB_RE.finditer(text):
        pos, u = m.start("u"), m.group("u")
        if pos in seen or doc.in_quote(pos) or text.startswith(_NOT_AFTER_T, pos):
            continue
        out.append(_mn_defect(doc, m.start(), min(len(text), m.end() + 6), u))
    return out


def _mn_defect(doc: Doc, start: int, end: int, unit: str) -> Defect:
    snippet = doc.text[start:end]
    return Defect(
        DefectKind.MISSING_NUMBER,
        Severity.ERROR,
        start,
        end,
        snippet,
        f"“{snippet}”中量词“{unit}”前缺少数字",
        doc.line_no(start),
        "missing_number",
    )


# --- required sections ----------------------------------------------------------------------

_CAUSE_RE = re.compile(r"原因|究其|根源|归因|由于|因为|之所以|主要是因|根子")
_PROBLEM_WORDS_RE = re.compile(r"存在的?(?:问题|不足)|不足之处|短板|差距")
_PLAN_WORDS_RE = re.compile(r"下一步|下一年度|明年|(?:今后|下步)工作")


def check_sections(doc: Doc, sections: list[Section]) -> list[Defect]:
    """The five parts of Art. 25. Measures, shortcomings and next year's plan are the substance
    of the report: missing one is an error. The leaders' duty as 第一责任人 is usually written
    into the measures; it counts as present when a heading or the text of the work done
    mentions it, and is a warning when nothing does. 其他需要报告的情况 is often empty and
    left out: a hint. A shortcomings part that never gives causes is a warning."""
    text = doc.text
    kinds = {k for s in sections[1:] for k in s.kinds}
    out: list[Defect] = []

    def missing(kind: SectionKind, sev: Severity, reason: str) -> None:
        out.append(Defect(DefectKind.MISSING_SECTION, sev, 0, 0, "", reason, None, str(kind)))

    body = sections[1:] or sections
    if len(sections) == 1:  # no headings at all: look for the parts by their words
        kinds = {SectionKind.MEASURES}
        if _PROBLEM_WORDS_RE.search(text):
            kinds.add(SectionKind.PROBLEMS)
        if _PLAN_WORDS_RE.search(text):
            kinds.add(SectionKind.PLAN)
    if SectionKind.MEASURES not in kinds and SectionKind.RESPONSIBILITY not in kinds:
        missing(
            SectionKind.MEASURES,
            Severity.ERROR,
            "缺少“上一年度推进法治政府建设的主要举措和成效”部分",
        )
    if SectionKind.PROBLEMS not in kinds:
        missing(SectionKind.PROBLEMS, Severity.ERROR, "缺少“上一年度存在的不足和原因”部分")
    if SectionKind.RESPONSIBILITY not in kinds:
        # a heading or a sentence of the work done (not of the plan) that names the duty
        done = [s for s in body if not {SectionKind.PLAN, SectionKind.PROBLEMS} & set(s.kinds)]
        if not any(RESPONSIBILITY_RE.search(text, s.start, s.end) for s in done):
            missing(
                SectionKind.RESPONSIBILITY,
                Severity.WARNING,
                "未见党政主要负责人履行推进法治建设第一责任人职责的情况",
            )
    if SectionKind.PLAN not in kinds:
        missing(SectionKind.PLAN, Severity.ERROR, "缺少“下一年度推进法治政府建设的主要安排”部分")
    if SectionKind.OTHER not in kinds:
        missing(SectionKind.OTHER, Severity.INFO, "未见“其他需要报告的情况”部分（如无可写“无”）")
    for s in sections[1:]:
        if SectionKind.PROBLEMS in s.kinds and not _CAUSE_RE.search(text, s.start, s.end):
            out.append(
                Defect(
                    DefectKind.MISSING_SECTION,
                    Severity.WARNING,
                    s.start,
                    s.heading_end,
                    text[s.start : s.heading_end],
                    f"“{s.heading}”只列出问题，没有分析原因（第二十五条要求写明不足和原因）",
                    s.line,
                    "causes",
                )
            )
    return out


# --- rates ----------------------------------------------------------------------------------


def _interval(c: Claim) -> tuple[Fraction, Fraction, bool] | None:
    """[lo, hi) in percent that the stated rate allows (hi inclusive when the flag is True)."""
    v = Fraction(str(c.value))
    u = Fraction(1, 10 ** stated_decimals(c.raw))
    hundred = Fraction(100)
    if c.bound == "eq":
        return v - u / 2, v + u, False  # rounded or truncated
    if c.bound in ("ge", "gt"):
        return v - u / 2, hundred, True
    if c.bound in ("le", "lt"):
        return Fraction(0), v + u, False
    return None


def _fmt_pct(p: Fraction) -> str:
    return f"{float(p):.1f}".rstrip("0").rstrip(".") + "%"


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def check_rates(claims: list[Claim]) -> list[Defect]:
    """A rate against its counts: 105/121 stated as 87% is fine (86.8% rounds to 87%), 90% is an
    error. With only the total stated, a rate no whole count can produce is a warning (the rate's
    base may differ from the count stated); a bound ("98%以上") that only the full count can meet
    is a hint that the figure is really 100%. Rates sharing one number ("办结率和群众满意率均达
    98%以上") get one defect."""
    by_id = {c.id: c for c in claims}
    groups: dict[int, list[Claim]] = {}
    for c in claims:
        if is_outcome_rate(c):
            groups.setdefault(c.start, []).append(c)
    out: list[Defect] = []
    for group in groups.values():
        c = group[0]
        ids = [x.id for x in group]
        label = "”“".join(x.noun for x in group)
        if c.value > 100:
            reason = f"“{label}”为{c.raw}，比率不可能超过100%"
            out.append(_rate_defect(c, "over_100", reason, Severity.ERROR, ids))
            continue
        den = by_id.get(c.denominator or "")
        iv = _interval(c)
        if den is None or den.bound != "eq" or not den.value or iv is None:
            continue
        n = Fraction(str(den.value))
        if n.denominator != 1:
            continue
        lo, hi, hi_incl = iv
        num = by_id.get(c.numerator or "")
        if num is not None and num.bound == "eq":
            p = Fraction(str(num.value)) * 100 / n
            if not (lo <= p and (p <= hi if hi_incl else p < hi)):
                reason = (
                    f"{_num(num.value)}/{_num(den.value)}={_fmt_pct(p)}，与所称“{label}”{c.raw}不符"
                )
                out.append(
                    _rate_defect(c, "counts", reason, Severity.ERROR, [*ids, num.id, den.id])
                )
            continue
        kmin = max(math.ceil(lo * n / 100), 0)
        kmax = min(math.floor(hi * n / 100) if hi_incl else math.ceil(hi * n / 100) - 1, int(n))
        total = f"{_num(den.value)}{den.unit}"
        if kmin > kmax:
            below = math.floor(lo * n / 100)
            alts = "，".join(
                f"{k}{den.unit}为{_fmt_pct(Fraction(k * 100) / n)}"
                for k in (below, below + 1)
                if 0 <= k <= n
            )
            reason = f"{total}中无论多少{den.unit}，“{label}”都不可能恰为{c.raw}（{alts}）"
            out.append(_rate_defect(c, "impossible", reason, Severity.WARNING, [*ids, den.id]))
        elif kmin == kmax == n and c.value < 100 and c.bound in ("ge", "gt"):
            reason = f"{total}的“{label}”{c.raw}只能是{total}全部，即100%，宜如实写明"
            out.append(_rate_defect(c, "only_100", reason, Severity.INFO, [*ids, den.id]))
    return out


def _rate_defect(c: Claim, code: str, reason: str, sev: Severity, ids: list[str]) -> Defect:
    return Defect(DefectKind.RATE_MISMATCH, sev, c.start, c.end, c.raw, reason, c.line, code, ids)


# --- targets below actuals ------------------------------------------------------------------

_UNIT_GROUPS = {"场次": "场", "万人次": "人次"}


def same_measure(a: Claim, b: Claim) -> bool:
    """The same measure: same unit (场 = 场次), same period, and the same counted noun, allowing one
    to qualify the other by a short prefix (调解成功率 / 矛盾纠纷调解成功率)."""
    if _UNIT_GROUPS.get(a.unit, a.unit) != _UNIT_GROUPS.get(b.unit, b.unit) or a.per != b.per:
        return False
    x, y = a.noun, b.noun
    if not x or not y:
        return False
    if x == y:
        return True
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    return len(short) >= 2 and long_.endswith(short) and len(long_) - len(short) <= 4


def check_targets(claims: list[Claim]) -> list[Defect]:
    """A next-year target below what the report says was achieved for the same measure.

    Actuals are indexed by every suffix of their noun, so each target looks up only the actuals
    whose noun it ends with or that end with it (no scan of all pairs)."""
    by_suffix: dict[str, list[Claim]] = {}
    for a in claims:
        if a.kind == "actual" and a.bound in ("eq", "gt", "ge") and a.noun:
            for i in range(len(a.noun) - 1):
                by_suffix.setdefault(a.noun[i:], []).append(a)
    out: list[Defect] = []
    for t in claims:
        if t.kind != "target" or t.bound in ("le", "lt") or len(t.noun) < 2:
            continue
        candidates = list(by_suffix.get(t.noun, ()))  # actuals ending with the target's noun
        for i in range(1, len(t.noun) - 1):  # actuals the target's noun ends with
            candidates += [
                a for a in by_suffix.get(t.noun[i:], ()) if len(a.noun) == len(t.noun) - i
            ]
        best = None
        for a in candidates:
            if same_measure(t, a) and t.value < a.value and (best is None or a.value > best.value):
                best = a

        if best is not None:
            reason = f"下一年度目标“{t.noun}{t.raw}”低于本报告所述实际“{best.noun}{best.raw}”"
            out.append(
                Defect(
                    DefectKind.TARGET_BELOW_ACTUAL,
                    Severity.WARNING,
                    t.start,
                    t.end,
                    t.raw,
                    reason,
                    t.line,
                    "target_below_actual",
                    [t.id, best.id],
                )
            )
    return out


# --- duplicates -----------------------------------------------------------------------------

_NORM_RE = re.compile(r"[\s，,。；;：:、！？!?“”‘’\"'（）()《》【】—\-…·]+")
MIN_DUPLICATE_CHARS = 12


def check_duplicates(doc: Doc, headings: list[Heading]) -> list[Defect]:
    """The same sentence (12 characters or more, punctuation ignored) or paragraph written twice.
    Headings are left out: a plan often repeats the titles of the work it continues."""
    text = doc.text
    head_spans = [(h.start, h.end) for h in headings if not h.inline]
    head_starts = [s for s, _ in head_spans]

    out: list[Defect] = []
    seen_para: dict[str, int] = {}
    dup_lines: set[int] = set()
    for ln in doc.lines:
        key = _NORM_RE.sub("", text[ln.start : ln.end])
        if len(key) < 30:
            continue
        if key in seen_para:
            first = seen_para[key]
            s = ln.start + (len(text[ln.start : ln.end]) - len(text[ln.start : ln.end].lstrip()))
            out.append(
                Defect(
                    DefectKind.DUPLICATE,
                    Severity.WARNING,
                    s,
                    ln.end,
                    text[s : ln.end],
                    f"本段与第{first}行的段落重复",
                    ln.number,
                    "paragraph",
                )
            )
            dup_lines.add(ln.index)
        else:
            seen_para[key] = ln.number
    seen: dict[str, int] = {}
    for s, e in doc.sentences:
        hi = bisect_right(head_starts, s) - 1
        if hi >= 0 and s < head_spans[hi][1]:
            continue
        key = _NORM_RE.sub("", text[s:e])
        if len(key) < MIN_DUPLICATE_CHARS:
            continue
        if key in seen:
            li = doc.line_index(s)
            where = "本段前文" if seen[key] == li + 1 else f"第{seen[key]}行"
            if li not in dup_lines:
                out.append(
                    Defect(
                        DefectKind.DUPLICATE,
                        Severity.WARNING,
                        s,
                        e,
                        text[s:e],
                        f"本句与{where}的句子重复",
                        li + 1,
                        "sentence",
                    )
                )
        else:
            seen[key] = doc.line_no(s)
    return out
