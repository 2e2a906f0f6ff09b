"""Pages of the annual report: the township's drafts, editing, signing, sending, publishing;
the county's collection board; the public page of a published report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core import scope
from fazhi.core.audit import township_of
from fazhi.core.models import ChangeRecord, Township
from fazhi.core.roles import ADD, CHANGE, VIEW
from fazhi.core.services import ConflictError
from fazhi.reports import annual, output
from fazhi.reports.models import AnnualReport, ReportParagraph, ReportStatus


def _year(request: HttpRequest, default: int | None = None) -> int:
    raw = (
        request.POST.get("year")
        or request.GET.get("year")
        or str(default or timezone.localdate().year - 1)
    )
    try:
        year = int(raw)
    except ValueError:
        raise BadRequest("年度应为四位数字，如 2025。") from None
    if not 2000 <= year <= 2100:
        raise BadRequest("年度应在 2000 至 2100 之间。")
    return year


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version")
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise BadRequest("版本号无效。") from None


def report_or_404(user: Any, pk: int, action: str = VIEW) -> AnnualReport:
    if not scope.has_any(user, VIEW):
        raise PermissionDenied("您的角色无权查看年度报告。")
    try:
        report = (
            AnnualReport.objects.visible_to(user, VIEW)
            .select_related("township", "township__county")
            .get(pk=pk)
        )
    except AnnualReport.DoesNotExist:
        raise Http404("报告不存在或无权访问。") from None
    if action != VIEW:
        scope.ensure(user, action, report)
    return report


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def annual_list(request: HttpRequest) -> HttpResponse:
    if not scope.has_any(request.user, VIEW):
        raise PermissionDenied("您的角色无权查看年度报告。")
    year = _year(request)
    townships = list(
        Township.objects.visible_to(request.user, VIEW).select_related("county").order_by("name")
    )
    reports = {
        r.township_id: r
        for r in AnnualReport.objects.visible_to(request.user, VIEW).filter(year=year)
    }
    writable = {t.pk for t in scope.writable_townships(request.user, ADD, AnnualReport)}
    rows = [(t, reports.get(t.pk), t.pk in writable) for t in townships]
    return render(
        request,
        "reports/annual_list.html",
        {
            "rows": rows,
            "year": year,
            "submit_due": annual.submit_due(year),
            "publish_due": annual.publish_due(year),
        },
    )


@login_required
@require_POST
def annual_start(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    try:
        township = Township.objects.visible_to(request.user, VIEW).get(
            pk=int(request.POST.get("township") or 0)
        )
    except (ValueError, Township.DoesNotExist):
        raise Http404("乡镇不存在或无权访问。") from None
    report = annual.start_report(township, year, actor=request.user)
    return redirect("reports:annual_detail", report.pk)


@login_required
def annual_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_or_404(request.user, pk)
    rendered = annual.render(report)
    result = annual.check(rendered)
    problems = annual.blocking_problems(rendered, result)
    latest = report.latest_version
    findings = annual.privacy_findings(report, latest.text) if latest else []
    return render(
        request,
        "reports/annual_detail.html",
        {
            "report": report,
            "rendered": rendered,
            "paragraphs": output.html_paragraphs(rendered),
            "result": result,
            "problems": problems,
            "versions": report.versions.order_by("-number"),
            "latest": latest,
            "findings": findings,
            "can_change": scope.visible(request.user, report, CHANGE),
            "submit_due": annual.submit_due(report.year),
            "publish_due": annual.publish_due(report.year),
            "proposed": _proposed(report) if scope.visible(request.user, report, CHANGE) else [],
            "formats": [("docx", "Word"), ("pdf", "PDF"), ("html", "网页"), ("txt", "纯文本")],
        },
    )


def _proposed(report: AnnualReport) -> list[dict[str, Any]]:
    from fazhi.reports import generate

    if generate._target_model() is None or generate._targets(report.township, report.year + 1):
        return []
    figures = generate.Figures.compute(report.township, report.year)
    return generate.proposed_targets(figures)


@login_required
def paragraph_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        paragraph = (
            ReportParagraph.objects.visible_to(request.user, VIEW)
            .select_related("report")
            .get(pk=pk)
        )
    except ReportParagraph.DoesNotExist:
        raise Http404("段落不存在或无权访问。") from None
    scope.ensure(request.user, CHANGE, paragraph)
    error = ""
    status = 200
    if request.method == "POST":
        try:
            annual.edit_paragraph(
                paragraph,
                request.POST.get("text", ""),
                actor=request.user,
                expected_version=_version(request),
            )
        except ConflictError as exc:
            error, status = str(exc), 409
        except ValidationError as exc:
            error, status = "；".join(exc.messages), 400
        else:
            messages.success(request, "段落已保存。")
            return redirect(
                reverse("reports:annual_detail", args=[paragraph.report_id]) + f"#p{pk}"
            )
    ct = ContentType.objects.get_for_model(ReportParagraph)
    # filed under the paragraph's township (`audit.township_of`: none, a paragraph has none of
    # its own): the history's index leads with it (IS NULL is an index search too)
    history = ChangeRecord.objects.filter(
        township_id=township_of(paragraph), content_type=ct, object_id=str(pk)
    ).order_by("-pk")[:20]
    return render(
        request,
        "reports/paragraph_edit.html",
        {
            "paragraph": paragraph,
            "report": paragraph.report,
            "text": request.POST.get("text", paragraph.text),
            "error": error,
            "history": history,
        },
        status=status,
    )


def _act(request: HttpRequest, pk: int, verb: Any) -> HttpResponse:
    report = report_or_404(request.user, pk, CHANGE)
    try:
        verb(report)
    except ConflictError as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("reports:annual_detail", report.pk)


@login_required
@require_POST
def annual_sign(request: HttpRequest, pk: int) -> HttpResponse:
    def verb(report: AnnualReport) -> None:
        v = annual.sign(
            report,
            request.POST.get("signed_by", ""),
            actor=request.user,
            expected_version=_version(request),
        )
        messages.success(request, f"已签发第{v.number}版（SHA-256 {v.sha256[:16]}…）。")

    return _act(request, pk, verb)


@login_required
@require_POST
def annual_submit(request: HttpRequest, pk: int) -> HttpResponse:
    def verb(report: AnnualReport) -> None:
        r = annual.submit(report, actor=request.user, expected_version=_version(request))
        messages.success(request, "已报送县级。" + ("（逾期）" if r.submitted_late else ""))

    return _act(request, pk, verb)


@login_required
@require_POST
def annual_publish(request: HttpRequest, pk: int) -> HttpResponse:
    def verb(report: AnnualReport) -> None:
        r = annual.publish(
            report,
            request.POST.getlist("cleared"),
            actor=request.user,
            expected_version=_version(request),
        )
        messages.success(request, "已在公开平台发布。" + ("（逾期）" if r.published_late else ""))

    return _act(request, pk, verb)


@login_required
@require_POST
def annual_save_targets(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the plan's proposed targets as next year's targets (governance.Target)."""

    def verb(report: AnnualReport) -> None:
        from fazhi.governance.targets import set_target

        proposed = _proposed(report)
        if not proposed:
            raise ValidationError("没有可保存的建议目标（下一年度目标已存在）。")
        for p in proposed:
            set_target(
                report.township,
                report.year + 1,
                p["metric_code"],
                p["comparator"],
                p["value"],
                wording=p["wording"],
                actor=request.user,
            )
        messages.success(request, f"已保存{len(proposed)}项{report.year + 1}年目标。")

    return _act(request, pk, verb)


