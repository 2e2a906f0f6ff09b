"""Checking an uploaded or pasted report (the engine is fazhi.reports.checker)."""

from __future__ import annotations

from typing import Any

from fazhi.reports.checker import CheckResult, UnreadableReport, check_text
from fazhi.reports.checker.decode import decode_bytes, docx_text, is_docx
from fazhi.reports.records import RegistrySource

MAX_REPORT_BYTES = 10 * 1024 * 1024


def text_from_upload(name: str, data: bytes) -> str:
    if len(data) > MAX_REPORT_BYTES:
        raise UnreadableReport("文件过大（超过 10 MB），请检查是否上传了正确的报告")
    if is_docx(data):
        return docx_text(data)
    if name.lower().endswith(".doc") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableReport("不支持旧版 .doc 文件，请另存为 .docx 或纯文本后再检查")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableReport("该文件不是文本或 .docx 文件")
    return decode_bytes(data)


def check_report(
    text: str, *, township: Any = None, year: int | None = None, source: str | None = None
) -> CheckResult:
    """Check a report; with a township, claims are also compared with its records."""
    records = RegistrySource(township) if township is not None else None
    return check_text(text, year=year, records=records, source=source)


def highlight(result: CheckResult) -> list[dict[str, Any]]:
    """The text cut into segments, each marking the defect it belongs to (first one wins)."""
    segments: list[dict[str, Any]] = []
    cursor = 0
    text = result.text
    for index, defect in sorted(
        enumerate(result.defects), key=lambda item: (item[1].start, item[1].end)
    ):
        if defect.end <= defect.start or defect.start < cursor:
            continue
        if defect.start > cursor:
            segments.append({"text": text[cursor : defect.start], "defect": None})
        segments.append(
            {"text": text[defect.start : defect.end], "defect": defect, "index": index + 1}
        )
        cursor = defect.end
    if cursor < len(text):
        segments.append({"text": text[cursor:], "defect": None})
    return segments
