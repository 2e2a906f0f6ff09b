"""The public petition look-up (信访事项查询评价, 条例第二十一条), without login.

A petitioner enters the receipt number and the code printed on the receipt. A wrong pair counts
against both the visitor's IP and the receipt number (`core.limits` counters, atomic across
workers: every attempt is counted before it is checked); past the limit the
look-up is refused for a while, with a Chinese message, even for a right code. A right pair
opens the petition's public page for this browser session only. The page shows the progress
and dates, never personal information or the content of the matter; the petitioner may rate
the handling once, after the opinion was served.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from fazhi.core import limits
from fazhi.petitions import services
from fazhi.petitions.choices import RATABLE, RatingChannel, Status
from fazhi.petitions.forms import LookupForm, PortalRateForm
from fazhi.petitions.models import Petition

SESSION_KEY = "petitions_portal"
GRANT_SECONDS = 30 * 60
_RECEIPT = re.compile(r"(\d{4})\D*?([\u4e00-\u9fff]{1,20}?)信字第\s*(\d+)\s*号")
_DUMMY_HASH: list[str] = []


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def per_receipt_limit() -> int:
    return _limit("FAZHI_PETITION_PORTAL_RECEIPT_FAILURES", 5)


def per_ip_limit() -> int:
    return _limit("FAZHI_PETITION_PORTAL_IP_FAILURES", 20)


def window_seconds() -> int:
    return _limit("FAZHI_PETITION_PORTAL_WINDOW_SECONDS", 30 * 60)


class Throttled(Exception):
    def __init__(self) -> None:
        minutes = max(1, window_seconds() // 60)
        super().__init__(f"查询失败次数过多，为保护信访人信息，请{minutes}分钟后再试。")


class NotFound(Exception):
    def __init__(self) -> None:
        super().__init__("登记编号或查询码不正确，请核对回执后重新输入。")


def _receipt_key(receipt_no: str) -> str:
    normal = "".join(receipt_no.split())
    digest = hashlib.sha256(normal.encode("utf-8")).hexdigest()[:32]
    return f"petitions:portal:receipt:{digest}"


def _ip_key(ip: str) -> str:
    return f"petitions:portal:ip:{ip or 'unknown'}"


def candidates(receipt_no: str) -> list[Petition]:
    """Petitions a typed receipt number may mean: 〔2025〕寺庄镇信字第3号 in any bracket style,
    or a ledger number exactly."""
    text = "".join((receipt_no or "").split())
    if not text:
        return []
    match = _RECEIPT.search(text)
    qs = Petition.objects.select_related("township")
    if match:
        year, name, seq = match.groups()
        found = list(qs.filter(year=int(year), township__name=name, receipt_seq=int(seq)))
        if found:
            return found
    return list(qs.filter(receipt_no=text)[:5])


def _dummy_check(code: str) -> None:
    """Spend the same time on an unknown number as on a wrong code (no existence oracle)."""
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(make_password(services.new_receipt_code()))
    from django.contrib.auth.hashers import check_password

    check_password(services.normalise_code(code) or "X", _DUMMY_HASH[0])


def lookup_petition(receipt_no: str, code: str, ip: str) -> Petition:
    """The petition for a receipt number and code, or Throttled / NotFound."""
    receipt_key, ip_key = _receipt_key(receipt_no), _ip_key(ip)
    # counted before checking, in one atomic statement each: concurrent attempts cannot all
    # read the same count and pass (a right pair gives its count back)
    on_receipt = limits.hit(receipt_key, window_seconds())
    on_ip = limits.hit(ip_key, window_seconds())
    if on_receipt > per_receipt_limit() or on_ip > per_ip_limit():
        raise Throttled
    found = candidates(receipt_no)
    for petition in found:
        if not petition.receipt_code_hash:  # imported, no code issued yet: as long as a miss
            _dummy_check(code)
            continue
        if services.code_matches(petition, code):
            limits.reset(receipt_key)
            limits.give_back(ip_key)
            return petition
    if not found:
        _dummy_check(code)
    raise NotFound


def client_ip(request: HttpRequest) -> str:
    """The address counted by the throttle. Behind a proxy, set FAZHI_TRUSTED_PROXY_HEADER
    (e.g. HTTP_X_REAL_IP) so the client's address is used, not the proxy's."""
    header = getattr(settings, "FAZHI_TRUSTED_PROXY_HEADER", "")
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def _grant(request: HttpRequest, petition: Petition) -> None:
    grants = request.session.get(SESSION_KEY, {})
    now = time.time()
    grants = {k: v for k, v in grants.items() if v > now}
    grants[str(petition.pk)] = now + GRANT_SECONDS
    request.session[SESSION_KEY] = grants
    request.session.cycle_key()


def _granted(request: HttpRequest, pk: int) -> Petition:
    grants = request.session.get(SESSION_KEY, {})
    if grants.get(str(pk), 0) < time.time():
        raise Http404("请先输入登记编号和查询码。")
    petition = Petition.objects.select_related("township").filter(pk=pk).first()
    if petition is None:
        raise Http404("信访事项不存在。")
    return petition


@dataclass(frozen=True)
class Step:
    label: str
    date: Any
    note: str = ""


def public_steps(p: Petition) -> list[Step]:
    """The progress as the public page shows it: steps and dates, no personal information."""
    steps = [Step("登记", p.received_on, f"{p.get_channel_display()}，{p.get_source_display()}")]
    if p.status == Status.NOT_ACCEPTED:
        steps.append(Step("不予受理（已书面告知）", p.decided_on, p.get_decline_reason_display()))
    elif p.status == Status.OBJECTED:
        steps.append(Step("已向转送、交办机关提出异议", p.decided_on))
    elif p.accepted_on:
        steps.append(Step("受理（已书面告知）", p.accepted_on))
    elif p.status == Status.REGISTERED:
        steps.append(Step("等待受理告知", None, f"应于{p.acceptance_due_on:%Y-%m-%d}前告知"))
    if p.extension_days:
        steps.append(Step("延长办理期限", p.extension_approved_on, f"延长{p.extension_days}日"))
    if p.status == Status.ACCEPTED and p.handling_due_on:
        steps.append(Step("办理中", None, f"办理期限至{p.handling_due_on:%Y-%m-%d}"))
    for opinion in p.opinions.order_by("issued_on", "pk"):
        steps.append(
            Step(
                f"{opinion.get_level_display()}（{opinion.get_outcome_display()}）",
                opinion.issued_on,
                f"{opinion.issued_by}出具",
            )
        )
        if opinion.served_on:
            steps.append(Step(f"{opinion.get_level_display()}已送达", opinion.served_on))
    if p.status == Status.ROUTED:
        steps.append(Step(f"已导入{p.get_route_display()}程序", p.closed_on))
    if p.status == Status.ESCALATED:
        steps.append(Step("已上交县级处理", p.closed_on))
    if p.review_requested_on:
        steps.append(Step("申请复查", p.review_requested_on, p.review_body))
    if p.recheck_requested_on:
        steps.append(Step("申请复核", p.recheck_requested_on, p.recheck_body))
    if p.status == Status.CLOSED:
        steps.append(Step("终结", p.closed_on))
    return steps


def can_rate(p: Petition, today: Any = None) -> bool:
    today = today or services.today()
    return (
        p.status in RATABLE
        and not p.satisfaction
        and (p.rating_due_on is None or today <= p.rating_due_on)
    )


# --- views ----------------------------------------------------------------------------------
def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            petition = lookup_petition(
                form.cleaned_data["receipt_no"], form.cleaned_data["code"], client_ip(request)
            )
        except (Throttled, NotFound) as exc:
            error = str(exc)
        else:
            _grant(request, petition)
            return HttpResponseRedirect(reverse("petitions_portal:status", args=[petition.pk]))
    status = 200
    if error:
        status = 429 if "次数过多" in error else 400
    return render(
        request, "petitions/portal/lookup.html", {"form": form, "error": error}, status=status
    )


def status(request: HttpRequest, pk: int) -> HttpResponse:
    p = _granted(request, pk)
    return render(
        request,
        "petitions/portal/status.html",
        {
            "p": p,
            "steps": public_steps(p),
            "can_rate": can_rate(p),
            "rate_form": PortalRateForm(),
        },
    )


@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    p = _granted(request, pk)
    form = PortalRateForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.rate_petition(
                p,
                satisfaction=form.cleaned_data["satisfaction"],
                channel=RatingChannel.PORTAL,
                comment=form.cleaned_data["comment"],
                actor=None,
            )
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            return HttpResponseRedirect(reverse("petitions_portal:status", args=[pk]) + "?rated=1")
    else:
        error = "请选择评价。"
    p.refresh_from_db()
    return render(
        request,
        "petitions/portal/status.html",
        {"p": p, "steps": public_steps(p), "can_rate": can_rate(p), "rate_form": form,
         "error": error},
        status=400,
    )  # fmt: skip


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    return HttpResponseRedirect(reverse("petitions_portal:lookup"))
