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


@pytest.mark.django_db
def test_a_change_makes_a_new_version_and_scores_show_the_version_in_force(cast, login):
    from fazhi.indicators.models import AssessmentSchemeVersion

    sup = login(cast.supervisor)
    response = sup.post(
        reverse("indicators:assessment_list"),
        {"county": cast.county.pk, "year": 2025, "name": "版本考核", "note": ""},
    )
    scheme = AssessmentScheme.objects.get(name="版本考核")
    assert response.status_code == 302
    url = reverse("indicators:assessment", args=[scheme.pk])
    item = {"metric_code": "core.villages", "weight": "10", "rule": "proportional", "standard": "4"}
    assert sup.post(url, {**item, "version": 1}).status_code == 302
    # a write from a stale page (it read version 1; version 2 is in force) writes nothing
    stale = sup.post(url, {**item, "metric_code": "core.grids", "version": 1})
    assert stale.status_code == 400 and "方案已被他人修改（现为第2版）" in stale.content.decode()
    missing = sup.post(url, {**item, "metric_code": "core.grids"})
    assert missing.status_code == 400 and "缺少所读方案的版本号" in missing.content.decode()
    assert scheme.items.count() == 1
    row = scheme.items.get()
    delete = reverse("indicators:assessment_item_delete", args=[scheme.pk, row.pk])
    assert sup.post(delete, {"version": 1}).status_code == 409
    assert sup.post(delete, {"version": 2}).status_code == 302
    assert not scheme.items.exists()

    versions = list(AssessmentSchemeVersion.objects.filter(scheme=scheme).order_by("number"))
    assert [(v.number, len(v.items)) for v in versions] == [(1, 0), (2, 1), (3, 0)]
    assert versions[1].change.startswith("新增指标：村(社区、场)数（10.0分")
    assert versions[2].change.startswith("删除指标：")
    assert versions[1].created_by == cast.supervisor

    # in force: version 3 (no items, nothing scored); version 2 still scores with its item
    a_now = evaluate(scheme, [cast.a])[0]
    assert a_now.scores == []
    a_then = evaluate(scheme, [cast.a], versions[1])[0]
    assert [(s.item.metric_code, s.points) for s in a_then.scores] == [("core.villages", 5)]
    page = sup.get(url + "?version=2").content.decode()
    assert "按<b>第2版</b>方案计分" in page and "现行为第3版" in page
    assert "村(社区、场)数（10.0分）" in page
    assert "按<b>第3版</b>方案计分" in sup.get(url).content.decode()
    assert sup.get(url + "?version=9").status_code == 404
    xlsx = sup.get(reverse("indicators:assessment_export", args=[scheme.pk]) + "?version=2")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert rows[0][1] == "村(社区、场)数（数据）" and rows[-1][0].startswith("按第2版计分")
    with pytest.raises(Exception, match="不可修改"):
        versions[0].save()
