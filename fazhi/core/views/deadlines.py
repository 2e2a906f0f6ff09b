"""Pages of the deadline engine: 我的期限, a deadline, 提醒, 节假日与调休, 期限规则.

Views validate input, call one service and render; every list goes through the scope gate.
"""

from __future__ import annotations

import collections
import datetime as dt
from typing import Any

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from fazhi.core import calendar as cal
from fazhi.core import deadlines as engine
from fazhi.core import rules as rulebook
from fazhi.core import scope
from fazhi.core import services as core_services
from fazhi.core.audit import history_for
from fazhi.core.choices import DayKind, DeadlineState, DeadlineUnit
from fazhi.core.forms import version_field
from fazhi.core.models import (
    CalendarDay,
    CalendarYear,
    County,
    Deadline,
    Notification,
    RuleOverride,
    Township,
)
from fazhi.core.roles import VIEW
from fazhi.core.views.generic import act_at_version, apply_errors, scope_history

PAGE_SIZE = 50

STATE_FILTERS = [
    ("open", "进行中（全部）"),
    (DeadlineState.OVERDUE.value, DeadlineState.OVERDUE.label),
    (DeadlineState.DUE_SOON.value, DeadlineState.DUE_SOON.label),
    (DeadlineState.ON_TIME.value, DeadlineState.ON_TIME.label),
    (DeadlineState.DONE.value, DeadlineState.DONE.label),
    (DeadlineState.DONE_LATE.value, DeadlineState.DONE_LATE.label),
    (DeadlineState.CANCELLED.value, DeadlineState.CANCELLED.label),
    (DeadlineState.PAUSED.value, DeadlineState.PAUSED.label),
    ("all", "全部"),
]


def _require_view(user: Any) -> None:
    if not scope.has_any(user, VIEW):
        raise PermissionDenied("您的角色无权查看期限。")


def _row(deadline: Deadline, today: dt.date) -> dict[str, Any]:
    state = engine.deadline_state(deadline, today)
    return {
        "obj": deadline,
        "state": state,
        "days_left": (deadline.due_date - today).days,
        "days_late": (today - deadline.due_date).days,
        "override_label": (
            rulebook.override_scope_label(deadline.override) if deadline.override else ""
        ),
    }


# --- 我的期限 ---------------------------------------------------------------------------------
@login_required
def my_deadlines(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    state = request.GET.get("state") or "open"
    if state not in dict(STATE_FILTERS):
        state = "open"
    mine_only = request.GET.get("mine") == "1"
    today = engine.today_local()
    qs = engine.my_deadlines(
        request.user, state="" if state == "all" else state, mine_only=mine_only, today=today
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/deadlines/my_deadlines.html",
        {
            "rows": [_row(d, today) for d in page],
            "page": page,
            "state": state,
            "states": STATE_FILTERS,
            "mine_only": mine_only,
            "today": today,
            "due_soon_days": engine.due_soon_days(),
            "query": query.urlencode(),
        },
    )


@login_required
def deadline_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        deadline = (
            Deadline.objects.visible_to(request.user, VIEW)
            .select_related(
                "township", "responsible", "leader", "override", "override__county", "content_type"
            )
            .get(pk=pk)
        )
    except Deadline.DoesNotExist:
        raise Http404("期限不存在或无权访问。") from None
    today = engine.today_local()
    try:
        rule = rulebook.get_rule(deadline.rule_code)
    except LookupError:
        rule = None
    return render(
        request,
        "core/deadlines/detail.html",
        {
            **_row(deadline, today),
            "rule": rule,
            "object_url": engine.object_url(deadline),
            "events": engine.deadline_events(deadline),
            "history": history_for(deadline).filter(scope_history(request.user))[:20],
        },
    )


# --- 提醒 -------------------------------------------------------------------------------------
@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    unread_only = request.GET.get("unread") == "1"
    visible = Deadline.objects.visible_to(request.user, VIEW).values("pk")
    mine = Notification.objects.filter(user=request.user).filter(
        Q(deadline__isnull=True) | Q(deadline__in=visible)
    )
    qs = mine.select_related("township", "deadline").order_by("read_at", "-created_at", "-pk")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/deadlines/notifications.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread": mine.filter(read_at__isnull=True).count(),
        },
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    _require_view(request.user)
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    engine.mark_read(request.user, [notification.pk])
    target = request.POST.get("next")
    if target == "open" and notification.url:
        return HttpResponseRedirect(notification.url)
    return HttpResponseRedirect(reverse("core:notifications"))


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    count = engine.mark_read(request.user)
    messages.success(request, f"已将{count}条提醒标为已读。")
    return HttpResponseRedirect(reverse("core:notifications"))


