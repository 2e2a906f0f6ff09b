"""The entity directory import at scale (一单两库's 检查对象名录, REGULATIONS.md §7).

A county's directory runs to hundreds of thousands of market entities, so this import does not
go through the generic per-row import (a service call and a change record per row). It runs as a
background job (`inspections.directory_import`) and:

1. bounds the file before parsing it (core.io.check_file's zip checks with this import's own
   limits, stated below, since a directory is larger than a ledger);
2. streams the first sheet read-only (openpyxl) ONCE, validating every row (errors by row and
   Chinese column header) and writing the valid rows in batches inside ONE transaction: each
   batch is one upsert on (township, 统一社会信用代码) — new entities inserted, existing ones
   updated in the columns the file carries, their version moved on — after one locking read of
   that batch's existing rows. At the first error writing stops (validation goes on, to list up
   to MAX_ERRORS problems) and at the end the transaction is rolled back: all or nothing.
3. finds codes repeated in the file from 12 bytes a row (the code's hash and its row number),
   sorted at the end; only when hashes repeat is the file read again to name the rows.
   Nothing the size of the file is held in memory: not the rows, not the codes, not the
   township's existing entities. One business event records the import (file SHA-256, counts)
   instead of a change record per row.
Progress (rows done of the sheet's declared size) is reported on the job as it runs, through
one side connection on PostgreSQL so that the job page sees it before the commit.
docs/performance.md has the measurements (bench/bench_entity_import.py).
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.db import connection, connections, transaction
from django.utils import timezone
from openpyxl import load_workbook

from fazhi.core import jobs, scope, validators
from fazhi.core.audit import record_event
from fazhi.core.io import LimitError, RowError, _cell_problem
from fazhi.core.models import Job, Township, Village
from fazhi.core.roles import IMPORT
from fazhi.inspections import choices as c
from fazhi.inspections.models import Enterprise

KIND = "inspections.directory_import"
#: limits of a directory file (checked before parsing); larger than a ledger's
MAX_FILE_BYTES = 150 * 2**20
MAX_UNPACKED_BYTES = 1536 * 2**20
MAX_MEMBERS = 50
MAX_ROWS = 1_000_000
MAX_ERRORS = 200
BATCH = 5000
PROGRESS_EVERY = 10_000

#: column header → (field, required, max length)
COLUMNS: dict[str, tuple[str, bool, int]] = {
    "名称": ("name", True, 120),
    "统一社会信用代码": ("credit_code", True, 18),
    "信用风险分类": ("credit_class", True, 1),
    "行业": ("industry", False, 60),
    "地址": ("address", False, 200),
    "所在村(社区)": ("village", False, 60),
    "在营": ("is_active", False, 2),
}
#: any control (Unicode category Cc: U+0000–U+001F, U+007F–U+009F) or bidirectional-override
#: character: a text without one passes validators.text_problem, which checks them one by one
_SUSPECT = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(sorted(validators.BIDI_CONTROLS)) + "]")
CLASS_VALUES = {str(v): v for v in c.CreditClass.values} | {
    str(label): v for v, label in c.CreditClass.choices
}


class DirectoryError(ValueError):
    """The file was refused; `errors` lists each problem by row and column. Nothing written."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        shown = "\n".join(str(e) for e in errors[:MAX_ERRORS])
        super().__init__(f"导入失败，未写入任何数据，共{len(errors)}处错误：\n{shown}")


@dataclass
class DirectoryResult:
    created: int = 0
    updated: int = 0
    rows: int = 0
    sha256: str = ""
    errors: list[RowError] = field(default_factory=list)


