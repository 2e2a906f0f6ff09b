"""Every step of a major decision, and the gates that refuse a skipped step naming the missing item."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from fazhi.decisions import services
from fazhi.decisions.models import Decision
from fazhi.decisions.tests.conftest import at

pytestmark = pytest.mark.django_db
D = dt.date


def test_a_decision_goes_through_every_step(cast, walk, head):
    u = cast.a_operator
    d = walk("decided")
    assert d.status == "decided" and d.review.advisor_opinion == "同意"
    d.executing_unit = cast.justice_a
    d.save()
    with at(D(2025, 12, 1)):
        with pytest.raises(ValidationError, match="向同级党委请示报告"):
            services.publish(d, actor=u, on=D(2025, 5, 25), channel="镇政府网站",
                             adoption_note="采纳1条")  # fmt: skip
        with pytest.raises(ValidationError, match="不能早于向同级党委请示报告日期"):
            services.publish(d, actor=u, on=D(2025, 5, 25), channel="镇政府网站",
                             adoption_note="采纳1条", party_reported_on=D(2025, 5, 26))  # fmt: skip
        d = services.publish(
            d, actor=u, on=D(2025, 5, 25), channel="镇政府网站", adoption_note="采纳1条",
            party_reported_on=D(2025, 5, 23),
        )  # fmt: skip
        d = services.record_progress(d, actor=u, progress="一期完工")
        # 条例第三十七条: only the head suspends, with the reason; archiving waits for resumption
        with pytest.raises(ValidationError, match="行政首长"):
            services.suspend_execution(d, actor=u, on=D(2025, 7, 1), head=None, reason="汛期")
        d = services.suspend_execution(d, actor=u, on=D(2025, 7, 1), head=head, reason="汛期停工")
        with pytest.raises(ValidationError, match="当前环节为“中止执行”"):
            services.archive(d, actor=u, on=D(2025, 7, 2))
        d = services.resume_execution(d, actor=u, on=D(2025, 8, 1), note="汛期结束，恢复施工")
        assert (d.status, d.suspended_by) == ("executing", head)
        d = services.evaluate(d, actor=u, on=D(2025, 11, 20), evaluation="达到预期")
        d = services.archive(d, actor=u, on=D(2025, 12, 1))
    assert d.status == "archived" and services.missing_items(d) == []


def test_comment_period_under_30_days_needs_a_reason(cast, decision):
    d = decision()
    with at(D(2025, 3, 3)):
        with pytest.raises(ValidationError) as exc:
            services.open_comment(d, actor=cast.a_operator, start=D(2025, 3, 3), end=D(2025, 3, 20))
        assert "少于30日" in str(exc.value)
        d = services.open_comment(d, actor=cast.a_operator, start=D(2025, 3, 3), end=D(2025, 3, 20),
                                  short_reason="汛期前须开工")  # fmt: skip
    assert d.status == "consulting"


def test_hearing_materials_seven_days_before(cast, walk):
    d = walk("consulting")
    with at(D(2025, 3, 10)), pytest.raises(ValidationError) as exc:
        services.record_hearing(
            d, actor=cast.a_operator, hearing_on=D(2025, 3, 20), materials_on=D(2025, 3, 15)
        )
    assert "7日前送达" in str(exc.value)


def test_comments_must_be_summarised_with_adoption_recorded(cast, walk):
    d = walk("consulting")
    with at(D(2025, 4, 8)), pytest.raises(ValidationError) as exc:
        services.close_comment(d, actor=cast.a_operator, summary="汇总")
    assert "尚有1条公众意见未记录采纳情况" in str(exc.value)


def test_review_refused_without_the_required_expert_opinion(cast, walk, reviewer, advisor):
    d = walk("consulting")
    Decision.objects.filter(pk=d.pk).update(expert_required=True, risk_required=True)
    c = d.comments.get()
    with at(D(2025, 4, 8)):
        services.record_adoption(c, actor=cast.a_operator, adoption="not_adopted", reply="超出范围")
        d = services.close_comment(
            Decision.objects.get(pk=d.pk), actor=cast.a_operator, summary="汇总"
        )
        with pytest.raises(ValidationError) as exc:
            services.send_for_review(d, actor=cast.a_operator, on=D(2025, 4, 8), reviewer_kind="advisor",
                                     advisor=advisor())  # fmt: skip
    assert "缺少专家论证意见" in str(exc.value) and "缺少风险评估报告" in str(exc.value)


def test_discussion_refused_before_the_review_and_without_the_head_last(cast, walk, head, study):
    d = walk("reviewing")
    with at(D(2025, 4, 10)), pytest.raises(ValidationError) as exc:
        services.discuss(d, actor=cast.a_operator, meeting_on=D(2025, 4, 10), meeting_kind="executive",
                         minutes="", head=head, head_spoke_last=False, outcome="adopted", study=None)  # fmt: skip
    text = str(exc.value)
    for item in (
        "合法性审查尚未出具意见",
        "缺少会前学法记录",
        "缺少会议纪要",
        "行政首长应当最后发言",
    ):
        assert item in text
    assert Decision.objects.get(pk=d.pk).status == "reviewing"


def test_archive_lists_what_the_file_lacks(cast, walk):
    d = walk("decided")
    Decision.objects.filter(pk=d.pk).update(status="executing", minutes="")
    with at(D(2025, 12, 1)), pytest.raises(ValidationError) as exc:
        services.archive(Decision.objects.get(pk=d.pk), actor=cast.a_operator, on=D(2025, 12, 1))
    assert "档案缺少集体讨论会议纪要" in str(exc.value) and "档案缺少公布记录" in str(exc.value)


def test_outside_the_catalogue_needs_a_reason(cast):
    with pytest.raises(ValidationError) as exc:
        Decision(township=cast.a, year=2025, title="目录外事项", draft="草案").full_clean()
    assert "目录外决策的理由" in str(exc.value)
