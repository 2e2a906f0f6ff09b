"""manage.py create_platform_admin USERNAME [--name 姓名]: the first account of a new installation.

The password is read from the terminal (twice), or from FAZHI_ADMIN_PASSWORD when there is no
terminal (automated installs); it is validated by the configured password validators.
"""

from __future__ import annotations

import getpass
import os

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from fazhi.core.audit import record_event
from fazhi.core.choices import Role
from fazhi.core.models import Membership


class Command(BaseCommand):
    help = "新建平台管理员账号（首次安装时使用）。密码从终端输入，或取自环境变量 FAZHI_ADMIN_PASSWORD。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="姓名")

    def handle(self, *args, username: str, name: str, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"用户名“{username}”已存在。")
        password = os.environ.get("FAZHI_ADMIN_PASSWORD")
        if not password:
            password = getpass.getpass("密码：")
            if password != getpass.getpass("再次输入密码："):
                raise CommandError("两次输入的密码不一致。")
        user = User(username=username, first_name=name)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("密码不符合要求：" + "；".join(exc.messages)) from exc
        with transaction.atomic():
            user.set_password(password)
            user.save()
            Membership.objects.create(user=user, role=Role.PLATFORM_ADMIN)
            record_event(
                "core.account_created",
                f"新建平台管理员 {username}",
                township=None,
                actor=None,
                payload={"user": user.pk},
            )
        self.stdout.write(f"已新建平台管理员 {username}")
