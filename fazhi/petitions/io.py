"""The petition ledger (信访台账) in Excel: a clerk-style template, import of an existing ledger,
export of the ledger, and the statistics table.

Import writes each row as registering it and walking it through the services would (登记 →
受理/不予受理 → 处理意见书 → 送达 → 评价) with the ledger's dates, so deadlines, history and
figures come out as if entered on the day: `ledger.LedgerWriter` writes those records a batch
of rows at a time (constant queries per batch; tests/test_ledger_bulk.py compares it with the
replay), and an actor narrower than a township gets the replay itself (`_write_row`).
Every row is validated and all errors are listed as (row, column, message); the rows are
written in one transaction, or none (the file is read once; a bad row anywhere rolls back every
row). Petitioners go through the party index. Imported petitions get no receipt code (nobody
is given a receipt for a historical row; docs/petitions.md).
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from fazhi.core import io as core_io
from fazhi.core import scope, validators
from fazhi.core.io import RowError
from fazhi.core.models import Department, Village
from fazhi.core.roles import IMPORT
from fazhi.indicators.registry import Period
from fazhi.petitions import ledger, services
from fazhi.petitions.choices import (
    Category,
    Channel,
    NotAcceptedReason,
    Outcome,
    RatingChannel,
    Satisfaction,
    ServiceMethod,
    Source,
)
from fazhi.petitions.models import Petition

JOB_KIND = "petitions.ledger_import"
JOB_ROWS = 200  # larger files run as a job (the limit set when every row was replayed)


@dataclass(frozen=True)
class Col:
    header: str
    key: str
    required: bool = False
    kind: str = "text"  # text | date | int | choice
    choices: Any = None
    width: int = 14
    note: str = ""


LEDGER: tuple[Col, ...] = (
    Col("乡镇", "township", width=10, note="只有一个乡镇权限的可不填"),
    Col("登记编号", "receipt_no", width=26, note="原台账编号；不填则自动编号"),
    Col("收到日期", "received_on", True, "date", note="如 2025-03-01"),
    Col("信访形式", "channel", True, "choice", Channel, width=10),
    Col("来源", "source", False, "choice", Source, width=10, note="默认：直接受理"),
    Col("转送/交办机关", "forwarded_by", width=16),
    Col("信访人", "name", True, width=10),
    Col("证件号码", "id_number", width=22),
    Col("联系电话", "phone", width=14),
    Col("住址", "address", width=20),
    Col("来访人数", "visitor_count", False, "int", width=10, note="2人以上视为集体访"),
    Col("涉及村", "village", width=12),
    Col("问题类别", "category", False, "choice", Category, width=16),
    Col("信访事项摘要", "subject", True, width=30),
    Col("信访请求", "content", True, width=40),
    Col("受理告知日期", "decided_on", False, "date"),
    Col("不予受理理由", "decline_reason", False, "choice", NotAcceptedReason, width=18),
    Col("不予受理说明", "decline_note", width=24),
    Col("承办单位", "department", width=14),
    Col("处理结论", "outcome", False, "choice", Outcome, width=10),
    Col("查明的事实", "facts", width=30),
    Col("处理意见", "decision", width=30),
    Col("法律政策依据", "legal_basis", width=30),
    Col("答复送达日期", "served_on", False, "date"),
    Col("满意度", "satisfaction", False, "choice", Satisfaction, width=10),
    Col("评价日期", "rated_on", False, "date", note="不填则为送达日期"),
)
BY_HEADER = {c.header: c for c in LEDGER}
KEY_HEADER = {c.key: c.header for c in LEDGER}
HEAD_FILL = PatternFill("solid", fgColor="F2F4F7")
THIN = Side(style="thin", color="BFBFBF")


# --- template and export --------------------------------------------------------------------
def _sheet(title: str) -> tuple[Workbook, Any]:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    return wb, ws


def _head(ws: Any, headers: list[str], widths: list[int], row: int = 1) -> None:
    for index, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = ws.cell(row=row, column=index, value=text)
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
        ws.column_dimensions[get_column_letter(index)].width = width


def _bytes(wb: Workbook) -> bytes:
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def template_workbook() -> bytes:
    """The clerk-style ledger template with a second sheet explaining every column."""
    wb, ws = _sheet("信访台账")
    _head(ws, [c.header for c in LEDGER], [c.width for c in LEDGER])
    ws.freeze_panes = "A2"
    notes = wb.create_sheet("填表说明")
    _head(notes, ["列", "必填", "可选值或格式", "说明"], [16, 8, 60, 40])
    for c in LEDGER:
        options = "、".join(str(label) for _v, label in c.choices.choices) if c.choices else ""
        if c.kind == "date":
            options = "日期，如 2025-03-01"
        elif c.kind == "int":
            options = "整数"
        notes.append([c.header, "是" if c.required else "", options, c.note])
    notes.append([])
    notes.append(
        [
            "说明",
            "",
            "每行一件信访事项。填写了受理告知日期的按受理处理；同时填写不予受理理由的按不予受理处理；"
            "填写处理结论和答复送达日期的，须同时填写查明的事实、处理意见和法律政策依据。",
            "",
        ]
    )
    return _bytes(wb)


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return core_io._neutralise(value)
    return value


def export_ledger(queryset: Any) -> bytes:
    """The ledger in the template's layout (ID numbers and phones masked)."""
    from fazhi.parties import pii

    wb, ws = _sheet("信访台账")
    _head(ws, [c.header for c in LEDGER], [c.width for c in LEDGER])
    for p in queryset.select_related(
        "township", "petitioner", "village", "department"
    ).prefetch_related("opinions"):
        opinion = next((o for o in p.opinions.all() if o.level == "handling"), None)
        values = {
            "township": p.township.name,
            "receipt_no": p.receipt_no,
            "received_on": p.received_on,
            "channel": p.get_channel_display(),
            "source": p.get_source_display(),
            "forwarded_by": p.forwarded_by,
            "name": p.petitioner.name,
            "id_number": pii.mask_id(p.petitioner.id_number),
            "phone": pii.mask_phone(p.petitioner.phone),
            "address": pii.mask_address(p.petitioner.address),
            "visitor_count": p.visitor_count,
            "village": p.village.name if p.village else "",
            "category": p.get_category_display(),
            "subject": p.subject,
            "content": p.content,
            "decided_on": p.decided_on,
            "decline_reason": p.get_decline_reason_display() if p.decline_reason else "",
            "decline_note": p.decision_note if p.decline_reason else "",
            "department": p.department.name if p.department else "",
            "outcome": opinion.get_outcome_display() if opinion else "",
            "facts": opinion.facts if opinion else "",
            "decision": opinion.decision if opinion else "",
            "legal_basis": opinion.legal_basis if opinion else "",
            "served_on": opinion.served_on if opinion else None,
            "satisfaction": p.get_satisfaction_display() if p.satisfaction else "",
            "rated_on": p.rated_on,
        }
        ws.append([_cell(values[c.key]) for c in LEDGER])
    for index, c in enumerate(LEDGER, start=1):
        if c.kind == "date":
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    return _bytes(wb)


