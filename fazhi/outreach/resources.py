"""Resource declarations of the outreach module: pages, API, Excel and menu from one place."""

from __future__ import annotations

from fazhi.core.choices import Role
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
    DutySession,
    Event,
    LegalUnderstander,
    ServicePoint,
)

GROUP = "普法与法律服务"

CLERKS = frozenset(
    {Role.PLATFORM_ADMIN, Role.TOWNSHIP_ADMIN, Role.TOWNSHIP_OPERATOR, Role.DEPARTMENT_OFFICER}
)
for model in (Event, LegalUnderstander, Award, ServicePoint, DutySession, Consultation):
    model.scope_write_roles = CLERKS

register_group(MenuGroup(GROUP, order=45))
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
