"""Accounts and memberships: who may do what where. Township admins manage their township's
accounts; platform admins manage everything (including county roles). Every change is audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from fazhi.core import scope
from fazhi.core.audit import record_change, record_event, snapshot
from fazhi.core.choices import ChangeAction, Role
from fazhi.core.models import Membership
from fazhi.core.roles import MANAGE


def _actor_rank(actor: Any) -> int:
    """The highest rank among the actor's roles that carry MANAGE."""
    from fazhi.core.roles import ROLE_ACTIONS, ROLE_RANK

    return max(
        (
            ROLE_RANK.get(role, 0)
            for role in Membership.objects.filter(user=actor).values_list("role", flat=True)
            if MANAGE in ROLE_ACTIONS.get(role, frozenset())
        ),
        default=0,
    )


def managed_users(actor: Any):
    """Accounts the actor may manage (see their page, set their password, (de)activate them,
    grant and revoke their roles).

    A platform administrator manages every account. Any other administrator manages an account
    only when *every* membership of it lies inside the townships the administrator manages (no
    county or platform role, nothing in another township) and none of its roles stands above the
    administrator's own; superuser accounts and accounts without any role are out of reach.
    """
    from fazhi.core.roles import ROLE_RANK

    g = scope.grant(actor, MANAGE)
    if g.everything:
        return User.objects.all()
    if not g.townships:
        return User.objects.none()
    rank = _actor_rank(actor)
    above = [role for role, r in ROLE_RANK.items() if r > rank]
    outside = Membership.objects.filter(
        Q(township_id__isnull=True)
        | ~Q(township_id__in=g.townships)
        | Q(county_id__isnull=False)
        | Q(role__in=above)
    ).values("user_id")
    inside = Membership.objects.filter(township_id__in=g.townships).values("user_id")
    return (
        User.objects.filter(pk__in=inside)
        .exclude(pk__in=outside)
        .exclude(is_superuser=True)
        .exclude(is_staff=True)
    )


def may_manage(actor: Any, user: User) -> bool:
    return managed_users(actor).filter(pk=user.pk).exists()


def _check_grant(actor: Any, membership: Membership) -> None:
    g = scope.grant(actor, MANAGE)
    if g.everything:
        return
    if membership.role == Role.PLATFORM_ADMIN or membership.county_id:
        raise PermissionDenied("只有平台管理员可以授予平台或县级角色。")
    if membership.township_id not in g.townships:
        raise PermissionDenied("您无权管理该乡镇的账号。")
    from fazhi.core.roles import ROLE_RANK

    if ROLE_RANK.get(membership.role, 0) > _actor_rank(actor):
        raise PermissionDenied("不能授予高于您本人角色的角色。")


@transaction.atomic
def grant_membership(
    user: User,
    *,
    actor: Any,
    role: str,
    county=None,
    township=None,
    department=None,
    village=None,
    new_account: bool = False,
) -> Membership:
    if not new_account:
        _ensure_managed(actor, user)
    membership = Membership(
        user=user,
        role=role,
        county=county,
        township=township,
        department=department,
        village=village,
    )
    membership.full_clean()
    _check_grant(actor, membership)
    if Membership.objects.filter(
        user=user,
        role=role,
        county=county,
        township=membership.township,
        department=department,
        village=village,
    ).exists():
        raise ValidationError({"role": "该账号已有此角色。"})
    membership.save()
    record_change(membership, ChangeAction.CREATE, None, snapshot(membership), actor=actor)
    record_event(
        "core.membership_granted",
        f"授予 {user.username} {membership.get_role_display()}（{membership.unit}）",
        township=membership.township_id,
        actor=actor,
        obj=membership,
        payload={"user": user.pk},
    )
    scope.forget(user)
    return membership


@transaction.atomic
def revoke_membership(membership: Membership, *, actor: Any) -> None:
    _ensure_managed(actor, membership.user)
    _check_grant(actor, membership)
    record_change(membership, ChangeAction.DELETE, snapshot(membership), None, actor=actor)
    record_event(
        "core.membership_revoked",
        f"撤销 {membership.user.username} {membership.get_role_display()}（{membership.unit}）",
        township=membership.township_id,
        actor=actor,
        payload={"user": membership.user_id},
    )
    membership.delete()


@transaction.atomic
def create_account(
    *,
    actor: Any,
    username: str,
    full_name: str,
    password: str,
    role: str,
    township=None,
    county=None,
    department=None,
    village=None,
) -> User:
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": "用户名已存在。"})
    user = User(username=username, first_name=full_name)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save()
    from fazhi.core import security

    security.require_password_change(user)  # an initial password: changed on first login
    grant_membership(
        user,
        actor=actor,
        role=role,
        county=county,
        township=township,
        department=department,
        village=village,
        new_account=True,
    )
    record_event(
        "core.account_created",
        f"新建账号 {username}（{full_name}）",
        township=township,
        actor=actor,
        payload={"user": user.pk},
    )
    return user


def account_events(user: User):
    """The account's history: roles granted and revoked, activation, password resets."""
    from fazhi.core.models import DomainEvent

    return DomainEvent.objects.filter(kind__startswith="core.", payload__user=user.pk).order_by(
        "-at", "-id"
    )


def _ensure_managed(actor: Any, user: User) -> None:
    if not may_manage(actor, user):
        from django.http import Http404

        raise Http404("账号不存在或无权管理。")


@transaction.atomic
def set_active(user: User, active: bool, *, actor: Any) -> None:
    _ensure_managed(actor, user)
    if user == actor:
        raise ValidationError("不能停用自己的账号。")
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        revoke_tokens(user)
    township = user.memberships.exclude(township=None).values_list("township_id", flat=True).first()
    record_event(
        "core.account_activated" if active else "core.account_deactivated",
        f"{'启用' if active else '停用'}账号 {user.username}",
        township=township,
        actor=actor,
        payload={"user": user.pk},
    )


@transaction.atomic
def reset_password(user: User, password: str, *, actor: Any) -> None:
    _ensure_managed(actor, user)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    revoke_tokens(user)
    from fazhi.core import security

    security.require_password_change(user)  # the user sets their own on the next login
    security.end_sessions_of(user)
    township = user.memberships.exclude(township=None).values_list("township_id", flat=True).first()
    record_event(
        "core.password_reset",
        f"重置账号 {user.username} 的密码",
        township=township,
        actor=actor,
        payload={"user": user.pk},
    )


def revoke_tokens(user: User) -> None:
    """Delete the account's API tokens (after a password reset or a deactivation)."""
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
