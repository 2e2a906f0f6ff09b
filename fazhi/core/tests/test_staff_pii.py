"""Issue 7 item 9: staff and mediator phone numbers are personal information. They are shown
masked in lists and details to everyone, masked in the API and exports to roles without
view_pii, and a view_pii holder reveals one value with a recorded view (core.pii_viewed).
Item 8 for the same reveal: another township's record and a missing one both answer 404."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from fazhi.core.models import DomainEvent, Staff
from fazhi.disputes.models import Mediator
from fazhi.disputes.tests.helpers import committee

pytestmark = pytest.mark.django_db
PHONE = "13812345678"
MASKED = "138****5678"


@pytest.fixture
def staff(cast):
    return Staff.objects.create(township=cast.a, name="王所长", position="所长", phone=PHONE)


def test_staff_phone_is_masked_in_lists_and_details_for_everyone(cast, login, staff):
    for user in (cast.supervisor, cast.a_viewer, cast.a_operator):
        client = login(user)
        body = (
            client.get("/staff/").content.decode()
            + client.get(f"/staff/{staff.pk}/").content.decode()
        )
        assert PHONE not in body, user
        assert MASKED in body, user


def test_staff_phone_is_masked_in_api_and_export_without_view_pii(cast, api, login, staff):
    for user in (cast.supervisor, cast.a_viewer):
        row = api(user).get(f"/api/core/staff/{staff.pk}/").json()
        assert row["phone"] == MASKED, user
        rows = api(user).get("/api/core/staff/").json()["results"]
        assert {r["phone"] for r in rows} == {MASKED}
    assert api(cast.a_operator).get(f"/api/core/staff/{staff.pk}/").json()["phone"] == PHONE
    export = login(cast.supervisor).get("/staff/export/")
    cells = [c for row in load_workbook(BytesIO(export.content)).active.values for c in row]
    assert PHONE not in cells and MASKED in cells


def test_masked_export_reimports_without_losing_the_phone(cast, login, staff):
    from fazhi.core import io, resources

    resource = resources.get("core", "staff")
    content = io.export_workbook(resource, Staff.objects.filter(pk=staff.pk), user=cast.supervisor)
    result = io.import_workbook(resource, BytesIO(content), actor=cast.a_operator)
    assert result.errors == [] and result.updated == 0
    staff.refresh_from_db()
    assert staff.phone == PHONE


def test_reveal_is_recorded_and_refused_without_view_pii(cast, login, staff):
    url = f"/pii/core.Staff/{staff.pk}/phone/"
    response = login(cast.a_operator).post(url)
    assert response.status_code == 200 and PHONE in response.content.decode()
    event = DomainEvent.objects.get(kind="core.pii_viewed")
    assert event.actor == cast.a_operator and event.payload["field"] == "phone"
    assert login(cast.a_viewer).post(url).status_code == 403
    assert login(cast.supervisor).post(url).status_code == 403
    assert DomainEvent.objects.filter(kind="core.pii_viewed").count() == 1


def test_reveal_of_another_township_is_the_same_404_as_a_missing_record(cast, login, staff):
    client = login(cast.b_operator)
    assert client.post(f"/pii/core.Staff/{staff.pk}/phone/").status_code == 404
    assert client.post(f"/pii/core.Staff/{staff.pk + 999}/phone/").status_code == 404
    assert client.post(f"/pii/core.Staff/{staff.pk}/name/").status_code == 404
    assert not DomainEvent.objects.filter(kind="core.pii_viewed").exists()


def test_mediator_phone_is_masked(cast, login, api):
    m = Mediator.objects.create(
        township=cast.a, name="调解员甲", committee=committee(cast), phone=PHONE
    )
    body = login(cast.a_viewer).get(f"/disputes/mediators/{m.pk}/").content.decode()
    assert PHONE not in body and MASKED in body
    assert api(cast.supervisor).get(f"/api/disputes/mediators/{m.pk}/").json()["phone"] == MASKED


def test_party_reveal_of_another_township_is_404_like_a_missing_one(cast, login):
    from fazhi.parties.services import find_or_create_party

    party = find_or_create_party(cast.a, name="张三", phone=PHONE, actor=cast.admin)
    for user in (cast.b_operator, cast.supervisor.__class__.objects.get(username="nobody")):
        client = login(user)
        foreign = client.post(f"/parties/parties/{party.pk}/reveal/phone/").status_code
        missing = client.post(f"/parties/parties/{party.pk + 999}/reveal/phone/").status_code
        assert foreign == missing == 404, user


def test_party_reveal_via_an_own_record_does_not_reveal_a_foreign_party_exists(cast, login):
    """The probe's 403: a `via` record of the user's own township made a foreign party answer
    403 while a missing one answered 404."""
    from fazhi.disputes.tests.helpers import party as party_input
    from fazhi.disputes.tests.helpers import register
    from fazhi.parties.services import find_or_create_party

    foreign = find_or_create_party(cast.a, name="张三", phone=PHONE, actor=cast.admin)
    own = register(cast, township=cast.b, actor=cast.b_operator, parties=[party_input("李四")])
    client = login(cast.b_operator)
    via = {"via": f"disputes.dispute:{own.pk}"}
    answers = {
        client.post(f"/parties/parties/{pk}/reveal/phone/", via).status_code
        for pk in (foreign.pk, foreign.pk + 999)
    }
    assert answers == {404}
