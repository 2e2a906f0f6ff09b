"""Resource declarations of the governance module: pages, API, Excel and menu from one place."""

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
from fazhi.governance import services
from fazhi.governance.forms import TargetForm
from fazhi.governance.models import (
    AssessmentItem,
    AssessmentScheme,
    BudgetLine,
    DutyItem,
    Expenditure,
    Law,
    Meeting,
    StudySession,
    Target,
    Task,
    Training,
    TrainingResult,
)

GROUP = "法治建设责任"

#: the township's own records: kept by township clerks and department officers, not by villages
CLERKS = roles.TOWNSHIP_CLERKS
for model in (
    Law,
    StudySession,
    Meeting,
    DutyItem,
    Task,
    Training,
    TrainingResult,
    BudgetLine,
    Expenditure,
    Target,
    AssessmentScheme,
    AssessmentItem,
):
    model.scope_write_roles = CLERKS

register_group(MenuGroup(GROUP, order=40))
register_link(NavLink(GROUP, "学法与会议频次", "governance:frequencies", "view", Meeting, order=40))
register_link(NavLink(GROUP, "年度目标进度", "governance:progress", "view", Target, order=41))

register(
    Resource(
        StudySession,
        "studies",
        nav_order=10,
        nav_new="登记学法",
        fields=["held_on", "kind", "topic", "laws", "speaker", "attendance", "place", "note"],
        io_fields=[
            "township",
            "held_on",
            "kind",
            "topic",
            "speaker",
            "attendance",
            "place",
            "note",
        ],
        list_columns=["held_on", "kind", "topic", "speaker", "attendance", "township"],
        filter_fields=["township", "kind", "held_on"],
        search_fields=["topic", "speaker"],
        natural_key=["township", "held_on", "kind", "topic"],
        select_related=["township"],
        group=GROUP,
    )
)
register(
    Resource(
        Meeting,
        "meetings",
        nav_order=12,
        nav_new="登记会议",
        fields=[
            "held_on",
            "kind",
            "title",
            "presided_by",
            "agenda",
            "attendance",
            "attendees",
            "decisions",
            "issues_count",
        ],
        list_columns=["held_on", "kind", "title", "presided_by", "township"],
        filter_fields=["township", "kind", "held_on"],
        search_fields=["title", "agenda", "decisions"],
        natural_key=["township", "held_on", "title"],
        select_related=["township"],
        children=[("tasks", "meeting")],
        detail_template="governance/meeting_detail.html",
        group=GROUP,
    )
)
register(
    Resource(
        Law,
        "laws",
        nav_order=70,
        fields=["name", "short_name", "note"],
        list_columns=["name", "short_name", "township"],
        filter_fields=["township"],
        search_fields=["name", "short_name"],
        natural_key=["township", "name"],
        select_related=["township"],
        group=GROUP,
    )
)
register(
    Resource(
        DutyItem,
        "duties",
        nav_order=20,
        fields=["year", "holder", "order", "content", "basis"],
        list_columns=["year", "holder", "order", "content", "township"],
        filter_fields=["township", "year", "holder"],
        search_fields=["content"],
        natural_key=["township", "year", "holder", "order"],
        select_related=["township"],
        children=[("tasks", "duty")],
        group=GROUP,
    )
)
register(
    Resource(
        Task,
        "tasks",
        nav_order=22,
        fields=[
            "year",
            "title",
            "duty",
            "meeting",
            "department",
            "leader",
            "owner",
            "due",
            "status",
            "completed_on",
            "evidence",
        ],
        list_columns=["title", "department", "owner", "due", "status", "township"],
        filter_fields=["township", "year", "status", "department", "due"],
        search_fields=["title", "evidence"],
        natural_key=["township", "year", "title"],
        select_related=["township", "department", "owner", "leader"],
        create=services.create_task,
        update=services.update_task,
        delete=services.delete_task,
        group=GROUP,
    )
)
register(
    Resource(
        Training,
        "trainings",
        nav_order=30,
        fields=[
            "held_on",
            "kind",
            "audience",
            "title",
            "organiser",
            "speaker",
            "participants",
            "pass_score",
            "note",
        ],
        list_columns=["held_on", "kind", "audience", "title", "participants", "township"],
        filter_fields=["township", "kind", "audience", "held_on"],
        search_fields=["title", "organiser", "speaker"],
        natural_key=["township", "held_on", "title"],
        select_related=["township"],
        children=[("results", "training")],
        detail_extra=[("合格率", services.pass_rate_label)],
        group=GROUP,
    )
)
register(
    Resource(
        TrainingResult,
        "results",
        nav_order=32,
        fields=["training", "name", "staff", "score"],
        list_columns=["training", "name", "score", "passed", "township"],
        filter_fields=["township", "training", "passed"],
        search_fields=["name"],
        natural_key=["township", "training", "name"],
        select_related=["township", "training"],
        nav=False,
        group=GROUP,
    )
)
register(
    Resource(
        BudgetLine,
        "budget",
        nav_order=34,
        fields=["year", "kind", "item", "amount", "document"],
        list_columns=["year", "kind", "item", "amount", "township"],
        filter_fields=["township", "year", "kind"],
        search_fields=["item", "document"],
        natural_key=["township", "year", "item"],
        select_related=["township"],
        children=[("expenditures", "line")],
        detail_extra=[("已支出(元)", services.spent_label)],
        group=GROUP,
    )
)
register(
    Resource(
        Expenditure,
        "expenditures",
        nav_order=36,
        fields=["line", "spent_on", "amount", "purpose", "voucher"],
        list_columns=["spent_on", "line", "purpose", "amount", "township"],
        filter_fields=["township", "line", "spent_on"],
        search_fields=["purpose", "voucher"],
        natural_key=["township", "line", "spent_on", "purpose"],
        select_related=["township", "line"],
        group=GROUP,
    )
)
register(
    Resource(
        Target,
        "targets",
        nav_order=24,
        fields=["year", "metric_code", "comparator", "value", "wording", "note"],
        list_columns=["year", "wording", "metric_code", "comparator", "value", "township"],
        filter_fields=["township", "year"],
        search_fields=["wording", "metric_code"],
        natural_key=["township", "year", "metric_code", "comparator"],
        select_related=["township"],
        form_class=TargetForm,
        detail_extra=[("完成情况", services.target_progress_label)],
        group=GROUP,
    )
)


def _scores_link(scheme: AssessmentScheme) -> str:
    from django.urls import reverse
    from django.utils.html import format_html

    return format_html(
        '<a href="{}">查看各村得分及依据</a>', reverse("governance:scheme_scores", args=[scheme.pk])
    )


register(
    Resource(
        AssessmentScheme,
        "schemes",
        nav_order=60,
        fields=["year", "name", "document", "note"],
        list_columns=["year", "name", "document", "township"],
        filter_fields=["township", "year"],
        search_fields=["name"],
        natural_key=["township", "year", "name"],
        select_related=["township"],
        children=[("items", "scheme")],
        detail_extra=[("考核结果", _scores_link)],
        group=GROUP,
    )
)
register(
    Resource(
        AssessmentItem,
        "items",
        nav=False,
        fields=["scheme", "order", "label", "metric_code", "weight", "full_at"],
        list_columns=["scheme", "order", "label", "metric_code", "weight", "full_at"],
        filter_fields=["township", "scheme"],
        search_fields=["label"],
        natural_key=["township", "scheme", "metric_code"],
        select_related=["township", "scheme"],
        group=GROUP,
    )
)
