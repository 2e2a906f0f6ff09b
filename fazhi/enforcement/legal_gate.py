"""The 法制审核 gate when the legal app is installed too (issue #11; REGULATIONS.md §2.3, §9).

A major enforcement decision's 法制审核 is then one review kept in two places: the case's
`LegalReview` (the reviewer, the six review points, the case's step) and the township's legality
review ledger (`legal.ReviewRequest`, kind 重大行政执法决定: numbered, on the coverage, the metrics
and the 司法所's list). 送法制审核 on the case opens both; the opinion is given either on the case
(出具法制审核意见, with the points) or on the review page by the 司法所 / legal advisor (通过 /
修改后通过 / 不予通过), and each side is told of the other's. The gate (`check`, called by
`cases.decide`) reads the legal review: no decision until its outcome is 通过 or 修改后通过,
dated on or before the decision. The legal review's opinion goes onto the case's evidence chain.
Without the legal app, `cases.decide` keeps its own check of the case's `LegalReview`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from fazhi.core import deadlines
from fazhi.core.audit import snapshot
from fazhi.enforcement import choices as c
from fazhi.enforcement import rules
from fazhi.enforcement.models import EnforcementCase, LegalReview


def enabled() -> bool:
    return apps.is_installed("fazhi.legal")


def open_review(case: EnforcementCase, review: LegalReview, actor: Any) -> None:
    """送法制审核 also sends the decision to the township's legality review (its deadline stays
    the case review's own, one line on 我的期限)."""
    from fazhi.legal import links
    from fazhi.legal.choices import ReviewKind

    deadline = deadlines.deadlines_for(review).filter(rule_code=rules.LEGAL_REVIEW.code).first()
    reasons = "、".join(c.ReviewTrigger(t).label for t in case.review_triggers())
    links.submit_linked(
        case,
        kind=ReviewKind.ENFORCEMENT,
        title=f"{case.number} {case.cause}（{case.party_name}）"[:200],
        submitted_on=review.submitted_on,
        actor=actor,
        due_on=deadline.due_date if deadline is not None else None,
        reviewer=review.reviewer.staff,
        unit=case.body.department,
        materials=(
            f"执法主体：{case.body}；审核人员：{review.reviewer.name}；"
            f"拟处罚内容：{case.proposed_penalty or '—'}；须审核的情形：{reasons or '—'}"
        ),
    )


def mirror_conclusion(case: EnforcementCase, review: LegalReview, actor: Any) -> None:
    """The case's reviewer gave the opinion (出具法制审核意见): the legal review concludes alike."""
    from fazhi.legal import links
    from fazhi.legal.choices import ReviewOutcome

    points = "；".join(
        f"{label}：{'符合' if review.points.get(key) else '不符合'}"
        for key, label in rules.REVIEW_POINTS
    )
    links.conclude_linked(
        case,
        outcome=ReviewOutcome.PASSED if review.passed else ReviewOutcome.REJECTED,
        opinion=f"{review.opinion}\n（审核人员{review.reviewer.name}，{points}）",
        on=review.reviewed_on,
        actor=actor,
    )


def check(case: EnforcementCase, decided_on: dt.date) -> None:
    """The gate: refused unless the legal review passed (通过 / 修改后通过) by `decided_on`."""
    from fazhi.legal import links

    failure = links.gate_failure(links.linked_review(case), decided_on)
    if failure:
        reasons = "、".join(c.ReviewTrigger(t).label for t in case.review_triggers())
        raise ValidationError(
            f"本案须经法制审核（{reasons}）：{failure}。未经审核或审核未通过的，不得作出决定。"
        )


def on_review_concluded(request: Any, actor: Any) -> None:
    """The 司法所 / legal advisor concluded the review on the review page: the opinion goes onto
    the case's evidence chain and the case's open `LegalReview` is completed; 不予通过 sends the
    case back to investigation, as on the case."""
    from fazhi.enforcement import cases
    from fazhi.legal.choices import PASSING

    pk = int(request.subject.rpartition(":")[2])
    case = EnforcementCase.objects.select_for_update().get(pk=pk, township_id=request.township_id)
    passed = request.outcome in PASSING
    cases._chain(
        case,
        "合法性审查意见",
        {
            "审查编号": request.number,
            "审查人": str(request.reviewer or ""),
            "法律顾问": str(request.advisor or ""),
            "结论": request.get_outcome_display(),
            "审查意见": request.opinion,
            "法律顾问意见": request.advisor_opinion,
            "出具日期": request.opinion_on,
        },
        actor,
    )
    review = case.reviews.filter(passed__isnull=True).order_by("-pk").first()
    if review is None:
        return
    before = snapshot(review)
    review.reviewed_on, review.passed = request.opinion_on, passed
    review.opinion = (
        f"{request.opinion}（合法性审查{request.number}，{request.get_outcome_display()}）"
    )
    cases._save(review, before, actor)
    deadlines.complete_deadline(review, rules.LEGAL_REVIEW.code, request.opinion_on, actor=actor)
    if not passed and case.status == c.CaseStatus.REVIEW:
        case_before = snapshot(case)
        cases._transition(case, c.CaseStatus.FILED)
        case.notified_on = None
        cases._save(case, case_before, actor)
    cases._event(
        "enforcement.review_done",
        f"合法性审查{request.number}：{request.get_outcome_display()}",
        case,
        actor,
        passed=passed,
    )


def subject_link(pk: int) -> tuple[str, str]:
    case = EnforcementCase.objects.filter(pk=pk).only("number").first()
    label = f"执法案件 {case.number}" if case is not None else "执法案件（已删除）"
    return label, reverse("enforcement:cases_detail", args=[pk])
