"""The bulk writer of dispute ledger rows (台账导入): the same records as registering, accepting
and concluding each row through the services, written a batch at a time.

What `services.register_dispute` → `accept_dispute` → `conclude_dispute` do for one row, this
does for a batch of rows in a constant number of queries:
- parties: matched against the township's party index in one query per batch (by ID number,
  else name + phone, exactly as `parties.services.match`), new ones created with one
  `bulk_create`, matched ones enriched (blank fields filled) with one `bulk_update`;
- numbers: the counter of each (township, year) is locked once and allocated in memory; the
  numbers already used in that year are read once; a number given in the file moves the
  counter past it (`numbering.claim_number`'s rule);
- deadlines: the rule in force is read once per township and every due date is computed from
  one `Calendar` (read once per year);
- early warnings: the thresholds are read once per township, the 分包领导 and 司法所 staff once
  per township; repeat parties are found with one query per batch over the links this import
  wrote (earlier rows only, as the row-by-row replay sees them) plus, for parties that existed
  before the import, their records in every module (read once per such party);
- change records and domain events: built with `core.audit` in the order the services write
  them (per row: parties, dispute, links, registration event, warnings, acceptance, deadline,
  conclusion) and inserted in bulk (`audit.batched`, inside `core.io.bulk_write`).

`tests/test_ledger_bulk.py` imports a ledger both ways and compares every stored record.
Actors narrowed to villages (who may add only some rows of a township) are not given the bulk
path: the import replays the services for them (io.import_ledger decides).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max

from fazhi.core import audit, numbering, scope
from fazhi.core import deadlines as core_deadlines
from fazhi.core.audit import record_change, snapshot
from fazhi.core.bulkinsert import insert_objects
from fazhi.core.calendar import Calendar, compute_due
from fazhi.core.choices import ChangeAction, DeadlineStatus, NotificationKind
from fazhi.core.instances import build
from fazhi.core.models import Counter, Deadline, Notification, VillageContact
from fazhi.core.planner import Statistics
from fazhi.core.rules import effective_rule, get_rule
from fazhi.disputes import choices as c
from fazhi.disputes import rules, services
from fazhi.disputes.models import Dispute, DisputeParty, EarlyWarning, WarningSettings
from fazhi.parties import registry as party_registry
from fazhi.parties.batch import PartyBatch
from fazhi.parties.models import Party

#: rows a batch: the import's peak memory is one batch's working set (its rows, parties, links,
#: deadlines, snapshots, and the history held until the next batch's read); on PostgreSQL each
#: batch's first read waits for what the previous one sent, so fewer batches wait less (30,000
#: rows: 1.7-1.9 s of waits at 250 against 2.7-2.8 s at 100; peak memory at 100k rows ×1.24 of
#: the openpyxl pass's, docs/performance.md "sixth session")
BATCH = 250
_LINKAGE_IN = {
    c.DisputeSource.POLICE: c.LinkageChannel.POLICE_DOCKING,
    c.DisputeSource.COURT: c.LinkageChannel.COURT_DOCKING,
    c.DisputeSource.PETITION: c.LinkageChannel.PETITION_DOCKING,
    c.DisputeSource.OTHER_BODY: c.LinkageChannel.ADMIN_MEDIATION,
}


# the labels `get_FOO_display()` shows (it flattens the field's choices on every call)
_SOURCE = {k: str(v) for k, v in Dispute._meta.get_field("source").flatchoices}
_KIND = {k: str(v) for k, v in Dispute._meta.get_field("kind").flatchoices}
_WARNING = {k: str(v) for k, v in EarlyWarning._meta.get_field("kind").flatchoices}


# the choices the writer sets, as plain values: the value a row read back holds (equal to the
# enum member), which `insert_objects` takes as it is (an enum member, a str subclass, goes
# through `get_db_prep_save`)
_APPLICANT = c.PartyRole.APPLICANT.value
_MEDIATING = c.DisputeStatus.MEDIATING.value
_VALUE = {s: s.value for s in c.DisputeStatus}
_DONE, _DONE_LATE = DeadlineStatus.DONE.value, DeadlineStatus.DONE_LATE.value
_VIOLENCE, _GROUP = c.WarningKind.VIOLENCE.value, c.WarningKind.GROUP.value
_REPEAT_PARTY = c.WarningKind.REPEAT_PARTY.value
_OTHER_REASON = c.TerminationReason.OTHER.value

_URL_PK = 918273645546372819


class RowFailure(Exception):
    """A row cannot be written: (row number, field name, message); the import rolls back."""

    def __init__(self, row: int, name: str, message: str) -> None:
        super().__init__(message)
        self.row, self.name, self.message = row, name, message


def may_bulk(actor: Any, township_ids: list[int]) -> bool:
    """The bulk path asks the scope gate once per township (`scope.bulk_writer_may`); narrower
    actors replay the services row by row."""
    return scope.bulk_writer_may(actor, Dispute, township_ids)


@dataclass
class _Row:
    """One ledger row on its way to the database, and what the services would record."""

    source: Any  # io.LedgerRow
    dispute: Dispute
    parties: list[Party] = field(default_factory=list)  # one per PartyInput, in order
    party_ops: list[tuple[Party, str, dict | None, dict]] = field(default_factory=list)
    snapshots: list[dict[str, Any]] = field(default_factory=list)  # registered, accepted, …
    links: list[DisputeParty] = field(default_factory=list)
    deadline: Deadline | None = None
    deadline_open: dict[str, Any] | None = None
    warnings: list[tuple[EarlyWarning, str]] = field(default_factory=list)  # (warning, who)


class _Leaders:
    """`services.leader_for` for one township from one read of its contacts and 司法所 staff."""

    def __init__(self, township: Any) -> None:
        self.township = township
        self.contacts: dict[int, list[VillageContact]] = defaultdict(list)
        for contact in VillageContact.objects.filter(village__township=township).select_related(
            "staff", "staff__user"
        ):
            self.contacts[contact.village_id].append(contact)
        self._justice: list | None = None

    def justice(self) -> list:
        if self._justice is None:
            self._justice = services.justice_staff(self.township)
        return self._justice

    def __call__(self, village: Any, on: dt.date) -> tuple[Any, str]:
        contact = None
        if village is not None:
            current = [
                x
                for x in self.contacts.get(village.pk, ())
                if x.start <= on and (x.end is None or x.end >= on)
            ]
            contact = max(current, key=lambda x: (x.start, x.pk), default=None)
        return services.choose_leader(village, contact, self.justice)


def _record_of(dispute_id: int, date: dt.date, title: str) -> party_registry.PartyRecord:
    """The registry's record of a dispute this import wrote (as `records_for` lists it)."""
    return party_registry.PartyRecord(
        key=f"disputes.dispute:{dispute_id}",
        module="矛盾纠纷调解",
        title=title,
        url="",
        date=date,
        role="",
        status="",
        township_id=0,
    )


