"""The report as a document: plain text, HTML, .docx (GB/T 9704-2012 form, REGULATIONS.md §14)
and PDF. No network: fonts are the machine's (仿宋_GB2312 etc. when installed, else Noto CJK),
the PDF uses reportlab's built-in CID font STSong-Light (the reader supplies the glyphs)."""

from __future__ import annotations

import copy
import functools
import html
import shutil
import subprocess
from io import BytesIO
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Mm, Pt

from fazhi.core.docx import page_number_footer, run_text, set_run_font
from fazhi.reports.annual import Rendered

#: GB/T 9704 fonts and the fallbacks tried in order (first installed one wins)
FONT_WISHES: dict[str, list[str]] = {
    "title": [
        "方正小标宋简体",
        "方正小标宋_GBK",
        "华文中宋",
        "Noto Serif CJK SC",
        "Noto Sans CJK SC",
    ],
    "body": ["仿宋_GB2312", "仿宋", "FangSong", "Noto Serif CJK SC", "Noto Sans CJK SC"],
    "h1": ["黑体", "SimHei", "Noto Sans CJK SC"],
    "h2": ["楷体_GB2312", "楷体", "KaiTi", "Noto Serif CJK SC", "Noto Sans CJK SC"],
}


@functools.cache
def installed_fonts() -> frozenset[str]:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return frozenset()
    try:
        out = subprocess.run(  # noqa: S603  (fixed arguments, no user input)
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(name.strip() for line in out.splitlines() for name in line.split(","))


def font_for(role: str) -> tuple[str, bool]:
    """The font used for `role` and whether it is the standard's own (False: a fallback)."""
    wishes = FONT_WISHES[role]
    have = installed_fonts()
    for i, name in enumerate(wishes):
        if name in have:
            return name, i == 0 or (role == "body" and i < 3)
    return wishes[0], True  # nothing known installed: name the standard's font, the reader maps it


def font_note() -> str:
    used = {role: font_for(role) for role in FONT_WISHES}
    fallbacks = [
        f"{label}用{used[role][0]}（本机未安装{FONT_WISHES[role][0]}）"
        for role, label in (
            ("title", "标题"),
            ("body", "正文"),
            ("h1", "一级标题"),
            ("h2", "二级标题"),
        )
        if not used[role][1]
    ]
    return "字体：" + ("；".join(fallbacks) if fallbacks else "按GB/T 9704-2012")


# --- text -----------------------------------------------------------------------------------
def to_text(r: Rendered) -> str:
    return r.text + "\n"


# --- HTML -----------------------------------------------------------------------------------
def _linked(text: str, figures: list[dict[str, Any]], codes: list[str]) -> str:
    """Escape `text` and wrap each stated figure's clause in a link to its drill-down."""
    out = html.escape(text)
    for f in figures:
        if f["code"] not in codes or not f.get("phrase") or not f.get("url"):
            continue
        phrase = html.escape(f["phrase"])
        cls = "figure blank" if f["status"] == "no_records" else "figure"
        link = (
            f'<a class="{cls}" data-metric="{f["code"]}" href="{html.escape(f["url"])}" '
            f'title="{html.escape(f["label"])}：{html.escape(f["display"])}">{phrase}</a>'
        )
        out = out.replace(phrase, link, 1)
    return out


def html_paragraphs(r: Rendered) -> list[dict[str, Any]]:
    return [{**p, "html": _linked(p["text"], r.figures, p.get("codes", []))} for p in r.paragraphs]


def to_html(r: Rendered) -> str:
    """A standalone HTML document (the figures link to their drill-down pages)."""
    parts = [
        '<!doctype html><html lang="zh-hans"><head><meta charset="utf-8">',
        f"<title>{html.escape(r.title)}</title>",
        "<style>body{max-width:42em;margin:2em auto;font-family:'FangSong','Noto Serif CJK SC',serif;"
        "font-size:16pt;line-height:1.75}h1{text-align:center;font-size:22pt}"
        "h2{font-family:'SimHei','Noto Sans CJK SC',sans-serif;font-size:16pt}"
        "h3{font-family:'KaiTi','Noto Serif CJK SC',serif;font-size:16pt;font-weight:normal}"
        "p{text-indent:2em;margin:0}.sign{text-align:right;text-indent:0}"
        "a.figure{color:inherit;text-decoration:underline dotted}a.blank{color:#b42318}</style>",
        "</head><body>",
        f"<h1>{html.escape(r.title)}</h1>",
    ]
    for p in html_paragraphs(r):
        tag = {1: "h2", 2: "h3"}.get(p["level"], "p")
        parts.append(f"<{tag}>{p['html']}</{tag}>")
    parts += [f'<p class="sign">{html.escape(line)}</p>' for line in r.signature]
    parts.append("</body></html>")
    return "\n".join(parts)


# --- .docx ---------------------------------------------------------------------------------
# Formatting is written by python-docx once per style into a template paragraph (and once per
# document into a template table row); every paragraph and row of the report is a copy of its
# template with the text set. Setting each paragraph's format, each run's fonts and each cell's
# text through python-docx's objects cost ×3–5 of python-docx writing the same text plainly
# (docs/annual-report.md); the document is the same, element for element
# (test_docx_is_the_python_docx_document).
def _para(doc: Any, text: str, role: str, size: float, *, indent: bool, align: Any = None) -> Any:
    """A paragraph in the report's form, formatted through python-docx (the reference)."""
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28 if role != "title" else 36)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    set_run_font(p.add_run(text), font_for(role)[0], size)
    return p


