"""The county's assessment pages and the Excel exports of the comparison and the assessment."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from fazhi.core import scope
from fazhi.core.choices import Role
from fazhi.core.models import County, Membership, Township
from fazhi.core.roles import VIEW
from fazhi.indicators import assessment, registry
from fazhi.indicators.assessment import evaluate
from fazhi.indicators.forms import metric_choices
from fazhi.indicators.models import AssessmentItem, AssessmentScheme
from fazhi.indicators.views import metric_or_404, period_from_request, supervised_counties

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def managed_counties(user: Any):
    """Counties whose schemes the user may set: county supervisors; a platform admin."""
    if scope.grant(user, VIEW).everything:
        return County.objects.all()
    ids = Membership.objects.filter(
        user=user, county__isnull=False, role=Role.COUNTY_SUPERVISOR
    ).values("county_id")
    return County.objects.filter(pk__in=ids)


class SchemeForm(forms.ModelForm):
    class Meta:
        model = AssessmentScheme
        fields = ["county", "year", "name", "rank", "note"]


class ItemForm(forms.ModelForm):
    class Meta:
        model = AssessmentItem
        fields = ["metric_code", "weight", "rule", "standard"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric_code"] = forms.ChoiceField(label="指标", choices=metric_choices())


def _scheme(user: Any, pk: int) -> AssessmentScheme:
    try:
        return AssessmentScheme.objects.select_related("county").get(
            pk=pk, county__in=supervised_counties(user)
        )
    except AssessmentScheme.DoesNotExist:
        raise Http404("考核方案不存在或无权访问。") from None


def _xlsx(rows: list[list[Any]], title: str) -> HttpResponse:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title)}.xlsx"
    return response


@login_required
def scheme_list(request: HttpRequest) -> HttpResponse:
    counties = supervised_counties(request.user)
    if not counties.exists():
        raise PermissionDenied("只有县级督导可以设置和查看考核方案。")
    managed = managed_counties(request.user)
    form = SchemeForm(request.POST or None)
    form.fields["county"].queryset = managed
    status = 200
    if request.method == "POST":
        if not managed.exists():
            raise PermissionDenied("您的角色不能设置考核方案。")
        if form.is_valid():
            with transaction.atomic():
                scheme = form.save()
                assessment.record_version(scheme, "制定方案", actor=request.user, expected=None)
            return redirect("indicators:assessment", scheme.pk)
        status = 400
    schemes = AssessmentScheme.objects.filter(county__in=counties).select_related("county")
    return render(
        request,
        "indicators/assessment_list.html",
        {"schemes": schemes, "form": form, "can_manage": managed.exists()},
        status=status,
    )


@login_required
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = _scheme(request.user, pk)
    can_manage = managed_counties(request.user).filter(pk=scheme.county_id).exists()
    form = ItemForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("您的角色不能修改考核方案。")
        expected = _expected_version(request)
        if form.is_valid() and expected is not None:
            item = form.save(commit=False)
            item.scheme = scheme
            try:
                with transaction.atomic():
                    item.full_clean()
                    item.save()
                    assessment.record_version(
                        scheme,
                        f"新增指标：{_item_text(item)}",
                        actor=request.user,
                        expected=expected,
                    )
            except ValidationError as exc:
                for name, errs in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errs)
                status = 400
            except assessment.StaleScheme as exc:
                form.add_error(None, _stale_message(exc))
                status = 400
            else:
                return redirect("indicators:assessment", scheme.pk)
        else:
            if expected is None:
                form.add_error(None, "缺少所读方案的版本号，请刷新页面后再修改。")
            status = 400
    townships = list(
        Township.objects.visible_to(request.user, VIEW)
        .filter(county=scheme.county)
        .order_by("name")
    )
    version = _version_or_404(request, scheme)
    results = evaluate(scheme, townships, version)
    labels = {m.code: m.label for m in registry.metrics()}
    items = list(scheme.items.all())
    for i in items:
        i.label = labels.get(i.metric_code, i.metric_code)  # type: ignore[attr-defined]
    versions = list(scheme.versions.select_related("created_by").order_by("-number"))
    return render(
        request,
        "indicators/assessment.html",
        {
            "scheme": scheme,
            "items": items,
            "results": results,
            "form": form,
            "can_manage": can_manage,
            "version": version,
            "versions": versions,
            "current": versions[0].number if versions else 0,
            "result_items": [
                (labels.get(i.metric_code, i.metric_code), i.weight)
                for i in (assessment.items_of(version) if version is not None else items)
            ],
        },
        status=status,
    )


def _item_text(item: AssessmentItem) -> str:
    try:
        label = registry.metric(item.metric_code).label
    except registry.UnknownMetric:
        label = item.metric_code
    standard = f"，标准值{item.standard}" if item.standard is not None else ""
    return f"{label}（{Decimal(item.weight):.1f}分，{item.get_rule_display()}{standard}）"


def _expected_version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _stale_message(exc: assessment.StaleScheme) -> str:
    return f"方案已被他人修改（现为第{exc.args[0]}版），请刷新页面，在最新版本上修改。"


def _version_or_404(request: HttpRequest, scheme: AssessmentScheme) -> Any:
    raw = request.GET.get("version")
    if not raw:
        return assessment.version_in_force(scheme)
    try:
        number = int(raw)
    except ValueError:
        raise Http404("方案版本不存在。") from None
    version = assessment.version_in_force(scheme, number)
    if version is None:
        raise Http404("方案版本不存在。")
    return version


@login_required
@require_POST
def item_delete(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    scheme = _scheme(request.user, pk)
    if not managed_counties(request.user).filter(pk=scheme.county_id).exists():
        raise PermissionDenied("您的角色不能修改考核方案。")
    expected = _expected_version(request)
    if expected is None:
        raise BadRequest("缺少所读方案的版本号，请刷新页面后再修改。")
    row = AssessmentItem.objects.filter(scheme=scheme, pk=item).first()
    if row is None:
        raise Http404("考核指标不存在。")
    try:
        with transaction.atomic():
            text = _item_text(row)
            row.delete()
            assessment.record_version(
                scheme, f"删除指标：{text}", actor=request.user, expected=expected
            )
    except assessment.StaleScheme as exc:
        return HttpResponse(
            _stale_message(exc), status=409, content_type="text/plain; charset=utf-8"
        )
    return redirect("indicators:assessment", scheme.pk)


@login_required
def scheme_export(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = _scheme(request.user, pk)
    townships = list(
        Township.objects.visible_to(request.user, VIEW)
        .filter(county=scheme.county)
        .order_by("name")
    )
    version = _version_or_404(request, scheme)
    results = evaluate(scheme, townships, version)
    items = assessment.items_of(version) if version is not None else list(scheme.items.all())
    head = ["乡镇"]
    for i in items:
        label = registry.metric(i.metric_code).label
        head += [f"{label}（数据）", f"{label}（得分/{i.weight}）"]
    head += ["总分", "满分"] + (["排名"] if scheme.rank else [])
    rows: list[list[Any]] = [head]
    for r in results:
        row: list[Any] = [r.township.name]
        for s in r.scores:
            row += [s.figure.display, float(s.points)]
        row += [float(r.total), float(r.possible)] + ([r.rank] if scheme.rank else [])
        rows.append(row)
    if version is not None:
        rows.append([])
        rows.append(
            [
                f"按第{version.number}版计分（{timezone.localtime(version.created_at):%Y-%m-%d %H:%M}起施行）"
            ]
        )
    return _xlsx(rows, str(scheme))


@login_required
def compare_export(request: HttpRequest, code: str) -> HttpResponse:
    """The comparison page as Excel: each township's figure with its counts and status."""
    counties = supervised_counties(request.user)
    if not counties.exists():
        raise PermissionDenied("只有县级督导可以对比各乡镇指标。")
    m = metric_or_404(code)
    period = period_from_request(request)
    county_id = request.GET.get("county")
    county = counties.filter(pk=county_id).first() if county_id else counties.first()
    if county is None:
        raise Http404("县(市、区)不存在或无权访问。")
    townships = (
        Township.objects.visible_to(request.user, VIEW).filter(county=county).order_by("name")
    )
    comparison = registry.compare(code, townships, period)
    rows: list[list[Any]] = [["乡镇", m.label, "分子", "分母", "状态", "统计期"]]
    for t, f in comparison.rows:
        rows.append([t.name, f.display, f.numerator, f.denominator, f.status_label, period.label])
    return _xlsx(rows, f"{county.name}{period.label}{m.label}")
