"""What a user reads on a page, and the English words in it (for the walk and the leak tests)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: proper nouns and file formats a clerk reads as they are
ALLOWED = {
    "API",
    "Excel",
    "ID",
    "docx",
    "xlsx",
    "txt",
    "csv",
    "pdf",
    "PDF",
    "UTF",
    "GBK",
    "Token",
    "OpenAPI",
    "SHA",
    "HMAC",
    "IP",
    "URL",
    "ECharts",
    "WPS",
    "Word",
    "Python",
}
#: a word with a lower-case letter (Kind, status_label, id, the md of REGULATIONS.md); capitals
#: alone are codes people type (inspection codes, case number prefixes)
WORD = re.compile(r"[A-Za-z][A-Za-z_]*[a-z][A-Za-z_]*|[a-z]{2,}")
#: data, not labels: addresses, digests, file extensions standing alone (.pdf, .docx)
DATA = re.compile(r"https?://\S+|\b[0-9a-f]{8,}\b|(?<![A-Za-z0-9])\.[A-Za-z0-9]{2,5}\b")


class VisibleText(HTMLParser):
    """Text a user reads: text nodes outside script/style and the labels carried by attributes."""

    HIDDEN = {"script", "style", "template", "noscript"}
    LABEL_ATTRS = {"placeholder", "title", "aria-label", "alt"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1
        values = dict(attrs)
        for name in self.LABEL_ATTRS:
            if values.get(name):
                self.parts.append(values[name] or "")
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def english_words(html: str, data_values: set[str]) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    text = "\n".join(parser.parts)
    for value in sorted(data_values, key=len, reverse=True):
        text = text.replace(value, " ")
    text = DATA.sub(" ", text)
    return sorted({w for w in WORD.findall(text) if w not in ALLOWED})
