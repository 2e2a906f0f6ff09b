"""双随机 draw algorithm version 2: the platform's numpy path equals draw.py's pure-Python
definition, the stream is numpy's PCG64, the sample is uniform, the list's order does not matter,
and the downloaded verifier (standard library only) reproduces a v2 draw and still a v1 draw."""

import datetime as dt
import io
import random as pyrandom
import subprocess
import sys
from collections import Counter

import pytest
from django.utils import timezone

from fazhi.enforcement.tests.helpers import body_of, officer
from fazhi.inspections import draw, random, sampling
from fazhi.inspections.models import Enterprise, RandomPlan, RandomTarget
from fazhi.inspections.tests.helpers import enterprise, item

RATIOS = {"A": 1, "B": 2, "C": 10, "D": 30}
CHOICES = [0, 0.5, 1, 2, 10, 30, 33.3, 49, 50, 51, 70, 99, 100]


def _population(rnd: pyrandom.Random, size: int) -> list[tuple[str, str]]:
    codes = {f"91{rnd.randrange(36**8):012X}{rnd.randrange(10**4):04d}" for _ in range(size)}
    return [(code, rnd.choice("ABCD")) for code in codes]


def _canonical(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(rows, key=lambda r: (r[1], r[0]))


def test_the_stream_is_numpy_pcg64_random_raw_from_the_documented_state():
    state, increment = draw.stream_state("ab" * 32, "B")
    ours = draw.stream(state, increment)
    theirs = sampling._generator("ab" * 32, "B").random_raw(1000).tolist()
    assert [next(ours) for _ in range(1000)] == theirs
    assert increment & 1 and state != draw.stream_state("ab" * 32, "C")[0]


def test_the_numpy_path_equals_the_pure_python_definition_on_many_populations():
    rnd = pyrandom.Random(20261202)
    for _ in range(400):
        rows = _population(rnd, rnd.choice([0, 1, 2, 3, 4, 7, 20, 101, 600]))
        ratios = {k: rnd.choice(CHOICES) for k in "ABCD"}
        seed = f"{rnd.getrandbits(256):064x}"
        reference = draw.draw(rows, seed, ratios, "v2")
        assert sampling.draw_sorted(_canonical(rows), seed, ratios) == reference, ratios
        counts = Counter(k for _, k in rows)
        assert Counter(k for _, k in reference) == {
            k: draw.quota(counts[k], ratios.get(k, 0))
            for k in counts
            if draw.quota(counts[k], ratios.get(k, 0))
        }
        assert len(set(reference)) == len(reference)
    # positions alone, on classes large enough for several blocks and for the complement
    for total, count in [(1, 1), (2, 1), (2, 2), (5, 2), (1000, 500), (4000, 1999), (50000, 25000)]:
        for seed in ("s1", "s2"):
            expected = draw.positions(seed, "D", total, count)
            assert sampling.positions(seed, "D", total, count).tolist() == expected
            assert len(set(expected)) == count and all(0 <= p < total for p in expected)
            n = total - count
            assert sampling.chosen(seed, "D", total, n).tolist() == draw.chosen(seed, "D", total, n)


def test_rejection_keeps_positions_below_a_multiple_of_the_class_size():
    # a class of 2^62 + 1 entities rejects a quarter of the outputs: both paths skip the same ones
    total = (1 << 62) + 1
    expected = draw.positions("reject", "A", total, 200)
    assert sampling.positions("reject", "A", total, 200).tolist() == expected
    raw = sampling._generator("reject", "A").random_raw(400).tolist()
    accepted = [x % total for x in raw if x < total * ((1 << 64) // total)]
    assert len(accepted) < len(raw) and expected == accepted[:200]


def test_the_v2_sample_is_uniform_without_replacement():
    # 10 entities, 3 drawn, 6,000 seeds: each entity ≈ 1,800 times, each pair ≈ 400 (5σ bounds)
    codes = [(f"91410000MA{i:08d}", "B") for i in range(10)]
    single: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for s in range(6000):
        drawn = sorted(code for code, _ in draw.draw(codes, f"u{s}", {"B": 30}, "v2"))
        assert len(drawn) == 3 == len(set(drawn))
        single.update(drawn)
        pairs.update((a, b) for i, a in enumerate(drawn) for b in drawn[i + 1 :])
    assert all(abs(single[c] - 1800) < 5 * (6000 * 0.3 * 0.7) ** 0.5 for c, _ in codes)
    p = 3 * 2 / (10 * 9)  # chance of a given pair
    assert len(pairs) == 45
    assert all(abs(n - 6000 * p) < 5 * (6000 * p * (1 - p)) ** 0.5 for n in pairs.values())
    # the complement side (7 of 10): each entity ≈ 4,200 times
    kept: Counter[str] = Counter()
    for s in range(3000):
        kept.update(code for code, _ in draw.draw(codes, f"c{s}", {"B": 70}, "v2"))
    assert all(abs(kept[c] - 2100) < 5 * (3000 * 0.7 * 0.3) ** 0.5 for c, _ in codes)


def test_the_result_does_not_depend_on_the_lists_order():
    rnd = pyrandom.Random(5)
    rows = _population(rnd, 3000)
    first = draw.draw(rows, "seed-1", RATIOS)
    for _ in range(3):
        rnd.shuffle(rows)
        assert draw.draw(rows, "seed-1", RATIOS) == first
    assert draw.draw(rows, "seed-2", RATIOS) != first
    assert 0 < len(first) < len(rows)


def _verify(tmp_path, listed: str, result: list[str], *extra: str) -> subprocess.CompletedProcess:
    verifier = tmp_path / "draw.py"
    verifier.write_bytes(open(draw.__file__, "rb").read())  # noqa: SIM115
    (tmp_path / "list.csv").write_text(listed, encoding="utf-8")
    (tmp_path / "result.csv").write_text("\n".join(result) + "\n", encoding="utf-8")
    return subprocess.run(  # noqa: S603 - our own file, fixed arguments
        # -I -S: isolated, no site-packages (numpy is out of reach): the standard library only
        [sys.executable, "-I", "-S", str(verifier), "verify", "list.csv", "--result", "result.csv",
         *extra],
        capture_output=True, text=True, check=False, cwd=tmp_path, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_the_standalone_verifier_reproduces_either_version_from_a_shuffled_list(tmp_path, version):
    rnd = pyrandom.Random(11)
    rows = _population(rnd, 5000)
    seed = f"{rnd.getrandbits(256):064x}"
    ratios = {"A": 1, "B": 2, "C": 60, "D": 100}
    if version == "v2":
        drawn = sampling.draw_sorted(_canonical(rows), seed, ratios)
    else:
        drawn = draw.draw(rows, seed, ratios, "v1")
    rnd.shuffle(rows)
    out = io.StringIO()
    draw.write_list(out, rows, seed, ratios, version)
    assert f"算法{version}" in out.getvalue().splitlines()[0]
    codes = [code for code, _ in drawn]
    run = _verify(tmp_path, out.getvalue(), codes)
    assert run.returncode == 0 and f"一致：按名单和种子（算法{version}）" in run.stdout, run
    other = "v1" if version == "v2" else "v2"
    wrong = _verify(tmp_path, out.getvalue(), codes, "--algorithm", other)
    assert wrong.returncode == 1 and "不一致" in wrong.stdout, wrong


def test_the_draw_reads_the_directory_in_the_canonical_order(cast):
    # digits before letters, classes apart: the database's order is Python's code point order
    codes = ["91A00000000000000X", "9100000000000000Z1", "91Z0000000000000A1", "910000000000000001"]
    for n, code in enumerate(codes * 1):
        for klass in "DB":
            Enterprise.objects.create(
                township=cast.a, name=f"{klass}{n}", credit_code=f"{code[:-1]}{klass}",
                credit_class=klass,
            )  # fmt: skip
    Enterprise.objects.create(
        township=cast.a, name="歇业", credit_code="910000000000000000", is_active=False
    )
    rows = random.draw_rows(cast.a.pk)
    assert rows == _canonical(rows) and len(rows) == 8


def _plan(cast, name: str = "2026年双随机抽查") -> RandomPlan:
    body = body_of(cast.a)
    for who in ("检查甲", "检查乙", "检查丙"):
        officer(cast.a, who)
    listed = item(cast.a, "SJ-R")
    listed.is_random = True
    listed.save()
    plan = RandomPlan.objects.create(
        township=cast.a, name=name, body=body, start=dt.date(2025, 5, 5),
        end=dt.date(2025, 6, 30), ratio_b=10,
    )  # fmt: skip
    plan.check_items.set([listed])
    return plan


def test_new_draws_are_v2_and_a_stored_v1_draw_still_verifies_and_shows_as_v1(
    cast, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    for n in range(60):
        enterprise(cast.a, n)
    plan = random.draw_plan(_plan(cast), actor=cast.a_operator)
    assert plan.algorithm == "v2"
    rows = random.draw_rows(cast.a.pk)
    expected = draw.draw(rows, plan.seed, plan.ratios, "v2")
    assert [t.credit_code for t in plan.targets.order_by("rank")] == [c for c, _ in expected]
    with open(random.list_path(plan), encoding="utf-8") as listed:
        assert "算法v2" in listed.readline()
    page = client.get(f"/gk/inspections/plans/{plan.pk}/").content.decode()
    assert '<dd id="algorithm">v2</dd>' in page and "算法v2" in page
    # a plan drawn before version 2 (as the migration leaves it): v1 list, v1 result, shown as v1
    old = _plan(cast, "2025年双随机抽查")
    seed = "cd" * 32
    drawn = draw.draw(rows, seed, old.ratios, "v1")
    name = f"{cast.a.pk}-{old.pk}-old.csv"
    with open(random.list_dir() / name, "w", encoding="utf-8", newline="") as out:
        draw.write_list(out, rows, seed, old.ratios, "v1")
    RandomPlan.objects.filter(pk=old.pk).update(
        status="drawn", seed=seed, algorithm="", drawn_at=timezone.now(), list_file=name,
        entity_count=len(rows), results_due_on=dt.date(2025, 7, 28),
    )  # fmt: skip
    from importlib import import_module

    from django.apps import apps

    import_module("fazhi.inspections.migrations.0004_draw_algorithm_v2").drawn_plans_are_v1(
        apps, None
    )
    old.refresh_from_db()
    assert old.algorithm == "v1"
    ids = dict(Enterprise.objects.values_list("credit_code", "pk"))
    RandomTarget.objects.bulk_create(
        RandomTarget(
            township=cast.a, plan=old, rank=i + 1, enterprise_id=ids[code], credit_code=code,
            credit_class=klass, inspectors="检查甲、检查乙",
        )
        for i, (code, klass) in enumerate(drawn)
    )  # fmt: skip
    page = client.get(f"/gk/inspections/plans/{old.pk}/").content.decode()
    assert '<dd id="algorithm">v1</dd>' in page and "算法v1" in page
    result = client.get(f"/gk/inspections/plans/{old.pk}/result.csv").content.decode()
    assert result.startswith("# 2025年双随机抽查；算法v1；")
    listed = b"".join(
        client.get(f"/gk/inspections/plans/{old.pk}/list.csv").streaming_content
    ).decode()
    run = _verify(tmp_path, listed, result.splitlines())
    assert run.returncode == 0 and "一致：按名单和种子（算法v1）" in run.stdout, run


def test_the_numpy_positions_read_more_blocks_when_the_first_falls_short(monkeypatch):
    # a too-small first block (as if the estimate were low) gives the same positions
    real = sampling._generator
    calls = []

    class Counting:
        def __init__(self, *args):
            self.generator = real(*args)

        def random_raw(self, size):
            calls.append(size)
            return self.generator.random_raw(size)

    monkeypatch.setattr(sampling, "_generator", Counting)
    monkeypatch.setattr(sampling, "BLOCK_MARGIN", 0.05)
    got = sampling.positions("blocks", "C", 3000, 1400).tolist()
    assert len(calls) > 2 and got == draw.positions("blocks", "C", 3000, 1400)


def test_the_sorting_path_for_huge_classes_equals_the_scatter_path(monkeypatch):
    expected = draw.positions("huge", "B", 5000, 2400)
    monkeypatch.setattr(sampling, "SCATTER_LIMIT", 10)
    assert sampling.positions("huge", "B", 5000, 2400).tolist() == expected