def check_file(fileobj: BinaryIO) -> int:
    """Bound the .xlsx before any XML is parsed: size, member count, declared unpacked size."""
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(0)
    mb = 2**20
    if size > MAX_FILE_BYTES:
        raise LimitError(
            f"文件过大：{size / mb:.1f} MB，名录文件不能超过 {MAX_FILE_BYTES // mb} MB。"
        )
    try:
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ValueError("文件不是有效的 Excel（.xlsx）文件。") from None
    finally:
        fileobj.seek(0)
    if len(infos) > MAX_MEMBERS:
        raise LimitError(f"文件包含的部件过多（{len(infos)} 个，上限 {MAX_MEMBERS} 个）。")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES:
        raise LimitError(
            f"文件解压后过大：{total / mb:.0f} MB，不能超过 {MAX_UNPACKED_BYTES // mb} MB。"
        )
    return size


def _rows(fileobj: BinaryIO) -> tuple[list[str], Iterator[tuple[int, tuple[Any, ...]]], int]:
    """The header, the data rows (row number, values) and the number of data rows the sheet
    declares (its dimension; 0 when it has none: only for the progress bar)."""
    fileobj.seek(0)
    try:
        wb = load_workbook(fileobj, read_only=True, data_only=True)
        ws = wb.worksheets[0]
        first = next(ws.iter_rows(min_row=1, max_row=1, max_col=20, values_only=True))
    except StopIteration:
        raise ValueError("文件是空的。") from None
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise ValueError("文件不是有效的 Excel（.xlsx）文件。") from exc
    try:
        declared = max(0, int(ws.max_row or 0) - 1)
    except (TypeError, ValueError):
        declared = 0
    head = [str(h).strip() if h is not None else "" for h in first]
    while head and not head[-1]:
        head.pop()
    width = len(head)

    def rows() -> Iterator[tuple[int, tuple[Any, ...]]]:
        try:
            body = ws.iter_rows(min_row=2, max_row=MAX_ROWS + 2, max_col=width, values_only=True)
            for number, values in enumerate(body, start=2):
                if number > MAX_ROWS + 1:
                    raise LimitError(f"文件行数过多：超过 {MAX_ROWS:,} 行。请分成几个文件导入。")
                if all(v is None or v == "" for v in values):
                    continue
                yield number, values
        finally:
            wb.close()

    return head, rows(), min(declared, MAX_ROWS)


class _Parser:
    def __init__(self, head: list[str], township: Township) -> None:
        self.errors: list[RowError] = []
        self.positions: dict[str, int] = {}
        for index, name in enumerate(head):
            if not name:
                continue
            if name not in COLUMNS:
                self.errors.append(RowError(1, name, "不是名录的列（请使用导入模板的表头）"))
            self.positions[name] = index
        for name, (_, required, _) in COLUMNS.items():
            if required and name not in self.positions:
                self.errors.append(RowError(1, name, "缺少必填列"))
        self.villages = {v.name: v.pk for v in Village.objects.filter(township=township)}
        #: the model fields the file carries besides the code (an update changes only these)
        self.fields = sorted(COLUMNS[name][0] for name in self.positions if name in COLUMNS)
        if "credit_code" in self.fields:
            self.fields.remove("credit_code")

    def parse(self, number: int, values: tuple[Any, ...]) -> dict[str, Any] | None:
        data: dict[str, Any] = {}
        ok = True
        for header, index in self.positions.items():
            name, required, limit = COLUMNS[header]
            raw = values[index] if index < len(values) else None
            problem = _cell_problem(raw)
            if problem:
                self.errors.append(RowError(number, header, problem))
                ok = False
                continue
            text = "" if raw is None else str(raw).strip()
            if isinstance(raw, float) and raw.is_integer():
                text = str(int(raw))
            error = ""
            if not text:
                if required:
                    error = "不能为空"
            elif name == "credit_code":
                text = text.upper()
                if len(text) != 18 or not text.isascii() or not text.isalnum():
                    error = f"“{text}”不是18位统一社会信用代码"
            elif name == "credit_class":
                if text.upper() not in CLASS_VALUES and text not in CLASS_VALUES:
                    labels = "、".join(str(label) for _, label in c.CreditClass.choices)
                    error = f"“{text}”不是可选的分类（可选：{labels}）"
                text = CLASS_VALUES.get(text.upper(), CLASS_VALUES.get(text, ""))
            elif name == "village":
                if text not in self.villages:
                    error = f"本乡镇没有“{text}”"
            elif name == "is_active":
                if text not in ("是", "否"):
                    error = f"“{text}”应填写“是”或“否”"
            elif len(text) > limit:
                error = f"超过{limit}字"
            if not error and text and name in ("name", "industry", "address"):
                # the character-by-character check only where a character may be wrong
                if _SUSPECT.search(text):
                    error = validators.text_problem(text)
            if error:
                self.errors.append(RowError(number, header, error))
                ok = False
                continue
            if name == "village":
                data["village_id"] = self.villages.get(text)
            elif name == "is_active":
                data["is_active"] = text != "否"
            else:
                data[name] = text
        return data if ok else None


