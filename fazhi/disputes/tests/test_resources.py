"""Every disputes model with pages under the reusable resource suite (isolation, CRUD, history,
API, Excel round trip)."""

import datetime as dt

from fazhi.core.testing import ResourceSuite
from fazhi.disputes.models import (
    BacklogCase,
    DisputeParty,
    EarlyWarning,
    FollowUpVisit,
    MediationAgreement,
    MediationCommittee,
    MediationSession,
    Mediator,
    MediatorTraining,
    ScreeningCampaign,
    WarningSettings,
)
from fazhi.disputes.tests.helpers import D, raw_dispute, village_of
from fazhi.parties.models import Party


class TestCommittees(ResourceSuite):
    resource_key = "disputes:committees"
    changes = {"director": "王主任"}

    def make(self, cast, township):
        return MediationCommittee.objects.create(
            township=township,
            name=f"调委会{MediationCommittee.objects.count()}",
            level="village",
            village=village_of(cast, township),
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "name": "甲二村人民调解委员会",
            "level": "village",
            "village": cast.a2,
            "director": "",
            "established_on": None,
            "term_years": 3,
            "address": "",
            "is_active": True,
        }


class TestMediators(ResourceSuite):
    resource_key = "disputes:mediators"
    changes = {"kind": "part_time"}

    def make(self, cast, township):
        return Mediator.objects.create(
            township=township, name=f"调解员{Mediator.objects.count()}", kind="full_time"
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "name": "刘调解",
            "kind": "full_time",
            "committee": None,
            "staff": None,
            "phone": "13800001111",
            "appointed_on": None,
            "is_active": True,
            "note": "",
        }


class TestTrainings(ResourceSuite):
    resource_key = "disputes:trainings"
    label_field = "topic"
    changes = {"topic": "民法典婚姻家庭编专题培训"}

    def make(self, cast, township):
        return MediatorTraining.objects.create(
            township=township,
            held_on=D,
            topic=f"培训{MediatorTraining.objects.count()}",
            attendee_count=20,
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "held_on": D,
            "topic": "人民调解实务培训",
            "organiser": "司法所",
            "place": "",
            "hours": None,
            "attendee_count": 18,
            "note": "",
        }


class TestCampaigns(ResourceSuite):
    resource_key = "disputes:campaigns"
    changes = {"summary": "排查纠纷12件"}

    def make(self, cast, township):
        return ScreeningCampaign.objects.create(
            township=township,
            name=f"排查{ScreeningCampaign.objects.count()}",
            start=D,
            end=D + dt.timedelta(days=10),
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "name": "春节前集中排查",
            "start": D,
            "end": D + dt.timedelta(days=14),
            "village": None,
            "organiser": "",
            "summary": "",
        }


class TestDisputes(ResourceSuite):
    resource_key = "disputes:disputes"
    label_field = "title"
    changes = {"risk_level": "medium"}

    def make(self, cast, township):
        return raw_dispute(cast, township)

    def new_data(self, cast):
        return {
            "township": cast.a,
            "received_on": D,
            "source": "walk_in",
            "source_ref": "",
            "campaign": None,
            "kind": "neighbour",
            "title": "张三与李四邻里纠纷",
            "description": "因排水沟发生争执",
            "claims": "",
            "village": cast.a1,
            "grid": None,
            "committee": None,
            "mediator": None,
            "risk_level": "low",
            "amount": None,
            "people_count": None,
        }


class TestDisputeParties(ResourceSuite):
    resource_key = "disputes:dispute-parties"
    changes = {"role": "third"}

    def make(self, cast, township):
        dispute = raw_dispute(cast, township)
        party = Party.objects.create(township=township, name=f"当事人{Party.objects.count()}")
        return DisputeParty.objects.create(
            township=township, dispute=dispute, party=party, role="applicant"
        )

    def new_data(self, cast):
        dispute = (
            raw_dispute(cast, cast.a, number="〔2025〕甲镇调字第900号")
            if not hasattr(self, "_d")
            else self._d
        )
        self._d = dispute
        party = Party.objects.get_or_create(township=cast.a, name="王五")[0]
        return {
            "township": cast.a,
            "dispute": dispute,
            "party": party,
            "role": "respondent",
            "note": "",
        }


