"""find_or_create_party, merge and split."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.core.models import ChangeRecord, DomainEvent
from fazhi.disputes.models import DisputeParty
from fazhi.disputes.tests.helpers import raw_dispute
from fazhi.parties import services
from fazhi.parties.models import Party, PartyMerge

ID = "11010519491231002X"


@pytest.fixture
def find(cast):
    def _find(**kw):
        kw.setdefault("actor", cast.a_operator)
        return services.find_or_create_party(cast.a, **kw)

    return _find


def test_same_id_number_finds_the_same_party(find):
    first = find(name="张三", id_number=ID)
    again = find(name="张三", id_number=ID.lower(), phone="13800000000")
    assert again.pk == first.pk
    assert Party.objects.get(pk=first.pk).phone == "13800000000"  # blank filled in


def test_name_and_phone_match_without_id(find):
    first = find(name="李四", phone="13900000001")
    assert find(name="李 四", phone="139-0000-0001").pk == first.pk


def test_a_name_alone_never_matches(find):
    assert find(name="王五").pk != find(name="王五").pk


def test_id_number_fills_in_an_entry_known_by_name_and_phone(find):
    first = find(name="赵六", phone="13700000002")
    again = find(name="赵六", phone="13700000002", id_number=ID)
    assert again.pk == first.pk
    assert Party.objects.get(pk=first.pk).id_number == ID


def test_different_id_numbers_are_different_parties(find):
    first = find(name="孙七", phone="13600000003", id_number=ID)
    other = find(name="孙七", phone="13600000003", id_number="110105194912310011")
    assert other.pk != first.pk


def test_matching_is_per_township(cast, find):
    mine = find(name="张三", id_number=ID)
    theirs = services.find_or_create_party(cast.b, name="张三", id_number=ID, actor=cast.b_operator)
    assert mine.pk != theirs.pk


def test_grid_worker_may_register_parties_in_own_township_only(cast):
    services.find_or_create_party(cast.a, name="周八", actor=cast.a1_grid)
    with pytest.raises(PermissionDenied):
        services.find_or_create_party(cast.b, name="周八", actor=cast.a1_grid)


def test_invalid_id_number_is_refused_in_chinese(find):
    with pytest.raises(ValidationError) as exc:
        find(name="吴九", id_number="110105194912310021")
    assert "校验位" in str(exc.value)


def test_merge_moves_references_keeps_alias_and_split_restores(cast, find):
    keep = find(name="张三", id_number=ID)
    dup = find(name="张叁", phone="13800000009")
    d1, d2 = raw_dispute(cast, cast.a), raw_dispute(cast, cast.a)
    DisputeParty.objects.create(township=cast.a, dispute=d1, party=keep, role="applicant")
    link = DisputeParty.objects.create(township=cast.a, dispute=d2, party=dup, role="respondent")

    merge = services.merge_parties(keep, dup, actor=cast.a_operator, reason="同一人，姓名录入有误")

    assert DisputeParty.objects.get(pk=link.pk).party_id == keep.pk
    assert Party.objects.get(pk=dup.pk).merged_into_id == keep.pk
    assert merge.moved == [{"model": "disputes.disputeparty", "pk": link.pk, "field": "party"}]
    assert ChangeRecord.objects.filter(object_id=str(link.pk), action="update").exists()
    assert DomainEvent.objects.filter(kind="parties.merged").count() == 1
    # the alias's phone still finds the survivor
    assert find(name="张叁", phone="13800000009").pk == keep.pk

    restored = services.split_party(merge, actor=cast.a_operator, reason="经核实为两人")
    assert restored.merged_into_id is None
    assert DisputeParty.objects.get(pk=link.pk).party_id == dup.pk
    assert PartyMerge.objects.get(pk=merge.pk).is_split
    assert DomainEvent.objects.filter(kind="parties.split").count() == 1


def test_merge_keeps_a_reference_that_would_duplicate(cast, find):
    keep, dup = find(name="甲", phone="13100000001"), find(name="乙", phone="13100000002")
    d = raw_dispute(cast, cast.a)
    DisputeParty.objects.create(township=cast.a, dispute=d, party=keep, role="applicant")
    both = DisputeParty.objects.create(township=cast.a, dispute=d, party=dup, role="respondent")
    merge = services.merge_parties(keep, dup, actor=cast.a_operator, reason="同一人")
    assert merge.kept == [{"model": "disputes.disputeparty", "pk": both.pk, "field": "party"}]
    assert DisputeParty.objects.get(pk=both.pk).party_id == dup.pk


def test_merge_needs_a_reason_and_the_same_township(cast, find):
    keep = find(name="甲", phone="13100000001")
    with pytest.raises(ValidationError):
        services.merge_parties(keep, find(name="乙"), actor=cast.a_operator, reason="")
    other = services.find_or_create_party(cast.b, name="乙", actor=cast.b_operator)
    with pytest.raises(Exception):  # noqa: B017  (404: outside the actor's scope)
        services.merge_parties(keep, other, actor=cast.a_operator, reason="同一人")


def test_mediator_cannot_merge(cast, find):
    a, b = find(name="甲"), find(name="乙")
    with pytest.raises(PermissionDenied):
        services.merge_parties(a, b, actor=cast.a1_mediator, reason="同一人")


def test_merged_alias_cannot_be_merged_again(cast, find):
    a, b, c = find(name="甲"), find(name="乙"), find(name="丙")
    services.merge_parties(a, b, actor=cast.a_operator, reason="同一人")
    with pytest.raises(ValidationError):
        services.merge_parties(
            c, Party.objects.get(pk=b.pk), actor=cast.a_operator, reason="同一人"
        )
