"""Excel import/export pages for every resource (the work is in fazhi.core.io)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone

from fazhi.core import io, scope
from fazhi.core.roles import EXPORT, IMPORT
from fazhi.core.views.generic import ResourceView

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(content: bytes, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


class ExportView(ResourceView):
    def get(self, request: HttpRequest) -> HttpResponse:
        r = self.resource
        if not scope.has_any(request.user, EXPORT, r.model):
            raise PermissionDenied("您的角色无权导出。")
        filterset = r.get_filterset_class()(
            request.GET or None, queryset=r.queryset(request.user, EXPORT), request=request
        )
        queryset = filterset.qs if filterset.is_bound else filterset.queryset
        stamp = timezone.localdate().strftime("%Y%m%d")
        return _attachment(
            io.export_workbook(r, queryset, user=request.user), f"{r.label}_{stamp}.xlsx"
        )


class TemplateView(ResourceView):
    def get(self, request: HttpRequest) -> HttpResponse:
        r = self.resource
        if not scope.has_any(request.user, IMPORT, r.model):
            raise PermissionDenied("您的角色无权导入。")
        return _attachment(io.template_workbook(r), f"{r.label}_导入模板.xlsx")


class ImportView(ResourceView):
    template_name = "core/generic/import.html"

    def _check(self, request: HttpRequest) -> None:
        if not scope.has_any(request.user, IMPORT, self.resource.model):
            raise PermissionDenied("您的角色无权导入。")

    def get(self, request: HttpRequest) -> HttpResponse:
        self._check(request)
        return render(request, self.template_name, self.context())

    def post(self, request: HttpRequest) -> HttpResponse:
        self._check(request)
        upload = request.FILES.get("file")
        if upload is None:
            return render(
                request,
                self.template_name,
                self.context(error="请选择要导入的 Excel 文件。"),
                status=400,
            )
        result = io.import_workbook(self.resource, upload, actor=request.user)
        if result.errors:
            return render(request, self.template_name, self.context(result=result), status=400)
        if result.job_id:
            messages.info(request, f"文件较大，已转为后台任务处理（任务号 {result.job_id}）。")
        else:
            messages.success(
                request,
                f"导入完成：新建 {result.created} 条，更新 {result.updated} 条，未变 {result.unchanged} 条。",
            )
        return HttpResponseRedirect(self.resource.url("list"))