@login_required
def annual_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = report_or_404(request.user, pk)
    if fmt not in output.FORMATS:
        raise Http404("不支持的格式。")
    number = request.GET.get("version")
    if number:
        try:
            version = report.versions.get(number=int(number))
        except (ValueError, report.versions.model.DoesNotExist):
            raise Http404("版本不存在。") from None
        rendered = annual.frozen(version)
        suffix = f"第{version.number}版"
    else:
        rendered = annual.render(report)
        suffix = "草稿"
    data, content_type = output.export(rendered, fmt)
    response = HttpResponse(data, content_type=content_type)
    from urllib.parse import quote

    name = quote(f"{report.title}（{suffix}）.{fmt}")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


# --- the county -----------------------------------------------------------------------------
STATUS_ORDER = ["not_started", *[s.value for s in ReportStatus]]


@login_required
def county_board(request: HttpRequest) -> HttpResponse:
    """Each township's report for the year: status, dates (late ones counted), checker findings."""
    from fazhi.indicators.views import supervised_counties

    counties = supervised_counties(request.user)
    if not counties.exists():
        raise PermissionDenied("只有县级督导可以查看各乡镇报告的收集情况。")
    year = _year(request)
    county_id = request.GET.get("county")
    county = counties.filter(pk=county_id).first() if county_id else counties.first()
    if county is None:
        raise Http404("县(市、区)不存在或无权访问。")
    townships = (
        Township.objects.visible_to(request.user, VIEW).filter(county=county).order_by("name")
    )
    reports = {
        r.township_id: r for r in AnnualReport.objects.filter(township__in=townships, year=year)
    }
    from fazhi.reports.handwritten import latest_by_township

    uploads = latest_by_township(townships, year)
    today = timezone.localdate()
    rows = []
    counts = {"late_submit": 0, "late_publish": 0, "not_submitted": 0}
    board = annual.board_findings(reports, year)
    for t in townships:
        r = reports.get(t.pk)
        findings = board.get(t.pk)
        upload = uploads.get(t.pk)
        submitted = r is not None and r.submitted_at is not None
        if not submitted and upload is not None:
            # a township off the platform sends its report by uploading it
            submit_late = timezone.localdate(upload.created_at) > annual.submit_due(year)
        else:
            submit_late = (r is not None and r.submitted_late) or (
                not submitted and today > annual.submit_due(year)
            )
        publish_late = (r is not None and r.published_late) or (
            (r is None or not r.published_at) and today > annual.publish_due(year)
        )
        counts["late_submit"] += int(submit_late)
        counts["late_publish"] += int(publish_late)
        counts["not_submitted"] += int(not submitted and upload is None)
        rows.append(
            {
                "township": t,
                "report": r,
                "handwritten": upload,
                "findings": findings,
                "submit_late": submit_late,
                "publish_late": publish_late,
            }
        )
    return render(
        request,
        "reports/county_board.html",
        {
            "county": county,
            "counties": counties,
            "year": year,
            "rows": rows,
            "counts": counts,
            "submit_due": annual.submit_due(year),
            "publish_due": annual.publish_due(year),
        },
    )


