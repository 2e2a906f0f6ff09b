"""Attachment pages: the panel of a record's attachments (list + upload form, htmx-friendly,
also usable as a plain page) and the download, which goes through the scope gate and re-checks
the file's SHA-256 before serving a byte."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from fazhi.core import attachments
from fazhi.core.audit import record_event
from fazhi.core.models import Township
from fazhi.core.roles import VIEW

log = logging.getLogger(__name__)


def _has_township(model: type[models.Model]) -> bool:
    try:
        return model._meta.get_field("township").is_relation
    except FieldDoesNotExist:
        return False


def resolve_target(user: Any, target: str) -> models.Model:
    """The record named "app_label.model:pk", if the user may see it; else 404."""
    label, _, pk = (target or "").partition(":")
    app_label, _, model_name = label.partition(".")
    if not (app_label and model_name and pk):
        raise Http404("记录不存在或无权访问。")
    try:
        model = ContentType.objects.get_by_natural_key(app_label, model_name).model_class()
    except ContentType.DoesNotExist:
        model = None
    if model is None or not (model is Township or _has_township(model)):
        raise Http404("记录不存在或无权访问。")
    manager = model._default_manager
    try:
        obj = manager.visible_to(user, VIEW).filter(pk=pk).first()
    except (AttributeError, ValueError, ValidationError):
        obj = None
    if obj is None:
        raise Http404("记录不存在或无权访问。")
    return obj


def _panel(request: HttpRequest, obj: models.Model, form_errors: dict | None = None) -> dict:
    return {
        "obj": obj,
        "target": attachments.panel_target(obj),
        "attachments": attachments.for_object(obj, request.user).select_related("created_by"),
        "can_upload": attachments.can_upload(request.user, obj),
        "errors": form_errors or {},
        "allowed": "、".join(attachments.allowed_types()),
        "accept": ",".join(attachments.allowed_types()),
        "max_size": attachments.max_size_label(),
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }


def _render(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    if request.htmx:
        # htmx does not swap 4xx answers: errors come back as 200 with the messages shown
        return render(request, "core/records/_attachments.html", context)
    return render(request, "core/records/attachments.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("target") if request.method == "POST" else request.GET.get("target")
    obj = resolve_target(request.user, target or "")
    if request.method == "GET":
        return _render(request, _panel(request, obj))
    uploaded = request.FILES.get("file")
    errors: dict[str, list[str]] = {}
    if uploaded is None:
        errors["file"] = ["文件：请选择要上传的文件。"]
    else:
        try:
            attachments.store(
                uploaded,
                township=attachments.township_of(obj),
                obj=obj,
                actor=request.user,
                description=request.POST.get("description", "").strip(),
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"file": exc.messages}
    if errors:
        return _render(request, _panel(request, obj, errors), status=400)
    next_url = request.POST.get("next", "")
    if (
        not request.htmx
        and next_url
        and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return HttpResponseRedirect(next_url)
    if not request.htmx:
        return HttpResponseRedirect(attachments.panel_url(obj))
    return _render(request, _panel(request, obj))


@login_required
def download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = attachments.visible_attachment(request.user, pk)
    try:
        fileobj = attachments.open_verified(attachment)
    except attachments.AttachmentTampered as exc:
        log.warning("attachment %s failed its SHA-256 check on download", attachment.pk)
        record_event(
            "core.attachment_tampered",
            f"附件校验失败：{attachment.original_name}",
            township=attachment.township_id,
            actor=request.user,
            obj=attachments.target_of(attachment) or attachment,
            payload={
                "attachment": attachment.pk,
                "expected": attachment.sha256,
                "actual": exc.actual or "",
            },
        )
        return render(
            request,
            "core/records/attachment_tampered.html",
            {"attachment": attachment, "message": str(exc), "missing": exc.actual is None},
            status=409,
        )
    response = FileResponse(
        fileobj,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.mime_type or "application/octet-stream",
    )
    response["X-Content-SHA256"] = attachment.sha256
    response["Cache-Control"] = "private, no-store"
    return response
