"""Excel in and out, declared once per resource.

Export writes Chinese headers, choice labels, 是/否, dates as dates, related records by their
display name, and a leading 编号 column; the same file imports back unchanged (rows matched by
编号 are updated only where something differs). Import validates every row first and lists all
errors as (row, column, message); then all rows are written in one transaction, or none.
Cells beginning with = + - @ are neutralised on export (a leading apostrophe) and restored on
import. Files over IMPORT_JOB_ROWS rows are handed to a background job.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from fazhi.core import scope, services
from fazhi.core.roles import IMPORT, VIEW

ID_HEADER = "编号"
IMPORT_JOB_ROWS = 2000
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

    def __init__(self, user: Any) -> None:
        self.user = user
        self.cache: dict[tuple[type, int | None], dict[str, list[models.Model]]] = {}

    def resolve(
        self, model: type[models.Model], township_id: int | None, text: str
    ) -> models.Model:
        key = (model, township_id)
        if key not in self.cache:
            manager = model._default_manager
            if model._meta.model_name == "township":
                qs = scope.writable_townships(self.user, IMPORT)
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
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            raise ValueError(f"“{raw}”不是整数") from None
        if number != number.to_integral_value():
            raise ValueError(f"“{raw}”不是整数")
        return int(number)
    if isinstance(f, models.DecimalField):
        try:
            return Decimal(str(raw))
        except InvalidOperation:
            raise ValueError(f"“{raw}”不是数字") from None
    if isinstance(f, models.CharField | models.TextField):
        text = str(raw)
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))
        if getattr(f, "max_length", None) and len(text) > f.max_length:
            raise ValueError(f"超过{f.max_length}字")
        return text
    return raw


def _read_rows(fileobj: BinaryIO) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    try:
        wb = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise ValueError("文件不是有效的 Excel（.xlsx）文件。") from exc
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    try:
        head = [str(h).strip() if h is not None else "" for h in next(rows)]
    except StopIteration:
        raise ValueError("文件是空的。") from None
    body = []
    for number, values in enumerate(rows, start=2):
        values = list(values)
        if all(v in (None, "") for v in values):
            continue
        body.append((number, values))
    wb.close()
    return head, body


def import_workbook(
    resource: Any, fileobj: BinaryIO, *, actor: Any, allow_job: bool = True
) -> ImportResult:
    """Validate every row, then write all of them in one transaction, or none."""
    result = ImportResult()
    try:
        head, body = _read_rows(fileobj)
    except ValueError as exc:
        result.errors.append(RowError(None, None, str(exc)))
        return result
    if allow_job and len(body) > IMPORT_JOB_ROWS:
        from fazhi.core import jobs

        fileobj.seek(0)
        job = jobs.enqueue_import(resource, fileobj, actor=actor)
        result.job_id = str(job.pk)
        return result
    fields = _fields(resource)
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
    if result.errors:
        return result

    lookup = _Lookup(actor)
    writable = {t.pk: t for t in scope.writable_townships(actor, IMPORT, resource.model)}
    existing = (
        {obj.pk: obj for obj in resource.queryset(actor, VIEW)} if ID_HEADER in positions else {}
    )
    parsed: list[tuple[int, models.Model | None, dict[str, Any]]] = []
    masked_fields = getattr(resource.model, "pii_fields", frozenset())
    for number, values in body:
        data: dict[str, Any] = {}
        row_ok = True
        obj = None
        if ID_HEADER in positions:
            raw_id = values[positions[ID_HEADER]] if positions[ID_HEADER] < len(values) else None
            if raw_id not in (None, ""):
                try:
                    obj = existing[int(raw_id)]
                except (KeyError, ValueError, TypeError):
                    result.errors.append(
                        RowError(number, ID_HEADER, f"编号“{raw_id}”的记录不存在或无权修改")
                    )
                    row_ok = False
        township_id = getattr(obj, "township_id", None)
        ordered = sorted(
            fields, key=lambda f: f.name != "township"
        )  # township first: it scopes lookups
        for f in ordered:
            label = str(f.verbose_name)
            if label not in positions:
                continue
            raw = values[positions[label]] if positions[label] < len(values) else None
            if f.name in masked_fields and isinstance(raw, str) and "*" in raw:
                if obj is not None:  # a masked cell of an export: the value is unchanged
                    data[f.name] = getattr(obj, f.name)
                continue
            try:
                value = _parse(f, raw, lookup, township_id)
            except ValueError as exc:
                result.errors.append(RowError(number, label, str(exc)))
                row_ok = False
                continue
            if f.name == "township":
                if value.pk not in writable:
                    result.errors.append(RowError(number, label, f"无权向“{value}”导入"))
                    row_ok = False
                    continue
                township_id = value.pk
            data[f.name] = value
        if row_ok:
            parsed.append((number, obj, data))
    if result.errors:
        return result

    create = resource.create or services.create_object
    update = resource.update or services.update_object
    try:
        with transaction.atomic():
            for number, obj, data in parsed:
                try:
                    with transaction.atomic():
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
                except PermissionDenied as exc:
                    result.errors.append(RowError(number, None, str(exc)))
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.created = result.updated = result.unchanged = 0
    return result


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
