"""Resources of the legal app: pages, API, Excel and navigation from declarations."""

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
        nav_order=70,
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
        nav_order=60,
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
        create=services.create_review_from_resource,
        update=services.update_review,
        delete=services.delete_review,
        nav_order=10,
        nav_new="送合法性审查",
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
        nav_order=20,
        nav_new="新建合同",
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
        nav_order=25,
        nav_new="新建规范性文件",
        group=GROUP,
    )
)

register_link(
    NavLink(GROUP, "合法性审查覆盖情况", "legal:coverage", "view", ReviewRequest, order=40)
)
register_link(NavLink(GROUP, "审查期限规则", "legal:rules", "view", ReviewRequest, order=90))

# --- reconsideration, litigation, court judgments ---------------------------------------------
from fazhi.legal import cases  # noqa: E402
from fazhi.legal.models import Hearing, Judgment, Litigation, Reconsideration  # noqa: E402

for model in (Reconsideration, Litigation, Hearing, Judgment):
    model.scope_write_roles = LEGAL_WRITERS - {Role.LEGAL_ADVISOR}

RECONSIDERATIONS = register(
    Resource(
        Reconsideration,
        "reconsiderations",
        fields=list(cases.RECONSIDERATION_FIELDS),
        list_columns=[
            "received_on",
            "case_no",
            "body",
            "procedure",
            "answer_due_on",
            "answered_on",
            "decision",
            "status",
            "township",
        ],  # fmt: skip
        filter_fields=["township", "status", "procedure", "received_on"],
        search_fields=["case_no", "body", "act"],
        natural_key=["township", "received_on", "body"],
        select_related=["township", "unit", "delegate"],
        create=cases.create_reconsideration,
        update=cases.update_reconsideration,
        nav_order=30,
        nav_new="登记行政复议",
        group=GROUP,
    )
)
LITIGATIONS = register(
    Resource(
        Litigation,
        "litigations",
        fields=list(cases.LITIGATION_FIELDS),
        list_columns=[
            "served_on",
            "case_no",
            "court",
            "defence_due_on",
            "defence_on",
            "result",
            "status",
            "township",
        ],  # fmt: skip
        filter_fields=["township", "status", "served_on"],
        search_fields=["case_no", "court", "act"],
        natural_key=["township", "served_on", "court"],
        select_related=["township", "unit"],
        children=[("hearings", "litigation"), ("judgments", "litigation")],
        create=cases.create_litigation,
        update=cases.update_litigation,
        nav_order=32,
        nav_new="登记行政诉讼",
        group=GROUP,
    )
)
HEARINGS = register(
    Resource(
        Hearing,
        "hearings",
        fields=["litigation", "held_on", "head_appeared", "head", "delegate", "reason"],
        list_columns=["held_on", "litigation", "head_appeared", "head", "delegate", "township"],
        filter_fields=["township", "litigation", "head_appeared", "held_on"],
        search_fields=["reason"],
        natural_key=["township", "litigation", "held_on"],
        select_related=["township", "litigation", "head", "delegate"],
        nav_order=34,
        group=GROUP,
    )
)
JUDGMENTS = register(
    Resource(
        Judgment,
        "judgments",
        fields=list(cases.JUDGMENT_FIELDS),
        list_columns=[
            "case_no",
            "court",
            "kind",
            "effective_on",
            "perform_due_on",
            "performed_on",
            "court_finding",
            "township",
        ],  # fmt: skip
        filter_fields=["township", "kind", "effective_on", "perform_due_on"],
        search_fields=["case_no", "court", "obligations"],
        natural_key=["township", "case_no"],
        select_related=["township", "litigation"],
        detail_extra=[("履行情况(计算)", lambda j: j.performance(timezone.localdate()))],
        create=cases.create_judgment,
        update=cases.update_judgment,
        nav_order=36,
        nav_new="登记生效裁判",
        group=GROUP,
    )
)

register_group(MenuGroup(GROUP, order=50))
