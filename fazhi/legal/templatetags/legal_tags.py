"""The workflow panels of review, contract and document pages."""

from __future__ import annotations

from typing import Any

from django import template

from fazhi.core import evidence, scope
from fazhi.core.deadlines import deadline_state, deadlines_for
from fazhi.core.roles import CHANGE
from fazhi.legal.choices import (
    CASE_TRANSITIONS,
    CONTRACT_TRANSITIONS,
    DOCUMENT_TRANSITIONS,
    REVIEW_TRANSITIONS,
    ContractAction,
    DocumentAction,
    ReviewAction,
    allowed,
)
from fazhi.legal.models import Contract, Judgment, NormativeDocument, ReviewRequest

register = template.Library()


def _actions(obj: Any) -> tuple[str, list[tuple[str, str]]]:
    if obj._meta.app_label == "decisions":
        from fazhi.decisions import views as dviews

        if obj._meta.model_name == "decision":
            offered = dviews.OFFERED.get(obj.status, ())
            return "decisions", [(a, dviews.ACTIONS[a].label) for a in offered]
        return "comments", [("adopt", "记录采纳情况")]
    if isinstance(obj, ReviewRequest):
        return "reviews", [
            (a, ReviewAction(a).label) for a in allowed(REVIEW_TRANSITIONS, obj.status)
        ]
    if isinstance(obj, Contract):
        return "contracts", [
            (a, ContractAction(a).label) for a in allowed(CONTRACT_TRANSITIONS, obj.status)
        ]
    if isinstance(obj, NormativeDocument):
        return "documents", [
            (a, DocumentAction(a).label) for a in allowed(DOCUMENT_TRANSITIONS, obj.status)
        ]
    from fazhi.legal.views import ACTIONS

    slug = obj._meta.model_name + "s"
    if isinstance(obj, Judgment):
        return "judgments", [] if obj.performed_on else [("perform", "登记履行完毕")]
    return slug, [(a, ACTIONS[slug][a].label) for a in allowed(CASE_TRANSITIONS, obj.status)]


@register.inclusion_tag("legal/_panel.html", takes_context=True)
def legal_panel(context: dict[str, Any], obj: Any) -> dict[str, Any]:
    user = context["request"].user
    slug, actions = _actions(obj)
    review = obj if isinstance(obj, ReviewRequest) else getattr(obj, "review", None)
    chained = (
        review if review is not None and slug in ("reviews", "contracts", "documents") else obj
    )
    entries = list(evidence.entries(chained.township_id, evidence.chain_name(chained)))
    subjects = []
    if isinstance(obj, ReviewRequest):
        from django.urls import reverse

        subjects = [
            (s, reverse("legal:contracts_detail", args=[s.pk]))
            for s in Contract.objects.filter(review=obj)
        ] + [
            (s, reverse("legal:documents_detail", args=[s.pk]))
            for s in NormativeDocument.objects.filter(review=obj)
        ]
    return {
        "obj": obj,
        "slug": slug,
        "review": review,
        "is_review": isinstance(obj, ReviewRequest),
        "subjects": subjects,
        "actions": actions if scope.visible(user, obj, CHANGE) else [],
        "deadlines": [(d, deadline_state(d)) for d in deadlines_for(obj)],
        "entries": entries,
    }
