"""Render .docx documents from versioned templates with docxtpl, autoescaping on.

docxtpl's default is autoescape=False: an ``&`` or ``<`` in the data then corrupts the document's
XML and Word/WPS refuse to open it. Here escaping is always on. Build the context with a pure,
unit-tested function; keep templates under the app's ``docx/`` folder with a version in the name.
"""

from __future__ import annotations

from io import BytesIO
from os import PathLike
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from lxml.etree import SubElement

_T, _SPACE = qn("w:t"), qn("xml:space")


def environment(*, strict: bool = True) -> SandboxedEnvironment:
    """The Jinja environment for documents: autoescaped, sandboxed, and (by default) strict
    about missing data."""
    if strict:
        return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    return SandboxedEnvironment(autoescape=True)


def render_docx(
    template_path: str | PathLike[str], context: dict[str, Any], *, strict: bool = True
) -> bytes:
    """Render the template with `context` and return the .docx bytes.

    With `strict` (the default) a name missing from the context raises jinja2.UndefinedError
    instead of leaving an empty gap in an official document; use ``|default("")`` in the
    template for optional values, or strict=False.
    """
    template = DocxTemplate(template_path)
    template.render(context, jinja_env=environment(strict=strict), autoescape=True)
    out = BytesIO()
    template.save(out)
    return out.getvalue()


def set_run_font(run: Any, name: str, size: float, *, bold: bool = False) -> None:
    """Set a python-docx run's font for every script (ascii, hAnsi, eastAsia, cs): setting only
    `run.font.name` leaves Chinese text in the document's default East Asian font."""
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def run_text(run: Any, text: str) -> None:
    """Append `text` to a run element (`w:r`) as python-docx's ``run.text`` does — one ``w:t``
    per stretch of characters (``xml:space="preserve"`` when it starts or ends with a space),
    ``w:tab`` for a tab, ``w:br`` for a line break — without its per-character state machine."""
    if "\t" in text or "\n" in text or "\r" in text:
        from docx.oxml.text.run import _RunContentAppender

        _RunContentAppender.append_to_run_from_text(run, text)
        return
    if not text:
        return
    t = SubElement(run, _T)
    t.text = text
    if len(text.strip()) < len(text):
        t.set(_SPACE, "preserve")


def page_number_footer(section: Any, font: str, size: float = 14) -> None:
    """The page number of GB/T 9704-2012 (REGULATIONS.md §14): "— 1 —", 4号 (14 pt), centred in
    the section's footer, as a PAGE field so Word/WPS number every page."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_run_font(p.add_run("— "), font, size)
    run = p.add_run()
    set_run_font(run, font, size)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    set_run_font(p.add_run(" —"), font, size)
