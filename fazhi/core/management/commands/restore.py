"""manage.py restore ARCHIVE [--flush]: verify every digest, then restore database + attachments."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from fazhi.core.backup import BackupError, restore_backup, verify_archive


class Command(BaseCommand):
    help = (
        "从备份文件恢复数据库与附件。先校验全部成员的 SHA-256，校验不通过则不做任何改动；"
        "默认只恢复到空数据库，--flush 先清空现有数据。"
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="backup 命令生成的 .tar.gz 文件")
        parser.add_argument(
            "--flush",
            action="store_true",
            help="清空现有数据库后恢复（现有附件目录改名保留）",
        )
        parser.add_argument("--check", action="store_true", help="只校验备份文件，不恢复")
        parser.add_argument(
            "--digest",
            help="backup 命令输出的 SHA-256；给出时文件必须与之相符（可用于另一密钥生成的备份）",
        )

    def handle(
        self,
        *args,
        archive: str,
        flush: bool = False,
        check: bool = False,
        digest: str | None = None,
        **options,
    ):
        try:
            if check:
                manifest = verify_archive(archive, digest=digest)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"备份文件校验通过：{len(manifest['files'])}个成员，生成于{manifest.get('created_at', '')}"
                    )
                )
                return
            info = restore_backup(archive, flush=flush, digest=digest)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for warning in info.warnings:
            self.stdout.write(self.style.WARNING(warning))
        if info.moved_aside:
            self.stdout.write(f"原附件目录已改名保留：{info.moved_aside}")
        self.stdout.write(self.style.SUCCESS(f"恢复完成：{info.rows}条记录，{info.files}个附件。"))
        for problem in info.evidence_problems:
            self.stdout.write(self.style.ERROR(f"断裂  {problem}"))
        if info.evidence_problems:
            # the data is restored; the exit code tells the operator's script to look
            raise CommandError(
                f"数据已恢复，但证据链校验未通过（{len(info.evidence_problems)}处，见上）："
                "备份前证据已被改动，或证据密钥（FAZHI_EVIDENCE_KEY）与原系统不同。"
            )
        self.stdout.write(f"证据链：已校验{info.chains_checked}条，与各乡镇最新签名检查点一致。")
