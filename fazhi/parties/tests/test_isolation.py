"""The party index's own pages (reveal, merge, split, the full export): another township's user
can neither read nor change an entry through them (the generic pages: test_resources.py)."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from fazhi.core.models import ChangeRecord, DomainEvent
from fazhi.core.testing import act
from fazhi.parties import services
from fazhi.parties.models import Party, PartyMerge

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


def _state() -> tuple[int, int]:
    return ChangeRecord.objects.count(), DomainEvent.objects.count()


@pytest.fixture
def pair(cast):
    first = services.find_or_create_party(cast.a, name="张明", phone=PHONE, actor=cast.a_operator)
    second = services.find_or_create_party(cast.a, name="张 明", actor=cast.a_operator)
    return first, second


def test_other_township_cannot_reveal_merge_or_split(cast, login, pair):
    first, second = pair
    merge = services.merge_parties(first, second, actor=cast.a_operator, reason="同一人")
    client = login(cast.b_operator)
    before = _state()
    assert client.post(f"/parties/parties/{first.pk}/reveal/phone/").status_code == 404
    assert client.get(f"/parties/parties/{first.pk}/merge/").status_code == 404
    data = {"other": second.pk, "keep": "this", "reason": "x"}
    assert act(client, f"/parties/parties/{first.pk}/merge/", first, data).status_code == 404
    split = f"/parties/merges/{merge.pk}/split/"
    assert act(client, split, merge, {"reason": "误合并"}).status_code == 404
    assert client.get(f"/parties/merges/{merge.pk}/").status_code == 404
    assert _state() == before
    assert PartyMerge.objects.get(pk=merge.pk).split_on is None
    assert Party.objects.get(pk=second.pk).merged_into_id == first.pk


def test_full_export_holds_only_the_users_township(cast, login, pair):
    services.find_or_create_party(cast.b, name="乙镇人", phone="13900000009", actor=cast.b_operator)
    response = login(cast.b_operator).get("/parties/parties/export-pii/")
    assert response.status_code == 200
    values = {
        str(v)
        for row in load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)
        for v in row
        if v is not None
    }
    assert "13900000009" in values and PHONE not in values and "张明" not in values
    exported = DomainEvent.objects.filter(kind="parties.pii_exported")
    assert [e.township_id for e in exported] == [cast.b.pk]
