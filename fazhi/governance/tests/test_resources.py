"""The resource suite on every governance model: scope, history, versions, Excel."""

import datetime as dt
from decimal import Decimal

from fazhi.core.testing import ResourceSuite
from fazhi.governance.models import (
    AssessmentItem,
    AssessmentScheme,
    BudgetLine,
    DutyItem,
    Expenditure,
    Law,
    Meeting,
    StudySession,
    Target,
    Task,
    Training,
    TrainingResult,
)

D = dt.date(2025, 6, 16)


def _department(cast, township):
    from fazhi.core.models import Department

    if township == cast.a:
        return cast.justice_a
    return Department.objects.get_or_create(
        township=township, name=f"{township.name}司法所", defaults={"kind": "justice"}
    )[0]


class TestLaws(ResourceSuite):
    resource_key = "governance:laws"
    changes = {"short_name": "民法典"}

    def make(self, cast, township):
        return Law.objects.create(township=township, name=f"法律{Law.objects.count()}")

    def new_data(self, cast):
        return {"township": cast.a, "name": "中华人民共和国民法典", "short_name": "", "note": ""}


class TestStudies(ResourceSuite):
    resource_key = "governance:studies"
    label_field = "topic"
    changes = {"topic": "学习行政复议法"}

    def make(self, cast, township):
        return StudySession.objects.create(
            township=township, held_on=D, kind="weekly", topic=f"学法{StudySession.objects.count()}"
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "held_on": D,
            "kind": "central_group",
            "topic": "学习宪法",
            "speaker": "党委书记",
            "attendance": 12,
            "place": "",
            "note": "",
        }


class TestMeetings(ResourceSuite):
    resource_key = "governance:meetings"
    label_field = "title"
    changes = {"decisions": "落实律师坐班"}

    def make(self, cast, township):
        return Meeting.objects.create(
            township=township,
            held_on=D,
            kind="quarterly_report",
            title=f"会议{Meeting.objects.count()}",
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "held_on": D,
            "kind": "half_year",
            "title": "上半年法治建设专题会议",
            "presided_by": "党委书记",
            "agenda": "研究重大问题",
            "attendance": 15,
            "attendees": "",
            "decisions": "",
            "issues_count": 2,
        }


class TestDuties(ResourceSuite):
    resource_key = "governance:duties"
    label_field = "content"
    changes = {"content": "带头学法"}

    def make(self, cast, township):
        return DutyItem.objects.create(
            township=township,
            year=2025,
            holder="secretary",
            order=DutyItem.objects.count() + 1,
            content="把法治建设纳入议事日程",
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "year": 2025,
            "holder": "head",
            "order": 9,
            "content": "法治经费列入预算",
            "basis": "",
        }


class TestTasks(ResourceSuite):
    resource_key = "governance:tasks"
    label_field = "title"
    changes = {"title": "制定普法计划（修订）"}

    def make(self, cast, township):
        return Task.objects.create(
            township=township,
            year=2025,
            title=f"任务{Task.objects.count()}",
            department=_department(cast, township),
            due=D,
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "year": 2025,
            "title": "制定普法计划",
            "duty": None,
            "meeting": None,
            "department": cast.justice_a,
            "leader": None,
            "owner": None,
            "due": D,
            "status": "planned",
            "completed_on": None,
            "evidence": "",
        }


class TestTrainings(ResourceSuite):
    resource_key = "governance:trainings"
    label_field = "title"
    changes = {"participants": 30}

    def make(self, cast, township):
        return Training.objects.create(
            township=township,
            held_on=D,
            kind="training",
            audience="cadres",
            title=f"培训{Training.objects.count()}",
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "held_on": D,
            "kind": "knowledge_test",
            "audience": "enforcement",
            "title": "行政执法知识测试",
            "organiser": "",
            "speaker": "",
            "participants": 18,
            "pass_score": Decimal("80"),
            "note": "",
        }


