"""Resource declarations of the enforcement module: pages, API, Excel and menu from one place."""

from __future__ import annotations

from django.utils import timezone

from fazhi.core import roles
from fazhi.core.resources import (
    MenuGroup,
    NavLink,
    Resource,
    register,
    register_group,
    register_link,
)
from fazhi.enforcement.models import (
    Certificate,
    EnforcementBody,
    Officer,
    Power,
    SupervisionMatter,
    SupervisionOpinion,
)

GROUP = "行政执法"

#: the enforcement ledgers are kept by township clerks and the bodies' staff
register_group(MenuGroup(GROUP, order=30))

CLERKS = roles.TOWNSHIP_CLERKS
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


# --- cases ---------------------------------------------------------------------------------
from typing import Any  # noqa: E402

from django import forms  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402

from fazhi.core.forms import ScopedModelForm  # noqa: E402
from fazhi.core.services import update_object  # noqa: E402
from fazhi.enforcement import cases, supervision  # noqa: E402
from fazhi.enforcement.models import (  # noqa: E402
    CaseFileReview,
    CaseRecord,
    Disclosure,
    EnforcementCase,
    LegalReview,
)

EnforcementCase.scope_write_roles = CLERKS
#: written only by the case services (the generic pages, API and Excel are read-only)
for model in (CaseRecord, LegalReview, Disclosure, CaseFileReview):
    model.scope_write_roles = frozenset()

CASE_FIELDS = [
    "power",
    "body",
    "handlers",
    "party_kind",
    "party_name",
    "party_id_number",
    "party_address",
    "cause",
    "facts",
    "filed_on",
    "public_interest",
    "complex_case",
]
#: fixed at filing: the number, the deadline and the record refer to them
CASE_FIXED = frozenset({"power", "body", "handlers", "filed_on", "party_kind", "party_name"})


