"""Resource suites, the workflow pages' isolation, the portal's comment form (no login, throttled)
and the metrics."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from fazhi.core.models import ChangeRecord
from fazhi.core.testing import ResourceSuite
from fazhi.decisions.models import Catalogue, Decision, PublicComment
from fazhi.decisions.tests.conftest import at
from fazhi.indicators import registry
from fazhi.indicators.registry import Period

D = dt.date


class TestCatalogues(ResourceSuite):
    resource_key = "decisions:catalogues"
    label_field = "entries"
    changes = {"document_no": "甲政〔2025〕1号"}

    def make(self, cast, township):
        return Catalogue.objects.create(township=township, year=2000 + Catalogue.objects.count(),
                                        entries="事项")  # fmt: skip

    def new_data(self, cast):
        return {"township": cast.a, "year": 2030, "entries": "事项一", "approved_on": D(2025, 2, 1),
                "published_on": D(2025, 2, 5)}  # fmt: skip


class TestDecisions(ResourceSuite):
    resource_key = "decisions:decisions"
    label_field = "title"
    changes = {"options": "方案二"}

    def make(self, cast, township):
        return Decision.objects.create(township=township, year=2025, draft="草案",
                                       title=f"事项{Decision.objects.count()}", outside_reason="上级部署")  # fmt: skip

    def new_data(self, cast):
        return {"township": cast.a, "title": "新事项", "year": 2025, "draft": "草案",
                "outside_reason": "上级临时部署"}  # fmt: skip


class TestComments(ResourceSuite):
    resource_key = "decisions:comments"
    label_field = "content"
    changes = {"content": "修改后的意见"}

    def make(self, cast, township):
        d = Decision.objects.create(township=township, year=2025, draft="草案",
                                    title=f"事项{Decision.objects.count()}", outside_reason="上级部署")  # fmt: skip
        return PublicComment.objects.create(township=township, decision=d, submitted_on=D(2025, 3, 3),
                                            content="意见")  # fmt: skip

    def new_data(self, cast):
        d = Decision.objects.create(township=cast.a, year=2025, draft="草案", title=f"评论事项{Decision.objects.count()}",
                                    outside_reason="上级部署")  # fmt: skip
        return {"township": cast.a, "decision": d, "channel": "forum", "submitted_on": D(2025, 3, 3),
                "content": "座谈会意见"}  # fmt: skip


@pytest.mark.django_db
def test_public_comment_on_the_portal_without_login_is_throttled(client, walk):
    cache.clear()
    d = walk("consulting")
    url = reverse("decisions_portal:decision", args=[d.pk])
    with at(D(2025, 3, 10)):
        assert "提交意见" in client.get(url).content.decode()
        for i in range(5):
            assert client.post(url, {"content": f"意见{i}"}).status_code == 200
        assert client.post(url, {"content": "再一条"}).status_code == 429
        assert client.post(url, {"content": ""}).status_code == 429
    assert d.comments.count() == 6  # the walk's one + five
    index = client.get(reverse("decisions_portal:index")).content.decode()
    assert "正在征求意见" in index
    cache.clear()


@pytest.mark.django_db
def test_portal_hides_drafts_not_open(client, decision):
    d = decision()
    assert client.get(reverse("decisions_portal:decision", args=[d.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "action", ["open_comment", "close_comment", "review", "discuss", "archive"]
)
def test_other_township_cannot_use_the_step_pages(cast, login, walk, action):
    d = walk("consulting")
    before = ChangeRecord.objects.count()
    url = reverse("legal:act", args=["decisions", d.pk, action])
    client = login(cast.b_operator)
    assert client.get(url).status_code == 404
    assert client.post(url, {"summary": "x", "on": "2025-04-08"}).status_code == 404
    assert ChangeRecord.objects.count() == before
    assert login(cast.a_operator).get(url).status_code == 200


@pytest.mark.django_db
def test_metrics_and_coverage(cast, walk, login):
    walk("decided")
    y = Period.year(2025)
    assert registry.compute("decisions.count", cast.a, y).value == 1
    assert registry.compute("decisions.participation_rate", cast.a, y).display == "1/1 = 100.0%"
    assert registry.compute("decisions.review_rate", cast.a, y).display == "1/1 = 100.0%"
    assert registry.compute("decisions.study_rate", cast.a, y).display == "1/1 = 100.0%"
    assert registry.compute("legal.advisor_decision_rate", cast.a, y).display == "1/1 = 100.0%"
    page = login(cast.a_operator).get(
        reverse("legal:coverage"), {"township": cast.a.pk, "year": 2025}
    )
    assert [r.category for r in page.context["covered"]] == ["重大行政决策"]
    for m in registry.metrics("decisions"):
        assert m.report_section and m.report_topic and m.report_phrase


def test_decision_case_page_shows_the_steps_the_review_and_the_next_step(cast, login, walk):
    d = walk("reviewing")
    with at(D(2025, 4, 9)):
        html = login(cast.a_operator).get(f"/decisions/decisions/{d.pk}/").content.decode()
    assert 'class="steps"' in html and "step-current" in html
    assert d.review.number in html  # the legality review, linked
    assert "登记集体讨论决定" in html  # the next step, as an inline form
    assert "公众意见" in html and "证据链" in html  # the comments and the evidence in tabs
    assert login(cast.b_operator).get(f"/decisions/decisions/{d.pk}/").status_code == 404
    # the review's case page names the decision it reviews
    with at(D(2025, 4, 9)):
        page = login(cast.a_operator).get(f"/legal/reviews/{d.review_id}/").content.decode()
    assert f"重大行政决策：{d.title}" in page


def test_an_adjustment_links_to_the_original_and_both_pages_show_it(cast, login, walk, decision):
    """条例第三十七条: changing or stopping a decision made is a decision of its own through the
    procedure, naming the one it adjusts; both pages show the link, to the township only."""
    from django.core.exceptions import ValidationError

    from fazhi.core.services import create_object
    from fazhi.decisions import services

    original = walk("decided")
    assert original.status == "decided"
    base = {
        "township": cast.a,
        "year": 2025,
        "draft": "调整草案",
        "outside_reason": "执行中情况变化",
        "lead_unit": cast.justice_a,
    }
    with pytest.raises(ValidationError, match="请选择调整的原决策（条例第三十七条）"):
        create_object(Decision, {**base, "title": "无原决策", "adjustment_kind": "stop"},
                      actor=cast.a_operator)  # fmt: skip
    with pytest.raises(ValidationError, match="请选择调整方式"):
        create_object(Decision, {**base, "title": "无方式", "adjusts": original},
                      actor=cast.a_operator)  # fmt: skip
    drafting = decision(title="尚在起草的决策")
    with pytest.raises(ValidationError, match="尚未作出决定"):
        create_object(Decision, {**base, "title": "调整草稿", "adjusts": drafting,
                                 "adjustment_kind": "change"}, actor=cast.a_operator)  # fmt: skip
    other = {**base, "township": cast.b, "title": "乙镇调整", "lead_unit": None, "adjusts": original,
             "adjustment_kind": "stop"}  # fmt: skip
    with pytest.raises(ValidationError, match="不属于该乡镇"):
        create_object(Decision, other, actor=cast.b_operator)
    stop = create_object(Decision, {**base, "title": "停止执行污水管网方案", "adjusts": original,
                                    "adjustment_kind": "stop"}, actor=cast.a_operator)  # fmt: skip
    with at(D(2025, 6, 1)):
        page = login(cast.a_operator).get(f"/decisions/decisions/{stop.pk}/").content.decode()
        assert "调整的原决策" in page and f"/decisions/decisions/{original.pk}/" in page
        assert "停止执行原决策" in page and "第三十七条" in page
        page = login(cast.a_operator).get(f"/decisions/decisions/{original.pk}/").content.decode()
        assert "后续调整" in page and f"/decisions/decisions/{stop.pk}/" in page
        assert "正在依照法定程序停止执行原决策" in page
        # another township's user sees neither page
        assert login(cast.b_operator).get(f"/decisions/decisions/{stop.pk}/").status_code == 404
        assert login(cast.b_operator).get(f"/decisions/decisions/{original.pk}/").status_code == 404
        # once the adjustment's procedure has started, what it adjusts is fixed
        stop = services.open_comment(stop, actor=cast.a_operator, start=D(2025, 6, 1),
                                     end=D(2025, 7, 1))  # fmt: skip
    with pytest.raises(ValidationError, match="决策程序启动后不能修改"):
        services.update_decision(stop, {"adjusts": None, "adjustment_kind": ""},
                                 actor=cast.a_operator, expected_version=stop.version)  # fmt: skip


@pytest.mark.django_db
def test_a_step_without_the_version_it_read_or_with_an_older_one_writes_nothing(cast, login, walk):
    """Two clerks with the same decision open: the second 汇总公众意见 is refused (409), not
    applied twice; a post without the version is refused (400); nothing is written either way."""
    from fazhi.decisions import services

    d = walk("consulting")
    with at(D(2025, 4, 8)):
        services.record_adoption(d.comments.get(), actor=cast.a_operator, adoption="adopted",
                                 reply="已纳入二期")  # fmt: skip
    d.refresh_from_db()
    client = login(cast.a_operator)
    url = reverse("legal:act", args=["decisions", d.pk, "close_comment"])
    page = client.get(url).content.decode()
    assert f'name="version" value="{d.version}"' in page
    before = ChangeRecord.objects.count()
    with at(D(2025, 4, 8)):
        missing = client.post(url, {"summary": "收到意见1条。"})
        assert missing.status_code == 400 and "缺少版本号" in missing.content.decode()
        assert ChangeRecord.objects.count() == before
        read = d.version
        assert client.post(url, {"summary": "收到意见1条。", "version": read}).status_code == 302
        written = ChangeRecord.objects.count()
        again = client.post(url, {"summary": "另一汇总", "version": read})
    assert again.status_code == 409 and "已被他人修改" in again.content.decode()
    assert ChangeRecord.objects.count() == written
    d.refresh_from_db()
    assert d.comments_summary == "收到意见1条。" and d.version == read + 1
