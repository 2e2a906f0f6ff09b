"""The resource suite on every outreach model: scope, history, versions, Excel."""

import datetime as dt

from fazhi.core.testing import ResourceSuite
from fazhi.outreach.models import (
    Award,
    Consultation,
    CultureSite,
    DutySession,
    Event,
    LegalAidApplication,
    LegalUnderstander,
    NeedsSurvey,
    ResponsibilityItem,
    ServicePoint,
)

D = dt.date(2025, 6, 16)


def _village(cast, township):
    from fazhi.core.models import Village

    return {cast.a: cast.a1, cast.b: cast.b1}.get(township) or Village.objects.get_or_create(
        township=township, name=f"{township.name}一村"
    )[0]


def _point(township):
    return ServicePoint.objects.get_or_create(
        township=township, name=f"{township.name}公共法律服务站", defaults={"level": "township"}
    )[0]


def _understander(cast, township):
    return LegalUnderstander.objects.get_or_create(
        township=township,
        village=_village(cast, township),
        name="赵明白",
        defaults={"appointed_on": D},
    )[0]


class TestEvents(ResourceSuite):
    resource_key = "outreach:events"
    label_field = "title"
    changes = {"audience": 321}

    def make(self, cast, township):
        return Event.objects.create(
            township=township,
            held_on=D,
            title=f"普法活动{Event.objects.count()}",
            channel="market",
            audience=100,
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "held_on": D,
            "title": "民法典宣传月赶集日宣传",
            "key_day": "civil_code_month",
            "channel": "market",
            "venue": "集市",
            "village": cast.a1,
            "organiser": cast.justice_a,
            "audience": 300,
            "materials": 500,
            "leaflets": 0,
            "banners": 2,
            "bulletin_boards": 0,
            "displays": 0,
            "consultations": 10,
            "summary": "",
        }


class TestUnderstanders(ResourceSuite):
    resource_key = "outreach:understanders"
    changes = {"occupation": "网格员"}

    def make(self, cast, township):
        return LegalUnderstander.objects.create(
            township=township,
            village=_village(cast, township),
            name=f"明白人{LegalUnderstander.objects.count()}",
            appointed_on=D,
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "village": cast.a2,
            "name": "钱明理",
            "gender": "女",
            "phone": "",
            "occupation": "村干部",
            "appointed_on": D,
            "trained_hours": None,
            "mediator": None,
            "is_active": True,
            "left_on": None,
        }


class TestAwards(ResourceSuite):
    resource_key = "outreach:awards"
    label_field = "title"
    changes = {"issuer": "区司法局"}

    def make(self, cast, township):
        return Award.objects.create(
            township=township,
            understander=_understander(cast, township),
            title=f"十佳法律明白人{Award.objects.count()}",
            level="county",
            awarded_on=D,
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "understander": _understander(cast, cast.a),
            "title": "优秀法律明白人",
            "level": "city",
            "awarded_on": D,
            "issuer": "",
        }


class TestPoints(ResourceSuite):
    resource_key = "outreach:points"
    changes = {"hours": "每周五上午"}

    def make(self, cast, township):
        return ServicePoint.objects.create(
            township=township, name=f"服务站{ServicePoint.objects.count()}", level="township"
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "name": "甲一村公共法律服务室",
            "level": "village",
            "village": cast.a1,
            "address": "",
            "hours": "",
            "is_active": True,
        }


class TestSessions(ResourceSuite):
    resource_key = "outreach:sessions"
    label_field = "lawyer"
    changes = {"firm": "正信律师事务所"}

    def make(self, cast, township):
        return DutySession.objects.create(
            township=township,
            point=_point(township),
            held_on=D,
            lawyer=f"律师{DutySession.objects.count()}",
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "held_on": D,
            "point": _point(cast.a),
            "lawyer": "宋律师",
            "firm": "",
            "hours": None,
            "note": "",
        }


class TestConsultations(ResourceSuite):
    resource_key = "outreach:consultations"
    label_field = "answered_by"
    changes = {"questions": 4}

    def make(self, cast, township):
        return Consultation.objects.create(
            township=township,
            held_on=D,
            topic="land",
            people=12,
            answered_by=f"解答人{Consultation.objects.count()}",
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "held_on": D,
            "session": None,
            "point": _point(cast.a),
            "village": cast.a1,
            "topic": "marriage",
            "people": 3,
            "questions": 2,
            "answered_by": "司法所",
            "summary": "",
        }


class TestAid(ResourceSuite):
    resource_key = "outreach:aid"
    label_field = "applicant"
    changes = {"matter": "追索拖欠工资（补充）"}

    def make(self, cast, township):
        return LegalAidApplication.objects.create(
            township=township,
            received_on=D,
            applicant=f"申请人{LegalAidApplication.objects.count()}",
            category="wages",
            matter="追索劳动报酬",
            basis="migrant",
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "received_on": D,
            "applicant": "孙某",
            "phone": "",
            "village": cast.a1,
            "category": "wages",
            "matter": "追索拖欠工资",
            "basis": "migrant",
            "green_channel": True,
        }


class TestSites(ResourceSuite):
    resource_key = "outreach:sites"
    changes = {"description": "宣传栏6块"}

    def make(self, cast, township):
        return CultureSite.objects.create(
            township=township,
            village=_village(cast, township),
            kind="square",
            name=f"法治广场{CultureSite.objects.count()}",
            built_on=D,
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "village": cast.a2,
            "kind": "studio",
            "name": "甲二村法律工作室",
            "built_on": D,
            "description": "",
            "is_active": True,
        }


class TestResponsibilities(ResourceSuite):
    resource_key = "outreach:responsibilities"
    label_field = "activities"
    changes = {"planned": 5}

    def make(self, cast, township):
        from fazhi.core.models import Department

        department = Department.objects.create(
            township=township, name=f"站所{Department.objects.count()}", kind="other"
        )
        return ResponsibilityItem.objects.create(
            township=township, year=2025, department=department, activities="赶集日宣传"
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "year": 2026,
            "department": cast.justice_a,
            "activities": "民法典宣传月、宪法日集中宣传",
            "planned": 4,
            "key_days": "5月、12·4",
        }


class TestSurveys(ResourceSuite):
    resource_key = "outreach:surveys"
    label_field = "topics"
    changes = {"respondents": 40}

    def make(self, cast, township):
        return NeedsSurvey.objects.create(
            township=township,
            surveyed_on=D,
            group="外出务工人员",
            respondents=20,
            topics=f"欠薪维权{NeedsSurvey.objects.count()}",
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "surveyed_on": D,
            "village": cast.a1,
            "group": "留守老人",
            "respondents": 15,
            "topics": "赡养纠纷、防诈骗",
            "channel": "village",
            "method": "入户走访",
        }
