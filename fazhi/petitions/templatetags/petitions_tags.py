"""The workflow panel of a backlog case's page (the petition's page is `petitions.case`)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from fazhi.core import scope
from fazhi.core.roles import CHANGE

register = template.Library()


@register.inclusion_tag("petitions/_backlog.html", takes_context=True)
def backlog_panel(context: dict[str, Any], case: Any) -> dict[str, Any]:
    user = context["request"].user
    return {
        "case": case,
        "can_change": scope.visible(user, case, CHANGE),
        "petition_url": reverse("petitions:petitions_detail", args=[case.petition_id]),
    }