def export_stats(township: Any, period: Period) -> bytes:
    """The statistics table (channel × status) as the line system's sheet."""
    from fazhi.petitions.metrics import COLUMNS, channel_status_table

    wb, ws = _sheet("信访情况统计表")
    title = f"{township.name}信访事项办理情况统计表（{period.label}）"
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS) + 1)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    _head(ws, ["信访形式", *[c.label for c in COLUMNS]], [12, *[10] * len(COLUMNS)], row=2)
    for row in channel_status_table(township, period):
        ws.append([row.label, *["—" if v is None else v for _c, v in row.cells]])
    ws.append([])
    ws.append(
        ["说明：按收到日期统计期内登记的信访事项，状态为制表时的办理状态；数据来自信访台账记录。"]
    )
    return _bytes(wb)


# --- import ---------------------------------------------------------------------------------
@dataclass
class LedgerResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    job_id: str = ""


def _parse(col: Col, raw: Any) -> Any:
    if isinstance(raw, str):
        raw = raw.strip()
        if raw.startswith("'") and raw[1:2] in core_io.FORMULA_PREFIXES:
            raw = raw[1:]
    if raw in (None, ""):
        if col.required:
            raise ValueError("不能为空")
        return None
    if col.kind == "date":
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        match = core_io._DATE_RE.match(str(raw))
        if match:
            try:
                return dt.date(*map(int, match.groups()))
            except ValueError:
                pass
        raise ValueError(f"“{raw}”不是有效日期（如 2025-03-01）")
    if col.kind == "int":
        number = validators.parse_int(raw, minimum=None, maximum=1_000_000)
        if number < 1:
            raise ValueError(f"“{raw}”不是正整数")
        return number
    if col.kind == "choice":
        text = str(raw)
        value = _CHOICE_TEXTS[col.choices].get(text)
        if value is not None:
            return value
        options = "、".join(str(label) for _v, label in col.choices.choices)
        raise ValueError(f"“{text}”不是可选值（可选：{options}）")
    text = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw)
    if "*" in text and col.key in ("id_number", "phone", "address"):
        return None  # a masked value from an export: unknown
    # printable text has no control or bidi character (categories Cc and Cf are not printable)
    problem = "" if text.isprintable() else validators.text_problem(text, multiline=True)
    if problem:
        raise ValueError(problem)
    return text


