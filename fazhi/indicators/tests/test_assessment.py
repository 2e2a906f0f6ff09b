"""The county's assessment: configurable items, scores with their evidence, ranking only when the
scheme asks; Excel exports; township users and other counties get nothing."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.core.models import Village
from fazhi.indicators.assessment import evaluate
from fazhi.indicators.models import AssessmentItem, AssessmentScheme
from fazhi.indicators.services import declare


@pytest.fixture
def scheme(cast):
    s = AssessmentScheme.objects.create(county=cast.county, year=2025, name="法治建设考核")
    AssessmentItem.objects.create(
        scheme=s, metric_code="core.villages", weight=10, rule="proportional", standard=4
    )
    AssessmentItem.objects.create(scheme=s, metric_code="core.grids", weight=5, rule="recorded")
    return s


@pytest.mark.django_db
def test_scores_come_with_their_evidence_and_no_rank_unless_asked(cast, scheme):
    declare(cast.b, "core.grids", 2025, "not_applicable", "乙镇不设网格", actor=cast.admin)
    a, b = evaluate(scheme, [cast.a, cast.b])
    assert [s.points for s in a.scores] == [5, 0]  # 2 of 4 villages; grids 未记录
    assert a.scores[0].reason.startswith("2个，标准4")
    assert "/indicators/t/" in a.scores[0].url
    assert a.scores[1].reason == "未记录，不得分"
    assert b.scores[1].reason == "不适用，不计入满分" and b.possible == 10
    assert a.rank is None and b.rank is None
    scheme.rank = True
    scheme.save()
    a, b = evaluate(scheme, [cast.a, cast.b])
    assert (a.rank, b.rank) == (1, 2)  # 甲 5/15, 乙 2.5/10


@pytest.mark.django_db
def test_pages_exports_and_scope(cast, login, scheme):
    Village.objects.create(township=cast.b, name="乙二村")
    sup = login(cast.supervisor)
    page = sup.get(reverse("indicators:assessment", args=[scheme.pk]))
    assert page.status_code == 200 and "不排名" in page.content.decode()
    response = sup.post(
        reverse("indicators:assessment", args=[scheme.pk]),
        {"metric_code": "core.grid_workers", "weight": "5", "rule": "threshold", "standard": ""},
    )
    assert response.status_code == 400 and "标准值" in response.content.decode()
    xlsx = sup.get(reverse("indicators:assessment_export", args=[scheme.pk]))
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert rows[0][0] == "乡镇" and [r[0] for r in rows[1:]] == ["乙镇", "甲镇"]
    compare = sup.get(reverse("indicators:compare_export", args=["core.villages"]) + "?year=2025")
    rows = list(load_workbook(io.BytesIO(compare.content)).active.values)
    assert rows[1][:2] == ("乙镇", "2个") and rows[2][:2] == ("甲镇", "2个")
    other = AssessmentScheme.objects.create(county=cast.other_county, year=2025, name="邻县方案")
    assert sup.get(reverse("indicators:assessment", args=[other.pk])).status_code == 404
    assert (
        login(cast.a_admin).get(reverse("indicators:assessment", args=[scheme.pk])).status_code
        == 404
    )
    assert login(cast.a_admin).get(reverse("indicators:assessment_list")).status_code == 403
