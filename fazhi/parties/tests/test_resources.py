"""The party index under the reusable resource suite (with PII masked throughout); the merge
records under its read-only variant (merges and splits are made from the party page)."""

from fazhi.core.testing import ReadOnlyResourceSuite, ResourceSuite
from fazhi.parties import services
from fazhi.parties.models import Party, PartyMerge


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


class TestMerges(ReadOnlyResourceSuite):
    resource_key = "parties:merges"
    changes = {"reason": "改写的理由"}
    label_field = "reason"

    def make(self, cast, township):
        n = Party.objects.count()
        survivor = Party.objects.create(township=township, name=f"保留{n}")
        alias = Party.objects.create(township=township, name=f"别名{n}", merged_into=survivor)
        return PartyMerge.objects.create(
            township=township, survivor=survivor, alias=alias, reason="同一人重复登记"
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "survivor": Party.objects.create(township=cast.a, name="甲"),
            "alias": Party.objects.create(township=cast.a, name="甲 "),
            "reason": "同一人",
            "split_on": None,
            "split_reason": "",
        }

    def made_by_workflow(self, cast):
        survivor = services.find_or_create_party(
            cast.a, name="张明", phone="13800000001", actor=cast.a_operator
        )
        alias = services.find_or_create_party(cast.a, name="张 明", actor=cast.a_operator)
        return services.merge_parties(
            survivor, alias, actor=cast.a_operator, reason="同一人重复登记"
        )

    def test_merge_page_shows_no_personal_information(self, cast, login):
        merge = self.made_by_workflow(cast)
        html = login(cast.a_operator).get(self.url("detail", merge)).content.decode()
        assert "同一人重复登记" in html and "13800000001" not in html
        listing = login(cast.a_operator).get(self.url("list")).content.decode()
        assert "13800000001" not in listing