class TestResults(ResourceSuite):
    resource_key = "governance:results"
    changes = {"score": Decimal("91")}

    def _test(self, township):
        return Training.objects.get_or_create(
            township=township,
            held_on=D,
            title="资格考试",
            defaults={"kind": "qualification", "audience": "enforcement", "pass_score": 60},
        )[0]

    def make(self, cast, township):
        return TrainingResult.objects.create(
            township=township,
            training=self._test(township),
            name=f"考生{TrainingResult.objects.count()}",
            score=Decimal("75"),
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "training": self._test(cast.a),
            "name": "王某",
            "staff": None,
            "score": Decimal("59"),
        }


class TestBudget(ResourceSuite):
    resource_key = "governance:budget"
    label_field = "item"
    changes = {"amount": Decimal("35000")}

    def make(self, cast, township):
        return BudgetLine.objects.create(
            township=township,
            year=2025,
            kind="publicity",
            item=f"普法经费{BudgetLine.objects.count()}",
            amount=Decimal("30000"),
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "year": 2025,
            "kind": "adviser",
            "item": "法律顾问服务费",
            "amount": Decimal("20000"),
            "document": "",
        }


class TestExpenditures(ResourceSuite):
    resource_key = "governance:expenditures"
    label_field = "purpose"
    changes = {"purpose": "宪法日展板"}

    def _line(self, township):
        return BudgetLine.objects.get_or_create(
            township=township,
            year=2025,
            item="普法经费",
            defaults={"kind": "publicity", "amount": Decimal("30000")},
        )[0]

    def make(self, cast, township):
        return Expenditure.objects.create(
            township=township,
            line=self._line(township),
            spent_on=D,
            amount=Decimal("1000"),
            purpose=f"资料印制{Expenditure.objects.count()}",
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "line": self._line(cast.a),
            "spent_on": D,
            "amount": Decimal("800"),
            "purpose": "横幅制作",
            "voucher": "",
        }


class TestTargets(ResourceSuite):
    resource_key = "governance:targets"
    label_field = "wording"
    changes = {"value": Decimal("5")}

    def make(self, cast, township):
        return Target.objects.create(
            township=township,
            year=2000 + Target.objects.count(),
            metric_code="governance.study_special",
            value=Decimal("4"),
            wording=f"专题学习不少于4次（{Target.objects.count()}）",
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "year": 2026,
            "metric_code": "outreach.events",
            "comparator": "ge",
            "value": Decimal("6"),
            "wording": "专题普法活动不少于6场",
            "note": "",
        }


class TestSchemes(ResourceSuite):
    resource_key = "governance:schemes"
    changes = {"document": "年终考核办法"}

    def make(self, cast, township):
        return AssessmentScheme.objects.create(
            township=township, year=2025, name=f"考核方案{AssessmentScheme.objects.count()}"
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "year": 2025,
            "name": "2025年度各村法治工作考核",
            "document": "",
            "note": "",
        }


class TestItems(ResourceSuite):
    resource_key = "governance:items"
    label_field = "label"
    changes = {"weight": Decimal("25")}

    def _scheme(self, township):
        return AssessmentScheme.objects.get_or_create(
            township=township, year=2025, name="考核方案"
        )[0]

    def make(self, cast, township):
        codes = [
            "outreach.events",
            "outreach.understanders",
            "outreach.culture_sites",
            "outreach.audience",
            "outreach.materials",
            "outreach.banners",
        ]
        return AssessmentItem.objects.create(
            township=township,
            scheme=self._scheme(township),
            label=f"项目{AssessmentItem.objects.count()}",
            metric_code=codes[AssessmentItem.objects.count() % len(codes)],
            weight=Decimal("20"),
            full_at=Decimal("2"),
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "scheme": self._scheme(cast.a),
            "order": 3,
            "label": "积案化解",
            "metric_code": "disputes.backlog_resolved",
            "weight": Decimal("30"),
            "full_at": Decimal("2"),
        }
