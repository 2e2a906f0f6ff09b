"""Village assessment: scores from registry metrics over each village's records, with the
evidence behind each score; another township's user sees neither."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from fazhi.governance import assessment
from fazhi.governance.models import AssessmentItem, AssessmentScheme
from fazhi.outreach.models import Event, LegalUnderstander

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheme(cast):
    s = AssessmentScheme.objects.create(township=cast.a, year=2025, name="2025年度各村法治工作考核")
    AssessmentItem.objects.create(
        township=cast.a,
        scheme=s,
        label="普法活动",
        metric_code="outreach.events",
        weight=Decimal("60"),
        full_at=Decimal("2"),
        order=1,
    )
    AssessmentItem.objects.create(
        township=cast.a,
        scheme=s,
        label="法律明白人",
        metric_code="outreach.understanders",
        weight=Decimal("40"),
        full_at=Decimal("2"),
        order=2,
    )
    for day in (dt.date(2025, 3, 15), dt.date(2025, 12, 4), dt.date(2024, 12, 4)):
        Event.objects.create(
            township=cast.a,
            village=cast.a1,
            held_on=day,
            title=f"甲一村普法{day}",
            channel="village",
        )
    Event.objects.create(
        township=cast.a,
        village=cast.a2,
        held_on=dt.date(2025, 5, 1),
        title="甲二村普法",
        channel="village",
    )
    LegalUnderstander.objects.create(
        township=cast.a, village=cast.a2, name="钱明理", appointed_on=dt.date(2024, 3, 1)
    )
    return s


def test_scores_come_from_each_villages_records(cast, scheme):
    rows = {r.village.name: r for r in assessment.score_villages(scheme)}
    a1, a2 = rows["甲一村"], rows["甲二村"]
    assert [i.score for i in a1.items] == [Decimal("60.0"), Decimal("0.0")]
    assert a1.total == Decimal("60.0")
    assert [i.display for i in a2.items] == ["1场次", "1名"]
    assert a2.total == Decimal("50.0")  # 30 + 20
    assert {str(e) for e in a1.items[0].records} == {
        "2025-03-15 甲一村普法2025-03-15",
        "2025-12-04 甲一村普法2025-12-04",
    }


def test_only_village_level_business_metrics_can_be_items(cast, scheme):
    codes = {m.code for m in assessment.village_metrics()}
    assert {"outreach.events", "disputes.screened", "outreach.understanders"} <= codes
    assert "governance.study_weekly" not in codes  # a township record, not a village's
    item = AssessmentItem(
        township=cast.a,
        scheme=scheme,
        label="学法",
        metric_code="governance.study_weekly",
        weight=Decimal("10"),
        full_at=Decimal("1"),
    )
    with pytest.raises(ValidationError) as exc:
        item.full_clean()
    assert "metric_code" in exc.value.message_dict


def test_score_page_opens_onto_evidence_and_is_scoped(cast, scheme, login):
    client = login(cast.a_operator)
    page = client.get(f"/governance/schemes/{scheme.pk}/scores/").content.decode()
    assert "甲一村" in page and "60.0" in page
    url = f"/governance/schemes/{scheme.pk}/villages/{cast.a1.pk}/"
    evidence = client.get(url).content.decode()
    assert "甲一村普法2025-03-15" in evidence and "甲一村普法2024-12-04" not in evidence
    other = login(cast.b_operator)
    assert other.get(f"/governance/schemes/{scheme.pk}/scores/").status_code == 404
    assert other.get(url).status_code == 404
    # a village of another township through this township's scheme: 404
    assert client.get(f"/governance/schemes/{scheme.pk}/villages/{cast.b1.pk}/").status_code == 404
