"""Evidence chain pages: the chains of a township, and one chain verified entry by entry."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fazhi.core import evidence, evidence_display, scope
from fazhi.core.attachments import record_visible, township_of
from fazhi.core.models import Attachment, Township
from fazhi.core.roles import VIEW


def visible_township(user: Any, pk: int) -> Township:
    try:
        return Township.objects.visible_to(user, VIEW).select_related("county").get(pk=pk)
    except Township.DoesNotExist:
        raise Http404("乡镇不存在或无权访问。") from None


def township_wide(user: Any, township: Township) -> bool:
    """Does the user see the whole township (not only some villages of it)?"""
    g = scope.grant(user, VIEW)
    return g.everything or township.pk in g.townships


def ensure_chain_visible(user: Any, township: Township, chain: str) -> None:
    """Township-wide viewers see every chain; village-level roles only the chains of records
    they can see. Anything else is 404."""
    if township_wide(user, township):
        return
    obj = evidence.chain_object(chain)
    if obj is None or township_of(obj) != township.pk or not record_visible(user, obj):
        raise Http404("证据链不存在或无权访问。")


def _natural(text: str) -> list[Any]:
    """Sort key reading digit runs as numbers: XF-2025-2 before XF-2025-10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def labelled_chains(township: Township) -> list[dict[str, Any]]:
    """Every chain of a township with the record it belongs to (type and name, e.g. 信访事项
    XF-2025-010), ordered by type and then by the record's number as people count, not as text."""
    from django.contrib.contenttypes.models import ContentType

    rows = list(evidence.chains(township))
    wanted: dict[str, set[str]] = {}
    for row in rows:
        label, _, pk = row["chain"].partition(":")
        wanted.setdefault(label, set()).add(pk)
    names: dict[str, tuple[str, str]] = {}
    for label, pks in wanted.items():
        app_label, _, model_name = label.partition(".")
        try:
            model = ContentType.objects.get_by_natural_key(app_label, model_name).model_class()
        except ContentType.DoesNotExist:
            model = None
        kind = str(model._meta.verbose_name) if model else "其他记录"
        found = {}
        if model is not None:
            ids = [int(pk) for pk in pks if pk.isdigit()]
            found = {str(o.pk): str(o) for o in model._default_manager.filter(pk__in=ids)}
        for pk in pks:
            names[f"{label}:{pk}"] = (kind, found.get(pk, "（记录已删除）"))
    for row in rows:
        row["kind"], row["name"] = names[row["chain"]]
    rows.sort(key=lambda r: (r["kind"], _natural(r["name"]), _natural(r["chain"])))
    return rows


@login_required
def chains(request: HttpRequest, township: int) -> HttpResponse:
    t = visible_township(request.user, township)
    if not township_wide(request.user, t):
        raise PermissionDenied("您的角色只能查看本村相关记录的证据链。")
    page = Paginator(labelled_chains(t), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "core/records/evidence_chains.html",
        {"township": t, "page": page, "vanished": evidence.vanished_chains(t)},
    )


@login_required
def chain(request: HttpRequest, township: int, chain: str) -> HttpResponse:
    t = visible_township(request.user, township)
    ensure_chain_visible(request.user, t, chain)
    rows = list(evidence.entries(t, chain))
    result = evidence.verify(t, chain)
    if not rows and result.ok:
        raise Http404("证据链不存在或无权访问。")
    hashes = {h for r in rows for h in r.attachment_hashes}
    files = {
        a.sha256: a
        for a in Attachment.objects.visible_to(request.user, VIEW).filter(
            township=t, sha256__in=hashes
        )
    }
    entries = [
        {
            "entry": r,
            "broken": result.first_broken_seq is not None and r.seq == result.first_broken_seq,
            "kind": evidence_display.kind_label(r.kind),
            "content": evidence_display.content_rows(r.kind, r.content),
            "attachments": [(h, files.get(h)) for h in r.attachment_hashes],
        }
        for r in rows
    ]
    return render(
        request,
        "core/records/evidence_chain.html",
        {
            "township": t,
            "chain": chain,
            "result": result,
            "entries": entries,
            "obj": (obj := evidence.chain_object(chain)),
            "obj_kind": obj._meta.verbose_name if obj is not None else "",
            "can_list": township_wide(request.user, t),
        },
    )