def _choice_texts(choices: Any) -> dict[str, Any]:
    """What a cell may hold for each value of `choices` (the value or its label; the first
    choice that has it wins), with the channels' other names."""
    texts: dict[str, Any] = {}
    for value, label in choices.choices:
        texts.setdefault(value, value)
        texts.setdefault(str(label), value)
    if choices is Channel:
        for text in ("网上", "网信", "信息网络"):
            texts.setdefault(text, Channel.ONLINE)
        for text in ("来访", "上访"):
            texts.setdefault(text, Channel.VISIT)
    return texts


_CHOICE_TEXTS = {c.choices: _choice_texts(c.choices) for c in LEDGER if c.kind == "choice"}


class _Lookups:
    """Villages and departments by name, read once per township and name."""

    def __init__(self) -> None:
        self.found: dict[tuple[type, int, str], Any] = {}

    def get(self, model: type, township: Any, name: str) -> Any:
        key = (model, township.pk, name)
        if key not in self.found:
            self.found[key] = model.objects.filter(township=township, name=name).first()
        return self.found[key]


def _validate_row(
    number: int,
    row: dict[str, Any],
    townships: dict[str, Any],
    errors: list[RowError],
    lookups: _Lookups | None = None,
) -> dict[str, Any] | None:
    ok = True
    lookups = lookups or _Lookups()

    def err(header: str | None, message: str) -> None:
        nonlocal ok
        ok = False
        errors.append(RowError(number, header, message))

    name = row.get("township")
    if name:
        township = townships.get(name)
        if township is None:
            err("乡镇", f"无权向“{name}”导入，或乡镇不存在")
    elif len(townships) == 1:
        township = next(iter(townships.values()))
    else:
        township = None
        err("乡镇", "您可导入多个乡镇，请填写乡镇")
    row["township"] = township
    if township is not None:
        for key, header, model in (
            ("village", "涉及村", Village),
            ("department", "承办单位", Department),
        ):
            if row.get(key):
                found = lookups.get(model, township, row[key])
                if found is None:
                    err(header, f"“{row[key]}”不是{township.name}的{model._meta.verbose_name}")
                row[key] = found
    if row.get("decline_reason") and not row.get("decided_on"):
        err("受理告知日期", "不予受理的，请填写书面告知日期")
    if row.get("decline_reason") and not row.get("decline_note"):
        err("不予受理说明", "不予受理的，请填写具体理由")
    if row.get("outcome"):
        if not row.get("decided_on") or row.get("decline_reason"):
            err("处理结论", "出具处理意见的事项须已受理（填写受理告知日期）")
        for key, header in (
            ("facts", "查明的事实"),
            ("decision", "处理意见"),
            ("legal_basis", "法律政策依据"),
            ("served_on", "答复送达日期"),
        ):
            if not row.get(key):
                err(header, "填写了处理结论的，此列必填")
    if row.get("satisfaction") and not row.get("outcome"):
        err("满意度", "处理意见书送达后才能评价")
    return row if ok else None


