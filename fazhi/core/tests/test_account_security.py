"""The 政务 basics: 登录日志, 在线用户 with forced logout, password policy (complexity, first-login
change, expiry), idle timeout, 通知公告 county → townships with per-township 已读."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import timezone

from fazhi.core import accounts, security
from fazhi.core.choices import Role
from fazhi.core.models import (
    AccountSecurity,
    LoginRecord,
    Membership,
    Notice,
    NoticeReceipt,
    UserSession,
)

PASSWORD = "pw-for-tests-0"


def _user(username: str, role: str, **unit) -> User:
    user = User.objects.create_user(username, password=PASSWORD, first_name=username)
    Membership.objects.create(user=user, role=role, **unit)
    return user


@pytest.fixture
def people(cast):
    return {
        "a_admin": cast.a_admin,
        "a_operator": cast.a_operator,
        "b_admin": _user("b_admin", Role.TOWNSHIP_ADMIN, township=cast.b),
        "b_operator": cast.b_operator,
        "supervisor": cast.supervisor,
        "platform": cast.admin,
    }


def _signed_in(username: str, password: str = PASSWORD, ip: str = "10.0.0.7") -> Client:
    client = Client(REMOTE_ADDR=ip)
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:300]
    return client


# --- 登录日志 ---------------------------------------------------------------------------------
def test_logins_and_failures_are_logged_with_time_and_address(people):
    _signed_in("a_operator")
    Client(REMOTE_ADDR="10.0.0.9").post(
        "/accounts/login/", {"username": "a_operator", "password": "wrong-one"}
    )
    rows = list(LoginRecord.objects.filter(username="a_operator").order_by("at", "pk"))
    assert [(r.succeeded, r.ip, r.user_id) for r in rows] == [
        (True, "10.0.0.7", people["a_operator"].pk),
        (False, "10.0.0.9", people["a_operator"].pk),
    ]
    assert rows[1].reason == "用户名或密码错误"


def test_the_login_log_shows_only_the_accounts_an_admin_manages(people):
    _signed_in("a_operator")
    _signed_in("b_operator")
    Client().post("/accounts/login/", {"username": "nobody-here", "password": "x"})
    a_admin = _signed_in("a_admin")
    names = {r.username for r in a_admin.get("/security/logins/").context["page"]}
    assert "a_operator" in names and "b_operator" not in names and "nobody-here" not in names
    platform = _signed_in("platform")
    names = {r.username for r in platform.get("/security/logins/").context["page"]}
    assert {"a_operator", "b_operator", "nobody-here"} <= names
    # only administrators: an operator and the county supervisor are refused
    assert _signed_in("a_operator").get("/security/logins/").status_code == 403
    assert _signed_in("county_sup").get("/security/logins/").status_code == 403
    filtered = a_admin.get("/security/logins/", {"result": "failed"}).context["page"]
    assert all(not r.succeeded for r in filtered)


def test_old_login_records_are_purged(people):
    LoginRecord.objects.create(
        username="x", succeeded=True, at=timezone.now() - dt.timedelta(days=400)
    )
    LoginRecord.objects.create(username="y", succeeded=True, at=timezone.now())
    assert security.purge_login_records() == 1
    assert list(LoginRecord.objects.values_list("username", flat=True)) == ["y"]


# --- 在线用户 ---------------------------------------------------------------------------------
def test_admin_forces_a_logout_within_scope_only(people):
    operator = _signed_in("a_operator")
    assert operator.get("/deadlines/").status_code == 200
    session = UserSession.objects.get(user=people["a_operator"])
    platform_session = _signed_in("platform")
    platform_row = UserSession.objects.get(user=people["platform"])

    b_admin = _signed_in("b_admin")
    assert session not in b_admin.get("/security/online/").context["sessions"]
    assert b_admin.post(f"/security/online/{session.pk}/logout/").status_code == 404

    a_admin = _signed_in("a_admin")
    listed = list(a_admin.get("/security/online/").context["sessions"])
    assert session in listed and platform_row not in listed  # not above the admin's role
    assert a_admin.post(f"/security/online/{platform_row.pk}/logout/").status_code == 404
    assert (
        _signed_in("a_operator").post(f"/security/online/{session.pk}/logout/").status_code == 403
    )

    assert a_admin.post(f"/security/online/{session.pk}/logout/").status_code == 302
    response = operator.get("/deadlines/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not UserSession.objects.filter(pk=session.pk).exists()
    assert platform_session.get("/deadlines/").status_code == 200


# --- password policy --------------------------------------------------------------------------
def test_a_password_mixes_three_kinds_of_characters():
    validator = security.ComplexityValidator(3)
    for weak in ("abcdefghij", "abcdefgh12", "ABCDEFGH12"):
        with pytest.raises(ValidationError, match="至少3类"):
            validator.validate(weak)
    validator.validate("fazhi-demo-2025")  # the demo password keeps working
    validator.validate("Abcdefgh12")


def test_an_account_an_admin_created_must_change_its_password_first(cast, people):
    user = accounts.create_account(
        actor=people["a_admin"],
        username="new_clerk",
        full_name="新办事员",
        password="Initial-pw-2025",
        role=Role.TOWNSHIP_OPERATOR,
        township=cast.a,
    )
    client = _signed_in("new_clerk", "Initial-pw-2025")
    response = client.get("/deadlines/")
    assert response.status_code == 302 and response["Location"] == "/account/password/"
    page = client.get("/account/password/")
    assert "初始密码" in page.content.decode()
    same = client.post(
        "/account/password/",
        {
            "old_password": "Initial-pw-2025",
            "new_password1": "Initial-pw-2025",
            "new_password2": "Initial-pw-2025",
        },
    )
    assert same.status_code == 400 and "不能与原密码相同" in same.content.decode()
    weak = client.post(
        "/account/password/",
        {
            "old_password": "Initial-pw-2025",
            "new_password1": "abcdefghijk",
            "new_password2": "abcdefghijk",
        },
    )
    assert weak.status_code == 400 and "至少3类" in weak.content.decode()
    done = client.post(
        "/account/password/",
        {
            "old_password": "Initial-pw-2025",
            "new_password1": "Mine-own-2025",
            "new_password2": "Mine-own-2025",
        },
    )
    assert done.status_code == 302
    assert client.get("/deadlines/").status_code == 200
    assert not AccountSecurity.objects.get(user=user).must_change_password


def test_a_reset_ends_the_users_sessions_and_requires_a_change(people):
    operator = _signed_in("a_operator")
    accounts.reset_password(people["a_operator"], "Reset-pw-2025x", actor=people["a_admin"])
    assert operator.get("/deadlines/").status_code == 302  # logged out
    again = _signed_in("a_operator", "Reset-pw-2025x")
    assert again.get("/deadlines/")["Location"] == "/account/password/"


def test_demo_accounts_are_flagged_as_already_changed(cast, people):
    from fazhi.core.demo import _demo_password_kept

    security.require_password_change(people["a_operator"])
    _demo_password_kept(people["a_operator"])
    assert _signed_in("a_operator").get("/deadlines/").status_code == 200


def test_password_expiry_is_off_by_default_and_configurable(people):
    AccountSecurity.objects.create(
        user=people["a_operator"], password_changed_at=timezone.now() - dt.timedelta(days=400)
    )
    assert _signed_in("a_operator").get("/deadlines/").status_code == 200
    with override_settings(FAZHI_PASSWORD_MAX_AGE_DAYS=90):
        client = _signed_in("a_operator")
        assert client.get("/deadlines/")["Location"] == "/account/password/"
        assert "超过规定的使用期限" in client.get("/account/password/").content.decode()


# --- idle timeout -----------------------------------------------------------------------------
def test_an_idle_session_is_logged_out(people):
    client = _signed_in("a_operator")
    UserSession.objects.filter(user=people["a_operator"]).update(
        last_seen=timezone.now() - dt.timedelta(minutes=31)
    )
    response = client.get("/deadlines/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not UserSession.objects.filter(user=people["a_operator"]).exists()
    with override_settings(FAZHI_IDLE_TIMEOUT_MINUTES=0):
        client = _signed_in("a_operator")
        UserSession.objects.filter(user=people["a_operator"]).update(
            last_seen=timezone.now() - dt.timedelta(hours=7)
        )
        assert client.get("/deadlines/").status_code == 200


# --- 通知公告 ---------------------------------------------------------------------------------
def test_the_county_publishes_and_its_townships_confirm_read(cast, people):
    sup = _signed_in("county_sup")
    assert sup.get("/notices/add/").status_code == 200
    bad = sup.post("/notices/add/", {"county": cast.county.pk, "title": "", "body": "x"})
    assert bad.status_code == 400 and not Notice.objects.exists()
    response = sup.post(
        "/notices/add/",
        {
            "county": cast.county.pk,
            "title": "关于报送年度报告的通知",
            "body": "请于1月31日前报送。",
        },
    )
    assert response.status_code == 302
    notice = Notice.objects.get()
    a_op = _signed_in("a_operator")
    assert "有1条未读的通知公告" in a_op.get("/deadlines/").content.decode()
    listing = a_op.get("/notices/").content.decode()
    assert "关于报送年度报告的通知" in listing and "未读" in listing
    assert a_op.post(f"/notices/{notice.pk}/read/").status_code == 302
    assert list(NoticeReceipt.objects.values_list("township_id", flat=True)) == [cast.a.pk]
    assert "未读的通知公告" not in a_op.get("/deadlines/").content.decode()
    detail = sup.get(f"/notices/{notice.pk}/")
    assert sorted((t.name, read) for t, read in detail.context["receipts"]) == [
        ("乙镇", False),
        ("甲镇", True),
    ]
    # townships do not publish; a notice to another county's townships does not exist for them
    assert a_op.get("/notices/add/").status_code == 403
    c_op = _signed_in_as(cast, "c_operator", Role.TOWNSHIP_OPERATOR, township=cast.c)
    assert c_op.get(f"/notices/{notice.pk}/").status_code == 404
    assert c_op.post(f"/notices/{notice.pk}/read/").status_code == 404


def test_a_notice_to_one_township_is_404_for_the_others(cast, people):
    sup = _signed_in("county_sup")
    sup.post(
        "/notices/add/",
        {
            "county": cast.county.pk,
            "title": "甲镇专项通知",
            "body": "正文",
            "townships": [cast.a.pk],
        },
    )
    notice = Notice.objects.get()
    assert _signed_in("a_operator").get(f"/notices/{notice.pk}/").status_code == 200
    b_op = _signed_in("b_operator")
    assert b_op.get(f"/notices/{notice.pk}/").status_code == 404
    assert "甲镇专项通知" not in b_op.get("/notices/").content.decode()
    # the county cannot address another county's township
    other = sup.post(
        "/notices/add/",
        {"county": cast.county.pk, "title": "错投", "body": "x", "townships": [cast.c.pk]},
    )
    assert other.status_code == 400


def _signed_in_as(cast, username: str, role: str, **unit) -> Client:
    _user(username, role, **unit)
    return _signed_in(username)


def test_no_api_token_before_the_initial_password_is_changed(people):
    from rest_framework.test import APIClient

    security.require_password_change(people["a_operator"])
    response = APIClient().post(
        "/api/auth/token/", {"username": "a_operator", "password": PASSWORD}
    )
    assert response.status_code == 403 and "修改初始密码" in response.json()["detail"]
    security.mark_password_changed(people["a_operator"])
    response = APIClient().post(
        "/api/auth/token/", {"username": "a_operator", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert LoginRecord.objects.filter(username="a_operator", succeeded=True).exists()


def test_the_new_pages_speak_chinese(cast, people):
    from fazhi.core.tests.english import english_words
    from fazhi.disputes.tests.helpers import register

    dispute = register(cast)
    _signed_in("a_operator")
    Client().post("/accounts/login/", {"username": "a_operator", "password": "wrong"})
    sup = _signed_in("county_sup")
    sup.post("/notices/add/", {"county": cast.county.pk, "title": "通知", "body": "正文"})
    notice = Notice.objects.get()
    names = {u.username for u in User.objects.all()} | {u.first_name for u in User.objects.all()}
    pages = {
        "a_admin": [
            "/security/logins/",
            "/security/online/",
            "/notices/",
            f"/notices/{notice.pk}/",
            "/account/password/",
            f"/disputes/disputes/{dispute.pk}/",
            "/disputes/disputes/?print=1",
            "/search/?q=张三",
            "/help/",
            "/help/disputes/",
        ],
        "county_sup": ["/notices/add/", f"/notices/{notice.pk}/", "/search/?q=甲"],
    }
    for username, urls in pages.items():
        client = _signed_in(username)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (username, url)
            assert english_words(response.content.decode(), names) == [], (username, url)


def test_the_demo_county_sends_a_notice_one_township_has_read(db):
    from fazhi.core import demo

    result = demo.load([demo.load_org, demo.load_users, demo.load_notices])
    notice = Notice.objects.first()
    assert notice is not None and "演示" in notice.title
    assert NoticeReceipt.objects.filter(notice=notice).count() == 1
    assert demo.load([demo.load_org, demo.load_users, demo.load_notices]).changed is False
    assert result.townships
