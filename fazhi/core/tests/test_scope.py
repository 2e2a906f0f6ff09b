"""The scope gate itself: which rows each role sees and may change."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from fazhi.core import scope
from fazhi.core.models import Grid, LeadingGroup, Township, Village

pytestmark = pytest.mark.django_db


def test_township_operator_sees_only_own_township(cast):
    assert set(Village.objects.visible_to(cast.a_operator)) == {cast.a1, cast.a2}
    assert set(Township.objects.visible_to(cast.a_operator)) == {cast.a}


def test_county_supervisor_reads_all_townships_of_county_only(cast):
    assert set(Township.objects.visible_to(cast.supervisor)) == {cast.a, cast.b}
    assert cast.c not in Township.objects.visible_to(cast.supervisor)
    assert not Village.objects.visible_to(cast.supervisor, "change").exists()


def test_platform_admin_sees_everything(cast):
    assert Village.objects.visible_to(cast.admin).count() == Village.objects.count()


def test_user_without_membership_sees_nothing(cast):
    assert not Village.objects.visible_to(cast.nobody).exists()
    assert not scope.has_any(cast.nobody, "view")


def test_village_mediator_is_narrowed_to_their_village(cast):
    Grid.objects.create(township=cast.a, village=cast.a1, name="一格")
    Grid.objects.create(township=cast.a, village=cast.a2, name="二格")
    assert [g.village for g in Grid.objects.visible_to(cast.a1_mediator)] == [cast.a1]
    assert list(Village.objects.visible_to(cast.a1_mediator)) == [cast.a1]


def test_village_role_reads_township_reference_data_but_cannot_write_it(cast):
    group = LeadingGroup.objects.create(township=cast.a, established_on="2025-01-01")
    assert group in LeadingGroup.objects.visible_to(cast.a1_grid)
    assert not LeadingGroup.objects.visible_to(cast.a1_grid, "change").exists()
    assert not LeadingGroup.objects.visible_to(cast.b_operator).exists()


def test_write_roles_restrict_writes_to_org_records(cast):
    # department officers may write their module's records but not the organisation
    assert scope.has_any(cast.a_officer, "add")
    assert not scope.has_any(cast.a_officer, "add", Village)
    assert scope.has_any(cast.a_operator, "add", Village)


def test_ensure_raises_404_outside_view_scope_and_403_inside(cast):
    with pytest.raises(Http404):
        scope.ensure(cast.b_operator, "view", cast.a1)
    with pytest.raises(PermissionDenied):
        scope.ensure(cast.a_viewer, "change", cast.a1)
    scope.ensure(cast.a_operator, "change", cast.a1)


def test_inactive_user_has_no_scope(cast):
    cast.a_operator.is_active = False
    cast.a_operator.save()
    scope.forget(cast.a_operator)
    assert not Village.objects.visible_to(cast.a_operator).exists()


def test_memberships_are_cached_per_user_object(cast, django_assert_num_queries):
    scope.forget(cast.a_operator)
    list(Village.objects.visible_to(cast.a_operator))
    with django_assert_num_queries(1):
        list(Village.objects.visible_to(cast.a_operator))


def test_no_record_may_point_at_another_townships_rows(cast):
    from django.core.exceptions import ValidationError

    from fazhi.core.models import GridAssignment, Staff

    grid = Grid.objects.create(township=cast.b, village=cast.b1, name="乙格")
    staff = Staff.objects.create(township=cast.a, name="甲员")
    row = GridAssignment(township=cast.a, grid=grid, staff=staff, start="2025-01-01")
    with pytest.raises(ValidationError) as exc:
        row.full_clean()
    assert (
        exc.value.message_dict["grid"] == ["所选网格不属于该乡镇。"]
        or "grid" in exc.value.message_dict
    )


def test_a_bulk_writer_checks_the_gate_once_only_for_whole_townships(cast):
    """Ledger imports write in bulk only for the system or a user who may add and change the
    records (and add parties) in all of each township named in the file; anyone narrower goes
    through the services row by row."""
    from fazhi.disputes.models import Dispute

    assert scope.bulk_writer_may(None, Dispute, [cast.a.pk, cast.c.pk])
    assert scope.bulk_writer_may(cast.a_operator, Dispute, [cast.a.pk])
    assert not scope.bulk_writer_may(cast.a_operator, Dispute, [cast.a.pk, cast.b.pk])
    assert not scope.bulk_writer_may(cast.a1_mediator, Dispute, [cast.a.pk])
    assert not scope.bulk_writer_may(cast.supervisor, Dispute, [cast.a.pk])
    assert not scope.bulk_writer_may(cast.nobody, Dispute, [cast.a.pk])
