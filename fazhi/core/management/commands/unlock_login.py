"""Lift a login lockout early: django-axes' failure records and the attempt gate's counters of
one user name (every client address)."""

from typing import Any

from axes.utils import reset
from django.core.management.base import BaseCommand, CommandParser

from fazhi.core.models import RateCounter
from fazhi.core.security import attempt_key


class Command(BaseCommand):
    help = "解除某个用户名的登录锁定（清除失败记录和尝试计数，所有来源地址）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="用户名")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        failures = reset(username=username)
        prefix = attempt_key(username, "")
        counters, _ = RateCounter.objects.filter(key__startswith=prefix).delete()
        self.stdout.write(
            f"已解除 {username} 的登录锁定：清除失败记录 {failures} 条、尝试计数 {counters} 条。"
        )
