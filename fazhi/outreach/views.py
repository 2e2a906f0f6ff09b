"""Workflow pages of the outreach module: a 普法 event entered from a phone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from fazhi.core import resources, scope
from fazhi.core.roles import ADD, CHANGE, IMPORT, VIEW
from fazhi.core.services import parse_version
from fazhi.core.views.generic import act_at_version
from fazhi.governance import targets
from fazhi.indicators import registry
from fazhi.indicators.registry import Period
from fazhi.outreach import forms as oforms
from fazhi.outreach import services
from fazhi.outreach.case import AidDetailView
from fazhi.outreach.forms import QuickEventForm
from fazhi.outreach.models import Event, LegalAidApplication, NeedsSurvey

#: the township figures a clerk sees change after entering an event
FIGURES = ("outreach.events", "outreach.audience", "outreach.materials", "outreach.banners")


def quick_event(request: HttpRequest) -> HttpResponse:
    """Phone-width entry of a 普法 event (the short form)."""
    if not scope.has_any(request.user, ADD, Event):
        raise PermissionDenied("您的角色无权登记普法活动。")
    form = QuickEventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(Event, form.changed_data_dict(), actor=request.user)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            return redirect("outreach:quick_event_done", pk=event.pk)
    return render(request, "outreach/quick_event.html", {"form": form})


def quick_event_done(request: HttpRequest, pk: int) -> HttpResponse:
    """After saving: the township's year figures and the outreach targets' progress."""
    event = get_object_or_404(Event.objects.visible_to(request.user, VIEW), pk=pk)
    year = event.held_on.year
    period = Period.year(year)
    figures = [registry.compute(code, event.township, period) for code in FIGURES]
    progress = [
        p
        for p in targets.progress_for(event.township, year)
        if p.target.metric_code.startswith("outreach.")
    ]
    return render(
        request,
        "outreach/quick_event_done.html",
        {"event": event, "figures": figures, "progress": progress, "year": year},
    )


def _township_year(request: HttpRequest, model: Any) -> tuple[Any, Any, int | None]:
    from fazhi.core.deadlines import today_local
    from fazhi.core.models import Township
    from fazhi.governance.forms import TownshipYearForm

    if not scope.has_any(request.user, VIEW, model):
        raise PermissionDenied("您的角色无权查看。")
    townships = Township.objects.visible_to(request.user, VIEW).order_by("county_id", "name")
    data = request.GET.copy()
    if "township" not in data and townships.exists():
        data["township"] = str(townships.first().pk)
    if "year" not in data:
        data["year"] = str(today_local().year)
    form = TownshipYearForm(data, townships=townships)
    if form.is_valid():
        return form, form.cleaned_data["township"], form.cleaned_data["year"]
    return form, None, None


def key_day_calendar(request: HttpRequest) -> HttpResponse:
    """普法日历: the year's key days month by month with the events held for each."""
    from fazhi.core.deadlines import today_local
    from fazhi.outreach import keydays

    form, township, year = _township_year(request, Event)
    cal = keydays.year_calendar(township, year, today_local()) if township is not None else None
    return render(
        request,
        "outreach/key_day_calendar.html",
        {"form": form, "township": township, "calendar": cal},
    )


def survey_summary(request: HttpRequest) -> HttpResponse:
    """普法需求调查汇总: the year's surveys by group, law, topic, form and village, each set
    against the next year's events that answer it."""
    from fazhi.outreach import survey

    form, township, year = _township_year(request, NeedsSurvey)
    summary = survey.summarise(township, year) if township is not None else None
    return render(
        request,
        "outreach/survey_summary.html",
        {"form": form, "summary": summary, "township": township},
    )


# --- legal aid workflow ----------------------------------------------------------------------
def _aid(request: HttpRequest, pk: int) -> LegalAidApplication:
    app = LegalAidApplication.objects.visible_to(request.user, VIEW).filter(pk=pk).first()
    if app is None:
        raise Http404("记录不存在或无权访问。")
    scope.ensure(request.user, CHANGE, app)
    return app