def import_ledger(fileobj: BinaryIO, *, actor: Any, allow_job: bool = True) -> LedgerResult:
    """Validate every row, then write all of them through the services, or none.

    The file is read once, streaming (no row is held after it is written): each row is
    validated as it is read and, while every row so far is good, written in the one
    transaction of the import; from the first bad row on the rest is only checked, so every
    error is listed, and the transaction rolls back. A file over 128 KB goes to the job before
    it is read; one found to hold more than JOB_ROWS rows while read in a request is rolled
    back and handed to the job."""
    result = LedgerResult()
    try:
        core_io.check_file(fileobj)
        big = allow_job and core_io.large_file(fileobj)
        if not big:
            head, body = core_io.read_sheet(fileobj)
    except ValueError as exc:
        result.errors.append(RowError(None, None, str(exc)))
        return result
    if big:
        _start_job(fileobj, actor, result)
        return result
    positions: dict[str, int] = {}
    for index, header in enumerate(head):
        if not header:
            continue
        if header not in BY_HEADER and header not in ("序号", "备注"):
            result.errors.append(RowError(1, header, "不是信访台账的列（请使用导入模板的表头）"))
        positions[header] = index
    for col in LEDGER:
        if col.required and col.header not in positions:
            result.errors.append(RowError(1, col.header, "缺少必填列"))
    if result.errors:
        body.close()
        return result
    townships = {t.name: t for t in scope.writable_townships(actor, IMPORT, Petition)}
    if not townships:
        body.close()
        raise PermissionDenied("您的角色无权导入信访台账。")
    try:
        # one transaction, no savepoint per row, history written in bulk; an error met while
        # writing ends the pass (the transaction is marked for rollback) and rolls back all
        with core_io.bulk_write():
            if ledger.may_bulk(actor, [t.pk for t in townships.values()]):
                sink: _Sink = _BulkSink(actor, result)
            else:
                sink = _ReplaySink(actor, result)
            _stream(body, positions, townships, sink, result, JOB_ROWS if allow_job else None)
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.created = 0
    except _ToJob:
        result.created = 0
        _start_job(fileobj, actor, result)
    except ValueError as exc:  # a limit (or a broken file) met while reading
        result.created = 0
        result.errors.append(RowError(None, None, str(exc)))
    finally:
        body.close()
    return result


def _stream(
    body: Any,
    positions: dict[str, int],
    townships: dict[str, Any],
    sink: _Sink,
    result: LedgerResult,
    job_rows: int | None,
) -> None:
    """One pass over the rows: validate each, hand the good ones to the sink while every row
    so far is good, keep checking (without writing) after the first bad row. A row that fails
    while being written ends the pass (the transaction is rolled back). At the first bad row
    the sink writes the rows it holds (`flush`), so a write failure of an earlier row is the
    one reported, as when every row is written as it is read."""
    lookups = _Lookups()
    count = 0
    columns = [(col, positions[col.header]) for col in LEDGER if col.header in positions]
    for number, values in body:
        count += 1
        if job_rows is not None and count > job_rows:
            raise _ToJob
        if len(result.errors) > core_io.MAX_ERRORS:
            return
        row: dict[str, Any] = {}
        errors: list[RowError] = []
        width = len(values)
        for col, index in columns:
            raw = values[index] if index < width else None
            try:
                row[col.key] = _parse(col, raw)
            except ValueError as exc:
                errors.append(RowError(number, col.header, str(exc)))
        checked = None if errors else _validate_row(number, row, townships, errors, lookups)
        if errors and not result.errors:
            sink.flush()
            if sink.failed:
                return
        result.errors.extend(errors)
        if checked is None or result.errors:
            continue
        sink.add(number, checked)
        if sink.failed:
            return
    if not result.errors:
        sink.finish()


class _Sink(ABC):
    """Where the good rows go while every row so far is good; `failed` once a write failed.
    Two kinds: _BulkSink (ledger.LedgerWriter, a batch at a time) and _ReplaySink (the
    services, row by row: the reference the bulk writer is tested against)."""

    failed = False

    def __init__(self, actor: Any, result: LedgerResult) -> None:
        self.actor, self.result = actor, result

    @abstractmethod
    def add(self, number: int, row: dict[str, Any]) -> None: ...

    @abstractmethod
    def finish(self) -> None: ...

    @abstractmethod
    def flush(self) -> None:
        """Write the rows held so far (a bad row follows them: the import will roll back)."""


