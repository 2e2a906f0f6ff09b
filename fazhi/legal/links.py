"""Reviews that gate a record of another app (issue #11: "the enforcement app's 法制审核 gate uses
this when both exist").

The other app sends its record for review through `submit_linked`: the request is numbered in
the township's review ledger like any other (deadline, reviewer, turnaround, metrics) and
remembers its record by evidence-chain name (`ReviewRequest.subject`). The opinion may then be
given on the review page (司法所 / advisor, `services.conclude_review`) or in the other app's own
step (`conclude_linked`, which does not call back). Either way the other app's handler module,
named in `HANDLERS` and imported only when that app is installed, is told (`on_review_concluded`)
and copies the opinion onto its record's evidence chain; its gate reads `linked_review`.
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError

from fazhi.core import evidence
from fazhi.legal.choices import PASSING, ReviewStatus
from fazhi.legal.models import ReviewRequest

#: chain-name prefix of the gated record → (its app, the module handling the conclusion)
HANDLERS: dict[str, tuple[str, str]] = {
    "enforcement.enforcementcase": ("fazhi.enforcement", "fazhi.enforcement.legal_gate"),
}


def subject_of(obj: Any) -> str:
    return evidence.chain_name(obj)


def _handler(subject: str) -> Any:
    prefix, _, _pk = subject.partition(":")
    entry = HANDLERS.get(prefix)
    if entry is None or not apps.is_installed(entry[0]):
        return None
    return import_module(entry[1])


def linked_review(obj: Any) -> ReviewRequest | None:
    """The record's latest review that was not withdrawn (None: never sent)."""
    return (
        ReviewRequest.objects.filter(township_id=obj.township_id, subject=subject_of(obj))
        .exclude(status=ReviewStatus.WITHDRAWN)
        .order_by("-submitted_on", "-pk")
        .first()
    )


def gate_failure(review: ReviewRequest | None, on: dt.date) -> str:
    """Why the gated record may not take effect on `on` ("" when the review passed by then)."""
    if review is None:
        return "尚未送合法性审查"
    if review.status != ReviewStatus.CONCLUDED:
        return f"合法性审查{review.number}尚未出具审查意见"
    if review.outcome not in PASSING:
        return f"合法性审查{review.number}的结论为“{review.get_outcome_display()}”"
    if review.opinion_on is None or review.opinion_on > on:
        return (
            f"合法性审查{review.number}的意见出具于{review.opinion_on:%Y-%m-%d}，晚于{on:%Y-%m-%d}"
        )
    return ""


def submit_linked(obj: Any, *, kind: str, title: str, submitted_on: dt.date, actor: Any,
                  due_on: dt.date | None = None, reviewer: Any = None, unit: Any = None,
                  materials: str = "") -> ReviewRequest:  # fmt: skip
    """送审 on behalf of another app's record (its own scope gate already passed)."""
    from fazhi.legal.choices import ReviewerKind
    from fazhi.legal.services import submit_review

    open_review = linked_review(obj)
    if open_review is not None and open_review.status == ReviewStatus.REVIEWING:
        raise ValidationError(f"该记录已送合法性审查（{open_review.number}），尚未出具意见。")
    return submit_review(
        obj.township,
        kind=kind,
        title=title,
        submitted_on=submitted_on,
        actor=actor,
        unit=unit,
        materials=materials,
        reviewer_kind=ReviewerKind.JUSTICE,
        reviewer=reviewer,
        subject=subject_of(obj),
        due_on=due_on,
    )


def conclude_linked(obj: Any, *, outcome: str, opinion: str, on: dt.date,
                    actor: Any) -> ReviewRequest | None:  # fmt: skip
    """The other app's own step gave the opinion: conclude its open request the same way
    (without calling back). None when no request is open (already concluded on the review page)."""
    from fazhi.core.audit import snapshot
    from fazhi.legal.services import _conclude

    review = linked_review(obj)
    if review is None or review.status != ReviewStatus.REVIEWING:
        return None
    locked = ReviewRequest.objects.select_for_update().get(pk=review.pk)
    return _conclude(locked, snapshot(locked), actor=actor, outcome=outcome, opinion=opinion,
                     on=on, notify=False)  # fmt: skip


def concluded(review: ReviewRequest, actor: Any) -> None:
    """Called by `services.conclude_review` inside its transaction."""
    handler = _handler(review.subject)
    if handler is not None:
        handler.on_review_concluded(review, actor)


def subject_label(subject: str) -> str:
    handler = _handler(subject) if subject else None
    if handler is None:
        return "其他模块的记录" if subject else ""
    return handler.subject_link(int(subject.rpartition(":")[2]))[0]


def subject_link(review: ReviewRequest) -> tuple[str, str] | None:
    """(label, url) of the gated record for the review page."""
    if not review.subject:
        return None
    handler = _handler(review.subject)
    if handler is None:
        return None
    return handler.subject_link(int(review.subject.rpartition(":")[2]))
