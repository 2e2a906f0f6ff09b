"""Resources of the petitions app: pages, API, Excel and navigation from declarations."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from fazhi.core.api.generic import ScopedSerializer
from fazhi.core.choices import Role
from fazhi.core.resources import (
    MenuGroup,
    NavLink,
    Resource,
    register,
    register_group,
    register_link,
)
from fazhi.petitions import services
from fazhi.petitions.forms import PetitionForm
from fazhi.petitions.models import (
    BacklogCase,
    BacklogProgress,
    JointMeeting,
    Petition,
    PetitionOpinion,
    PetitionParty,
    PetitionTransfer,
    ReceptionDay,
)

GROUP = "信访"

#: who keeps the petition ledgers (信访办 staff work as operators or department officers)
PETITION_WRITERS = frozenset(
    {
        Role.PLATFORM_ADMIN,
        Role.TOWNSHIP_ADMIN,
        Role.TOWNSHIP_OPERATOR,
        Role.DEPARTMENT_OFFICER,
    }
)
for model in (
    Petition,
    PetitionParty,
    PetitionOpinion,
    PetitionTransfer,
    ReceptionDay,
    JointMeeting,
    BacklogCase,
    BacklogProgress,
):
    model.scope_write_roles = PETITION_WRITERS

#: records written only by the verbs of the loop (registration, opinions, transfers): their
#: pages, API and Excel are read-only for every role, so a generic form cannot bypass the
#: transition table; the petition page is where they are made
WORKFLOW_ONLY: frozenset[str] = frozenset()
for model in (PetitionParty, PetitionOpinion, PetitionTransfer):
    model.scope_write_roles = WORKFLOW_ONLY

PETITION_FIELDS = list(services.EDITABLE_FIELDS)

#: read-only state shown by the API (changed only by the workflow services)
PETITION_STATE = [
    "receipt_no",
    "status",
    "acceptance_due_on",
    "objection_due_on",
    "decided_on",
    "accepted_on",
    "decline_reason",
    "handling_due_on",
    "extension_days",
    "concluded_on",
    "route",
    "closed_on",
    "review_request_due_on",
    "review_requested_on",
    "recheck_request_due_on",
    "recheck_requested_on",
    "satisfaction",
    "rated_on",
]


class PetitionSerializer(ScopedSerializer):
    class Meta:
        model = Petition
        fields = [
            "id",
            "township",
            *PETITION_FIELDS,
            *PETITION_STATE,
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [*PETITION_STATE, "created_at", "updated_at"]


def _deadline_text(p: Petition) -> str:
    if p.handling_due_on and p.status == "accepted":
        return f"办理期限 {p.handling_due_on:%Y-%m-%d}"
    if p.acceptance_due_on and p.status == "registered":
        return f"受理告知期限 {p.acceptance_due_on:%Y-%m-%d}"
    return ""


def _petition_url(obj: Any) -> str:
    return reverse("petitions:petitions_detail", args=[obj.pk])


PETITIONS = register(
    Resource(
        Petition,
        "petitions",
        nav_order=10,
        fields=PETITION_FIELDS,
        list_columns=[
            "receipt_no",
            "received_on",
            "channel",
            "category",
            "subject",
            "status",
            "handling_due_on",
            "township",
        ],
        filter_fields=[
            "township",
            "status",
            "channel",
            "source",
            "category",
            "level",
            "village",
            "received_on",
            "accepted_on",
        ],
        search_fields=["receipt_no", "subject", "petitioner__name"],
        io_fields=["township", "receipt_no", *PETITION_FIELDS, "status"],
        natural_key=["township", "receipt_no"],
        select_related=["township", "petitioner", "village", "department"],
        form_class=PetitionForm,
        serializer_class=PetitionSerializer,
        create=services.create_from_resource,
        update=services.update_petition,
        delete=services.delete_petition,
        group=GROUP,
    )
)

RECEPTIONS = register(
    Resource(
        ReceptionDay,
        "receptions",
        nav_order=60,
        fields=[
            "kind",
            "leader",
            "held_on",
            "place",
            "village",
            "visitor_count",
            "visitors",
            "matters",
            "outcome",
        ],
        list_columns=["held_on", "kind", "leader", "place", "visitor_count", "township"],
        filter_fields=["township", "kind", "leader", "held_on"],
        search_fields=["place", "matters", "leader__name"],
        natural_key=["township", "held_on", "leader"],
        select_related=["township", "leader", "village"],
        children=[("petitions", "reception")],
        group=GROUP,
    )
)

MEETINGS = register(
    Resource(
        JointMeeting,
        "meetings",
        nav_order=62,
        fields=["held_on", "place", "chair", "attendees", "topics", "decisions", "petitions"],
        io_fields=["township", "held_on", "place", "chair", "attendees", "topics", "decisions"],
        list_columns=["held_on", "place", "chair", "topics", "township"],
        filter_fields=["township", "held_on"],
        search_fields=["topics", "decisions", "attendees"],
        natural_key=["township", "held_on"],
        select_related=["township", "chair"],
        group=GROUP,
    )
)

BACKLOG = register(
    Resource(
        BacklogCase,
        "backlog",
        nav_order=30,
        fields=["petition", "owner", "flagged_on", "target_on", "plan"],
        io_fields=["township", "petition", "owner", "flagged_on", "target_on", "plan"],
        list_columns=[
            "petition",
            "owner",
            "flagged_on",
            "target_on",
            "status",
            "resolved_on",
            "township",
        ],
        filter_fields=["township", "status", "owner", "target_on", "resolved_on"],
        search_fields=["petition__receipt_no", "petition__subject", "owner__name"],
        natural_key=["township", "petition"],
        select_related=["township", "petition", "owner"],
        children=[("backlog-progress", "case")],
        detail_template="petitions/backlog_detail.html",
        create=services.create_backlog_from_resource,
        group=GROUP,
    )
)

BACKLOG_PROGRESS = register(
    Resource(
        BacklogProgress,
        "backlog-progress",
        nav_order=32,
        fields=["case", "on", "note"],
        list_columns=["on", "case", "note", "township"],
        filter_fields=["township", "case", "on"],
        search_fields=["note"],
        natural_key=["township", "case", "on"],
        select_related=["township", "case", "case__petition"],
        group=GROUP,
        nav=False,
    )
)


PETITION_PARTIES = register(
    Resource(
        PetitionParty,
        "petition-parties",
        nav_order=70,
        fields=["petition", "party", "role"],
        list_columns=["petition", "party", "role", "township"],
        filter_fields=["township", "role"],
        search_fields=["petition__receipt_no", "party__name"],
        natural_key=["township", "petition", "party"],
        select_related=["township", "petition", "party"],
        group=GROUP,
        nav=False,
    )
)

OPINIONS = register(
    Resource(
        PetitionOpinion,
        "opinions",
        nav_order=20,
        fields=[
            "petition",
            "level",
            "number",
            "issued_by",
            "issued_on",
            "request",
            "facts",
            "outcome",
            "decision",
            "legal_basis",
            "served_on",
            "service_method",
        ],
        list_columns=[
            "number",
            "petition",
            "level",
            "outcome",
            "issued_by",
            "issued_on",
            "served_on",
            "township",
        ],
        filter_fields=["township", "level", "outcome", "issued_on", "served_on"],
        search_fields=["number", "petition__receipt_no", "issued_by"],
        natural_key=["township", "petition", "level"],
        select_related=["township", "petition"],
        detail_template="petitions/opinion_detail.html",
        group=GROUP,
    )
)

TRANSFERS = register(
    Resource(
        PetitionTransfer,
        "transfers",
        nav_order=25,
        fields=[
            "petition",
            "kind",
            "on",
            "from_level",
            "to_level",
            "to_unit",
            "reason",
            "reference",
        ],
        list_columns=["on", "petition", "kind", "from_level", "to_level", "to_unit", "township"],
        filter_fields=["township", "kind", "on", "to_level"],
        search_fields=["petition__receipt_no", "to_unit", "reason"],
        natural_key=["township", "petition", "kind", "on"],
        select_related=["township", "petition"],
        group=GROUP,
    )
)


register_group(MenuGroup(GROUP, order=10))
register_link(
    NavLink(GROUP, "登记信访事项", "petitions:petitions_add", "add", Petition, order=1, new=True)
)
register_link(NavLink(GROUP, "信访统计", "petitions:stats", "view", Petition, order=40))
register_link(
    NavLink(GROUP, "导入信访台账", "petitions:ledger_import", "import", Petition, order=45)
)
register_link(NavLink(GROUP, "信访期限规则", "petitions:rules", "view", Petition, order=90))


def petition_records(party_ids: Any, user: Any) -> Any:
    """The petitions naming a party, for the party index (and its early warnings)."""
    from django.db.models import Q

    from fazhi.parties.registry import PartyRecord

    qs = Petition.objects.filter(
        Q(petitioner_id__in=party_ids) | Q(party_links__party_id__in=party_ids)
    )
    if user is not None:
        qs = qs.visible_to(user, "view")
    for p in qs.distinct().order_by("-received_on", "-pk"):
        role = "信访人" if p.petitioner_id in party_ids else "信访人/代表"
        yield PartyRecord(
            key=f"petitions.petition:{p.pk}",
            module="信访",
            title=p.receipt_no,
            url=_petition_url(p),
            date=p.received_on,
            role=role,
            status=p.get_status_display(),
            township_id=p.township_id,
            summary=p.subject[:60],
        )


def _register_party_source() -> None:
    try:
        from fazhi.parties import registry
    except ImportError:  # pragma: no cover - the party index is installed with petitions
        return
    registry.register(
        "petitions",
        "信访",
        petition_records,
        links=[(Petition, "petitioner"), (Petition, "party_links__party")],
    )


_register_party_source()
