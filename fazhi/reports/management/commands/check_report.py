"""manage.py check_report FILE|FOLDER... [--json] [--full] [--year Y] [--township T]

Checks annual reports (.txt in UTF-8/GBK/GB18030, or .docx) and prints their defects, or with
--json an array of results (the same shape as the API). Folders are searched recursively for
.txt and .docx files. Exit code 1 when any report has an error-level defect or cannot be read.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fazhi.reports.checker import CheckResult, Severity, UnreadableReport, read_report

REPORT_SUFFIXES = {".txt", ".text", ".docx"}


def report_paths(args: list[str]) -> list[Path]:
    """Files as given, and .txt/.docx files found under folders, in a stable order."""
    out: list[Path] = []
    for arg in args:
        p = Path(arg)
        if p.is_dir():
            out += sorted(
                f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES
            )
        elif p.is_file():
            out.append(p)
        else:
            raise CommandError(f"找不到文件或文件夹：{arg}")
    return out


class Command(BaseCommand):
    help = (
        "检查法治政府建设年度报告：提取数据、找出缺数字、编号、比率、年份、必备内容、重复等问题。"
        "可指定文件或文件夹（.txt/.docx）；发现“错误”级问题时退出码为 1。"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="FILE", help="报告文件或文件夹")
        parser.add_argument("--json", action="store_true", help="输出 JSON（与 API 相同的结构）")
        parser.add_argument("--full", action="store_true", help="同时列出提纲和全部数据")
        parser.add_argument("--year", type=int, help="报告所属年度（默认从标题或开头读取）")
        parser.add_argument(
            "--township", help="乡镇名称或编号：把报告中的数据与该乡镇的台账记录核对"
        )

    def handle(self, *args: str, paths: list[str], **options: Any) -> None:
        files = report_paths(paths)
        if not files:
            raise CommandError("没有找到 .txt 或 .docx 报告文件。")
        township = self._township(options.get("township"))
        results: list[CheckResult] = []
        unreadable: list[tuple[Path, str]] = []
        data: list[dict[str, Any]] = []
        for path in files:
            try:
                text = read_report(path)
            except (UnreadableReport, OSError) as exc:
                unreadable.append((path, str(exc)))
                if options["json"]:
                    data.append({"source": str(path), "error": str(exc)})
                else:
                    self.stdout.write(self.style.ERROR(f"文件：{path}\n无法读取：{exc}\n"))
                continue
            result = self._check(text, str(path), options.get("year"), township)
            results.append(result)
            if options["json"]:
                data.append(result.to_dict())
            else:
                self._write_text(result, full=options["full"])

        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        elif len(files) > 1:
            self.stdout.write(self._total(results, unreadable))

        failed = sum(r.has_errors for r in results) + len(unreadable)
        if failed:
            raise CommandError(f"{failed} 份报告有错误或无法读取。", returncode=1)

    def _township(self, value: str | None) -> Any:
        if not value:
            return None
        from fazhi.core.models import Township

        qs = (
            Township.objects.filter(pk=int(value))
            if value.isdigit()
            else Township.objects.filter(name=value)
        )
        found = list(qs[:2])
        if len(found) != 1:
            raise CommandError(f"找不到唯一的乡镇“{value}”（可用名称或编号）。")
        return found[0]

    def _check(self, text: str, source: str, year: int | None, township: Any) -> CheckResult:
        from fazhi.reports.services import check_report

        return check_report(text, township=township, year=year, source=source)

    def _write_text(self, result: CheckResult, *, full: bool) -> None:
        out = result.render_text(claims=full, outline=full)
        if result.has_errors:
            style = self.style.ERROR
        elif any(d.severity is Severity.WARNING for d in result.defects):
            style = self.style.WARNING
        else:
            style = self.style.SUCCESS
        lines = out.rstrip("\n").split("\n")
        for line in lines:
            self.stdout.write(style(line) if line.startswith("结论：") else line)
        self.stdout.write("")

    def _total(self, results: list[CheckResult], unreadable: list[tuple[Path, str]]) -> str:
        counts = {s: sum(r.counts[str(s)] for r in results) for s in Severity}
        parts = [f"{n} 处{s.label}" for s, n in counts.items() if n]
        with_errors = sum(r.has_errors for r in results)
        line = f"共检查 {len(results) + len(unreadable)} 份报告，{with_errors} 份有错误"
        if unreadable:
            line += f"，{len(unreadable)} 份无法读取"
        return line + (f"；合计 {'，'.join(parts)}" if parts else "；未发现问题")
