"""双随机 results: entering each drawn entity's result on phone-width pages (record_result), the
publication of the results within 20 工作日 (publish_results, its deadline and the timeliness
figure), versions on every write, and another township's user getting 404 on every page."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from fazhi.core.deadlines import deadlines_for
from fazhi.core.services import ConflictError
from fazhi.enforcement.tests.helpers import body_of, officer
from fazhi.indicators import registry
from fazhi.indicators.registry import Period
from fazhi.inspections import random
from fazhi.inspections.models import RandomPlan
from fazhi.inspections.tests.helpers import enterprise, item

D = dt.date
JUNE_20 = D(2025, 6, 20)
DUE = D(2025, 7, 28)  # 20 工作日 after 2025-06-30 (no holiday in July)


@pytest.fixture
def drawn(cast, settings, tmp_path):
    """A drawn plan of cast.a with 3 entities (class B at 10% of 30)."""
    settings.MEDIA_ROOT = tmp_path
    for n in range(30):
        enterprise(cast.a, 700 + n)
    for name in ("检查甲", "检查乙", "检查丙"):
        officer(cast.a, name)
    listed = item(cast.a, "SJ-R")
    listed.is_random = True
    listed.save()

    def make(name="2025年双随机抽查"):
        plan = RandomPlan.objects.create(
            township=cast.a,
            name=name,
            body=body_of(cast.a),
            start=D(2025, 5, 5),
            end=D(2025, 6, 30),
            ratio_b=10,
        )
        plan.check_items.set([listed])
        return random.draw_plan(plan, actor=cast.a_operator)

    return make


def _enter_all(plan, actor, on=JUNE_20):
    for target in plan.targets.order_by("rank"):
        random.record_result(
            target, result="ok", result_on=on, actor=actor, expected_version=target.version
        )


def test_results_are_entered_one_entity_after_another_and_published_on_time(cast, login, drawn):
    plan = drawn()
    assert plan.results_due_on == DUE
    targets = list(plan.targets.order_by("rank"))
    assert len(targets) == 3
    client = login(cast.a_operator)
    page = client.get(f"/inspections/plans/{plan.pk}/results/").content.decode()
    assert targets[0].enterprise.name in page and "待登记3户" in page
    assert "2025-07-28前" in page and "公示抽查结果" not in page  # not before all are entered
    form = client.get(f"/inspections/targets/{targets[0].pk}/result/")
    assert form.status_code == 200 and "检查人员" in form.content.decode()
    # without the version read: refused, nothing written
    missing = client.post(
        f"/inspections/targets/{targets[0].pk}/result/", {"result": "ok", "result_on": "2025-06-02"}
    )
    assert missing.status_code == 400 and "缺少版本号" in missing.content.decode()
    targets[0].refresh_from_db()
    assert targets[0].result == ""
    # a date before the plan's start: the error names the field
    early = client.post(
        f"/inspections/targets/{targets[0].pk}/result/",
        {"result": "ok", "result_on": "2025-01-02", "version": targets[0].version},
    )
    assert early.status_code == 400 and "检查日期" in early.content.decode()
    for n, (target, result) in enumerate(zip(targets, ["ok", "fixed", "case"], strict=True)):
        response = client.post(
            f"/inspections/targets/{target.pk}/result/",
            {"result": result, "result_on": f"2025-06-1{n}", "version": target.version},
        )
        assert response.status_code == 302
        following = targets[n + 1] if n + 1 < len(targets) else None
        expected = (
            f"/inspections/targets/{following.pk}/result/"
            if following
            else f"/inspections/plans/{plan.pk}/results/"
        )
        assert response["Location"] == expected
    assert [t.result for t in plan.targets.order_by("rank")] == ["ok", "fixed", "case"]
    # a stale version (the page read before someone else saved) is refused
    stale = client.post(
        f"/inspections/targets/{targets[0].pk}/result/",
        {"result": "not_found", "result_on": "2025-06-10", "version": targets[0].version},
    )
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    page = client.get(f"/inspections/plans/{plan.pk}/results/").content.decode()
    assert "公示抽查结果" in page and "未公示，已逾期" in page  # today is after 2025-07-28
    plan.refresh_from_db()
    published = client.post(
        f"/inspections/plans/{plan.pk}/publish/",
        {"published_on": "2025-07-28", "version": plan.version},
    )
    assert published.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "published" and plan.results_published_on == DUE
    assert random.timeliness(plan) == "按期公示"
    assert deadlines_for(plan).get().status == "done"
    rate = registry.compute("inspections.random_publication_rate", cast.a, Period.year(2025))
    assert rate.value == 100
    # published results are final
    again = client.post(
        f"/inspections/targets/{targets[0].pk}/result/",
        {"result": "ok", "result_on": "2025-06-10", "version": targets[0].version + 1},
    )
    assert again.status_code in (400, 403)
    assert plan.targets.get(pk=targets[0].pk).result == "ok"


def test_late_publication_is_kept_and_counted_late(cast, drawn):
    on_time, late = drawn("上半年"), drawn("下半年")
    for plan in (on_time, late):
        with pytest.raises(ValidationError, match="还有3户未登记"):
            random.publish_results(plan, published_on=DUE, actor=cast.a_operator)
        _enter_all(plan, cast.a_operator)
        plan.refresh_from_db()
    with pytest.raises(ConflictError):
        random.publish_results(
            on_time, published_on=DUE, actor=cast.a_operator, expected_version=on_time.version - 1
        )
    with pytest.raises(ValidationError, match="早于最后一户"):
        random.publish_results(on_time, published_on=D(2025, 6, 1), actor=cast.a_operator)
    random.publish_results(
        on_time, published_on=D(2025, 7, 1), actor=cast.a_operator, expected_version=on_time.version
    )
    late = random.publish_results(
        late, published_on=D(2025, 7, 29), actor=cast.a_operator, expected_version=late.version
    )
    assert random.timeliness(late) == "逾期公示"
    assert deadlines_for(late).get().status == "done_late"
    rate = registry.compute("inspections.random_publication_rate", cast.a, Period.year(2025))
    assert rate.value == 50
    # before its due date a plan without publication is not yet counted
    assert random.timeliness(late, today=D(2025, 7, 1)) != "未公示，已逾期"


def test_another_townships_user_gets_404_on_every_results_page(cast, login, drawn):
    plan = drawn()
    target = plan.targets.first()
    client = login(cast.b_operator)
    assert client.get(f"/inspections/plans/{plan.pk}/results/").status_code == 404
    assert client.get(f"/inspections/targets/{target.pk}/result/").status_code == 404
    post = {"result": "ok", "result_on": "2025-06-02", "version": target.version}
    assert client.post(f"/inspections/targets/{target.pk}/result/", post).status_code == 404
    publish = {"published_on": "2025-07-01", "version": plan.version}
    assert client.post(f"/inspections/plans/{plan.pk}/publish/", publish).status_code == 404
    target.refresh_from_db()
    assert target.result == ""
