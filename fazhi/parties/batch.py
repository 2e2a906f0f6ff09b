"""`find_or_create_party` for a batch of rows: the bulk ledger writers (disputes.ledger,
petitions.ledger) match a batch's parties against the township's party index in one query per
township and create or enrich them in bulk, with the change records the service writes.

What `services.match` and `services.find_or_create_party` do for one person, `PartyBatch.party`
does against an index of the batch (kept current as rows add to it): matched by ID number when
given, else by name + phone (entries before aliases, then by pk; unsaved ones last, in the
order they were made), the surviving entry of a merge returned, its blank fields filled, never
overwritten. The caller saves the new parties (`bulk_create`) and the enriched ones
(`bulk_update`, `ENRICHED_FIELDS`) and records `ops` in its history order.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from fazhi.core.audit import snapshot
from fazhi.core.choices import ChangeAction
from fazhi.core.instances import build
from fazhi.parties import pii
from fazhi.parties.models import Party

_ENRICH = ("phone", "address", "gender", "ethnicity", "representative")
#: the columns an enriched party is saved with
ENRICHED_FIELDS = [
    *("phone", "address", "gender", "id_number", "id_key", "match_key"),
    *("version", "updated_by", "updated_at"),
]

#: one change to the party index: (party, action, snapshot before, snapshot after)
PartyOp = tuple[Party, str, dict | None, dict]

# the keys and normalised texts of the names and phones met: each is computed when the batch's
# index is read and again when the row's party is matched or made (a sha256 and an NFKC each);
# bounded caches (a batch of 100 rows names about 300 parties), the same functions
_id_key = functools.lru_cache(maxsize=1024)(pii.id_key)
_contact_key = functools.lru_cache(maxsize=1024)(pii.contact_key)
_normalise_text = functools.lru_cache(maxsize=1024)(pii.normalise_text)


def _match_order(party: Party) -> tuple:
    """`match`'s order: entries before aliases, then by pk (unsaved ones last, as created)."""
    saved = party.pk is not None
    return (party.merged_into_id is not None, not saved, party.pk or party._ledger_order)


class PartyBatch:
    """The party index as the rows of one import see it, batch by batch.

    `clean=True` validates a new or enriched entry as the service does (`full_clean`, without
    the uniqueness queries: the index is the batch's to keep); a ValidationError names the
    field as the service's would."""

    def __init__(self, user: Any, *, clean: bool = False) -> None:
        self.user = user
        self.clean = clean
        self._parties: dict[int, Party] = {}  # roots of aliases met, by pk
        self._made = 0

    def root(self, party: Party) -> Party:
        seen = {party.pk}
        while party.merged_into_id and party.merged_into_id not in seen:
            seen.add(party.merged_into_id)
            if party.merged_into_id not in self._parties:
                self._parties[party.merged_into_id] = Party.objects.get(pk=party.merged_into_id)
            party = self._parties[party.merged_into_id]
        return party

    def index(self, items: Iterable[tuple[int, Any]]) -> tuple[dict, dict]:
        """The parties of the townships with any of the items' ID or contact keys (one query
        per township), indexed as `parties.services.match` reads them. `items` are
        (township id, person) with the person's name, id_number and phone."""
        wanted: dict[int, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
        for township_id, item in items:
            ids, contacts = wanted[township_id]
            key = _id_key(item.id_number)
            if key:
                ids.add(key)
            ckey = _contact_key(item.name, item.phone)
            if ckey:
                contacts.add(ckey)
        by_id: dict[tuple[int, str], Party] = {}
        by_contact: dict[tuple[int, str], list[Party]] = defaultdict(list)
        for township_id, (ids, contacts) in wanted.items():
            if not ids and not contacts:
                continue
            for party in Party.objects.filter(township_id=township_id).filter(
                Q(id_key__in=ids) | Q(match_key__in=contacts)
            ):
                self.add(by_id, by_contact, party)
        return by_id, by_contact

    @staticmethod
    def add(by_id: dict, by_contact: dict, party: Party) -> None:
        if party.id_key:
            by_id[(party.township_id, party.id_key)] = party
        if party.match_key:
            by_contact[(party.township_id, party.match_key)].append(party)

    def party(
        self, township: Any, item: Any, ops: list[PartyOp], by_id: dict, by_contact: dict
    ) -> Party:
        """`find_or_create_party` against the batch's index; the change is added to `ops`."""
        values = {
            "kind": getattr(item, "kind", "") or "person",
            "name": _normalise_text(item.name or ""),
            "id_number": pii.normalise_id(item.id_number) if item.id_number else "",
            "phone": _normalise_text(item.phone or ""),
            "address": _normalise_text(item.address or ""),
            "gender": getattr(item, "gender", "") or "",
        }
        if not values["name"]:
            raise ValidationError({"name": "请填写当事人姓名或单位名称。"})
        key = _id_key(values["id_number"])
        ckey = _contact_key(values["name"], values["phone"])
        found = by_id.get((township.pk, key)) if key else None
        if found is None and ckey:
            candidates = [
                p for p in by_contact.get((township.pk, ckey), ()) if not key or not p.id_key
            ]
            if candidates:
                found = min(candidates, key=_match_order)
        if found is not None:
            found = self.root(found)
            self._enrich(found, values, key, ops, by_id, by_contact)
            return found
        user_id = self.user.pk if self.user is not None else None
        party = build(
            Party,
            {"township": township, "created_by": self.user, "updated_by": self.user},
            township_id=township.pk,
            created_by_id=user_id,
            updated_by_id=user_id,
            **values,
        )
        if self.clean:
            party.full_clean(validate_unique=False, validate_constraints=False)
        self._made += 1
        party._ledger_order = self._made  # unsaved: matched in the order it was created
        if self.clean:  # full_clean may have normalised the values again
            party.refresh_keys()
        else:  # `refresh_keys` of these same values
            party.id_key, party.match_key = key, ckey
        ops.append((party, ChangeAction.CREATE, None, snapshot(party)))
        self.add(by_id, by_contact, party)
        return party

    def _enrich(
        self,
        party: Party,
        values: dict,
        key: str,
        ops: list[PartyOp],
        by_id: dict,
        by_contact: dict,
    ) -> None:
        before = snapshot(party)
        changed = False
        for name in _ENRICH:
            if values.get(name) and not getattr(party, name):
                setattr(party, name, values[name])
                changed = True
        if values["id_number"] and not party.id_number and (party.township_id, key) not in by_id:
            party.id_number = values["id_number"]
            changed = True
        if not changed:
            return
        if self.clean:
            party.full_clean(validate_unique=False, validate_constraints=False)
        old_contact = party.match_key
        party.refresh_keys()
        if party.match_key != old_contact:
            if old_contact:
                by_contact[(party.township_id, old_contact)].remove(party)
            if party.match_key:
                by_contact[(party.township_id, party.match_key)].append(party)
        if party.id_key:
            by_id[(party.township_id, party.id_key)] = party
        party.version += 1
        party.updated_by = self.user
        party.updated_at = timezone.now()
        ops.append((party, ChangeAction.UPDATE, before, snapshot(party)))
