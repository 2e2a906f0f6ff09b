"""`instances.build` gives the instance `Model(...)` gives: every field's value, the related
instances cached, a new unsaved state."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User

from fazhi.core.instances import build
from fazhi.core.models import ChangeRecord, County, Deadline, Township
from fazhi.disputes.models import Dispute, DisputeParty
from fazhi.parties.models import Party


def _same(built, made):
    got = {k: v for k, v in built.__dict__.items() if k != "_state"}
    want = {k: v for k, v in made.__dict__.items() if k != "_state"}
    assert got == want
    assert (built._state.adding, built._state.db) == (made._state.adding, made._state.db)
    assert built._state.fields_cache == made._state.fields_cache


def test_build_is_the_constructor():
    county = County(pk=7, name="县")
    town = Township(pk=3, county=county, name="镇")
    user = User(pk=5, username="u")
    dispute = Dispute(
        township=town,
        received_on=dt.date(2025, 1, 2),
        source="screening",
        kind="neighbour",
        description="情况",
        amount=Decimal("12.50"),
        created_by=user,
        updated_by=user,
        reported_by=None,
    )
    _same(
        build(
            Dispute,
            {"township": town, "created_by": user, "updated_by": user, "reported_by": None},
            township_id=3,
            received_on=dt.date(2025, 1, 2),
            source="screening",
            kind="neighbour",
            description="情况",
            amount=Decimal("12.50"),
            created_by_id=5,
            updated_by_id=5,
            reported_by_id=None,
        ),
        dispute,
    )
    dispute.pk = 11
    party = Party(pk=2, township=town, name="张三")
    _same(
        build(
            DisputeParty,
            {"township": town, "dispute": dispute, "party": party},
            township_id=3,
            dispute_id=11,
            party_id=2,
            role="applicant",
        ),
        DisputeParty(township=town, dispute=dispute, party=party, role="applicant"),
    )
    _same(
        build(Party, {"township": town}, township_id=3, name="李四"),
        Party(township=town, name="李四"),
    )
    _same(build(Deadline), Deadline())
    # a callable default (JSONField's dict) is called for each instance
    one, two = build(ChangeRecord), build(ChangeRecord)
    assert one.changes == {} and one.changes is not two.changes
    _same(one, ChangeRecord())
