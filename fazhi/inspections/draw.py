"""The 双随机 draw: a documented, reproducible algorithm that anyone can re-run.

Standalone on purpose: this file imports only the Python standard library, so a citizen or an
auditor can verify a published draw with nothing but the published entity list and the seed:

    python draw.py verify 名单.csv --seed 3f9a… [--ratios A=1,B=2,C=10,D=30] [--result 结果.csv]

Algorithm (version 1)
1. The entity list is the directory as it stood at the draw: one line per entity with its
   统一社会信用代码 (upper case) and credit class. Order does not matter.
2. For each class c, the number drawn is n_c = ceil(N_c × r_c / 100), where N_c is the number of
   entities of class c and r_c the published ratio in percent (0 draws nothing, 100 draws all).
3. Every entity gets the key SHA-256("v1|" + seed + "|" + c + "|" + code) (UTF-8, hex). Inside
   each class the n_c entities with the smallest keys are drawn: a uniform sample without
   replacement, since the keys behave as independent uniform random numbers that nobody can
   choose once the seed is fixed, and the result does not depend on the list's order.
4. The result is listed class by class (A, B, C, D …, in sorted order), by key.
5. Inspectors (published with the result): the eligible inspectors are ordered by
   SHA-256("v1|" + seed + "|inspector|" + id); for each drawn entity in turn, the k inspectors
   not recused for it with the fewest entities so far are taken (ties by that order), so the
   work is spread evenly and nobody inspects an entity they are recused for.
The seed is 32 random bytes in hex, drawn by the platform at the moment of the draw and published
with the result and the list.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import heapq
import math
import sys
from collections.abc import Iterable, Sequence

VERSION = "v1"


def parse_ratios(text: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for part in text.replace("，", ",").split(","):
        if not part.strip():
            continue
        name, _, value = part.partition("=")
        out[name.strip().upper()] = float(value)
    return out


def format_ratios(ratios: dict[str, float]) -> str:
    return ",".join(f"{k}={ratios[k]:g}" for k in sorted(ratios))


def quota(total: int, ratio: float) -> int:
    if ratio <= 0 or total == 0:
        return 0
    return min(total, math.ceil(total * ratio / 100 - 1e-9))


def key(seed: str, credit_class: str, code: str) -> str:
    return hashlib.sha256(f"{VERSION}|{seed}|{credit_class}|{code}".encode()).hexdigest()


def draw(
    entities: Iterable[tuple[str, str]], seed: str, ratios: dict[str, float]
) -> list[tuple[str, str]]:
    """[(code, class)] → the drawn [(code, class)] in the published order."""
    by_class: dict[str, list[str]] = {}
    for code, credit_class in entities:
        by_class.setdefault(credit_class, []).append(code)
    result: list[tuple[str, str]] = []
    for credit_class in sorted(by_class):
        codes = by_class[credit_class]
        n = quota(len(codes), ratios.get(credit_class, 0))
        if n == 0:
            continue
        prefix = f"{VERSION}|{seed}|{credit_class}|".encode()
        sha = hashlib.sha256
        # byte order of the digest equals the order of its hex form (the documented key)
        smallest = heapq.nsmallest(
            n, ((sha(prefix + code.encode()).digest(), code) for code in codes)
        )
        result.extend((code, credit_class) for _, code in smallest)
    return result


def assign_inspectors(
    drawn: Sequence[str],
    inspectors: Sequence[str],
    seed: str,
    per_entity: int,
    recused: set[tuple[str, str]] | None = None,
) -> dict[str, list[str]]:
    """Deal the inspectors out in the seeded order, `per_entity` per drawn entity, skipping
    recusals (inspector, entity). Raises ValueError when an entity cannot be staffed."""
    recused = recused or set()
    order = sorted(
        inspectors,
        key=lambda i: hashlib.sha256(f"{VERSION}|{seed}|inspector|{i}".encode()).hexdigest(),
    )
    if len(order) < per_entity:
        raise ValueError(f"检查人员不足{per_entity}人")
    rank = {inspector: i for i, inspector in enumerate(order)}
    load = dict.fromkeys(order, 0)
    out: dict[str, list[str]] = {}
    for code in drawn:
        free = [i for i in order if (i, code) not in recused]
        if len(free) < per_entity:
            raise ValueError(f"{code}回避后检查人员不足{per_entity}人")
        team = sorted(free, key=lambda i: (load[i], rank[i]))[:per_entity]
        for i in team:
            load[i] += 1
        out[code] = sorted(team, key=rank.__getitem__)
    return out


# --- the published files ---------------------------------------------------------------------
HEADER = ("统一社会信用代码", "信用风险分类")


def write_list(
    out, entities: Iterable[tuple[str, str]], seed: str, ratios: dict[str, float]
) -> None:
    out.write(
        f"# 双随机抽查对象名单；算法{VERSION}；抽取比例 {format_ratios(ratios)}；种子 {seed}\n"
    )
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for code, credit_class in entities:
        writer.writerow((code, credit_class))


def read_list(lines: Iterable[str]) -> tuple[list[tuple[str, str]], dict[str, float], str]:
    ratios: dict[str, float] = {}
    seed = ""
    rows: list[tuple[str, str]] = []
    data = []
    for line in lines:
        if line.startswith("#"):
            for part in line.lstrip("#").split("；"):
                part = part.strip()
                if part.startswith("抽取比例"):
                    ratios = parse_ratios(part.removeprefix("抽取比例").strip())
                elif part.startswith("种子"):
                    seed = part.removeprefix("种子").strip()
            continue
        data.append(line)
    reader = csv.reader(data)
    for i, row in enumerate(reader):
        if i == 0 and tuple(row[:2]) == HEADER:
            continue
        if len(row) >= 2 and row[0].strip():
            rows.append((row[0].strip().upper(), row[1].strip().upper()))
    return rows, ratios, seed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="复核“双随机”抽查结果：只需公布的名单和种子。")
    sub = parser.add_subparsers(dest="command", required=True)
    verify = sub.add_parser("verify", help="按公布的名单和种子重新抽取")
    verify.add_argument("list", help="公布的抽查对象名单（CSV）")
    verify.add_argument("--seed", help="公布的种子（缺省读名单文件首行）")
    verify.add_argument("--ratios", help="抽取比例，如 A=1,B=2,C=10,D=30（缺省读名单文件首行）")
    verify.add_argument("--result", help="公布的抽查结果（CSV，第一列为统一社会信用代码）")
    args = parser.parse_args(argv)
    with open(args.list, encoding="utf-8-sig") as f:
        entities, ratios, seed = read_list(f)
    seed = args.seed or seed
    ratios = parse_ratios(args.ratios) if args.ratios else ratios
    if not seed or not ratios:
        print("缺少种子或抽取比例。", file=sys.stderr)
        return 2
    drawn = draw(entities, seed, ratios)
    if not args.result:
        for code, credit_class in drawn:
            print(f"{code},{credit_class}")
        print(f"共抽取{len(drawn)}户（名单{len(entities)}户）", file=sys.stderr)
        return 0
    with open(args.result, encoding="utf-8-sig") as f:
        published = [
            row[0].strip().upper()
            for row in csv.reader(f)
            if row and row[0].strip() and not row[0].startswith("#") and row[0] != HEADER[0]
        ]
    mine = [code for code, _ in drawn]
    if mine == published:
        print(f"一致：按名单和种子重新抽取的{len(mine)}户与公布结果完全相同。")
        return 0
    missing = sorted(set(mine) - set(published))
    extra = sorted(set(published) - set(mine))
    print(f"不一致：应抽未公布{len(missing)}户，公布但不应抽{len(extra)}户。")
    for code in missing[:20]:
        print(f"  应抽：{code}")
    for code in extra[:20]:
        print(f"  多出：{code}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
