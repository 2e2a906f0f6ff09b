"""manage.py evidence_checkpoint [--export FILE]: sign the current head of every evidence chain.

Writes one signed checkpoint per township (as the daily job does). With --export FILE, also writes
every checkpoint (JSON lines, one per checkpoint) to FILE, to keep outside the database.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fazhi.core import evidence
from fazhi.core.models import EvidenceCheckpoint


class Command(BaseCommand):
    help = "签发证据链检查点（各链的记录数与链头哈希，带签名）；--export 导出全部检查点。"

    def add_arguments(self, parser):
        parser.add_argument("--export", metavar="FILE", help="把全部检查点导出到该文件（JSON 行）")
        parser.add_argument("--no-new", action="store_true", help="只导出，不签发新的检查点")

    def handle(self, *args, export: str | None = None, no_new: bool = False, **options):
        if not no_new:
            for cp in evidence.write_checkpoints():
                self.stdout.write(
                    f"已签发  {cp.township.name}：{cp.chains}条证据链，{cp.entries}条记录，"
                    f"汇总哈希 {cp.digest}"
                )
        if export:
            path = Path(export)
            if not path.parent.is_dir():
                raise CommandError(f"导出目录不存在：{path.parent}")
            rows = EvidenceCheckpoint.objects.select_related("township").order_by(
                "township_id", "created_at", "pk"
            )
            with path.open("w", encoding="utf-8") as out:
                count = 0
                for cp in rows.iterator():
                    out.write(json.dumps(evidence.checkpoint_record(cp), ensure_ascii=False))
                    out.write("\n")
                    count += 1
            self.stdout.write(self.style.SUCCESS(f"已导出{count}个检查点到 {path}"))
