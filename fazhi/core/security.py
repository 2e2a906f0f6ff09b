"""Account security, the 政务 basics (等保): login log, open sessions with forced logout, the
password policy (complexity, change of an initial or reset password on first login, optional
expiry) and the idle timeout. Settings (all through fazhi/env.py, documented in
docs/operations.md):

- FAZHI_IDLE_TIMEOUT_MINUTES (30; 0 turns it off): log out a session unused this long
- FAZHI_PASSWORD_MIN_LENGTH (8), FAZHI_PASSWORD_CHAR_CLASSES (3 of 大写/小写/数字/符号)
- FAZHI_PASSWORD_MAX_AGE_DAYS (0 = passwords do not expire)
- FAZHI_LOGIN_LOG_DAYS (180): login records older than this are deleted

Nothing here records what a user does (DESIGN §2.9): a login record holds the attempt, a session
row when it was opened and last used, and it disappears with the session.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import User
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from fazhi.core.models import AccountSecurity, LoginRecord, UserSession

PASSWORD_STATE_KEY = "_fazhi_password_state"  # noqa: S105  (a session key: "change"/"expired"/"")
#: how often the last-use time is written (a write per request would be wasted work)
TOUCH_EVERY = dt.timedelta(seconds=60)


# --- password policy --------------------------------------------------------------------------
CHAR_CLASSES = (
    ("大写字母", re.compile(r"[A-Z]")),
    ("小写字母", re.compile(r"[a-z]")),
    ("数字", re.compile(r"[0-9]")),
    ("符号", re.compile(r"[^A-Za-z0-9]")),
)


class ComplexityValidator:
    """A password mixes at least `min_classes` of 大写字母、小写字母、数字、符号."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = max(1, min(4, int(min_classes)))

    def validate(self, password: str, user: Any = None) -> None:
        present = [label for label, pattern in CHAR_CLASSES if pattern.search(password or "")]
        if len(present) < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、符号中的至少{self.min_classes}类"
                f"（现有：{'、'.join(present) or '无'}）。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"须包含大写字母、小写字母、数字、符号中的至少{self.min_classes}类。"


def require_password_change(user: User) -> None:
    """An admin created the account or reset its password: the user must change it first."""
    AccountSecurity.objects.update_or_create(
        user=user, defaults={"must_change_password": True, "password_changed_at": timezone.now()}
    )


def mark_password_changed(user: User) -> None:
    """The user chose their own password (or a demo account: already changed)."""
    AccountSecurity.objects.update_or_create(
        user=user,
        defaults={"must_change_password": False, "password_changed_at": timezone.now()},
    )


def password_state(user: User, now: dt.datetime | None = None) -> str:
    """ "change" (initial or reset password), "expired" (older than the maximum age) or ""."""
    state = AccountSecurity.objects.filter(user=user).first()
    if state is not None and state.must_change_password:
        return "change"
    max_age = settings.FAZHI_PASSWORD_MAX_AGE_DAYS
    if max_age:
        changed = (state.password_changed_at if state else None) or user.date_joined
        if changed and (now or timezone.now()) - changed > dt.timedelta(days=max_age):
            return "expired"
    return ""


# --- login log and sessions -------------------------------------------------------------------
def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    ip = get_client_ip_address(request)
    return ip or None


# --- the attempt gate ---------------------------------------------------------------------------
def attempt_key(username: str, ip: str | None) -> str:
    """The attempt gate's counter for a user name from an address (`ip` "" → the prefix of all
    of the user name's counters, used by `manage.py unlock_login`)."""
    return f"login:{(username or '')[:140]}:{ip if ip is not None else '-'}"


class AttemptGateBackend:
    """The authentication backend before the password check: counts a password attempt for (username, IP address)
    atomically *before* any backend checks the password (core.limits.hit) and refuses once the
    count passes AXES_FAILURE_LIMIT within the cool-off.

    django-axes reads the failure count, then the password is checked, then the failure is
    written: eight wrong passwords sent at once all pass its check and are all tried. Axes still
    records failures, locks out and answers with its page; this gate closes the window between
    its check and its count. A successful login (page or token) resets it (`record_login`).
    It has no `get_user`: it never logs anyone in, so sessions name the backend that did."""

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **_: Any
    ) -> None:
        if request is None or username is None:
            return
        from django.core.exceptions import PermissionDenied

        from fazhi.core import limits

        http = getattr(request, "_request", request)  # DRF's Request wraps the HttpRequest
        window = max(int(settings.AXES_COOLOFF_TIME * 3600), 1)
        if limits.hit(attempt_key(username, client_ip(http)), window) > settings.AXES_FAILURE_LIMIT:
            http.axes_locked_out = True
            raise PermissionDenied("登录失败次数过多，账号已被暂时锁定。")
        return


