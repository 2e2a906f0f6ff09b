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


# --- reconsideration, litigation, hearings, judgments ---------------------------------------
def _recon(township):
    from fazhi.legal import cases
    from fazhi.legal.models import Reconsideration

    with at(D(2025, 6, 9)):
        return cases.create_reconsideration(
            Reconsideration, {"township": township, "applicant": "某商户", "act": "责令改正",
                              "body": f"复议机关{Reconsideration.objects.count()}",
                              "received_on": D(2025, 6, 9)}, actor=None,
        )  # fmt: skip


def _litigation(township):
    from fazhi.legal import cases
    from fazhi.legal.models import Litigation

    with at(D(2025, 6, 9)):
        return cases.create_litigation(
            Litigation, {"township": township, "plaintiff": "某养殖户", "act": "拆除决定",
                         "court": f"法院{Litigation.objects.count()}", "served_on": D(2025, 6, 9)},
            actor=None,
        )  # fmt: skip


class TestReconsiderations(ResourceSuite):
    resource_key = "legal:reconsiderations"
    label_field = "body"
    changes = {"case_no": "测政复〔2025〕1号"}

    def make(self, cast, township):
        return _recon(township)

    def new_data(self, cast):
        return {"township": cast.a, "applicant": "某商户", "act": "责令改正", "body": "测试县人民政府",
                "procedure": "ordinary", "received_on": D(2025, 6, 9)}  # fmt: skip


class TestLitigations(ResourceSuite):
    resource_key = "legal:litigations"
    label_field = "court"
    changes = {"case_no": "（2025）测行初1号"}

    def make(self, cast, township):
        return _litigation(township)

    def new_data(self, cast):
        return {"township": cast.a, "plaintiff": "某养殖户", "act": "拆除决定", "court": "测试县人民法院",
                "served_on": D(2025, 6, 9)}  # fmt: skip


class TestHearings(ResourceSuite):
    resource_key = "legal:hearings"
    label_field = "reason"
    changes = {"reason": "镇长参加防汛会议，委托分管副镇长出庭"}

    def make(self, cast, township):
        from fazhi.core.models import Staff
        from fazhi.legal.models import Hearing

        head = Staff.objects.create(township=township, name="镇长", position="镇长")
        return Hearing.objects.create(township=township, litigation=_litigation(township),
                                      held_on=D(2025, 7, 1), head_appeared=True, head=head)  # fmt: skip

    def new_data(self, cast):
        from fazhi.core.models import Staff

        delegate = Staff.objects.create(township=cast.a, name="副镇长", position="副镇长")
        return {"township": cast.a, "litigation": _litigation(cast.a), "held_on": D(2025, 7, 2),
                "head_appeared": False, "delegate": delegate, "reason": "镇长公出"}  # fmt: skip


class TestJudgments(ResourceSuite):
    resource_key = "legal:judgments"
    label_field = "case_no"
    changes = {"obligations": "支付工程款"}

    def make(self, cast, township):
        from fazhi.legal import cases
        from fazhi.legal.models import Judgment

        with at(D(2025, 8, 20)):
            return cases.create_judgment(
                Judgment, {"township": township, "court": "法院", "effective_on": D(2025, 8, 20),
                           "case_no": f"（2025）民初{Judgment.objects.count()}号",
                           "obligations": "支付"}, actor=None,
            )  # fmt: skip

    def new_data(self, cast):
        return {"township": cast.a, "kind": "civil", "court": "测试县人民法院",
                "case_no": "（2025）测民初9号", "effective_on": D(2025, 8, 20),
                "obligations": "支付尾款"}  # fmt: skip
