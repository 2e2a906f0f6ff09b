"""Recusals (回避): recorded conflicts of interest are honoured by the 双随机 draw (an inspector
recused for an entity is never paired with it), the standalone verifier still reproduces the
published list, and the record is a resource like any other (isolation suite)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from fazhi.core.testing import ResourceSuite
from fazhi.enforcement.tests.helpers import body_of, officer
from fazhi.inspections import draw, random
from fazhi.inspections.models import Enterprise, RandomPlan, Recusal
from fazhi.inspections.tests.helpers import enterprise, item

SEED = "a" * 64


@pytest.fixture
def plan(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for n in range(60):
        enterprise(cast.a, 300 + n)
    people = [officer(cast.a, name) for name in ("检查甲", "检查乙", "检查丙")]
    listed = item(cast.a, "SJ-R")
    listed.is_random = True
    listed.save()
    plan = RandomPlan.objects.create(
        township=cast.a,
        name="回避测试",
        body=body_of(cast.a),
        start=dt.date(2025, 5, 5),
        end=dt.date(2025, 6, 30),
        ratio_b=10,
    )
    plan.check_items.set([listed])
    plan.people = people
    return plan


def _drawn_codes(cast):
    rows = [(e.credit_code, e.credit_class) for e in Enterprise.objects.filter(township=cast.a)]
    return [code for code, _ in draw.draw(rows, SEED, {"A": 1, "B": 10, "C": 10, "D": 30})]


def _recuse(cast, person, code):
    return Recusal.objects.create(
        township=cast.a,
        officer=person,
        enterprise=Enterprise.objects.get(township=cast.a, credit_code=code),
        reason="近亲属在该企业任职",
        recorded_on=dt.date(2025, 4, 1),
    )


def test_the_draw_never_pairs_a_recused_inspector_with_the_entity(cast, plan, capsys, tmp_path):
    a, b, _ = plan.people
    codes = _drawn_codes(cast)
    assert len(codes) == 6
    ids = [str(p.pk) for p in plan.people]
    unrecused = draw.assign_inspectors(codes, ids, SEED, 2)
    # the test means something: without the records 甲 would inspect some of the first three
    assert any(str(a.pk) in unrecused[code] for code in codes[:3])
    for code in codes[:3]:
        _recuse(cast, a, code)
    _recuse(cast, b, codes[3])
    lifted = _recuse(cast, a, codes[4])  # a lifted recusal no longer counts
    lifted.is_active = False
    lifted.save()
    drawn = random.draw_plan(plan, actor=cast.a_operator, seed=SEED)
    teams = {t.credit_code: t.inspectors.split("、") for t in drawn.targets.all()}
    assert [t.credit_code for t in drawn.targets.order_by("rank")] == codes
    for code in codes[:3]:
        assert a.name not in teams[code] and len(teams[code]) == 2
    assert b.name not in teams[codes[3]]
    # the standalone verifier reproduces the published list from the list file and seed alone
    result = tmp_path / "result.csv"
    result.write_text("\n".join(codes) + "\n", encoding="utf-8")
    assert draw.main(["verify", str(random.list_path(drawn)), "--result", str(result)]) == 0
    assert "一致" in capsys.readouterr().out


def test_a_draw_that_recusals_leave_unstaffed_is_refused_and_writes_nothing(cast, plan):
    a, b, _ = plan.people
    code = _drawn_codes(cast)[0]
    _recuse(cast, a, code)
    _recuse(cast, b, code)
    with pytest.raises(ValidationError, match="回避"):
        random.draw_plan(plan, actor=cast.a_operator, seed=SEED)
    plan.refresh_from_db()
    assert plan.status == "draft" and not plan.targets.exists()


def test_a_recusal_must_stay_inside_its_township(cast):
    foreign = officer(cast.b, "乙镇人员")
    row = Recusal(
        township=cast.a,
        officer=foreign,
        enterprise=enterprise(cast.a),
        reason="曾在该企业任职",
        recorded_on=dt.date(2025, 4, 1),
    )
    with pytest.raises(ValidationError) as err:
        row.full_clean()
    assert "officer" in err.value.error_dict


class TestRecusals(ResourceSuite):
    resource_key = "inspections:recusals"
    label_field = "reason"
    changes = {"reason": "配偶在该企业担任股东"}

    def make(self, cast, township):
        n = Recusal.objects.count()
        return Recusal.objects.create(
            township=township,
            officer=officer(township, f"回避{n}"),
            enterprise=enterprise(township),
            reason=f"近亲属在该企业任职{n}",
            recorded_on=dt.date(2025, 4, 1),
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "officer": officer(cast.a, "新回避人员"),
            "enterprise": enterprise(cast.a),
            "reason": "曾在该企业工作未满两年",
            "recorded_on": dt.date(2025, 4, 2),
            "is_active": True,
        }
