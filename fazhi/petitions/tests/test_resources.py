"""Every petitions model under the reusable resource suite. The records written only by the
loop (further petitioners, opinions, transfers) have read-only pages: their suite checks the
same isolation and that no generic page, API call or import can write them."""

from __future__ import annotations

import datetime as dt
import itertools

from fazhi.core.models import Staff
from fazhi.core.testing import ReadOnlyResourceSuite, ResourceSuite
from fazhi.parties.services import find_or_create_party
from fazhi.petitions import services
from fazhi.petitions.models import (
    BacklogCase,
    BacklogProgress,
    JointMeeting,
    PetitionOpinion,
    PetitionParty,
    PetitionTransfer,
    ReceptionDay,
)

D = dt.date(2025, 3, 3)
_n = itertools.count(1)


def _party(cast, township, name=None):
    return find_or_create_party(township, name=name or f"信访人{next(_n)}", actor=cast.admin)


def _petition(cast, township, **kw):
    p, _code = services.register_petition(
        township,
        actor=cast.admin,
        channel=kw.pop("channel", "letter"),
        received_on=kw.pop("received_on", D),
        petitioner=kw.pop("petitioner", None) or _party(cast, township),
        subject=kw.pop("subject", f"反映事项{next(_n)}"),
        content="请求解决。",
        **kw,
    )
    return p


def _staff(township, name=None):
    return Staff.objects.create(
        township=township, name=name or f"干部{next(_n)}", position="副镇长"
    )


class TestPetitions(ResourceSuite):
    resource_key = "petitions:petitions"
    changes = {"subject": "修改后的事项摘要"}

    def make(self, cast, township):
        return _petition(cast, township)

    def new_data(self, cast):
        petitioner = find_or_create_party(
            cast.a, name="登记人甲", phone="13900000001", actor=cast.admin
        )
        return {
            "township": cast.a,
            "channel": "visit",
            "received_on": D,
            "source": "direct",
            "forwarded_by": "",
            "forwarded_no": "",
            "petitioner": petitioner,
            "is_group": False,
            "visitor_count": 1,
            "village": cast.a1,
            "category": "land",
            "subject": "宅基地边界纠纷",
            "content": "请求镇政府协调宅基地边界。",
            "level": "township",
            "department": cast.justice_a,
            "handler": None,
            "leader": None,
            "reception": None,
            "same_matter_as": None,
        }


class TestReceptionDays(ResourceSuite):
    resource_key = "petitions:receptions"
    changes = {"place": "镇便民服务中心"}

    def make(self, cast, township):
        return ReceptionDay.objects.create(
            township=township, leader=_staff(township), held_on=D, place="镇政府接访室"
        )

    def new_data(self, cast):
        leader = Staff.objects.get_or_create(township=cast.a, name="钱书记", position="党委书记")[0]
        return {
            "township": cast.a,
            "kind": "reception",
            "leader": leader,
            "held_on": D,
            "place": "镇政府接访室",
            "village": None,
            "visitor_count": 3,
            "visitors": "",
            "matters": "土地流转费用",
            "outcome": "当场答复2件，登记1件",
        }


class TestJointMeetings(ResourceSuite):
    resource_key = "petitions:meetings"
    changes = {"decisions": "由派出所、司法所联合化解；7日内反馈。"}

    def make(self, cast, township):
        return JointMeeting.objects.create(
            township=township,
            held_on=dt.date(2025, 3, next(_n) % 28 + 1),
            attendees="派出所、司法所",
            topics="研判重点信访事项",
            decisions="明确包案领导",
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "held_on": D,
            "place": "镇会议室",
            "chair": None,
            "attendees": "派出所、司法所、信访办、各村支部书记",
            "topics": "研判重点信访事项",
            "decisions": "明确包案领导和化解时限",
            "petitions": [],
        }


class TestBacklogCases(ResourceSuite):
    resource_key = "petitions:backlog"
    changes = {"target_on": dt.date(2025, 9, 30)}
    label_field = "plan"

    def make(self, cast, township):
        return BacklogCase.objects.create(
            township=township,
            petition=_petition(cast, township),
            owner=_staff(township),
            flagged_on=D,
            target_on=dt.date(2025, 6, 30),
        )

    def new_data(self, cast):
        petition = _petition(cast, cast.a, subject="多年未决的征地补偿")
        owner = Staff.objects.get_or_create(township=cast.a, name="孙副镇长", position="副镇长")[0]
        return {
            "township": cast.a,
            "petition": petition,
            "owner": owner,
            "flagged_on": D,
            "target_on": dt.date(2025, 6, 30),
            "plan": "包案领导每月约谈",
        }


