"""Resources of core's organisation records."""

from typing import Any

from fazhi.core import scope
from fazhi.core.choices import Role
from fazhi.core.models import (
    County,
    Department,
    Grid,
    GridAssignment,
    LeadingGroup,
    LeadingGroupMember,
    Staff,
    Township,
    Village,
    VillageContact,
)
from fazhi.core.resources import (
    MenuGroup,
    NavLink,
    Resource,
    register,
    register_group,
    register_link,
)
from fazhi.core.roles import MANAGE

GROUP = "组织与人员"
ADMIN = "系统管理"

WORK = "工作台"
register_group(MenuGroup(WORK, order=0))
register_group(MenuGroup("当事人索引", order=70))
register_group(MenuGroup(GROUP, order=80))
register_group(MenuGroup("年度报告", order=85))
register_group(MenuGroup(ADMIN, order=99, action=MANAGE))


def _supervises_county(user: object) -> bool:
    from fazhi.core.views.home import own_county_ids

    return bool(own_county_ids(user))


register_link(NavLink(WORK, "本县首页", "core:my_county", "view", order=0, when=_supervises_county))
register_link(NavLink("工作台", "我的期限", "core:my_deadlines", "view", order=1))
register_link(NavLink("工作台", "提醒", "core:notifications", "view", order=2))
register_link(NavLink("工作台", "后台任务", "core:job_list", "view", order=3))
register_link(NavLink(ADMIN, "账号与角色", "core:users", MANAGE, order=10))
register_link(NavLink(ADMIN, "节假日与调休", "core:calendar", MANAGE, order=20))
register_link(NavLink(WORK, "期限规则", "core:rules", "view", order=30))
register_link(NavLink(ADMIN, "角色权限表", "core:roles", "view", order=90))
register_link(NavLink(ADMIN, "登录日志", "core:login_log", MANAGE, order=12))
register_link(NavLink(ADMIN, "在线用户", "core:online_users", MANAGE, order=14))
register_link(NavLink(WORK, "通知公告", "core:notices", "view", order=4))


def _may_publish(user: Any) -> bool:
    """views.security.may_publish, answered from the memberships the scope gate has already
    read (a county supervisor's membership names its county) without a query per page; a
    platform administrator may publish once a county exists."""
    from fazhi.core.models import County

    if not user.is_authenticated:
        return False
    if scope.grant(user, MANAGE).everything:
        return County.objects.exists()
    return any(
        role == Role.COUNTY_SUPERVISOR and county_id is not None
        for role, county_id, *_ in scope.memberships(user)
    )


register_link(
    NavLink(WORK, "发布通知", "core:notice_add", "view", order=5, new=True, when=_may_publish)
)

register(
    Resource(
        County,
        "counties",
        fields=["name", "province", "city", "code"],
        list_columns=["name", "city", "province", "code"],
        filter_fields=["province"],
        search_fields=["name", "city", "province"],
        natural_key=["province", "city", "name"],
        io_fields=["name", "province", "city", "code"],
        group=GROUP,
        nav_order=10,
    )
)
register(
    Resource(
        Township,
        "townships",
        fields=["county", "name", "kind", "code", "population"],
        list_columns=["name", "kind", "county", "population"],
        filter_fields=["county", "kind"],
        search_fields=["name", "code"],
        natural_key=["county", "name"],
        io_fields=["county", "name", "kind", "code", "population"],
        select_related=["county"],
        children=[("villages", "township"), ("departments", "township")],
        group=GROUP,
    )
)

register(
    Resource(
        Village,
        "villages",
        fields=["name", "kind", "code", "households"],
        list_columns=["name", "kind", "township", "households"],
        filter_fields=["township", "kind"],
        search_fields=["name", "code"],
        natural_key=["township", "name"],
        select_related=["township"],
        children=[("grids", "village"), ("village-contacts", "village")],
        group=GROUP,
    )
)
register(
    Resource(
        Grid,
        "grids",
        fields=["village", "name", "households"],
        list_columns=["name", "village", "township", "households"],
        filter_fields=["township", "village"],
        search_fields=["name", "village__name"],
        natural_key=["township", "village", "name"],
        select_related=["township", "village"],
        children=[("grid-workers", "grid")],
        group=GROUP,
    )
)
register(
    Resource(
        Department,
        "departments",
        fields=["name", "kind", "is_enforcement_body"],
        list_columns=["name", "kind", "is_enforcement_body", "township"],
        filter_fields=["township", "kind", "is_enforcement_body"],
        search_fields=["name"],
        natural_key=["township", "name"],
        select_related=["township"],
        group=GROUP,
    )
)
register(
    Resource(
        Staff,
        "staff",
        fields=["name", "position", "department", "phone", "supervisor", "is_active"],
        list_columns=["name", "position", "department", "township", "is_active"],
        filter_fields=["township", "department", "is_active"],
        search_fields=["name", "position"],
        natural_key=["township", "name", "position"],
        select_related=["township", "department"],
        group=GROUP,
    )
)
register(
    Resource(
        LeadingGroup,
        "leading-groups",
        fields=["name", "established_on", "document_no", "duties"],
        list_columns=["name", "established_on", "document_no", "township"],
        filter_fields=["township", "established_on"],
        search_fields=["name", "document_no"],
        natural_key=["township", "name", "established_on"],
        select_related=["township"],
        children=[("leading-group-members", "group")],
        group=GROUP,
    )
)
register(
    Resource(
        LeadingGroupMember,
        "leading-group-members",
        fields=["group", "staff", "role", "term_start", "term_end"],
        list_columns=["staff", "role", "group", "term_start", "term_end", "township"],
        filter_fields=["township", "group", "role"],
        search_fields=["staff__name"],
        natural_key=["township", "group", "staff", "term_start"],
        select_related=["township", "group", "staff"],
        group=GROUP,
        nav=False,
    )
)
register(
    Resource(
        VillageContact,
        "village-contacts",
        fields=["village", "staff", "start", "end"],
        list_columns=["village", "staff", "start", "end", "township"],
        filter_fields=["township", "village", "staff"],
        search_fields=["village__name", "staff__name"],
        natural_key=["township", "village", "staff", "start"],
        select_related=["township", "village", "staff"],
        group=GROUP,
    )
)
register(
    Resource(
        GridAssignment,
        "grid-workers",
        fields=["grid", "staff", "full_time", "start", "end"],
        list_columns=["staff", "grid", "full_time", "start", "end", "township"],
        filter_fields=["township", "grid", "full_time"],
        search_fields=["staff__name", "grid__name", "grid__village__name"],
        natural_key=["township", "grid", "staff", "start"],
        select_related=["township", "grid", "grid__village", "staff"],
        group=GROUP,
    )
)
