"""The bulk writer of petition ledger rows (信访台账导入): the same records as replaying each row
through the services (登记 → 受理/不予受理 → 处理意见书 → 送达 → 评价, io._write_row), written a
batch at a time in a constant number of queries per batch:
- petitioners: matched against the township's party index in one query per batch, created
  with `core.bulkinsert.insert_objects`, enriched with one `bulk_update` (parties.batch, as
  `find_or_create_party`);
- same matter (`find_same_matter`): the earlier petitions of the batch's petitioners (and their
  aliases) read once per batch, the batch's own earlier rows in memory; the 复核 refusal of
  acceptance (`repeat_refusal_reason`) followed through the imported petitions in memory and
  read once per earlier petition that existed before the import (of the imported ones only
  their ids are kept, and the same-matter link of those that have one);
- numbers: each counter (receipt 信 and opinion 信复, per township and year) locked once and
  allocated in memory, the numbers already used read once; a given receipt number is checked
  against the database once per batch (earlier batches' rows are stored) and the batch's
  earlier rows, and moves its counter as `claim_number` does;
- deadlines (受理告知, 异议 for forwarded and assigned matters, 办理) and the petitioner-side
  windows from the rule in force read once per township and one `Calendar`;
- the 处理意见书 and its two evidence-chain entries (出具, 送达), hashed and sealed as
  `core.evidence.append` does, written with their chain heads in bulk;
- change records and domain events built with `core.audit` in the order the services write
  them and inserted in bulk (inside `core.io.bulk_write`): `ledger_history.HistoryWriter`.

Rows are built with `core.instances.build` and inserted with `insert_objects`; `full_clean`
runs only for a row whose values could fail it (`_petition_suspect` and the others below).
`tests/test_ledger_bulk.py` imports a ledger both ways and compares every stored record;
`tests/test_ledger_validation.py` feeds what full_clean refuses through both.
Actors narrower than a township get the replay (io.import_ledger decides).
"""

from __future__ import annotations

import datetime as dt
from array import array
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone

from fazhi.core import audit, evidence, numbering, scope, validators
from fazhi.core import deadlines as core_deadlines
from fazhi.core.audit import _plain as audit_plain
from fazhi.core.audit import snapshot
from fazhi.core.bulkinsert import insert_objects
from fazhi.core.calendar import Calendar, compute_due
from fazhi.core.choices import ChangeAction, DeadlineStatus
from fazhi.core.instances import build
from fazhi.core.models import Counter, Deadline, EvidenceEntry
from fazhi.core.planner import Statistics
from fazhi.core.rules import effective_rule, get_rule
from fazhi.parties import pii
from fazhi.parties.batch import ENRICHED_FIELDS, PartyBatch, PartyOp
from fazhi.parties.models import Party
from fazhi.petitions import rules, services
from fazhi.petitions.choices import (
    Action,
    Category,
    Channel,
    NotAcceptedReason,
    OpinionLevel,
    RatingChannel,
    Satisfaction,
    ServiceMethod,
    Source,
    next_status,
)
from fazhi.petitions.ledger_history import HistoryWriter
from fazhi.petitions.models import Petition, PetitionOpinion, PetitionParty

#: rows a batch: the import's peak memory is one batch's working set (petitions, parties,
#: deadlines, opinions, evidence, pending history) on top of what the sheet reader holds; the
#: per-batch reads are a few queries (0.07 queries a row on PostgreSQL). On PostgreSQL a batch's
#: first read waits for the previous batch's writes (sent on a second thread, `core.background`):
#: fewer, larger batches wait less. At 100k rows: 100 rows 136 s wall, 250 rows 117 s (peak
#: memory 12.4 MiB, ×1.5 the openpyxl pass's), 400 rows 116 s (~14.5 MiB)
BATCH = 250
_ACCEPT, _OBJECT, _HANDLE = (
    rules.ACCEPTANCE_NOTICE.code,
    rules.OBJECTION.code,
    rules.HANDLING.code,
)


class RowFailure(Exception):
    """A row cannot be written (the ValidationError the services would raise for it)."""

    def __init__(self, row: int, error: ValidationError) -> None:
        super().__init__(str(error))
        self.row, self.error = row, error


def may_bulk(actor: Any, township_ids: list[int]) -> bool:
    """The bulk path asks the scope gate once per township (`scope.bulk_writer_may`); narrower
    actors replay the services row by row."""
    return scope.bulk_writer_may(actor, Petition, township_ids)


def _fail(row: int, name: str, message: str) -> RowFailure:
    return RowFailure(row, ValidationError({name: message}))


