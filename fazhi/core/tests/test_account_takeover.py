"""Issue 7 item 1: an administrator manages only accounts whose every membership lies inside the
administrator's scope and whose roles are not above the administrator's own. Every admin role is
tried against every higher or foreign account, through every page that changes an account and
the token endpoint that would hand the attacker the victim's scope."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from fazhi.core.choices import Role
from fazhi.core.models import Membership

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Taken-over-pw-2026"


def _victims(cast) -> dict[str, User]:
    """Accounts a township admin of 甲镇 must not manage; each also holds a role in 甲镇 (the hook
    the attack used), except the purely foreign ones."""

    def user(name: str, *memberships: dict) -> User:
        u = User.objects.create_user(name, password="pw-for-tests-0")
        for m in memberships:
            Membership.objects.create(user=u, **m)
        return u

    in_a = {"role": Role.VIEWER, "township": cast.a}
    superuser = user("root_in_a", in_a)
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    return {
        "platform admin": cast.admin,
        "platform admin with a role in 甲镇": user(
            "plat_in_a", {"role": Role.PLATFORM_ADMIN}, in_a
        ),
        "county supervisor with a role in 甲镇": user(
            "sup_in_a", {"role": Role.COUNTY_SUPERVISOR, "county": cast.county}, in_a
        ),
        "other county's supervisor with a role in 甲镇": user(
            "sup_c_in_a", {"role": Role.COUNTY_SUPERVISOR, "county": cast.other_county}, in_a
        ),
        "county supervisor": cast.supervisor,
        "operator of 乙镇 with a role in 甲镇": user(
            "b_op_in_a", {"role": Role.TOWNSHIP_OPERATOR, "township": cast.b}, in_a
        ),
        "operator of 乙镇": cast.b_operator,
        "admin of 乙镇": user("b_admin", {"role": Role.TOWNSHIP_ADMIN, "township": cast.b}),
        "superuser with a role in 甲镇": superuser,
    }


def _attack(client, victim: User) -> list[tuple[str, int]]:
    pk = victim.pk
    answers = [
        ("detail", client.get(f"/users/{pk}/").status_code),
        ("password", client.post(f"/users/{pk}/password/", {"password": NEW_PASSWORD}).status_code),
        ("deactivate", client.post(f"/users/{pk}/active/", {"active": "0"}).status_code),
        ("re-role", client.post(f"/users/{pk}/", {"role": Role.VIEWER}).status_code),
    ]
    for m in Membership.objects.filter(user=victim):
        answers.append(
            ("revoke", client.post(f"/memberships/{m.pk}/revoke/").status_code),
        )
    return answers


def test_township_admin_cannot_take_over_higher_or_foreign_accounts(cast, login):
    victims = _victims(cast)
    client = login(cast.a_admin)
    for label, victim in victims.items():
        before = (
            victim.password,
            victim.is_active,
            sorted(Membership.objects.filter(user=victim).values_list("pk", "role")),
        )
        for action, status in _attack(client, victim):
            assert status == 404, (label, action, status)
        victim.refresh_from_db()
        after = (
            victim.password,
            victim.is_active,
            sorted(Membership.objects.filter(user=victim).values_list("pk", "role")),
        )
        assert after == before, label
        token = APIClient().post(
            "/api/auth/token/", {"username": victim.username, "password": NEW_PASSWORD}
        )
        assert token.status_code == 400, label
    listed = set(client.get("/users/").context["users"].values_list("pk", flat=True))
    assert not listed & {v.pk for v in victims.values()}


def test_township_admin_cannot_take_over_another_township_admin_of_the_same_township(cast, login):
    """Equal rank in the same township is allowed (the issue: not *above*); the superior one
    (a platform admin holding a township role) is not."""
    peer = User.objects.create_user("a_admin2", password="pw-for-tests-0")
    Membership.objects.create(user=peer, role=Role.TOWNSHIP_ADMIN, township=cast.a)
    client = login(cast.a_admin)
    assert client.post(f"/users/{peer.pk}/password/", {"password": NEW_PASSWORD}).status_code == 302
    peer.refresh_from_db()
    assert peer.check_password(NEW_PASSWORD)


def test_township_admin_cannot_grant_a_role_above_their_own(cast, login):
    client = login(cast.a_admin)
    for role in (Role.PLATFORM_ADMIN, Role.COUNTY_SUPERVISOR):
        response = client.post(f"/users/{cast.a_viewer.pk}/", {"role": role, "township": cast.a.pk})
        assert response.status_code == 400
    assert set(Membership.objects.filter(user=cast.a_viewer).values_list("role", flat=True)) == {
        Role.VIEWER
    }


def test_township_admin_still_manages_own_accounts(cast, login):
    client = login(cast.a_admin)
    for user in (cast.a_operator, cast.a_viewer, cast.a1_mediator, cast.a_officer):
        assert client.get(f"/users/{user.pk}/").status_code == 200
        response = client.post(f"/users/{user.pk}/password/", {"password": NEW_PASSWORD})
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.check_password(NEW_PASSWORD)


def test_platform_admin_manages_every_account(cast, login):
    client = login(cast.admin)
    for user in (cast.supervisor, cast.a_admin, cast.b_operator):
        assert client.get(f"/users/{user.pk}/").status_code == 200


def test_non_admin_roles_manage_nobody(cast, login):
    for actor in (cast.supervisor, cast.a_operator, cast.a_viewer, cast.a1_mediator):
        client = login(actor)
        assert client.post(
            f"/users/{cast.a_viewer.pk}/password/", {"password": NEW_PASSWORD}
        ).status_code in (403, 404)
    cast.a_viewer.refresh_from_db()
    assert not cast.a_viewer.check_password(NEW_PASSWORD)


def test_password_reset_and_deactivation_revoke_api_tokens(cast, login):
    from rest_framework.authtoken.models import Token

    for action, data in (("password", {"password": NEW_PASSWORD}), ("active", {"active": "0"})):
        token = Token.objects.create(user=cast.a_operator)
        login(cast.a_admin).post(f"/users/{cast.a_operator.pk}/{action}/", data)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        assert client.get("/api/core/villages/").status_code == 401, action
        cast.a_operator.is_active = True
        cast.a_operator.save()
