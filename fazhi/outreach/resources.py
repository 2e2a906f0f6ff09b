"""Resource declarations of the outreach module: pages, API, Excel and menu from one place."""

from __future__ import annotations

from fazhi.core import roles
from fazhi.core.resources import (
    MenuGroup,
    NavLink,
    Resource,
    register,
    register_group,
    register_link,
)
from fazhi.outreach import services
from fazhi.outreach.forms import EVENT_FIELDS, EventForm
from fazhi.outreach.models import (
    Award,
    Consultation,
    CultureSite,
    DutySession,
    Event,
    LegalAidApplication,
    LegalUnderstander,
    NeedsSurvey,
    ResponsibilityItem,
    ServicePoint,
)

GROUP = "普法与法律服务"

CLERKS = roles.TOWNSHIP_CLERKS
for model in (
    Event,
    LegalUnderstander,
    Award,
    ServicePoint,
    DutySession,
    Consultation,
    CultureSite,
    ResponsibilityItem,
    NeedsSurvey,
    LegalAidApplication,
):
    model.scope_write_roles = CLERKS

register_group(MenuGroup(GROUP, order=45))
register_link(NavLink(GROUP, "导入台账", "outreach:ledger_import", "import", Event, order=45))
register_link(NavLink(GROUP, "普法日历", "outreach:key_day_calendar", "view", Event, order=12))
register_link(
    NavLink(GROUP, "普法需求调查汇总", "outreach:survey_summary", "view", NeedsSurvey, order=53)
)
register_link(
    NavLink(GROUP, "手机登记普法活动", "outreach:quick_event", "add", Event, order=11, new=True)
)

register(
    Resource(
        Event,
        "events",
        nav_order=10,
        fields=EVENT_FIELDS,
        io_fields=["township", *[f for f in EVENT_FIELDS if f != "laws"]],
        list_columns=[
            "held_on",
            "title",
            "key_day",
            "channel",
            "audience",
            "materials",
            "township",
        ],
        filter_fields=["township", "key_day", "channel", "village", "held_on"],
        search_fields=["title", "venue", "target_groups"],
        natural_key=["township", "held_on", "title"],
        select_related=["township"],
        form_class=EventForm,
        create=services.create_event,
        group=GROUP,
    )
)
register(
    Resource(
        LegalUnderstander,
        "understanders",
        nav_order=30,
        fields=[
            "village",
            "name",
            "gender",
            "phone",
            "occupation",
            "appointed_on",
            "trained_hours",
            "mediator",
            "is_active",
            "left_on",
        ],
        list_columns=["name", "village", "occupation", "appointed_on", "is_active", "township"],
        filter_fields=["township", "village", "is_active"],
        search_fields=["name", "occupation"],
        natural_key=["township", "village", "name"],
        select_related=["township", "village"],
        children=[("awards", "understander")],
        detail_extra=[("参与调解", services.mediation_label)],
        group=GROUP,
    )
)
register(
    Resource(
        Award,
        "awards",
        nav_order=32,
        fields=["understander", "title", "level", "awarded_on", "issuer"],
        list_columns=["awarded_on", "understander", "title", "level", "township"],
        filter_fields=["township", "level", "awarded_on"],
        search_fields=["title", "understander__name"],
        natural_key=["township", "understander", "title", "awarded_on"],
        select_related=["township", "understander", "understander__village"],
        group=GROUP,
    )
)
register(
    Resource(
        ServicePoint,
        "points",
        nav_order=60,
        fields=["name", "level", "village", "address", "hours", "is_active"],
        list_columns=["name", "level", "village", "hours", "township"],
        filter_fields=["township", "level", "village", "is_active"],
        search_fields=["name", "address"],
        natural_key=["township", "name"],
        select_related=["township", "village"],
        children=[("sessions", "point")],
        group=GROUP,
    )
)
register(
    Resource(
        DutySession,
        "sessions",
        nav_order=20,
        nav_new="登记律师坐班",
        fields=["held_on", "point", "lawyer", "firm", "hours", "note"],
        list_columns=["held_on", "point", "lawyer", "firm", "township"],
        filter_fields=["township", "point", "held_on"],
        search_fields=["lawyer", "firm"],
        natural_key=["township", "point", "held_on", "lawyer"],
        select_related=["township", "point"],
        children=[("consultations", "session")],
        group=GROUP,
    )
)
register(
    Resource(
        Consultation,
        "consultations",
        nav_order=22,
        fields=[
            "held_on",
            "session",
            "point",
            "village",
            "topic",
            "people",
            "questions",
            "answered_by",
            "summary",
        ],
        list_columns=["held_on", "topic", "people", "questions", "answered_by", "township"],
        filter_fields=["township", "topic", "point", "village", "held_on"],
        search_fields=["summary", "answered_by"],
        natural_key=["township", "held_on", "topic", "answered_by"],
        select_related=["township"],
        group=GROUP,
    )
)
register(
    Resource(
        LegalAidApplication,
        "aid",
        nav_order=24,
        nav_new="接收法律援助申请",
        fields=[
            "received_on",
            "applicant",
            "phone",
            "village",
            "category",
            "matter",
            "basis",
            "green_channel",
        ],
        io_fields=[
            "township",
            "received_on",
            "applicant",
            "phone",
            "village",
            "category",
            "matter",
            "basis",
            "green_channel",
        ],
        list_columns=[
            "number",
            "received_on",
            "applicant",
            "category",
            "green_channel",
            "status",
            "township",
        ],
        filter_fields=["township", "status", "category", "green_channel", "received_on"],
        search_fields=["number", "applicant", "matter"],
        natural_key=["township", "received_on", "applicant"],
        select_related=["township"],
        create=services.register_aid,
        delete=services.delete_aid,
        group=GROUP,
    )
)
register(
    Resource(
        CultureSite,
        "sites",
        nav_order=40,
        fields=["village", "kind", "name", "built_on", "description", "is_active"],
        list_columns=["name", "kind", "village", "built_on", "is_active", "township"],
        filter_fields=["township", "kind", "village", "is_active"],
        search_fields=["name", "description"],
        natural_key=["township", "village", "name"],
        select_related=["township", "village"],
        group=GROUP,
    )
)
register(
    Resource(
        ResponsibilityItem,
        "responsibilities",
        nav_order=50,
        fields=["year", "department", "laws", "activities", "planned", "key_days"],
        io_fields=["township", "year", "department", "activities", "planned", "key_days"],
        list_columns=["year", "department", "planned", "key_days", "township"],
        filter_fields=["township", "year", "department"],
        search_fields=["activities", "key_days"],
        natural_key=["township", "year", "department"],
        select_related=["township", "department"],
        children=[("events", "responsibility")],
        detail_extra=[("落实情况", services.responsibility_fulfilment)],
        group=GROUP,
    )
)
register(
    Resource(
        NeedsSurvey,
        "surveys",
        nav_order=52,
        fields=[
            "surveyed_on",
            "village",
            "group",
            "respondents",
            "laws",
            "topics",
            "channel",
            "method",
        ],
        io_fields=[
            "township",
            "surveyed_on",
            "village",
            "group",
            "respondents",
            "topics",
            "channel",
            "method",
        ],
        list_columns=["surveyed_on", "village", "group", "respondents", "topics", "township"],
        filter_fields=["township", "group", "village", "surveyed_on"],
        search_fields=["topics"],
        natural_key=["township", "surveyed_on", "village", "group"],
        select_related=["township", "village"],
        group=GROUP,
    )
)
