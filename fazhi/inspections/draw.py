"""The 双随机 draw: a documented, reproducible algorithm that anyone can re-run.

Standalone on purpose: this file imports only the Python standard library, so a citizen or an
auditor can verify a published draw with nothing but the published entity list and the seed:

    python draw.py verify 名单.csv [--seed 3f9a…] [--ratios A=1,B=2,C=10,D=30] [--algorithm v2]
                                   [--result 结果.csv]

The list file's first line names the algorithm version (算法v1 / 算法v2), the ratios and the seed;
the options override it. Both versions share:
- The entity list is the directory as it stood at the draw: one line per entity with its
  统一社会信用代码 (upper case) and credit class. The order of the lines does not matter (the
  platform cannot pick an order after seeing the seed).
- For each class c, the number drawn is n_c = ceil(N_c × r_c / 100), where N_c is the number of
  entities of class c and r_c the published ratio in percent (0 draws nothing, 100 draws all).
- The seed is 32 random bytes in hex, drawn by the platform at the moment of the draw (after the
  list is fixed) and published with the result and the list.
- Inspectors (published with the result): the eligible inspectors are ordered by
  SHA-256(version + "|" + seed + "|inspector|" + id); for each drawn entity in turn, the k
  inspectors not recused for it with the fewest entities so far are taken (ties by that order),
  so the work is spread evenly and nobody inspects an entity they are recused for.

Algorithm version 1 (draws made before version 2; still verified)
1. Every entity gets the key SHA-256("v1|" + seed + "|" + c + "|" + code) (UTF-8, hex). Inside
   each class the n_c entities with the smallest keys are drawn: a uniform sample without
   replacement, since the keys behave as independent uniform random numbers that nobody can
   choose once the seed is fixed, and the result does not depend on the list's order.
2. The result is listed class by class (A, B, C, D …, in sorted order), by key.
One hash per entity: the work grows with the directory (N), not with the number drawn.

Algorithm version 2 (current): work in proportion to the number drawn
1. Canonical order: inside each class the entities are sorted by 统一社会信用代码, compared
   character by character by Unicode code point (Python's str order; the same as the byte order
   of UTF-8 and as PostgreSQL's "C" collation). Entity i of class c is the i-th in that order,
   i = 0 … N_c − 1. The verifier sorts the list itself, so any copy of it in any order verifies.
2. A random stream per class: d = SHA-256("v2|" + seed + "|" + c) (UTF-8, 32 bytes); the 128-bit
   state s = d[0:16] and the increment a = d[16:32] | 1, both read as big-endian integers. Each
   step is s ← (s × M + a) mod 2^128 with M = 0x2360ED051FC65DA44385DF649FCCF645, and gives the
   64-bit output x = rotr64(((s >> 64) XOR s) mod 2^64, s >> 122) of the new state (PCG64,
   "XSL-RR": numpy's PCG64 bit generator with its state and increment set directly; its
   `random_raw` output is this sequence).
3. m = n_c when 2 n_c ≤ N_c, else m = N_c − n_c (the complement is drawn instead). Outputs
   x ≥ N_c × floor(2^64 / N_c) are skipped (so that every position is equally likely); each
   other gives the position p = x mod N_c; a position already taken is skipped; this goes on
   until m distinct positions are taken (m = 0 takes none and uses no output).
4. When m = n_c the entities at the m positions are drawn; otherwise every entity of the class
   except those at the m positions.
5. The result is listed class by class (A, B, C, D …, in sorted order), inside a class in the
   order the positions were taken (m = n_c), or in the canonical order of step 1 (complement).
Why it is fair: the seed is unknown until the moment of the draw and SHA-256 of it is beyond
anyone's choosing, so the stream is a sequence of independent uniform 64-bit numbers for every
practical purpose; rejection makes each accepted position uniform on 0 … N_c − 1, and taking the
first m distinct positions of independent uniform draws gives every m-subset the same chance
(sequential sampling without replacement). The complement of a uniform m-subset is a uniform
(N_c − m)-subset. The positions are fixed by the seed and N_c alone and the canonical order by
the codes alone, so neither the list's line order nor any choice of the platform after the seed
affects the result. The work is O(n_c) random numbers per class (at most about 1.4 × m draws,
since m ≤ N_c / 2), not a hash per entity; the verifier's one sort of the list is O(N log N).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import heapq
import math
import sys
from collections.abc import Iterable, Iterator, Sequence

VERSIONS = ("v1", "v2")
CURRENT = "v2"  # the version of new draws
VERSION = "v1"  # the first version's key prefix (kept for v1 draws)
PCG_MULTIPLIER = 0x2360ED051FC65DA44385DF649FCCF645
_MASK64 = (1 << 64) - 1
_MASK128 = (1 << 128) - 1


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
    """Version 1's key of an entity."""
    return hashlib.sha256(f"{VERSION}|{seed}|{credit_class}|{code}".encode()).hexdigest()


