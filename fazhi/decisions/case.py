"""A major decision's case page (`fazhi.core.casepage`): 启动 → 公众参与 → 专家论证、风险评估 →
合法性审查 → 集体讨论决定 → 公布 → 执行 → 决策后评估 → 归档 as steps, the key facts, the next
steps as inline forms posted to the workflow pages (every gate still in the services), and the
public comments, deadlines, attachments, history and evidence chain in tabs."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.html import format_html, format_html_join

from fazhi.core.casepage import Ending, Procedure, Step
from fazhi.decisions.choices import MADE, Status
from fazhi.legal.casepages import LegalCaseView, _current_deadline, _day

S = Status
REGULATION = "《重大行政决策程序暂行条例》"
ADJUSTMENT_BASIS = f"{REGULATION}第三十七条"


def _adjustments(obj: Any) -> list[Any]:
    """The later decisions that change or stop `obj` (same township: the model refuses others)."""
    return list(obj.adjustments.filter(township_id=obj.township_id).order_by("year", "pk"))


PROCEDURE = Procedure(
    steps=(
        Step("start", "启动", statuses=(S.DRAFTING,), citation=f"{REGULATION}第十条至第十三条"),
        Step(
            "consult",
            "公众参与",
            statuses=(S.CONSULTING,),
            citation="第十四条至第十八条",
            note=lambda d: (
                f"{_day(d.comment_start)}至{_day(d.comment_end)}" if d.comment_start else ""
            ),
        ),
        Step(
            "argue",
            "专家论证、风险评估",
            statuses=(S.ARGUING,),
            citation="第十九条至第二十四条",
            reached=lambda d: d.expert_on or d.risk_on,
        ),
        Step(
            "review",
            "合法性审查",
            statuses=(S.REVIEWING,),
            citation="第二十五条至第二十八条",
            note=lambda d: d.review.get_outcome_display() if d.review_id else "",
        ),
        Step(
            "discuss",
            "集体讨论决定",
            statuses=(S.DISCUSSION,),
            citation="第二十九条至第三十一条",
            note=lambda d: _day(d.meeting_on),
        ),
        Step(
            "publish",
            "公布",
            statuses=(S.DECIDED,),
            citation="第三十二条",
            note=lambda d: _day(d.published_on),
        ),
        Step(
            "execute",
            "执行",
            statuses=(S.PUBLISHED, S.EXECUTING, S.SUSPENDED),
            citation="第三十四条、第三十七条",
        ),
        Step(
            "evaluate",
            "决策后评估",
            citation="第三十五条",
            reached=lambda d: d.evaluated_on,
            note=lambda d: _day(d.evaluated_on),
        ),
        Step("archive", "归档", statuses=(S.EVALUATED,), citation="第三十三条"),
    ),
    done_statuses=(S.ARCHIVED,),
    endings={S.DROPPED: Ending("未通过(终止)", after="discuss", citation="第三十条")},
)


class DecisionCaseView(LegalCaseView):
    procedure = PROCEDURE
    slug = "decisions"

    def offered(self, obj: Any) -> list[str]:
        from fazhi.decisions.views import OFFERED

        return list(OFFERED.get(obj.status, ()))

    def alerts(self, obj: Any, ctx: dict[str, Any]) -> list[str]:
        out = []
        if obj.status == S.SUSPENDED:
            out.append(
                f"本决策自{_day(obj.suspended_on)}经{obj.suspended_by}决定中止执行："
                f"{obj.suspension_reason}。需要作出重大调整的，应当重新履行法定程序（条例第三十七条）。"
            )
        for later in _adjustments(obj):
            if later.status in MADE:
                out.append(
                    f"本决策已由“{later}”（{later.year}年）决定{later.get_adjustment_kind_display()}"
                    f"（{later.get_status_display()}；{ADJUSTMENT_BASIS}）。"
                )
            elif later.status != S.DROPPED:
                out.append(
                    f"“{later}”正在依照法定程序{later.get_adjustment_kind_display()}"
                    f"（{later.get_status_display()}；{ADJUSTMENT_BASIS}）。"
                )
        return out

    def summary(self, obj: Any, ctx: dict[str, Any]) -> list[tuple[str, Any]]:
        facts: list[tuple[str, Any]] = [
            ("年度", obj.year),
            ("事项目录", obj.catalogue or f"目录外（{obj.outside_reason}）"),
            ("承办单位", obj.lead_unit),
            ("状态", obj.get_status_display()),
        ]
        if obj.adjusts_id:
            facts.append(
                (
                    "调整的原决策",
                    format_html(
                        '{}：<a href="{}">{}</a>（{}年，{}；{}）',
                        obj.get_adjustment_kind_display(),
                        reverse("decisions:decisions_detail", args=[obj.adjusts_id]),
                        obj.adjusts.title,
                        obj.adjusts.year,
                        obj.adjusts.get_status_display(),
                        ADJUSTMENT_BASIS,
                    ),
                )
            )
        later = _adjustments(obj)
        if later:
            facts.append(
                (
                    "后续调整",
                    format_html_join(
                        "；",
                        '{}：<a href="{}">{}</a>（{}年，{}）',
                        (
                            (
                                d.get_adjustment_kind_display(),
                                reverse("decisions:decisions_detail", args=[d.pk]),
                                d.title,
                                d.year,
                                d.get_status_display(),
                            )
                            for d in later
                        ),
                    ),
                )
            )
        current = _current_deadline(obj)
        if current is not None:
            facts.append(("当前期限", current))
        if obj.comment_start:
            facts.append(
                (
                    "公众参与",
                    f"{_day(obj.comment_start)}至{_day(obj.comment_end)}，"
                    f"收到意见{obj.comments.count()}条",
                )
            )
        if obj.review_id:
            review = obj.review
            outcome = review.get_outcome_display() or review.get_status_display()
            facts.append(
                (
                    "合法性审查",
                    format_html(
                        '<a href="{}">{}</a>（{}）',
                        reverse("legal:reviews_detail", args=[review.pk]),
                        review.number,
                        outcome,
                    ),
                )
            )
        if obj.meeting_on:
            facts.append(("集体讨论", f"{_day(obj.meeting_on)} {obj.get_meeting_kind_display()}"))
        if obj.party_reported_on:
            facts.append(("向同级党委请示报告", _day(obj.party_reported_on)))
        if obj.published_on:
            facts.append(("公布", f"{_day(obj.published_on)} {obj.publish_channel}"))
        if obj.resumed_on:
            facts.append(
                (
                    "中止执行",
                    f"{_day(obj.suspended_on)}至{_day(obj.resumed_on)}（{obj.suspension_reason}）",
                )
            )
        return facts
