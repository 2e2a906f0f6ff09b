"""Reading a report: bytes in UTF-8, GBK/GB18030 (or UTF-16 with a BOM), or a .docx file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

_DOCX_MAGIC = b"PK\x03\x04"


class UnreadableReport(ValueError):
    """The file is not a report we can read; the message is in Chinese for the user."""


def decode_bytes(data: bytes) -> str:
    """UTF-8 first (a BOM is dropped), then the encoding charset-normalizer finds among the
    Chinese ones, then GB18030 with replacement characters as the last resort."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _newlines(data.decode("utf-16"))
    try:
        return _newlines(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "gbk", "gb2312", "big5", "utf_16"]).best()
    if best is not None:
        return _newlines(str(best))
    return _newlines(data.decode("gb18030", errors="replace"))


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def is_docx(data: bytes) -> bool:
    if not data.startswith(_DOCX_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "word/document.xml" in z.namelist()
    except zipfile.BadZipFile:
        return False


def docx_text(data: bytes) -> str:
    """Paragraphs in document order, tables row by row (each cell's paragraphs as lines, merged
    cells once), one line per paragraph."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for a damaged package
        raise UnreadableReport(f"无法读取该 .docx 文件：{exc}") from exc
    lines: list[str] = []

    def table_lines(table: Table) -> None:
        for row in table.rows:
            seen: set[int] = set()
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                for block in cell.iter_inner_content():
                    if isinstance(block, Paragraph):
                        lines.append(block.text)
                    else:
                        table_lines(block)

    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            table_lines(block)
    return _newlines("\n".join(lines))


def read_report(path: str | Path) -> str:
    """The text of a report file: .docx by its content, anything else as text."""
    p = Path(path)
    data = p.read_bytes()
    if is_docx(data):
        return docx_text(data)
    if p.suffix.lower() == ".docx":
        raise UnreadableReport("该 .docx 文件已损坏或不是 Word 文档")

    if p.suffix.lower() == ".doc" or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableReport("不支持旧版 .doc 文件，请另存为 .docx 或纯文本后再检查")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableReport("该文件不是文本或 .docx 文件")
    return decode_bytes(data)
