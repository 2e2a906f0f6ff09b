"""Import of an existing dispute ledger (矛盾纠纷排查化解台账), the clerk-style template.

Unlike the generic resource import, a ledger row carries the parties by name, phone and ID
number: each goes through the party index (find or create), so a person already known from a
petition or an earlier dispute is the same entry. Every row is validated and all errors
are listed as (row, column, message); the rows are written in one transaction, or none (the
file is read once: rows are written in batches while every row so far is good, and a bad row
anywhere rolls everything back). Rows with an outcome are accepted and concluded as the
services do (deadlines and events as if entered by hand), written in bulk by `disputes.ledger`.
"""

from __future__ import annotations

import datetime as dt
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from fazhi.core import io as core_io
from fazhi.core import jobs, scope, validators
from fazhi.core.io import FORMULA_PREFIXES, ImportResult, RowError
from fazhi.core.models import Village
from fazhi.core.roles import IMPORT, VIEW
from fazhi.disputes import choices as c
from fazhi.disputes import ledger, services
from fazhi.disputes.models import Dispute, Mediator
from fazhi.parties import pii

JOB_KIND = "disputes.ledger_import"
JOB_ROWS = core_io.IMPORT_JOB_ROWS  # larger files run as a job (as the generic import)
MAX_PEOPLE = 1_000_000
SEPARATORS = re.compile(r"[、,，;；/]+")
_AMOUNT = Dispute._meta.get_field("amount")
_NUMBER = Dispute._meta.get_field("number")
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


# a control (category Cc: U+0000–U+001F, U+007F–U+009F) or bidirectional-override character:
# only a text holding one can have a `text_problem` (which looks at every character)
_SUSPECT = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(sorted(validators.BIDI_CONTROLS)) + "]")


def _text_problem(value: str, *, multiline: bool = False) -> str:
    if not _SUSPECT.search(value):
        return ""
    return validators.text_problem(value, multiline=multiline)


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool = False
    help: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("乡镇", "township", help="只在一个乡镇工作的可不填"),
    Column("受理编号", "number", help="原台账编号，可不填（系统按年度自动编号）"),
    Column("登记日期", "received_on", True, "如 2025-03-01"),
    Column("村(社区)", "village"),
    Column("纠纷类型", "kind", True, "下拉选择"),
    Column("来源", "source", help="下拉选择；不填为“排查发现”"),
    Column("申请人", "applicants", True, "多人用顿号分隔"),
    Column("申请人电话", "applicant_phones", help="与申请人顺序一致，用顿号分隔"),
    Column("申请人证件号码", "applicant_ids", help="与申请人顺序一致，用顿号分隔"),
    Column("被申请人", "respondents", help="多人用顿号分隔"),
    Column("被申请人电话", "respondent_phones"),
    Column("被申请人证件号码", "respondent_ids"),
    Column("纠纷简要情况", "description", True),
    Column("涉及金额(元)", "amount"),
    Column("涉及人数", "people_count"),
    Column("调解员", "mediator", help="须为已登记的调解员姓名"),
    Column("调解结果", "outcome", help="下拉选择；不填为“已登记”"),
    Column("办结日期", "concluded_on", help="已办结的必填"),
    Column("转出途径", "route", help="调解结果为转诉讼·仲裁·行政处理时必填"),
    Column("办结情况", "note", help="调解不成的，写明已告知其他救济途径"),
)
HEADERS = {col.header: col for col in COLUMNS}
OUTCOME_LABELS = {
    "已登记": c.DisputeStatus.REGISTERED,
    "调解中": c.DisputeStatus.MEDIATING,
    **{c.DisputeStatus(s).label: s for s in c.OUTCOMES},
    "转诉讼": c.DisputeStatus.TRANSFERRED,
    "终止": c.DisputeStatus.TERMINATED,
    "成功": c.DisputeStatus.SUCCEEDED,
}


@dataclass
class LedgerRow:
    number: int
    township: Any
    values: dict[str, Any] = field(default_factory=dict)
    parties: list[services.PartyInput] = field(default_factory=list)


