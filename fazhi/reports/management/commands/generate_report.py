"""manage.py generate_report --township 寺庄镇 --year 2025 --format txt|docx|html|pdf -o FILE

Writes the township's annual report for the year: its latest signed version when there is one
(or `--signed-version N`), else the draft (the saved draft with the clerk's edits, or — when none was
started — the report as drafted now from the records; nothing is saved). Also
`python -m fazhi generate-report …`.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fazhi.core.models import Township
from fazhi.reports import annual, output
from fazhi.reports.models import AnnualReport


def find_township(value: str) -> Township:
    qs = Township.objects.select_related("county")
    if value.isdigit():
        match = list(qs.filter(pk=int(value)))
    else:
        match = list(qs.filter(name=value))
    if not match:
        raise CommandError(f"找不到乡镇：{value}")
    if len(match) > 1:
        names = "、".join(f"{t.pk}（{t.county}）" for t in match)
        raise CommandError(f"有多个名为“{value}”的乡镇，请用编号指定：{names}")
    return match[0]


class Command(BaseCommand):
    help = "生成乡镇法治政府建设年度报告（纯文本、Word、网页或PDF）。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--township", required=True, help="乡镇名称或编号")
        parser.add_argument("--year", type=int, required=True, help="报告年度，如 2025")
        parser.add_argument(
            "--format", default="txt", choices=sorted(output.FORMATS), help="输出格式"
        )
        parser.add_argument("-o", "--output", required=True, help="输出文件路径")
        parser.add_argument("--signed-version", type=int, dest="number", help="签发版本号")
        parser.add_argument("--draft", action="store_true", help="输出草稿（含实时数据）")

    def handle(self, *args: Any, **opts: Any) -> None:
        township = find_township(opts["township"])
        year = opts["year"]
        if not 2000 <= year <= 2100:
            raise CommandError("年度应在 2000 至 2100 之间。")
        report = AnnualReport.objects.filter(township=township, year=year).first()
        if report is None:
            if opts["number"]:
                raise CommandError("该报告尚未签发任何版本。")
            rendered = annual.preview(township, year)
        elif opts["number"]:
            version = report.versions.filter(number=opts["number"]).first()
            if version is None:
                raise CommandError(f"没有第{opts['number']}版。")
            rendered = annual.frozen(version)
        elif report.latest_version is not None and not opts["draft"]:
            rendered = annual.frozen(report.latest_version)
        else:
            rendered = annual.render(report)
        data, _ = output.export(rendered, opts["format"])
        Path(opts["output"]).write_bytes(data)
        blanks = f"，未记录{len(rendered.blanks)}项" if rendered.blanks else ""
        self.stdout.write(f"已生成：{opts['output']}（{len(rendered.figures)}项数据{blanks}）")
