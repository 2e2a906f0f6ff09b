"""The values of an .xlsx sheet, read as openpyxl's read-only mode reads them, at a fifth of
its cost.

An import reads every cell of its file once; openpyxl's read-only reader builds an
ElementTree element and a dict for each cell and a `Text` object for each shared string, which
made the reading of a ledger cost as much as a read-only pass is (the import's baseline). Here
the workbook is opened by openpyxl (its parts, relationships, styles, date formats, epoch:
`ExcelReader`), but the two parts that grow with the rows are parsed with expat:
- the shared strings (`_strings`): each `<si>`'s text as `Text.content` gives it (the last
  `<t>` child, then each run's last `<t>`, phonetic runs left out; "x005F_" removed);
- the sheet's rows (`Sheet.values`): what `ReadOnlyWorksheet.iter_rows(values_only=True)`
  yields, row gaps filled and rows cut at `max_row`, each value as `WorkSheetParser.parse_cell`
  makes it in data-only mode (numbers int or float, dates by the cell's style, booleans,
  shared and inline strings, ISO dates, error texts).
A document type declaration (entities) is refused as openpyxl's defusedxml refuses it.
`tests/test_xlsx.py` reads files of every kind of cell both ways and compares the values.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any, BinaryIO
from xml.parsers import expat

from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
from openpyxl.utils.cell import column_index_from_string, coordinate_to_tuple
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SI, _T, _R, _RPH = (f"{_NS} {x}" for x in ("si", "t", "r", "rPh"))
_ROW, _C, _V, _IS = (f"{_NS} {x}" for x in ("row", "c", "v", "is"))
_CHUNK = 1 << 16


class _Refused(ValueError):
    pass


def _parser() -> Any:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True

    def refuse(*_args: Any) -> None:
        raise _Refused("文件不是有效的 Excel（.xlsx）文件。")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    return parser


class _Text:
    """What `Text.from_tree(node).content` reads of an `<si>` or `<is>` element."""

    __slots__ = ("plain", "runs", "parts", "where")

    def __init__(self) -> None:
        self.plain: str | None = None
        self.runs: list[str | None] = []
        self.parts: list[str] | None = None  # the text of the <t> being read
        self.where = ""  # "plain" or "run" while inside a <t> that counts

    def content(self) -> str:
        snippets = [self.plain] if self.plain is not None else []
        snippets += [t for t in self.runs if t is not None]
        return "".join(snippets)


class _TextReader:
    """Tracks run nesting for `_Text` (a `<t>` counts directly below the element or below one
    of its `<r>` runs, not below a phonetic `<rPh>`)."""

    def __init__(self) -> None:
        self.text: _Text | None = None
        self.stack: list[str] = []

    def begin(self) -> None:
        self.text = _Text()
        self.stack = []

    def start(self, name: str) -> None:
        text = self.text
        assert text is not None
        parent = self.stack[-1] if self.stack else None
        self.stack.append(name)
        depth = len(self.stack)  # 1: a child of the element, 2: a grandchild
        if depth == 1 and name == _R:
            text.runs.append(None)
        elif name == _T and (depth == 1 or (depth == 2 and parent == _R)):
            text.parts = []
            text.where = "plain" if depth == 1 else "run"

    def end(self, name: str) -> None:
        text = self.text
        assert text is not None
        if name == _T and text.where and len(self.stack) in (1, 2):
            value = "".join(text.parts) if text.parts else None
            if text.where == "plain":
                text.plain = value
            else:
                text.runs[-1] = value
            text.parts, text.where = None, ""
        self.stack.pop()

    def chars(self, data: str) -> None:
        text = self.text
        if text is not None and text.parts is not None:
            text.parts.append(data)


def _strings(src: BinaryIO) -> list[str]:
    """`openpyxl.reader.strings.read_string_table`: each `<si>`'s content."""
    out: list[str] = []
    reader = _TextReader()
    inside = False

    def start(name: str, _attrs: Any) -> None:
        nonlocal inside
        if inside:
            reader.start(name)
        elif name == _SI:
            inside = True
            reader.begin()

    def end(name: str) -> None:
        nonlocal inside
        if not inside:
            return
        if name == _SI and not reader.stack:
            inside = False
            assert reader.text is not None
            out.append(reader.text.content().replace("x005F_", ""))
            reader.text = None
        else:
            reader.end(name)

    parser = _parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = reader.chars
    while chunk := src.read(_CHUNK):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)
    return out


class _Sheet(ReadOnlyWorksheet):
    """A read-only worksheet that does not look for its dimensions when it is opened
    (`values` is given its bounds): openpyxl parses the whole sheet for them when, as in the
    files openpyxl writes, the `<dimension>` element is missing or comes after the rows."""

    def _get_size(self) -> None:
        pass


class _Reader(ExcelReader):
    def read_strings(self) -> None:
        ct = self.package.find(SHARED_STRINGS)
        if ct is not None:
            with self.archive.open(ct.PartName[1:]) as src:
                self.shared_strings = _strings(src)

    def read_worksheets(self) -> None:
        """`ExcelReader.read_worksheets` in read-only mode, with `_Sheet`s."""
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                continue
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)
                continue
            ws = _Sheet(self.wb, sheet.name, rel.target, self.shared_strings)
            ws.sheet_state = sheet.state
            self.wb._sheets.append(ws)