class LedgerWriter:
    """Writes validated ledger rows (io.LedgerRow) batch by batch inside one transaction."""

    def __init__(self, actor: Any, given: dict[tuple[int, str], int]) -> None:
        self.actor = actor
        self.user = services._user(actor)
        self.user_id = self.user.pk if self.user is not None else None
        #: numbers given in the file: (township id, number) → row number
        self.given = given
        self.cal = Calendar()
        #: (start, length, unit) → (due date, estimated): one computation a start day
        self._due: dict[tuple[dt.date, int, str], tuple[dt.date, bool]] = {}
        self.rule = get_rule(rules.CONCLUSION.code)
        self._effective: dict[int, Any] = {}
        self._settings: dict[int, WarningSettings] = {}
        self._keywords: dict[int, list[str]] = {}
        self._leaders: dict[int, _Leaders] = {}
        self._counters: dict[tuple[int, int], list] = {}  # → [Counter, value]
        #: the numbers this import allocated, as runs [first, last] of counter values
        self._runs: dict[tuple[int, int], list[list[int]]] = defaultdict(list)
        #: the tables a batch reads, analyzed as the import grows them
        self.stats = Statistics([Party, Dispute, DisputeParty, EarlyWarning])
        self._taken: dict[tuple[int, int], set[str]] = {}
        self._records: dict[int, list[party_registry.PartyRecord]] = {}
        self.parties = PartyBatch(self.user)
        # `services.dispute_url` (a reverse() a warning) for any pk, from one reverse() made
        # when first needed (the first reverse() of a process builds the URL resolver: 21 MiB)
        self._url: list[str] | None = None
        self.party_start = Party.objects.aggregate(m=Max("pk"))["m"] or 0
        self.dispute_start = Dispute.objects.aggregate(m=Max("pk"))["m"] or 0

    def dispute_url(self, d: Dispute) -> str:
        if self._url is None:
            self._url = services.dispute_url(Dispute(pk=_URL_PK)).split(str(_URL_PK))
        if len(self._url) != 2:  # the marker pk was not found once in the path: reverse()
            return services.dispute_url(d)
        return f"{self._url[0]}{d.pk}{self._url[1]}"

    # --- per township, read once ------------------------------------------------------------
    def effective(self, township: Any) -> Any:
        if township.pk not in self._effective:
            self._effective[township.pk] = effective_rule(rules.CONCLUSION.code, township)
        return self._effective[township.pk]

    def settings(self, township: Any) -> WarningSettings:
        if township.pk not in self._settings:
            self._settings[township.pk] = services.settings_for(township)
        return self._settings[township.pk]

    def keywords(self, township: Any) -> list[str]:
        if township.pk not in self._keywords:
            self._keywords[township.pk] = self.settings(township).keyword_list()
        return self._keywords[township.pk]

    def leader(self, township: Any, village: Any, on: dt.date) -> tuple[Any, str]:
        if township.pk not in self._leaders:
            self._leaders[township.pk] = _Leaders(township)
        return self._leaders[township.pk](village, on)

    # --- numbers ----------------------------------------------------------------------------
    def _counter(self, township: Any, year: int) -> list:
        key = (township.pk, year)
        if key not in self._counters:
            counter = numbering.lock_counter(township, year, services.NUMBER_KIND)
            self._counters[key] = [counter, counter.value]
        return self._counters[key]

    def _taken_numbers(self, township: Any, year: int) -> set[str]:
        key = (township.pk, year)
        if key not in self._taken:
            prefix = numbering.format_number(township.name, services.NUMBER_KIND, year, 0)[:-2]
            self._taken[key] = set(
                Dispute.objects.filter(township=township, number__startswith=prefix).values_list(
                    "number", flat=True
                )
            )
        return self._taken[key]

    def _number(self, row: Any) -> str:
        """`next_number` (skipping numbers already used) or `claim_number`, in file order."""
        township, given = row.township, row.values.get("number", "")
        if given:
            parsed = numbering.parse_number(township.name, services.NUMBER_KIND, given)
            if parsed is not None and 1900 <= parsed[0] <= 9999:
                if self._allocated(township, parsed, given):  # an earlier row was given it
                    raise RowFailure(row.number, "number", f"受理编号“{given}”已被使用。")
                slot = self._counter(township, parsed[0])
                slot[1] = max(slot[1], parsed[1])
            return given
        year = row.values["received_on"].year
        slot = self._counter(township, year)
        taken = self._taken_numbers(township, year)
        while True:
            slot[1] += 1
            text = numbering.format_number(township.name, services.NUMBER_KIND, year, slot[1])
            later = self.given.get((township.pk, text))
            if later is not None and later < row.number:
                continue  # written by an earlier row of the file: taken
            if later is not None:  # the row-by-row replay refuses the later row's own number
                raise RowFailure(later, "number", f"受理编号“{text}”已被使用。")
            if text not in taken:
                runs = self._runs[(township.pk, year)]
                if runs and runs[-1][1] == slot[1] - 1:
                    runs[-1][1] = slot[1]
                else:
                    runs.append([slot[1], slot[1]])
                return text

    def _allocated(self, township: Any, parsed: tuple[int, int], text: str) -> bool:
        """Whether `text` is a number this import gave an earlier row of the file (the file is
        read once: a row giving it is met after the number was allocated). Allocation skips
        only numbers already used in the database, so a number inside a run of allocated
        counter values was allocated unless it is one of those."""
        year, value = parsed
        if numbering.format_number(township.name, services.NUMBER_KIND, year, value) != text:
            return False
        runs = self._runs.get((township.pk, year), ())
        if not any(lo <= value <= hi for lo, hi in runs):
            return False
        return text not in self._taken_numbers(township, year)

    def finish(self) -> None:
        """Write the last batch's history; store the counters' final values (once per township
        and year)."""
        audit.flush()
        for counter, value in self._counters.values():
            if value != counter.value:
                Counter.objects.filter(pk=counter.pk).update(value=value)

    # --- parties ----------------------------------------------------------------------------
    def _index(self, rows: list[Any]) -> tuple[dict, dict]:
        return self.parties.index((row.township.pk, item) for row in rows for item in row.parties)

    def _party(self, row: _Row, item: Any, by_id: dict, by_contact: dict) -> Party:
        try:
            return self.parties.party(row.source.township, item, row.party_ops, by_id, by_contact)
        except ValidationError as exc:
            name, messages = next(iter(exc.message_dict.items()))
            raise RowFailure(row.source.number, name, "；".join(messages)) from None

    # --- the batch --------------------------------------------------------------------------
    def write(self, batch: list[Any]) -> int:
        """Write a batch of validated rows; RowFailure names the first row that cannot be."""
        self.stats.grew(len(batch))
        by_id, by_contact = self._index(batch)
        # the previous batch's history, held (`_record`) until this batch's read was answered:
        # the read waits only for that batch's rows, and the server stores the history while
        # this batch is built (PostgreSQL: `core.background`)
        audit.flush()
        rows: list[_Row] = []
        new_parties: list[Party] = []
        dirty: dict[int, Party] = {}
        for source in batch:
            row = self._build(source, by_id, by_contact)
            for party, action, _b, _a in row.party_ops:
                if action == ChangeAction.CREATE:
                    new_parties.append(party)
                elif party.pk:
                    dirty[party.pk] = party
            rows.append(row)
        insert_objects(new_parties)
        if dirty:
            Party.objects.bulk_update(
                list(dirty.values()),
                ["phone", "address", "gender", "id_number", "id_key", "match_key"]
                + ["version", "updated_by", "updated_at"],
                batch_size=BATCH,
            )
        insert_objects([row.dispute for row in rows])
        links: list[DisputeParty] = []
        user, user_id = self.user, self.user_id
        for row in rows:
            seen: set[int] = set()
            d = row.dispute
            for item, party in zip(row.source.parties, row.parties, strict=True):
                if party.pk in seen:
                    continue  # `_link_party` keeps the first link of a party
                seen.add(party.pk)
                link = build(
                    DisputeParty,
                    {
                        "township": d.township,
                        "dispute": d,
                        "party": party,
                        "created_by": user,
                        "updated_by": user,
                    },
                    township_id=d.township_id,
                    dispute_id=d.pk,
                    party_id=party.pk,
                    role=item.role or _APPLICANT,
                    note="",
                    created_by_id=user_id,
                    updated_by_id=user_id,
                )
                row.links.append(link)
                links.append(link)
        insert_objects(links)
        self._deadlines(rows)
        self._warnings(rows, {p.pk for p in new_parties})
        with audit.holding():
            self._record(rows)
        return len(rows)

    def _build(self, source: Any, by_id: dict, by_contact: dict) -> _Row:
        v = source.values
        township = source.township
        user, user_id = self.user, self.user_id
        grid = v["source"] == c.DisputeSource.GRID
        village, mediator = v.get("village"), v.get("mediator")
        dispute = build(
            Dispute,
            {
                "township": township,
                "village": village,
                "mediator": mediator,
                "reported_by": user if grid else None,
                "created_by": user,
                "updated_by": user,
            },
            township_id=township.pk,
            received_on=v["received_on"],
            source=v["source"],
            kind=v["kind"],
            description=v["description"],
            reported_by_id=user_id if grid else None,
            village_id=village.pk if village is not None else None,
            mediator_id=mediator.pk if mediator is not None else None,
            created_by_id=user_id,
            updated_by_id=user_id,
            **{k: v[k] for k in ("amount", "people_count") if k in v},
        )
        # no full_clean: every value comes from the parser (`io._Parser.row`), which checks
        # what full_clean would (required values, choices, text, the amount's digits, the
        # village's and mediator's township, the number's length); the number's uniqueness
        # is the allocation's (and the database's) to keep. `tests/test_ledger_import.py`
        # feeds the bad values and checks that what the parser accepts passes full_clean.
        row = _Row(source, dispute)
        dispute.number = self._number(source)
        row.parties = [self._party(row, item, by_id, by_contact) for item in source.parties]
        dispute.title = services._default_title(dispute, [p.name for p in row.parties])
        row.snapshots.append(snapshot(dispute))
        outcome = v["outcome"]
        if outcome == c.DisputeStatus.REGISTERED:
            return row
        services._transition(dispute, _MEDIATING)
        dispute.accepted_on = v["received_on"]
        dispute.version += 1
        row.snapshots.append(snapshot(dispute))
        if outcome not in c.OUTCOMES:
            return row
        services._transition(dispute, _VALUE.get(outcome, outcome))
        if outcome == c.DisputeStatus.TRANSFERRED:
            dispute.transfer_route = v.get("route", "")
        if outcome == c.DisputeStatus.TERMINATED:
            dispute.termination_reason = _OTHER_REASON
        dispute.concluded_on = v["concluded_on"]
        dispute.outcome_note = (v.get("note", "") or "台账导入").strip()
        dispute.version += 1
        row.snapshots.append(snapshot(dispute))
        return row

    def _deadlines(self, rows: list[_Row]) -> None:
        """`open_deadline` at acceptance, `complete_deadline` at conclusion, in memory."""
        from django.contrib.contenttypes.models import ContentType

        ct = ContentType.objects.get_for_model(Dispute)
        made = []
        for row in rows:
            d = row.dispute
            if d.accepted_on is None:
                continue
            effective = self.effective(d.township)
            leader, _ = self.leader(d.township, d.village, d.accepted_on)
            when = (d.accepted_on, effective.length, effective.unit)
            due = self._due.get(when)
            if due is None:
                due = self._due[when] = compute_due(*when, cal=self.cal)
            deadline = core_deadlines.new_deadline(
                d,
                self.rule,
                effective,
                d.accepted_on,
                township=d.township,
                content_type=ct,
                responsible=services._mediator_user(d) or self.user,
                leader=leader,
                due=due,
            )
            deadline._estimated = deadline.calendar_unknown
            row.deadline_open = snapshot(deadline)
            if d.concluded_on is not None:
                if d.concluded_on < deadline.start_date:
                    raise RowFailure(row.source.number, "completed_on", "完成日期不能早于起算日。")
                late = d.concluded_on > deadline.due_date
                deadline.status = _DONE_LATE if late else _DONE
                deadline.completed_on = d.concluded_on
                deadline.version += 1
            row.deadline = deadline
            made.append(deadline)
        insert_objects(made)

    # --- early warnings ---------------------------------------------------------------------
    def _repeat_records(
        self, rows: list[_Row], new: set[int]
    ) -> dict[int, list[tuple[int, dt.date, str]]]:
        """Per party of the batch: (dispute pk, date, title) of the disputes this import linked
        it to, dated within any of the batch's windows; `_record_of` makes the registry's
        record of one, for those a row's window keeps. A party this batch created (`new`, its
        pk) has no links but this batch's, taken from the rows; the others' are read in one
        query."""
        out: dict[int, list[tuple[int, Any]]] = defaultdict(list)
        for row in rows:
            d = row.dispute
            for link in row.links:
                if link.party_id in new:
                    out[link.party_id].append((d.pk, d.received_on, d.number or d.title))
        party_ids = {p.pk for row in rows for p in row.parties} - new
        if not party_ids:
            return out
        lo = min(
            r.dispute.received_on
            - dt.timedelta(days=self.settings(r.dispute.township).repeat_window_days)
            for r in rows
        )
        hi = max(r.dispute.received_on for r in rows)
        links = (
            DisputeParty.objects.filter(
                party_id__in=party_ids,
                dispute_id__gt=self.dispute_start,
                dispute__received_on__gte=lo,
                dispute__received_on__lte=hi,
            )
            .values_list(
                "party_id",
                "dispute_id",
                "dispute__number",
                "dispute__title",
                "dispute__received_on",
            )
            .order_by()
        )
        for party_id, dispute_id, number, title, received_on in links:
            out[party_id].append((dispute_id, received_on, number or title))
        return out

    def _earlier_records(self, party: Party) -> list[party_registry.PartyRecord]:
        """Records (every module) of a party that existed before the import, without the
        disputes this import wrote (read once per such party)."""
        if party.pk not in self._records:
            self._records[party.pk] = [
                r
                for r in party_registry.records_for(party, None)
                if not (
                    r.key.startswith("disputes.dispute:")
                    and int(r.key.rsplit(":", 1)[1]) > self.dispute_start
                )
            ]
        return self._records[party.pk]

    def _warnings(self, rows: list[_Row], new: set[int]) -> None:
        """`check_warnings` at registration: risk words, group size, repeat parties (`new`:
        the pks of the parties this batch created)."""
        found = self._repeat_records(rows, new)
        made: list[EarlyWarning] = []
        notes: list[Notification] = []
        for row in rows:
            d = row.dispute
            conf = self.settings(d.township)
            on = d.received_on
            text = services._text(d)
            words = [w for w in self.keywords(d.township) if w in text]
            if words:
                row.warnings.append(
                    self._warning(
                        d,
                        _VIOLENCE,
                        f"{d.number}纠纷情况出现风险词“{'、'.join(words)}”，可能激化；"
                        f"可能引起治安、刑事案件的，应及时报告公安机关（{rules.CITATION_REPORT_POLICE}）。",
                    )
                )
            size = max(len(row.links), d.people_count or 0)
            if size >= conf.group_threshold:
                row.warnings.append(
                    self._warning(
                        d,
                        _GROUP,
                        f"{d.number}涉及{size}人（达到群体性纠纷标准{conf.group_threshold}人）。",
                    )
                )
            start = on - dt.timedelta(days=conf.repeat_window_days)
            key = f"disputes.dispute:{d.pk}"
            repeats = []
            for link in row.links:
                party = link.party
                others = [
                    _record_of(pk, date, title)
                    for pk, date, title in found.get(party.pk, ())
                    if pk < d.pk and start <= date <= on
                ]
                if party.pk <= self.party_start:
                    others += [
                        r
                        for r in self._earlier_records(party)
                        if r.key != key and r.date is not None and start <= r.date <= on
                    ]
                if others:
                    others.sort(key=lambda r: (r.date or dt.date.min, r.key), reverse=True)
                    repeats.append((party, others))
            if repeats:
                parts = []
                for party, others in repeats:
                    listed = "、".join(
                        f"{r.module}{r.title}（{r.date:%Y-%m-%d}）" for r in others[:5]
                    )
                    parts.append(f"{party.name}另有{len(others)}件：{listed}")
                row.warnings.append(
                    self._warning(
                        d,
                        _REPEAT_PARTY,
                        f"{d.number}当事人{conf.repeat_window_days}天内反复涉纠纷："
                        + "；".join(parts),
                        party=repeats[0][0],
                    )
                )
            for warning, _who in row.warnings:
                made.append(warning)
                if warning.routed_to is not None:
                    notes.append(
                        build(
                            Notification,
                            {"user": warning.routed_to},
                            user_id=warning.routed_to.pk,
                            township_id=warning.township_id,
                            kind=NotificationKind.INFO,
                            text=f"矛盾纠纷预警（{_WARNING[warning.kind]}）：{warning.detail}"[
                                :300
                            ],
                            url=self.dispute_url(d),
                        )
                    )
        insert_objects(made)
        insert_objects(notes)

    def _warning(
        self, d: Dispute, kind: str, detail: str, party: Party | None = None
    ) -> tuple[EarlyWarning, str]:
        leader, who = self.leader(d.township, d.village, d.received_on)
        user, user_id = self.user, self.user_id
        village = d.village
        warning = build(
            EarlyWarning,
            {
                "township": d.township,
                "dispute": d,
                "party": party,
                "village": village,
                "routed_to": leader,
                "created_by": user,
                "updated_by": user,
            },
            township_id=d.township_id,
            kind=kind,
            dispute_id=d.pk,
            party_id=party.pk if party is not None else None,
            village_id=village.pk if village is not None else None,
            raised_on=d.received_on,
            detail=detail,
            routed_to_id=leader.pk if leader is not None else None,
            routed_to_name=who[:60],
            created_by_id=user_id,
            updated_by_id=user_id,
        )
        return warning, who

    # --- history, in the order the services write it ----------------------------------------
    def _record(self, rows: list[_Row]) -> None:
        actor = self.actor
        for row in rows:
            d = row.dispute
            for party, action, before, after in row.party_ops:
                record_change(party, action, before, after, actor=actor)
            snaps = row.snapshots
            record_change(d, ChangeAction.CREATE, None, snaps[0], actor=actor)
            for link in row.links:
                record_change(link, ChangeAction.CREATE, None, snapshot(link), actor=actor)
            source, kind = row.source.values["source"], row.source.values["kind"]
            services._event(
                "disputes.registered",
                f"登记矛盾纠纷{d.number}（{_SOURCE[d.source]}，{_KIND[d.kind]}）",
                d,
                actor,
                source=source,
                kind=kind,
                parties=[p.pk for p in row.parties],
            )
            if source in _LINKAGE_IN:
                services._linkage_event(
                    d,
                    channel=_LINKAGE_IN[source],
                    direction=c.LinkageDirection.IN,
                    on=d.received_on,
                    counterpart=_SOURCE[d.source],
                    note=d.source_ref,
                    actor=actor,
                )
            for warning, who in row.warnings:
                record_change(warning, ChangeAction.CREATE, None, snapshot(warning), actor=actor)
                services._event(
                    "disputes.warning_raised",
                    f"预警（{_WARNING[warning.kind]}）推送至{who}：{warning.detail}",
                    warning,
                    actor,
                    kind=warning.kind,
                    dispute=d.pk,
                    routed_to=who,
                )
            if len(snaps) > 1:
                self._record_acceptance(row)
            if len(snaps) > 2:
                self._record_conclusion(row)

    def _record_acceptance(self, row: _Row) -> None:
        actor, d, deadline = self.actor, row.dispute, row.deadline
        record_change(d, ChangeAction.UPDATE, row.snapshots[0], row.snapshots[1], actor=actor)
        effective = self.effective(d.township)
        estimated = deadline._estimated
        note = "（日历未覆盖，届满日为估算）" if estimated else ""
        # the change record and event of `open_deadline`, with the deadline as it was opened
        record_change(deadline, ChangeAction.CREATE, None, row.deadline_open, actor=actor)
        core_deadlines._event(
            "core.deadline_opened",
            f"开始计算期限“{self.rule.label}”：{effective.length}{effective.unit_label}，"
            f"届满日{deadline.due_date.isoformat()}{note}",
            deadline,
            d,
            actor,
            start=deadline.start_date,
            length=effective.length,
            unit=effective.unit,
            due=deadline.due_date,
            estimated=estimated,
            override=effective.override.pk if effective.override else None,
            source=effective.source,
        )
        services._event(
            "disputes.accepted",
            f"受理调解{d.number}" + (f"，主持调解员{d.mediator}" if d.mediator_id else ""),
            d,
            actor,
            accepted_on=d.accepted_on,
        )

    def _record_conclusion(self, row: _Row) -> None:
        actor, d, deadline = self.actor, row.dispute, row.deadline
        record_change(d, ChangeAction.UPDATE, row.snapshots[1], row.snapshots[2], actor=actor)
        late = deadline.status == DeadlineStatus.DONE_LATE
        record_change(
            deadline, ChangeAction.UPDATE, row.deadline_open, snapshot(deadline), actor=actor
        )
        on = d.concluded_on
        core_deadlines._event(
            "core.deadline_done_late" if late else "core.deadline_done",
            f"“{self.rule.label}”{'逾期' if late else '按期'}完成（{on.isoformat()}，"
            f"届满日{deadline.due_date.isoformat()}）",
            deadline,
            d,
            actor,
            completed_on=on,
            due=deadline.due_date,
        )
        outcome, route = d.status, d.transfer_route
        reason = d.termination_reason
        label = c.DisputeStatus(outcome).label
        if outcome == c.DisputeStatus.TRANSFERRED:
            label += f"（{c.TransferRoute(route).label}）"
        services._event(
            "disputes.concluded",
            f"{d.number}办结：{label}",
            d,
            actor,
            outcome=outcome,
            on=on,
            route=route,
            reason=reason,
        )
        if outcome == c.DisputeStatus.TRANSFERRED and route in (
            c.TransferRoute.ADMIN_MEDIATION,
            c.TransferRoute.JUDICIAL_MEDIATION,
        ):
            channel = (
                c.LinkageChannel.ADMIN_MEDIATION
                if route == c.TransferRoute.ADMIN_MEDIATION
                else c.LinkageChannel.JUDICIAL_MEDIATION
            )
            services._linkage_event(
                d,
                channel=channel,
                direction=c.LinkageDirection.OUT,
                on=on,
                counterpart="",
                note=row.source.values.get("note", "") or "台账导入",
                actor=actor,
            )