# --- template -------------------------------------------------------------------------------
def template_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "矛盾纠纷台账"
    ws.append([col.header for col in COLUMNS])
    for index, col in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = Font(bold=True, color="B42318" if col.required else "1F2933")
        cell.fill = PatternFill("solid", fgColor="F2F4F7")
        ws.column_dimensions[get_column_letter(index)].width = max(12, len(col.header) * 2 + 4)
    lists = {
        "kind": [label for _, label in c.DisputeType.choices],
        "source": [label for _, label in c.DisputeSource.choices],
        "outcome": ["已登记", "调解中", *[c.DisputeStatus(s).label for s in c.OUTCOMES]],
        "route": [label for _, label in c.TransferRoute.choices],
    }
    sheet = wb.create_sheet("可选值")
    for index, (key, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        sheet.cell(
            row=1,
            column=index,
            value={
                "kind": "纠纷类型",
                "source": "来源",
                "outcome": "调解结果",
                "route": "转出途径",
            }[key],
        )
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=index, value=value)
        column = next(i for i, col in enumerate(COLUMNS, start=1) if col.key == key)
        validation = DataValidation(
            type="list",
            formula1=f"='可选值'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
        )
        validation.error = "请从下拉列表中选择"
        ws.add_data_validation(validation)
        validation.add(f"{get_column_letter(column)}2:{get_column_letter(column)}2000")
    notes = wb.create_sheet("填写说明")
    notes.append(["列", "必填", "说明"])
    for col in COLUMNS:
        notes.append([col.header, "是" if col.required else "", col.help])
    notes.append([])
    notes.append(
        ["全部行校验通过才会写入；任一行有误则不写入任何数据，并列出全部错误（行、列、原因）。"]
    )
    notes.append(["当事人按证件号码（未填则按姓名+电话）与当事人索引匹配，同一人不会重复登记。"])
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["C"].width = 60
    ws.freeze_panes = "A2"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


# --- parsing --------------------------------------------------------------------------------
def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip()
    if text.startswith("'") and text[1:2] in FORMULA_PREFIXES:
        text = text[1:]
    return text