class _Progress:
    """Progress on the job. Inside the write transaction on PostgreSQL it goes through one side
    connection (opened at the first report, closed at the end), so the job page sees it while
    the import is still uncommitted."""

    def __init__(self, job: Job | None) -> None:
        self.job = job
        self.side: Any = None

    def __call__(self, progress: int, total: int, message: str = "") -> None:
        job = self.job
        if job is None:
            return
        if not (connection.in_atomic_block and connection.vendor == "postgresql"):
            jobs.step(job, progress, total, message)
            return
        job.progress, job.total = progress, total
        if message:
            job.log += f"{timezone.localtime():%H:%M:%S} {message}\n"
        if self.side is None:
            self.side = connections.create_connection("default")
        with self.side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Job._meta.db_table} SET progress=%s, total=%s, log=%s, updated_at=%s"  # noqa: S608
                " WHERE id=%s",
                [progress, total, job.log, timezone.now(), job.pk],
            )
        self.side.commit()

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


class _Codes:
    """The file's codes as (hash, row number): 12 bytes a row instead of a dict of strings.
    `repeated` sorts the hashes once at the end; rows whose hashes repeat are then read again
    to compare the codes themselves (a hash collision is not a duplicate)."""

    def __init__(self) -> None:
        self.hashes = array("q")
        self.numbers = array("I")

    def add(self, code: str, number: int) -> None:
        self.hashes.append(hash(code))  # stable within the process, which is all it needs
        self.numbers.append(number)

    def repeated(self, fileobj: BinaryIO, position: int) -> list[RowError]:
        ordered = sorted(self.hashes)
        twice = {a for a, b in zip(ordered, ordered[1:], strict=False) if a == b}
        del ordered
        if not twice:
            return []
        suspects = {n for h, n in zip(self.hashes, self.numbers, strict=True) if h in twice}
        first: dict[str, int] = {}
        errors = []
        _, rows, _ = _rows(fileobj)
        for number, values in rows:
            if number not in suspects:
                continue
            raw = values[position] if position < len(values) else None
            code = ("" if raw is None else str(raw)).strip().upper()
            if code in first:
                errors.append(RowError(number, "统一社会信用代码", f"与第{first[code]}行重复"))
            else:
                first[code] = number
        return errors


class _Writer:
    """Batches of valid rows, each written with one locking read of the batch's existing
    entities and one upsert (insert, or update of the file's columns and the version)."""

    def __init__(self, township: Township, fields: list[str]) -> None:
        self.township_id = township.pk
        self.update_fields = sorted({*fields, "version", "updated_at"})
        self.pending: dict[str, dict[str, Any]] = {}
        self.created = 0
        self.updated = 0

    def add(self, data: dict[str, Any]) -> None:
        # a code twice in one batch: the file is refused at the end (see _Codes); one upsert
        # must not meet the same key twice
        self.pending.setdefault(data["credit_code"], data)
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        versions = dict(
            Enterprise.objects.select_for_update()
            .filter(township_id=self.township_id, credit_code__in=list(self.pending))
            .order_by()
            .values_list("credit_code", "version")
        )
        objs = []
        for code, data in self.pending.items():
            # an edit form opened before the import is refused (its version is behind)
            version = versions.get(code)
            objs.append(
                Enterprise(
                    township_id=self.township_id,
                    version=1 if version is None else version + 1,
                    **data,
                )
            )
        Enterprise.objects.bulk_create(
            objs,
            update_conflicts=True,
            unique_fields=["township", "credit_code"],
            update_fields=self.update_fields,
        )
        self.updated += len(versions)
        self.created += len(objs) - len(versions)
        self.pending = {}


