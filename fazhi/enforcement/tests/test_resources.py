"""Every enforcement model under the reusable resource suite (isolation, CRUD, history, API,
Excel round trip)."""

import datetime as dt

from fazhi.core.testing import ResourceSuite
from fazhi.enforcement.models import Certificate, Officer, Power
from fazhi.enforcement.tests.helpers import body_of, officer


class TestBodies(ResourceSuite):
    resource_key = "enforcement:bodies"
    changes = {"head": "王队长"}

    def make(self, cast, township):
        from fazhi.enforcement.models import EnforcementBody

        return EnforcementBody.objects.create(
            township=township,
            name=f"执法主体{EnforcementBody.objects.count()}",
            kind="comprehensive",
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "name": "甲镇综合行政执法大队",
            "kind": "comprehensive",
            "department": None,
            "basis": "省政府赋权决定",
            "entrusting_body": "",
            "entrustment_document": "",
            "entrustment_published_on": None,
            "head": "",
            "is_active": True,
        }


class TestPowers(ResourceSuite):
    resource_key = "enforcement:powers"
    changes = {"discretion": "首次违法不予处罚"}

    def make(self, cast, township):
        return Power.objects.create(
            township=township,
            code=f"CF-{Power.objects.count():03d}",
            name=f"处罚事项{Power.objects.count()}",
            category="penalty",
            body=body_of(township),
            source="statutory",
            legal_basis="《某法》第一条",
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "code": "CF-900",
            "name": "对占道经营的处罚",
            "category": "penalty",
            "body": body_of(cast.a),
            "source": "delegated",
            "handover_basis": "省政府赋权决定",
            "legal_basis": "《城市市容和环境卫生管理条例》第三十六条",
            "procedure": "",
            "remedy": "可申请行政复议或提起行政诉讼",
            "discretion": "",
            "legal_review_required": False,
            "published_on": dt.date(2025, 1, 15),
            "is_active": True,
        }


class TestOfficers(ResourceSuite):
    resource_key = "enforcement:officers"
    changes = {"position": "副队长"}

    def make(self, cast, township):
        return officer(township, f"执法员{Officer.objects.count()}", certified=False)

    def new_data(self, cast):
        return {
            "township": cast.a,
            "name": "李执法",
            "kind": "officer",
            "body": body_of(cast.a),
            "staff": None,
            "position": "",
            "legal_qualification": False,
            "is_legal_reviewer": False,
            "is_active": True,
        }


class TestCertificates(ResourceSuite):
    resource_key = "enforcement:certificates"
    label_field = "number"
    changes = {"checked_year": 2025}

    def make(self, cast, township):
        person = officer(township, f"持证人{Officer.objects.count()}", certified=False)
        return Certificate.objects.create(
            township=township,
            officer=person,
            number=f"N{Certificate.objects.count():05d}",
            category="综合行政执法",
            issued_on=dt.date(2023, 1, 1),
            expires_on=dt.date(2028, 12, 31),
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "officer": officer(cast.a, "新持证人", certified=False),
            "number": "14000001",
            "category": "综合行政执法",
            "issuer": "测试县人民政府",
            "issued_on": dt.date(2024, 3, 1),
            "expires_on": dt.date(2030, 2, 28),
            "status": "valid",
            "checked_year": None,
        }
