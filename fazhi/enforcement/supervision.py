"""Enforcement supervision (行政执法监督, 《行政执法监督条例》 国务院令第825号, REGULATIONS.md §11).

The 司法所 (township) and the county 司法局 open supervision matters (日常/专项/个案监督) over the
township's enforcement bodies, cases and inspections, issue a 行政执法监督意见书 naming what to
correct and by when (rule `enforcement.supervision_correction`, a core deadline, so an overdue
correction escalates through the deadline sweep), the body reports its correction back (反馈)
and the supervisor confirms it. Supervisors hold the action `supervise` (core.roles); the
records themselves stay read-only for them.

`signals()` is the supervisors' risk queue: queries over the records, never stored flags.
`actor=None` is the system (demo loader). The version of the matter or opinion a person read
is checked by the page that runs these services (core.views.generic.act_at_version: one lock
and one check in the same transaction), not here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from fazhi.core import deadlines, numbering, scope
from fazhi.core.choices import DeadlineStatus
from fazhi.core.memo import reference_data_fixed
from fazhi.core.models import Deadline
from fazhi.core.roles import ADD, CHANGE, SUPERVISE, VIEW
from fazhi.enforcement import choices as c
from fazhi.enforcement import rules
from fazhi.enforcement.cases import _due, _event, _save, passed_review
from fazhi.enforcement.models import (
    Disclosure,
    EnforcementBody,
    EnforcementCase,
    Officer,
    SupervisionMatter,
    SupervisionOpinion,
)

OPINION_KIND = "执监"


def _ensure_supervise(actor: Any, township_id: int) -> None:
    if actor is not None:
        scope.ensure_township(actor, ADD, township_id, SupervisionMatter)


# --- matters ---------------------------------------------------------------------------------
@transaction.atomic
def open_matter(
    *,
    township: Any,
    kind: str,
    level: str,
    supervisor: str,
    title: str,
    subject: str,
    body: EnforcementBody,
    started_on: dt.date,
    case: EnforcementCase | None = None,
    inspection: Any = None,
    findings: str = "",
    signal: str = "",
    actor: Any,
) -> SupervisionMatter:
    """启动监督: a routine, thematic or single-case matter about a body, a case or an inspection."""
    township_id = getattr(township, "pk", township)
    _ensure_supervise(actor, township_id)
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": "启动日期不能晚于今天。"})
    matter = SupervisionMatter(
        township_id=township_id,
        kind=kind,
        level=level,
        supervisor=supervisor.strip(),
        title=title.strip(),
        subject=subject,
        body=body,
        case=case,
        inspection=inspection,
        started_on=started_on,
        findings=findings.strip(),
        signal=signal,
    )
    _save(matter, None, actor)
    if actor is not None and not scope.visible(actor, matter, ADD):
        raise PermissionDenied("保存后的记录超出您的权限范围，未保存。")
    _event("enforcement.supervision_opened", f"启动执法监督：{matter.title}", matter, actor)
    return matter


@transaction.atomic
def record_findings(matter: SupervisionMatter, *, findings: str, actor: Any) -> SupervisionMatter:
    """Record what the supervision found (监督发现的问题)."""
    if actor is not None:
        scope.ensure(actor, CHANGE, matter)
    locked = SupervisionMatter.objects.select_for_update().get(pk=matter.pk)
    if not findings.strip():
        raise ValidationError({"findings": "请填写监督发现的问题。"})
    before = _snap(locked)
    locked.findings = findings.strip()
    _save(locked, before, actor)
    return locked


@transaction.atomic
def close_matter(matter: SupervisionMatter, *, closed_on: dt.date, actor: Any) -> SupervisionMatter:
    """办结: only when every 监督意见书 of the matter is confirmed corrected."""
    if actor is not None:
        scope.ensure(actor, CHANGE, matter)
    locked = SupervisionMatter.objects.select_for_update().get(pk=matter.pk)
    if locked.status == c.MatterStatus.CLOSED:
        raise ValidationError("该监督事项已办结。")
    if locked.opinions.exclude(status=c.OpinionStatus.ACCEPTED).exists():
        raise ValidationError("尚有监督意见书未确认整改完成，不能办结。")
    if closed_on < locked.started_on:
        raise ValidationError({"closed_on": f"办结日期不能早于启动日期（{locked.started_on}）。"})
    before = _snap(locked)
    locked.status = c.MatterStatus.CLOSED
    locked.closed_on = closed_on
    _save(locked, before, actor)
    return locked


def _snap(obj: Any) -> dict[str, Any]:
    from fazhi.core.audit import snapshot

    return snapshot(obj)


# --- 监督意见书 -----------------------------------------------------------------------------
@transaction.atomic
def issue_opinion(
    matter: SupervisionMatter,
    *,
    issued_on: dt.date,
    problems: str,
    requirements: str,
    actor: Any,
) -> SupervisionOpinion:
    """制发并送达监督意见书: numbered, with the correction deadline (rule
    enforcement.supervision_correction, [U] 30日) opened as a core deadline."""
    if actor is not None:
        scope.ensure(actor, CHANGE, matter)
    locked = SupervisionMatter.objects.select_for_update().get(pk=matter.pk)
    if locked.status == c.MatterStatus.CLOSED:
        raise ValidationError("该监督事项已办结，不能再制发监督意见书。")
    errors = {}
    if not problems.strip():
        errors["problems"] = "请写明存在的问题。"
    if not requirements.strip():
        errors["requirements"] = "请写明纠正（整改）要求。"
    if issued_on < locked.started_on:
        errors["issued_on"] = f"送达日期不能早于监督启动日期（{locked.started_on}）。"
    elif issued_on > timezone.localdate():
        errors["issued_on"] = "送达日期不能晚于今天。"
    if errors:
        raise ValidationError(errors)
    opinion = SupervisionOpinion(
        township_id=locked.township_id,
        matter=locked,
        body=locked.body,
        issued_on=issued_on,
        problems=problems.strip(),
        requirements=requirements.strip(),
        due_on=_due(rules.CORRECTION, locked.township, issued_on),
    )
    _, opinion.number = numbering.next_number(locked.township_id, OPINION_KIND, year=issued_on.year)
    _save(opinion, None, actor)
    deadline = deadlines.open_deadline(opinion, rules.CORRECTION.code, issued_on, actor=actor)
    if deadline.due_date != opinion.due_on:  # the deadline is the authority (overrides, calendar)
        opinion.due_on = deadline.due_date
        opinion.save(update_fields=["due_on"])
    _event("enforcement.opinion_issued", f"制发监督意见书：{opinion.number}", opinion, actor)
    return opinion


@transaction.atomic
def report_correction(
    opinion: SupervisionOpinion,
    *,
    reported_on: dt.date,
    correction: str,
    actor: Any,
) -> SupervisionOpinion:
    """整改反馈: the body (its township's enforcement writers) reports what it corrected. The
    deadline is completed on the report date (逾期完成 when after the due date)."""
    if actor is not None:
        if not scope.visible(actor, opinion, VIEW):
            from django.http import Http404

            raise Http404("记录不存在或无权访问。")
        scope.ensure(actor, CHANGE, opinion.body)
    locked = SupervisionOpinion.objects.select_for_update().get(pk=opinion.pk)
    if locked.status == c.OpinionStatus.ACCEPTED:
        raise ValidationError("该意见书已确认整改完成。")
    if not correction.strip():
        raise ValidationError({"correction": "请填写整改情况。"})
    if reported_on < locked.issued_on:
        raise ValidationError({"reported_on": f"反馈日期不能早于送达日期（{locked.issued_on}）。"})
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": "反馈日期不能晚于今天。"})
    before = _snap(locked)
    locked.status = c.OpinionStatus.REPORTED
    locked.reported_on = reported_on
    locked.correction = correction.strip()
    _save(locked, before, actor)
    deadlines.complete_deadline(locked, rules.CORRECTION.code, reported_on, actor=actor)
    _event("enforcement.correction_reported", f"整改反馈：{locked.number}", locked, actor)
    return locked


@transaction.atomic
def review_correction(
    opinion: SupervisionOpinion,
    *,
    reviewed_on: dt.date,
    accepted: bool,
    note: str = "",
    actor: Any,
) -> SupervisionOpinion:
    """The supervisor confirms the correction (整改完成) or returns it (退回重新整改: the
    correction deadline reopens from the review date)."""
    if actor is not None:
        scope.ensure(actor, CHANGE, opinion.matter)
    locked = SupervisionOpinion.objects.select_for_update().get(pk=opinion.pk)
    if locked.status != c.OpinionStatus.REPORTED:
        raise ValidationError("整改单位尚未反馈整改情况。")
    if reviewed_on < (locked.reported_on or locked.issued_on):
        raise ValidationError({"reviewed_on": "确认日期不能早于整改反馈日期。"})
    if not accepted and not note.strip():
        raise ValidationError({"note": "退回重新整改须写明理由。"})
    before = _snap(locked)
    locked.review_note = note.strip()
    if accepted:
        locked.status = c.OpinionStatus.ACCEPTED
        locked.accepted_on = reviewed_on
    else:
        locked.status = c.OpinionStatus.ISSUED
        deadline = deadlines.open_deadline(locked, rules.CORRECTION.code, reviewed_on, actor=actor)
        locked.due_on = deadline.due_date
    _save(locked, before, actor)
    _event(
        "enforcement.correction_reviewed",
        f"{'确认整改完成' if accepted else '退回重新整改'}：{locked.number}",
        locked,
        actor,
    )
    return locked


def correction_deadline(opinion: SupervisionOpinion) -> Deadline | None:
    return deadlines.deadlines_for(opinion).filter(rule_code=rules.CORRECTION.code).last()


# --- risk signals (queries, not stored flags) -------------------------------------------------
@dataclass(frozen=True)
class Signal:
    code: str
    label: str
    township_id: int
    body_id: int | None
    record: Any  # the case or inspection
    detail: str
    case_id: int | None = None
    inspection_id: int | None = None

    @property
    def url(self) -> str:
        from django.urls import reverse

        if self.case_id:
            return reverse("enforcement:cases_detail", args=[self.case_id])
        return reverse("inspections:inspections_detail", args=[self.inspection_id])


def _case_signal(code: str, case: EnforcementCase, detail: str) -> Signal:
    return Signal(
        code=code,
        label=c.RiskSignal(code).label,
        township_id=case.township_id,
        body_id=case.body_id,
        record=case,
        detail=detail,
        case_id=case.pk,
    )


def signals(cases: QuerySet, inspections: QuerySet | None, today: dt.date) -> list[Signal]:
    """The risk signals the records show on `today`, from already-scoped querysets."""
    out: list[Signal] = []
    ordinary = cases.filter(procedure=c.Procedure.ORDINARY)
    # 1. past the (extended) 90日 decision deadline and still undecided
    overdue = Deadline.objects.filter(
        rule_code=rules.DECISION.code,
        status=DeadlineStatus.OPEN,
        due_date__lt=today,
        object_id__in=[
            str(pk) for pk in ordinary.filter(decided_on__isnull=True).values_list("pk", flat=True)
        ],
    ).values_list("object_id", "due_date")
    due_by_case = {int(pk): due for pk, due in overdue}
    for case in ordinary.filter(pk__in=due_by_case).select_related("body"):
        days = (today - due_by_case[case.pk]).days
        out.append(
            _case_signal(
                c.RiskSignal.CASE_OVERDUE,
                case,
                f"{case.number}：办案期限{due_by_case[case.pk]:%Y-%m-%d}届满，已超{days}日未作出决定",
            )
        )
    # 2. decided although 法制审核 was required and none passed before the decision
    decided = ordinary.filter(decided_on__isnull=False).select_related(
        "power", "body", "township__county"
    )
    with reference_data_fixed():  # each county's fine thresholds read once, not per case
        missing = [
            (case, triggers)
            for case in decided
            if case.procedure == c.Procedure.ORDINARY
            and (triggers := case.review_triggers())
            and passed_review(case, case.decided_on) is None
        ]
    for case, triggers in missing:
        why = "、".join(c.ReviewTrigger(t).label for t in triggers)
        out.append(
            _case_signal(
                c.RiskSignal.REVIEW_MISSING,
                case,
                f"{case.number}：{why}，决定前未经法制审核通过",
            )
        )
    # 3. disclosure overdue, or published after its due date
    late = Disclosure.objects.filter(case__in=cases).filter(
        Q(published_on__isnull=True, due_on__lt=today)
        | Q(published_on__isnull=False, published_on__gt=F("due_on"))
    )
    for d in late.select_related("case"):
        state = f"{d.published_on:%Y-%m-%d}才公示" if d.published_on else "仍未公示"
        out.append(
            _case_signal(
                c.RiskSignal.DISCLOSURE_LATE,
                d.case,
                f"{d.case.number}：应于{d.due_on:%Y-%m-%d}前公示，{state}",
            )
        )
    # 4. an open case handled by an 执法人员 without a valid certificate today
    open_cases = cases.filter(closed_on__isnull=True).exclude(status=c.CaseStatus.TERMINATED)
    for case in open_cases.prefetch_related("handlers__certificates"):
        missing = [
            h.name
            for h in case.handlers.all()
            if h.kind == c.OfficerKind.OFFICER and _valid(h, today) is None
        ]
        if missing:
            out.append(
                _case_signal(
                    c.RiskSignal.UNCERTIFIED_OFFICER,
                    case,
                    f"{case.number}：承办人员{'、'.join(missing)}今日无有效执法证件",
                )
            )
    # 5. inspections over the enterprise's yearly cap
    if inspections is not None:
        for insp in inspections.filter(over_cap=True).select_related("enterprise"):
            out.append(
                Signal(
                    code=c.RiskSignal.INSPECTION_OVER_CAP,
                    label=c.RiskSignal.INSPECTION_OVER_CAP.label,
                    township_id=insp.township_id,
                    body_id=insp.body_id,
                    record=insp,
                    detail=f"{insp.number or insp.code}：{insp.enterprise} {insp.warnings}".strip(),
                    inspection_id=insp.pk,
                )
            )
    return out


def _valid(officer: Officer, on: dt.date) -> Any:
    for cert in officer.certificates.all():
        if cert.state(on) in (c.CertificateState.VALID, c.CertificateState.EXPIRING):
            return cert
    return None


def signals_for(user: Any, today: dt.date | None = None) -> list[Signal]:
    """The queue a supervisor sees: the signals of the townships where they hold `supervise`."""
    from fazhi.inspections.models import Inspection

    today = today or timezone.localdate()
    townships = scope.township_ids(user, ADD, SupervisionMatter)
    cases = EnforcementCase.objects.visible_to(user, VIEW).filter(township_id__in=townships)
    inspections = Inspection.objects.visible_to(user, VIEW).filter(township_id__in=townships)
    return signals(cases, inspections, today)


__all__ = [
    "SUPERVISE",
    "Signal",
    "close_matter",
    "issue_opinion",
    "open_matter",
    "record_findings",
    "report_correction",
    "review_correction",
    "signals",
    "signals_for",
]