def import_directory(
    path: str | Path,
    *,
    township: Township,
    actor: Any,
    job: Job | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> DirectoryResult:
    """Validate and write every row in one transaction (or none): raises DirectoryError listing
    the problems by row and column, with nothing written."""
    if actor is not None:
        scope.ensure_township(actor, IMPORT, township.pk, Enterprise)
    result = DirectoryResult()
    progress = _Progress(job)
    with open(path, "rb") as fileobj:
        check_file(fileobj)
        digest = hashlib.sha256()
        for chunk in iter(lambda: fileobj.read(2**20), b""):
            digest.update(chunk)
        result.sha256 = digest.hexdigest()
        head, rows, declared = _rows(fileobj)
        parser = _Parser(head, township)
        if parser.errors:
            rows.close()
            raise DirectoryError(parser.errors)
        codes = _Codes()
        writer = _Writer(township, parser.fields)
        try:
            with transaction.atomic():
                progress(0, declared, "开始导入：逐行校验并写入（全部通过才提交）")
                for number, values in rows:
                    data = parser.parse(number, values)
                    result.rows += 1
                    if data is not None:
                        codes.add(data["credit_code"], number)
                        if not parser.errors:  # after an error only validation goes on
                            writer.add(data)
                    if len(parser.errors) >= MAX_ERRORS:
                        rows.close()
                        break
                    if result.rows % PROGRESS_EVERY == 0:
                        progress(result.rows, max(declared, result.rows))
                        if on_progress:
                            on_progress(result.rows, max(declared, result.rows))
                if len(parser.errors) < MAX_ERRORS:  # every row was read: look for repeats
                    position = parser.positions["统一社会信用代码"]
                    parser.errors.extend(codes.repeated(fileobj, position))
                if parser.errors:
                    parser.errors.sort(key=lambda e: e.row or 0)
                    raise DirectoryError(parser.errors)
                if not result.rows:
                    raise DirectoryError([RowError(None, None, "文件中没有数据行。")])
                writer.flush()
                result.created, result.updated = writer.created, writer.updated
                total = result.rows
                progress(total, total, f"校验通过，共{total}行，正在提交")
                record_event(
                    "inspections.directory_imported",
                    f"导入检查对象名录：新增{result.created}户，更新{result.updated}户",
                    township=township.pk,
                    actor=actor,
                    obj=None,
                    payload={
                        "created": result.created,
                        "updated": result.updated,
                        "sha256": result.sha256,
                    },
                )
        finally:
            progress.close()
        progress(result.rows, result.rows, "导入完成")
    return result


def enqueue(upload: Any, *, township: Township, actor: Any) -> Job:
    """Bound the upload, store it and hand it to a background job before any of it is parsed."""
    scope.ensure_township(actor, IMPORT, township.pk, Enterprise)
    check_file(upload)
    job = jobs.enqueue(KIND, actor=actor, township=township, params={"township": township.pk})
    path = jobs.result_path(job, "directory.xlsx")
    upload.seek(0)
    with open(path, "wb") as out:
        for chunk in iter(lambda: upload.read(2**20), b""):
            out.write(chunk)
    job.params = {"township": township.pk, "file": str(path)}
    Job.objects.filter(pk=job.pk).update(params=job.params)
    return job


@jobs.handler(KIND, "导入检查对象名录")
def _run(job: Job) -> dict[str, Any]:
    township = Township.objects.get(pk=job.params["township"])
    result = import_directory(job.params["file"], township=township, actor=job.actor, job=job)
    return {"created": result.created, "updated": result.updated, "sha256": result.sha256}