class TestSessions(ResourceSuite):
    resource_key = "disputes:sessions"
    changes = {"place": "村委会调解室"}

    def make(self, cast, township):
        dispute = raw_dispute(cast, township, status="mediating", accepted_on=D)
        return MediationSession.objects.create(
            township=township, dispute=dispute, held_on=D, record="各方陈述"
        )

    def new_data(self, cast):
        if not hasattr(self, "_d"):
            self._d = raw_dispute(cast, cast.a)
        return {
            "township": cast.a,
            "dispute": self._d,
            "held_on": D,
            "place": "司法所",
            "helpers": "",
            "attendees": "张三、李四",
            "record": "双方陈述事实，调解员释法说理。",
            "result": "continue",
        }


class TestAgreements(ResourceSuite):
    resource_key = "disputes:agreements"
    label_field = "number"
    changes = {"place": "镇司法所调解室"}

    def make(self, cast, township):
        dispute = raw_dispute(cast, township, status="succeeded", accepted_on=D, concluded_on=D)
        return MediationAgreement.objects.create(
            township=township,
            dispute=dispute,
            number=f"协{MediationAgreement.objects.count()}",
            made_on=D,
            place="村委会",
            facts="事实",
            responsibilities="各半",
            terms="一、张三赔偿李四500元。",
            performance_method="现金支付",
            performance_deadline=D + dt.timedelta(days=10),
        )

    def new_data(self, cast):
        if not hasattr(self, "_d"):
            self._d = raw_dispute(cast, cast.a, status="mediating", accepted_on=D)
        return {
            "township": cast.a,
            "dispute": self._d,
            "made_on": D,
            "place": "甲一村村委会",
            "facts": "两户因排水沟发生争执。",
            "responsibilities": "双方均有责任。",
            "terms": "一、张三于三日内疏通排水沟。",
            "performance_method": "自行履行",
            "performance_deadline": D + dt.timedelta(days=3),
            "performance_place": "",
            "copies": None,
            "effective_on": None,
            "court_confirmation": "not_yet",
            "court_applied_on": None,
            "court_name": "",
            "court_result_on": None,
            "performance": "pending",
            "performed_on": None,
        }


class TestFollowUps(ResourceSuite):
    resource_key = "disputes:follow-ups"
    changes = {"notes": "已按协议支付"}

    def make(self, cast, township):
        dispute = raw_dispute(cast, township, status="succeeded", accepted_on=D, concluded_on=D)
        return FollowUpVisit.objects.create(
            township=township, dispute=dispute, visited_on=D, method="phone", performance="partial"
        )

    def new_data(self, cast):
        if not hasattr(self, "_d"):
            self._d = raw_dispute(cast, cast.a, status="succeeded", accepted_on=D, concluded_on=D)
        return {
            "township": cast.a,
            "dispute": self._d,
            "visited_on": D + dt.timedelta(days=20),
            "method": "home",
            "visitor": None,
            "performance": "partial",
            "notes": "",
        }


class TestWarnings(ResourceSuite):
    resource_key = "disputes:warnings"
    label_field = "detail"
    changes = {"detail": "当事人扬言报复，已加强稳控"}

    def make(self, cast, township):
        return EarlyWarning.objects.create(
            township=township,
            kind="violence",
            raised_on=D,
            detail=f"预警{EarlyWarning.objects.count()}",
            village=village_of(cast, township),
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "kind": "violence",
            "dispute": None,
            "party": None,
            "village": cast.a1,
            "raised_on": D,
            "detail": "网格员发现当事人情绪激动",
        }


class TestBacklog(ResourceSuite):
    resource_key = "disputes:backlog"
    label_field = "title"
    changes = {"handler": "驻村律师"}

    def make(self, cast, township):
        return BacklogCase.objects.create(
            township=township,
            title=f"积案{BacklogCase.objects.count()}",
            description="多年未决",
            intake="collected",
            collected_on=D,
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "title": "甲一村土地边界积案",
            "description": "两户土地边界争议十余年",
            "village": cast.a1,
            "party_names": "赵甲、钱乙",
            "dispute": None,
            "intake": "collected",
            "collected_on": D,
            "meeting": "",
            "handler": "",
            "has_registration": True,
            "has_record": False,
            "has_agreement": False,
            "has_follow_up": False,
        }


class TestWarningSettings(ResourceSuite):
    resource_key = "disputes:warning-settings"
    label_field = "note"
    changes = {"group_threshold": 8}
    # one settings row per township: a list never has more rows than townships
    test_list_page_queries_do_not_grow_with_rows = None
    test_api_queries_do_not_grow_with_rows = None  # one row per township

    def make(self, cast, township):
        return WarningSettings.objects.create(township=township)

    def new_data(self, cast):
        return {
            "township": cast.a,
            "repeat_window_days": 90,
            "group_threshold": 5,
            "keywords": "打人、持刀",
            "note": "",
        }