def _aid_step(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.Form],
    call: Callable[[LegalAidApplication, dict[str, Any], int], Any],
    done: str,
) -> HttpResponse:
    """A step of the legal-aid case page, posted with the version the page showed: done → back
    to the page; a bad entry, a missing version (400) or an application changed meanwhile (409)
    → the case page again with the errors, nothing written."""
    app = _aid(request, pk)
    form = form_class(request.POST)
    status = 400
    if form.is_valid():
        outcome = act_at_version(
            request,
            form,
            app,
            # act_at_version has checked the version under the lock; the service checks the same
            lambda: call(app, form.cleaned_data, parse_version(request.POST.get("version"))),
        )
        if outcome.ok:
            messages.success(request, done)
            return redirect("outreach:aid_detail", pk=app.pk)
        status = outcome.status
    for name, errs in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for e in errs:
            messages.error(request, f"{label}：{e}" if label else e)
    page = AidDetailView(resource=resources.get("outreach", "aid"))
    page.setup(request, pk=app.pk)
    response = page.get(request, app.pk)
    response.status_code = status
    return response


@login_required
@require_POST
def aid_forward(request: HttpRequest, pk: int) -> HttpResponse:
    return _aid_step(
        request,
        pk,
        oforms.AidForwardForm,
        lambda app, d, version: services.forward_aid(
            app,
            on=d["forwarded_on"],
            to=d["forwarded_to"],
            actor=request.user,
            expected_version=version,
        ),
        "已转交法律援助中心。",
    )


@login_required
@require_POST
def aid_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _aid_step(
        request,
        pk,
        oforms.AidDecideForm,
        lambda app, d, version: services.decide_aid(
            app,
            granted=d["granted"],
            on=d["decided_on"],
            note=d["decision_note"],
            undertaker=d["undertaker"],
            actor=request.user,
            expected_version=version,
        ),
        "已登记审查决定。",
    )


@login_required
@require_POST
def aid_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _aid_step(
        request,
        pk,
        oforms.AidWithdrawForm,
        lambda app, d, version: services.withdraw_aid(
            app, on=d["withdrawn_on"], actor=request.user, expected_version=version
        ),
        "已登记撤回。",
    )


# --- the clerks' own ledgers -----------------------------------------------------------------
@login_required
def ledger_import(request: HttpRequest) -> HttpResponse:
    """Upload a 普法/明白人/咨询/学法/会议 ledger in the clerk's own column layout."""
    from fazhi.outreach import ledger as ledgers

    allowed = [
        lg
        for lg in ledgers.LEDGERS.values()
        if scope.has_any(request.user, IMPORT, lg.resource.model)
    ]
    if not allowed:
        raise PermissionDenied("您的角色无权导入台账。")
    context: dict[str, Any] = {"ledgers": allowed, "chosen": request.POST.get("kind", "")}
    if request.method == "POST":
        chosen = next((lg for lg in allowed if lg.key == request.POST.get("kind")), None)
        upload = request.FILES.get("file")
        if chosen is None or upload is None:
            context["error"] = "请选择台账类型和要导入的 Excel 文件。"
            return render(request, "outreach/ledger_import.html", context, status=400)
        result = ledgers.import_ledger(chosen.key, upload, actor=request.user)
        if result.errors:
            context["result"] = result
            return render(request, "outreach/ledger_import.html", context, status=400)
        if result.job_id:
            messages.info(request, f"文件较大，已转为后台任务处理（任务号 {result.job_id}）。")
        else:
            messages.success(
                request,
                f"{chosen.title}导入完成：新建 {result.created} 条，更新 {result.updated} 条，"
                f"未变 {result.unchanged} 条。",
            )
        return redirect(chosen.resource.url("list"))
    return render(request, "outreach/ledger_import.html", context)