def record_login(request: HttpRequest | None, user: User | None, username: str, ok: bool) -> None:
    reason = ""
    if not ok:
        if request is not None and getattr(request, "axes_locked_out", False):
            reason = "多次失败，已锁定"
        elif user is not None and not user.is_active:
            reason = "账号已停用"
        else:
            reason = "用户名或密码错误"
    elif request is not None:  # the attempt gate's count starts again after a success
        from fazhi.core import limits

        limits.reset(attempt_key(username, client_ip(request)))
    LoginRecord.objects.create(
        user=user,
        username=(username or "")[:150],
        succeeded=ok,
        reason=reason,
        at=timezone.now(),
        ip=client_ip(request),
    )


def purge_login_records(now: dt.datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.FAZHI_LOGIN_LOG_DAYS)
    deleted, _ = LoginRecord.objects.filter(at__lt=cutoff).delete()
    return deleted


def on_logged_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record_login(request, user, user.get_username(), True)
    if request is None or not hasattr(request, "session"):
        return
    now = timezone.now()
    request.session[PASSWORD_STATE_KEY] = password_state(user, now)
    if request.session.session_key is None:
        request.session.save()
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={"user": user, "started_at": now, "last_seen": now, "ip": client_ip(request)},
    )


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username") or "")
    user = User.objects.filter(username=username).first() if username else None
    record_login(request, user, username, False)


def on_logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key).delete()


def _session_store(key: str) -> SessionBase:
    from importlib import import_module

    engine = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(session_key=key)


@transaction.atomic
def end_session(session: UserSession) -> None:
    """Forced logout: the session is deleted from the store, so its next request is anonymous."""
    _session_store(session.session_key).delete()
    session.delete()


def end_sessions_of(user: User) -> int:
    """End every open session of `user` (after an admin resets the password)."""
    count = 0
    for session in UserSession.objects.filter(user=user):
        end_session(session)
        count += 1
    return count


def online_sessions(now: dt.datetime | None = None):
    """Sessions used within the idle timeout (or the session lifetime when it is off)."""
    now = now or timezone.now()
    minutes = settings.FAZHI_IDLE_TIMEOUT_MINUTES
    window = (
        dt.timedelta(minutes=minutes)
        if minutes
        else dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    )
    return UserSession.objects.filter(last_seen__gte=now - window)


# --- middleware -------------------------------------------------------------------------------
#: pages a user who must change the password may still open
_OPEN_PATHS = ("/account/password/", "/accounts/logout/", "/accounts/login/", "/static/", "/help/")


class AccountSecurityMiddleware:
    """Idle timeout, and the password change an initial/reset/expired password requires.

    Runs after authentication and messages. The API (token or session) is not redirected."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            response = self._check(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request: HttpRequest, user: Any) -> HttpResponse | None:
        # The last use lives in the session's UserSession row, not in the session itself:
        # writing the session on every request would slide its fixed lifetime.
        now = timezone.now()
        session = request.session
        key = session.session_key
        if key:
            seen = (
                UserSession.objects.filter(session_key=key)
                .values_list("last_seen", flat=True)
                .first()
            )
            minutes = settings.FAZHI_IDLE_TIMEOUT_MINUTES
            if seen is None:
                UserSession.objects.create(
                    session_key=key, user=user, started_at=now, last_seen=now, ip=client_ip(request)
                )
            elif minutes and now - seen > dt.timedelta(minutes=minutes):
                logout(request)
                UserSession.objects.filter(session_key=key).delete()
                messages.info(request, f"超过{minutes}分钟未操作，已自动退出，请重新登录。")
                return _to(request, f"{reverse('login')}?next={request.path}")
            elif now - seen >= TOUCH_EVERY:
                UserSession.objects.filter(session_key=key).update(last_seen=now)
        state = session.get(PASSWORD_STATE_KEY, "")
        if (
            state
            and not request.path.startswith(_OPEN_PATHS)
            and not request.path.startswith("/api/")
        ):
            return _to(request, reverse("core:password_change"))
        return None


def _to(request: HttpRequest, url: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


# --- retention --------------------------------------------------------------------------------
def _register_purge_job() -> None:
    from fazhi.core import jobs

    @jobs.handler(PURGE_JOB, "清理过期登录日志")
    def purge(job: Any) -> dict[str, Any]:
        return {"deleted": purge_login_records()}

    jobs.daily(PURGE_JOB, dt.time(3, 30))


PURGE_JOB = "core.purge_login_log"
_register_purge_job()
