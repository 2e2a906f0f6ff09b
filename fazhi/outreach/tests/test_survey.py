"""The needs survey summary: breakdowns add up to the registry's figure, and each demand is set
against the next year's events that answer it; scoped to the user's townships."""

import datetime as dt

import pytest

from fazhi.governance.models import Law
from fazhi.indicators import registry
from fazhi.indicators.registry import Period
from fazhi.outreach import survey
from fazhi.outreach.models import Event, NeedsSurvey

pytestmark = pytest.mark.django_db


@pytest.fixture
def surveyed(cast):
    civil = Law.objects.create(township=cast.a, name="中华人民共和国民法典", short_name="民法典")
    labour = Law.objects.create(township=cast.a, name="保障农民工工资支付条例")
    rows = [
        (
            dt.date(2025, 3, 1),
            cast.a1,
            "外出务工人员",
            40,
            "欠薪维权、劳动合同",
            "short_video",
            [labour],
        ),
        (dt.date(2025, 6, 1), cast.a2, "老年人", 30, "赡养、防诈骗", "market", [civil]),
        (dt.date(2025, 9, 1), cast.a1, "外出务工人员", 20, "欠薪维权", "", [labour, civil]),
    ]
    for day, village, group, n, topics, channel, laws in rows:
        s = NeedsSurvey.objects.create(
            township=cast.a,
            surveyed_on=day,
            village=village,
            group=group,
            respondents=n,
            topics=topics,
            channel=channel,
        )
        s.laws.set(laws)
    NeedsSurvey.objects.create(
        township=cast.a, surveyed_on=dt.date(2024, 5, 1), group="青少年", respondents=99, topics="x"
    )
    NeedsSurvey.objects.create(
        township=cast.b,
        surveyed_on=dt.date(2025, 5, 1),
        group="企业",
        respondents=77,
        topics="乙镇需求",
    )
    e = Event.objects.create(
        township=cast.a,
        held_on=dt.date(2026, 2, 10),
        title="春节返乡务工人员欠薪维权宣传",
        channel="market",
        target_groups="外出务工人员",
        village=cast.a1,
    )
    e.laws.set([labour])
    return cast


def test_summary_adds_up_to_the_registry_and_names_what_the_plan_year_does_not_answer(surveyed):
    s = survey.summarise(surveyed.a, 2025)
    total = registry.compute("outreach.survey_respondents", surveyed.a, Period.year(2025))
    assert s.respondents.value == total.value == 90 and s.surveys == 3
    assert sum(d.respondents for d in s.groups) == total.value
    groups = {d.label: (d.respondents, d.surveys, d.answered_by) for d in s.groups}
    assert groups == {"外出务工人员": (60, 2, 1), "老年人": (30, 1, 0)}
    laws = {d.label: (d.respondents, d.answered_by) for d in s.laws}
    assert laws == {"《保障农民工工资支付条例》": (60, 1), "《民法典》": (50, 0)}
    topics = {d.label: (d.respondents, d.answered_by) for d in s.topics}
    assert topics["欠薪维权"] == (60, None) and topics["防诈骗"] == (30, None)
    channels = {d.label: d.answered_by for d in s.channels}
    assert channels == {"短视频": 0, "赶集日": 1}
    assert {d.label: d.respondents for d in s.villages} == {"甲一村": 60, "甲二村": 30}
    assert {d.label for d in s.unanswered} == {"老年人", "《民法典》", "短视频", "甲二村"}
    assert s.plan_events.value == 1


def test_summary_page_is_scoped(surveyed, login):
    page = login(surveyed.a_operator).get("/outreach/surveys/summary/?year=2025")
    assert page.status_code == 200
    text = page.content.decode()
    assert "欠薪维权" in text and "2026年尚无活动回应" in text and "乙镇需求" not in text
    other = login(surveyed.b_operator).get(
        f"/outreach/surveys/summary/?year=2025&township={surveyed.a.pk}"
    )
    assert other.status_code == 200 and other.context["summary"] is None
    assert "欠薪维权" not in other.content.decode()
    assert login(surveyed.nobody).get("/outreach/surveys/summary/").status_code == 403
