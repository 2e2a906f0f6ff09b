"""Workflow pages of the governance module: expected frequencies and the year's targets."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from fazhi.core import resources, scope
from fazhi.core.deadlines import today_local
from fazhi.core.models import Township, Village
from fazhi.core.roles import ADD, VIEW
from fazhi.governance import assessment, services, targets
from fazhi.governance import choices as c
from fazhi.governance.forms import FollowUpTaskForm, TownshipYearForm
from fazhi.governance.models import AssessmentScheme, Meeting, Target, Task


def _choose(request: HttpRequest, model: Any) -> tuple[TownshipYearForm, Any, int | None]:
    if not scope.has_any(request.user, VIEW, model):
        raise PermissionDenied("您的角色无权查看。")
    townships = Township.objects.visible_to(request.user, VIEW).order_by("county_id", "name")
    data = request.GET.copy()
    if "township" not in data and townships.count() >= 1:
        data["township"] = str(townships.first().pk)
    if "year" not in data:
        data["year"] = str(today_local().year)
    form = TownshipYearForm(data, townships=townships)
    if form.is_valid():
        return form, form.cleaned_data["township"], form.cleaned_data["year"]
    return form, None, None


def frequencies(request: HttpRequest) -> HttpResponse:
    """Expected frequencies of meetings and study against what happened, with warnings."""
    form, township, year = _choose(request, Meeting)
    rows = services.frequency_status(township, year) if township is not None else []
    return render(
        request,
        "governance/frequencies.html",
        {"form": form, "township": township, "year": year, "rows": rows},
    )


def progress(request: HttpRequest) -> HttpResponse:
    """The year's targets with progress, and warnings for targets below last year's actual."""
    form, township, year = _choose(request, Target)
    rows = targets.progress_for(township, year) if township is not None else []
    return render(
        request,
        "governance/progress.html",
        {"form": form, "township": township, "year": year, "rows": rows},
    )


def scheme_scores(request: HttpRequest, pk: int) -> HttpResponse:
    """Each village's score on each item of a scheme, each cell opening onto its evidence."""
    scheme = get_object_or_404(AssessmentScheme.objects.visible_to(request.user, VIEW), pk=pk)
    rows = assessment.score_villages(scheme)
    items = list(scheme.items.order_by("order", "pk"))
    return render(
        request,
        "governance/scheme_scores.html",
        {"scheme": scheme, "items": items, "rows": rows},
    )


def village_evidence(request: HttpRequest, pk: int, village: int) -> HttpResponse:
    """The records behind one village's scores (what each point was given for)."""
    scheme = get_object_or_404(AssessmentScheme.objects.visible_to(request.user, VIEW), pk=pk)
    place = get_object_or_404(Village.objects.filter(township_id=scheme.township_id), pk=village)
    score = assessment.score_village(scheme, place)
    sections = []
    for item in score.items:
        records = item.records
        if records.model is not None and any(
            f.name == "township" for f in records.model._meta.get_fields()
        ):
            records = records.filter(scope.scope_filter(request.user, VIEW, records.model))
        resource = resources.for_model(records.model)
        rows = [
            (resource.url("detail", obj) if resource is not None else "", str(obj))
            for obj in records.order_by("pk")[:200]
        ]
        sections.append({"item": item, "rows": rows, "total": records.count()})
    return render(
        request,
        "governance/village_evidence.html",
        {"scheme": scheme, "village": place, "score": score, "sections": sections},
    )


@login_required
def meeting_followup(request: HttpRequest, pk: int) -> HttpResponse:
    """A follow-up task of a meeting's decision: created through `services.create_task` (so its
    deadline runs on 我的期限), linked back to the meeting."""
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user, VIEW), pk=pk)
    scope.ensure_township(request.user, ADD, meeting.township_id, Task)
    form = FollowUpTaskForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = {
            "township": meeting.township,
            "year": d["due"].year,
            "title": d["title"],
            "meeting": meeting,
            "department": d["department"],
            "leader": d["leader"],
            "owner": d["owner"],
            "due": d["due"],
            "status": c.TaskStatus.PLANNED,
        }
        try:
            task = services.create_task(Task, data, actor=request.user)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(
                request, f"已分解跟进任务“{task.title}”，完成时限{task.due:%Y-%m-%d}。"
            )
            return redirect("governance:meetings_detail", pk=meeting.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "governance/meeting_followup.html",
        {"meeting": meeting, "form": form},
        status=status,
    )