@functools.cache
def _template(font: str, role: str, size: float, indent: bool, align: Any) -> Any:
    """An empty paragraph of this style (its run formatted, no text), built by python-docx."""
    return _para(_scratch(), "", role, size, indent=indent, align=align)._p


@functools.cache
def _scratch() -> Any:
    return Document()


class _Writer:
    """Appends the report's paragraphs to a python-docx document as copies of templates."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.body = doc.element.body
        self.end = self.body.sectPr  # everything goes before the section properties

    def para(self, text: str, role: str, size: float, *, indent: bool, align: Any = None) -> None:
        p = copy.deepcopy(_template(font_for(role)[0], role, size, indent, align))
        run_text(p[-1], text)
        self.end.addprevious(p)

    def rows(self, table: Any, rows: list[list[str]]) -> None:
        """Rows of `table` (python-docx's add_row and cell.text, element for element)."""
        tbl = table._tbl
        template = tbl.add_tr()
        for col in tbl.tblGrid.gridCol_lst:
            tc = template.add_tc()
            tc.width = col.w
            tc.clear_content()
            tc.add_p().add_r()
        tbl.remove(template)
        for cells in rows:
            tr = copy.deepcopy(template)
            for tc, text in zip(tr.tc_lst, cells, strict=True):
                run_text(tc[-1][-1], text)
            tbl.append(tr)


def figure_counts(f: dict[str, Any]) -> str:
    """The provenance of a frozen figure: a rate's numerator/denominator, an average's sum and
    count (合计15/2件); "" for the other kinds."""
    if f.get("kind") == "rate":
        return f"{f['numerator']}/{f['denominator']}"
    if f.get("kind") == "average" and f.get("denominator"):
        return f"合计{f['numerator']}/{f['denominator']}件"
    return ""


def to_docx(r: Rendered) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    page_number_footer(section, font_for("body")[0])
    w = _Writer(doc)
    w.para(r.title, "title", 22, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    w.para("", "body", 16, indent=False)
    for p in r.paragraphs:
        role = {1: "h1", 2: "h2"}.get(p["level"], "body")
        w.para(p["text"], role, 16, indent=True)
    w.para("", "body", 16, indent=False)
    for line in r.signature:
        w.para(line, "body", 16, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    # 数据来源 appendix: every figure with its metric, counts and computed-at time
    doc.add_page_break()
    w.para("附件：数据来源", "h1", 16, indent=False)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, head in zip(
        table.rows[0].cells, ["数据", "指标", "数值", "分子/分母", "计算时间"], strict=True
    ):
        cell.text = head
    w.rows(
        table,
        [
            [
                f.get("phrase") or f["label"],
                f"{f['label']}（{f['code']}）",
                f"{f['display']}（{f.get('status_label', '')}）",
                figure_counts(f) or "—",
                str(f.get("computed_at", "")),
            ]
            for f in r.figures
        ],
    )
    note = font_note()
    if r.version is not None:
        note += (
            f"。第{r.version.number}版，签发人：{r.version.signed_by}，SHA-256：{r.version.sha256}"
        )
    w.para(note, "body", 10.5, indent=False)
    doc.core_properties.title = r.title
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


# --- PDF ------------------------------------------------------------------------------------
def to_pdf(r: Rendered) -> bytes:
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle(
        "body", fontName=font, fontSize=16, leading=28, firstLineIndent=32, wordWrap="CJK"
    )
    head = ParagraphStyle("head", parent=body, firstLineIndent=32)
    titled = ParagraphStyle(
        "title", parent=body, fontSize=22, leading=36, alignment=TA_CENTER, firstLineIndent=0
    )
    sign = ParagraphStyle("sign", parent=body, alignment=TA_RIGHT, firstLineIndent=0)
    small = ParagraphStyle("small", parent=body, fontSize=10.5, leading=16, firstLineIndent=0)

    def page(canvas: Any, doc: Any) -> None:
        canvas.setFont(font, 14)
        canvas.drawCentredString(A4[0] / 2, 20 * mm, f"— {doc.page} —")

    story: list[Any] = [Paragraph(html.escape(r.title), titled), Spacer(1, 14)]
    for p in r.paragraphs:
        style = head if p["level"] else body
        story.append(Paragraph(html.escape(p["text"]), style))
    story.append(Spacer(1, 28))
    story += [Paragraph(html.escape(line), sign) for line in r.signature]
    story += [PageBreak(), Paragraph("附件：数据来源", head)]
    for f in r.figures:
        counts = f"，{figure_counts(f)}" if figure_counts(f) else ""
        story.append(
            Paragraph(
                html.escape(
                    f"{f['label']}（{f['code']}）：{f['display']}{counts}，计算于{f.get('computed_at', '')}"
                ),
                small,
            )
        )
    out = BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        topMargin=37 * mm,
        bottomMargin=35 * mm,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        title=r.title,
    ).build(story, onFirstPage=page, onLaterPages=page)
    return out.getvalue()


FORMATS = {
    "txt": ("text/plain; charset=utf-8", lambda r: to_text(r).encode("utf-8")),
    "html": ("text/html; charset=utf-8", lambda r: to_html(r).encode("utf-8")),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        to_docx,
    ),
    "pdf": ("application/pdf", to_pdf),
}


def export(r: Rendered, fmt: str) -> tuple[bytes, str]:
    if fmt not in FORMATS:
        raise ValueError(f"不支持的格式：{fmt}（可选 txt、docx、html、pdf）")
    content_type, fn = FORMATS[fmt]
    return fn(r), content_type
