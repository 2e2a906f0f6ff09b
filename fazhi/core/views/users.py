"""Account and role management pages (MANAGE action), and the role → actions table."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fazhi.core import accounts, scope
from fazhi.core.choices import Role
from fazhi.core.models import County, Department, Membership, Village
from fazhi.core.roles import ACTION_LABELS, ACTIONS, MANAGE, ROLE_ACTIONS
from fazhi.core.views.generic import apply_errors


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    county = forms.ModelChoiceField(
        label="县(市、区)",
        queryset=County.objects.none(),
        required=False,
        help_text="仅县级角色填写",
    )
    township = forms.ModelChoiceField(label="乡镇", queryset=None, required=False)
    department = forms.ModelChoiceField(
        label="站所", queryset=Department.objects.none(), required=False
    )
    village = forms.ModelChoiceField(
        label="村(社区、场)",
        queryset=Village.objects.none(),
        required=False,
        help_text="调解员、网格员等村级角色填写",
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        townships = scope.writable_townships(actor, MANAGE)
        self.fields["township"].queryset = townships
        self.fields["department"].queryset = Department.objects.filter(township__in=townships)
        self.fields["village"].queryset = Village.objects.filter(township__in=townships)
        if scope.grant(actor, MANAGE).everything:
            self.fields["county"].queryset = County.objects.all()
        else:
            del self.fields["county"]
            self.fields["role"].choices = [
                (v, label)
                for v, label in Role.choices
                if v not in (Role.PLATFORM_ADMIN, Role.COUNTY_SUPERVISOR)
            ]

    def unit(self) -> dict[str, Any]:
        return {
            k: self.cleaned_data.get(k) for k in ("county", "township", "department", "village")
        }


class AccountForm(MembershipForm):
    username = forms.RegexField(
        label="用户名",
        regex=r"^[A-Za-z0-9_.@-]{3,150}$",
        error_messages={"invalid": "用户名只能包含字母、数字和 _ . @ -，3 位以上。"},
    )
    full_name = forms.CharField(label="姓名", max_length=150)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, min_length=8)
    field_order = [
        "username",
        "full_name",
        "password",
        "role",
        "county",
        "township",
        "department",
        "village",
    ]


def _require_manage(request: HttpRequest) -> None:
    if not scope.has_any(request.user, MANAGE):
        raise PermissionDenied("您的角色无权管理账号。")


def _managed(request: HttpRequest, pk: int) -> User:
    try:
        return accounts.managed_users(request.user).get(pk=pk)
    except User.DoesNotExist:
        raise Http404("账号不存在或无权管理。") from None


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    users = (
        accounts.managed_users(request.user)
        .order_by("username")
        .prefetch_related(
            "memberships__township",
            "memberships__village",
            "memberships__county",
            "memberships__department",
        )
    )
    return render(request, "core/users/list.html", {"users": users})


@login_required
def user_add(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    form = AccountForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = accounts.create_account(
                actor=request.user,
                username=form.cleaned_data["username"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
                role=form.cleaned_data["role"],
                **form.unit(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已新建账号 {user.username}")
            return redirect("core:user_detail", pk=user.pk)
    return render(
        request,
        "core/users/form.html",
        {"form": form, "title": "新建账号"},
        status=400 if form.errors else 200,
    )


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    user = _managed(request, pk)
    form = MembershipForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.grant_membership(
                user, actor=request.user, role=form.cleaned_data["role"], **form.unit()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已授予角色")
            return redirect("core:user_detail", pk=user.pk)
    memberships = Membership.objects.filter(user=user).select_related(
        "township", "county", "department", "village"
    )
    manageable = set(
        Membership.objects.visible_to(request.user, "change")
        .filter(user=user)
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "core/users/detail.html",
        {
            "account": user,
            "memberships": memberships,
            "manageable": manageable,
            "events": accounts.account_events(user)[:50],
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def membership_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    try:
        membership = Membership.objects.visible_to(request.user, "delete").get(pk=pk)
    except Membership.DoesNotExist:
        raise Http404("授权不存在或无权管理。") from None
    accounts.revoke_membership(membership, actor=request.user)
    messages.success(request, "已撤销角色")
    return redirect("core:user_detail", pk=membership.user_id)


@login_required
@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    user = _managed(request, pk)
    try:
        accounts.set_active(user, request.POST.get("active") == "1", actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("core:user_detail", pk=user.pk)


@login_required
@require_POST
def user_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    user = _managed(request, pk)
    try:
        accounts.reset_password(user, request.POST.get("password", ""), actor=request.user)
    except ValidationError as exc:
        messages.error(request, "新密码不符合要求：" + "；".join(exc.messages))
    else:
        messages.success(request, "已重置密码")
    return redirect("core:user_detail", pk=user.pk)


@login_required
def role_table(request: HttpRequest) -> HttpResponse:
    rows = [
        (label, [action in ROLE_ACTIONS[value] for action in ACTIONS])
        for value, label in Role.choices
    ]
    return render(
        request,
        "core/users/roles.html",
        {"actions": [ACTION_LABELS[a] for a in ACTIONS], "rows": rows},
    )
