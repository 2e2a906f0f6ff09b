"""双随机: the published algorithm (stratified, uniform without replacement, order-independent),
the immutable draw with inspectors, and the standalone verifier reproducing a draw from the
published list and seed only."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from fazhi.core.testing import ReadOnlyResourceSuite, ResourceSuite, act
from fazhi.enforcement.tests.helpers import body_of, officer
from fazhi.indicators import registry
from fazhi.indicators.registry import Period
from fazhi.inspections import draw, random
from fazhi.inspections.models import RandomPlan, RandomTarget
from fazhi.inspections.tests.helpers import enterprise, item

RATIOS = {"A": 1, "B": 2, "C": 10, "D": 30}


def test_the_algorithm_is_stratified_reproducible_and_order_independent():
    entities = [(f"CODE{i:06d}", "ABCD"[i % 4]) for i in range(4000)]
    first = draw.draw(entities, "seed-1", RATIOS)
    assert draw.draw(list(reversed(entities)), "seed-1", RATIOS) == first
    counts = {k: sum(1 for _, c in first if c == k) for k in "ABCD"}
    assert counts == {"A": 10, "B": 20, "C": 100, "D": 300}  # ceil(1000 × r%)
    assert len({code for code, _ in first}) == len(first)
    assert draw.draw(entities, "seed-2", RATIOS) != first
    assert draw.quota(7, 10) == 1 and draw.quota(0, 10) == 0 and draw.quota(5, 100) == 5


def test_inspectors_are_dealt_evenly_and_recusals_respected():
    drawn = [f"E{i}" for i in range(6)]
    teams = draw.assign_inspectors(drawn, ["1", "2", "3"], "s", 2, recused={("1", "E0")})
    assert "1" not in teams["E0"]
    load = [sum(1 for t in teams.values() if i in t) for i in "123"]
    assert max(load) - min(load) <= 1
    with pytest.raises(ValueError):
        draw.assign_inspectors(drawn, ["1"], "s", 2)


def _plan(cast):
    body = body_of(cast.a)
    for name in ("检查甲", "检查乙", "检查丙"):
        officer(cast.a, name)
    listed = item(cast.a, "SJ-R")
    listed.is_random = True
    listed.save()
    plan = RandomPlan.objects.create(
        township=cast.a,
        name="2025年双随机抽查",
        body=body,
        start=dt.date(2025, 5, 5),
        end=dt.date(2025, 6, 30),
        ratio_b=10,
    )
    plan.check_items.set([listed])
    return plan


def test_a_draw_is_immutable_and_the_verifier_reproduces_it(
    cast, login, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    for n in range(60):
        enterprise(cast.a, n)
    enterprise(cast.b, 99)
    plan = _plan(cast)
    response = act(login(cast.a_operator), f"/inspections/plans/{plan.pk}/draw/", plan)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "drawn" and len(plan.seed) == 64 and plan.entity_count == 60
    targets = list(plan.targets.order_by("rank"))
    assert len(targets) == 6  # ceil(60 × 10%) of class B
    assert all(len(t.inspectors.split("、")) == 2 for t in targets)
    with pytest.raises(ValidationError, match="不可更改"):
        random.draw_plan(plan, actor=cast.a_operator)
    edit = login(cast.a_operator).post(
        f"/inspections/plans/{plan.pk}/edit/", {"version": plan.version}
    )
    assert edit.status_code in (400, 403)
    # the public page, the list and the result: enough to verify without the platform
    page = client.get(f"/gk/inspections/plans/{plan.pk}/").content.decode()
    assert plan.seed in page
    list_file = tmp_path / "list.csv"
    list_file.write_bytes(
        b"".join(client.get(f"/gk/inspections/plans/{plan.pk}/list.csv").streaming_content)
    )
    result_file = tmp_path / "result.csv"
    result_file.write_bytes(client.get(f"/gk/inspections/plans/{plan.pk}/result.csv").content)
    verifier = tmp_path / "draw.py"
    verifier.write_bytes(
        b"".join(client.get("/gk/inspections/plans/verifier/draw.py").streaming_content)
    )
    run = subprocess.run(  # noqa: S603 - our own file, fixed arguments
        [sys.executable, str(verifier), "verify", str(list_file), "--result", str(result_file)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert run.returncode == 0 and "一致" in run.stdout, run.stdout + run.stderr
    # a tampered result is caught
    lines = result_file.read_text(encoding="utf-8").splitlines()
    lines[2] = "91410000MA00000059,B,x,"
    result_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tampered = subprocess.run(  # noqa: S603
        [sys.executable, str(verifier), "verify", str(list_file), "--result", str(result_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert tampered.returncode == 1 and "不一致" in tampered.stdout
    assert registry.compute("inspections.random_targets", cast.a, Period.year(2025)).value == 6
    assert Path(random.list_path(plan)).exists()


def test_the_draw_needs_two_certified_inspectors(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    enterprise(cast.a, 1)
    plan = RandomPlan.objects.create(
        township=cast.a,
        name="计划",
        body=body_of(cast.a),
        start=dt.date(2025, 5, 5),
        end=dt.date(2025, 6, 30),
    )
    listed = item(cast.a, "SJ-R")
    listed.is_random = True
    listed.save()
    plan.check_items.set([listed])
    officer(cast.a, "独一人")
    with pytest.raises(ValidationError, match="不足2人"):
        random.draw_plan(plan, actor=cast.a_operator)


def test_the_draw_writes_its_change_records_without_a_query_per_drawn_entity(
    cast, settings, tmp_path
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fazhi.core.models import ChangeRecord

    settings.MEDIA_ROOT = tmp_path
    for n in range(60):
        enterprise(cast.a, n)
    few = _plan(cast)
    few.ratio_b = 10
    few.save()
    many = RandomPlan.objects.create(
        township=cast.a,
        name="第二批",
        body=few.body,
        start=few.start,
        end=few.end,
        ratio_b=100,
    )
    many.check_items.set(few.check_items.all())
    warm = RandomPlan.objects.create(
        township=cast.a, name="预热", body=few.body, start=few.start, end=few.end, ratio_b=10
    )
    warm.check_items.set(few.check_items.all())
    random.draw_plan(warm, actor=cast.a_operator)  # content types and the like cached
    queries = []
    for plan in (few, many):
        with CaptureQueriesContext(connection) as captured:
            random.draw_plan(plan, actor=cast.a_operator)
        queries.append(len(captured))
    assert few.targets.count() == 6 and many.targets.count() == 60
    assert queries[0] == queries[1]  # 6 or 60 drawn: the same queries
    recorded = ChangeRecord.objects.filter(
        object_id__in=[str(pk) for pk in many.targets.values_list("pk", flat=True)],
        content_type__model="randomtarget",
    )
    assert recorded.count() == 60
    first = recorded.get(object_id=str(many.targets.get(rank=1).pk))
    assert first.object_repr == "第二批 · 1"


class TestPlans(ResourceSuite):
    resource_key = "inspections:plans"
    changes = {"ratio_a": 5}

    def make(self, cast, township):
        return RandomPlan.objects.create(
            township=township,
            name=f"计划{RandomPlan.objects.count()}",
            body=body_of(township),
            start=dt.date(2025, 5, 5),
            end=dt.date(2025, 6, 30),
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "name": "2025年第二批",
            "body": body_of(cast.a),
            "check_items": [item(cast.a, "SJ-N").pk],
            "ratio_a": 1,
            "ratio_b": 2,
            "ratio_c": 10,
            "ratio_d": 30,
            "inspectors_per_entity": 2,
            "start": dt.date(2025, 7, 1),
            "end": dt.date(2025, 8, 31),
        }


class TestTargets(ReadOnlyResourceSuite):
    resource_key = "inspections:targets"
    label_field = "credit_code"
    changes = {"inspectors": "改写"}

    def make(self, cast, township):
        plan = RandomPlan.objects.create(
            township=township,
            name=f"计划{RandomPlan.objects.count()}",
            body=body_of(township),
            start=dt.date(2025, 5, 5),
            end=dt.date(2025, 6, 30),
            seed="x",
        )
        firm = enterprise(township)
        return RandomTarget.objects.create(
            township=township,
            plan=plan,
            rank=1,
            enterprise=firm,
            credit_code=firm.credit_code,
            credit_class="B",
            inspectors="甲、乙",
        )

    def new_data(self, cast):
        plan = RandomPlan.objects.filter(township=cast.a).first() or RandomPlan.objects.create(
            township=cast.a,
            name="新计划",
            body=body_of(cast.a),
            start=dt.date(2025, 5, 5),
            end=dt.date(2025, 6, 30),
        )
        return {
            "township": cast.a,
            "plan": plan,
            "rank": 2,
            "enterprise": enterprise(cast.a),
            "credit_code": "X",
            "credit_class": "B",
            "inspectors": "甲",
            "result": "",
            "result_on": None,
        }

    def made_by_workflow(self, cast):
        import tempfile

        from django.test import override_settings

        for n in range(30):
            enterprise(cast.a, 500 + n)
        with override_settings(MEDIA_ROOT=tempfile.mkdtemp()):
            plan = random.draw_plan(_plan(cast), actor=cast.a_operator)
        return plan.targets.first()


def test_the_fast_selection_equals_the_documented_hex_key_rule_of_v1():
    entities = [(f"C{i:06d}", "ABCD"[i % 4]) for i in range(2000)]
    reference = []
    for klass in "ABCD":
        codes = [code for code, k in entities if k == klass]
        n = draw.quota(len(codes), RATIOS[klass])
        keyed = sorted((draw.key("s", klass, code), code) for code in codes)[:n]
        reference += [(code, klass) for _, code in keyed]
    assert draw.draw(entities, "s", RATIOS, "v1") == reference
