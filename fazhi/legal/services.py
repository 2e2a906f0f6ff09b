"""The verbs of legality review. Each runs in one transaction, locks the row it changes, checks
the scope gate and the transition table, validates (Chinese messages naming the field), saves,
writes the change record and a domain event, and opens / completes the deadlines through
`core.deadlines`; opinions are appended to the record's evidence chain.

送审 (numbered, deadline by kind) → 出具审查意见 (通过 / 修改后通过 / 不予通过; the advisor's
opinion where the law requires it) → the reviewed item may take effect: a contract is signed, a
document is published (then filed within the filing period). Nothing takes effect before its
opinion; what took effect without one can only be recorded as such (补录), and the coverage view
lists it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from fazhi.core import deadlines, evidence, scope
from fazhi.core import services as core_services
from fazhi.core.audit import record_change, record_event, snapshot
from fazhi.core.calendar import UnknownCalendarYear, compute_due, is_workday
from fazhi.core.choices import ChangeAction
from fazhi.core.numbering import next_number
from fazhi.core.roles import ADD, CHANGE, DELETE
from fazhi.core.rules import effective_rule
from fazhi.legal import rules
from fazhi.legal.choices import (
    CONTRACT_TRANSITIONS,
    DOCUMENT_TRANSITIONS,
    PASSING,
    REVIEW_TRANSITIONS,
    VILLAGE_KINDS,
    ContractAction,
    ContractStatus,
    DocumentAction,
    DocumentKind,
    DocumentStatus,
    ReviewAction,
    ReviewerKind,
    ReviewKind,
    ReviewOutcome,
    ReviewStatus,
    next_status,
)
from fazhi.legal.models import Contract, NormativeDocument, ReviewRequest

REVIEW_NUMBER_KIND = "审"


# --- helpers --------------------------------------------------------------------------------
def today() -> dt.date:
    return timezone.localdate()


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _ensure(actor: Any, action: str, obj: models.Model) -> None:
    """The scope gate; `actor=None` is the system (demo loader, commands), audited as 系统."""
    if actor is not None:
        scope.ensure(actor, action, obj)


def _day(value: Any, field: str, label: str, *, not_before: dt.date | None = None,
         not_before_label: str = "") -> dt.date:  # fmt: skip
    if value in (None, ""):
        raise ValidationError({field: f"请填写{label}。"})
    if isinstance(value, dt.datetime):
        value = value.date()
    if value > today():
        raise ValidationError({field: f"{label}不能晚于今天。"})
    if not_before is not None and value < not_before:
        raise ValidationError(
            {field: f"{label}不能早于{not_before_label}（{not_before:%Y-%m-%d}）。"}
        )
    return value


def _text(value: str | None, field: str, label: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: f"请填写{label}。"})
    return text


def _create(obj: models.Model, actor: Any) -> models.Model:
    obj.created_by = obj.updated_by = _user(actor)
    obj.full_clean()
    obj.save()
    record_change(obj, ChangeAction.CREATE, None, snapshot(obj), actor=actor)
    return obj


def _save(obj: models.Model, before: dict[str, Any], actor: Any) -> models.Model:
    obj.version += 1
    obj.updated_by = _user(actor)
    obj.full_clean()
    obj.save()
    record_change(obj, ChangeAction.UPDATE, before, snapshot(obj), actor=actor)
    return obj


def _lock(obj: models.Model, actor: Any, action: str = CHANGE) -> tuple[Any, dict[str, Any]]:
    _ensure(actor, action, obj)
    locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    return locked, snapshot(locked)


def _event(obj: models.Model, kind: str, label: str, actor: Any, **payload: Any) -> None:
    record_event(
        f"legal.{kind}", label, township=obj.township_id, actor=actor, obj=obj, payload=payload
    )


def working_days_between(start: dt.date, end: dt.date) -> int | None:
    """Working days after `start` up to and including `end` (None when the calendar lacks a
    year on the way)."""
    if end <= start:
        return 0
    n, day = 0, start
    try:
        while day < end:
            day += dt.timedelta(days=1)
            n += is_workday(day)
    except UnknownCalendarYear:
        return None
    return n


def guarded_update(editable: tuple[str, ...], *, frozen_after: tuple[str, ...] = ()):
    """An `update` hook for a resource whose other fields are written by the workflow: a change
    to them is refused, naming the field. `frozen_after` fields are fixed once the record left
    its first state (the deadline was computed from them)."""

    def update(obj: Any, data: dict[str, Any], *, actor: Any, expected_version: int | None):
        model = type(obj)
        data = dict(data)
        for name in list(data):
            value = data[name]
            field = model._meta.get_field(name)
            current = getattr(obj, field.attname)
            compare = value.pk if isinstance(value, models.Model) else value
            if field.many_to_many:
                continue
            same = compare == current or (compare in (None, "") and current in (None, ""))
            if name not in editable and not same:
                raise ValidationError(
                    {
                        name: f"“{field.verbose_name}”由办理流程记录，不能直接修改（请在记录页面办理）。"
                    }
                )
            if (
                name in frozen_after
                and not same
                and getattr(obj, "status", "")
                not in (
                    ReviewStatus.REVIEWING,
                    ContractStatus.DRAFT,
                    DocumentStatus.DRAFT,
                )
            ):
                raise ValidationError({name: f"“{field.verbose_name}”在送审后不能修改。"})
            if name not in editable:
                data.pop(name)
        return core_services.update_object(
            obj, data, actor=actor, expected_version=expected_version
        )

    return update


# --- review requests ------------------------------------------------------------------------
REVIEW_FIELDS = (
    "kind",
    "title",
    "unit",
    "village",
    "submitted_on",
    "materials",
    "reviewer_kind",
    "reviewer",
    "advisor",
)


@transaction.atomic
def submit_review(
    township: Any,
    *,
    kind: str,
    title: str,
    submitted_on: dt.date,
    actor: Any,
    unit: Any = None,
    village: Any = None,
    materials: str = "",
    reviewer_kind: str = ReviewerKind.JOINT,
    reviewer: Any = None,
    advisor: Any = None,
    subject: str = "",
    due_on: dt.date | None = None,
) -> ReviewRequest:
    """送审: number the request, open its review period, start its evidence chain.

    `subject` links the request to the record of another app it gates (see `legal.links`): that
    app checked the actor's right on its record, named its reviewer there, and keeps the
    review period on its own deadline (`due_on`), so none is opened twice on 我的期限."""
    if actor is not None and not subject:
        scope.ensure_township(actor, ADD, township.pk, ReviewRequest)
    if kind not in ReviewKind.values:
        raise ValidationError({"kind": "请选择审查事项类别。"})
    submitted_on = _day(submitted_on, "submitted_on", "送审日期")
    if kind in VILLAGE_KINDS and village is None:
        raise ValidationError({"village": f"{ReviewKind(kind).label}请选择村(社区)。"})
    if reviewer_kind in (ReviewerKind.ADVISOR, ReviewerKind.JOINT) and advisor is None:
        raise ValidationError({"advisor": "审查主体含法律顾问的，请选择法律顾问。"})
    if (
        reviewer_kind in (ReviewerKind.JUSTICE, ReviewerKind.JOINT)
        and reviewer is None
        and not subject
    ):
        raise ValidationError({"reviewer": "审查主体含司法所的，请选择司法所审查人。"})
    if advisor is not None and not advisor.serves_on(submitted_on):
        raise ValidationError({"advisor": f"{advisor.name}在送审日期不在法律顾问任期内。"})
    year = submitted_on.year
    n, number = next_number(township, REVIEW_NUMBER_KIND, year=year)
    review = ReviewRequest(
        township=township,
        number=number,
        year=year,
        kind=kind,
        title=_text(title, "title", "送审事项"),
        unit=unit,
        village=village,
        submitted_on=submitted_on,
        materials=materials or "",
        reviewer_kind=reviewer_kind,
        reviewer=reviewer,
        advisor=advisor,
        subject=subject,
    )
    if due_on is None:
        effective = effective_rule(rules.REVIEW_RULES[kind], township)
        due_on, _estimated = compute_due(submitted_on, effective.length, effective.unit)
    review.due_on = due_on
    _create(review, actor)
    if not subject:
        responsible = reviewer.user if reviewer is not None and reviewer.user_id else None
        deadlines.open_deadline(
            review, rules.REVIEW_RULES[kind], submitted_on, actor=actor, responsible=responsible
        )
    evidence.append(
        review.township_id,
        evidence.chain_name(review),
        "送审",
        {
            "编号": number,
            "类别": review.get_kind_display(),
            "事项": review.title,
            "送审日期": submitted_on,
            "审查期限": review.due_on,
        },  # fmt: skip
        actor=actor,
    )
    _event(review, "review_submitted", f"{number}：送请合法性审查", actor, due=review.due_on)
    return review


def create_review_from_resource(model: Any, data: dict[str, Any], *, actor: Any) -> ReviewRequest:
    """The `create` hook of the generic pages, API and Excel import."""
    data = dict(data)
    township = data.pop("township", None)
    if township is None:
        raise ValidationError({"township": "请选择乡镇。"})
    unknown = set(data) - set(REVIEW_FIELDS)
    if unknown:
        name = sorted(unknown)[0]
        raise ValidationError({name: "该项由审查流程记录，不能在送审时填写。"})
    return submit_review(township, actor=actor, **data)


update_review = guarded_update(REVIEW_FIELDS, frozen_after=("kind", "submitted_on"))


@transaction.atomic
def delete_review(review: ReviewRequest, *, actor: Any, expected_version: int | None = None):
    locked, _ = _lock(review, actor, DELETE)
    if locked.status != ReviewStatus.REVIEWING:
        raise ValidationError("已出具意见或已撤回的审查记录不能删除。")
    _refuse_linked(locked, "删除")
    linked = [
        str(m._meta.verbose_name)
        for m in (Contract, NormativeDocument)
        if m.objects.filter(review=locked).exists()
    ]
    if linked:
        raise ValidationError(f"该审查记录已关联{'、'.join(linked)}，请撤回送审，不能删除。")
    deadlines.cancel_deadline(locked, rules.REVIEW_RULES[locked.kind], actor=actor)
    core_services.delete_object(locked, actor=actor, expected_version=expected_version)


@transaction.atomic
def conclude_review(
    review: ReviewRequest,
    *,
    actor: Any,
    outcome: str,
    opinion: str,
    on: dt.date,
    advisor_opinion: str = "",
    expected_version: int | None = None,
) -> ReviewRequest:
    """出具审查意见: the opinion (and the advisor's where required) goes to the evidence chain;
    the review period is completed; items waiting on it become 已审查; the record of another
    app it gates (`subject`) is told, and copies the opinion onto its own evidence chain."""
    r, before = _lock(review, actor)
    if expected_version is not None and r.version != expected_version:
        raise core_services.ConflictError(r, expected_version)
    return _conclude(r, before, actor=actor, outcome=outcome, opinion=opinion, on=on,
                     advisor_opinion=advisor_opinion)  # fmt: skip


def _refuse_linked(r: ReviewRequest, what: str) -> None:
    if r.subject:
        raise ValidationError(
            f"该审查由{r.get_kind_display()}的办理流程发起，不能在此{what}；请在原记录中办理。"
        )


def _conclude(r: ReviewRequest, before: dict[str, Any], *, actor: Any, outcome: str,
              opinion: str, on: dt.date, advisor_opinion: str = "",
              notify: bool = True) -> ReviewRequest:  # fmt: skip
    target = next_status(
        REVIEW_TRANSITIONS, r.status, ReviewAction.CONCLUDE, ReviewStatus, ReviewAction
    )
    if outcome not in ReviewOutcome.values:
        raise ValidationError({"outcome": "请选择审查结论。"})
    opinion = _text(opinion, "opinion", "审查意见")
    on = _day(on, "on", "出具意见日期", not_before=r.submitted_on, not_before_label="送审日期")
    advisor_opinion = (advisor_opinion or "").strip()
    if r.reviewer_kind in (ReviewerKind.ADVISOR, ReviewerKind.JOINT) and not advisor_opinion:
        raise ValidationError({"advisor_opinion": "审查主体含法律顾问，请填写法律顾问意见。"})
    if r.kind in rules.ADVISOR_REQUIRED:
        if r.advisor_id is None:
            raise ValidationError(
                {"advisor": "重大行政决策合法性审查应当听取法律顾问意见：尚未指定法律顾问。"}
            )
        if not advisor_opinion:
            raise ValidationError(
                {
                    "advisor_opinion": "重大行政决策合法性审查应当听取法律顾问意见：请填写法律顾问意见。"
                }
            )
    r.status = target
    r.outcome = outcome
    r.opinion = opinion
    r.advisor_opinion = advisor_opinion
    r.opinion_on = on
    r.turnaround = working_days_between(r.submitted_on, on)
    _save(r, before, actor)
    deadlines.complete_deadline(r, rules.REVIEW_RULES[r.kind], on, actor=actor)
    evidence.append(
        r.township_id,
        evidence.chain_name(r),
        "审查意见",
        {
            "编号": r.number,
            "结论": r.get_outcome_display(),
            "审查意见": opinion,
            "法律顾问": r.advisor.name if r.advisor_id else "",
            "法律顾问意见": advisor_opinion,
            "出具日期": on,
        },  # fmt: skip
        actor=actor,
    )
    _event(r, "review_concluded", f"{r.number}：出具审查意见（{r.get_outcome_display()}）", actor,
           outcome=outcome)  # fmt: skip
    for model, waiting in ((Contract, ContractStatus.IN_REVIEW),
                           (NormativeDocument, DocumentStatus.IN_REVIEW)):  # fmt: skip
        for item in model.objects.select_for_update().filter(review=r, status=waiting):
            item_before = snapshot(item)
            item.status = ContractStatus.REVIEWED  # same value for documents
            _save(item, item_before, actor)
    if r.subject and notify:
        from fazhi.legal import links

        links.concluded(r, actor)
    return r


@transaction.atomic
def withdraw_review(review: ReviewRequest, *, actor: Any, reason: str) -> ReviewRequest:
    r, before = _lock(review, actor)
    r.status = next_status(
        REVIEW_TRANSITIONS, r.status, ReviewAction.WITHDRAW, ReviewStatus, ReviewAction
    )
    _refuse_linked(r, "撤回")
    r.withdrawn_reason = _text(reason, "reason", "撤回原因")[:200]
    _save(r, before, actor)
    deadlines.cancel_deadline(r, rules.REVIEW_RULES[r.kind], actor=actor)
    _event(r, "review_withdrawn", f"{r.number}：撤回送审", actor, reason=r.withdrawn_reason)
    for model, waiting, back in ((Contract, ContractStatus.IN_REVIEW, ContractStatus.DRAFT),
                                 (NormativeDocument, DocumentStatus.IN_REVIEW,
                                  DocumentStatus.DRAFT)):  # fmt: skip
        for item in model.objects.select_for_update().filter(review=r, status=waiting):
            item_before = snapshot(item)
            item.status = back
            _save(item, item_before, actor)
    return r


def reviewed_before(review: ReviewRequest | None, effective_on: dt.date | None) -> bool:
    """Was the item reviewed (通过 / 修改后通过) on or before it took effect?"""
    return bool(
        review is not None
        and review.status == ReviewStatus.CONCLUDED
        and review.outcome in PASSING
        and review.opinion_on is not None
        and effective_on is not None
        and review.opinion_on <= effective_on
    )


# --- subjects: contracts and documents --------------------------------------------------------
def _submit_subject(obj: Any, table: dict, action: str, status_cls: Any, action_cls: Any,
                    kind: str, *, actor: Any, on: dt.date, reviewer_kind: str,
                    reviewer: Any = None, advisor: Any = None, materials: str = "") -> Any:  # fmt: skip
    locked, before = _lock(obj, actor)
    target = next_status(table, locked.status, action, status_cls, action_cls)
    review = submit_review(
        locked.township,
        kind=kind,
        title=locked.title,
        submitted_on=on,
        actor=actor,
        unit=locked.unit,
        village=locked.village,
        materials=materials,
        reviewer_kind=reviewer_kind,
        reviewer=reviewer,
        advisor=advisor,
    )
    locked.status = target
    locked.review = review
    _save(locked, before, actor)
    _event(locked, f"{locked._meta.model_name}_submitted", f"{locked}：送合法性审查（{review.number}）",
           actor, review=review.pk)  # fmt: skip
    return locked


@transaction.atomic
def submit_contract(contract: Contract, *, actor: Any, on: dt.date, **reviewer: Any) -> Contract:
    kind = ReviewKind.VILLAGE_CONTRACT if contract.village_id else ReviewKind.TOWNSHIP_CONTRACT
    return _submit_subject(contract, CONTRACT_TRANSITIONS, ContractAction.SUBMIT, ContractStatus,
                           ContractAction, kind, actor=actor, on=on, **reviewer)  # fmt: skip


def _require_opinion(review: ReviewRequest | None, what: str) -> ReviewRequest:
    if review is None or review.status != ReviewStatus.CONCLUDED:
        raise ValidationError(f"该{what}尚未取得合法性审查意见，不能登记。请先送审并出具审查意见。")
    if review.outcome not in PASSING:
        raise ValidationError(f"该{what}的合法性审查结论为“不予通过”，须修改后重新送审。")
    return review


@transaction.atomic
def sign_contract(contract: Contract, *, actor: Any, on: dt.date) -> Contract:
    """登记签订: refused without a passing opinion, or dated before it."""
    c, before = _lock(contract, actor)
    if c.status in (ContractStatus.DRAFT, ContractStatus.IN_REVIEW):
        raise ValidationError(
            "该合同尚未取得合法性审查意见，不能登记签订。请先送审并出具审查意见。"
        )
    target = next_status(CONTRACT_TRANSITIONS, c.status, ContractAction.SIGN, ContractStatus,
                         ContractAction)  # fmt: skip
    review = _require_opinion(c.review, "合同")
    c.signed_on = _day(on, "on", "签订日期", not_before=review.opinion_on,
                       not_before_label="出具审查意见日期")  # fmt: skip
    c.status = target
    _save(c, before, actor)
    _event(c, "contract_signed", f"{c}：登记签订", actor, review=review.pk)
    return c


@transaction.atomic
def record_unreviewed_contract(
    contract: Contract, *, actor: Any, on: dt.date, reason: str
) -> Contract:
    """补录: a contract that was signed without review (the coverage view lists it)."""
    c, before = _lock(contract, actor)
    c.status = next_status(CONTRACT_TRANSITIONS, c.status, ContractAction.RECORD_UNREVIEWED,
                           ContractStatus, ContractAction)  # fmt: skip
    c.signed_on = _day(on, "on", "签订日期")
    c.unreviewed_reason = _text(reason, "reason", "未经审查的原因")[:200]
    _save(c, before, actor)
    _event(
        c,
        "contract_unreviewed",
        f"{c}：补录未经合法性审查已签订",
        actor,
        reason=c.unreviewed_reason,
    )
    return c


@transaction.atomic
def abandon_contract(contract: Contract, *, actor: Any, reason: str) -> Contract:
    c, before = _lock(contract, actor)
    c.status = next_status(CONTRACT_TRANSITIONS, c.status, ContractAction.ABANDON,
                           ContractStatus, ContractAction)  # fmt: skip
    _save(c, before, actor)
    _event(c, "contract_abandoned", f"{c}：终止签订", actor, reason=_text(reason, "reason", "原因"))
    return c


CONTRACT_FIELDS = ("title", "village", "kind", "counterparty", "amount", "unit", "summary")
update_contract = guarded_update(CONTRACT_FIELDS, frozen_after=("village",))


@transaction.atomic
def delete_contract(contract: Contract, *, actor: Any, expected_version: int | None = None) -> None:
    locked, _ = _lock(contract, actor, DELETE)
    if locked.status == ContractStatus.SIGNED:
        raise ValidationError("已签订的合同不能删除。")
    core_services.delete_object(locked, actor=actor, expected_version=expected_version)


@transaction.atomic
def submit_document(doc: NormativeDocument, *, actor: Any, on: dt.date, **reviewer: Any):
    kind = (
        ReviewKind.VILLAGE_RULES if doc.kind == DocumentKind.VILLAGE_RULES else ReviewKind.NORMATIVE
    )
    return _submit_subject(doc, DOCUMENT_TRANSITIONS, DocumentAction.SUBMIT, DocumentStatus,
                           DocumentAction, kind, actor=actor, on=on, **reviewer)  # fmt: skip


def _open_filing(d: NormativeDocument, actor: Any) -> None:
    if d.kind != DocumentKind.NORMATIVE:
        return
    deadline = deadlines.open_deadline(d, rules.NORMATIVE_FILING.code, d.issued_on, actor=actor)
    d.filing_due_on = deadline.due_date


@transaction.atomic
def issue_document(
    doc: NormativeDocument, *, actor: Any, on: dt.date, doc_no: str = ""
) -> NormativeDocument:
    """登记公布施行: refused without a passing opinion; a normative document's filing period
    starts (备案)."""
    d, before = _lock(doc, actor)
    if d.status in (DocumentStatus.DRAFT, DocumentStatus.IN_REVIEW):
        raise ValidationError(
            "该文件尚未取得合法性审查意见，不能登记公布。请先送审并出具审查意见。"
        )
    target = next_status(DOCUMENT_TRANSITIONS, d.status, DocumentAction.ISSUE, DocumentStatus,
                         DocumentAction)  # fmt: skip
    review = _require_opinion(d.review, "文件")
    d.issued_on = _day(on, "on", "公布日期", not_before=review.opinion_on,
                       not_before_label="出具审查意见日期")  # fmt: skip
    if doc_no:
        d.doc_no = doc_no.strip()[:60]
    d.status = target
    _open_filing(d, actor)
    _save(d, before, actor)
    _event(d, "document_issued", f"{d}：公布施行", actor, filing_due=d.filing_due_on)
    return d


@transaction.atomic
def record_unreviewed_document(doc: NormativeDocument, *, actor: Any, on: dt.date, reason: str):
    d, before = _lock(doc, actor)
    d.status = next_status(DOCUMENT_TRANSITIONS, d.status, DocumentAction.RECORD_UNREVIEWED,
                           DocumentStatus, DocumentAction)  # fmt: skip
    d.issued_on = _day(on, "on", "公布日期")
    d.unreviewed_reason = _text(reason, "reason", "未经审查的原因")[:200]
    _open_filing(d, actor)
    _save(d, before, actor)
    _event(d, "document_unreviewed", f"{d}：补录未经合法性审查已公布", actor)
    return d


@transaction.atomic
def file_document(
    doc: NormativeDocument, *, actor: Any, on: dt.date, filed_with: str
) -> NormativeDocument:
    """登记报备: a normative document is filed with the county (its filing period completes); a
    村规民约 is filed with the township government (《村民委员会组织法》第二十七条, no period)."""
    d, before = _lock(doc, actor)
    d.status = next_status(DOCUMENT_TRANSITIONS, d.status, DocumentAction.FILE, DocumentStatus,
                           DocumentAction)  # fmt: skip
    d.filed_on = _day(on, "on", "报备日期", not_before=d.issued_on, not_before_label="公布日期")
    d.filed_with = _text(filed_with, "filed_with", "备案机关")[:100]
    _save(d, before, actor)
    deadlines.complete_deadline(d, rules.NORMATIVE_FILING.code, d.filed_on, actor=actor)
    _event(d, "document_filed", f"{d}：报送{d.filed_with}备案", actor)
    return d


@transaction.atomic
def abandon_document(doc: NormativeDocument, *, actor: Any, reason: str) -> NormativeDocument:
    d, before = _lock(doc, actor)
    d.status = next_status(DOCUMENT_TRANSITIONS, d.status, DocumentAction.ABANDON,
                           DocumentStatus, DocumentAction)  # fmt: skip
    _save(d, before, actor)
    _event(d, "document_abandoned", f"{d}：终止制定", actor, reason=_text(reason, "reason", "原因"))
    return d


DOCUMENT_FIELDS = ("kind", "title", "doc_no", "village", "unit", "summary")
update_document = guarded_update(DOCUMENT_FIELDS, frozen_after=("kind", "village"))


@transaction.atomic
def delete_document(
    doc: NormativeDocument, *, actor: Any, expected_version: int | None = None
) -> None:
    locked, _ = _lock(doc, actor, DELETE)
    if locked.status in (DocumentStatus.ISSUED, DocumentStatus.FILED):
        raise ValidationError("已公布的文件不能删除。")
    core_services.delete_object(locked, actor=actor, expected_version=expected_version)
