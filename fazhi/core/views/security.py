"""Pages of the 政务 basics: change my password, 登录日志 and 在线用户 (administrators, for the
accounts they manage), 通知公告 (the county publishes, its townships read and confirm)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core import accounts, scope, security
from fazhi.core.audit import record_event
from fazhi.core.choices import Role
from fazhi.core.models import (
    County,
    LoginRecord,
    Membership,
    Notice,
    NoticeReceipt,
    Township,
    UserSession,
)
from fazhi.core.roles import MANAGE, VIEW


def _ensure_admin(user: Any) -> None:
    if not scope.has_any(user, MANAGE):
        raise PermissionDenied("只有管理员可以查看。")


# --- my password ------------------------------------------------------------------------------
class ChangePasswordForm(PasswordChangeForm):
    def clean_new_password1(self) -> str:
        new = self.cleaned_data.get("new_password1") or ""
        if new and self.user.check_password(new):
            raise forms.ValidationError("新密码不能与原密码相同。")
        return new


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    state = request.session.get(security.PASSWORD_STATE_KEY, "")
    form = ChangePasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            security.mark_password_changed(user)
            record_event(
                "core.password_changed",
                f"{user.username} 修改了自己的密码",
                township=user.memberships.exclude(township=None)
                .values_list("township_id", flat=True)
                .first(),
                actor=user,
                payload={"user": user.pk},
            )
        update_session_auth_hash(request, user)
        request.session[security.PASSWORD_STATE_KEY] = ""
        messages.success(request, "密码已修改。")
        return HttpResponseRedirect(reverse("core:home"))
    return render(
        request,
        "core/security/password.html",
        {"form": form, "state": state},
        status=400 if request.method == "POST" else 200,
    )


# --- 登录日志 ---------------------------------------------------------------------------------
class LoginFilter(forms.Form):
    result = forms.ChoiceField(
        label="结果", required=False, choices=[("", "全部"), ("ok", "成功"), ("failed", "失败")]
    )
    username = forms.CharField(label="登录名", required=False, max_length=150)
    since = forms.DateField(
        label="日期起", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="日期止", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def visible_login_records(user: Any):
    """Login records of the accounts the admin manages (sec's rule, core.accounts); attempts at
    unknown names only for a platform administrator."""
    if scope.grant(user, MANAGE).everything:
        return LoginRecord.objects.all()
    return LoginRecord.objects.filter(user__in=accounts.managed_users(user).values("pk"))


@login_required
def login_log(request: HttpRequest) -> HttpResponse:
    _ensure_admin(request.user)
    form = LoginFilter(request.GET or None)
    rows = visible_login_records(request.user).select_related("user")
    if form.is_valid():
        data = form.cleaned_data
        if data["result"]:
            rows = rows.filter(succeeded=data["result"] == "ok")
        if data["username"]:
            rows = rows.filter(username__icontains=data["username"])
        if data["since"]:
            rows = rows.filter(at__date__gte=data["since"])
        if data["until"]:
            rows = rows.filter(at__date__lte=data["until"])
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/security/login_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


# --- 在线用户 ---------------------------------------------------------------------------------
def visible_sessions(user: Any):
    return security.online_sessions().filter(user__in=accounts.managed_users(user).values("pk"))


@login_required
def online_users(request: HttpRequest) -> HttpResponse:
    _ensure_admin(request.user)
    sessions = visible_sessions(request.user).select_related("user")
    return render(
        request,
        "core/security/online.html",
        {
            "sessions": sessions,
            "own_key": request.session.session_key,
            "idle_minutes": security.settings.FAZHI_IDLE_TIMEOUT_MINUTES,
        },
    )


@login_required
@require_POST
def force_logout(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_admin(request.user)
    session = (
        UserSession.objects.filter(
            pk=pk, user__in=accounts.managed_users(request.user).values("pk")
        )
        .select_related("user")
        .first()
    )
    if session is None:
        raise Http404("会话不存在或无权管理。")
    if session.session_key == request.session.session_key:
        messages.error(request, "不能强制退出自己当前的登录，请使用“退出”。")
        return HttpResponseRedirect(reverse("core:online_users"))
    target = session.user
    security.end_session(session)
    record_event(
        "core.forced_logout",
        f"强制退出账号 {target.username} 的登录",
        township=target.memberships.exclude(township=None)
        .values_list("township_id", flat=True)
        .first(),
        actor=request.user,
        payload={"user": target.pk},
    )
    messages.success(request, f"已强制退出 {target.get_full_name() or target.username}。")
    return HttpResponseRedirect(reverse("core:online_users"))


# --- 通知公告 ---------------------------------------------------------------------------------
def publishing_counties(user: Any):
    """Counties in whose name the user may publish: a county supervisor's county; a platform
    administrator every county."""
    if scope.grant(user, MANAGE).everything:
        return County.objects.all()
    ids = Membership.objects.filter(user=user, role=Role.COUNTY_SUPERVISOR).values("county_id")
    return County.objects.filter(pk__in=ids)


def may_publish(user: Any) -> bool:
    return user.is_authenticated and publishing_counties(user).exists()


def reader_townships(user: Any) -> set[int]:
    """Townships the user belongs to below the county (they confirm 已读 for them)."""
    return set(
        Membership.objects.filter(
            user=user, county__isnull=True, township__isnull=False
        ).values_list("township_id", flat=True)
    )


def visible_notices(user: Any):
    """Notices of the counties the user publishes for, and notices sent to the user's
    townships (to all of a county's townships, or to one of the user's)."""
    g = scope.grant(user, VIEW)
    if g.everything:
        return Notice.objects.all()
    townships = scope.township_ids_of(g, VIEW)
    counties = Township.objects.filter(pk__in=townships).values("county_id")
    return Notice.objects.filter(
        Q(county__in=publishing_counties(user))
        | Q(county__in=counties, townships__isnull=True)
        | Q(townships__in=townships)
    ).distinct()


def targets_of(notice: Notice) -> list[Township]:
    chosen = list(notice.townships.all())
    return chosen or list(Township.objects.filter(county=notice.county_id).order_by("name"))


def unread_count(user: Any) -> int:
    """Notices sent to one of the user's townships that the township has not marked 已读."""
    mine = reader_townships(user)
    if not mine:
        return 0
    counties = Township.objects.filter(pk__in=mine).values("county_id")
    count = 0
    for notice in Notice.objects.filter(
        Q(county__in=counties, townships__isnull=True) | Q(townships__in=mine)
    ).distinct()[:50]:
        targets = {t.pk for t in targets_of(notice)} & mine
        read = set(
            notice.receipts.filter(township__in=targets).values_list("township_id", flat=True)
        )
        if targets - read:
            count += 1
    return count


class NoticeForm(forms.ModelForm):
    class Meta:
        model = Notice
        fields = ["county", "title", "body", "townships"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        counties = publishing_counties(user)
        self.fields["county"].queryset = counties
        if counties.count() == 1:
            self.fields["county"].initial = counties.first().pk
        self.fields["townships"].queryset = Township.objects.filter(
            county__in=counties
        ).select_related("county")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        county = cleaned.get("county")
        for t in cleaned.get("townships") or []:
            if county is not None and t.county_id != county.pk:
                self.add_error("townships", f"{t.name}不属于{county.name}。")
        return cleaned


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    notices = list(visible_notices(request.user).select_related("county")[:200])
    mine = reader_townships(request.user)
    read = set(
        NoticeReceipt.objects.filter(notice__in=notices, township__in=mine).values_list(
            "notice_id", "township_id"
        )
    )
    rows = []
    for n in notices:
        targets = {t.pk for t in targets_of(n)} & mine
        unread = [t for t in targets if (n.pk, t) not in read]
        rows.append((n, bool(targets), bool(unread)))
    return render(
        request,
        "core/security/notices.html",
        {"rows": rows, "can_publish": may_publish(request.user)},
    )


@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = visible_notices(request.user).filter(pk=pk).select_related("county").first()
    if notice is None:
        raise Http404("通知不存在或无权查看。")
    targets = targets_of(notice)
    read = set(notice.receipts.values_list("township_id", flat=True))
    mine = [t for t in targets if t.pk in reader_townships(request.user)]
    publisher = publishing_counties(request.user).filter(pk=notice.county_id).exists()
    return render(
        request,
        "core/security/notice.html",
        {
            "notice": notice,
            "mine_unread": [t for t in mine if t.pk not in read],
            "receipts": [(t, t.pk in read) for t in targets] if publisher else [],
            "read_count": sum(1 for t in targets if t.pk in read),
        },
    )


@login_required
@require_POST
def notice_read(request: HttpRequest, pk: int) -> HttpResponse:
    notice = visible_notices(request.user).filter(pk=pk).first()
    if notice is None:
        raise Http404("通知不存在或无权查看。")
    mine = {t.pk for t in targets_of(notice)} & reader_townships(request.user)
    if not mine:
        raise PermissionDenied("本通知不是发给您所在乡镇的。")
    for township_id in mine:
        NoticeReceipt.objects.get_or_create(notice=notice, township_id=township_id)
    messages.success(request, "已标记为已读。")
    return HttpResponseRedirect(reverse("core:notice_detail", args=[notice.pk]))


@login_required
def notice_add(request: HttpRequest) -> HttpResponse:
    if not may_publish(request.user):
        raise PermissionDenied("只有县级（市、区）用户可以发布通知公告。")
    form = NoticeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            notice = form.save(commit=False)
            notice.published_at = timezone.now()
            notice.created_by = request.user
            notice.save()
            form.save_m2m()
            record_event(
                "core.notice_published",
                f"发布通知公告：{notice.title}",
                township=None,
                actor=request.user,
                obj=notice,
            )
        messages.success(request, f"已发布：{notice.title}")
        return HttpResponseRedirect(reverse("core:notice_detail", args=[notice.pk]))
    return render(
        request,
        "core/security/notice_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
