"""The report checker page: paste or upload a report, see its defects highlighted in place."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fazhi.reports.checker import UnreadableReport
from fazhi.reports.forms import CheckReportForm
from fazhi.reports.services import check_report, highlight, text_from_upload


@login_required
def check(request: HttpRequest) -> HttpResponse:
    form = CheckReportForm(request.POST or None, request.FILES or None, user=request.user)
    context: dict = {"form": form}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data.get("file")
            try:
                if upload is not None:
                    text = text_from_upload(upload.name, upload.read())
                    source = upload.name
                else:
                    text, source = form.cleaned_data["text"], None
                result = check_report(
                    text,
                    township=form.cleaned_data.get("township"),
                    year=form.cleaned_data.get("year"),
                    source=source,
                )
            except UnreadableReport as exc:
                form.add_error("file", str(exc))
                status = 400
            else:
                context.update(result=result, segments=highlight(result))
        else:
            status = 400
    return render(request, "reports/check.html", context, status=status)
