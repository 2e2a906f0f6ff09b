"""The API detail of a dispute reads its row without the list pages' joins, and shows what
the list shows for the same record."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers

from fazhi.core.api.generic import ScopedSerializer, _reads_only_its_row, serializer_for
from fazhi.core.resources import get
from fazhi.disputes.models import Dispute
from fazhi.disputes.resources import DisputeSerializer
from fazhi.disputes.tests.helpers import party, register

pytestmark = pytest.mark.django_db


def test_detail_is_the_list_row(cast, api):
    """The list (party links prefetched) and the detail (its own query of the links) give the
    same representation of the same dispute, parties masked and in the same order."""
    dispute = register(
        cast,
        parties=[
            party("张三", phone="13800000001", id_number="110101199003071233"),
            party("李四", phone="13900000002"),
        ],
    )
    client = api(cast.a_operator)
    listed = client.get("/api/disputes/disputes/?limit=50").json()["results"]
    row = next(r for r in listed if r["id"] == dispute.pk)
    detail = client.get(f"/api/disputes/disputes/{dispute.pk}/").json()
    assert detail == row
    assert [p["name"] for p in detail["party_list"]] == ["张三", "李四"]
    assert detail["party_list"][0]["phone"] == "138****0001"
    assert detail["party_list"][0]["id_number"] != "110101199003071233"
    assert detail["township"] == cast.a.pk


def test_detail_reads_the_row_without_joins(cast, api):
    dispute = register(cast, parties=[party("张三", phone="13800000001")])
    client = api(cast.a_operator)
    client.get(f"/api/disputes/disputes/{dispute.pk}/")  # warm
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/api/disputes/disputes/{dispute.pk}/").status_code == 200
    table = Dispute._meta.db_table
    reads = [q["sql"] for q in captured.captured_queries if f'FROM "{table}"' in q["sql"]]
    assert len(reads) == 1 and "JOIN" not in reads[0], reads
    # another township's dispute still does not exist for this user
    theirs = register(cast, township=cast.b, actor=cast.b_operator)
    assert client.get(f"/api/disputes/disputes/{theirs.pk}/").status_code == 404


def test_which_serializers_read_only_their_row():
    assert _reads_only_its_row(DisputeSerializer)
    assert _reads_only_its_row(serializer_for(get("disputes", "sessions")))

    class Method(ScopedSerializer):
        extra = serializers.SerializerMethodField()

        class Meta:
            model = Dispute
            fields = ["id", "township", "extra"]

        def get_extra(self, obj):
            return obj.township.name

    class Dotted(ScopedSerializer):
        township_name = serializers.CharField(source="township.name", read_only=True)

        class Meta:
            model = Dispute
            fields = ["id", "township_name"]

    class Nested(ScopedSerializer):
        class Meta:
            model = Dispute
            fields = ["id", "township"]
            depth = 1

    assert not _reads_only_its_row(Method)
    assert not _reads_only_its_row(Dotted)
    assert not _reads_only_its_row(Nested)
    assert not _reads_only_its_row(serializers.Serializer)
