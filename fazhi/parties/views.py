"""Pages of the party index beyond the generic ones: the party page with its records across
modules, the audited reveal of one PII field, merge and split, and the full export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from fazhi.core import io, scope
from fazhi.core.audit import record_event
from fazhi.core.roles import CHANGE, EXPORT, VIEW, VIEW_PII
from fazhi.core.views.generic import DetailView, act_at_version
from fazhi.core.views.io import _attachment
from fazhi.parties import pii, registry, services
from fazhi.parties.choices import PII_FIELDS, PII_LABELS
from fazhi.parties.models import Party, PartyMerge
from fazhi.parties.resources import PARTIES


def _party(request: HttpRequest, pk: int, action: str = VIEW) -> Party:
    party = Party.objects.visible_to(request.user, VIEW).filter(pk=pk).first()
    if party is None:
        raise Http404("当事人不存在或无权访问。")
    if action != VIEW:
        scope.ensure(request.user, action, party)
    return party


class PartyDetailView(DetailView):
    """The generic detail page plus: PII with reveal buttons, the party's records in every
    module (only those the viewer may see), aliases and merges."""

    def context(self, **extra: Any) -> dict[str, Any]:
        ctx = super().context(**extra)
        obj = extra.get("obj")
        if obj is None:
            return ctx
        user = self.request.user
        raw = Party.objects.get(pk=obj.pk)
        ctx["pii_rows"] = [
            (name, PII_LABELS[name], pii.mask(name, getattr(raw, name)), bool(getattr(raw, name)))
            for name in PII_FIELDS
        ]
        ctx["can_reveal"] = pii.can_reveal(user, raw)
        ctx["records"] = registry.records_for(raw, user)
        ctx["aliases"] = Party.objects.visible_to(user, VIEW).filter(merged_into=raw)
        ctx["merges"] = (
            PartyMerge.objects.visible_to(user, VIEW)
            .filter(survivor=raw)
            .select_related("alias", "survivor")
        )
        ctx["merged_from"] = (
            PartyMerge.objects.visible_to(user, VIEW)
            .filter(alias=raw, split_on__isnull=True)
            .select_related("survivor")
            .first()
        )
        ctx["can_merge"] = scope.visible(user, raw, CHANGE) and raw.merged_into_id is None
        return ctx


def _via(request: HttpRequest) -> Any:
    """The record a reveal is made from ("disputes.dispute:12"), visible to the user."""
    text = request.POST.get("via", "")
    if not text:
        return None
    try:
        label, pk = text.split(":", 1)
        model = apps.get_model(label)
    except (ValueError, LookupError):
        raise Http404("记录不存在。") from None
    manager = model._default_manager
    qs = manager.visible_to(request.user, VIEW) if hasattr(manager, "visible_to") else None
    obj = qs.filter(pk=pk).first() if qs is not None else None
    if obj is None:
        raise Http404("记录不存在或无权访问。")
    return obj


@login_required
@require_POST
def reveal(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    """Show one PII field unmasked (POST only, audited as parties.pii_viewed)."""
    if field not in PII_FIELDS:
        raise Http404("没有该字段。")
    party = Party.objects.filter(pk=pk).first()
    if party is None:
        raise Http404("当事人不存在或无权访问。")
    value = pii.reveal(request.user, party, field, via=_via(request))
    return HttpResponse(
        format_html('<span class="pii-revealed" title="已记录查看">{}</span>', value or "（空）")
    )


class MergeForm(forms.Form):
    other = forms.ModelChoiceField(label="另一条当事人记录", queryset=Party.objects.none())
    keep = forms.ChoiceField(
        label="保留哪一条",
        choices=[("this", "保留本条，另一条作为别名"), ("other", "保留另一条，本条作为别名")],
        initial="this",
    )
    reason = forms.CharField(label="合并理由", max_length=200, help_text="如：同一人，证件号码一致")

    def __init__(self, *args: Any, party: Party, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = (
            Party.objects.visible_to(user, CHANGE)
            .active()
            .filter(township_id=party.township_id)
            .exclude(pk=party.pk)
            .order_by("name", "pk")
        )
        self.fields["other"].label_from_instance = lambda p: (
            f"{p.name}（编号{p.pk}，{p.phone_masked or '无电话'}，{p.id_number_masked or '无证件号'}）"
        )


@login_required
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    party = _party(request, pk, CHANGE)
    form = MergeForm(request.POST or None, party=party, user=request.user)
    status = 400
    if request.method == "POST" and form.is_valid():
        other = form.cleaned_data["other"]
        survivor, alias = (party, other) if form.cleaned_data["keep"] == "this" else (other, party)
        outcome = act_at_version(
            request,
            form,
            party,
            lambda: services.merge_parties(
                survivor, alias, actor=request.user, reason=form.cleaned_data["reason"]
            ),
        )
        if outcome.ok:
            messages.success(request, f"已将“{alias.name}”合并至“{survivor.name}”。")
            return redirect("parties:parties_detail", pk=survivor.pk)
        status = outcome.status
    status = status if request.method == "POST" else 200
    return render(
        request,
        "parties/merge.html",
        {"party": party, "form": form, "resource": PARTIES},
        status=status,
    )


class SplitForm(forms.Form):
    reason = forms.CharField(label="拆分理由", max_length=200)


@login_required
@require_POST
def split(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo a merge, posted from the survivor's page with the merge record's version: a missing
    version (400) or a merge record changed meanwhile (409) shows the page again, nothing moved."""
    record = PartyMerge.objects.visible_to(request.user, VIEW).filter(pk=pk).first()
    if record is None:
        raise Http404("合并记录不存在或无权访问。")
    form = SplitForm(request.POST)
    status = 400
    if form.is_valid():
        outcome = act_at_version(
            request,
            form,
            record,
            lambda: services.split_party(
                record, actor=request.user, reason=form.cleaned_data["reason"]
            ),
        )
        if outcome.ok:
            alias = outcome.result
            messages.success(request, f"已拆分：“{alias.name}”恢复为独立的当事人。")
            return redirect("parties:parties_detail", pk=alias.pk)
        status = outcome.status
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)
    page = PartyDetailView(resource=PARTIES)
    page.setup(request, pk=record.survivor_id)
    response = page.get(request, record.survivor_id)
    response.status_code = status
    return response


@login_required
def export_with_pii(request: HttpRequest) -> HttpResponse:
    """The full ledger with unmasked PII, for roles holding VIEW_PII and EXPORT; audited."""
    if not (
        scope.has_any(request.user, VIEW_PII, Party) and scope.has_any(request.user, EXPORT, Party)
    ):
        raise PermissionDenied("您的角色无权导出当事人个人信息。")
    queryset = (
        Party.objects.visible_to(request.user, VIEW_PII)
        .filter(pk__in=Party.objects.visible_to(request.user, EXPORT).values("pk"))
        .select_related("township")
    )
    counts: dict[int, int] = {}
    for township_id in queryset.values_list("township_id", flat=True):
        counts[township_id] = counts.get(township_id, 0) + 1
    content = io.export_workbook(PARTIES, queryset)
    for township_id, count in counts.items():
        record_event(
            "parties.pii_exported",
            f"导出当事人台账（含个人信息）{count}条",
            township=township_id,
            actor=request.user,
            payload={"count": count},
        )
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _attachment(content, f"当事人_含个人信息_{stamp}.xlsx")
