"""Render .docx documents from versioned templates with docxtpl, autoescaping on.

docxtpl's default is autoescape=False: an ``&`` or ``<`` in the data then corrupts the document's
XML and Word/WPS refuse to open it. Here escaping is always on. Build the context with a pure,
unit-tested function; keep templates under the app's ``docx/`` folder with a version in the name.
"""

from __future__ import annotations

from io import BytesIO
from os import PathLike
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment


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