# --- 节假日与调休 -----------------------------------------------------------------------------
class _EntryVersion(forms.Form):
    """The version of the existing entry a correction confirms (core.services.AlreadyEntered):
    empty on a new entry, filled when the page showed an existing one."""

    version = version_field()


def _run_entry(form: forms.Form, run: Any) -> tuple[Any, int]:
    """Run an entry service with the version the form carried: (row, 0) or (None, status) with
    the refusal on the form — an existing entry is shown with its version for confirmation."""
    try:
        return run(form.cleaned_data.get("version")), 0
    except core_services.AlreadyEntered as exc:
        apply_errors(form, exc)
        form.data = form.data.copy()
        form.data["version"] = str(exc.row.version)
        return None, 400
    except core_services.ConflictError as exc:
        form.add_error(None, str(exc))
        return None, 409
    except ValidationError as exc:
        apply_errors(form, exc)
        return None, 400


class CalendarDayForm(_EntryVersion):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label="类型", choices=DayKind.choices)
    name = forms.CharField(
        label="名称", max_length=30, required=False, help_text="如：春节、国庆节调休上班"
    )


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    source = forms.CharField(
        label="依据",
        max_length=200,
        help_text="如：国务院办公厅关于2027年部分节假日安排的通知",
    )


def _calendar_context(
    request: HttpRequest, shown_year: int | None = None, **extra: Any
) -> dict[str, Any]:
    today = engine.today_local()
    try:
        year = int(shown_year or request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    if not 2000 <= year <= 2100:  # the years the calendar form accepts
        year = today.year
    first, last = cal.library_years()
    return {
        "year": year,
        "years": range(min(first, today.year - 1), max(last, today.year) + 3),
        "library_first": first,
        "library_last": last,
        "library_days": cal.library_days(year),
        "entered_days": CalendarDay.objects.filter(date__year=year).select_related("entered_by"),
        "confirmed_years": CalendarYear.objects.select_related("entered_by"),
        "year_known": cal.library_knows(year) or CalendarYear.objects.filter(year=year).exists(),
        "year_in_library": cal.library_knows(year),
        "can_manage": cal.can_manage_calendar(request.user),
        "day_form": CalendarDayForm(initial={"date": dt.date(year, 1, 1)}),
        "year_form": CalendarYearForm(initial={"year": year}),
        "flagged": Deadline.objects.visible_to(request.user, VIEW)
        .filter(status="open", calendar_unknown=True)
        .count(),
        **extra,
    }


@login_required
def calendar_admin(request: HttpRequest) -> HttpResponse:
    if not cal.can_view_calendar(request.user):
        raise PermissionDenied("只有管理员可以查看节假日与调休设置。")
    if request.method != "POST":
        return render(request, "core/deadlines/calendar.html", _calendar_context(request))
    if not cal.can_manage_calendar(request.user):
        raise PermissionDenied("只有平台管理员可以维护节假日与调休安排。")
    which = request.POST.get("form")
    form: forms.Form = (
        CalendarYearForm(request.POST) if which == "year" else CalendarDayForm(request.POST)
    )
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        if which == "year":
            row, status = _run_entry(
                form, lambda _v: cal.confirm_year(data["year"], data["source"], actor=request.user)
            )
        else:
            row, status = _run_entry(
                form,
                lambda v: cal.enter_day(
                    data["date"], data["kind"], data["name"], actor=request.user, expected_version=v
                ),
            )
        if row is not None:
            if which == "year":
                messages.success(request, f"已确认{row.year}年节假日安排完整录入。")
                year = row.year
            else:
                messages.success(request, f"已录入：{row}")
                year = row.date.year
            if getattr(row, "refreshed", 0):
                messages.info(request, f"已重新计算{row.refreshed}项估算的期限。")
            return HttpResponseRedirect(f"{reverse('core:calendar')}?year={year}")
    key = "year_form" if which == "year" else "day_form"
    return render(
        request,
        "core/deadlines/calendar.html",
        _calendar_context(request, **{key: form, "open_form": key}),
        status=status,
    )


@login_required
@require_POST
def calendar_day_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if not cal.can_manage_calendar(request.user):
        raise PermissionDenied("只有平台管理员可以维护节假日与调休安排。")
    day = get_object_or_404(CalendarDay, pk=pk)
    year = day.date.year
    form = forms.Form(request.POST)
    outcome = act_at_version(request, form, day, lambda: cal.remove_day(day, actor=request.user))
    if not outcome.ok:  # no version (400) or the day was changed meanwhile (409): nothing removed
        for error in form.non_field_errors():
            messages.error(request, error)
        return render(
            request,
            "core/deadlines/calendar.html",
            _calendar_context(request, shown_year=year),
            status=outcome.status,
        )
    messages.success(request, f"已撤销录入的{day.date.isoformat()}。")
    return HttpResponseRedirect(f"{reverse('core:calendar')}?year={year}")


# --- 期限规则 ---------------------------------------------------------------------------------
class OverrideForm(_EntryVersion):
    rule_code = forms.ChoiceField(label="规则")
    county = forms.ModelChoiceField(
        label="县(市、区)",
        queryset=County.objects.all(),
        required=False,
        help_text="选择县则只对该县生效；不选则按省(区)生效",
    )
    province = forms.CharField(label="省(区)", max_length=30, required=False)
    length = forms.IntegerField(
        label="期限长度",
        min_value=1,
        max_value=3650,
        help_text="数值规则（检查上限、阈值、分值、比例）填写调整后的数值",
    )
    unit = forms.ChoiceField(
        label="单位", choices=DeadlineUnit.choices, help_text="数值规则不按单位计算，选择任一项即可"
    )
    basis = forms.CharField(
        label="地方依据", max_length=200, help_text="如：某省信访条例实施办法第十条"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rules = rulebook.all_rules()
        labels = collections.Counter(r.label for r in rules)

        def shown(r: Any) -> str:  # the module's name tells two rules of the same name apart
            if labels[r.label] == 1:
                return r.label
            module = apps.get_app_config(r.code.partition(".")[0]).verbose_name
            return f"{r.label}（{module}）"

        self.fields["rule_code"].choices = [(r.code, shown(r)) for r in rules]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("county") and not (data.get("province") or "").strip():
            self.add_error("county", "请选择县(市、区)或填写省(区)。")
        return data


def _user_counties(user: Any) -> Any:
    return County.objects.filter(
        pk__in=Township.objects.visible_to(user, VIEW).values("county_id")
    ).order_by("province", "city", "name")


def _rules_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    user = request.user
    manager = rulebook.can_manage_overrides(user)
    counties = list(_user_counties(user))
    overrides = RuleOverride.objects.select_related("county", "entered_by").order_by(
        "rule_code", "county_id", "province"
    )
    if not scope.grant(user, VIEW).everything:
        provinces = {c.province for c in counties}
        overrides = overrides.filter(
            Q(county__in=counties) | Q(county__isnull=True, province__in=provinces)
        )
    overrides = list(overrides)
    by_rule: dict[str, list[RuleOverride]] = {}
    for o in overrides:
        by_rule.setdefault(o.rule_code, []).append(o)
    single = counties[0] if len(counties) == 1 else None
    rows = []
    for rule in rulebook.all_rules():
        in_force = None
        if single is not None:
            override = rulebook.override_in_force(by_rule.get(rule.code, []), single)
            in_force = rulebook.Effective(
                rule,
                override.length if override else rule.length,
                override.unit if override else rule.unit,
                override,
            )
        rows.append({"rule": rule, "overrides": by_rule.get(rule.code, []), "in_force": in_force})
    known = {r.code for r in rulebook.all_rules()}
    return {
        "rows": rows,
        "county": single,
        "counties": counties,
        "orphans": [o for o in overrides if o.rule_code not in known],
        "can_manage": manager,
        "form": OverrideForm() if manager else None,
        "conventions": rulebook.CONVENTIONS,
        "confidence_labels": rulebook.CONFIDENCE_LABELS,
        **extra,
    }


@login_required
def rules_page(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    if request.method != "POST":
        return render(request, "core/deadlines/rules.html", _rules_context(request))
    if not rulebook.can_manage_overrides(request.user):
        raise PermissionDenied("只有平台管理员可以调整期限规则。")
    form = OverrideForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        row, status = _run_entry(
            form,
            lambda v: rulebook.set_override(
                data["rule_code"],
                length=data["length"],
                unit=data["unit"],
                basis=data["basis"],
                county=data["county"],
                province=data["province"],
                actor=request.user,
                expected_version=v,
            ),
        )
        if row is not None:
            messages.success(request, f"已保存期限调整：{rulebook.override_scope_label(row)} {row}")
            return HttpResponseRedirect(reverse("core:rules"))
    return render(
        request, "core/deadlines/rules.html", _rules_context(request, form=form), status=status
    )


@login_required
@require_POST
def rule_override_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if not rulebook.can_manage_overrides(request.user):
        raise PermissionDenied("只有平台管理员可以调整期限规则。")
    override = get_object_or_404(RuleOverride, pk=pk)
    form = forms.Form(request.POST)
    outcome = act_at_version(
        request, form, override, lambda: rulebook.remove_override(override, actor=request.user)
    )
    if outcome.ok:
        messages.success(request, f"已撤销期限调整：{override}")
        return HttpResponseRedirect(reverse("core:rules"))
    for error in form.non_field_errors():
        messages.error(request, error)
    return render(
        request, "core/deadlines/rules.html", _rules_context(request), status=outcome.status
    )
