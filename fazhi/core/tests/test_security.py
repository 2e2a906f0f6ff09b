"""Security: argon2 passwords, login lockout, CSRF, secure headers, session expiry, deploy check."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import reverse

import fazhi.settings as settings_module
from fazhi.core.models import Village

BASE_DIR = Path(settings_module.BASE_DIR)
LOGIN = "/accounts/login/"
PASSWORD = "pw-for-tests-0"  # the cast's password (conftest)
LOCKED_TEXT = "账号已暂时锁定"


def attempt(client: Client, username: str, password: str, ip: str = "127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- passwords ----------------------------------------------------------------------------
def test_production_password_hasher_is_argon2():
    # conftest swaps in MD5 for speed; the settings module itself must name argon2 first
    assert settings_module.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )
    assert "MD5" not in " ".join(settings_module.PASSWORD_HASHERS)


@pytest.mark.django_db
def test_login_with_argon2_stores_an_argon2_hash_and_succeeds():
    with override_settings(PASSWORD_HASHERS=settings_module.PASSWORD_HASHERS):
        user = User.objects.create_user("argon_user", password="Zhen-fazhi-2025!")
        assert user.password.startswith("argon2$argon2id$")
        client = Client()
        response = attempt(client, "argon_user", "Zhen-fazhi-2025!")
        assert response.status_code == 302
        assert logged_in(client)


@pytest.mark.django_db
def test_password_validators_reject_a_short_numeric_password():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("12345678")


# --- login throttling / lockout (django-axes) ---------------------------------------------
def test_lockout_settings_are_five_failures_per_username_and_ip():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[:2] == [
        "axes.backends.AxesStandaloneBackend",
        "fazhi.core.security.AttemptGateBackend",  # before the password check
    ]


def test_wrong_password_shows_the_login_page_again_in_chinese(cast):
    client = Client()
    response = attempt(client, "a_operator", "wrong")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()  # Django's zh-hans error
    assert not logged_in(client)


def test_five_failures_lock_the_account_with_a_chinese_page(cast):
    client = Client()
    for _ in range(4):
        assert attempt(client, "a_operator", "wrong").status_code == 200
    locked = attempt(client, "a_operator", "wrong")
    assert locked.status_code == 429
    assert LOCKED_TEXT in locked.content.decode()
    assert "registration/locked_out.html" in [t.name for t in locked.templates]


def test_correct_password_while_locked_is_refused(cast):
    client = Client()
    for _ in range(5):
        attempt(client, "a_operator", "wrong")
    response = attempt(client, "a_operator", PASSWORD)
    assert response.status_code == 429
    assert LOCKED_TEXT in response.content.decode()
    assert not logged_in(client)


def test_lockout_is_per_username_and_ip(cast):
    for _ in range(5):
        attempt(Client(), "a_operator", "wrong", ip="203.0.113.7")
    assert attempt(Client(), "a_operator", PASSWORD, ip="203.0.113.7").status_code == 429
    # the same user from another address, and another user from the same address, still log in
    other_ip = Client()
    assert attempt(other_ip, "a_operator", PASSWORD, ip="198.51.100.9").status_code == 302
    assert logged_in(other_ip)
    other_user = Client()
    assert attempt(other_user, "b_operator", PASSWORD, ip="203.0.113.7").status_code == 302
    assert logged_in(other_user)


def test_lockout_ends_after_the_cool_off(cast):
    start = dt.datetime(2025, 6, 16, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            attempt(Client(), "a_viewer", "wrong")
        assert attempt(Client(), "a_viewer", PASSWORD).status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        client = Client()
        assert attempt(client, "a_viewer", PASSWORD).status_code == 302
        assert logged_in(client)


def test_successful_login_resets_the_failure_count(cast):
    for _ in range(4):
        attempt(Client(), "a_admin", "wrong")
    assert attempt(Client(), "a_admin", PASSWORD).status_code == 302
    for _ in range(4):
        assert attempt(Client(), "a_admin", "wrong").status_code == 200
    assert attempt(Client(), "a_admin", PASSWORD).status_code == 302


def test_the_attempt_gate_refuses_past_the_limit_even_before_axes_counts(cast):
    """Attempts counted by the gate but not (yet) by axes — concurrent requests in flight —
    refuse the next one, with the lockout page, and the correct password is not tried."""
    from fazhi.core import limits, security

    key = security.attempt_key("a_operator", "127.0.0.1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        limits.hit(key, 900)
    client = Client()
    response = attempt(client, "a_operator", PASSWORD)
    assert response.status_code == 429 and LOCKED_TEXT in response.content.decode()
    assert not logged_in(client)


def test_a_successful_login_resets_the_attempt_gate(cast):
    from fazhi.core import limits, security

    for _ in range(3):
        attempt(Client(), "a_operator", "wrong")
    key = security.attempt_key("a_operator", "127.0.0.1")
    assert limits.count(key) == 3
    assert attempt(Client(), "a_operator", PASSWORD).status_code == 302
    assert limits.count(key) == 0


def test_unlock_login_lifts_both_the_lockout_and_the_attempt_gate(cast):
    from django.core.management import call_command

    for _ in range(6):
        attempt(Client(), "a_operator", "wrong")
    assert attempt(Client(), "a_operator", PASSWORD).status_code == 429
    call_command("unlock_login", "a_operator", stdout=open(os.devnull, "w"))  # noqa: SIM115
    client = Client()
    assert attempt(client, "a_operator", PASSWORD).status_code == 302 and logged_in(client)


@pytest.mark.django_db(transaction=True)
def test_concurrent_wrong_passwords_on_postgresql_are_checked_only_up_to_the_limit(monkeypatch):
    """The probe's race: eight wrong passwords for one account at once. django-axes checks the
    failure count before the password and writes it after, so all eight were tried; with the
    attempt gate exactly AXES_FAILURE_LIMIT passwords are checked, whatever the interleaving."""
    import threading

    from django.contrib.auth import authenticate
    from django.contrib.auth.backends import ModelBackend
    from django.db import connection, connections
    from django.test import RequestFactory

    if connection.vendor != "postgresql":
        pytest.skip(
            "需要 PostgreSQL：SQLite 的测试库为共享内存库，多线程多连接并发写无法在其上复现"
        )
    User.objects.create_user("racer", password=PASSWORD)
    checked, lock = [], threading.Lock()
    original = ModelBackend.authenticate

    def counting(self, request, username=None, password=None, **kwargs):
        with lock:
            checked.append(username)
        return original(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counting)
    barrier, errors = threading.Barrier(8), []

    def run(i: int) -> None:
        try:
            request = RequestFactory().post(LOGIN, REMOTE_ADDR="192.0.2.1")
            barrier.wait()
            assert authenticate(request, username="racer", password=f"wrong{i}") is None
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=run, args=(i,)) for i in range(8)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert not errors, errors
    assert len(checked) == settings.AXES_FAILURE_LIMIT


# --- CSRF ---------------------------------------------------------------------------------
def test_login_post_without_csrf_token_is_refused(cast):
    client = Client(enforce_csrf_checks=True)
    response = attempt(client, "a_operator", PASSWORD)
    assert response.status_code == 403
    assert not logged_in(client)


def test_login_post_with_csrf_token_from_the_page_succeeds(cast):
    client = Client(enforce_csrf_checks=True)
    page = client.get(LOGIN)
    token = page.context["csrf_token"]
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    response = client.post(
        LOGIN, {"username": "a_operator", "password": PASSWORD, "csrfmiddlewaretoken": str(token)}
    )
    assert response.status_code == 302
    assert logged_in(client)


def test_page_edit_without_csrf_token_is_refused_and_changes_nothing(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.a_operator)
    url = reverse("core:villages_edit", args=[cast.a1.pk])
    response = client.post(url, {"name": "改名村", "kind": "village", "version": 1})
    assert response.status_code == 403
    assert Village.objects.get(pk=cast.a1.pk).name == "甲一村"


def test_api_session_write_without_csrf_token_is_refused(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.a_operator)
    response = client.post(
        "/api/core/villages/",
        {"township": cast.a.pk, "name": "无令牌村", "kind": "village"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Village.objects.filter(name="无令牌村").exists()


def test_logout_requires_post_with_csrf(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.a_operator)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 403
    assert logged_in(client)


# --- secure headers -----------------------------------------------------------------------
@pytest.mark.parametrize("path", [LOGIN, "/gk/"])
@pytest.mark.django_db
def test_pages_send_secure_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_logged_in_pages_and_api_send_secure_headers(cast, login, api):
    for response in (
        login(cast.a_operator).get(reverse("core:villages_detail", args=[cast.a1.pk])),
        login(cast.a_operator).get("/api/core/villages/"),
    ):
        assert response.status_code == 200
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


# --- sessions -----------------------------------------------------------------------------
def test_session_settings_expire_after_a_working_day_and_on_browser_close():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_session_cookie_is_http_only_and_ends_with_the_browser(cast):
    client = Client()
    response = attempt(client, "a_operator", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie
    assert cookie["samesite"] == "Lax"


@override_settings(FAZHI_IDLE_TIMEOUT_MINUTES=0)  # the lifetime alone (idle: test_account_security)
def test_session_expires_after_eight_hours(cast):
    start = dt.datetime(2025, 6, 16, 1, 0, tzinfo=dt.UTC)
    client = Client()
    with time_machine.travel(start, tick=False):
        assert attempt(client, "a_operator", PASSWORD).status_code == 302
    with time_machine.travel(start + dt.timedelta(hours=7, minutes=59), tick=False):
        assert client.get("/").status_code == 302  # → township home
        assert client.get("/").url != f"{LOGIN}?next=/"
    with time_machine.travel(start + dt.timedelta(hours=8, minutes=1), tick=False):
        response = client.get("/")
        assert response.status_code == 302
        assert response.url == f"{LOGIN}?next=/"


def test_session_id_changes_at_login(cast):
    client = Client()
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    attempt(client, "a_operator", PASSWORD)
    assert client.session.session_key != before


# --- production settings: manage.py check --deploy ----------------------------------------
def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("FAZHI_") and k not in ("DJANGO_SETTINGS_MODULE",)
    }
    environ.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_with_no_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        FAZHI_PRODUCTION="1",
        FAZHI_SECRET_KEY="prod-" + "k7Q2xv9LmP4sR8tW" * 4,
        FAZHI_ALLOWED_HOSTS="fazhi.example.gov.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_production_refuses_to_start_with_a_short_secret():
    """Under 50 characters the settings refuse to load at all (before Django's W009 could warn),
    naming the variable in Chinese."""
    result = _manage(
        "check",
        "--deploy",
        "--tag",
        "security",
        "--fail-level",
        "WARNING",
        FAZHI_PRODUCTION="1",
        FAZHI_SECRET_KEY="short",
        FAZHI_ALLOWED_HOSTS="fazhi.example.gov.cn",
    )
    assert result.returncode != 0
    assert "FAZHI_SECRET_KEY 在生产环境中至少需要 50 个随机字符" in result.stderr


# --- the documented role table is the code's -----------------------------------------------
def test_tenancy_doc_role_table_matches_roles_py():
    from fazhi.core.roles import ACTIONS, ROLE_ACTIONS

    text = (BASE_DIR / "docs" / "tenancy-and-permissions.md").read_text(encoding="utf-8")
    table = text.split("<!-- role-table:start -->")[1].split("<!-- role-table:end -->")[0]
    lines = [line.strip().strip("|").split("|") for line in table.strip().splitlines()]
    header = [cell.strip().split(" ")[0] for cell in lines[0]]
    assert tuple(header[2:]) == ACTIONS
    documented = {}
    for cells in lines[2:]:
        role = cells[0].strip().strip("`")
        documented[role] = frozenset(
            action for action, cell in zip(ACTIONS, cells[2:], strict=True) if cell.strip() == "✓"
        )
    assert documented == {str(role): actions for role, actions in ROLE_ACTIONS.items()}
