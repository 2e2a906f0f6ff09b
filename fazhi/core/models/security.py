"""The 政务 basics of account security (DESIGN §6 security baseline, §2.9 no activity tracking):
a login log, the open sessions (for forced logout), the password state of an account, and the
county's notices to its townships with per-township read receipts.

Nothing here records what a user did: the login log holds logins (success or failure, time,
address), a session row holds when it was opened and when it was last used (for the idle
timeout and the 在线用户 page) and disappears with the session, and a notice's receipt says only
that a township has read it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LoginRecord(models.Model):
    """One login attempt (登录日志). Kept for FAZHI_LOGIN_LOG_DAYS days."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField("登录名", max_length=150)
    succeeded = models.BooleanField("结果")
    reason = models.CharField("说明", max_length=60, blank=True)
    at = models.DateTimeField("时间", db_index=True)
    ip = models.GenericIPAddressField("地址", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "登录日志"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "at"], name="login_user_at")]

    def __str__(self) -> str:
        return f"{self.username} {'成功' if self.succeeded else '失败'} {self.at:%Y-%m-%d %H:%M}"


class UserSession(models.Model):
    """An open login session (在线用户); deleted at logout, forced logout and expiry."""

    session_key = models.CharField("会话", max_length=40, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.CASCADE, related_name="+"
    )
    started_at = models.DateTimeField("登录时间")
    last_seen = models.DateTimeField("最近使用", db_index=True)
    ip = models.GenericIPAddressField("地址", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "在线用户"
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.user} {self.started_at:%Y-%m-%d %H:%M}"


class AccountSecurity(models.Model):
    """The password state of an account. No row: nothing required (demo and command-line
    accounts)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        on_delete=models.CASCADE,
        related_name="security",
    )
    must_change_password = models.BooleanField("须修改初始密码", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "账号安全"

    def __str__(self) -> str:
        return str(self.user)


class Notice(models.Model):
    """A notice (通知公告) from a county to its townships (all of them, or those named)."""

    county = models.ForeignKey(
        "core.County", verbose_name="发布单位", on_delete=models.PROTECT, related_name="notices"
    )
    title = models.CharField("标题", max_length=100)
    body = models.TextField("正文", max_length=10000)
    townships = models.ManyToManyField(
        "core.Township",
        verbose_name="发送乡镇",
        blank=True,
        related_name="+",
        help_text="不选则发送本县全部乡镇",
    )
    published_at = models.DateTimeField("发布时间", db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "通知公告"
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class NoticeReceipt(models.Model):
    """That a township has read a notice (已读) — no user, no time."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="receipts")
    township = models.ForeignKey("core.Township", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "通知已读"
        constraints = [
            models.UniqueConstraint(fields=["notice", "township"], name="notice_receipt_once")
        ]

    def __str__(self) -> str:
        return f"{self.notice} · {self.township} 已读"


class RateCounter(models.Model):
    """A counter of attempts within a time window (wrong codes on the portal, public comments):
    incremented atomically by `core.limits.hit` with one `INSERT … ON CONFLICT DO UPDATE …
    RETURNING`, so concurrent requests in any worker each get their own count. Transient: not in
    backups; expired rows are deleted as new ones are written."""

    key = models.CharField("键", max_length=200, primary_key=True)
    count = models.PositiveIntegerField("次数", default=0)
    expires_at = models.DateTimeField("到期时间", db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "次数限制计数"

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class DropdownVersion(models.Model):
    """The version of a dropdown model's rows (core.dropdowns): a random token replaced, in the
    writer's transaction, at every save and delete of the model's rows, and read once per list
    page by every worker. Transient: not in backups (a restored database starts new tokens)."""

    label = models.CharField("模型", max_length=100, primary_key=True)
    token = models.CharField("版本标记", max_length=32)

    class Meta:
        verbose_name = verbose_name_plural = "下拉选项版本"

    def __str__(self) -> str:
        return f"{self.label}: {self.token}"
