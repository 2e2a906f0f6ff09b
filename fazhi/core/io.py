"""Excel in and out, declared once per resource.

Export writes Chinese headers, choice labels, 是/否, dates as dates, related records by their
display name, and a leading 编号 column; the same file imports back unchanged (rows matched by
编号 are updated only where something differs). Import validates every row first and lists all
errors as (row, column, message); then all rows are written in one transaction, or none.
Cells beginning with = + - @ are neutralised on export (a leading apostrophe) and restored on
import. Files over IMPORT_JOB_ROWS rows are handed to a background job.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.fields import PositiveIntegerRelDbTypeMixin
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from fazhi.core import audit, collector, scope, services, validators, xlsx
from fazhi.core.roles import IMPORT, VIEW

ID_HEADER = "编号"
IMPORT_JOB_ROWS = 2000
#: limits of an uploaded .xlsx, checked before it is parsed (and stated in the error message)
MAX_FILE_BYTES = 20 * 2**20
MAX_UNPACKED_BYTES = 200 * 2**20
MAX_SHARED_STRINGS_BYTES = 50 * 2**20
MAX_MEMBERS = 500
MAX_ROWS = 200_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 5_000
#: files larger than this go to a background job before they are read
IMPORT_JOB_BYTES = 128 * 2**10
FORMULA_PREFIXES = ("=", "+", "-", "@")
_DATE_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


@dataclass
class RowError:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row:
            where.append(f"第{self.row}行")
        if self.column:
            where.append(f"“{self.column}”列")
        return f"{''.join(where)}：{self.message}" if where else self.message


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    job_id: str = ""


def _fields(resource: Any) -> list[models.Field]:
    return [resource.model._meta.get_field(name) for name in resource.get_io_fields()]


def headers(resource: Any) -> list[str]:
    return [ID_HEADER, *[str(f.verbose_name) for f in _fields(resource)]]


def _neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cell_value(obj: models.Model, f: models.Field) -> Any:
    value = getattr(obj, f.name)
    if value is None:
        return None
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, models.Model):
        return _neutralise(str(value))
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)
    return _neutralise(value)


def _workbook(resource: Any, rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = resource.label[:31]
    head = headers(resource)
    ws.append(head)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F4F7")
    for row in rows:
        ws.append(row)
    for index, f in enumerate([None, *_fields(resource)], start=1):
        ws.column_dimensions[get_column_letter(index)].width = (
            14 if f is None else max(12, len(str(f.verbose_name)) * 2 + 4)
        )
        if isinstance(f, models.DateField):
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "B2"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def export_workbook(resource: Any, queryset: models.QuerySet, *, user: Any = None) -> bytes:
    """The rows as a workbook. With `user`, personal information (`pii_fields`) is masked in
    the rows that user may not see unmasked (a masked cell re-imports as "unchanged")."""
    from fazhi.core import pii

    fields = _fields(resource)
    related = [f.name for f in fields if f.is_relation]
    viewer = pii.Viewer(user, resource.model) if user is not None else None
    masked = viewer.fields if viewer is not None else frozenset()

    def cell(obj: Any, f: Any) -> Any:
        value = _cell_value(obj, f)
        if f.name in masked and not viewer.can(obj):
            return pii.mask(value)
        return value

    rows = [[obj.pk, *[cell(obj, f) for f in fields]] for obj in queryset.select_related(*related)]
    return _workbook(resource, rows)


def template_workbook(resource: Any) -> bytes:
    return _workbook(resource, [])


# --- import ---------------------------------------------------------------------------------
class _Lookup:
    """Resolve a related record's display name within the rows the user can see."""

    def __init__(self, user: Any, model: type[models.Model] | None = None) -> None:
        self.user = user
        self.model = model  # the imported records' model: its own import right decides townships
        self.cache: dict[tuple[type, int | None], dict[str, list[models.Model]]] = {}

    def resolve(
        self, model: type[models.Model], township_id: int | None, text: str
    ) -> models.Model:
        key = (model, township_id)
        if key not in self.cache:
            manager = model._default_manager
            if model._meta.model_name == "township":
                qs = scope.writable_townships(self.user, IMPORT, self.model)
            elif hasattr(manager, "visible_to"):
                qs = manager.visible_to(self.user, VIEW)
                if township_id is not None:
                    qs = qs.filter(township_id=township_id)
            else:
                qs = manager.all()
            index: dict[str, list[models.Model]] = {}
            for obj in qs:
                index.setdefault(str(obj).strip(), []).append(obj)
                name = getattr(obj, "name", None)
                if isinstance(name, str) and name.strip() != str(obj).strip():
                    index.setdefault(name.strip(), []).append(obj)
            self.cache[key] = index
        matches = self.cache[key].get(text.strip(), [])
        if not matches:
            raise ValueError(f"找不到“{text}”")
        if len({m.pk for m in matches}) > 1:
            raise ValueError(f"“{text}”对应多条记录，请填写更完整的名称")
        return matches[0]


