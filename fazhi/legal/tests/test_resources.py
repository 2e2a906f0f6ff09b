"""The reusable resource suite on every record of the legal app."""

from __future__ import annotations

import datetime as dt

from fazhi.core.models import Department
from fazhi.core.testing import ResourceSuite
from fazhi.legal import services
from fazhi.legal.models import (
    Advisor,
    AdvisorEngagement,
    Contract,
    NormativeDocument,
)
from fazhi.legal.tests.conftest import at

D = dt.date


def _engagement(township):
    return AdvisorEngagement.objects.create(
        township=township, firm=f"{township.name}律所{AdvisorEngagement.objects.count()}",
        start=D(2025, 1, 1), end=D(2025, 12, 31),
    )  # fmt: skip


def _advisor(township):
    return Advisor.objects.create(
        township=township, name=f"律师{Advisor.objects.count()}", start=D(2025, 1, 1)
    )


class TestEngagements(ResourceSuite):
    resource_key = "legal:engagements"
    label_field = "firm"
    changes = {"fee": "36000.00"}

    def make(self, cast, township):
        return _engagement(township)

    def new_data(self, cast):
        return {"township": cast.a, "firm": "新律所", "start": D(2025, 1, 1), "end": D(2025, 12, 31),
                "fee": "30000.00"}  # fmt: skip


class TestAdvisors(ResourceSuite):
    resource_key = "legal:advisors"
    changes = {"license_no": "11401202510000001"}

    def make(self, cast, township):
        return _advisor(township)

    def new_data(self, cast):
        return {"township": cast.a, "name": "新律师", "kind": "lawyer", "start": D(2025, 1, 1),
                "is_township_advisor": True, "villages": [cast.a1.pk]}  # fmt: skip


class TestReviews(ResourceSuite):
    resource_key = "legal:reviews"
    label_field = "title"
    changes = {"title": "改名的送审事项", "materials": "补充起草说明"}

    def make(self, cast, township):
        with at(D(2025, 3, 3)):
            return services.submit_review(
                township, kind="other", title="送审事项", submitted_on=D(2025, 3, 3),
                actor=None, reviewer_kind="advisor", advisor=_advisor(township),
            )  # fmt: skip

    def new_data(self, cast):
        return {"township": cast.a, "kind": "other", "title": "新送审事项",
                "submitted_on": D(2025, 3, 3), "reviewer_kind": "advisor",
                "advisor": _advisor(cast.a)}  # fmt: skip


class TestContracts(ResourceSuite):
    resource_key = "legal:contracts"
    label_field = "title"
    changes = {"counterparty": "另一合作社"}

    def make(self, cast, township):
        return Contract.objects.create(township=township, title="合同", counterparty="某公司")

    def new_data(self, cast):
        return {"township": cast.a, "title": "新合同", "counterparty": "某公司", "kind": "lease",
                "village": cast.a1, "amount": "1000.00"}  # fmt: skip


class TestDocuments(ResourceSuite):
    resource_key = "legal:documents"
    label_field = "title"
    changes = {"summary": "修改内容"}

    def make(self, cast, township):
        return NormativeDocument.objects.create(township=township, title="管理办法")

    def new_data(self, cast):
        unit = Department.objects.filter(township=cast.a).first()
        return {"township": cast.a, "kind": "normative", "title": "新办法", "unit": unit}