def draw(
    entities: Iterable[tuple[str, str]],
    seed: str,
    ratios: dict[str, float],
    version: str = CURRENT,
) -> list[tuple[str, str]]:
    """[(code, class)] in any order → the drawn [(code, class)] in the published order."""
    if version not in VERSIONS:
        raise ValueError(f"未知的算法版本：{version}")
    by_class: dict[str, list[str]] = {}
    for code, credit_class in entities:
        by_class.setdefault(credit_class, []).append(code)
    result: list[tuple[str, str]] = []
    for credit_class in sorted(by_class):
        codes = by_class[credit_class]
        n = quota(len(codes), ratios.get(credit_class, 0))
        if n == 0:
            continue
        if version == "v2":
            codes.sort()
            result.extend(
                (codes[i], credit_class) for i in chosen(seed, credit_class, len(codes), n)
            )
            continue
        prefix = f"{VERSION}|{seed}|{credit_class}|".encode()
        sha = hashlib.sha256
        # byte order of the digest equals the order of its hex form (the documented key)
        smallest = heapq.nsmallest(
            n, ((sha(prefix + code.encode()).digest(), code) for code in codes)
        )
        result.extend((code, credit_class) for _, code in smallest)
    return result


# --- version 2 --------------------------------------------------------------------------------
def stream_state(seed: str, credit_class: str) -> tuple[int, int]:
    """Version 2: the class's PCG64 (state, increment), from SHA-256("v2|seed|class")."""
    digest = hashlib.sha256(f"v2|{seed}|{credit_class}".encode()).digest()
    return int.from_bytes(digest[:16], "big"), int.from_bytes(digest[16:], "big") | 1


def stream(state: int, increment: int) -> Iterator[int]:
    """PCG64 (128-bit LCG step, then the XSL-RR output of the new state): numpy's PCG64
    `random_raw` from the same state and increment."""
    while True:
        state = (state * PCG_MULTIPLIER + increment) & _MASK128
        rot = state >> 122
        value = ((state >> 64) ^ state) & _MASK64
        yield ((value >> rot) | (value << ((64 - rot) & 63))) & _MASK64


