"""manage.py backup [--output DIR]: database + attachments into one verified .tar.gz."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from fazhi.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "备份数据库与附件目录到一个 .tar.gz 文件（含各成员 SHA-256 清单）。"

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="备份文件存放目录（默认 FAZHI_BACKUP_DIR）")

    def handle(self, *args, output: str | None = None, **options):
        try:
            info = create_backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"备份完成：{info.path}（{info.rows}条记录，{info.files}个附件）")
        )
        self.stdout.write(f"SHA-256：{info.sha256}")
        self.stdout.write("请将此摘要另行保存；恢复时可用 restore --digest 核对。")
