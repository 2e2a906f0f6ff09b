"""The disputes module's source for the party index (parties.registry): the party page lists a
party's disputes, and repeat-party warnings count them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.urls import reverse

from fazhi.core.roles import VIEW
from fazhi.disputes.models import Dispute, DisputeParty
from fazhi.parties import registry


def dispute_records(party_ids: Sequence[int], user: Any) -> Iterable[registry.PartyRecord]:
    links = DisputeParty.objects.filter(party_id__in=party_ids).select_related("dispute")
    if user is not None:
        links = links.filter(dispute__in=Dispute.objects.visible_to(user, VIEW))
    seen: set[int] = set()
    for link in links.order_by("-dispute__received_on", "pk"):
        d = link.dispute
        if d.pk in seen:
            continue
        seen.add(d.pk)
        yield registry.PartyRecord(
            key=f"disputes.dispute:{d.pk}",
            module="矛盾纠纷调解",
            title=d.number or d.title,
            url=reverse("disputes:disputes_detail", args=[d.pk]),
            date=d.received_on,
            role=link.get_role_display(),
            status=d.get_status_display(),
            township_id=d.township_id,
            summary=d.title,
        )


registry.register(
    "disputes",
    "矛盾纠纷调解",
    dispute_records,
    links=[(Dispute, "dispute_parties__party")],
)
