"""The workflow panel of a petition's page and of a backlog case's page."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from fazhi.core import scope
from fazhi.core.deadlines import deadline_state, deadlines_for
from fazhi.core.roles import CHANGE, VIEW, VIEW_PII
from fazhi.parties import pii
from fazhi.petitions import services
from fazhi.petitions.choices import Action

register = template.Library()

#: the actions shown as buttons, in the order of the loop
PRIMARY = (
    Action.ACCEPT,
    Action.DECLINE,
    Action.OBJECT,
    Action.EXTEND,
    Action.ISSUE_OPINION,
    Action.SERVE,
    Action.REQUEST_REVIEW,
    Action.RECORD_REVIEW,
    Action.REQUEST_RECHECK,
    Action.RECORD_RECHECK,
    Action.CLOSE,
    Action.RATE,
)
SECONDARY = (
    Action.ROUTE,
    Action.ESCALATE,
    Action.HAND_UP,
    Action.TO_MEDIATION,
    Action.FLAG_BACKLOG,
    Action.REISSUE_CODE,
)


def _party_row(user: Any, role: str, party: Any, via: str, petition: Any) -> dict[str, Any]:
    can = pii.can_reveal(user, party, petition)
    return {
        "role": role,
        "party": party,
        "url": reverse("parties:parties_detail", args=[party.pk])
        if scope.visible(user, party, VIEW)
        else "",
        "fields": [
            ("证件号码", "id_number", pii.mask_id(party.id_number)),
            ("联系电话", "phone", pii.mask_phone(party.phone)),
            ("住址", "address", pii.mask_address(party.address)),
        ],
        "can_reveal": can,
        "via": via,
    }


@register.inclusion_tag("petitions/_workflow.html", takes_context=True)
def petition_panel(context: dict[str, Any], petition: Any) -> dict[str, Any]:
    from fazhi.parties import registry

    request = context["request"]
    user = request.user
    can_change = scope.visible(user, petition, CHANGE)
    available = set(services.available_actions(petition)) if can_change else set()
    via = f"petitions.petition:{petition.pk}"
    parties = [
        _party_row(user, role, party, via, petition)
        for role, party in services.parties_of(petition)
    ]
    others = []
    seen = {f"petitions.petition:{petition.pk}"}
    for _role, party in services.parties_of(petition):
        for record in registry.records_for(party, user):
            if record.key not in seen:
                seen.add(record.key)
                others.append(record)
    deadlines = [(d, deadline_state(d)) for d in deadlines_for(petition)]
    backlog = getattr(petition, "backlog", None) if hasattr(petition, "backlog") else None
    return {
        "p": petition,
        "primary": [(a, Action(a).label) for a in PRIMARY if a in available],
        "secondary": [(a, Action(a).label) for a in SECONDARY if a in available],
        "repeat_reason": services.repeat_refusal_reason(petition),
        "parties": parties,
        "others": others[:20],
        "deadlines": deadlines,
        "opinions": list(services.iter_opinions(petition)),
        "transfers": list(petition.transfers.order_by("on", "pk")),
        "repeats": list(petition.repeats.visible_to(user, VIEW).order_by("received_on")),
        "backlog": backlog,
        "can_change": can_change,
        "can_pii": scope.visible(user, petition, VIEW_PII),
    }


@register.inclusion_tag("petitions/_backlog.html", takes_context=True)
def backlog_panel(context: dict[str, Any], case: Any) -> dict[str, Any]:
    user = context["request"].user
    return {
        "case": case,
        "can_change": scope.visible(user, case, CHANGE),
        "petition_url": reverse("petitions:petitions_detail", args=[case.petition_id]),
    }
