"""Resource declarations of the enforcement module: pages, API, Excel and menu from one place."""

from __future__ import annotations

from django.utils import timezone

from fazhi.core.choices import Role
from fazhi.core.resources import (
    MenuGroup,
    NavLink,
    Resource,
    register,
    register_group,
    register_link,
)
from fazhi.enforcement.models import Certificate, EnforcementBody, Officer, Power

GROUP = "行政执法"

#: the enforcement ledgers are kept by township clerks and the bodies' staff
register_group(MenuGroup(GROUP, order=30))

CLERKS = frozenset(
    {Role.PLATFORM_ADMIN, Role.TOWNSHIP_ADMIN, Role.TOWNSHIP_OPERATOR, Role.DEPARTMENT_OFFICER}
)
for model in (EnforcementBody, Power, Officer, Certificate):
    model.scope_write_roles = CLERKS

register_link(
    NavLink(GROUP, "证件到期预警", "enforcement:certificate_warnings", "view", Certificate, order=5)
)


def _certificate_state(obj: Certificate) -> str:
    return obj.state(timezone.localdate()).label


def _officer_certified(obj: Officer) -> str:
    cert = obj.certificate_on(timezone.localdate())
    return f"持证（{cert.number}）" if cert else "无有效执法证件"


register(
    Resource(
        EnforcementBody,
        "bodies",
        fields=[
            "name",
            "kind",
            "department",
            "basis",
            "entrusting_body",
            "entrustment_document",
            "entrustment_published_on",
            "head",
            "is_active",
        ],
        list_columns=["name", "kind", "department", "township", "is_active"],
        filter_fields=["township", "kind", "is_active"],
        search_fields=["name"],
        natural_key=["township", "name"],
        select_related=["township", "department"],
        children=[("powers", "body"), ("officers", "body")],
        group=GROUP,
    )
)
register(
    Resource(
        Power,
        "powers",
        fields=[
            "code",
            "name",
            "category",
            "body",
            "source",
            "handover_basis",
            "legal_basis",
            "procedure",
            "remedy",
            "discretion",
            "legal_review_required",
            "published_on",
            "is_active",
        ],
        list_columns=["code", "name", "category", "body", "source", "published_on"],
        filter_fields=["township", "category", "source", "body", "legal_review_required"],
        search_fields=["code", "name", "legal_basis"],
        natural_key=["township", "code"],
        select_related=["township", "body"],
        group=GROUP,
    )
)
register(
    Resource(
        Officer,
        "officers",
        fields=[
            "name",
            "kind",
            "body",
            "staff",
            "position",
            "legal_qualification",
            "is_legal_reviewer",
            "is_active",
        ],
        list_columns=["name", "kind", "body", "position", "township", "is_active"],
        filter_fields=["township", "kind", "body", "is_active", "is_legal_reviewer"],
        search_fields=["name"],
        natural_key=["township", "body", "name"],
        select_related=["township", "body"],
        detail_extra=[("今日持证情况", _officer_certified)],
        children=[("certificates", "officer")],
        group=GROUP,
    )
)
register(
    Resource(
        Certificate,
        "certificates",
        fields=[
            "officer",
            "number",
            "category",
            "issuer",
            "issued_on",
            "expires_on",
            "status",
            "checked_year",
        ],
        list_columns=["number", "officer", "category", "expires_on", "status", "township"],
        filter_fields=["township", "status", "expires_on"],
        search_fields=["number", "officer__name"],
        natural_key=["township", "number"],
        select_related=["township", "officer"],
        detail_extra=[("今日证件状态", _certificate_state)],
        group=GROUP,
    )
)
