"""The party index under the reusable resource suite (with PII masked throughout)."""

from fazhi.core.testing import ResourceSuite
from fazhi.parties.models import Party


class TestParties(ResourceSuite):
    resource_key = "parties:parties"
    changes = {"note": "同村村民"}

    def make(self, cast, township):
        n = Party.objects.count()
        return Party.objects.create(
            township=township, name=f"当事人{n}", phone=f"1380000{n:04d}", address="某村三组"
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "kind": "person",
            "name": "赵六",
            "gender": "male",
            "ethnicity": "汉族",
            "id_number": "11010519491231002X",
            "phone": "13812345678",
            "address": "甲镇甲一村三组12号",
            "representative": "",
            "note": "",
        }