def _date(raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    match = _DATE.match(_text(raw))
    if match:
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            pass
    raise ValueError(f"“{_text(raw)}”不是有效日期（如 2025-03-01）")


#: (key, choices, what) of the columns chosen from a list: the choices read once (an enum's
#: `.choices` builds its list on every access)
_CHOICES = (
    ("kind", tuple(c.DisputeType.choices), "纠纷类型"),
    ("source", tuple(c.DisputeSource.choices), "来源"),
    ("route", tuple(c.TransferRoute.choices), "转出途径"),
)


def _choice(raw: str, choices: Any, what: str) -> str:
    for value, label in choices:
        if raw in (value, label) or label.startswith(raw) and len(raw) >= 2:
            return value
    raise ValueError(f"“{raw}”不是可选的{what}")


def _split(raw: Any) -> list[str]:
    return [p.strip() for p in SEPARATORS.split(_text(raw)) if p.strip()]


def _people(
    names: list[str], phones: list[str], ids: list[str], role: str
) -> list[services.PartyInput]:
    if phones and len(phones) != len(names):
        raise ValueError("电话个数与姓名个数不一致")
    if ids and len(ids) != len(names):
        raise ValueError("证件号码个数与姓名个数不一致")
    out = []
    for i, name in enumerate(names):
        problem = _text_problem(name)
        if problem:
            raise ValueError(f"姓名“{name.encode('unicode_escape').decode()}”{problem}")
        phone = phones[i] if phones else ""
        number = pii.normalise_id(ids[i]) if ids else ""
        kind = (
            "organisation"
            if len(name) > 5 and any(w in name for w in ("公司", "合作社", "厂", "委员会", "中心"))
            else "person"
        )
        problem = pii.id_problem(number, kind) or pii.phone_problem(phone)
        if problem:
            raise ValueError(f"“{name}”的{problem}")
        out.append(
            services.PartyInput(name=name, role=role, phone=phone, id_number=number, kind=kind)
        )
    return out


def _positions(head: list[str]) -> tuple[dict[str, int], list[RowError]]:
    errors: list[RowError] = []
    positions: dict[str, int] = {}
    for index, name in enumerate(head):
        if not name:
            continue
        if name not in HEADERS:
            errors.append(RowError(1, name, "不是本表的列（请使用导入模板的表头）"))
        positions[name] = index
    for col in COLUMNS:
        if col.required and col.header not in positions:
            errors.append(RowError(1, col.header, "缺少必填列"))
    return positions, errors


class _Parser:
    """Validates rows one at a time (the same code in the checking and the writing pass);
    villages and mediators are read once per township. Whether a given number is already used
    is asked once per batch of numbers (`check_numbers`), not per row."""

    def __init__(self, actor: Any, positions: dict[str, int]) -> None:
        self.actor = actor
        self.positions = positions
        #: (column key, its position in the row or None)
        self._cells = [(col.key, positions.get(col.header)) for col in COLUMNS]
        #: (column key, text) → the choice it names, for texts already met
        self._chosen: dict[tuple[str, str], str] = {}
        self.writable = (
            list(scope.writable_townships(actor, IMPORT, Dispute)) if actor is not None else []
        )
        self.by_name = {t.name: t for t in self.writable}
        self.villages: dict[int, dict[str, Village]] = {}
        self.mediators: dict[int, dict[str, list[Mediator]]] = {}
        #: numbers given in the file: (township id, number) → first row giving it
        self.numbers: dict[tuple[int, str], int] = {}
        self._pending: list[tuple[Any, str, int]] = []
        #: disputes stored before this import (the file is written while it is read: a
        #: number this import wrote is the writer's or the services' to refuse, as "已被使用")
        self.before = Dispute.objects.aggregate(m=Max("pk"))["m"] or 0

    def _villages(self, township: Any) -> dict[str, Village]:
        if township.pk not in self.villages:
            self.villages[township.pk] = {
                x.name: x
                for x in Village.objects.visible_to(self.actor, VIEW).filter(township=township)
            }
        return self.villages[township.pk]

    def _mediators(self, township: Any) -> dict[str, list[Mediator]]:
        if township.pk not in self.mediators:
            index: dict[str, list[Mediator]] = {}
            for m in (
                Mediator.objects.visible_to(self.actor, VIEW)
                .filter(township=township)
                .select_related("staff__user")
            ):
                index.setdefault(m.name, []).append(m)
            self.mediators[township.pk] = index
        return self.mediators[township.pk]

    def row(self, number: int, values: list[Any], errors: list[RowError]) -> LedgerRow | None:
        width = len(values)
        cell = {
            key: values[index] if index is not None and index < width else None
            for key, index in self._cells
        }
        row_errors: list[RowError] = []

        def err(key: str, message: str, _n: int = number, _e: list[RowError] = row_errors) -> None:
            header = next(col.header for col in COLUMNS if col.key == key)
            _e.append(RowError(_n, header, message))

        name = _text(cell["township"])
        township = None
        if name:
            township = self.by_name.get(name)
            if township is None:
                err("township", f"无权向“{name}”导入或乡镇不存在")
        elif len(self.writable) == 1:
            township = self.writable[0]
        else:
            err("township", "您可以导入多个乡镇，请填写乡镇")
        row = LedgerRow(number, township)
        v = row.values
        for key in ("received_on", "kind", "applicants", "description"):
            if not _text(cell[key]) and not isinstance(cell[key], dt.date):
                err(key, "不能为空")
        if row_errors:
            errors.extend(row_errors)
            return None
        try:
            v["received_on"] = _date(cell["received_on"])
        except ValueError as exc:
            err("received_on", str(exc))
        for key, choices, what in _CHOICES:
            text = _text(cell[key])
            if text:
                known = self._chosen.get((key, text))
                if known is None:
                    try:
                        known = _choice(text, choices, what)
                    except ValueError as exc:
                        err(key, str(exc))
                        continue
                    if len(self._chosen) < 1000:  # the texts met, as long as they are few
                        self._chosen[(key, text)] = known
                v[key] = known
        v.setdefault("source", c.DisputeSource.SCREENING)
        v["description"] = _text(cell["description"])
        v["number"] = _text(cell["number"])
        v["note"] = _text(cell["note"])
        outcome_text = _text(cell["outcome"])
        v["outcome"] = c.DisputeStatus.REGISTERED
        if outcome_text:
            if outcome_text in OUTCOME_LABELS:
                v["outcome"] = OUTCOME_LABELS[outcome_text]
            else:
                err("outcome", f"“{outcome_text}”不是可选的调解结果")
        if v["outcome"] in c.OUTCOMES:
            if cell["concluded_on"] in (None, ""):
                err("concluded_on", "已办结的请填写办结日期")
            else:
                try:
                    v["concluded_on"] = _date(cell["concluded_on"])
                    if "received_on" in v and v["concluded_on"] < v["received_on"]:
                        err("concluded_on", "办结日期早于登记日期")
                except ValueError as exc:
                    err("concluded_on", str(exc))
            if v["outcome"] == c.DisputeStatus.TRANSFERRED and "route" not in v:
                err("route", "转诉讼·仲裁·行政处理的请填写转出途径")
            if v["outcome"] == c.DisputeStatus.FAILED and not v["note"]:
                v["note"] = "已告知当事人可依法通过仲裁、行政、司法等途径维护权利（台账导入）。"
        if _text(cell["amount"]):
            try:
                v["amount"] = validators.parse_decimal(
                    cell["amount"],
                    max_digits=_AMOUNT.max_digits,
                    decimal_places=_AMOUNT.decimal_places,
                    minimum=0,
                )
            except ValueError as exc:
                err("amount", str(exc))
        if _text(cell["people_count"]):
            try:
                v["people_count"] = validators.parse_int(
                    cell["people_count"], minimum=0, maximum=MAX_PEOPLE
                )
            except ValueError as exc:
                err("people_count", str(exc))
        for key in ("number", "description", "note"):
            problem = _text_problem(v[key], multiline=key != "number")
            if problem:
                err(key, problem)
        if v["number"]:
            try:  # the field's own validators (its length), as the services' full_clean
                _NUMBER.run_validators(v["number"])
            except ValidationError as exc:
                err("number", "；".join(exc.messages))
        try:
            row.parties = _people(
                _split(cell["applicants"]),
                _split(cell["applicant_phones"]),
                _split(cell["applicant_ids"]),
                c.PartyRole.APPLICANT.value,
            )
        except ValueError as exc:
            err("applicants", str(exc))
        try:
            row.parties += _people(
                _split(cell["respondents"]),
                _split(cell["respondent_phones"]),
                _split(cell["respondent_ids"]),
                c.PartyRole.RESPONDENT.value,
            )
        except ValueError as exc:
            err("respondents", str(exc))
        if township is not None:
            village_name = _text(cell["village"])
            if village_name:
                village = self._villages(township).get(village_name)
                if village is None:
                    err("village", f"找不到“{village_name}”")
                else:
                    v["village"] = village
            mediator_name = _text(cell["mediator"])
            if mediator_name:
                found = self._mediators(township).get(mediator_name, [])
                if len(found) != 1:
                    err(
                        "mediator",
                        f"找不到调解员“{mediator_name}”"
                        if not found
                        else f"“{mediator_name}”有重名，请在系统中区分后再导入",
                    )
                else:
                    v["mediator"] = found[0]
        if row_errors:
            errors.extend(row_errors)
            return None
        return row

    def note_number(self, row: LedgerRow, errors: list[RowError]) -> None:
        """First pass: a given number used twice in the file, or (asked in batches) already
        used in the township."""
        text = row.values.get("number", "")
        if not text:
            return
        key = (row.township.pk, text)
        if key in self.numbers:
            errors.append(RowError(row.number, "受理编号", f"受理编号“{text}”在文件中重复"))
            return
        self.numbers[key] = row.number
        self._pending.append((row.township, text, row.number))
        if len(self._pending) >= 500:
            self.check_numbers(errors)

    def check_numbers(self, errors: list[RowError]) -> None:
        pending, self._pending = self._pending, []
        by_township: dict[int, list[tuple[str, int]]] = {}
        for township, text, number in pending:
            by_township.setdefault(township.pk, []).append((text, number))
        for township_id, items in by_township.items():
            used = set(
                Dispute.objects.filter(
                    township_id=township_id,
                    number__in=[t for t, _ in items],
                    pk__lte=self.before,
                ).values_list("number", flat=True)
            )
            for text, number in items:
                if text in used:
                    errors.append(RowError(number, "受理编号", f"受理编号“{text}”已存在"))


def _write(row: LedgerRow, actor: Any) -> Dispute:
    v = row.values
    outcome = v["outcome"]
    dispute = services.register_dispute(
        row.township,
        received_on=v["received_on"],
        source=v["source"],
        kind=v["kind"],
        description=v["description"],
        parties=row.parties,
        number=v.get("number", ""),
        actor=actor,
        **{k: v[k] for k in ("village", "mediator", "amount", "people_count") if k in v},
    )
    if outcome == c.DisputeStatus.REGISTERED:
        return dispute
    dispute = services.accept_dispute(dispute, on=v["received_on"], actor=actor)
    if outcome in c.OUTCOMES:
        dispute = services.conclude_dispute(
            dispute,
            outcome,
            on=v["concluded_on"],
            actor=actor,
            note=v.get("note", "") or "台账导入",
            route=v.get("route", ""),
            reason=c.TerminationReason.OTHER if outcome == c.DisputeStatus.TERMINATED else "",
        )
    return dispute


def import_ledger(fileobj: BinaryIO, *, actor: Any, allow_job: bool = True) -> ImportResult:
    """Validate the whole file; then write every row in one transaction, or none.

    The file is bounded before it is parsed, and a large one goes to a background job before
    it is read. The file is read once, streaming: each row is validated as it is read and,
    while no row has failed, written in batches through the bulk writer (`disputes.ledger`:
    the records the services write, in a constant number of queries per batch), inside one
    transaction. From the first bad row on nothing more is written and the rest of the file
    is only checked, so every error is listed; the transaction is then rolled back: a file
    with any error writes nothing. Only the current batch and the numbers given in the file
    are held, never the rows read before it. A file found to hold more than JOB_ROWS rows
    while it is read in a request is rolled back and handed to the job."""
    result = ImportResult()
    if actor is not None and not scope.has_any(actor, IMPORT, Dispute):
        raise PermissionDenied("您的角色无权导入纠纷台账。")
    try:
        core_io.check_file(fileobj)
    except ValueError as exc:
        result.errors = [RowError(None, None, str(exc))]
        return result
    if allow_job and core_io.large_file(fileobj):
        _start_job(fileobj, actor, result)
        return result
    try:
        head, body = core_io.read_sheet(fileobj)
    except ValueError as exc:
        result.errors.append(RowError(None, None, str(exc)))
        return result
    positions, result.errors = _positions([_text(h) for h in head])
    if result.errors:
        body.close()
        return result
    parser = _Parser(actor, positions)
    townships = [t.pk for t in parser.writable]
    try:
        with core_io.bulk_write():
            if ledger.may_bulk(actor, townships):
                sink: _Sink = _BulkSink(parser, actor, result)
            else:
                sink = _ReplaySink(actor, result)
            _stream(parser, body, sink, result, job_rows=JOB_ROWS if allow_job else None)
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.created = 0
    except _ToJob:  # too many rows for a request: rolled back, the job imports the file
        result.created = 0
        _start_job(fileobj, actor, result)
        return result
    except ValueError as exc:  # a limit (or a broken file) met while reading
        result.created = 0
        result.errors.append(RowError(None, None, str(exc)))
    finally:
        body.close()
    if result.errors:
        result.errors.sort(key=lambda e: e.row or 0)
        if len(result.errors) > core_io.MAX_ERRORS:
            del result.errors[core_io.MAX_ERRORS :]
            result.errors.append(
                RowError(None, None, f"错误超过{core_io.MAX_ERRORS}处，已停止检查。")
            )
    return result


def _stream(
    parser: _Parser, body: Any, sink: _Sink, result: ImportResult, *, job_rows: int | None
) -> None:
    """One pass over the rows: validate each, hand the good ones to the writer while every
    row so far is good, keep checking (without writing) after the first bad row. A row that
    fails while being written ends the pass (the transaction may no longer be usable)."""
    count = 0
    for number, values in body:
        count += 1
        if job_rows is not None and count > job_rows:
            raise _ToJob
        row = parser.row(number, values, result.errors)
        if row is not None:
            parser.note_number(row, result.errors)
            if not result.errors:
                sink.add(row)
        if sink.failed or len(result.errors) > core_io.MAX_ERRORS:
            return
    parser.check_numbers(result.errors)
    if not result.errors:
        sink.finish()


class _Sink(ABC):
    """Where the good rows go while every row so far is good; `failed` once a write failed.
    Two kinds: _BulkSink (the ledger writer) and _ReplaySink (the services, row by row)."""

    failed = False

    @abstractmethod
    def add(self, row: LedgerRow) -> None: ...

    @abstractmethod
    def finish(self) -> None: ...


class _BulkSink(_Sink):
    """Batches of rows to `ledger.LedgerWriter`; the given numbers of a batch are checked
    against the database (`check_numbers`) before it is written."""

    def __init__(self, parser: _Parser, actor: Any, result: ImportResult) -> None:
        self.parser, self.result = parser, result
        self.writer = ledger.LedgerWriter(actor, parser.numbers)
        self.batch: list[LedgerRow] = []

    def add(self, row: LedgerRow) -> None:
        self.batch.append(row)
        if len(self.batch) >= ledger.BATCH:
            self._write()

    def _write(self) -> None:
        batch, self.batch = self.batch, []
        self.parser.check_numbers(self.result.errors)
        if self.result.errors or not batch:
            return
        try:
            self.result.created += self.writer.write(batch)
        except ledger.RowFailure as exc:
            self.failed = True
            self.result.errors.append(RowError(exc.row, _header(exc.name), exc.message))

    def finish(self) -> None:
        self._write()
        if not self.result.errors:
            self.writer.finish()


class _ReplaySink(_Sink):
    """Row by row through the services (actors whose scope is narrower than a township)."""

    def __init__(self, actor: Any, result: ImportResult) -> None:
        self.actor, self.result = actor, result

    def add(self, row: LedgerRow) -> None:
        result = self.result
        try:
            _write(row, self.actor)
            result.created += 1
        except ValidationError as exc:
            self.failed = True
            messages = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            for name, texts in messages.items():
                result.errors.append(RowError(row.number, _header(name), "；".join(texts)))
        except PermissionDenied as exc:
            self.failed = True
            result.errors.append(RowError(row.number, None, str(exc)))

    def finish(self) -> None:
        pass


def _header(name: str) -> str | None:
    """The ledger column (or else the field's Chinese name) an error of `name` belongs to."""
    if not name or name == "__all__":
        return None
    for col in COLUMNS:
        if col.key == name:
            return col.header
    if name in ("parties", "name", "id_number", "phone"):
        return "申请人"
    try:
        return str(Dispute._meta.get_field(name).verbose_name)
    except Exception:
        return None


def _start_job(fileobj: BinaryIO, actor: Any, result: ImportResult) -> None:
    fileobj.seek(0)
    job = jobs.enqueue(JOB_KIND, actor=actor)
    path = jobs.result_path(job, "upload.xlsx")
    path.write_bytes(fileobj.read())
    from fazhi.core.models import Job

    Job.objects.filter(pk=job.pk).update(params={"file": str(path)})
    result.job_id = str(job.pk)


class _Rollback(Exception):
    pass


class _ToJob(Exception):
    pass


@jobs.handler(JOB_KIND, "纠纷台账导入")
def _run_import(job: Any) -> dict[str, Any]:
    jobs.step(job, 0, message="开始导入纠纷台账")
    with open(job.params["file"], "rb") as fileobj:
        result = import_ledger(fileobj, actor=job.actor, allow_job=False)
    if result.errors:
        report = "\n".join(str(e) for e in result.errors)
        raise ValueError(f"导入失败，未写入任何数据，共 {len(result.errors)} 处错误：\n{report}")
    jobs.step(job, result.created, result.created, message="导入完成")
    return {"created": result.created}
