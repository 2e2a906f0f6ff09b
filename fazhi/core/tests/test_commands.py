"""Operator commands: create_platform_admin."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from fazhi.core import scope

pytestmark = pytest.mark.django_db


def test_create_platform_admin_from_environment(monkeypatch):
    monkeypatch.setenv("FAZHI_ADMIN_PASSWORD", "A-long-enough-pw-42")
    call_command("create_platform_admin", "root_admin", "--name", "管理员")
    user = User.objects.get(username="root_admin")
    assert user.check_password("A-long-enough-pw-42")
    assert scope.grant(user, "manage").everything


def test_create_platform_admin_refuses_weak_password_and_writes_nothing(monkeypatch):
    monkeypatch.setenv("FAZHI_ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError, match="密码不符合要求"):
        call_command("create_platform_admin", "weak_admin")
    assert not User.objects.filter(username="weak_admin").exists()


def test_create_platform_admin_refuses_existing_username(monkeypatch, cast):
    monkeypatch.setenv("FAZHI_ADMIN_PASSWORD", "A-long-enough-pw-42")
    with pytest.raises(CommandError, match="已存在"):
        call_command("create_platform_admin", "a_admin")


def test_pages_say_404_and_403_in_chinese(cast, login):
    client = login(cast.b_operator)
    response = client.get(f"/villages/{cast.a1.pk}/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    response = login(cast.nobody).get("/villages/")
    assert response.status_code == 403
    assert "您的角色无权查看该台账" in response.content.decode()