@dataclass
class _Person:
    name: str
    id_number: str
    phone: str
    address: str
    kind: str = "person"


@dataclass
class _Deadline:
    deadline: Deadline
    effective: Any
    opened: dict[str, Any]


@dataclass
class _Row:
    """One ledger row on its way to the database, and the steps the services would take."""

    number: int
    values: dict[str, Any]
    petition: Petition
    party_ops: list[PartyOp] = field(default_factory=list)
    same: Any = None  # the same-matter petition (saved, or an earlier row's)
    #: (step, {field: value}) after registration, in order: accepted, declined, issued, …
    steps: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    opinion: PetitionOpinion | None = None
    deadlines: dict[str, _Deadline] = field(default_factory=dict)
    snapshots: list[dict[str, Any]] = field(default_factory=list)


class LedgerWriter(HistoryWriter):
    """Writes validated ledger rows (io._validate_row's dicts) batch by batch inside the
    import's transaction; `finish` stores the counters."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.user = services._user(actor)
        self.user_id = self.user.pk if self.user is not None else None
        self.cal = _Calendar()
        self._windows: dict[tuple[str, int, dt.date], tuple[dt.date, bool]] = {}
        self.today = services.today()
        self.parties = _Parties(self.user, clean=True)
        self._names: dict[int, bool] = {}
        self._effective: dict[tuple[str, int], Any] = {}
        self._counters: dict[tuple[int, int, str], list] = {}  # → [Counter, value]
        #: the numbers stored before the import, per township, year and kind (read once); the
        #: import's own numbers need not be kept: an allocated number is above the counter's
        #: earlier values and a given one in our format moves the counter past it, so neither
        #: can come out of `_next` again
        self._taken: dict[tuple[int, int, str], set[str]] = {}
        #: receipt numbers of the current batch's earlier rows (earlier batches' are stored:
        #: `_given_taken` finds them in the database)
        self._receipts: set[tuple[int, str]] = set()
        #: the petitions this import wrote, in id order (8 bytes a row), and for those on the
        #: same matter as an earlier petition, the pk of that petition
        self._imported_ids = array("q")
        self._imported_same: dict[int, int] = {}
        self._refusals: dict[int, str] = {}
        #: the last batch's rows with an opinion, their evidence not yet written (`write`)
        self._held: list[_Row] = []
        self.start = Petition.objects.aggregate(m=Max("pk"))["m"] or 0
        self.key = evidence.evidence_key()
        self.ct = ContentType.objects.get_for_model(Petition)
        #: the tables a batch reads, analyzed as the import grows them
        self.stats = Statistics(
            [Party, Petition, PetitionParty, PetitionOpinion, Counter, EvidenceEntry]
        )

    # --- reference data, read once -------------------------------------------------------
    def effective(self, code: str, township: Any) -> Any:
        key = (code, township.pk)
        if key not in self._effective:
            self._effective[key] = effective_rule(code, township)
        return self._effective[key]

    def due(self, code: str, township: Any, start: dt.date) -> tuple[dt.date, bool]:
        """`compute_due` (due date, estimated) at the length in force from `start`: a window's
        or a deadline's of that rule (the two are the same)."""
        key = (code, township.pk, start)
        due = self._windows.get(key)
        if due is None:
            if len(self._windows) >= _WINDOWS:  # rows come in date order: keep the recent ones
                self._windows.clear()
            effective = self.effective(code, township)
            due = compute_due(start, effective.length, effective.unit, cal=self.cal)
            self._windows[key] = due
        return due

    def window(self, code: str, township: Any, start: dt.date) -> dt.date:
        return self.due(code, township, start)[0]

    # --- numbers ------------------------------------------------------------------------------
    def _counter(self, township: Any, year: int, kind: str) -> list:
        key = (township.pk, year, kind)
        if key not in self._counters:
            counter = numbering.lock_counter(township, year, kind)
            self._counters[key] = [counter, counter.value]
        return self._counters[key]

    def _taken_numbers(self, township: Any, year: int, kind: str) -> set[str]:
        key = (township.pk, year, kind)
        if key not in self._taken:
            prefix = numbering.format_number(township.name, kind, year, 0)[:-2]
            if kind == services.NUMBER_KIND:
                rows = Petition.objects.filter(township=township, receipt_no__startswith=prefix)
                found = rows.values_list("receipt_no", flat=True)
            else:
                rows = PetitionOpinion.objects.filter(township=township, number__startswith=prefix)
                found = rows.values_list("number", flat=True)
            self._taken[key] = set(found)
        return self._taken[key]

    def _next(self, township: Any, year: int, kind: str) -> tuple[int, str]:
        """`next_number` with `taken_in`: the numbers used before the import or by it."""
        slot = self._counter(township, year, kind)
        taken = self._taken_numbers(township, year, kind)
        while True:
            slot[1] += 1
            text = numbering.format_number(township.name, kind, year, slot[1])
            if text not in taken:
                return slot[1], text

    def _claim(self, township: Any, text: str) -> int:
        """`claim_number` for a receipt number given in the file."""
        parsed = numbering.parse_number(township.name, services.NUMBER_KIND, text)
        if parsed is None or not 1900 <= parsed[0] <= 9999:
            return 0
        year, n = parsed
        slot = self._counter(township, year, services.NUMBER_KIND)
        slot[1] = max(slot[1], n)
        return n

    def finish(self) -> None:
        """Write the last batch's evidence and history; store the counters' final values (once
        per township, year and kind)."""
        held, self._held = self._held, []
        self._evidence(held)
        audit.flush()
        for counter, value in self._counters.values():
            if value != counter.value:
                Counter.objects.filter(pk=counter.pk).update(value=value)

    # --- the batch ----------------------------------------------------------------------------
    def write(self, batch: list[tuple[int, dict[str, Any]]]) -> int:
        """Write a batch of (row number, validated row); RowFailure names the first row that
        cannot be written."""
        self.stats.grew(len(batch))
        # the previous batch's evidence: its reads wait for that batch's writes (sent on a
        # second thread on PostgreSQL, `core.background`) here, with this batch's own reads,
        # not in the middle of that batch
        held, self._held = self._held, []
        self._evidence(held)
        given = self._given_taken(batch)
        self._receipts = set()
        people = [(n, v, self._person(v)) for n, v in batch]
        by_id, by_contact = self.parties.index((v["township"].pk, p) for _n, v, p in people)
        # the previous batch's history, held (`_record`) until this batch's reads were
        # answered: they wait only for that batch's rows, and the server stores the history
        # while this batch is built (as the evidence above)
        audit.flush()
        rows: list[_Row] = []
        failure: RowFailure | None = None
        for number, values, person in people:
            try:
                rows.append(self._register(number, values, person, given, by_id, by_contact))
            except RowFailure as exc:  # the rows before it may fail in a later step first
                failure = exc
                break
        self._save_parties(rows)
        self._same_matter(rows)
        for row in rows:
            self._steps(row)
        if failure is not None:
            raise failure
        insert_objects([row.petition for row in rows])
        later = [row for row in rows if isinstance(row.same, Petition)]
        ids = self._imported_ids
        for row in rows:
            pk = row.petition.pk
            if ids and pk < ids[-1]:  # ids come in order; kept sorted whatever the database
                ids.insert(bisect_left(ids, pk), pk)
            else:
                ids.append(pk)
            if row.same is not None:
                self._imported_same[row.petition.pk] = getattr(row.same, "pk", row.same)
        for row in later:
            row.petition.same_matter_as_id = row.same.pk
        if later:
            Petition.objects.bulk_update(
                [row.petition for row in later], ["same_matter_as"], batch_size=BATCH
            )
        self._opinions(rows)
        self._deadlines(rows)
        self._held = [row for row in rows if row.opinion is not None]
        with audit.holding():
            self._record(rows)
        return len(rows)

    def _given_taken(self, batch: list[tuple[int, dict[str, Any]]]) -> set[tuple[int, str]]:
        """The receipt numbers given in the batch that the database already holds."""
        wanted: dict[int, set[str]] = defaultdict(set)
        for _n, v in batch:
            if v.get("receipt_no"):
                wanted[v["township"].pk].add(v["receipt_no"].strip())
        found: set[tuple[int, str]] = set()
        for township_id, numbers in wanted.items():
            for text in Petition.objects.filter(
                township_id=township_id, receipt_no__in=numbers
            ).values_list("receipt_no", flat=True):
                found.add((township_id, text))
        return found

    @staticmethod
    def _person(v: dict[str, Any]) -> _Person:
        return _Person(
            name=(v["name"] or "").strip(),
            id_number=v.get("id_number") or "",
            phone=v.get("phone") or "",
            address=v.get("address") or "",
        )

    def _check_day(
        self,
        number: int,
        value: dt.date,
        name: str,
        label: str,
        not_before: dt.date | None = None,
        **kw: Any,
    ) -> None:
        """`services._check_day`; a day up to the import's first day (today only moves on)
        and not before `not_before` passes without asking the clock again."""
        if (
            type(value) is dt.date
            and value <= self.today
            and (not_before is None or value >= not_before)
        ):
            return
        if not_before is not None:
            kw["not_before"] = not_before
        try:
            services._check_day(value, name, label, **kw)
        except ValidationError as exc:
            raise RowFailure(number, exc) from None

    def _register(
        self,
        number: int,
        v: dict[str, Any],
        person: _Person,
        given: set[tuple[int, str]],
        by_id: dict,
        by_contact: dict,
    ) -> _Row:
        """`register_petition` in memory (the petition is saved with the batch)."""
        township = v["township"]
        received_on = v["received_on"]
        self._check_day(number, received_on, "received_on", "收到日期")
        if not person.name:
            raise _fail(number, "petitioner", "请填写信访人姓名(名称)。")
        # the entry is `full_clean`ed (as `find_or_create_party` does) only when its values
        # could fail it: see `_party_suspect`; an enriched entry always is (`_Parties`)
        self.parties.clean = _party_suspect(person)
        party_ops: list[PartyOp] = []
        try:
            main = self.parties.party(township, person, party_ops, by_id, by_contact)
        except ValidationError as exc:
            raise RowFailure(number, exc) from None
        channel = v["channel"]
        count = v.get("visitor_count") or 1
        source = v.get("source") or Source.DIRECT
        receipt_no = (v.get("receipt_no") or "").strip()
        year = received_on.year
        if receipt_no:
            if (township.pk, receipt_no) in given or (township.pk, receipt_no) in self._receipts:
                raise _fail(number, "receipt_no", f"登记编号“{receipt_no}”已存在。")
            seq = self._claim(township, receipt_no)
        else:
            seq, receipt_no = self._next(township, year, services.NUMBER_KIND)
        self._receipts.add((township.pk, receipt_no))
        village, department, user = v.get("village"), v.get("department"), self.user
        # what `Petition(...)` with these values gives (one `build`, no descriptor a field)
        p = build(
            Petition,
            {
                "township": township,
                "petitioner": main,
                "village": village,
                "department": department,
                "created_by": user,
                "updated_by": user,
            },
            township_id=township.pk,
            receipt_no=receipt_no,
            receipt_seq=seq,
            year=year,
            receipt_code_hash="",
            channel=channel,
            source=source,
            forwarded_by=v.get("forwarded_by") or "",
            forwarded_no="",
            received_on=received_on,
            petitioner_id=main.pk,
            is_group=channel == Channel.VISIT and count >= 2,
            visitor_count=count,
            village_id=village.pk if village is not None else None,
            category=v.get("category") or Category.OTHER,
            subject=(v["subject"] or "").strip(),
            content=(v["content"] or "").strip(),
            department_id=department.pk if department is not None else None,
            acceptance_due_on=self.window(_ACCEPT, township, received_on),
            created_by_id=self.user_id,
            updated_by_id=self.user_id,
        )
        if source in (Source.FORWARDED, Source.ASSIGNED):
            p.objection_due_on = self.window(_OBJECT, township, received_on)
        row = _Row(number, v, p, party_ops)
        if self._petition_suspect(p, main):
            try:
                p.full_clean(validate_constraints=False, exclude=["petitioner", "same_matter_as"])
            except ValidationError as exc:
                raise RowFailure(number, exc) from None
        return row

    # --- what full_clean would refuse -----------------------------------------------------------
    # Every value of a row comes from the parser (io._parse: required values, choices, dates,
    # positive counts, no control or bidi characters in any text, multiline or not), the
    # village and department from the row's township; the rest is computed here. What the
    # parser leaves to `full_clean` is below: a value longer than its field, a line break or
    # tab in a single-line field, a forwarded matter without its authority, a township name
    # that makes a number too long or is not plain text. Only a row with such a value is
    # `full_clean`ed, so its error is full_clean's own (row, column and message);
    # tests/test_ledger_validation.py feeds each and compares the bulk writer with the replay.
    def _plain_name(self, township: Any) -> bool:
        key = township.pk
        if key not in self._names:
            self._names[key] = not validators.text_problem(township.name)
        return self._names[key]

    def _petition_suspect(self, p: Petition, main: Party) -> bool:
        return (
            len(p.receipt_no) > 60
            or len(p.forwarded_by) > 100
            or len(p.subject) > 200
            or _breaks(p.receipt_no)
            or _breaks(p.forwarded_by)
            or _breaks(p.subject)
            or not self._plain_name(p.township)
            or (p.source in _FORWARDED and not p.forwarded_by.strip())
            or (main.pk is not None and main.township_id != p.township_id)
        )

    def _opinion_suspect(self, o: PetitionOpinion) -> bool:
        return len(o.number) > 80 or len(o.issued_by) > 100 or not self._plain_name(o.township)

    def _save_parties(self, rows: list[_Row]) -> None:
        new: list[Party] = []
        dirty: dict[int, Party] = {}
        for row in rows:
            for party, action, _b, _a in row.party_ops:
                if action == ChangeAction.CREATE:
                    new.append(party)
                elif party.pk:
                    dirty[party.pk] = party
        insert_objects(new)
        if dirty:
            Party.objects.bulk_update(list(dirty.values()), ENRICHED_FIELDS, batch_size=BATCH)
        for row in rows:  # the petitioner's id, now that it has one
            row.petition.petitioner = row.petition.petitioner

    # --- same matter ----------------------------------------------------------------------------
    def _families(self, roots: set[int]) -> dict[int, int]:
        """Every party id of the roots' families → its root (aliases merged into them)."""
        owner = {pk: pk for pk in roots}
        frontier = set(roots)
        while frontier:
            found = list(
                Party.objects.filter(merged_into_id__in=frontier)
                .exclude(pk__in=list(owner))
                .values_list("pk", "merged_into_id")
            )
            frontier = set()
            for pk, parent in found:
                owner[pk] = owner[parent]
                frontier.add(pk)
        return owner

    def _same_matter(self, rows: list[_Row]) -> None:
        """`find_same_matter` for every row: the latest earlier petition of the petitioner (or
        an alias) with the same category and summary (spaces ignored). A party the batch
        created has no stored petition, link or alias: only the others are read (no query when
        every petitioner of the batch is new)."""
        new = {
            party.pk
            for row in rows
            for party, action, _b, _a in row.party_ops
            if action == ChangeAction.CREATE
        }
        stored = {row.petition.petitioner.pk for row in rows} - new
        candidates: dict[int, list[tuple[tuple, str, str, Any]]] = defaultdict(list)
        found: list[tuple] = []
        owner: dict[int, int] = {}
        if stored:
            owner = self._families(stored)
            ids = list(owner)
            petitions = Petition.objects.filter(petitioner_id__in=ids).values_list(
                "pk", "petitioner_id", "township_id", "category", "subject", "received_on"
            )
            links = PetitionParty.objects.filter(party_id__in=ids).values_list(
                "petition_id",
                "party_id",
                "petition__township_id",
                "petition__category",
                "petition__subject",
                "petition__received_on",
            )
            found = [*petitions, *links]
        seen: set[tuple[int, int]] = set()
        for pk, party_id, township_id, category, subject, received_on in found:
            root = owner[party_id]
            if (root, pk) in seen:
                continue
            seen.add((root, pk))
            key = (received_on, 0, pk)
            candidates[root].append((key, township_id, category, _norm(subject), pk))
        for index, row in enumerate(rows):
            p = row.petition
            root = p.petitioner.pk
            wanted = _norm(p.subject)
            best = None
            for key, township_id, category, subject, ref in candidates[root]:
                if township_id == p.township_id and category == p.category and subject == wanted:
                    if best is None or key > best[0]:
                        best = (key, ref)
            if best is not None:
                ref = best[1]
                row.same = p._same = ref
                if isinstance(ref, int):
                    p.same_matter_as_id = ref
            candidates[root].append(
                ((p.received_on, 1, index), p.township_id, p.category, wanted, p)
            )

    def _refusal(self, row: _Row) -> str:
        """`repeat_refusal_reason`: the same matter concluded by 复核, through the chain."""
        current = row.same
        seen: set[int] = set()
        while current is not None:
            if isinstance(current, Petition):  # an earlier row of the batch
                current = _row_same(current)
                continue
            if current in seen:
                return ""
            seen.add(current)
            if self._was_imported(current):  # imported: never concluded by 复核
                current = self._imported_same.get(current)
                continue
            if current not in self._refusals:
                self._refusals[current] = services.repeat_refusal_reason(
                    Petition(same_matter_as=Petition.objects.get(pk=current))
                )
            return self._refusals[current]
        return ""

    def _was_imported(self, pk: int) -> bool:
        ids = self._imported_ids
        at = bisect_left(ids, pk)
        return at < len(ids) and ids[at] == pk

    # --- the loop after registration -----------------------------------------------------------
    def _step(self, row: _Row, name: str, action: str | None, **values: Any) -> None:
        p = row.petition
        if action is not None:
            values["status"] = next_status(p.status, action)
        values["version"] = p.version + 1
        for key, value in values.items():
            setattr(p, key, value)
        values["updated_by"] = self.user  # the petition's already (set at registration)
        row.steps.append((name, values))

    def _steps(self, row: _Row) -> None:
        """受理/不予受理, 处理意见书, 送达 and 评价 as `_write_row` calls them, in memory."""
        v, p, n = row.values, row.petition, row.number
        p.petitioner_id = p.petitioner.pk
        row.initial = {k: getattr(p, k) for k in _STEP_FIELDS}
        decided_on = v.get("decided_on")
        if not decided_on:
            return
        if v.get("decline_reason"):
            self._check_day(
                n, decided_on, "on", "告知日期", not_before=p.received_on,
                not_before_label="收到日期",
            )  # fmt: skip
            if v["decline_reason"] not in NotAcceptedReason.values:
                raise _fail(n, "reason", "请选择不予受理的理由。")
            note = (v["decline_note"] or "").strip()
            if not note:
                raise _fail(n, "note", "请填写不予受理的具体理由（书面告知信访人）。")
            self._step(
                row, "declined", Action.DECLINE, decided_on=decided_on,
                decline_reason=v["decline_reason"], decision_note=note, closed_on=decided_on,
            )  # fmt: skip
            return
        self._check_day(
            n, decided_on, "on", "受理日期", not_before=p.received_on, not_before_label="收到日期"
        )
        refusal = self._refusal(row)
        if refusal:
            raise _fail(n, "on", refusal + "请作“不予受理”处理。")
        handling_due = self.window(_HANDLE, p.township, decided_on)
        self._step(
            row, "accepted", Action.ACCEPT, accepted_on=decided_on, decided_on=decided_on,
            decision_note="", handling_due_on=handling_due,
        )  # fmt: skip
        if not v.get("outcome"):
            return
        served_on = v["served_on"]
        self._check_day(
            n, served_on, "on", "出具日期", not_before=decided_on, not_before_label="受理日期"
        )
        try:
            fields = services._opinion_fields(
                request=v["content"],
                facts=v["facts"],
                outcome=v["outcome"],
                decision=v["decision"],
                legal_basis=v["legal_basis"],
            )
        except ValidationError as exc:
            raise RowFailure(n, exc) from None
        _n, number = self._next(p.township, served_on.year, services.OPINION_NUMBER_KIND)
        user = self.user
        row.opinion = build(
            PetitionOpinion,
            {"township": p.township, "petition": p, "created_by": user, "updated_by": user},
            township_id=p.township_id,
            petition_id=p.pk,
            level=OpinionLevel.HANDLING,
            number=number,
            issued_by=f"{p.township.name}人民政府",
            issued_on=served_on,
            created_by_id=self.user_id,
            updated_by_id=self.user_id,
            **fields,
        )
        if self._opinion_suspect(row.opinion):
            try:
                row.opinion.full_clean(validate_constraints=False, exclude=["petition"])
            except ValidationError as exc:
                raise RowFailure(n, exc) from None
        self._step(row, "opinion_issued", Action.ISSUE_OPINION)
        self._step(
            row, "served", Action.SERVE, concluded_on=served_on,
            review_request_due_on=self.window(rules.REVIEW_REQUEST.code, p.township, served_on),
            rating_due_on=self.window(rules.RATING_WINDOW.code, p.township, served_on),
        )  # fmt: skip
        if not v.get("satisfaction"):
            return
        on = v.get("rated_on") or served_on
        if v["satisfaction"] not in Satisfaction.values:
            raise _fail(n, "satisfaction", "请选择满意度。")
        self._check_day(n, on, "on", "评价日期", not_before=served_on, not_before_label="送达日期")
        if p.rating_due_on and on > p.rating_due_on:
            raise _fail(
                n, "satisfaction", f"评价期限已于{services._cn(p.rating_due_on)}届满，不能再评价。"
            )
        self._step(
            row, "rated", Action.RATE, satisfaction=v["satisfaction"],
            rating_channel=RatingChannel.FOLLOW_UP, rated_on=on, rating_comment="",
        )  # fmt: skip

    def _snapshots(self, row: _Row) -> None:
        """The petition's snapshot after registration and after each step (history): the one
        after registration taken, each later one that with the step's values set."""
        # the steps set only _STEP_FIELDS: the final snapshot with their values at registration
        current = _updated(snapshot(row.petition), row.initial)
        row.snapshots = [current]
        for _name, values in row.steps:
            current = _updated(current, values)
            row.snapshots.append(current)

    def _opinions(self, rows: list[_Row]) -> None:
        made = []
        for row in rows:
            o = row.opinion
            if o is None:
                continue
            o.petition = row.petition
            row.opinion_issued = snapshot(o)
            row.issued_content = services._opinion_content(o)
            o.served_on = row.petition.concluded_on
            o.service_method = ServiceMethod.DIRECT
            o.version += 1
            made.append(o)
        insert_objects(made)

    def _deadline(self, row: _Row, code: str, start: dt.date) -> _Deadline:
        p = row.petition
        rule = get_rule(code)
        effective = self.effective(code, p.township)
        deadline = core_deadlines.new_deadline(
            p,
            rule,
            effective,
            start,
            township=p.township,
            content_type=self.ct,
            responsible=self.user,
            due=self.due(code, p.township, start),
        )
        deadline._estimated = deadline.calendar_unknown
        made = _Deadline(deadline, effective, snapshot(deadline))
        row.deadlines[code] = made
        return made

    @staticmethod
    def _close(made: _Deadline, status: str, on: dt.date | None) -> tuple[dict, dict]:
        """Complete or cancel the deadline (once, after its opening): its snapshots before
        and after."""
        d = made.deadline
        before = made.opened
        if status == DeadlineStatus.CANCELLED:
            d.status = status
        else:
            late = on > d.due_date
            d.status = DeadlineStatus.DONE_LATE if late else DeadlineStatus.DONE
            d.completed_on = on
        d.version += 1
        return before, _updated(before, {"status": d.status, "completed_on": d.completed_on})

    def _deadlines(self, rows: list[_Row]) -> None:
        """`open_deadline`, `complete_deadline` and `cancel_deadline` as the steps call them;
        the deadlines are saved in their final state, their history from the snapshots."""
        made: list[Deadline] = []
        for row in rows:
            p = row.petition
            row.deadline_ops = []
            opened = [self._deadline(row, _ACCEPT, p.received_on)]
            row.deadline_ops.append(("open", opened[0]))
            if p.objection_due_on:
                objection = self._deadline(row, _OBJECT, p.received_on)
                opened.append(objection)
                row.deadline_ops.append(("open", objection))
            steps = [name for name, _v in row.steps]
            if steps[:1] in (["accepted"], ["declined"]):
                on = p.decided_on
                accept = row.deadlines[_ACCEPT]
                row.deadline_ops.append(("done", accept, *self._close(accept, "done", on)))
                if _OBJECT in row.deadlines:
                    objection = row.deadlines[_OBJECT]
                    closed = self._close(objection, DeadlineStatus.CANCELLED, None)
                    row.deadline_ops.append(("cancelled", objection, *closed))
            if steps[:1] == ["accepted"]:
                handling = self._deadline(row, _HANDLE, p.accepted_on)
                opened.append(handling)
                row.deadline_ops.append(("open", handling))
            if "served" in steps:
                handling = row.deadlines[_HANDLE]
                closed = self._close(handling, "done", p.concluded_on)
                row.deadline_ops.append(("done", handling, *closed))
            made.extend(x.deadline for x in opened)
        insert_objects(made)

    def _evidence(self, rows: list[_Row]) -> None:
        """`evidence.append` of the opinion at issue and at service: a new chain per petition
        (its head row and two entries), hashed and sealed as `append` does."""
        chains = {evidence.chain_name(row.petition): row for row in rows if row.opinion is not None}
        if not chains:
            return
        by_township: dict[int, list[str]] = defaultdict(list)
        for chain, row in chains.items():
            by_township[row.petition.township_id].append(chain)
        existing: set[str] = set()
        for township_id, names in by_township.items():
            # a chain is a township's (the entries' unique index leads with the township: the
            # chain alone is a scan of every township's entries, a batch); the head
            # `evidence.append` would lock, by the counters' unique index
            existing.update(
                EvidenceEntry.objects.filter(township_id=township_id, chain__in=names)
                .values_list("chain", flat=True)
                .distinct()
            )
            existing.update(
                Counter.objects.filter(
                    township_id=township_id,
                    year=numbering.RESERVED_YEAR,
                    kind__in=[evidence.head_kind(c) for c in names],
                ).values_list("kind", flat=True)
            )
        if existing:  # a chain left by a removed record of the same id: append as the service
            for chain, row in chains.items():
                self._append_one(row, chain)
            return
        actor = self.actor if getattr(self.actor, "is_authenticated", False) else None
        actor_id = actor.pk if actor is not None else None
        name = evidence._actor_name(self.actor)[:150]
        heads: list[Counter] = []
        entries: list[EvidenceEntry] = []
        for chain, row in chains.items():
            township_id = row.petition.township_id
            prev = evidence.GENESIS
            for seq, (kind, content) in enumerate(self._contents(row), start=1):
                now = timezone.now()
                entry = build(
                    EvidenceEntry,
                    {"actor": actor},
                    township_id=township_id,
                    chain=chain,
                    seq=seq,
                    kind=kind,
                    content=evidence._plain(content),
                    attachment_hashes=[],
                    actor_id=actor_id,
                    actor_name=name,
                    recorded_at=now.replace(microsecond=now.microsecond // 1000 * 1000),
                    prev_hash=prev,
                    hash_version=evidence.HASH_VERSION,
                )
                entry.entry_hash = evidence.entry_hash(entry)
                entry.seal = evidence.seal_of(entry.entry_hash, self.key)
                prev = entry.entry_hash
                entries.append(entry)
            heads.append(
                build(
                    Counter,
                    township_id=township_id,
                    year=numbering.RESERVED_YEAR,
                    kind=evidence.head_kind(chain),
                    value=2,
                )
            )
        insert_objects(heads)
        insert_objects(entries)

    def _contents(self, row: _Row) -> list[tuple[str, dict[str, Any]]]:
        served = services._opinion_content(row.opinion)
        return [
            ("petitions.opinion_issued", row.issued_content),
            ("petitions.opinion_served", served),
        ]

    def _append_one(self, row: _Row, chain: str) -> None:
        for kind, content in self._contents(row):
            evidence.append(row.petition.township_id, chain, kind, content, actor=self.actor)


#: the petition fields the steps after registration set
_STEP_FIELDS = (
    "status", "version", "updated_by_id", "accepted_on", "decided_on", "decision_note",
    "decline_reason", "closed_on", "handling_due_on", "concluded_on", "review_request_due_on",
    "rating_due_on", "satisfaction", "rating_channel", "rated_on", "rating_comment",
)  # fmt: skip


_FORWARDED = (Source.FORWARDED, Source.ASSIGNED)


def _breaks(text: str) -> bool:
    """A line break or tab: allowed by the parser (multiline text), not in a CharField."""
    return "\n" in text or "\r" in text or "\t" in text


_PARTY_LIMITS = (("name", 100), ("id_number", 30), ("phone", 30), ("address", 200))


def _party_suspect(person: _Person) -> bool:
    """Could a new entry with these values fail `Party.full_clean`? Its values as
    `PartyBatch.party` normalises them: too long, not plain single-line text (the parser
    checked the cell before NFKC), not an ID number or phone, masked. The ID-number clash
    query of `Party.clean` cannot find a row: an entry with that number would have matched."""
    normalised: dict[str, str] = {}
    for name, limit in _PARTY_LIMITS:
        raw = getattr(person, name)
        if not raw:  # normalises to ""
            normalised[name] = ""
            continue
        value = pii.normalise_id(raw) if name == "id_number" else pii.normalise_text(raw)
        if len(value) > limit or _breaks(value):
            return True
        if value != raw and validators.text_problem(value):
            return True
        normalised[name] = value
    return bool(
        pii.id_problem(normalised["id_number"], person.kind)
        or pii.phone_problem(normalised["phone"])
        or pii.is_masked(normalised["address"])
    )


class _Parties(PartyBatch):
    """The batch's party index; an entry the row enriches is always `full_clean`ed (its
    stored values are checked with the new ones, as `find_or_create_party` does)."""

    def _enrich(self, *args: Any, **kwargs: Any) -> None:
        clean, self.clean = self.clean, True
        try:
            super()._enrich(*args, **kwargs)
        finally:
            self.clean = clean


def _norm(text: str) -> str:
    return "".join((text or "").split())


def _row_same(p: Petition) -> Any:
    """The same-matter reference of an earlier row of the batch (set by `_same_matter`)."""
    return getattr(p, "_same", None)


def _updated(snap: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """`snap` with `values` set: what `snapshot` gives after setting them on the record (the
    values of fields it does not track, such as version and updated_by, left out)."""
    out = dict(snap)
    for key, value in values.items():
        if key in out:
            kind = type(value)
            if kind in _AS_IS:
                out[key] = value
            elif kind is dt.date:  # most of them: `_plain`'s first case inline
                out[key] = value.isoformat()
            else:
                out[key] = audit_plain(value)
    return out


_AS_IS = frozenset({str, int, bool, float, type(None)})


class _Calendar(Calendar):
    """The calendar with each day's answer kept (a few thousand days at most): the due dates
    of a ledger's rows fall on the same days again and again."""

    def __init__(self) -> None:
        super().__init__()
        self._days: dict[dt.date, tuple[bool, bool]] = {}

    def day(self, d: dt.date) -> tuple[bool, bool]:
        found = self._days.get(d)
        if found is None:
            found = self._days[d] = super().day(d)
        return found


#: due dates (windows and deadlines) kept at most (by rule, township and start day)
_WINDOWS = 512
