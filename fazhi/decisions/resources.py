"""Resources of the decisions app: pages, API, Excel and navigation from declarations."""

from __future__ import annotations

from fazhi.core.resources import (
    MenuGroup,
    NavLink,
    Resource,
    register,
    register_group,
    register_link,
)
from fazhi.decisions import services
from fazhi.decisions.models import Catalogue, Decision, PublicComment
from fazhi.legal.resources import LEGAL_WRITERS

GROUP = "重大行政决策"

for model in (Catalogue, Decision, PublicComment):
    model.scope_write_roles = LEGAL_WRITERS

CATALOGUES = register(
    Resource(
        Catalogue,
        "catalogues",
        fields=["year", "document_no", "approved_on", "published_on", "entries"],
        list_columns=["year", "document_no", "approved_on", "published_on", "township"],
        filter_fields=["township", "year"],
        search_fields=["entries", "document_no"],
        natural_key=["township", "year"],
        select_related=["township"],
        children=[("decisions", "catalogue")],
        nav_order=60,
        group=GROUP,
    )
)
DECISIONS = register(
    Resource(
        Decision,
        "decisions",
        fields=list(services.EDITABLE_FIELDS),
        list_columns=[
            "title",
            "year",
            "catalogue",
            "lead_unit",
            "status",
            "meeting_on",
            "published_on",
            "township",
        ],  # fmt: skip
        filter_fields=["township", "year", "status", "lead_unit"],
        search_fields=["title", "draft"],
        natural_key=["township", "year", "title"],
        select_related=["township", "catalogue", "lead_unit", "review"],
        children=[("comments", "decision")],
        update=services.update_decision,
        nav_order=10,
        nav_new="新建重大行政决策",
        group=GROUP,
    )
)
COMMENTS = register(
    Resource(
        PublicComment,
        "comments",
        fields=[
            "decision",
            "channel",
            "submitted_on",
            "name",
            "contact",
            "content",
            "adoption",
            "reply",
        ],  # fmt: skip
        list_columns=["submitted_on", "decision", "channel", "adoption", "township"],
        filter_fields=["township", "decision", "channel", "adoption", "submitted_on"],
        search_fields=["content", "reply"],
        natural_key=["township", "decision", "submitted_on", "content"],
        select_related=["township", "decision"],
        detail_template="decisions/comment_detail.html",
        nav_order=20,
        group=GROUP,
        nav=False,
    )
)
register_link(NavLink(GROUP, "决策期限规则", "decisions:rules", "view", Decision, order=90))

register_group(MenuGroup(GROUP, order=48))
