"""Build .docx templates in the form of GB/T 9704-2012 (REGULATIONS.md §14) with python-docx.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (text block 156 × 225 mm); title
2号 (22 pt) 方正小标宋简体, body 3号 (16 pt) 仿宋_GB2312 on a fixed 28 pt line, headings 一、 in 黑体;
page number 4号 (14 pt) as "— 1 —" in the footer. A template is a static file, so it names the
standard's fonts; where the reader's machine lacks them, Word/WPS substitute an installed CJK
font (宋体 / Noto CJK) — docs/enforcement.md says so. Each Jinja tag is kept in a run of its own
(docxtpl requirement); ``{%p … %}`` paragraphs loop over lists.

Templates are versioned files under the app's ``docx/`` folder, written by the app's builder at
first use when missing and committed; a layout change means a new version (``_v2``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from fazhi.core.docx import page_number_footer, set_run_font

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
BODY_PT = 16
TITLE_PT = 22
LINE_PT = 28


class FormDocument:
    """A document being laid out: title, document number, paragraphs, loops, a two-column
    table, the signature block, then `save(path)`."""

    def __init__(self) -> None:
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        normal = self.doc.styles["Normal"]
        normal.font.name = BODY_FONT
        normal.font.size = Pt(BODY_PT)
        rpr = normal.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), BODY_FONT)
        page_number_footer(section, BODY_FONT)

    def _p(
        self,
        text: str,
        *,
        font: str = BODY_FONT,
        size: float = BODY_PT,
        bold: bool = False,
        align: Any = None,
        indent: bool = False,
        line: float = LINE_PT,
    ) -> Any:
        p = self.doc.add_paragraph()
        fmt = p.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line)
        fmt.space_before = fmt.space_after = Pt(0)
        if indent:
            fmt.first_line_indent = Pt(size * 2)
        if align is not None:
            p.alignment = align
        if text:
            set_run_font(p.add_run(text), font, size, bold=bold)
        return p

    def title(self, text: str) -> FormDocument:
        self._p(text, font=TITLE_FONT, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, line=36)
        return self

    def number(self, text: str) -> FormDocument:
        self._p(text, align=WD_ALIGN_PARAGRAPH.RIGHT)
        return self

    def blank(self) -> FormDocument:
        self._p("")
        return self

    def line(self, text: str) -> FormDocument:
        """A line flush left (the addressee, a field of the form)."""
        self._p(text)
        return self

    def para(self, text: str) -> FormDocument:
        """A body paragraph, first line indented two characters."""
        self._p(text, indent=True)
        return self

    def heading(self, text: str) -> FormDocument:
        self._p(text, font=HEADING_FONT, indent=True)
        return self

    def tag(self, text: str) -> FormDocument:
        """A docxtpl paragraph tag such as ``{%p for x in xs %}`` (the paragraph is removed)."""
        self._p(text)
        return self

    def right(self, text: str) -> FormDocument:
        self._p(text, align=WD_ALIGN_PARAGRAPH.RIGHT)
        return self

    def table(self, rows: list[tuple[str, str]]) -> FormDocument:
        """A bordered two-column table (label, value); values may hold Jinja expressions."""
        table = self.doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in rows:
            cells = table.add_row().cells
            for cell, text, bold in ((cells[0], label, True), (cells[1], value, False)):
                p = cell.paragraphs[0]
                p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                p.paragraph_format.line_spacing = Pt(LINE_PT)
                set_run_font(p.add_run(text), BODY_FONT, BODY_PT - 2, bold=bold)
            cells[0].width, cells[1].width = Mm(42), Mm(114)
        return self

    def save(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.doc.save(str(path))
        return path