def positions(seed: str, credit_class: str, total: int, count: int) -> list[int]:
    """Version 2 step 3: the first `count` distinct positions in 0 … total − 1 of the class's
    stream (outputs at or above the largest multiple of `total` below 2^64 skipped), in stream
    order."""
    if count == 0:
        return []
    limit = total * ((1 << 64) // total)
    taken: set[int] = set()
    order: list[int] = []
    for x in stream(*stream_state(seed, credit_class)):
        if x >= limit:
            continue
        p = x % total
        if p not in taken:
            taken.add(p)
            order.append(p)
            if len(order) == count:
                break
    return order


def chosen(seed: str, credit_class: str, total: int, n: int) -> list[int]:
    """Version 2 steps 3–5: the drawn positions of a class of `total` entities in the published
    order: the order drawn, or ascending when the complement is drawn (n > total / 2)."""
    if 2 * n <= total:
        return positions(seed, credit_class, total, n)
    skipped = set(positions(seed, credit_class, total, total - n))
    return [i for i in range(total) if i not in skipped]


def assign_inspectors(
    drawn: Sequence[str],
    inspectors: Sequence[str],
    seed: str,
    per_entity: int,
    recused: set[tuple[str, str]] | None = None,
    version: str = CURRENT,
) -> dict[str, list[str]]:
    """Deal the inspectors out in the seeded order, `per_entity` per drawn entity, skipping
    recusals (inspector, entity). Raises ValueError when an entity cannot be staffed."""
    recused = recused or set()
    order = sorted(
        inspectors,
        key=lambda i: hashlib.sha256(f"{version}|{seed}|inspector|{i}".encode()).hexdigest(),
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
    out,
    entities: Iterable[tuple[str, str]],
    seed: str,
    ratios: dict[str, float],
    version: str = CURRENT,
) -> None:
    out.write(
        f"# 双随机抽查对象名单；算法{version}；抽取比例 {format_ratios(ratios)}；种子 {seed}\n"
    )
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for code, credit_class in entities:
        writer.writerow((code, credit_class))


def read_list(
    lines: Iterable[str],
) -> tuple[list[tuple[str, str]], dict[str, float], str, str]:
    """The list file → (rows, ratios, seed, algorithm version; "" when the file names none)."""
    ratios: dict[str, float] = {}
    seed = version = ""
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
                elif part.startswith("算法"):
                    version = part.removeprefix("算法").strip().lower()
            continue
        data.append(line)
    reader = csv.reader(data)
    for i, row in enumerate(reader):
        if i == 0 and tuple(row[:2]) == HEADER:
            continue
        if len(row) >= 2 and row[0].strip():
            rows.append((row[0].strip().upper(), row[1].strip().upper()))
    return rows, ratios, seed, version


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="复核“双随机”抽查结果：只需公布的名单和种子。")
    sub = parser.add_subparsers(dest="command", required=True)
    verify = sub.add_parser("verify", help="按公布的名单和种子重新抽取")
    verify.add_argument("list", help="公布的抽查对象名单（CSV）")
    verify.add_argument("--seed", help="公布的种子（缺省读名单文件首行）")
    verify.add_argument("--ratios", help="抽取比例，如 A=1,B=2,C=10,D=30（缺省读名单文件首行）")
    verify.add_argument(
        "--algorithm", choices=VERSIONS, help=f"算法版本（缺省读名单文件首行，再缺省为{CURRENT}）"
    )
    verify.add_argument("--result", help="公布的抽查结果（CSV，第一列为统一社会信用代码）")
    args = parser.parse_args(argv)
    with open(args.list, encoding="utf-8-sig") as f:
        entities, ratios, seed, version = read_list(f)
    version = args.algorithm or version or CURRENT
    if version not in VERSIONS:
        print(f"名单文件的算法版本{version}未知，请用 --algorithm 指定。", file=sys.stderr)
        return 2
    seed = args.seed or seed
    ratios = parse_ratios(args.ratios) if args.ratios else ratios
    if not seed or not ratios:
        print("缺少种子或抽取比例。", file=sys.stderr)
        return 2
    drawn = draw(entities, seed, ratios, version)
    if not args.result:
        for code, credit_class in drawn:
            print(f"{code},{credit_class}")
        print(f"共抽取{len(drawn)}户（名单{len(entities)}户，算法{version}）", file=sys.stderr)
        return 0
    with open(args.result, encoding="utf-8-sig") as f:
        published = [
            row[0].strip().upper()
            for row in csv.reader(f)
            if row and row[0].strip() and not row[0].startswith("#") and row[0] != HEADER[0]
        ]
    mine = [code for code, _ in drawn]
    if mine == published:
        print(f"一致：按名单和种子（算法{version}）重新抽取的{len(mine)}户与公布结果完全相同。")
        return 0
    missing = sorted(set(mine) - set(published))
    extra = sorted(set(published) - set(mine))
    print(f"不一致（算法{version}）：应抽未公布{len(missing)}户，公布但不应抽{len(extra)}户。")
    for code in missing[:20]:
        print(f"  应抽：{code}")
    for code in extra[:20]:
        print(f"  多出：{code}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
