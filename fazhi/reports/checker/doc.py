"""The text as the checks see it: lines, sentences, clauses and quoted spans, all by offset.

Everything is computed once, in linear passes, so that each check can look up "which line",
"which sentence", "where does this clause start" or "is this inside quotation marks" with a
binary search instead of rescanning the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

SPACE = " \t\u3000\r\xa0"
SENTENCE_END = "。！？!?"
CLAUSE_SEP = "，,；;：:。！？!?\n"
_SENTENCE_RE = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+[”’\"」』）)]?|$)")
_CLAUSE_SEP_RE = re.compile(r"[，,；;：:。！？!?\n]")
# Short quoted names ("三项制度", "八五", "12·4", 《宪法》): numbers inside them are names, not counts.
_QUOTE_RE = re.compile(r"“[^”\n]{0,24}”|‘[^’\n]{0,24}’|「[^」\n]{0,24}」|\"[^\"\n]{0,24}\"")
_BOOK_RE = re.compile(r"《[^》\n]{0,80}》")


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@dataclass(slots=True)
class Line:
    index: int  # 0-based
    start: int
    end: int  # offset of the newline (or of the end of the text)

    @property
    def number(self) -> int:
        return self.index + 1


class Doc:
    """Offsets into one text: lines, sentences, clause separators, quoted spans."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[Line] = []
        pos = 0
        for i, chunk in enumerate(text.split("\n")):
            self.lines.append(Line(i, pos, pos + len(chunk)))
            pos += len(chunk) + 1
        self.line_starts = [ln.start for ln in self.lines]

        self.sentences: list[tuple[int, int]] = []
        for ln in self.lines:
            for m in _SENTENCE_RE.finditer(text, ln.start, ln.end):
                s, e = m.start(), m.end()
                while s < e and text[s] in SPACE:
                    s += 1
                if s < e:
                    self.sentences.append((s, e))
        self.sentence_starts = [s for s, _ in self.sentences]

        self.clause_seps = [m.start() for m in _CLAUSE_SEP_RE.finditer(text)]

        self.quotes = [(m.start(), m.end()) for m in _QUOTE_RE.finditer(text)]
        self.quote_starts = [s for s, _ in self.quotes]
        self.books = [(m.start(), m.end()) for m in _BOOK_RE.finditer(text)]
        self.book_starts = [s for s, _ in self.books]

    # --- lookups -------------------------------------------------------------------------
    def line_index(self, offset: int) -> int:
        return max(0, bisect_right(self.line_starts, offset) - 1)

    def line_no(self, offset: int) -> int:
        return self.line_index(offset) + 1

    def line_text(self, index: int) -> str:
        ln = self.lines[index]
        return self.text[ln.start : ln.end]

    def sentence_at(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self.sentence_starts, offset) - 1
        if i >= 0:
            s, e = self.sentences[i]
            if s <= offset < e:
                return s, e
        ln = self.lines[self.line_index(offset)]
        return ln.start, ln.end

    def clause_start(self, offset: int) -> int:
        """Offset just after the nearest clause separator before `offset`."""
        i = bisect_left(self.clause_seps, offset) - 1
        return self.clause_seps[i] + 1 if i >= 0 else 0

    def clause_end(self, offset: int) -> int:
        i = bisect_left(self.clause_seps, offset)
        return self.clause_seps[i] if i < len(self.clause_seps) else len(self.text)

    def in_quote(self, offset: int) -> bool:
        return _inside(self.quotes, self.quote_starts, offset)

    def in_book(self, offset: int) -> bool:
        return _inside(self.books, self.book_starts, offset)


def _inside(spans: list[tuple[int, int]], starts: list[int], offset: int) -> bool:
    i = bisect_right(starts, offset) - 1
    return i >= 0 and spans[i][0] < offset < spans[i][1]
