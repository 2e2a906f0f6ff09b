"""Resources of the legal app: pages, API, Excel and navigation from declarations."""

from __future__ import annotations

from fazhi.core.choices import Role
from fazhi.core.resources import NavLink, Resource, register, register_link
from fazhi.legal import services
from fazhi.legal.models import (
    Advisor,
    AdvisorEngagement,
    Contract,
    NormativeDocument,
    ReviewRequest,
)

GROUP = "法律顾问与合法性审查"

#: who keeps these ledgers: the township's clerks, 司法所 officers and the legal advisors
LEGAL_WRITERS = frozenset(
    {
        Role.PLATFORM_ADMIN,
        Role.TOWNSHIP_ADMIN,
        Role.TOWNSHIP_OPERATOR,
        Role.DEPARTMENT_OFFICER,
        Role.LEGAL_ADVISOR,
    }
)
for model in (AdvisorEngagement, Advisor, ReviewRequest, Contract, NormativeDocument):
    model.scope_write_roles = LEGAL_WRITERS
# the engagement (fee, term) is the township's business, not the advisor's
AdvisorEngagement.scope_write_roles = LEGAL_WRITERS - {Role.LEGAL_ADVISOR}

ENGAGEMENTS = register(
    Resource(
        AdvisorEngagement,
        "engagements",
        fields=["firm", "contract_no", "start", "end", "fee", "services", "covers_villages"],
        list_columns=["firm", "start", "end", "fee", "covers_villages", "township"],
        filter_fields=["township", "start", "end"],
        search_fields=["firm", "contract_no"],
        natural_key=["township", "firm", "start"],
        select_related=["township"],
        children=[("advisors", "engagement")],
        group=GROUP,
    )
)

ADVISORS = register(
    Resource(
        Advisor,
        "advisors",
        fields=[
            "name",
            "kind",
            "engagement",
            "license_no",
            "phone",
            "is_township_advisor",
            "villages",
            "is_mediator",
            "start",
            "end",
        ],
        io_fields=[
            "township",
            "name",
            "kind",
            "engagement",
            "license_no",
            "phone",
            "is_township_advisor",
            "is_mediator",
            "start",
            "end",
        ],
        list_columns=[
            "name",
            "kind",
            "engagement",
            "is_township_advisor",
            "is_mediator",
            "start",
            "end",
            "township",
        ],
        filter_fields=["township", "kind", "engagement", "is_mediator"],
        search_fields=["name", "license_no", "engagement__firm"],
        natural_key=["township", "name", "start"],
        select_related=["township", "engagement"],
        children=[("reviews", "advisor")],
        group=GROUP,
    )
)

REVIEWS = register(
    Resource(
        ReviewRequest,
        "reviews",
        fields=list(services.REVIEW_FIELDS),
        list_columns=[
            "number",
            "kind",
            "title",
            "submitted_on",
            "due_on",
            "status",
            "outcome",
            "opinion_on",
            "turnaround",
            "township",
        ],
        filter_fields=[
            "township",
            "kind",
            "status",
            "outcome",
            "reviewer_kind",
            "advisor",
            "village",
            "submitted_on",
            "opinion_on",
        ],
        search_fields=["number", "title"],
        natural_key=["township", "kind", "title", "submitted_on"],
        select_related=["township", "unit", "village", "reviewer", "advisor"],
        detail_template="legal/review_detail.html",
        create=services.create_review_from_resource,
        update=services.update_review,
        delete=services.delete_review,
        group=GROUP,
    )
)

CONTRACTS = register(
    Resource(
        Contract,
        "contracts",
        fields=list(services.CONTRACT_FIELDS),
        list_columns=[
            "title",
            "village",
            "kind",
            "counterparty",
            "amount",
            "status",
            "signed_on",
            "township",
        ],  # fmt: skip
        filter_fields=["township", "village", "kind", "status", "signed_on"],
        search_fields=["title", "counterparty"],
        natural_key=["township", "title"],
        select_related=["township", "village", "unit", "review"],
        detail_template="legal/subject_detail.html",
        update=services.update_contract,
        delete=services.delete_contract,
        group=GROUP,
    )
)

DOCUMENTS = register(
    Resource(
        NormativeDocument,
        "documents",
        fields=list(services.DOCUMENT_FIELDS),
        list_columns=[
            "title",
            "kind",
            "doc_no",
            "village",
            "status",
            "issued_on",
            "filing_due_on",
            "filed_on",
            "township",
        ],  # fmt: skip
        filter_fields=["township", "kind", "village", "status", "issued_on"],
        search_fields=["title", "doc_no"],
        natural_key=["township", "title"],
        select_related=["township", "village", "unit", "review"],
        detail_template="legal/subject_detail.html",
        update=services.update_document,
        delete=services.delete_document,
        group=GROUP,
    )
)

register_link(
    NavLink(GROUP, "合法性审查覆盖情况", "legal:coverage", "view", ReviewRequest, order=1)
)
register_link(NavLink(GROUP, "审查期限规则", "legal:rules", "view", ReviewRequest, order=2))
