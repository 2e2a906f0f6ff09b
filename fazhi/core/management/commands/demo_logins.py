from django.contrib.auth.models import User
from django.core.management.base import BaseCommand

from fazhi.core import demo
from fazhi.core.choices import Role


class Command(BaseCommand):
    help = "列出演示账号及其统一密码（先运行 manage.py load_demo）。"

    def handle(self, *args, **options):
        logins = demo.demo_logins()
        existing = set(
            User.objects.filter(username__in=[x.username for x in logins]).values_list(
                "username", flat=True
            )
        )
        if not existing:
            self.stdout.write("尚未加载演示数据，请先运行：manage.py load_demo")
            return
        self.stdout.write(f"演示账号（密码均为 {demo.DEMO_PASSWORD}；人员姓名均为虚构）：")
        width = max(len(x.username) for x in logins)
        for x in logins:
            if x.username not in existing:
                continue
            unit = x.township or (f"{x.county.city}{x.county.name}" if x.county else "全平台")
            self.stdout.write(f"  {x.username.ljust(width)}  {Role(x.role).label}  {unit}")
