"""Workflow pages of the legal app. A view parses a form, calls one service, renders.

The generic resource pages (list, detail, edit, history, Excel) come from `resources.py`; these
add the review, contract and document actions, the coverage view and the rules page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone

from fazhi.core import scope
from fazhi.core.models import Township
from fazhi.core.roles import CHANGE, VIEW
from fazhi.core.views.generic import act_at_version
from fazhi.indicators import registry
from fazhi.indicators.registry import Period
from fazhi.legal import cases, coverage, forms, rules, services
from fazhi.legal.choices import CaseAction, ContractAction, DocumentAction, ReviewAction
from fazhi.legal.models import (
    Contract,
    Judgment,
    Litigation,
    NormativeDocument,
    Reconsideration,
    ReviewRequest,
)
from fazhi.legal.resources import (
    CONTRACTS,
    DOCUMENTS,
    JUDGMENTS,
    LITIGATIONS,
    RECONSIDERATIONS,
    REVIEWS,
)


@dataclass(frozen=True)
class ActionSpec:
    label: str
    form: type[forms.ActionForm]
    run: Callable[..., Any]
    done: str
    help: str = ""


def _sign(obj: Any, *, actor: Any, on: Any) -> Any:
    return services.sign_contract(obj, actor=actor, on=on)


ACTIONS: dict[str, dict[str, ActionSpec]] = {
    "reviews": {
        ReviewAction.CONCLUDE: ActionSpec(
            ReviewAction.CONCLUDE.label,
            forms.ConcludeForm,
            services.conclude_review,
            "已出具审查意见，意见已记入证据链",
            "重大行政决策的合法性审查应当听取法律顾问意见（《重大行政决策程序暂行条例》第二十八条）。",
        ),
        ReviewAction.WITHDRAW: ActionSpec(
            ReviewAction.WITHDRAW.label, forms.ReasonForm, services.withdraw_review, "已撤回送审"
        ),
    },
    "contracts": {
        ContractAction.SUBMIT: ActionSpec(
            ContractAction.SUBMIT.label,
            forms.SubmitForm,
            services.submit_contract,
            "已送合法性审查",
            "合同在取得合法性审查意见前不得签订。",
        ),
        ContractAction.SIGN: ActionSpec(
            ContractAction.SIGN.label,
            forms.OnForm,
            _sign,
            "已登记签订",
            "签订日期不能早于出具审查意见日期。",
        ),  # fmt: skip
        ContractAction.RECORD_UNREVIEWED: ActionSpec(
            ContractAction.RECORD_UNREVIEWED.label,
            forms.UnreviewedForm,
            services.record_unreviewed_contract,
            "已补录，该合同将在审查覆盖情况中列为未经审查",
        ),
        ContractAction.ABANDON: ActionSpec(
            ContractAction.ABANDON.label, forms.ReasonForm, services.abandon_contract, "已终止签订"
        ),
    },
    "documents": {
        DocumentAction.SUBMIT: ActionSpec(
            DocumentAction.SUBMIT.label,
            forms.SubmitForm,
            services.submit_document,
            "已送合法性审查",
        ),
        DocumentAction.ISSUE: ActionSpec(
            DocumentAction.ISSUE.label,
            forms.IssueForm,
            services.issue_document,
            "已登记公布施行",
            "行政规范性文件公布后应在规定期限内报送备案。",
        ),
        DocumentAction.RECORD_UNREVIEWED: ActionSpec(
            DocumentAction.RECORD_UNREVIEWED.label,
            forms.UnreviewedForm,
            services.record_unreviewed_document,
            "已补录，该文件将在审查覆盖情况中列为未经审查",
        ),
        DocumentAction.FILE: ActionSpec(
            DocumentAction.FILE.label, forms.FileForm, services.file_document, "已登记报备"
        ),
        DocumentAction.ABANDON: ActionSpec(
            DocumentAction.ABANDON.label, forms.ReasonForm, services.abandon_document, "已终止制定"
        ),
    },
}

ACTIONS["reconsiderations"] = {
    CaseAction.ANSWER: ActionSpec(
        "登记书面答复",
        forms.CaseAnswerForm,
        cases.answer_reconsideration,
        "已登记书面答复",
        "收到申请书副本之日起10个工作日内（简易程序5个工作日）提出书面答复（《行政复议法》第四十八条、第五十四条）。",
    ),
    CaseAction.DECIDE: ActionSpec(
        "登记复议决定", forms.ReconDecideForm, cases.decide_reconsideration, "已登记复议决定"
    ),
    CaseAction.PERFORM: ActionSpec(
        "登记履行",
        forms.PerformForm,
        cases.perform_reconsideration,
        "已登记履行复议决定",
        "被申请人应当履行行政复议决定（第七十七条）。",
    ),
}
ACTIONS["reconsiderations"].update(
    {
        "suspend": ActionSpec(
            "登记中止",
            forms.SuspendForm,
            cases.suspend_reconsideration,
            "已登记中止，中止期间期限不计算",
            "复议机关书面告知中止的，登记中止情形（《行政复议法》第三十九条）；中止期间答复期限"
            "暂停计算，恢复审理后按剩余期限继续计算（待确认）。",
        ),
        "resume": ActionSpec(
            "登记恢复审理",
            forms.ResumeForm,
            cases.resume_reconsideration,
            "已恢复审理，暂停的期限已恢复计算",
        ),
        "terminate": ActionSpec(
            "登记终止",
            forms.TerminateForm,
            cases.terminate_reconsideration,
            "已登记终止，进行中的期限已撤销",
        ),
    }
)
ACTIONS["litigations"] = {
    CaseAction.ANSWER: ActionSpec(
        "登记答辩",
        forms.CaseAnswerForm,
        cases.defend_litigation,
        "已登记答辩",
        "收到起诉状副本之日起15日内提交答辩状及证据、依据（《行政诉讼法》第六十七条）。",
    ),
    CaseAction.DECIDE: ActionSpec(
        "登记裁判", forms.JudgeForm, cases.judge_litigation, "已登记裁判"
    ),
    "appeal": ActionSpec(
        "登记上诉情况",
        forms.AppealForm,
        cases.record_appeal,
        "已登记上诉情况",
        "不服一审判决的，应在判决书送达之日起15日内提起上诉（《行政诉讼法》第八十五条）。",
    ),
    CaseAction.PERFORM: ActionSpec(
        "登记结案", forms.PerformForm, cases.perform_litigation, "已结案"
    ),
    "suspend": ActionSpec(
        "登记中止诉讼",
        forms.LitSuspendForm,
        cases.suspend_litigation,
        "已登记中止诉讼，答辩期限暂停计算",
        "法院裁定中止诉讼的，登记中止情形（《行政诉讼法》第六十一条第二款、第一百零一条）；"
        "中止期间答辩期限暂停计算（待确认）。",
    ),
    "resume": ActionSpec(
        "登记恢复诉讼",
        forms.LitResumeForm,
        cases.resume_litigation,
        "已恢复诉讼，暂停的期限已恢复计算",
    ),
    "end": ActionSpec(
        "登记诉讼终结",
        forms.LitEndForm,
        cases.end_litigation,
        "已登记诉讼终结，进行中的期限已撤销",
        "法院裁定终结诉讼的，登记终结情形（《行政诉讼法》第一百零一条，适用民事诉讼法；待确认）；"
        "诉讼终结不计为败诉。",
    ),
}
ACTIONS["judgments"] = {
    "perform": ActionSpec(
        "登记履行完毕",
        forms.PerformForm,
        cases.perform_judgment,
        "已登记履行，履行情况已记入证据链",
    ),
}

MODELS = {"reconsiderations": (Reconsideration, RECONSIDERATIONS),
          "litigations": (Litigation, LITIGATIONS), "judgments": (Judgment, JUDGMENTS),
          "reviews": (ReviewRequest, REVIEWS), "contracts": (Contract, CONTRACTS),
          "documents": (NormativeDocument, DOCUMENTS)}  # fmt: skip


def _object(request: HttpRequest, slug: str, pk: int, action: str = VIEW) -> Any:
    model, _resource = MODELS[slug]
    obj = model.objects.visible_to(request.user, VIEW).filter(pk=pk).first()
    if obj is None:
        raise Http404("记录不存在或无权访问。")
    if action != VIEW:
        scope.ensure(request.user, action, obj)
    return obj


@login_required
def act(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    """A workflow step on one record (its page or the case page's inline form), run at the
    version the form read (hidden `version`, act_at_version: missing 400, older 409, nothing
    written)."""
    spec = ACTIONS.get(slug, {}).get(action)
    if spec is None:
        raise Http404("没有该操作。")
    obj = _object(request, slug, pk, CHANGE)
    resource = MODELS[slug][1]
    form = spec.form(request.POST or None, obj=obj, user=request.user)
    if request.method == "GET" and "on" in form.fields:
        form.fields["on"].initial = timezone.localdate()
    status = 400
    if request.method == "POST" and form.is_valid():
        outcome = act_at_version(
            request, form, obj, lambda: spec.run(obj, actor=request.user, **form.service_kwargs())
        )
        if outcome.ok:
            messages.success(request, spec.done)
            return HttpResponseRedirect(resource.url("detail", obj))
        status = outcome.status
    return render(
        request,
        "legal/action.html",
        {
            "obj": obj,
            "form": form,
            "label": spec.label,
            "help": spec.help,
            "back": resource.url("detail", obj),
        },  # fmt: skip
        status=status if request.method == "POST" else 200,
    )


def township_and_year(request: HttpRequest, model: Any) -> tuple[list[Township], Township, Period]:
    """The townships the user may read `model` in, the chosen one and the chosen year."""
    if not scope.has_any(request.user, VIEW, model):
        raise PermissionDenied("您的角色无权查看该页面。")
    townships = list(
        Township.objects.visible_to(request.user, VIEW).select_related("county").order_by("name")
    )
    if not townships:
        raise PermissionDenied("您的角色无权查看该页面。")
    raw = request.GET.get("township")
    township = townships[0]
    if raw:
        township = next((t for t in townships if str(t.pk) == raw), None)
        if township is None:
            raise Http404("乡镇不存在或无权访问。")
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return townships, township, Period.year(max(2000, min(2100, year)))


COVERAGE_METRICS = (
    "legal.contract_review_rate",
    "legal.contract_advisor_rate",
    "legal.document_review_rate",
    "legal.filing_on_time_rate",
    "legal.review_on_time_rate",
    "legal.advisor_decision_rate",
)


@login_required
def coverage_page(request: HttpRequest) -> HttpResponse:
    """Every decision, document and contract that took effect in the year; the uncovered first."""
    townships, township, period = township_and_year(request, ReviewRequest)
    rows = coverage.items(township, period)
    codes = [c for c in COVERAGE_METRICS if c in {m.code for m in registry.metrics()}]
    codes += [m.code for m in registry.metrics("decisions") if m.code.endswith("review_rate")]
    figures = [registry.compute(code, township, period) for code in codes]
    return render(
        request,
        "legal/coverage.html",
        {
            "townships": townships,
            "township": township,
            "year": period.start.year,
            "gaps": [r for r in rows if not r.covered],
            "covered": [r for r in rows if r.covered],
            "figures": figures,
        },
    )


@login_required
def rules_page(request: HttpRequest) -> HttpResponse:
    from fazhi.core.rules import effective_rule

    if not scope.has_any(request.user, VIEW, ReviewRequest):
        raise PermissionDenied("您的角色无权查看该页面。")
    township = Township.objects.visible_to(request.user, VIEW).select_related("county").first()
    rows = [
        (rule, effective_rule(rule.code, township) if township is not None else None)
        for rule in rules.ALL_RULES
    ]
    return render(
        request,
        "legal/rules.html",
        {
            "rows": rows,
            "township": township,
            "conventions": rules.UNCONFIRMED_CONVENTIONS,
            "title": "合法性审查期限规则",
        },  # fmt: skip
    )