class TestBacklogProgress(ResourceSuite):
    resource_key = "petitions:backlog-progress"
    changes = {"note": "召开听证会"}
    label_field = "note"

    def _case(self, cast, township):
        return BacklogCase.objects.create(
            township=township,
            petition=_petition(cast, township),
            owner=_staff(township),
            flagged_on=D,
            target_on=dt.date(2025, 6, 30),
        )

    def make(self, cast, township):
        return BacklogProgress.objects.create(
            township=township, case=self._case(cast, township), on=D, note="约谈信访人"
        )

    def new_data(self, cast):
        case = BacklogCase.objects.filter(township=cast.a).first() or self._case(cast, cast.a)
        return {"township": cast.a, "case": case, "on": D, "note": "走访信访人家属"}


OPINION_TEXT = {
    "request": "要求补发耕地地力保护补贴。",
    "facts": "经核查，补贴因银行账号错误未能发放。",
    "outcome": "support",
    "decision": "由镇农业服务中心于30日内补发。",
    "legal_basis": "《耕地地力保护补贴资金管理办法》第八条。",
}


class TestPetitionParties(ReadOnlyResourceSuite):
    resource_key = "petitions:petition-parties"
    changes = {"role": "co_petitioner"}
    label_field = "party"

    def make(self, cast, township):
        return PetitionParty.objects.create(
            township=township,
            petition=_petition(cast, township),
            party=_party(cast, township),
            role="representative",
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "petition": _petition(cast, cast.a),
            "party": _party(cast, cast.a),
            "role": "representative",
        }

    def made_by_workflow(self, cast):
        p = _petition(
            cast, cast.a, channel="visit", is_group=True, representatives=[{"name": "代表乙"}]
        )
        return p.party_links.get()


class TestOpinions(ReadOnlyResourceSuite):
    resource_key = "petitions:opinions"
    changes = {"decision": "改写的处理意见"}
    label_field = "number"

    def make(self, cast, township):
        return PetitionOpinion.objects.create(
            township=township,
            petition=_petition(cast, township),
            level="handling",
            number=f"意见{next(_n)}",
            issued_by=f"{township.name}人民政府",
            issued_on=D,
            **OPINION_TEXT,
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "petition": _petition(cast, cast.a),
            "level": "handling",
            "number": "",
            "issued_by": "甲镇人民政府",
            "issued_on": D,
            **OPINION_TEXT,
            "served_on": None,
            "service_method": "",
        }

    def made_by_workflow(self, cast):
        p = _petition(cast, cast.a)
        services.accept_petition(p, actor=cast.a_operator, on=D)
        return services.issue_opinion(p, actor=cast.a_operator, on=D, **OPINION_TEXT)

    def test_opinion_page_offers_the_document_and_the_petition(self, cast, login):
        opinion = self.made_by_workflow(cast)
        html = login(cast.a_viewer).get(self.url("detail", opinion)).content.decode()
        assert f"/petitions/opinions/{opinion.pk}/docx/" in html
        assert f"/petitions/petitions/{opinion.petition_id}/" in html
        assert f"/petitions/opinions/{opinion.pk}/edit/" not in html


class TestTransfers(ReadOnlyResourceSuite):
    resource_key = "petitions:transfers"
    changes = {"reason": "改写的理由"}
    label_field = "reason"

    def make(self, cast, township):
        return PetitionTransfer.objects.create(
            township=township,
            petition=_petition(cast, township),
            kind="escalation",
            on=D,
            from_level="township",
            to_level="county",
            to_unit="县信访局",
            reason="镇级化解未果",
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "petition": _petition(cast, cast.a),
            "kind": "escalation",
            "on": D,
            "from_level": "township",
            "to_level": "county",
            "to_unit": "县信访局",
            "reason": "镇级化解未果",
            "reference": "",
        }

    def made_by_workflow(self, cast):
        p = _petition(cast, cast.a)
        services.hand_up_to_county(
            p, actor=cast.a_operator, on=D, to_unit="县信访局", reason="涉及县直部门职责"
        )
        return p.transfers.get()