@login_required
@require_POST
def county_batch(request: HttpRequest) -> HttpResponse:
    """Generate every township's report of the county as one job (progress on the job page)."""
    from fazhi.indicators.views import supervised_counties
    from fazhi.reports.jobs import enqueue_batch

    counties = supervised_counties(request.user)
    try:
        county = counties.get(pk=int(request.POST.get("county") or 0))
    except (ValueError, counties.model.DoesNotExist):
        raise Http404("县(市、区)不存在或无权访问。") from None
    job = enqueue_batch(county, _year(request), actor=request.user)
    return redirect("core:job_detail", job.pk)


# --- reports written outside the platform ---------------------------------------------------
@login_required
def handwritten_upload(request: HttpRequest) -> HttpResponse:
    """A township uploads the report it wrote outside the platform; it is checked at once and
    kept, with the findings, for the county's collection board."""
    from fazhi.reports import handwritten
    from fazhi.reports.forms import HandwrittenReportForm

    form = HandwrittenReportForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"year": timezone.localdate().year - 1},
    )
    if not form.fields["township"].queryset.exists():
        raise PermissionDenied("您的角色无权上传乡镇的年度报告。")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                row = handwritten.upload(
                    form.cleaned_data["township"],
                    form.cleaned_data["year"],
                    upload.name,
                    upload.size,
                    upload,
                    actor=request.user,
                )
            except handwritten.UnreadableReport as exc:
                form.add_error("file", str(exc))
            except ValidationError as exc:
                form.add_error("file", "；".join(exc.messages))
            else:
                messages.success(request, f"报告已上传并检查：{row.summary}。")
                return redirect("reports:handwritten_detail", row.pk)
        status = 400
    return render(request, "reports/handwritten_form.html", {"form": form}, status=status)


@login_required
def handwritten_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from fazhi.reports.models import HandwrittenReport

    if not scope.has_any(request.user, VIEW):
        raise PermissionDenied("您的角色无权查看年度报告。")
    try:
        row = (
            HandwrittenReport.objects.visible_to(request.user, VIEW)
            .select_related("township", "attachment", "created_by")
            .get(pk=pk)
        )
    except HandwrittenReport.DoesNotExist:
        raise Http404("报告不存在或无权访问。") from None
    return render(request, "reports/handwritten_detail.html", {"row": row})


# --- the portal -----------------------------------------------------------------------------
def portal_list(request: HttpRequest) -> HttpResponse:
    reports = (
        AnnualReport.objects.filter(published_at__isnull=False)
        .select_related("township", "township__county")
        .order_by("-year", "township__name")
    )
    return render(request, "reports/portal_list.html", {"reports": reports})


def portal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        AnnualReport.objects.select_related("township"), pk=pk, published_at__isnull=False
    )
    version = annual.published_version(report)
    if version is None:
        raise Http404("报告不存在。")
    return render(
        request,
        "reports/portal_detail.html",
        {"report": report, "version": version, "rendered": annual.frozen(version)},
    )