def _parse(f: models.Field, raw: Any, lookup: _Lookup, township_id: int | None) -> Any:
    if isinstance(raw, str):
        raw = raw.strip()
        if raw.startswith("'") and raw[1:2] in FORMULA_PREFIXES:
            raw = raw[1:]
    if raw in (None, ""):
        if isinstance(f, models.BooleanField):
            return False
        if not f.null and not f.blank and not f.has_default():
            raise ValueError("不能为空")
        if f.has_default():
            return f.get_default()
        return "" if not f.null else None
    if f.choices:
        text = str(raw)
        for value, label in f.flatchoices:
            if text in (str(value), str(label)):
                return value
        raise ValueError(
            f"“{text}”不是可选值（可选：{'、'.join(str(label) for _, label in f.flatchoices)}）"
        )
    if f.is_relation:
        return lookup.resolve(
            f.related_model, township_id if f.name != "township" else None, str(raw)
        )
    if isinstance(f, models.BooleanField):
        text = str(raw)
        if text in ("是", "Y", "y", "1", "TRUE", "True", "true", "√"):
            return True
        if text in ("否", "N", "n", "0", "FALSE", "False", "false", "×"):
            return False
        raise ValueError(f"“{text}”应填写“是”或“否”")
    if isinstance(f, models.DateTimeField):
        if isinstance(raw, dt.datetime):
            return raw
        raise ValueError(f"“{raw}”不是日期时间")
    if isinstance(f, models.DateField):
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        match = _DATE_RE.match(str(raw))
        if match:
            try:
                return dt.date(*map(int, match.groups()))
            except ValueError:
                pass
        raise ValueError(f"“{raw}”不是有效日期（如 2025-03-01）")
    if isinstance(f, models.IntegerField):
        minimum = 0 if isinstance(f, PositiveIntegerRelDbTypeMixin) else None
        return validators.parse_int(raw, minimum=minimum)
    if isinstance(f, models.DecimalField):
        return validators.parse_decimal(
            raw, max_digits=f.max_digits, decimal_places=f.decimal_places, minimum=None
        )
    if isinstance(f, models.CharField | models.TextField):
        text = str(raw)
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))
        if getattr(f, "max_length", None) and len(text) > f.max_length:
            raise ValueError(f"超过{f.max_length}字")
        return text
    return raw


@contextlib.contextmanager
def bulk_write() -> Iterator[None]:
    """One transaction for a multi-row write (an import): all or nothing, change records and
    events in bulk (audit.batched), and no savepoint for the services' nested transactions (a
    SAVEPOINT/RELEASE pair per service call was a third of an import's queries). Without
    savepoints an error inside any service marks the whole transaction for rollback, which is
    what an import does with its first write error anyway: the caller must stop at the first
    exception and let it leave this block. The garbage collector's youngest generation is
    collected far apart meanwhile (`collector.fewer_collections`)."""
    with collector.fewer_collections(), transaction.atomic(), audit.batched():
        wrapper = transaction.get_connection()
        wrapper._savepoint_allowed = lambda: False  # shadows the backend's method
        if wrapper.vendor == "postgresql":
            with wrapper.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        try:
            yield
        finally:
            del wrapper._savepoint_allowed