class CaseForm(ScopedModelForm):
    class Meta:
        model = EnforcementCase
        fields = ["township", *CASE_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            for name in CASE_FIXED:
                self.fields.pop(name, None)
        elif "handlers" in self.fields:
            self.fields["handlers"].help_text = "不少于2名持有效执法证件的执法人员"
            self.fields["handlers"].widget = forms.CheckboxSelectMultiple(
                choices=self.fields["handlers"].choices
            )


def create_case(
    model: type[EnforcementCase], data: dict[str, Any], *, actor: Any
) -> EnforcementCase:
    return cases.file_case(
        township=data.get("township"),
        power=data["power"],
        body=data["body"],
        handlers=list(data.get("handlers") or []),
        party_kind=data["party_kind"],
        party_name=data.get("party_name") or "",
        party_id_number=data.get("party_id_number") or "",
        party_address=data.get("party_address") or "",
        cause=data.get("cause") or "",
        facts=data.get("facts") or "",
        filed_on=data["filed_on"],
        public_interest=bool(data.get("public_interest")),
        complex_case=bool(data.get("complex_case")),
        actor=actor,
    )


def update_case(
    obj: EnforcementCase, data: dict[str, Any], *, actor: Any, expected_version: int | None
) -> EnforcementCase:
    for name in CASE_FIXED & set(data):
        field = obj._meta.get_field(name)
        value = data[name]
        if field.many_to_many:
            same = {o.pk for o in getattr(obj, name).all()} == {o.pk for o in value}
        elif field.is_relation:
            same = getattr(obj, field.attname) == getattr(value, "pk", value)
        else:
            same = getattr(obj, name) == value
        if not same:
            raise ValidationError("执法事项、主体、承办人员、当事人和立案日期立案后不能修改。")
    if obj.status not in ("filed", "notified", "hearing", "review"):
        raise ValidationError("已作出决定的案件不能修改。")
    allowed = {k: v for k, v in data.items() if k not in CASE_FIXED}
    return update_object(obj, allowed, actor=actor, expected_version=expected_version)


register(
    Resource(
        EnforcementCase,
        "cases",
        fields=CASE_FIELDS,
        io_fields=[
            "township",
            "power",
            "body",
            "party_kind",
            "party_name",
            "cause",
            "facts",
            "filed_on",
            "public_interest",
            "complex_case",
        ],
        list_columns=["number", "cause", "party_name", "procedure", "status", "filed_on"],
        filter_fields=["township", "status", "procedure", "body", "filed_on"],
        search_fields=["number", "cause", "party_name"],
        natural_key=["township", "number"],
        select_related=["township", "power", "body"],
        form_class=CaseForm,
        create=create_case,
        update=update_case,
        children=[("case-records", "case"), ("legal-reviews", "case"), ("file-reviews", "case")],
        nav_new="立案",
        group=GROUP,
    )
)
register(
    Resource(
        CaseRecord,
        "case-records",
        fields=["case", "step", "form", "occurred_at", "place", "officers", "summary"],
        list_columns=["case", "step", "form", "occurred_at", "place"],
        filter_fields=["township", "step", "form"],
        search_fields=["summary", "case__number"],
        select_related=["township", "case"],
        nav=False,
        group=GROUP,
    )
)
register(
    Resource(
        LegalReview,
        "legal-reviews",
        fields=["case", "reviewer", "submitted_on", "reviewed_on", "opinion", "passed"],
        list_columns=["case", "reviewer", "submitted_on", "reviewed_on", "passed"],
        filter_fields=["township", "passed", "submitted_on"],
        search_fields=["case__number", "opinion"],
        select_related=["township", "case", "reviewer"],
        group=GROUP,
    )
)
register(
    Resource(
        Disclosure,
        "disclosures",
        fields=[
            "case",
            "title",
            "content",
            "due_on",
            "published_on",
            "withdrawn_on",
            "withdrawal_reason",
        ],
        list_columns=["title", "due_on", "published_on", "withdrawn_on", "township"],
        filter_fields=["township", "due_on", "published_on"],
        search_fields=["title", "content"],
        select_related=["township", "case"],
        group=GROUP,
    )
)
register(
    Resource(
        CaseFileReview,
        "file-reviews",
        fields=["case", "reviewed_on", "reviewer", "total", "passed", "note"],
        list_columns=["case", "reviewed_on", "reviewer", "total", "passed"],
        filter_fields=["township", "passed", "reviewed_on"],
        search_fields=["case__number", "reviewer"],
        select_related=["township", "case"],
        group=GROUP,
    )
)


# --- supervision (行政执法监督) ---------------------------------------------------------------
SUPERVISION_GROUP = "行政执法监督"
register_group(MenuGroup(SUPERVISION_GROUP, order=31))
register_link(
    NavLink(
        SUPERVISION_GROUP,
        "风险提示",
        "enforcement:supervision_signals",
        "add",
        SupervisionMatter,
        order=1,
    )
)
SupervisionOpinion.scope_write_roles = frozenset()  # written by supervision.py only


def create_matter(
    model: type[SupervisionMatter], data: dict[str, Any], *, actor: Any
) -> SupervisionMatter:
    return supervision.open_matter(
        township=data.get("township"),
        kind=data["kind"],
        level=data["level"],
        supervisor=data.get("supervisor") or "",
        title=data.get("title") or "",
        subject=data["subject"],
        body=data["body"],
        case=data.get("case"),
        inspection=data.get("inspection"),
        started_on=data["started_on"],
        findings=data.get("findings") or "",
        actor=actor,
    )


def update_matter(
    obj: SupervisionMatter, data: dict[str, Any], *, actor: Any, expected_version: int | None
) -> SupervisionMatter:
    if obj.status == "closed":
        raise ValidationError("已办结的监督事项不能修改。")
    return update_object(obj, data, actor=actor, expected_version=expected_version)


register(
    Resource(
        SupervisionMatter,
        "supervisions",
        fields=[
            "kind",
            "level",
            "supervisor",
            "title",
            "subject",
            "body",
            "case",
            "inspection",
            "started_on",
            "findings",
        ],
        list_columns=["title", "kind", "supervisor", "body", "started_on", "status", "township"],
        filter_fields=["township", "kind", "level", "status", "started_on"],
        search_fields=["title", "findings", "supervisor"],
        detail_extra=[
            ("状态", lambda o: o.get_status_display()),
            ("办结日期", lambda o: o.closed_on or "—"),
            ("风险提示来源", lambda o: o.get_signal_display() or "—"),
        ],
        select_related=["township", "body"],
        create=create_matter,
        update=update_matter,
        children=[("supervision-opinions", "matter")],
        nav_new="启动监督",
        group=SUPERVISION_GROUP,
    )
)
register(
    Resource(
        SupervisionOpinion,
        "supervision-opinions",
        fields=["matter", "body", "issued_on", "problems", "requirements"],
        detail_extra=[
            ("文书编号", lambda o: o.number),
            ("整改期限", lambda o: o.due_on),
            ("整改状态", lambda o: o.get_status_display()),
            ("整改反馈日期", lambda o: o.reported_on or "—"),
            ("整改情况报告", lambda o: o.correction or "—"),
            ("确认整改完成日期", lambda o: o.accepted_on or "—"),
            ("审查意见", lambda o: o.review_note or "—"),
        ],
        io_fields=[
            "township",
            "matter",
            "body",
            "issued_on",
            "problems",
            "requirements",
        ],
        list_columns=["number", "body", "issued_on", "due_on", "status", "reported_on", "township"],
        filter_fields=["township", "status", "issued_on", "due_on"],
        search_fields=["number", "problems", "correction"],
        select_related=["township", "body", "matter"],
        natural_key=["township", "number"],
        group=SUPERVISION_GROUP,
    )
)
