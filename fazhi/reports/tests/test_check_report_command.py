"""manage.py check_report: files and folders, text and JSON output, exit code 1 on errors."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

CLEAN = (
    "甲镇2025年法治政府建设年度报告\n"
    "一、党政主要负责人履行推进法治建设第一责任人职责情况\n镇党委书记主持召开专题会议4次。\n"
    "二、推进法治政府建设的主要举措和成效\n排查矛盾纠纷121起，成功化解105起，化解成功率87%。\n"
    "三、存在的不足和原因\n普法形式单一，原因是人员不足。\n"
    "四、2026年主要安排\n全年组织专题学习不少于4次。\n"
    "五、其他需要报告的情况\n无。\n"
)
BROKEN = CLEAN.replace("主持召开专题会议4次", "主持召开专题会议次")


def run(*args: str) -> tuple[str, int]:
    out = StringIO()
    try:
        call_command("check_report", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc.returncode
    return out.getvalue(), 0


def test_clean_report_exits_zero(tmp_path: Path) -> None:
    path = tmp_path / "clean.txt"
    path.write_text(CLEAN, encoding="utf-8")
    out, code = run(str(path))
    assert code == 0
    assert "结论：未发现问题" in out


def test_errors_exit_one_and_are_listed(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    path.write_bytes(BROKEN.encode("gbk"))
    out, code = run(str(path))
    assert code == 1
    assert "[错误] 第3行 缺少数字" in out


def test_folder_is_searched_and_totalled(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(CLEAN, encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "b.txt").write_text(BROKEN, encoding="utf-8")
    (sub / "notes.csv").write_text("ignored", encoding="utf-8")
    out, code = run(str(tmp_path), "--full")
    assert code == 1
    assert out.count("文件：") == 2
    assert "共检查 2 份报告，1 份有错误；合计 1 处错误" in out
    assert "提纲：" in out and "数据（" in out


def test_json_output_is_an_array_of_results(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "b.txt").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "c.docx").write_bytes(b"PK\x03\x04 not really a docx")
    out, code = run(str(tmp_path), "--json")
    data = json.loads(out)
    assert code == 1
    assert [Path(d["source"]).name for d in data] == ["a.txt", "b.txt", "c.docx"]
    assert data[0]["summary"] == "未发现问题" and data[0]["year"] == 2025
    assert data[1]["defects"][0]["kind"] == "missing_number"
    assert "error" in data[2]


def test_year_can_be_given(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(CLEAN, encoding="utf-8")
    out, _ = run(str(path), "--json", "--year", "2024")
    assert json.loads(out)[0]["year_source"] == "argument"


def test_missing_path_is_an_error() -> None:
    with pytest.raises(CommandError, match="找不到文件或文件夹"):
        call_command("check_report", "/nonexistent/report.txt", stdout=StringIO())


@pytest.mark.django_db
def test_unknown_township_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(CLEAN, encoding="utf-8")
    with pytest.raises(CommandError, match="找不到唯一的乡镇"):
        call_command("check_report", str(path), "--township", "不存在镇", stdout=StringIO())


def test_python_dash_m_fazhi_check_report_exits_1_on_errors(tmp_path):
    import subprocess
    import sys

    report = tmp_path / "report.txt"
    report.write_text(
        "2025年某镇法治政府建设工作报告\n一、主要举措和成效\n全年召开专题会议次。\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "fazhi", "check-report", "--json", str(report)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert '"missing_number"' in done.stdout
