"""Resource declarations of the inspections module: pages, API, Excel and menu from one place.

Inspections and hazards are written through the services (code, approval, cap warnings,
deadlines, evidence); the generic create/update call them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from fazhi.core import roles
from fazhi.core.resources import (
    MenuGroup,
    NavLink,
    Resource,
    register,
    register_group,
    register_link,
)
from fazhi.core.services import update_object
from fazhi.inspections import choices as c
from fazhi.inspections import services
from fazhi.inspections.forms import InspectionForm, PlanForm
from fazhi.inspections.models import Campaign, Enterprise, Hazard, Inspection, InspectionItem

GROUP = "涉企检查与专项整治"

register_group(MenuGroup(GROUP, order=35))
register_link(
    NavLink(GROUP, "涉企检查统计表", "inspections:statistics", "view", Inspection, order=40)
)
register_link(
    NavLink(
        GROUP, "导入检查对象名录", "inspections:directory_import", "import", Enterprise, order=45
    )
)

CLERKS = roles.TOWNSHIP_CLERKS
for model in (Enterprise, InspectionItem, Campaign, Inspection, Hazard):
    model.scope_write_roles = CLERKS


def create_inspection(model: type[Inspection], data: dict[str, Any], *, actor: Any) -> Inspection:
    return services.plan_inspection(
        township=data.get("township"),
        enterprise=data["enterprise"],
        body=data["body"],
        items=list(data.get("check_items") or []),
        officers=list(data.get("officers") or []),
        planned_on=data["planned_on"],
        kind=data.get("kind") or c.InspectionKind.ROUTINE,
        joint_bodies=list(data.get("joint_bodies") or []),
        campaign=data.get("campaign"),
        place=data.get("place") or "",
        confirm_over_cap=bool(data.get("confirm_over_cap")),
        actor=actor,
    )


def update_inspection(
    obj: Inspection, data: dict[str, Any], *, actor: Any, expected_version: int | None
) -> Inspection:
    """Only the place and campaign of a planned inspection may be edited; the rest is fixed by
    the approval and the code."""
    if obj.status != c.InspectionStatus.PLANNED:
        raise ValidationError("已审批或已完成的检查不能修改。")
    fixed = {"enterprise", "body", "check_items", "officers", "joint_bodies", "planned_on", "kind"}
    changed = [k for k in fixed & set(data) if _differs(obj, k, data[k])]
    if changed:
        raise ValidationError("检查对象、主体、事项、人员和日期登记后不能修改；请取消后重新登记。")
    allowed = {k: v for k, v in data.items() if k in {"place", "campaign"}}
    return update_object(obj, allowed, actor=actor, expected_version=expected_version)


def _differs(obj: Inspection, name: str, value: Any) -> bool:
    field = obj._meta.get_field(name)
    if field.many_to_many:
        return {o.pk for o in getattr(obj, name).all()} != {o.pk for o in value}
    if field.is_relation:
        return getattr(obj, field.attname) != getattr(value, "pk", value)
    return getattr(obj, name) != value


def create_hazard(model: type[Hazard], data: dict[str, Any], *, actor: Any) -> Hazard:
    from django.db import transaction

    inspection = data["inspection"]
    with transaction.atomic():
        services._lock(inspection, actor)
        return services.add_hazard(
            inspection,
            services.HazardInput(
                description=data.get("description") or "",
                owner=data.get("owner") or "",
                deadline=data["deadline"],
                level=data.get("level") or c.HazardLevel.ORDINARY,
            ),
            found_on=data["found_on"],
            actor=actor,
        )


register(
    Resource(
        Enterprise,
        "enterprises",
        fields=[
            "name",
            "credit_code",
            "credit_class",
            "industry",
            "address",
            "village",
            "is_active",
        ],
        list_columns=["name", "credit_code", "credit_class", "industry", "township"],
        filter_fields=["township", "credit_class", "is_active"],
        search_fields=["name", "credit_code"],
        natural_key=["township", "credit_code"],
        select_related=["township"],
        children=[("inspections", "enterprise")],
        group=GROUP,
    )
)
register(
    Resource(
        InspectionItem,
        "items",
        fields=[
            "code",
            "name",
            "body",
            "basis",
            "content",
            "method",
            "frequency",
            "ratio_percent",
            "yearly_cap",
            "is_random",
            "published_on",
            "is_active",
        ],
        list_columns=["code", "name", "body", "yearly_cap", "is_random", "published_on"],
        filter_fields=["township", "body", "is_random", "is_active"],
        search_fields=["code", "name"],
        natural_key=["township", "code"],
        select_related=["township", "body"],
        group=GROUP,
    )
)
register(
    Resource(
        Campaign,
        "campaigns",
        fields=["name", "domain", "start", "end", "lead_body", "scope", "closed_on", "summary"],
        list_columns=["name", "domain", "start", "end", "township"],
        filter_fields=["township", "domain", "start"],
        search_fields=["name"],
        natural_key=["township", "name"],
        select_related=["township"],
        children=[("inspections", "campaign")],
        group=GROUP,
    )
)
register(
    Resource(
        Inspection,
        "inspections",
        fields=[
            "kind",
            "enterprise",
            "body",
            "joint_bodies",
            "check_items",
            "officers",
            "campaign",
            "planned_on",
            "place",
        ],
        io_fields=["township", "kind", "enterprise", "body", "campaign", "planned_on", "place"],
        list_columns=["number", "enterprise", "body", "planned_on", "status", "over_cap"],
        filter_fields=["township", "status", "kind", "campaign", "over_cap", "planned_on"],
        search_fields=["number", "code", "enterprise__name"],
        natural_key=["township", "number"],
        select_related=["township", "enterprise", "body"],
        detail_template="inspections/inspection_detail.html",
        form_class=InspectionForm,
        nav_new="登记涉企检查",
        children=[("hazards", "inspection")],
        create=create_inspection,
        update=update_inspection,
        group=GROUP,
    )
)
register(
    Resource(
        Hazard,
        "hazards",
        fields=["inspection", "description", "level", "found_on", "owner", "deadline"],
        list_columns=["description", "inspection", "owner", "deadline", "status", "rectified_on"],
        filter_fields=["township", "status", "level", "deadline"],
        search_fields=["description", "owner"],
        select_related=["township", "inspection", "inspection__enterprise"],
        detail_template="inspections/hazard_detail.html",
        create=create_hazard,
        group=GROUP,
    )
)


# --- 双随机 -----------------------------------------------------------------------------------
from fazhi.inspections.models import RandomPlan, RandomTarget  # noqa: E402

RandomPlan.scope_write_roles = CLERKS
RandomTarget.scope_write_roles = frozenset()  # written only by the draw


def update_plan(
    obj: RandomPlan, data: dict[str, Any], *, actor: Any, expected_version: int | None
) -> RandomPlan:
    if obj.status != c.PlanStatus.DRAFT:
        raise ValidationError("已抽取的计划不可更改（抽取结果为不可变记录）。")
    return update_object(obj, data, actor=actor, expected_version=expected_version)


def delete_plan(obj: RandomPlan, *, actor: Any, expected_version: int | None = None) -> None:
    from fazhi.core.services import delete_object

    if obj.status != c.PlanStatus.DRAFT:
        raise ValidationError("已抽取的计划不能删除。")
    delete_object(obj, actor=actor, expected_version=expected_version)


register(
    Resource(
        RandomPlan,
        "plans",
        fields=[
            "name",
            "body",
            "check_items",
            "ratio_a",
            "ratio_b",
            "ratio_c",
            "ratio_d",
            "inspectors_per_entity",
            "start",
            "end",
        ],
        io_fields=[
            "township",
            "name",
            "body",
            "ratio_a",
            "ratio_b",
            "ratio_c",
            "ratio_d",
            "inspectors_per_entity",
            "start",
            "end",
        ],
        list_columns=["name", "body", "start", "end", "status", "township"],
        filter_fields=["township", "status", "start"],
        search_fields=["name"],
        natural_key=["township", "name"],
        select_related=["township", "body"],
        detail_template="inspections/plan_detail.html",
        form_class=PlanForm,
        children=[("targets", "plan")],
        update=update_plan,
        delete=delete_plan,
        group=GROUP,
    )
)
register(
    Resource(
        RandomTarget,
        "targets",
        fields=[
            "plan",
            "rank",
            "enterprise",
            "credit_code",
            "credit_class",
            "inspectors",
            "result",
            "result_on",
        ],
        list_columns=["rank", "enterprise", "credit_class", "inspectors", "result"],
        filter_fields=["township", "credit_class", "result"],
        search_fields=["credit_code", "enterprise__name"],
        select_related=["township", "enterprise", "plan"],
        nav=False,
        group=GROUP,
    )
)


# --- 回避 -------------------------------------------------------------------------------------
from fazhi.inspections.models import Recusal  # noqa: E402

Recusal.scope_write_roles = CLERKS

register(
    Resource(
        Recusal,
        "recusals",
        fields=["officer", "enterprise", "reason", "recorded_on", "is_active"],
        list_columns=["officer", "enterprise", "reason", "recorded_on", "is_active"],
        filter_fields=["township", "is_active"],
        search_fields=["officer__name", "enterprise__name", "enterprise__credit_code"],
        natural_key=["township", "officer", "enterprise"],
        select_related=["township", "officer", "enterprise"],
        group=GROUP,
    )
)
