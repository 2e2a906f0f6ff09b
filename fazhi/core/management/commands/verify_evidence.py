"""manage.py verify_evidence [TOWNSHIP] [--chain NAME]: recompute the evidence chains.

Exit code 0 when every chain checks out, 1 when any is broken (naming the first broken entry).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from fazhi.core import evidence
from fazhi.core.models import Township


def find_township(value: str) -> Township:
    if value.isdigit():
        township = Township.objects.filter(pk=int(value)).first()
    else:
        matches = list(Township.objects.filter(name=value).select_related("county"))
        if len(matches) > 1:
            listed = "、".join(f"{t.pk}（{t.county}{t.name}）" for t in matches)
            raise CommandError(f"有多个名为“{value}”的乡镇，请用编号指定：{listed}")
        township = matches[0] if matches else None
    if township is None:
        raise CommandError(f"找不到乡镇“{value}”（可用名称或编号）。")
    return township


class Command(BaseCommand):
    help = "校验证据链：逐条重算哈希与链接，指出第一条被破坏的记录。有破坏时退出码为 1。"

    def add_arguments(self, parser):
        parser.add_argument(
            "township", nargs="?", help="乡镇名称或编号；省略则校验所有乡镇的全部证据链"
        )
        parser.add_argument("--chain", help="只校验这一条证据链（如 enforcement.case:42）")

    def handle(self, *args, township: str | None = None, chain: str | None = None, **options):
        if chain and not township:
            raise CommandError("指定 --chain 时请同时指定乡镇。")
        townships = [find_township(township)] if township else list(Township.objects.all())
        checked = broken = 0
        for t in townships:
            names = [chain] if chain else evidence.chain_names(t)
            for name in names:
                result = evidence.verify(t, name)
                checked += 1
                if result.ok:
                    self.stdout.write(f"完整  {t.name} {name}：共{result.count}条")
                else:
                    broken += 1
                    self.stdout.write(
                        self.style.ERROR(
                            f"断裂  {t.name} {name}：第{result.first_broken_seq}条 "
                            f"{result.reason}。{result.detail}"
                        )
                    )
            if not chain:
                vanished = evidence.vanished_chains(t)
                if vanished:
                    broken += vanished
                    self.stdout.write(
                        self.style.ERROR(f"断裂  {t.name}：有{vanished}条证据链的记录已全部被删除")
                    )
        if broken:
            raise CommandError(f"证据链校验未通过：{broken}条证据链被破坏。", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"证据链校验通过：共{checked}条证据链。"))
