"""My background jobs: status, progress, log, error and result file.

A user sees the jobs they started and the jobs of the townships (and, for county roles, the
county) they see as a whole; anything else is 404.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fazhi.core import scope
from fazhi.core.choices import JobStatus
from fazhi.core.models import Job, Membership
from fazhi.core.roles import VIEW


def jobs_visible_to(user: Any) -> QuerySet[Job]:
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    g = scope.grant(user, VIEW)
    if g.everything:
        return Job.objects.all()
    counties = Membership.objects.filter(user=user, county__isnull=False).values("county_id")
    return Job.objects.filter(
        Q(actor=user) | Q(township_id__in=g.townships) | Q(county_id__in=counties)
    )


def kind_label(job: Job) -> str:
    from fazhi.core import jobs as registry

    return registry.label_of(job.kind)


def result_file(job: Job) -> Path | None:
    """The job's result file, if it exists inside JOB_RESULT_DIR (never anywhere else)."""
    if not job.result_file:
        return None
    root = Path(settings.JOB_RESULT_DIR).resolve()
    path = Path(job.result_file)
    path = (path if path.is_absolute() else root / path).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path


def _get(user: Any, pk: Any) -> Job:
    try:
        return jobs_visible_to(user).select_related("township", "actor").get(pk=pk)
    except Job.DoesNotExist:
        raise Http404("任务不存在或无权访问。") from None


def _decorate(job: Job) -> Job:
    job.kind_label = kind_label(job)  # type: ignore[attr-defined]
    job.percent = (  # type: ignore[attr-defined]
        min(100, round(job.progress * 100 / job.total)) if job.total else None
    )
    job.running = job.status in (JobStatus.QUEUED, JobStatus.RUNNING)  # type: ignore[attr-defined]
    job.has_result = result_file(job) is not None  # type: ignore[attr-defined]
    return job


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    queryset = jobs_visible_to(request.user).select_related("township", "actor")
    status = request.GET.get("status", "")
    if status in JobStatus.values:
        queryset = queryset.filter(status=status)
    mine = request.GET.get("mine") == "1"
    if mine:
        queryset = queryset.filter(actor=request.user)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    for job in page:
        _decorate(job)
    return render(
        request,
        "core/records/jobs.html",
        {"page": page, "statuses": JobStatus.choices, "status": status, "mine": mine},
    )


@login_required
def job_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    job = _decorate(_get(request.user, pk))
    template = "core/records/_job.html" if request.htmx else "core/records/job.html"
    return render(request, template, {"job": job})


@login_required
def job_result(request: HttpRequest, pk: Any) -> HttpResponse:
    job = _get(request.user, pk)
    path = result_file(job)
    if path is None:
        raise Http404("该任务没有结果文件，或文件已被清理。")
    return FileResponse(open(path, "rb"), as_attachment=True, filename=path.name)