class LimitError(ValueError):
    """The file exceeds a stated limit; nothing was parsed beyond the check."""


def _size(fileobj: BinaryIO) -> int:
    size = getattr(fileobj, "size", None)
    if isinstance(size, int):
        return size
    pos = fileobj.tell()
    fileobj.seek(0, 2)
    end = fileobj.tell()
    fileobj.seek(pos)
    return end


def check_file(fileobj: BinaryIO) -> int:
    """Bound an .xlsx before any XML is parsed: its size, and the unpacked size of its members
    as the zip directory declares them (zipfile stops at the declared size, so a member that
    lies fails its CRC instead of unpacking further). Returns the file size in bytes."""
    size = _size(fileobj)
    mb = 2**20
    if size > MAX_FILE_BYTES:
        raise LimitError(
            f"文件过大：{size / mb:.1f} MB，导入文件不能超过 {MAX_FILE_BYTES // mb} MB。"
            "请分成几个文件导入。"
        )
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ValueError("文件不是有效的 Excel（.xlsx）文件。") from None
    finally:
        fileobj.seek(0)
    if len(infos) > MAX_MEMBERS:
        raise LimitError(f"文件包含的部件过多（{len(infos)} 个，上限 {MAX_MEMBERS} 个）。")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNPACKED_BYTES:
        raise LimitError(
            f"文件解压后过大：{total / mb:.0f} MB，解压后不能超过 {MAX_UNPACKED_BYTES // mb} MB"
            f"（其中共享文字不超过 {MAX_SHARED_STRINGS_BYTES // mb} MB）。请分成几个文件导入。"
        )
    for info in infos:
        if info.filename.lower().endswith("sharedstrings.xml") and (
            info.file_size > MAX_SHARED_STRINGS_BYTES
        ):
            raise LimitError(
                f"文件中的文字解压后过大：{info.file_size / mb:.0f} MB，"
                f"上限 {MAX_SHARED_STRINGS_BYTES // mb} MB。请分成几个文件导入。"
            )
    return size


def _cell_problem(value: Any) -> str:
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        return f"内容过长（{len(value)} 字），每个单元格不能超过 {MAX_CELL_CHARS} 字"
    return ""


def read_sheet(
    fileobj: BinaryIO, *, max_columns: int = MAX_COLUMNS
) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """The header row and a stream of (row number, values) of the first sheet, read-only.

    The file is bounded first (check_file); rows are read up to MAX_ROWS and as wide as the
    header (a sheet that declares a million columns or rows is not padded out); a cell longer
    than MAX_CELL_CHARS stops the read with an error naming its row and column. Blank rows are
    skipped. Call `.close()` on the returned iterator (or exhaust it) to free the file."""
    check_file(fileobj)
    try:  # openpyxl's read-only values, the rows and shared strings parsed by core.xlsx
        wb = xlsx.open_workbook(fileobj)
        ws = wb.worksheets[0]
        first = next(xlsx.values(ws, min_row=1, max_row=1, max_col=max_columns))
    except StopIteration:
        raise ValueError("文件是空的。") from None
    except LimitError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise ValueError("文件不是有效的 Excel（.xlsx）文件。") from exc
    for index, value in enumerate(first, start=1):
        if _cell_problem(value):
            raise LimitError(f"第1行第{index}列{_cell_problem(value)}。")
    head = [str(h).strip() if h is not None else "" for h in first]
    while head and not head[-1]:
        head.pop()
    if not head:
        wb.close()
        raise ValueError("文件是空的。")
    width = len(head)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            body = xlsx.values(ws, min_row=2, max_row=MAX_ROWS + 2, max_col=width)
            for number, values in enumerate(body, start=2):
                if number > MAX_ROWS + 1:
                    raise LimitError(f"文件行数过多：超过 {MAX_ROWS:,} 行。请分成几个文件导入。")
                if all(v is None or v == "" for v in values):
                    continue
                for index, value in enumerate(values):
                    problem = _cell_problem(value)
                    if problem:
                        column = head[index] or get_column_letter(index + 1)
                        raise LimitError(f"第{number}行“{column}”列{problem}。")
                yield number, list(values)
        finally:
            wb.close()

    return head, rows()