def open_workbook(fileobj: BinaryIO) -> Any:
    """`load_workbook(fileobj, read_only=True, data_only=True)`, the shared strings parsed by
    `_strings`."""
    reader = _Reader(fileobj, read_only=True, data_only=True)
    reader.read()
    return reader.wb


_DIGITS = "0123456789"


def _column(coordinate: str) -> int:
    """`coordinate_to_tuple(coordinate)[1]`: a coordinate of letters then digits by its
    letters (`column_index_from_string`, cached), anything else by openpyxl itself."""
    letters = coordinate.rstrip(_DIGITS)
    if letters and len(letters) < len(coordinate) and letters.isascii() and letters.isalpha():
        return column_index_from_string(letters)
    return coordinate_to_tuple(coordinate)[1]


def _rows(ws: Any) -> Iterator[tuple[int, list[tuple[int, Any]]]]:
    """`WorkSheetParser.parse()` in data-only mode, values only: (row index, [(column,
    value)]). The cell being read is held in the handlers' variables (`kind` is None outside
    a cell): expat calls them for every element of every cell."""
    wb = ws.parent
    strings = ws._shared_strings
    dates, timedeltas, epoch = wb._date_formats, wb._timedelta_formats, wb.epoch
    done: list[tuple[int, list[tuple[int, Any]]]] = []
    row_index = col_index = 0
    cells: list[tuple[int, Any]] = []
    # the cell being read: its type ("t"), coordinate, style, whether its first <v> was read,
    # that <v>'s text, its inline string
    kind: str | None = None
    coordinate: str | None = None
    style: Any = 0
    read_v = False
    text: str | None = None
    inline_text: str | None = None
    value_parts: list[str] | None = None
    inline: _TextReader | None = None

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal kind, coordinate, style, read_v, text, inline_text, value_parts, inline
        nonlocal cells, row_index, col_index
        if inline is not None:
            inline.start(name)
        elif kind is not None:
            if name == _V and not read_v and value_parts is None:
                value_parts = []
            elif name == _IS and inline_text is None:
                inline = _TextReader()
                inline.begin()
        elif name == _C:
            kind = attrs.get("t", "n")
            coordinate = attrs.get("r")
            style = attrs.get("s", 0)
            if style:
                style = int(style)
            read_v = False
            text = inline_text = None
        elif name == _ROW:
            r = attrs.get("r")
            if r is not None:
                try:
                    row_index = int(r)
                except ValueError:
                    number = float(r)
                    if not number.is_integer():
                        raise ValueError(f"{r} is not a valid row number") from None
                    row_index = int(number)
            else:
                row_index += 1
            col_index = 0
            cells = []

    def end(name: str) -> None:
        nonlocal kind, read_v, text, inline_text, value_parts, inline
        if inline is not None:
            if name == _IS and not inline.stack:
                assert inline.text is not None
                inline_text = inline.text.content()
                inline = None
            else:
                inline.end(name)
        elif kind is not None:
            if name == _V and value_parts is not None:
                text = "".join(value_parts)
                read_v = True
                value_parts = None
            elif name == _C:
                cells.append(_value())
                kind = None
        elif name == _ROW:
            done.append((row_index, cells))

    def chars(data: str) -> None:
        if value_parts is not None:
            value_parts.append(data)
        elif inline is not None:
            inline.chars(data)

    def _value() -> tuple[int, Any]:
        nonlocal col_index
        value: Any = None if kind == "inlineStr" else (text or None)
        if coordinate:
            column = col_index = _column(coordinate)
        else:
            col_index += 1
            column = col_index
        if value is not None:
            if kind == "n":
                value = float(value) if "." in value or "E" in value or "e" in value else int(value)
                if style in dates:
                    try:
                        value = from_excel(value, epoch, timedelta=style in timedeltas)
                    except (OverflowError, ValueError):
                        warnings.warn(
                            f"Cell {coordinate} is marked as a date but the serial value "
                            f"{value} is outside the limits for dates. The cell will be "
                            "treated as an error.",
                            stacklevel=2,
                        )
                        value = "#VALUE!"
            elif kind == "s":
                value = strings[int(value)]
            elif kind == "b":
                value = bool(int(value))
            elif kind == "d":
                value = from_ISO8601(value)
        elif kind == "inlineStr" and inline_text is not None:
            value = inline_text
        return column, value

    parser = _parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    with wb._archive.open(ws._worksheet_path) as src:
        while chunk := src.read(_CHUNK):
            parser.Parse(chunk, False)
            yield from done
            done.clear()
        parser.Parse(b"", True)
        yield from done
        done.clear()


def values(ws: Any, *, min_row: int, max_row: int, max_col: int) -> Iterator[tuple[Any, ...]]:
    """`ws.iter_rows(min_row=…, max_row=…, max_col=…, values_only=True)` of a read-only
    worksheet (`ReadOnlyWorksheet._cells_by_row`, min_col 1)."""
    width = max_col
    empty_row = (None,) * width
    counter = min_row
    idx = 1
    for idx, row in _rows(ws):
        if idx > max_row:
            break
        for _ in range(counter, idx):  # some rows are missing
            counter += 1
            yield empty_row
        if counter <= idx:
            new_row = [None] * width
            for column, value in row:
                if 1 <= column <= max_col:
                    new_row[column - 1] = value
            counter += 1
            yield tuple(new_row)
    if max_row < idx:
        for _ in range(counter, max_row + 1):
            yield empty_row
