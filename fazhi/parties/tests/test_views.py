"""PII stays masked on every page, API and export; a reveal is audited; the party page lists
records across modules; merge and split from the pages."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from fazhi.core.models import ChangeRecord, DomainEvent
from fazhi.core.testing import act
from fazhi.disputes.models import DisputeParty
from fazhi.disputes.tests.helpers import raw_dispute
from fazhi.parties.models import Party, PartyMerge

ID = "11010519491231002X"
PHONE = "13812345678"


@pytest.fixture
def party(cast):
    return Party.objects.create(
        township=cast.a, name="张三", id_number=ID, phone=PHONE, address="甲镇甲一村三组12号"
    )


def _no_pii(text: str) -> None:
    assert ID not in text and PHONE not in text and "三组12号" not in text


def test_list_and_detail_show_pii_masked(cast, login, party):
    client = login(cast.a_operator)
    _no_pii(client.get("/parties/parties/").content.decode())
    page = client.get(f"/parties/parties/{party.pk}/").content.decode()
    _no_pii(page)
    assert "1101**********002X" in page and "138****5678" in page


def test_edit_form_shows_masked_values_and_keeps_them(cast, login, party):
    client = login(cast.a_operator)
    form = client.get(f"/parties/parties/{party.pk}/edit/").context["form"]
    assert form.initial["id_number"] == "1101**********002X"
    response = client.post(
        f"/parties/parties/{party.pk}/edit/",
        {
            "kind": "person",
            "name": "张三",
            "id_number": "1101**********002X",
            "phone": "138****5678",
            "address": "甲镇甲一村****",
            "note": "已核实",
            "version": party.version,
        },
    )
    assert response.status_code == 302
    fresh = Party.objects.get(pk=party.pk)
    assert (fresh.id_number, fresh.phone, fresh.note) == (ID, PHONE, "已核实")


def test_api_returns_masked_pii(cast, api, party):
    data = api(cast.a_operator).get(f"/api/parties/parties/{party.pk}/").json()
    assert data["id_number"] == "1101**********002X" and data["phone"] == "138****5678"


def test_export_is_masked_and_pii_export_is_audited(cast, login, party):
    client = login(cast.a_operator)
    plain = client.get("/parties/parties/export/")
    cells = [
        c
        for row in load_workbook(BytesIO(plain.content)).active.iter_rows(values_only=True)
        for c in row
    ]
    assert ID not in cells and "1101**********002X" in cells
    full = client.get("/parties/parties/export-pii/")
    cells = [
        c
        for row in load_workbook(BytesIO(full.content)).active.iter_rows(values_only=True)
        for c in row
    ]
    assert ID in cells
    assert DomainEvent.objects.filter(kind="parties.pii_exported", township=cast.a).exists()


def test_pii_export_needs_view_pii(cast, login, party):
    assert login(cast.a_viewer).get("/parties/parties/export-pii/").status_code == 403


def test_reveal_returns_value_and_records_the_view(cast, login, party):
    response = login(cast.a_operator).post(f"/parties/parties/{party.pk}/reveal/id_number/")
    assert response.status_code == 200 and ID in response.content.decode()
    event = DomainEvent.objects.get(kind="parties.pii_viewed")
    assert event.actor == cast.a_operator and event.payload["field"] == "id_number"


def test_reveal_refused_without_view_pii(cast, login, party):
    assert (
        login(cast.a_viewer).post(f"/parties/parties/{party.pk}/reveal/phone/").status_code == 403
    )
    assert not DomainEvent.objects.filter(kind="parties.pii_viewed").exists()


def test_reveal_in_other_township_is_404(cast, login, party):
    assert (
        login(cast.b_operator).post(f"/parties/parties/{party.pk}/reveal/phone/").status_code == 404
    )


def test_reveal_is_post_only(cast, login, party):
    assert (
        login(cast.a_operator).get(f"/parties/parties/{party.pk}/reveal/phone/").status_code == 405
    )


def test_village_mediator_reveals_through_a_dispute_of_their_village(cast, login, party):
    client = login(cast.a1_mediator)
    assert client.post(f"/parties/parties/{party.pk}/reveal/phone/").status_code == 403
    dispute = raw_dispute(cast, cast.a)  # in 甲一村
    DisputeParty.objects.create(township=cast.a, dispute=dispute, party=party, role="applicant")
    response = client.post(
        f"/parties/parties/{party.pk}/reveal/phone/", {"via": f"disputes.dispute:{dispute.pk}"}
    )
    assert response.status_code == 200 and PHONE in response.content.decode()
    assert (
        DomainEvent.objects.get(kind="parties.pii_viewed").payload["via"]
        == f"disputes.dispute:{dispute.pk}"
    )


def test_reveal_via_a_record_not_naming_the_party_is_refused(cast, login, party):
    dispute = raw_dispute(cast, cast.a)
    response = login(cast.a1_mediator).post(
        f"/parties/parties/{party.pk}/reveal/phone/", {"via": f"disputes.dispute:{dispute.pk}"}
    )
    assert response.status_code == 403


def test_history_masks_pii(cast, login, party):
    client = login(cast.a_operator)
    client.post(
        f"/parties/parties/{party.pk}/edit/",
        {
            "kind": "person",
            "name": "张三",
            "id_number": ID,
            "phone": "13900000000",
            "address": "",
            "version": party.version,
        },
    )
    page = client.get(f"/parties/parties/{party.pk}/history/").content.decode()
    assert "13900000000" not in page and PHONE not in page and "已修改" in page


def test_party_page_lists_records_the_viewer_may_see(cast, login, party):
    mine = raw_dispute(cast, cast.a, title="甲一村的纠纷")
    other = raw_dispute(cast, cast.a, village=cast.a2, title="甲二村的纠纷")
    for d in (mine, other):
        DisputeParty.objects.create(township=cast.a, dispute=d, party=party, role="applicant")
    operator_page = login(cast.a_operator).get(f"/parties/parties/{party.pk}/")
    assert {r.key for r in operator_page.context["records"]} == {
        f"disputes.dispute:{mine.pk}",
        f"disputes.dispute:{other.pk}",
    }
    mediator_page = login(cast.a1_mediator).get(f"/parties/parties/{party.pk}/")
    assert [r.key for r in mediator_page.context["records"]] == [f"disputes.dispute:{mine.pk}"]


def test_merge_and_split_pages(cast, login, party):
    dup = Party.objects.create(township=cast.a, name="张叁", phone="13000000000")
    client = login(cast.a_operator)
    response = act(
        client,
        f"/parties/parties/{party.pk}/merge/",
        party,
        {"other": dup.pk, "keep": "this", "reason": "同一人"},
    )
    assert response.status_code == 302
    merge = PartyMerge.objects.get()
    assert Party.objects.get(pk=dup.pk).merged_into_id == party.pk
    response = act(client, f"/parties/merges/{merge.pk}/split/", merge, {"reason": "两人"})
    assert response.status_code == 302 and Party.objects.get(pk=dup.pk).merged_into_id is None


def test_a_merge_or_split_without_the_version_it_read_or_with_an_older_one_writes_nothing(
    cast, login, party
):
    """A merge posted without the party's version (400) or after someone else saved the party
    (409) moves nothing; a split likewise carries the merge record's version."""
    dup = Party.objects.create(township=cast.a, name="张叁", phone="13000000000")
    client = login(cast.a_operator)
    url = f"/parties/parties/{party.pk}/merge/"
    page = client.get(url).content.decode()
    assert f'name="version" value="{party.version}"' in page
    data = {"other": dup.pk, "keep": "this", "reason": "同一人"}
    before = ChangeRecord.objects.count()
    missing = client.post(url, data)
    assert missing.status_code == 400 and "缺少版本号" in missing.content.decode()
    Party.objects.filter(pk=party.pk).update(version=party.version + 1)  # someone else saved
    stale = client.post(url, {**data, "version": party.version})
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    assert ChangeRecord.objects.count() == before and not PartyMerge.objects.exists()
    assert Party.objects.get(pk=dup.pk).merged_into_id is None

    assert act(client, url, party, data).status_code == 302
    merge = PartyMerge.objects.get()
    page = client.get(f"/parties/parties/{party.pk}/").content.decode()
    assert f'name="version" value="{merge.version}"' in page
    split = f"/parties/merges/{merge.pk}/split/"
    before = ChangeRecord.objects.count()
    missing = client.post(split, {"reason": "两人"})
    assert missing.status_code == 400 and "缺少版本号" in missing.content.decode()
    stale = client.post(split, {"reason": "两人", "version": merge.version - 1})
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    assert ChangeRecord.objects.count() == before
    assert Party.objects.get(pk=dup.pk).merged_into_id == party.pk


def test_merge_page_other_township_404_viewer_403(cast, login, party):
    assert login(cast.b_operator).get(f"/parties/parties/{party.pk}/merge/").status_code == 404
    assert login(cast.a_viewer).get(f"/parties/parties/{party.pk}/merge/").status_code == 403
