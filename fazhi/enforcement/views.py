"""Pages of the enforcement module beyond the generic ones. A view validates input, calls one
service, renders; the scope gate decides 404 vs 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import resolve, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core import attachments, scope
from fazhi.core.roles import CHANGE, VIEW
from fazhi.core.views.generic import act_at_version
from fazhi.enforcement import cases, documents, services
from fazhi.enforcement import forms as ef
from fazhi.enforcement.models import Certificate, Disclosure, EnforcementCase


@login_required
def certificate_warnings(request: HttpRequest) -> HttpResponse:
    """Certificates that expire soon, have expired or missed the yearly check (scoped)."""
    if not scope.has_any(request.user, VIEW, Certificate):
        raise PermissionDenied("您的角色无权查看执法证件。")
    today = timezone.localdate()
    warnings = services.certificate_warnings(
        Certificate.objects.visible_to(request.user, VIEW), today
    )
    return render(
        request, "enforcement/certificate_warnings.html", {"warnings": warnings, "today": today}
    )


# --- case steps -----------------------------------------------------------------------------
def _get_case(request: HttpRequest, pk: int, action: str = VIEW) -> EnforcementCase:
    obj = EnforcementCase.objects.visible_to(request.user, VIEW).filter(pk=pk).first()
    if obj is None:
        raise Http404("记录不存在或无权访问。")
    if action != VIEW:
        scope.ensure(request.user, action, obj)
    return obj


def _record(request: HttpRequest, case: EnforcementCase, form: Any) -> Any:
    with transaction.atomic():
        files = []
        upload = request.FILES.get("files")
        if upload is not None:
            files.append(
                attachments.store(upload, township=case.township, obj=case, actor=request.user)
            )
        d = form.cleaned_data
        return cases.record_step(
            case,
            step=d["step"],
            form=d["form"],
            occurred_at=d["occurred_at"],
            place=d["place"],
            summary=d["summary"],
            attachments=files,
            actor=request.user,
        )


def _disclosure(case: EnforcementCase) -> Any:
    found = Disclosure.objects.filter(case=case).first()
    if found is None:
        raise ValidationError("该案件尚未作出决定，没有公示内容。")
    return found


STEPS: dict[str, tuple[type[forms.Form], Callable[..., Any]]] = {
    "record": (ef.RecordStepForm, _record),
    "notify": (ef.NotifyForm, lambda r, k, f: cases.notify(k, actor=r.user, **f.cleaned_data)),
    "statement": (
        ef.StatementForm,
        lambda r, k, f: cases.record_statement(k, actor=r.user, **f.cleaned_data),
    ),
    "hearing": (
        ef.HearingForm,
        lambda r, k, f: cases.request_hearing(k, actor=r.user, **f.cleaned_data),
    ),
    "submit_review": (
        ef.SubmitReviewForm,
        lambda r, k, f: cases.submit_review(k, actor=r.user, **f.cleaned_data),
    ),
    "complete_review": (
        ef.CompleteReviewForm,
        lambda r, k, f: cases.complete_review(
            _pending_review(k, f),
            reviewed_on=f.cleaned_data["reviewed_on"],
            points=f.points(),
            opinion=f.cleaned_data["opinion"],
            passed=f.cleaned_data["passed"],
            actor=r.user,
        ),
    ),
    "extend": (ef.ExtendForm, lambda r, k, f: cases.extend(k, actor=r.user, **f.cleaned_data)),
    "decide": (ef.DecideForm, lambda r, k, f: cases.decide(k, actor=r.user, **f.cleaned_data)),
    "serve": (ef.ServeForm, lambda r, k, f: cases.serve(k, actor=r.user, **f.cleaned_data)),
    "pay": (ef.PayForm, lambda r, k, f: cases.record_payment(k, actor=r.user, **f.cleaned_data)),
    "close": (ef.CloseForm, lambda r, k, f: cases.close(k, actor=r.user, **f.cleaned_data)),
    "terminate": (
        ef.TerminateForm,
        lambda r, k, f: cases.terminate(k, actor=r.user, **f.cleaned_data),
    ),
    "publish": (
        ef.PublishForm,
        lambda r, k, f: cases.publish(_disclosure(k), actor=r.user, **f.cleaned_data),
    ),
    "withdraw": (
        ef.WithdrawForm,
        lambda r, k, f: cases.withdraw(_disclosure(k), actor=r.user, **f.cleaned_data),
    ),
    "file_review": (
        ef.FileReviewForm,
        lambda r, k, f: cases.review_file(
            k,
            reviewed_on=f.cleaned_data["reviewed_on"],
            reviewer=f.cleaned_data["reviewer"],
            scores=f.scores(),
            note=f.cleaned_data["note"],
            actor=r.user,
        ),
    ),
}


def _form_messages(request: HttpRequest, form: forms.Form) -> None:
    for name, errs in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for e in errs:
            messages.error(request, f"{label}：{e}" if label else e)


def run_step(
    request: HttpRequest,
    form: forms.Form,
    call: Callable[..., Any],
    obj: Any,
    target: Callable[[Any, forms.Form], Any] | None = None,
) -> int | None:
    """A workflow step posted from a case page, run at the version the page read (hidden
    `version`, checked by act_at_version on `target(obj, form)` — the record the step changes,
    `obj` itself by default — in the step's transaction). None when it was taken (已保存); else the
    HTTP status of the refusal (400: the form's errors named by field, the service's refusal or
    no version; 409: the record changed since the page was read), its reasons in messages and
    nothing written."""
    if not form.is_valid():
        _form_messages(request, form)
        return 400
    try:
        acted_on = target(obj, form) if target is not None else obj
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
        return 400
    outcome = act_at_version(
        request,
        form,
        acted_on,
        lambda: call(request, obj, form),
        lock_first=[obj] if acted_on is not obj else [],  # the case before its review/disclosure
    )
    if not outcome.ok:
        _form_messages(request, form)
        return outcome.status
    messages.success(request, "已保存。")
    return None


def refused_page(request: HttpRequest, url: str, status: int) -> HttpResponse:
    """The record's page at `url` as it is now (its view's GET), with the refusal's messages,
    answered with `status`: a refused step is not a redirect."""
    match = resolve(url)
    view = match.func.view_class(**match.func.view_initkwargs)
    view.setup(request, *match.args, **match.kwargs)
    response = view.get(request, *match.args, **match.kwargs)
    response.status_code = status
    return response


def _pending_review(case: EnforcementCase, form: forms.Form) -> Any:
    found = case.reviews.filter(passed__isnull=True).order_by("-pk").first()
    if found is None:
        raise ValidationError("该案件没有待出具意见的法制审核。")
    return found


#: the steps that change a record beside the case (its version is the one the form carries)
TARGETS: dict[str, Callable[[EnforcementCase, forms.Form], Any]] = {
    "complete_review": _pending_review,
    "publish": lambda k, f: _disclosure(k),
    "withdraw": lambda k, f: _disclosure(k),
}


@login_required
@require_POST
def case_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One step of the case: validate the form, call one service at the version the page read,
    back to the case page (or the case page again with the refusal: 400/409)."""
    case = _get_case(request, pk, CHANGE)
    if step not in STEPS:
        raise Http404("没有该办理环节。")
    form_class, call = STEPS[step]
    kwargs: dict[str, Any] = {}
    if form_class is ef.SubmitReviewForm:
        kwargs["case"] = case
    elif form_class is ef.FileReviewForm:
        kwargs["township"] = case.township
    form = form_class(request.POST, request.FILES, **kwargs)
    status = run_step(request, form, call, case, TARGETS.get(step))
    page = reverse("enforcement:cases_detail", args=[case.pk])
    return redirect(page) if status is None else refused_page(request, page, status)


@login_required
def case_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """立案审批表 before the decision, 处罚决定书 (Art. 59 contents) after it."""
    case = _get_case(request, pk)
    content, filename = documents.render(case)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


#: the case's further documents: kind → (renderer, whether the case has reached it)
DOCUMENTS: dict[str, tuple[Callable[[EnforcementCase], tuple[bytes, str]], Callable[..., Any]]] = {
    "notice": (documents.render_notice, lambda k: k.notified_on is not None),
    "receipt": (documents.render_receipt, lambda k: bool(k.decision_number)),
}


@login_required
def case_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """行政处罚事先告知书 (once notified) and 送达回证 (once decided)."""
    case = _get_case(request, pk)
    if kind not in DOCUMENTS or not DOCUMENTS[kind][1](case):
        raise Http404("该案件尚无此文书。")
    content, filename = DOCUMENTS[kind][0](case)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