def large_file(fileobj: BinaryIO) -> bool:
    """Whether an upload goes to a background job before any of it is read (by its size:
    IMPORT_JOB_BYTES is about IMPORT_JOB_ROWS rows of a typical ledger)."""
    return _size(fileobj) > IMPORT_JOB_BYTES


def _read_rows(fileobj: BinaryIO) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    head, rows = read_sheet(fileobj)
    return head, list(rows)


def _positions(
    resource: Any, head: list[str], fields: list[models.Field], result: ImportResult
) -> dict[str, int]:
    by_header = {str(f.verbose_name): f for f in fields}
    positions: dict[str, int] = {}
    for index, name in enumerate(head):
        if not name:
            continue
        if name != ID_HEADER and name not in by_header:
            result.errors.append(RowError(1, name, "不是本表的列（请使用导入模板的表头）"))
        positions[name] = index
    for f in fields:
        label = str(f.verbose_name)
        required = not (f.blank or f.null or f.has_default() or isinstance(f, models.BooleanField))
        if label not in positions and required:
            result.errors.append(RowError(1, label, "缺少必填列"))
    return positions


class _Rows:
    """Parses rows of one file against a resource (the same code in both passes)."""

    def __init__(self, resource: Any, actor: Any, positions: dict[str, int]) -> None:
        self.resource = resource
        self.positions = positions
        fields = _fields(resource)
        # township first: it scopes the lookups of the other related columns
        self.fields = sorted(fields, key=lambda f: f.name != "township")
        self.lookup = _Lookup(actor, resource.model)
        self.writable = {t.pk: t for t in scope.writable_townships(actor, IMPORT, resource.model)}
        self.existing: dict[int, models.Model] | None = None
        self.actor = actor
        #: personal information: a masked cell of an export keeps the stored value
        self.masked_fields = getattr(resource.model, "pii_fields", frozenset())

    def _existing(self, pk: int) -> models.Model:
        if self.existing is None:
            self.existing = {}
        if pk not in self.existing:
            obj = self.resource.queryset(self.actor, VIEW).filter(pk=pk).first()
            if obj is None:
                raise KeyError(pk)
            if len(self.existing) > 5000:
                self.existing.clear()
            self.existing[pk] = obj
        return self.existing[pk]

    def parse(
        self, number: int, values: list[Any], errors: list[RowError]
    ) -> tuple[models.Model | None, dict[str, Any]] | None:
        data: dict[str, Any] = {}
        row_ok = True
        obj = None
        positions = self.positions
        if ID_HEADER in positions:
            raw_id = values[positions[ID_HEADER]] if positions[ID_HEADER] < len(values) else None
            if raw_id not in (None, ""):
                try:
                    obj = self._existing(validators.parse_int(raw_id, minimum=1))
                except (KeyError, ValueError):
                    errors.append(
                        RowError(number, ID_HEADER, f"编号“{raw_id}”的记录不存在或无权修改")
                    )
                    row_ok = False
        township_id = getattr(obj, "township_id", None)
        for f in self.fields:
            label = str(f.verbose_name)
            if label not in positions:
                continue
            raw = values[positions[label]] if positions[label] < len(values) else None
            if f.name in self.masked_fields and isinstance(raw, str) and "*" in raw:
                if obj is not None:  # a masked cell of an export: the value is unchanged
                    data[f.name] = getattr(obj, f.name)
                continue
            try:
                value = _parse(f, raw, self.lookup, township_id)
            except ValueError as exc:
                errors.append(RowError(number, label, str(exc)))
                row_ok = False
                continue
            if isinstance(value, str) and value:
                problem = validators.text_problem(value, multiline=isinstance(f, models.TextField))
                if problem:
                    errors.append(RowError(number, label, problem))
                    row_ok = False
                    continue
            if f.name == "township":
                if value.pk not in self.writable:
                    errors.append(RowError(number, label, f"无权向“{value}”导入"))
                    row_ok = False
                    continue
                township_id = value.pk
            data[f.name] = value
        return (obj, data) if row_ok else None


