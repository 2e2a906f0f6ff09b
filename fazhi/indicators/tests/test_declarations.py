"""未记录, a declared 0 and 不适用 stay distinct: statuses, display, the service, the pages."""

import pytest
from django.core.exceptions import ValidationError

from fazhi.core.models import Village
from fazhi.core.services import ConflictError
from fazhi.core.testing import ResourceSuite
from fazhi.indicators import registry
from fazhi.indicators.models import FigureDeclaration
from fazhi.indicators.registry import NO_RECORDS, NOT_APPLICABLE, RECORDED, ZERO, Period
from fazhi.indicators.services import declare, withdraw

Y = Period.year(2025)


@pytest.mark.django_db
def test_empty_count_is_no_records_not_zero(cast):
    figure = registry.compute("core.grids", cast.a, Y)
    assert figure.status == NO_RECORDS
    assert figure.value is None
    assert figure.display == "未记录"
    assert figure.as_dict()["status_label"] == "未记录"


@pytest.mark.django_db
def test_nil_return_makes_a_real_zero(cast):
    declare(
        cast.a, "core.grids", 2025, "nil", "网格台账已建立，本年度未划分网格", actor=cast.a_admin
    )
    figure = registry.compute("core.grids", cast.a, Y)
    assert (figure.status, figure.value, figure.display) == (ZERO, 0, "0个")
    assert figure.note == "网格台账已建立，本年度未划分网格"
    # only that year, only that township
    assert registry.compute("core.grids", cast.a, Period.year(2024)).status == NO_RECORDS
    assert registry.compute("core.grids", cast.b, Y).status == NO_RECORDS


@pytest.mark.django_db
def test_nil_return_for_a_rate_says_nothing_happened(cast):
    declare(cast.a, "core.village_contact_coverage", 2025, "nil", "无", actor=cast.a_admin)
    Village.objects.filter(township=cast.a).delete()
    figure = registry.compute("core.village_contact_coverage", cast.a, Y)
    assert figure.status == ZERO
    assert figure.value is None
    assert figure.display == "0/0（本年度未发生）"


@pytest.mark.django_db
def test_not_applicable_declaration(cast):
    declare(
        cast.a,
        "core.grids",
        2025,
        "not_applicable",
        "本镇实行社区网格化另行统计",
        actor=cast.a_admin,
    )
    figure = registry.compute("core.grids", cast.a, Y)
    assert (figure.status, figure.value, figure.display) == (NOT_APPLICABLE, None, "不适用")


@pytest.mark.django_db
def test_records_win_over_a_declaration(cast):
    declare(cast.a, "core.villages", 2025, "nil", "误报", actor=cast.a_admin)
    figure = registry.compute("core.villages", cast.a, Y)
    assert figure.status == RECORDED and figure.value == 2


@pytest.mark.django_db
def test_batch_computation_settles_the_same_way(cast):
    declare(cast.a, "core.grids", 2025, "not_applicable", "无网格", actor=cast.a_admin)
    figures = registry.compute_many(["core.grids", "core.grid_workers", "core.villages"], cast.a, Y)
    assert figures["core.grids"].status == NOT_APPLICABLE
    assert figures["core.grid_workers"].status == NO_RECORDS
    assert figures["core.villages"].status == RECORDED
    group = {f.metric.code: f.status for f in registry.compute_group("core", cast.a, Y)}
    assert group["core.grids"] == NOT_APPLICABLE


@pytest.mark.django_db
def test_declaring_again_changes_it_with_history_and_version(cast):
    first = declare(cast.a, "core.grids", 2025, "nil", "甲", actor=cast.a_admin)
    second = declare(
        cast.a, "core.grids", 2025, "not_applicable", "乙", actor=cast.a_admin, expected_version=1
    )
    assert second.pk == first.pk and second.version == 2
    with pytest.raises(ConflictError):
        declare(cast.a, "core.grids", 2025, "nil", "丙", actor=cast.a_admin, expected_version=1)
    withdraw(second, actor=cast.a_admin, expected_version=2)
    assert registry.compute("core.grids", cast.a, Y).status == NO_RECORDS


@pytest.mark.django_db
def test_unknown_metric_and_empty_reason_are_refused(cast):
    with pytest.raises(ValidationError) as error:
        declare(cast.a, "nope.nothing", 2025, "nil", "", actor=cast.a_admin)
    assert set(error.value.message_dict) == {"metric_code", "reason"}
    assert not FigureDeclaration.objects.exists()


class TestDeclarations(ResourceSuite):
    resource_key = "indicators:declarations"
    label_field = "reason"
    changes = {"reason": "台账已建立，全年未发生"}

    def make(self, cast, township):
        year = 2000 + FigureDeclaration.objects.count()
        return FigureDeclaration.objects.create(
            township=township, metric_code="core.grids", year=year, kind="nil", reason=f"说明{year}"
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "metric_code": "core.grid_workers",
            "year": 2025,
            "kind": "not_applicable",
            "reason": "本镇无专职网格员编制",
        }
