"""Resource declarations of the disputes module: pages, API, Excel and menu from one place."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from rest_framework import serializers

from fazhi.core import roles
from fazhi.core.api.generic import ScopedSerializer
from fazhi.core.api.prepared import Prepared
from fazhi.core.resources import (
    MenuGroup,
    NavLink,
    Resource,
    register,
    register_group,
    register_link,
)
from fazhi.disputes import services
from fazhi.disputes.forms import DisputeForm, DisputePartyForm, child_form
from fazhi.disputes.models import (
    BacklogCase,
    Dispute,
    DisputeParty,
    EarlyWarning,
    FollowUpVisit,
    MediationAgreement,
    MediationCommittee,
    MediationSession,
    Mediator,
    MediatorTraining,
    ScreeningCampaign,
    WarningSettings,
)
from fazhi.parties import pii

GROUP = "矛盾纠纷调解"

#: the committee's own records are kept by the 司法所 and township clerks, not by village roles
CLERKS = roles.TOWNSHIP_CLERKS
for model in (
    MediationCommittee,
    Mediator,
    MediatorTraining,
    ScreeningCampaign,
    WarningSettings,
    BacklogCase,
):
    model.scope_write_roles = CLERKS

register_group(MenuGroup(GROUP, order=20))
register_link(
    NavLink(GROUP, "网格员上报纠纷", "disputes:grid_report", "add", Dispute, order=11, new=True)
)
register_link(NavLink(GROUP, "人民调解统计表", "disputes:statistics", "view", Dispute, order=40))
register_link(NavLink(GROUP, "纠纷台账导入", "disputes:ledger_import", "import", Dispute, order=45))


#: what a clerk enters for a dispute: the form, the API and the ledger columns share it
DISPUTE_FIELDS = [
    "received_on",
    "source",
    "source_ref",
    "campaign",
    "kind",
    "title",
    "description",
    "claims",
    "village",
    "grid",
    "committee",
    "mediator",
    "risk_level",
    "amount",
    "people_count",
]


class DisputeSerializer(ScopedSerializer):
    number = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    accepted_on = serializers.DateField(read_only=True)
    concluded_on = serializers.DateField(read_only=True)
    transfer_route = serializers.CharField(read_only=True)
    party_list = serializers.SerializerMethodField(help_text="当事人（个人信息脱敏）")

    class Meta:
        model = Dispute
        fields = [
            "id",
            "township",
            "number",
            *DISPUTE_FIELDS,
            "status",
            "accepted_on",
            "concluded_on",
            "transfer_route",
            "party_list",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    #: party_list reads the party links with its own query (or the list's prefetch), never
    #: the dispute's township or village: a single record is read without joining them
    relation_free_methods = ("party_list",)

    def get_party_list(self, obj: Dispute) -> list[dict[str, Any]]:
        return [
            {
                "party": party_id,
                "role": role,
                "name": name,
                "phone": pii.mask_phone(phone),
                "id_number": pii.mask_id(id_number),
            }
            for party_id, role, name, phone, id_number in _links(obj)
        ]


#: what the party list shows of a link and its party
_LINK_COLUMNS = ("party_id", "role", "party__name", "party__phone", "party__id_number")


def _links(obj: Dispute) -> Any:
    """(party id, role, name, phone, id number) of the dispute's party links, in the links'
    order: the API prefetches them for every row of a list at once (Resource.prefetch_related,
    into `party_links`); a single record reads the same columns as rows, in one query compiled
    once (`_LINKS`: the SQL of `DisputeParty.objects.filter(dispute=obj).values_list(…)`)."""
    links = getattr(obj, "party_links", None)
    if links is not None:
        return [
            (link.party_id, link.role, link.party.name, link.party.phone, link.party.id_number)
            for link in links
        ]
    return _LINKS.rows(obj.pk, using=obj._state.db or "default")


_LINKS = Prepared(
    lambda dispute_id: DisputeParty.objects.filter(dispute_id=dispute_id).values_list(
        *_LINK_COLUMNS
    ),
    [-918_273_645],
)


def _party_links() -> Any:
    """What the party list reads of a link and its party, and nothing else."""
    return DisputeParty.objects.select_related("party").only(
        "dispute_id", "party_id", "role", "party__name", "party__phone", "party__id_number"
    )


def _deadline_label(obj: Dispute) -> str:
    from fazhi.core.deadlines import deadline_state, deadlines_for

    d = deadlines_for(obj).filter(rule_code="disputes.conclusion").order_by("-pk").first()
    if d is None:
        return "—"
    return f"{d.due_date:%Y-%m-%d}（{deadline_state(d).label}）"


register(
    Resource(
        MediationCommittee,
        "committees",
        nav_order=60,
        fields=[
            "name",
            "level",
            "village",
            "director",
            "established_on",
            "term_years",
            "address",
            "is_active",
        ],
        list_columns=["name", "level", "village", "director", "township", "is_active"],
        filter_fields=["township", "level", "village", "is_active"],
        search_fields=["name", "director"],
        natural_key=["township", "name"],
        select_related=["township", "village"],
        children=[("mediators", "committee")],
        group=GROUP,
    )
)
register(
    Resource(
        Mediator,
        "mediators",
        nav_order=62,
        fields=["name", "kind", "committee", "staff", "phone", "appointed_on", "is_active", "note"],
        list_columns=["name", "kind", "committee", "township", "is_active"],
        filter_fields=["township", "kind", "committee", "is_active"],
        search_fields=["name"],
        natural_key=["township", "name"],
        select_related=["township", "committee"],
        group=GROUP,
    )
)
register(
    Resource(
        MediatorTraining,
        "trainings",
        nav_order=64,
        fields=[
            "held_on",
            "topic",
            "organiser",
            "place",
            "hours",
            "attendee_count",
            "attendees",
            "note",
        ],
        io_fields=[
            "township",
            "held_on",
            "topic",
            "organiser",
            "place",
            "hours",
            "attendee_count",
            "note",
        ],
        list_columns=["held_on", "topic", "organiser", "attendee_count", "township"],
        filter_fields=["township", "held_on"],
        search_fields=["topic", "organiser"],
        natural_key=["township", "held_on", "topic"],
        select_related=["township"],
        create=services.create_training,
        group=GROUP,
    )
)
register(
    Resource(
        ScreeningCampaign,
        "campaigns",
        nav_order=50,
        fields=["name", "start", "end", "village", "organiser", "summary"],
        list_columns=["name", "start", "end", "village", "township"],
        filter_fields=["township", "start", "village"],
        search_fields=["name"],
        natural_key=["township", "name"],
        select_related=["township", "village"],
        children=[("disputes", "campaign")],
        group=GROUP,
    )
)
DISPUTES = register(
    Resource(
        Dispute,
        "disputes",
        nav_order=10,
        nav_new="登记纠纷",
        fields=DISPUTE_FIELDS,
        io_fields=["township", "number", *DISPUTE_FIELDS],
        list_columns=[
            "number",
            "received_on",
            "title",
            "kind",
            "village",
            "status",
            "risk_level",
            "township",
        ],
        filter_fields=[
            "township",
            "received_on",
            "source",
            "kind",
            "status",
            "risk_level",
            "village",
            "committee",
            "campaign",
        ],
        search_fields=["number", "title", "description"],
        natural_key=["township", "number"],
        select_related=["township", "village"],
        prefetch_related=[
            # into a list (to_attr): no manager and queryset cloned for each row
            Prefetch("dispute_parties", queryset=_party_links(), to_attr="party_links")
        ],
        form_class=DisputeForm,
        serializer_class=DisputeSerializer,
        detail_extra=[("调结期限", _deadline_label)],
        children=[
            ("sessions", "dispute"),
            ("follow-ups", "dispute"),
            ("warnings", "dispute"),
        ],
        create=services.create_dispute,
        update=services.update_dispute,
        delete=services.delete_dispute,
        group=GROUP,
    )
)
register(
    Resource(
        DisputeParty,
        "dispute-parties",
        fields=["dispute", "party", "role", "note"],
        list_columns=["party", "role", "dispute", "township"],
        filter_fields=["township", "role"],
        search_fields=["party__name", "dispute__number"],
        natural_key=["township", "dispute", "party"],
        select_related=["township", "dispute", "party"],
        form_class=DisputePartyForm,
        create=services.add_dispute_party,
        group=GROUP,
        nav=False,
    )
)
register(
    Resource(
        MediationSession,
        "sessions",
        nav_order=20,
        fields=[
            "dispute",
            "held_on",
            "place",
            "mediators",
            "helpers",
            "attendees",
            "record",
            "result",
        ],
        io_fields=[
            "township",
            "dispute",
            "held_on",
            "place",
            "helpers",
            "attendees",
            "record",
            "result",
        ],
        list_columns=["held_on", "dispute", "place", "result", "township"],
        filter_fields=["township", "held_on", "result"],
        search_fields=["dispute__number", "record"],
        natural_key=["township", "dispute", "held_on"],
        select_related=["township", "dispute"],
        form_class=child_form(
            MediationSession,
            [
                "dispute",
                "held_on",
                "place",
                "mediators",
                "helpers",
                "attendees",
                "record",
                "result",
            ],
        ),
        create=services.record_session,
        group=GROUP,
        nav=False,
    )
)
register(
    Resource(
        MediationAgreement,
        "agreements",
        nav_order=22,
        fields=[
            "dispute",
            "made_on",
            "place",
            "facts",
            "responsibilities",
            "terms",
            "performance_method",
            "performance_deadline",
            "performance_place",
            "copies",
            "effective_on",
            "court_confirmation",
            "court_applied_on",
            "court_name",
            "court_result_on",
            "performance",
            "performed_on",
        ],
        io_fields=[
            "township",
            "number",
            "dispute",
            "made_on",
            "place",
            "facts",
            "responsibilities",
            "terms",
            "performance_method",
            "performance_deadline",
            "performance_place",
            "copies",
            "effective_on",
            "court_confirmation",
            "court_applied_on",
            "court_name",
            "court_result_on",
            "performance",
            "performed_on",
        ],
        list_columns=[
            "number",
            "dispute",
            "made_on",
            "effective_on",
            "court_confirmation",
            "performance",
            "township",
        ],
        filter_fields=["township", "made_on", "court_confirmation", "performance"],
        search_fields=["number", "dispute__number", "terms"],
        natural_key=["township", "dispute"],
        select_related=["township", "dispute"],
        form_class=child_form(
            MediationAgreement,
            [
                "dispute",
                "made_on",
                "place",
                "facts",
                "responsibilities",
                "terms",
                "performance_method",
                "performance_deadline",
                "performance_place",
                "copies",
                "effective_on",
                "court_confirmation",
                "court_applied_on",
                "court_name",
                "court_result_on",
                "performance",
                "performed_on",
            ],
        ),
        detail_template="disputes/agreement_detail.html",
        create=services.create_agreement,
        update=services.update_agreement,
        group=GROUP,
    )
)
register(
    Resource(
        FollowUpVisit,
        "follow-ups",
        nav_order=24,
        fields=["dispute", "visited_on", "method", "visitor", "performance", "notes"],
        list_columns=["visited_on", "dispute", "method", "performance", "township"],
        filter_fields=["township", "visited_on", "method", "performance"],
        search_fields=["dispute__number", "notes"],
        natural_key=["township", "dispute", "visited_on"],
        select_related=["township", "dispute"],
        form_class=child_form(
            FollowUpVisit, ["dispute", "visited_on", "method", "visitor", "performance", "notes"]
        ),
        create=services.record_follow_up,
        group=GROUP,
        nav=False,
    )
)
register(
    Resource(
        EarlyWarning,
        "warnings",
        nav_order=30,
        fields=["kind", "dispute", "party", "village", "raised_on", "detail"],
        list_columns=[
            "raised_on",
            "kind",
            "dispute",
            "village",
            "routed_to_name",
            "status",
            "township",
        ],
        filter_fields=["township", "raised_on", "kind", "status", "village"],
        search_fields=["detail", "dispute__number"],
        natural_key=["township", "dispute", "kind"],
        select_related=["township", "dispute", "village"],
        detail_template="disputes/warning_detail.html",
        create=services.create_warning,
        group=GROUP,
    )
)
register(
    Resource(
        BacklogCase,
        "backlog",
        nav_order=32,
        fields=[
            "title",
            "description",
            "village",
            "party_names",
            "dispute",
            "intake",
            "collected_on",
            "meeting",
            "handler",
            "has_registration",
            "has_record",
            "has_agreement",
            "has_follow_up",
        ],
        list_columns=[
            "title",
            "village",
            "intake",
            "collected_on",
            "status",
            "resolution",
            "resolved_on",
            "township",
        ],
        filter_fields=["township", "collected_on", "intake", "status", "resolution", "village"],
        search_fields=["title", "party_names", "description"],
        natural_key=["township", "title", "collected_on"],
        select_related=["township", "village"],
        detail_template="disputes/backlog_detail.html",
        create=services.create_backlog,
        group=GROUP,
    )
)
register(
    Resource(
        WarningSettings,
        "warning-settings",
        nav_order=90,
        fields=["repeat_window_days", "group_threshold", "keywords", "note"],
        list_columns=["township", "repeat_window_days", "group_threshold"],
        filter_fields=["township"],
        natural_key=["township"],
        select_related=["township"],
        group=GROUP,
    )
)
