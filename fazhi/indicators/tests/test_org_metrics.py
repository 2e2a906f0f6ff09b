"""The org metrics of core: what each counts as at the period's end, and its drill-down."""

import datetime as dt

import pytest

from fazhi.core.models import (
    Grid,
    GridAssignment,
    LeadingGroup,
    LeadingGroupMember,
    Staff,
    Village,
    VillageContact,
)
from fazhi.indicators.registry import NO_RECORDS, Period, compute, metric

Y2025 = Period.year(2025)
D = dt.date


def _staff(township, name):
    return Staff.objects.create(township=township, name=name)


@pytest.mark.django_db
def test_villages_count_only_the_townships_own(cast):
    Village.objects.create(township=cast.a, name="甲场", kind="farm")
    assert compute("core.villages", cast.a, Y2025).value == 3  # 甲一村, 甲二村, 甲场
    assert compute("core.villages", cast.b, Y2025).value == 1
    assert compute("core.villages", cast.c, Y2025).status == NO_RECORDS  # not a 0


@pytest.mark.django_db
def test_grids_count_every_grid_of_the_township(cast):
    for n in range(3):
        Grid.objects.create(township=cast.a, village=cast.a1, name=f"第{n}网格")
    Grid.objects.create(township=cast.b, village=cast.b1, name="乙网格")
    assert compute("core.grids", cast.a, Y2025).value == 3
    assert {g.name for g in metric("core.grids").drilldown(cast.a, Y2025)} == {
        "第0网格",
        "第1网格",
        "第2网格",
    }


@pytest.mark.django_db
def test_grid_workers_are_full_time_assignments_active_at_period_end(cast):
    grid = Grid.objects.create(township=cast.a, village=cast.a1, name="一组")

    def assign(name, start, end=None, full_time=True):
        return GridAssignment.objects.create(
            township=cast.a,
            grid=grid,
            staff=_staff(cast.a, name),
            start=start,
            end=end,
            full_time=full_time,
        )

    counted = assign("在岗", D(2025, 3, 1))
    second = assign("同格第二人", D(2024, 1, 1), D(2025, 12, 31))  # ends on the last day
    assign("年中离岗", D(2024, 1, 1), D(2025, 6, 30))
    assign("次年到岗", D(2026, 1, 1))
    assign("兼职", D(2025, 1, 1), full_time=False)
    figure = compute("core.grid_workers", cast.a, Y2025)
    assert figure.value == 2
    assert set(metric("core.grid_workers").drilldown(cast.a, Y2025)) == {counted, second}
    assert compute("core.grid_workers", cast.a, Period.year(2024)).value == 2  # 同格, 年中离岗


@pytest.mark.django_db
def test_leading_group_members_count_only_rule_of_law_groups_in_term(cast):
    rule_of_law = LeadingGroup.objects.create(
        township=cast.a, name="法治政府建设工作领导小组", established_on=D(2025, 2, 1)
    )
    other = LeadingGroup.objects.create(
        township=cast.a, name="依法行政协调指导小组", established_on=D(2025, 2, 1)
    )

    def member(group, name, role, start, end=None):
        return LeadingGroupMember.objects.create(
            township=cast.a,
            group=group,
            staff=_staff(cast.a, name),
            role=role,
            term_start=start,
            term_end=end,
        )

    member(rule_of_law, "书记", "leader", D(2025, 2, 1))
    member(rule_of_law, "镇长", "executive_deputy", D(2025, 2, 1))
    member(rule_of_law, "调走的副镇长", "deputy", D(2025, 2, 1), D(2025, 8, 31))
    member(other, "镇长", "leader", D(2025, 2, 1))
    assert compute("core.leading_group_members", cast.a, Y2025).value == 2
    assert compute("core.leading_group_members", cast.a, Period.year(2024)).display == "未记录"


@pytest.mark.django_db
def test_contact_coverage_is_villages_with_a_contact_over_all_villages(cast):
    leader = _staff(cast.a, "包村副镇长")
    VillageContact.objects.create(
        township=cast.a, village=cast.a1, staff=leader, start=D(2025, 1, 1)
    )
    # a contact that ended before the period's end does not cover a2
    VillageContact.objects.create(
        township=cast.a, village=cast.a2, staff=leader, start=D(2024, 1, 1), end=D(2025, 5, 31)
    )
    figure = compute("core.village_contact_coverage", cast.a, Y2025)
    assert (figure.numerator, figure.denominator) == (1, 2)
    assert figure.display == "1/2 = 50.0%"
    m = metric("core.village_contact_coverage")
    assert list(m.drilldown(cast.a, Y2025, "numerator")) == [cast.a1]
    assert set(m.drilldown(cast.a, Y2025, "denominator")) == {cast.a1, cast.a2}
    # at the end of 2024 only a2's (later ended) contact was in office
    assert list(m.drilldown(cast.a, Period.year(2024), "numerator")) == [cast.a2]


@pytest.mark.django_db
def test_contact_coverage_without_villages_has_no_value(cast):
    figure = compute("core.village_contact_coverage", cast.c, Y2025)
    assert figure.value is None
    assert figure.display == "未记录"
