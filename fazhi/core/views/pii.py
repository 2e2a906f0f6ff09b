"""The audited reveal of one masked field of a staff-like record (see core.pii)."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from fazhi.core import pii, scope
from fazhi.core.audit import record_event
from fazhi.core.roles import VIEW, VIEW_PII


@login_required
@require_POST
def reveal(request: HttpRequest, label: str, pk: int, field: str) -> HttpResponse:
    try:
        model = apps.get_model(label)
    except (ValueError, LookupError):
        raise Http404("记录不存在或无权访问。") from None
    manager = model._default_manager
    if field not in pii.fields_of(model) or not hasattr(manager, "visible_to"):
        raise Http404("记录不存在或无权访问。")
    obj = manager.visible_to(request.user, VIEW).filter(pk=pk).first()
    if obj is None:  # another township's record and a missing one answer alike
        raise Http404("记录不存在或无权访问。")
    if not scope.visible(request.user, obj, VIEW_PII):
        raise PermissionDenied("您的角色无权查看个人信息。")
    verbose = model._meta.get_field(field).verbose_name
    record_event(
        "core.pii_viewed",
        f"查看{model._meta.verbose_name}“{obj}”的{verbose}",
        township=getattr(obj, "township_id", None),
        actor=request.user,
        obj=obj,
        payload={"field": field},
    )
    value = getattr(obj, field)
    return HttpResponse(
        format_html('<span class="pii-revealed" title="已记录查看">{}</span>', value or "（空）")
    )


def masked_html(obj: object, field: str, value: str, can_reveal: bool) -> str:
    """The masked value with a 显示 button (htmx POST to the reveal) for those allowed."""
    from django.urls import reverse

    if not value:
        return ""
    if not can_reveal:
        return value
    url = reverse("core:pii_reveal", args=[obj._meta.label, obj.pk, field])
    return format_html(
        '<span class="pii"><span class="pii-value">{}</span> <button type="button" '
        'class="link pii-reveal" hx-post="{}" hx-target="previous .pii-value" '
        'hx-swap="innerHTML" title="查看将被记录">显示</button></span>',
        value,
        url,
    )
