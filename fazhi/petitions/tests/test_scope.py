"""Who sees what: village roles see their village's petitions; the party page lists a
petitioner's petitions; the API never lets a client set the workflow state."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fazhi.parties import registry
from fazhi.petitions.models import Petition

pytestmark = pytest.mark.django_db


def test_village_mediator_sees_only_petitions_of_the_village(cast, walk):
    mine = walk(village=cast.a1)
    other = walk(village=cast.a2)
    township_wide = walk()
    visible = set(Petition.objects.visible_to(cast.a1_mediator).values_list("pk", flat=True))
    assert mine.pk in visible and other.pk not in visible and township_wide.pk not in visible


def test_party_index_lists_the_petitions_of_a_party(cast, walk, party, login):
    zhang = party("张明")
    p = walk(petitioner=zhang)
    records = registry.records_for(zhang, cast.a_operator)
    assert [r.key for r in records] == [f"petitions.petition:{p.pk}"]
    assert registry.records_for(zhang, cast.b_operator) == []
    assert registry.record_names_party(p, zhang)
    page = login(cast.a_operator).get(reverse("parties:parties_detail", args=[zhang.pk]))
    assert p.receipt_no in page.content.decode()


def test_api_cannot_set_the_workflow_state(cast, walk, api):
    p = walk()
    client = api(cast.a_operator)
    response = client.patch(
        f"/api/petitions/petitions/{p.pk}/",
        {"status": "closed", "accepted_on": "2025-03-04", "version": p.version},
        format="json",
    )
    assert response.status_code == 200
    p.refresh_from_db()
    assert p.status == "registered" and p.accepted_on is None
    data = client.get(f"/api/petitions/petitions/{p.pk}/").json()
    assert data["status"] == "registered" and data["acceptance_due_on"] == "2025-03-18"
    assert "receipt_code_hash" not in data


def test_excel_reimport_cannot_change_the_status(cast, walk):
    from fazhi.petitions import services

    p = walk()
    with pytest.raises(ValidationError) as exc:
        services.update_petition(
            p, {"status": "closed"}, actor=cast.a_operator, expected_version=p.version
        )
    assert "由办理流程记录" in exc.value.message_dict["status"][0]
    same = services.update_petition(
        p, {"status": "registered", "receipt_no": p.receipt_no, "subject": "新"},
        actor=cast.a_operator, expected_version=p.version,
    )  # fmt: skip
    assert same.subject == "新" and same.status == "registered"
