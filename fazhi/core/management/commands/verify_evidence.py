"""manage.py verify_evidence [TOWNSHIP] [--chain NAME] [--checkpoints FILE]: recompute the
evidence chains and compare them with the latest signed checkpoint (and with every checkpoint of an
exported file, if given).

Exit code 0 when every chain checks out, 1 when any is broken (naming the first broken entry).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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


MAX_CHECKPOINT_FILE = 64 * 1024 * 1024


def read_checkpoints(value: str) -> list[dict[str, Any]]:
    path = Path(value)
    if not path.is_file():
        raise CommandError(f"检查点文件不存在：{path}")
    if path.stat().st_size > MAX_CHECKPOINT_FILE:
        raise CommandError(f"检查点文件超过{MAX_CHECKPOINT_FILE // 1024 // 1024}MB：{path}")
    records = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                raise CommandError(f"检查点文件第{number}行不是有效的 JSON。") from None
            if not isinstance(record, dict) or "township" not in record:
                raise CommandError(f"检查点文件第{number}行不是检查点（缺少乡镇）。")
            records.append(record)
    return records


class Command(BaseCommand):
    help = "校验证据链：逐条重算哈希与链接，指出第一条被破坏的记录。有破坏时退出码为 1。"

    def add_arguments(self, parser):
        parser.add_argument(
            "township", nargs="?", help="乡镇名称或编号；省略则校验所有乡镇的全部证据链"
        )
        parser.add_argument("--chain", help="只校验这一条证据链（如 enforcement.case:42）")
        parser.add_argument(
            "--checkpoints",
            metavar="FILE",
            help="再与该文件（evidence_checkpoint --export 导出）中的全部检查点核对",
        )

    def handle(
        self,
        *args,
        township: str | None = None,
        chain: str | None = None,
        checkpoints: str | None = None,
        **options,
    ):
        if chain and not township:
            raise CommandError("指定 --chain 时请同时指定乡镇。")
        townships = [find_township(township)] if township else list(Township.objects.all())
        exported = read_checkpoints(checkpoints) if checkpoints else []
        checked = broken = 0
        for t in townships:
            flagged: set[str] = set()  # chains a checkpoint names as broken
            records = [r for r in exported if str(r.get("township")) == str(t.pk)]
            latest = evidence.latest_checkpoint(t)
            if latest is not None:
                records.append(evidence.checkpoint_record(latest))
            if checkpoints and not records:
                self.stdout.write(f"提示  {t.name}：检查点文件中没有该乡镇的检查点")
            seen: set[tuple[str, str]] = set()
            for record in records:
                for problem in evidence.check_checkpoint(record):
                    if chain and problem.chain not in ("", chain):
                        continue
                    if (problem.chain, problem.reason) in seen:
                        continue
                    seen.add((problem.chain, problem.reason))
                    if not problem.chain or problem.chain not in flagged:
                        broken += 1
                    flagged.add(problem.chain)
                    where = f"第{problem.seq}条 " if problem.seq else ""
                    self.stdout.write(
                        self.style.ERROR(
                            f"断裂  {t.name} {problem.chain or '检查点'}：{where}"
                            f"{problem.reason}。{problem.detail}"
                        )
                    )
            names = [chain] if chain else evidence.chain_names(t)
            for name in names:
                result = evidence.verify(t, name)
                checked += 1
                if result.ok:
                    if name not in flagged:
                        self.stdout.write(f"完整  {t.name} {name}：共{result.count}条")
                else:
                    broken += name not in flagged
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
