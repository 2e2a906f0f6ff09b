"""Reports a township wrote outside the platform: uploaded (.docx, .pdf, .txt), bounded before
anything is parsed, read, checked by the same checker as the platform's drafts (with the
township's records) and kept with the findings for the county's collection board.

Bounds, each checked before the next step reads more: the upload's size (MAX_UPLOAD_BYTES) before
it is read; for a .docx, the zip directory (members, declared unpacked size) before any XML is
parsed; for a PDF, its page count before any page is read and the extracted text as it grows.
"""

from __future__ import annotations

import io
import os
import zipfile
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from fazhi.core import attachments, scope
from fazhi.core.audit import record_event
from fazhi.core.roles import ADD
from fazhi.reports.checker import UnreadableReport
from fazhi.reports.checker.decode import decode_bytes, docx_text, is_docx
from fazhi.reports.models import HandwrittenReport
from fazhi.reports.services import check_report

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_DOCX_MEMBERS = 500
MAX_DOCX_UNPACKED = 60 * 1024 * 1024
MAX_PDF_PAGES = 300
MAX_TEXT_CHARS = 400_000
TYPES = (".docx", ".pdf", ".txt")


def _limit_text(text: str) -> str:
    if len(text) > MAX_TEXT_CHARS:
        raise UnreadableReport(
            f"报告文字过长（超过 {MAX_TEXT_CHARS:,} 字），请检查是否上传了正确的报告"
        )
    return text


def _docx(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UnreadableReport("该文件不是有效的 .docx 文件") from None
    if len(infos) > MAX_DOCX_MEMBERS:
        raise UnreadableReport(
            f"该 .docx 文件包含的部件过多（{len(infos)} 个，上限 {MAX_DOCX_MEMBERS} 个）"
        )
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_DOCX_UNPACKED:
        raise UnreadableReport(
            f"该 .docx 文件解压后过大（{unpacked // 2**20} MB，上限 {MAX_DOCX_UNPACKED // 2**20} MB）"
        )
    return _limit_text(docx_text(data))


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnreadableReport("该 PDF 文件已加密，请上传未加密的文件")
        pages = len(reader.pages)
        if pages > MAX_PDF_PAGES:
            raise UnreadableReport(f"该 PDF 页数过多（{pages} 页，上限 {MAX_PDF_PAGES} 页）")
        parts: list[str] = []
        total = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            total += len(text)
            if total > MAX_TEXT_CHARS:
                raise UnreadableReport(
                    f"报告文字过长（超过 {MAX_TEXT_CHARS:,} 字），请检查是否上传了正确的报告"
                )
            parts.append(text)
    except UnreadableReport:
        raise
    except Exception as exc:  # pypdf raises many types for a damaged file
        raise UnreadableReport(
            "无法读取该 PDF 文件，请确认文件完整，或另存为 .docx 后上传"
        ) from exc
    text = "\n".join(parts)
    if not text.strip():
        raise UnreadableReport(
            "该 PDF 中没有可提取的文字（可能是扫描件），请上传 .docx 或文字版 PDF"
        )
    return text


def read_upload(name: str, size: int | None, fileobj: Any) -> tuple[str, bytes]:
    """The report's text and the file's bytes, with every bound checked before parsing.
    Raises UnreadableReport (a Chinese message naming the problem)."""
    ext = os.path.splitext(name or "")[1].lower()
    if ext not in TYPES:
        raise UnreadableReport(
            f"文件类型 {ext or '（无扩展名）'} 不支持，请上传 .docx、.pdf 或 .txt"
        )
    limit = f"{MAX_UPLOAD_BYTES // 2**20} MB"
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise UnreadableReport(f"文件过大（超过 {limit}），请检查是否上传了正确的报告")
    data = fileobj.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise UnreadableReport(f"文件过大（超过 {limit}），请检查是否上传了正确的报告")
    if ext == ".docx" or is_docx(data):
        return _docx(data), data
    if ext == ".pdf":
        return _pdf(data), data
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableReport("该文件不是文本文件")
    return _limit_text(decode_bytes(data)), data


def upload(township: Any, year: int, name: str, size: int | None, fileobj: Any, *, actor: Any):
    """Read, check and keep a hand-written report (the file as an attachment, the findings
    on the row), in one transaction. Raises PermissionDenied, UnreadableReport or
    ValidationError (field "file")."""
    scope.ensure_township(actor, ADD, township.pk, HandwrittenReport)
    text, data = read_upload(name, size, fileobj)
    result = check_report(text, township=township, year=year, source=name)
    counts = result.counts
    errors = counts.get("error", 0)
    authenticated = getattr(actor, "is_authenticated", False)
    with transaction.atomic():
        attachment = attachments.store(
            ContentFile(data, name=os.path.basename(name)),
            township=township,
            actor=actor,
            description=f"{year}年度法治政府建设报告（线下撰写）",
        )
        row = HandwrittenReport.objects.create(
            township=township,
            year=year,
            attachment=attachment,
            title=(result.title or "")[:200],
            text=text,
            errors=errors,
            warnings=sum(counts.values()) - errors,
            summary=result.summary[:200],
            defects=[d.to_dict() for d in result.defects],
            created_by=actor if authenticated else None,
            updated_by=actor if authenticated else None,
        )
        record_event(
            "reports.handwritten_uploaded",
            f"上传线下撰写的{year}年度报告：{attachment.original_name}",
            township=township.pk,
            actor=actor,
            obj=row,
            payload={"errors": row.errors, "warnings": row.warnings, "sha256": attachment.sha256},
        )
    return row


def latest_by_township(townships: Any, year: int) -> dict[int, HandwrittenReport]:
    """The latest upload of each township for the year (one query)."""
    out: dict[int, HandwrittenReport] = {}
    rows = (
        HandwrittenReport.objects.filter(township__in=townships, year=year)
        .select_related("attachment")
        .order_by("township_id", "-created_at", "-pk")
    )
    for row in rows:
        out.setdefault(row.township_id, row)
    return out


__all__ = ["UnreadableReport", "ValidationError", "latest_by_township", "read_upload", "upload"]