def _start_job(resource: Any, fileobj: BinaryIO, actor: Any, result: ImportResult) -> None:
    from fazhi.core import jobs

    fileobj.seek(0)
    job = jobs.enqueue_import(resource, fileobj, actor=actor)
    result.job_id = str(job.pk)


def import_workbook(
    resource: Any, fileobj: BinaryIO, *, actor: Any, allow_job: bool = True
) -> ImportResult:
    """Validate every row, then write all of them in one transaction, or none.

    The file is bounded before it is parsed (check_file); a file over IMPORT_JOB_BYTES goes to
    a background job before it is read. The first pass streams the rows and validates them
    (nothing is kept but the errors); the second pass reads the file again and writes, inside
    one transaction, with the change records in bulk (audit.batched) and no savepoint per row.
    An error found while writing (a uniqueness clash between two rows of the file) rolls back
    every row."""
    result = ImportResult()
    try:
        check_file(fileobj)
    except ValueError as exc:
        result.errors.append(RowError(None, None, str(exc)))
        return result
    if allow_job and large_file(fileobj):
        _start_job(resource, fileobj, actor, result)
        return result
    fields = _fields(resource)
    try:
        head, rows = read_sheet(fileobj)
        positions = _positions(resource, head, fields, result)
        if result.errors:
            rows.close()
            return result
        parser = _Rows(resource, actor, positions)
        count = 0
        for number, values in rows:
            parser.parse(number, values, result.errors)
            count += 1
            if len(result.errors) > MAX_ERRORS:
                rows.close()
                result.errors.append(RowError(None, None, f"错误超过{MAX_ERRORS}处，已停止检查。"))
                break
    except ValueError as exc:  # a limit (or a broken file) met while reading
        result.errors.append(RowError(None, None, str(exc)))
        return result
    if result.errors:
        return result
    if allow_job and count > IMPORT_JOB_ROWS:
        _start_job(resource, fileobj, actor, result)
        return result

    fileobj.seek(0)
    head, rows = read_sheet(fileobj)
    try:
        with bulk_write():
            _write(resource, parser, rows, actor, result)
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.created = result.updated = result.unchanged = 0
    finally:
        rows.close()
    return result


MAX_ERRORS = 1000


def _write(
    resource: Any,
    parser: _Rows,
    rows: Iterator[tuple[int, list[Any]]],
    actor: Any,
    result: ImportResult,
) -> None:
    create = resource.create or services.create_object
    update = resource.update or services.update_object
    for number, values in rows:
        parsed = parser.parse(number, values, result.errors)
        if parsed is None:
            return
        obj, data = parsed
        try:
            if obj is None:
                create(resource.model, data, actor=actor)
                result.created += 1
                continue
            data.pop("township", None)
            if all(getattr(obj, name) == value for name, value in data.items()):
                result.unchanged += 1
                continue
            update(obj, data, actor=actor, expected_version=services.UNCHECKED)
            result.updated += 1
        except ValidationError as exc:
            _collect(result, number, resource, exc)
            return
        except PermissionDenied as exc:
            result.errors.append(RowError(number, None, str(exc)))
            return


class _Rollback(Exception):
    pass


def _collect(result: ImportResult, number: int, resource: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            try:
                label = str(resource.model._meta.get_field(name).verbose_name)
            except Exception:
                label = None
            for e in errors:
                result.errors.append(RowError(number, label, "；".join(e.messages)))
    else:
        result.errors.append(RowError(number, None, "；".join(exc.messages)))
