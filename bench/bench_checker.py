"""Benchmark the report checker on a folder of generated annual reports.

Generates N reports of about 10,000 characters each (the five statutory parts, numbered headings,
一是/二是 lists, a few hundred figures, and the defects the checker looks for, planted at random)
into a temporary folder, then times `check_text` on each and prints the time per report.

    .venv/bin/python bench/bench_checker.py                 # 200 reports of ~10,000 characters
    .venv/bin/python bench/bench_checker.py -n 500 --chars 20000 --keep /tmp/reports
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fazhi.reports.checker import check_file, check_text  # noqa: E402

CN = "一二三四五六七八九十"
# Narrative without figures, as most of a real report is: verb + object + purpose, combined.
VERBS = [
    "深入推进",
    "持续完善",
    "扎实开展",
    "全面落实",
    "不断健全",
    "切实加强",
    "积极探索",
    "严格执行",
]
OBJECTS = [
    "重大行政决策合法性审查机制", "行政执法“三项制度”", "“谁执法谁普法”责任制", "矛盾纠纷多元化解机制",
    "基层公共法律服务体系", "法治文化阵地建设", "法律顾问参与重大决策制度", "“双随机、一公开”监管",
    "领导干部会前学法制度", "政务公开标准化规范化", "信访事项受理办理反馈评价闭环",
]  # fmt: skip
PURPOSES = [
    "确保各项工作落地见效", "推动法治建设与中心工作同部署同推进", "切实维护群众合法权益",
    "不断提升基层治理法治化水平", "为经济社会发展提供坚实法治保障", "营造尊法学法守法用法的良好氛围",
    "多层次、多渠道增加普法频次", "推行一次性告知，减少群众跑腿次数",
]  # fmt: skip
TOWNS = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"]
MEASURES = [
    "全年开展专项整治行动{a}次，检查企业{b}余家，发现并整改隐患{c}条。",
    "律师定期在镇公共法律服务站提供咨询服务{a}次，接待群众咨询{b}余人次。",
    "组织调解员培训{a}次，全镇排查化解矛盾纠纷{b}件，调解成功率达100%。",
    "排查矛盾纠纷{n}起，成功化解{k}起，化解成功率{r}%。",
    "开展普法宣传活动{a}场次，发放宣传资料{b}余份，受教育群众达{c}余人次。",
    "全年依法办理信访案件{n}件，办结率和群众满意率均达{r}%以上。",
    "镇党委理论学习中心组开展专题学法{a}次，周例会学法{b}次。",
    "全镇培养“法律明白人”{a}名，划分网格{b}个，设置专职网格员{c}名。",
]
DEFECTS = [
    "全年主持召开法治建设专题会议次，研究解决重点问题项。",
    "排查矛盾纠纷121起，成功化解105起，化解成功率90%。",
    "2023年，我镇完善了各项工作制度。",
    "实行了群众办事不出户，矛盾有解决的有效保障。实行了群众办事不出户，矛盾有解决的有效保障。",
]
PLAN = [
    "全年组织专题学习不少于{a}次。",
    "力争矛盾纠纷调解成功率保持100%。",
    "全年开展专题普法活动不少于{a}场。",
    "全年提供法律服务不少于{b}人次。",
]


def _fill(tpl: str, rng: random.Random) -> str:
    n = rng.randint(10, 200)
    k = rng.randint(n // 2, n)
    return tpl.format(
        a=rng.randint(2, 60),
        b=rng.randint(20, 3000),
        c=rng.randint(5, 500),
        n=n,
        k=k,
        r=round(100 * k / n) if "成功率" in tpl else rng.choice([95, 98, 100]),
    )


def _chinese(n: int) -> str:
    """1 → 一, 21 → 二十一, 105 → 一百零五, 110 → 一百一十 (any size: reports over ~45k
    characters have more than 99 numbered items)."""
    if n <= 10:
        return CN[n - 1]
    if n < 100:
        return ("十" if n < 20 else CN[n // 10 - 1] + "十") + (CN[n % 10 - 1] if n % 10 else "")
    if n >= 1000:
        return str(n)
    rest = n % 100
    head = CN[n // 100 - 1] + "百"
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + CN[rest - 1]
    return head + ("一" if rest < 20 else "") + _chinese(rest)


def _narrative(rng: random.Random) -> str:
    return f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}，{rng.choice(PURPOSES)}。"


def _part(
    rng: random.Random, heading: str, pool: list[str], chars: int, defects: bool, dense: bool
) -> list[str]:
    lines = [heading]
    i = 0
    while sum(len(s) for s in lines) < chars:
        lines.append(f"（{_chinese(i + 1)}）第{i + 1}项重点工作")
        sentences = [
            _fill(rng.choice(pool), rng) if dense or rng.random() < 0.12 else _narrative(rng)
            for _ in range(rng.randint(4, 8))
        ]
        if defects and rng.random() < 0.15:
            sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(DEFECTS))
        lines.append("".join(f"{CN[j]}是{s}" for j, s in enumerate(sentences[:9])))
        i += 1
    return lines


def generate(rng: random.Random, chars: int, dense: bool = False) -> str:
    year = rng.randint(2021, 2025)
    town = rng.choice(TOWNS) + "镇"
    lines = [f"{town}{year}年法治政府建设年度报告"]
    lines.append(
        f"{year}年，{town}深入学习贯彻习近平法治思想。现将{year}年度法治政府建设情况报告如下："
    )
    lines.append("一、党政主要负责人履行推进法治建设第一责任人职责情况")
    lines.append("镇党委书记认真履行推进法治建设第一责任人职责，全年主持召开专题会议4次。")
    lines += _part(
        rng, "二、推进法治政府建设的主要举措和成效", MEASURES, int(chars * 0.78), True, dense
    )
    lines.append("三、存在的不足和原因")
    lines.append("一是普法形式较为单一。二是执法力量相对薄弱。究其原因，主要是专业人才不足。")
    lines += _part(
        rng, f"四、{year + 1}年推进法治政府建设的主要安排", PLAN, int(chars * 0.16), False, dense
    )
    if rng.random() < 0.5:
        lines.append("五、其他需要报告的情况\n无。")
    lines.append(f"{town}人民政府\n{year + 1}年2月{rng.randint(1, 28)}日")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", "--count", type=int, default=200, help="number of reports (200)")
    parser.add_argument("--chars", type=int, default=10_000, help="characters per report (10000)")
    parser.add_argument("--seed", type=int, default=20260301)
    parser.add_argument("--keep", type=Path, help="write the reports here instead of a temp folder")
    parser.add_argument(
        "--dense",
        action="store_true",
        help="every sentence a figure (~15x a real report's density)",
    )
    args = parser.parse_args()

    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(args.count):
            text = generate(rng, args.chars, args.dense)
            (folder / f"report_{i:04d}.txt").write_text(text, encoding="utf-8")

        paths = sorted(folder.glob("report_*.txt"))
        texts = [p.read_text(encoding="utf-8") for p in paths]

        check_text(texts[0])  # warm up: lazy imports (cn2an)
        times: list[float] = []
        cpu: list[float] = []
        claims = defects = 0
        for text in texts:
            t0, c0 = time.perf_counter(), time.process_time()
            result = check_text(text)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            claims += len(result.claims)
            defects += len(result.defects)

        t0 = time.perf_counter()
        for p in paths:
            check_file(p)
        with_io = (time.perf_counter() - t0) / len(paths)

    ms = sorted(t * 1000 for t in times)
    chars = statistics.mean(len(t) for t in texts)
    print(f"reports: {len(texts)}   mean size: {chars:,.0f} characters   folder: {folder}")
    print(
        f"claims per report: {claims / len(texts):.0f}   defects per report: {defects / len(texts):.1f}"
    )
    print(
        "check_text per report: "
        f"mean {statistics.mean(ms):.1f} ms, median {statistics.median(ms):.1f} ms, "
        f"p95 {ms[int(len(ms) * 0.95) - 1]:.1f} ms, max {ms[-1]:.1f} ms"
    )
    print(
        f"check_text CPU time per report: mean {statistics.mean(cpu) * 1000:.1f} ms (unaffected by other load)"
    )
    print(f"check_file per report (read + decode + check): {with_io * 1000:.1f} ms")
    print(
        f"throughput: {len(texts) / sum(times):.0f} reports/s, {sum(map(len, texts)) / sum(times) / 1e6:.2f} M chars/s"
    )


if __name__ == "__main__":
    main()
