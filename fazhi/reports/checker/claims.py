"""Quantitative claims: a number, its unit and qualifiers, and what it counts.

One regex pass finds every number followed by a measure word (or %), then each match is
filtered (ordinals, quoted names, fixed political formulas, 一 used as an article) and given its
counted noun: the noun right after the measure word ("开展2次法治建设工作专题汇报", "4名律师")
or, in the ledger order reports mostly use, the phrase before the number with its verbs and
scope words peeled off ("开展专项整治行动3次" → 专项整治行动, "发现并整改隐患12条" → 隐患).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from fractions import Fraction

from .doc import Doc, is_cjk
from .model import Claim, Heading, Section, SectionKind
from .numerals import arabic_number, cn_number

UNITS = (
    "万人次 人次 户次 件次 场次 家次 万元 亿元 个百分点 个工作日 个月 课时 小时 "
    "元 次 件 起 份 名 家 条 场 个 人 项 期 所 户 篇 册 本 张 幅 块 处 批 支 套 台 部 节 天 "
    "位 轮 类 种 座 辆 间 宗 % ％"
).split()
# Measure words a Chinese numeral may take and still be a count (两部门, 三类, 一种 are not).
_CN_UNITS = set(
    "万人次 人次 户次 件次 场次 家次 万元 元 次 件 起 份 名 家 条 场 个 人 项 期 篇 批 户 所 位 轮 天 "
    "个月 个工作日 宗".split()
)
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_CLAIM_RE = re.compile(
    r"百分之(?P<pct>[零〇一二两三四五六七八九十百]+|\d+(?:\.\d+)?)"
    r"|(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)"
    r"[ \t\u3000]*(?P<mult>[万亿](?!人次|元))?[ \t]*(?P<q1>余|多)?[ \t\u3000]*"
    rf"(?P<unit>{_UNIT_ALT})(?P<q2>以上|以下|左右)?"
)
_ZERO_RE = re.compile(r"零发生|为零(?![\u4e00-\u9fff])")
# Bare 百/千/万 are figures of speech (百姓, 千家万户, 千万不能), not counts.
_CN_NOT_COUNTS = {"百", "千", "万", "亿", "十万", "百万", "千万"}


# Fixed formulas that start with a numeral and a measure word but count nothing.
_FORMULAS = (
    "八项规定 三项制度 四个意识 四个自信 四个全面 两个维护 两个确立 两个责任 两个毫不动摇 三个代表 "
    "三个务必 五位一体 一个中心 两个基本点 六个坚持 六个做到 一次性 一站式 一条龙 一把手 一件事 "
    "一张网 一张图 一盘棋 一个窗口 一个样 一揽子 一条心 一家人 一体化 一系列 一批 一项重要 "
    "千家万户 一次办 一件事一次办 两个结合 三个一"
).split()
_FORMULA_BY_HEAD: dict[str, list[str]] = {}
for _f in _FORMULAS:
    _FORMULA_BY_HEAD.setdefault(_f[:2], []).append(_f)

# Words that count things, before the number: "开展3次", "共12件", "达500人次".
COUNT_VERBS = (
    "开展 组织 召开 举办 举行 主持 发放 印制 张贴 悬挂 排查 受理 办理 检查 接待 提供 解答 走访 "
    "下访 出动 聘请 培养 设置 设立 建立 新建 新增 建成 发现 整改 查处 收集 化解 调解 参加 参与 "
    "涉及 覆盖 惠及 出具 审查 审核 完成 申报 担任 印发 制作 投放 播放 推送 发布 录制 开设 评选 "
    "表彰 培训 划分成 划分为 办结 立案 答复 处理 评查 抽查 配备 选聘 招募 发展 确定 推选 评为 投入"
).split()
_CUT_RE = re.compile("|".join(sorted(COUNT_VERBS, key=len, reverse=True)))
# 调解员, 调解室, 培训班, 检查组: the verb is part of a noun.
_NOUN_VERBS = {
    "调解": "员室组委书会",
    "培训": "班会费",
    "检查": "组站员",
    "排查": "点",
    "审查": "员",
}


def _verb_in_noun(s: str, m: re.Match[str]) -> bool:
    return s[m.end() : m.end() + 1] in _NOUN_VERBS.get(m.group(0), "x")


_VERB_ONLY_RE = re.compile(f"(?:{_CUT_RE.pattern}|成功|并|和|及)+")
_ONE_OK_BEFORE = tuple(COUNT_VERBS) + ("共", "计", "达", "仅", "只", "约", "近")
_ONE_STOP_PREV = set("再又每这那第同单统唯逐万之其某任哪上下前后初周期在到成")
_PRE_QUALS = (
    "不少于 不低于 不超过 不多于 超过 多于 高于 低于 达到 均达 已达 高达 多达 共计 累计 合计 "
    "至少 保持 力争 达 逾 近 约 共"
).split()
_PRE_QUALS.sort(key=len, reverse=True)
_BOUND = {
    "余": "gt", "多": "gt", "超过": "gt", "逾": "gt", "多于": "gt", "高于": "gt",
    "以上": "ge", "不少于": "ge", "不低于": "ge", "至少": "ge",
    "以下": "le", "不超过": "le", "不多于": "le", "低于": "lt",
    "近": "approx", "约": "approx", "左右": "approx",
}  # fmt: skip
_PER_RE = re.compile(r"每(半年|季度|年度|年|季|月|周|天|日)")
_LEAD_RE = re.compile(
    r"^(?:(?:19|20)\d\d[ \t]*年度?|本年度|全年|全镇|全乡|全街道|全区|全县|今年|年内|当年|其中|累计|"
    r"共计|合计|总计|共|依法|定期|先后|分别|成功|已经|已|均|我镇|我乡|本镇|各类|各级|各|有效|扎实|深入|"
    r"积极|主动|还|并|同时|另外|此外|力争|确保|计划|预计|目标|逐一|现场|集中|专门|全面|通过|累积|"
    r"[ \t\u3000、]|“|”|‘|’)+"
)
_BOOK_SPAN_RE = re.compile(r"《[^》]*》")
_TRAIL_RE = re.compile(
    r"(?:均达到|均达|达到|已达|高达|多达|达|保持在|保持|不少于|不低于|不超过|不多于|超过|多于|高于|低于|"
    r"逾|近|约|共计|共|累计|合计|分别为|均为|总数为|数量为|均|都|仅|只有|至少|先后|分别|等|"
    r"[ \t\u3000]|每(?:半年|季度|年度|年|季|月|周|天|日))+$"
)
_QUOTE_CHARS = str.maketrans("", "", '“”‘’"《》「」 \t\u3000')
# Where the noun after a measure word ends: a new predicate or a function word.
_F_STOP_RE = re.compile(
    r"担任|划分|进行|参加|参与|组成|负责|覆盖|开通|解决|研究|取得|持有|全部|落实|推动|提供|开展|"
    r"组织|召开|发放|走访|接受|涉及|惠及|实现|确保|"
    r"的|对|为|在|和|及|与|并|等|均|都|已|[，,；;。：:、\d]"
)
_F_BAD_START = set(
    "的等和及与或以为在中里上下内外时后前左右余多这那其均共都各每了着过是就也还又并而且则即至到达向对从由把被给让使将如若比较占累"
)
_F_VERB_START = tuple("研究 进行 推动 确保 有效 切实 充分 不断 及时 持有".split())
_RATE_SPLIT_RE = re.compile(r"^(?P<a>.+?率)(?:和|及|与|、)(?P<b>.+率)$")
# Target words outside the plan part ("计划" alone is too common a noun: 年度学法计划).
_TARGET_RE = re.compile(r"力争|目标(?:是|为)|预计|计划(?:于|在|到|年内|全年)|拟")
_GROWTH_RE = re.compile(r"增长|增幅|提高|提升|上升|下降|降低|同比|环比")
# Totals a rate can be a share of: cases and items, not people (a pass rate is rarely over the
# people named in the same sentence) and not sessions (a satisfaction rate is not a share of
# meetings held).
CASE_UNITS = {"件", "起", "宗", "项", "条"}
_SEPS = "，,；;：:。！？!?\n"


def _pre_qualifier(text: str, pos: int, floor: int) -> tuple[str, int]:
    """The qualifier written right before the number ("不少于", "达") and its start offset."""
    num_start = pos
    while pos > floor and text[pos - 1] in " \t\u3000":
        pos -= 1
    window = text[max(floor, pos - 3) : pos]
    for q in _PRE_QUALS:
        if window.endswith(q):
            start = pos - len(q)
            if q == "近" and start > 0 and text[start - 1] in "最接临附将":
                break
            return q, start
    return "", num_start


def _strip(s: str) -> str:
    s = s.translate(_QUOTE_CHARS)
    prev = None
    while prev != s:
        prev = s
        s = _LEAD_RE.sub("", s)
        s = _TRAIL_RE.sub("", s)
    return s


def _noun_before(phrase: str, *, rate: bool) -> tuple[str, str]:
    """(noun, last verb) from the words before the number."""
    cut = max(phrase.rfind("、"), phrase.rfind("等"), phrase.rfind("》"))
    if rate and cut >= 0 and phrase[cut] == "、" and phrase[:cut].endswith("率"):
        cut = max(phrase.rfind("等"), phrase.rfind("》"))  # "参考率、合格率均达100%": keep both
    if cut >= 0 and _strip(phrase[cut + 1 :]):
        phrase = phrase[cut + 1 :]
    if rate:
        return _strip(phrase), ""
    verbs = [v for v in _CUT_RE.finditer(phrase) if not _verb_in_noun(phrase, v)]
    last_verb = ""
    for m in reversed(verbs):
        cand = _strip(phrase[m.end() :])
        last_verb = last_verb or m.group(0)
        if cand and not _VERB_ONLY_RE.fullmatch(cand):
            return cand, m.group(0)
    whole = _strip(phrase)
    if whole and not _VERB_ONLY_RE.fullmatch(whole):
        return whole, ""
    return "", (_CUT_RE.findall(whole) or [last_verb])[-1]


def _noun_after(text: str, pos: int, limit: int) -> str:
    while pos < limit and text[pos] in " \t\u3000":
        pos += 1
    if pos >= limit:
        return ""
    ch = text[pos]
    if not (is_cjk(ch) or ch in "“（(") or ch in _F_BAD_START:
        return ""
    chunk = text[pos : min(limit, pos + 16)]
    verb = _CUT_RE.match(chunk)
    if chunk.startswith(_F_VERB_START) or (verb and not _verb_in_noun(chunk, verb)):
        return ""
    m = _F_STOP_RE.search(chunk, 1)
    return (chunk[: m.start()] if m else chunk).translate(_QUOTE_CHARS)


def _formula_at(text: str, pos: int) -> bool:
    for f in _FORMULA_BY_HEAD.get(text[pos : pos + 2], ()):
        if text.startswith(f, pos):
            return True
    return False


def _section_index(sections: list[Section], starts: list[int], offset: int) -> int:
    return max(0, bisect_left(starts, offset + 1) - 1)


def extract_claims(
    doc: Doc,
    sections: list[Section],
    headings: list[Heading],
    *,
    report_year: int | None,
) -> list[Claim]:
    text = doc.text
    sec_starts = [s.start for s in sections]
    blocks = [h for h in headings if not h.inline]
    block_starts = [h.start for h in blocks]
    claims: list[Claim] = []
    prev_end = -1
    year_re = re.compile(rf"{report_year}[ \t]*年") if report_year else None

    # heading path of each block heading, computed once: outermost first
    paths: list[list[str]] = []
    open_: list[Heading] = []
    for h in blocks:
        while open_ and open_[-1].level >= h.level:
            open_.pop()
        open_.append(h)
        paths.append([x.label() for x in open_])

    def section_path(offset: int) -> list[str]:
        i = bisect_left(block_starts, offset + 1) - 1
        return list(paths[i]) if i >= 0 else []

    last_noun: dict[tuple[int, str], str] = {}  # (sentence start, unit) → noun of the last claim

    matches: list[tuple[int, re.Match[str] | None, int]] = [
        (m.start(), m, 0) for m in _CLAIM_RE.finditer(text)
    ]
    matches += [(z.start(), None, z.end()) for z in _ZERO_RE.finditer(text)]
    matches.sort(key=lambda t: t[0])

    for num_start, m, zero_end in matches:
        if num_start < prev_end:
            continue
        line_idx = doc.line_index(num_start)
        ln = doc.lines[line_idx]
        if m is None:  # 零发生 / 为零
            value: int | float = 0
            unit, q1, q2, end = "", "", "", zero_end
            pre, claim_start = "", num_start
        else:
            number = _number(doc, m, ln.start)
            if number is None:
                continue
            value, unit, q1, q2 = number
            end = m.end()
            pre, claim_start = _pre_qualifier(text, num_start, max(ln.start, prev_end))
        clause_start = max(doc.clause_start(num_start), ln.start, prev_end)
        clause_end = min(doc.clause_end(end), ln.end)
        before = text[clause_start:claim_start]
        pers = list(_PER_RE.finditer(before))
        per = pers[-1].group(1) if pers else None
        if per == "日":
            per = "天"
        if pers:  # "党委会定期学法每月1次", "每季度听取汇报1次": the frequency is not the noun
            before = before[: pers[-1].start()] + before[pers[-1].end() :]

        is_rate = unit == "%"
        s_start, s_end = doc.sentence_at(num_start)
        noun = _noun_after(text, end, clause_end) if not is_rate and m is not None else ""
        phrase = noun
        verb = ""
        if not noun:
            noun, verb = _noun_before(before, rate=is_rate)
            phrase = _strip(_BOOK_SPAN_RE.sub("", before))[-24:]
            if not noun:
                inherited = last_noun.get((s_start, unit), "")
                noun = (verb + inherited) if inherited else (verb or phrase)

        qualifiers = [q for q in (pre, q1, q2) if q]
        bound = "eq"
        for q in (q2, q1, pre):
            if q in _BOUND:
                bound = _BOUND[q]
                break

        sec = sections[_section_index(sections, sec_starts, num_start)]
        section_kind = sec.kinds[0]
        clause_text = text[doc.clause_start(num_start) : num_start]
        if SectionKind.PLAN in sec.kinds:
            kind = "actual" if year_re and year_re.search(clause_text) else "target"
        else:
            kind = "target" if pre == "力争" or _TARGET_RE.search(clause_text) else "actual"

        raw = text[claim_start:end]
        nouns = [noun]
        split = _RATE_SPLIT_RE.match(noun) if is_rate else None
        if split:
            nouns = [split.group("a"), split.group("b")]
        for n in nouns:
            claims.append(
                Claim(
                    id=f"c{len(claims) + 1}",
                    value=value,
                    unit=unit,
                    raw=raw,
                    noun=n,
                    phrase=phrase,
                    qualifiers=qualifiers,
                    bound=bound,
                    kind=kind,
                    start=claim_start,
                    end=end,
                    line=line_idx + 1,
                    sentence=text[s_start:s_end],
                    sentence_start=s_start,
                    sentence_end=s_end,
                    section=section_path(num_start),
                    section_kind=str(section_kind),
                    per=per,
                )
            )
        last_noun[(s_start, unit)] = nouns[-1]
        prev_end = end
    link_rates(claims)
    return claims


def _number(
    doc: Doc, m: re.Match[str], line_start: int
) -> tuple[int | float, str, str, str] | None:
    """(value, unit, 余/多, 以上/以下/左右) of a match, or None when it is not a count."""
    text = doc.text
    if m.group("pct") is not None:  # 百分之九十五
        p = m.group("pct")
        v = 100 if p == "百" else (arabic_number(p) if p[0].isdigit() else cn_number(p))
        return None if v is None else (v, "%", "", "")
    start, num_text, unit = m.start("num"), m.group("num"), m.group("unit")
    prev = text[start - 1] if start > 0 else ""
    if prev == "第" or doc.in_quote(start) or doc.in_book(start):
        return None  # ordinal, or a name: 第三十四条, “三项制度”, 《…2025年》
    value: int | float
    if num_text[0].isdigit():
        if prev.isdigit() or prev in ".．,-－—~～/:：" or (prev.isascii() and prev.isalpha()):
            return None  # part of a longer token: a range, a code, a time
        value = arabic_number(num_text)
    else:
        if unit not in _CN_UNITS or num_text in _CN_NOT_COUNTS or _formula_at(text, start):
            return None
        if num_text == "一" and not _one_is_count(text, start, m.end(), line_start):
            return None
        cv = cn_number(num_text)
        if cv is None:
            return None
        value = cv
    if unit == "％":
        unit = "%"
    if m.group("mult"):
        value = value * (10000 if m.group("mult") == "万" else 100000000)
    if unit == "万人次":
        value, unit = value * 10000, "人次"
    if isinstance(value, float) and value.is_integer() and "." not in num_text:
        value = int(value)
    return value, unit, m.group("q1") or "", m.group("q2") or ""


def _one_is_count(text: str, start: int, end: int, line_start: int) -> bool:
    """一 with a measure word is mostly an article ("一项重要任务"); a count only after a counting
    word ("开展一次") or when it ends the clause ("申报十佳法律明白人一人，")."""
    before = text[max(line_start, start - 3) : start]
    if before.endswith(_ONE_OK_BEFORE):
        return True
    if text.startswith("一起", start):
        return False
    prev = text[start - 1] if start > line_start else ""
    nxt = text[end] if end < len(text) else "\n"
    return nxt in _SEPS and prev not in _ONE_STOP_PREV


def is_outcome_rate(c: Claim) -> bool:
    return c.is_rate and c.noun.endswith("率") and not _GROWTH_RE.search(c.noun)


def link_rates(claims: list[Claim]) -> None:
    """Give each rate the counts it is computed from, when its sentence states them.

    "排查矛盾纠纷121起，成功化解105起，化解成功率87%": 121 is the denominator, 105 the numerator.
    "办理信访案件11件，办结率达98%以上": 11 is the denominator. Only counts of cases, people or
    entities qualify (not 次/场: a satisfaction rate is not a share of meetings held)."""
    by_sentence: dict[int, list[Claim]] = {}
    for c in claims:
        by_sentence.setdefault(c.sentence_start, []).append(c)
    for group in by_sentence.values():
        for rate in group:
            if not is_outcome_rate(rate):
                continue
            counts = [
                c
                for c in group
                if c.end <= rate.start and not c.is_rate and c.per is None and c.unit in CASE_UNITS
            ]
            if not counts:
                continue
            nearest = counts[-1]
            same = [c for c in counts if c.unit == nearest.unit]
            if len(same) >= 2 and Fraction(str(same[-1].value)) <= Fraction(str(same[0].value)):
                rate.denominator, rate.numerator = same[0].id, same[-1].id
            else:
                rate.denominator = nearest.id
