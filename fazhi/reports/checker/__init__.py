"""The report checker: read a 法治政府建设 annual report, extract its figures, find its defects.

Pure Python (no Django): `check_text(text)` or `check_file(path)` → `CheckResult`.
"""

from .decode import UnreadableReport, decode_bytes, docx_text, read_report
from .engine import check_file, check_text
from .model import (
    CheckResult,
    Claim,
    Defect,
    DefectKind,
    Heading,
    Section,
    SectionKind,
    Severity,
    YearMention,
)
from .records import RecordFigure, RecordSource

__all__ = [
    "CheckResult",
    "Claim",
    "Defect",
    "DefectKind",
    "Heading",
    "RecordFigure",
    "RecordSource",
    "Section",
    "SectionKind",
    "Severity",
    "UnreadableReport",
    "YearMention",
    "check_file",
    "check_text",
    "decode_bytes",
    "docx_text",
    "read_report",
]