class _BulkSink(_Sink):
    def __init__(self, actor: Any, result: LedgerResult) -> None:
        super().__init__(actor, result)
        self.writer = ledger.LedgerWriter(actor)
        self.batch: list[tuple[int, dict[str, Any]]] = []

    def add(self, number: int, row: dict[str, Any]) -> None:
        self.batch.append((number, row))
        if len(self.batch) >= ledger.BATCH:
            self._write()

    def flush(self) -> None:
        self._write()

    def _write(self) -> None:
        batch, self.batch = self.batch, []
        if not batch:
            return
        try:
            self.result.created += self.writer.write(batch)
        except ledger.RowFailure as exc:
            self.failed = True
            _collect(self.result, exc.row, exc.error)

    def finish(self) -> None:
        self._write()
        if not self.failed:
            self.writer.finish()


class _ReplaySink(_Sink):
    def add(self, number: int, row: dict[str, Any]) -> None:
        try:
            _write_row(row, self.actor)
            self.result.created += 1
        except ValidationError as exc:
            self.failed = True
            _collect(self.result, number, exc)
        except PermissionDenied as exc:
            self.failed = True
            self.result.errors.append(RowError(number, None, str(exc)))

    def flush(self) -> None:
        pass  # every row was written as it was read

    def finish(self) -> None:
        pass


def _start_job(fileobj: BinaryIO, actor: Any, result: LedgerResult) -> None:
    from fazhi.core import jobs

    job = jobs.enqueue(JOB_KIND, actor=actor, params={})
    path = jobs.result_path(job, "upload.xlsx")
    fileobj.seek(0)
    path.write_bytes(fileobj.read())
    type(job).objects.filter(pk=job.pk).update(params={"file": str(path)})
    result.job_id = str(job.pk)


class _ToJob(Exception):
    pass


class _Rollback(Exception):
    pass


_FIELD_HEADERS = {
    "received_on": "收到日期",
    "receipt_no": "登记编号",
    "representatives": "来访人数",
    "petitioner": "信访人",
    "name": "信访人",
    "id_number": "证件号码",
    "phone": "联系电话",
    "address": "住址",
    "forwarded_by": "转送/交办机关",
    "on": None,
    "note": "不予受理说明",
    "served_on": "答复送达日期",
    "satisfaction": "满意度",
}


def _collect(result: LedgerResult, number: int, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            header = _FIELD_HEADERS.get(name) or KEY_HEADER.get(name)
            for e in errors:
                result.errors.append(RowError(number, header, "；".join(e.messages)))
    else:
        result.errors.append(RowError(number, None, "；".join(exc.messages)))


def _write_row(row: dict[str, Any], actor: Any) -> Petition:
    count = row.get("visitor_count") or 1
    channel = row["channel"]
    petition, _code = services.register_petition(
        row["township"],
        actor=actor,
        channel=channel,
        received_on=row["received_on"],
        petitioner=services.PartyInput(
            name=row["name"],
            id_number=row.get("id_number") or "",
            phone=row.get("phone") or "",
            address=row.get("address") or "",
        ),
        subject=row["subject"],
        content=row["content"],
        category=row.get("category") or Category.OTHER,
        source=row.get("source") or Source.DIRECT,
        forwarded_by=row.get("forwarded_by") or "",
        is_group=channel == Channel.VISIT and count >= 2,
        visitor_count=count,
        village=row.get("village"),
        department=row.get("department"),
        receipt_no=row.get("receipt_no") or "",
        issue_code=False,  # no receipt is printed for a historical row: see docs/petitions.md
    )
    decided_on = row.get("decided_on")
    if decided_on and row.get("decline_reason"):
        return services.decline_petition(
            petition,
            actor=actor,
            on=decided_on,
            reason=row["decline_reason"],
            note=row["decline_note"],
        )
    if not decided_on:
        return petition
    petition = services.accept_petition(petition, actor=actor, on=decided_on)
    if not row.get("outcome"):
        return petition
    served_on = row["served_on"]
    services.issue_opinion(
        petition,
        actor=actor,
        on=served_on,
        request=row["content"],
        facts=row["facts"],
        outcome=row["outcome"],
        decision=row["decision"],
        legal_basis=row["legal_basis"],
    )
    petition = services.serve_opinion(
        petition, actor=actor, on=served_on, method=ServiceMethod.DIRECT
    )
    if row.get("satisfaction"):
        petition = services.rate_petition(
            petition,
            satisfaction=row["satisfaction"],
            channel=RatingChannel.FOLLOW_UP,
            on=row.get("rated_on") or served_on,
            actor=actor,
        )
    return petition
