"""Every inspections model under the reusable resource suite."""

import datetime as dt

from fazhi.core.testing import ResourceSuite
from fazhi.enforcement.tests.helpers import body_of
from fazhi.inspections.models import Campaign, Hazard, InspectionItem
from fazhi.inspections.tests.helpers import enterprise, item, pair, raw_inspection


class TestEnterprises(ResourceSuite):
    resource_key = "inspections:enterprises"
    changes = {"credit_class": "C"}

    def make(self, cast, township):
        return enterprise(township)

    def new_data(self, cast):
        return {
            "township": cast.a,
            "name": "甲镇恒泰建材有限公司",
            "credit_code": "91410000MA47XXXX1K",
            "credit_class": "A",
            "industry": "建材",
            "address": "",
            "village": cast.a1,
            "is_active": True,
        }


class TestItems(ResourceSuite):
    resource_key = "inspections:items"
    changes = {"yearly_cap": 3}

    def make(self, cast, township):
        return item(township, f"SJ-{InspectionItem.objects.count():02d}")

    def new_data(self, cast):
        return {
            "township": cast.a,
            "code": "SJ-XF-09",
            "name": "消防安全检查",
            "body": body_of(cast.a),
            "basis": "《消防法》第五十三条",
            "content": "",
            "method": "现场检查",
            "frequency": "每年一次",
            "ratio_percent": None,
            "yearly_cap": 2,
            "is_random": True,
            "published_on": dt.date(2025, 1, 1),
            "is_active": True,
        }


class TestCampaigns(ResourceSuite):
    resource_key = "inspections:campaigns"
    changes = {"summary": "已完成"}

    def make(self, cast, township):
        return Campaign.objects.create(
            township=township,
            name=f"专项整治{Campaign.objects.count()}",
            domain="safety",
            start=dt.date(2025, 3, 1),
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "name": "2025年消防安全专项整治",
            "domain": "fire",
            "start": dt.date(2025, 10, 1),
            "end": dt.date(2025, 12, 31),
            "lead_body": None,
            "scope": "",
            "closed_on": None,
            "summary": "",
        }


class TestInspections(ResourceSuite):
    resource_key = "inspections:inspections"
    label_field = "number"
    changes = {"place": "企业厂区"}

    def make(self, cast, township):
        return raw_inspection(township)

    def new_data(self, cast):
        return {
            "township": cast.a,
            "kind": "routine",
            "enterprise": enterprise(cast.a),
            "body": body_of(cast.a),
            "joint_bodies": [],
            "check_items": [item(cast.a).pk],
            "officers": [o.pk for o in pair(cast.a)],
            "campaign": None,
            "planned_on": dt.date(2025, 6, 20),
            "place": "",
        }


class TestHazards(ResourceSuite):
    resource_key = "inspections:hazards"
    label_field = "description"
    changes = {"owner": "李厂长"}

    def make(self, cast, township):
        return Hazard.objects.create(
            township=township,
            inspection=raw_inspection(township),
            description=f"隐患{Hazard.objects.count()}",
            found_on=dt.date(2025, 6, 16),
            owner="厂长",
            deadline=dt.date(2025, 7, 16),
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "inspection": raw_inspection(cast.a),
            "description": "灭火器过期",
            "level": "ordinary",
            "found_on": dt.date(2025, 6, 16),
            "owner": "王厂长",
            "deadline": dt.date(2025, 6, 30),
        }
