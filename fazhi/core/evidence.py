"""The evidence chain: an append-only, hash-chained ledger for full-process records and review
opinions (全过程记录、审查意见).

Each entry stores its content, the SHA-256 of its attachments and the hash of the previous
entry of the same chain; its own `entry_hash` is SHA-256 over the canonical JSON of

    {"chain", "seq", "township", "kind", "content", "attachments", "actor", "recorded_at", "prev_hash"}

(keys sorted, ensure_ascii=False, separators "," and ":", UTF-8; `recorded_at` in UTC ISO 8601
with millisecond precision; the first entry's prev_hash is 64 zeros). Appending locks the
chain's head row (a `Counter` with year 0) so concurrent appenders queue, and the head
remembers the last seq so that a deleted or forged tail is detected too.

`verify(township, chain)` recomputes every hash and the links and names the first broken entry
and why: 内容被修改 / 记录缺失或被删除 / 顺序被调换 / 插入了伪造记录. See docs/history-and-evidence.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from fazhi.core.models import Attachment, Counter, EvidenceEntry, Township
from fazhi.core.numbering import RESERVED_YEAR, lock_counter

GENESIS = "0" * 64

EDITED = "内容被修改"
MISSING = "记录缺失或被删除"
REORDERED = "顺序被调换"
FORGED = "插入了伪造记录"


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    first_broken_seq: int | None = None
    reason: str = ""
    #: a sentence for people: what is wrong where
    detail: str = ""
    #: hash of the last entry (record it elsewhere to detect a rewrite of the whole chain)
    head_hash: str = GENESIS
    chain: str = ""

    def __bool__(self) -> bool:
        return self.ok


# --- names and hashes -----------------------------------------------------------------------
def chain_name(obj: models.Model) -> str:
    """The ledger of one record, e.g. "enforcement.case:42"."""
    return f"{obj._meta.app_label}.{obj._meta.model_name}:{obj.pk}"


def head_kind(chain: str) -> str:
    """Counter.kind of a chain's head row (chain names may be longer than the column)."""
    return "ev:" + hashlib.sha256(chain.encode("utf-8")).hexdigest()[:27]


def _time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="milliseconds")


def _plain(content: Any) -> Any:
    """JSON-ready content exactly as the database will give it back (dates become strings)."""
    return json.loads(json.dumps(content, cls=DjangoJSONEncoder, ensure_ascii=False))


def compute_hash(
    *,
    chain: str,
    seq: int,
    township_id: int,
    kind: str,
    content: Any,
    attachment_hashes: list[str],
    actor_name: str,
    recorded_at: dt.datetime,
    prev_hash: str,
) -> str:
    payload = {
        "chain": chain,
        "seq": seq,
        "township": township_id,
        "kind": kind,
        "content": content,
        "attachments": list(attachment_hashes),
        "actor": actor_name,
        "recorded_at": _time(recorded_at),
        "prev_hash": prev_hash,
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def entry_hash(entry: EvidenceEntry, *, seq: int | None = None) -> str:
    """Recompute the hash of a stored entry (optionally as if it stood at another seq)."""
    return compute_hash(
        chain=entry.chain,
        seq=entry.seq if seq is None else seq,
        township_id=entry.township_id,
        kind=entry.kind,
        content=entry.content,
        attachment_hashes=entry.attachment_hashes,
        actor_name=entry.actor_name,
        recorded_at=entry.recorded_at,
        prev_hash=entry.prev_hash,
    )


# --- append ---------------------------------------------------------------------------------
def _attachment_hashes(township_id: int, attachments: Iterable[Any]) -> list[str]:
    hashes = []
    for item in attachments:
        if isinstance(item, Attachment):
            if item.township_id != township_id:
                raise ValueError(f"附件“{item.original_name}”不属于该乡镇，不能记入证据链。")
            hashes.append(item.sha256)
        elif isinstance(item, str) and len(item) == 64:
            hashes.append(item.lower())
        else:
            raise ValueError(f"附件哈希无效：{item!r}")
    return hashes


def _actor_name(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "系统"
    return actor.get_full_name() or actor.get_username()


def append(
    township: Any,
    chain: str,
    kind: str,
    content: dict[str, Any],
    *,
    actor: Any,
    attachments: Iterable[Any] = (),
) -> EvidenceEntry:
    """Append one entry to `chain` of `township` and return it.

    Runs in the caller's transaction (or its own): the chain head is locked until commit, so
    concurrent appenders on PostgreSQL queue on it (SQLite serialises writers at BEGIN).
    `attachments` are Attachment rows (or their SHA-256 hex digests).
    """
    township_id = township.pk if isinstance(township, Township) else int(township)
    if not chain or len(chain) > 120:
        raise ValueError("证据链名称不能为空，且不超过120个字符。")
    if not kind or len(kind) > 60:
        raise ValueError("记录类型不能为空，且不超过60个字符。")
    content = _plain(content)
    hashes = _attachment_hashes(township_id, attachments)
    now = timezone.now()
    recorded_at = now.replace(microsecond=now.microsecond // 1000 * 1000)
    actor_name = _actor_name(actor)[:150]
    with transaction.atomic():
        head = lock_counter(township_id, RESERVED_YEAR, head_kind(chain))
        last = (
            EvidenceEntry.objects.filter(township_id=township_id, chain=chain)
            .order_by("-seq")
            .only("seq", "entry_hash")
            .first()
        )
        last_seq = last.seq if last else 0
        # never reuse a seq the head has seen, even if rows were removed behind our back
        seq = max(head.value, last_seq) + 1
        prev_hash = last.entry_hash if last else GENESIS
        entry = EvidenceEntry(
            township_id=township_id,
            chain=chain,
            seq=seq,
            kind=kind,
            content=content,
            attachment_hashes=hashes,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_name=actor_name,
            recorded_at=recorded_at,
            prev_hash=prev_hash,
        )
        entry.entry_hash = entry_hash(entry)
        entry.save()
        Counter.objects.filter(pk=head.pk).update(value=seq)
    return entry


# --- verify ---------------------------------------------------------------------------------
def entries(township: Any, chain: str) -> models.QuerySet:
    township_id = township.pk if isinstance(township, Township) else int(township)
    return EvidenceEntry.objects.filter(township_id=township_id, chain=chain).order_by("seq", "pk")


def _original_seq(entry: EvidenceEntry, limit: int) -> int | None:
    """The seq at which this entry's stored hash checks out, if not its current one."""
    for seq in range(1, limit + 1):
        if seq != entry.seq and entry_hash(entry, seq=seq) == entry.entry_hash:
            return seq
    return None


def _broken(
    rows: list[EvidenceEntry], seq: int, reason: str, detail: str, chain: str
) -> VerifyResult:
    return VerifyResult(
        ok=False,
        count=len(rows),
        first_broken_seq=seq,
        reason=reason,
        detail=detail,
        head_hash=rows[-1].entry_hash if rows else GENESIS,
        chain=chain,
    )


def verify(township: Any, chain: str) -> VerifyResult:
    """Recompute every hash and link of the chain; name the first broken entry and why."""
    township_id = township.pk if isinstance(township, Township) else int(township)
    rows = list(entries(township_id, chain))
    head = (
        Counter.objects.filter(township_id=township_id, year=RESERVED_YEAR, kind=head_kind(chain))
        .values_list("value", flat=True)
        .first()
    )
    referenced = {r.prev_hash for r in rows}
    limit = max([len(rows), head or 0, *(r.seq for r in rows)]) + 1
    over_length = head is not None and len(rows) > head

    def fail(seq: int, reason: str, detail: str) -> VerifyResult:
        return _broken(rows, seq, reason, detail, chain)

    expected_seq, expected_prev = 1, GENESIS
    for row in rows:
        if row.seq < expected_seq:
            return fail(row.seq, FORGED, f"第{row.seq}条记录重复出现，多出的一条是伪造的。")
        if row.seq > expected_seq:
            return fail(
                expected_seq,
                MISSING,
                f"第{expected_seq}条记录不存在：记录缺失或被删除（其后为第{row.seq}条）。",
            )
        intact = entry_hash(row) == row.entry_hash
        if intact and row.prev_hash == expected_prev:
            expected_seq, expected_prev = row.seq + 1, row.entry_hash
            continue
        if intact:
            # the row checks out but does not link to the one before it
            if expected_prev in referenced:
                return fail(
                    row.seq,
                    FORGED,
                    f"第{row.seq}条记录与上一条记录不相连，是插入的伪造记录。",
                )
            if row.seq == 1:
                return fail(1, EDITED, "第1条记录被改写（哈希值已被重新计算），不再是链的起点。")
            return fail(
                row.seq - 1,
                EDITED,
                f"第{row.seq - 1}条记录被改写（哈希值已被重新计算），与第{row.seq}条记录的链接不符。",
            )
        original = _original_seq(row, limit)
        if original is not None:
            if original < row.seq:
                return fail(
                    original,
                    FORGED,
                    f"第{original}条起插入了伪造记录：原第{original}条记录被挪到了第{row.seq}条。",
                )
            if any(entry_hash(r, seq=row.seq) == r.entry_hash for r in rows if r is not row):
                return fail(
                    row.seq,
                    REORDERED,
                    f"第{row.seq}条位置上是原第{original}条记录：记录顺序被调换。",
                )
            return fail(
                row.seq,
                MISSING,
                f"原第{row.seq}条记录缺失或被删除，其后的记录被重新编号。",
            )
        if over_length and row.entry_hash not in referenced:
            # nothing links to it and the chain is longer than its head remembers
            return fail(row.seq, FORGED, f"第{row.seq}条记录无法通过校验，是插入的伪造记录。")
        return fail(row.seq, EDITED, f"第{row.seq}条记录的内容被修改（哈希值不符）。")

    last_seq = rows[-1].seq if rows else 0
    if head is not None and head > last_seq:
        return fail(
            last_seq + 1,
            MISSING,
            f"证据链应有{head}条记录，现只有{last_seq}条：第{last_seq + 1}条起的记录缺失或被删除。",
        )
    if head is not None and head < last_seq:
        return fail(
            head + 1,
            FORGED,
            f"证据链只登记了{head}条记录，第{head + 1}条起是绕过系统插入的伪造记录。",
        )
    return VerifyResult(
        ok=True,
        count=len(rows),
        head_hash=rows[-1].entry_hash if rows else GENESIS,
        chain=chain,
    )


def chains(township: Any) -> models.QuerySet:
    """(chain, entries, last recorded) of every chain of a township."""
    township_id = township.pk if isinstance(township, Township) else int(township)
    return (
        EvidenceEntry.objects.filter(township_id=township_id)
        .values("chain")
        .annotate(entries=models.Count("pk"), last=models.Max("recorded_at"))
        .order_by("chain")
    )


def chain_names(township: Any) -> list[str]:
    """Every chain of a township that has entries."""
    township_id = township.pk if isinstance(township, Township) else int(township)
    return sorted(
        set(
            EvidenceEntry.objects.filter(township_id=township_id)
            .values_list("chain", flat=True)
            .distinct()
        )
    )


def vanished_chains(township: Any) -> int:
    """How many chains have a head that remembers entries but no entry left at all.

    (Their names are only kept hashed in the head row, so they are counted, not named.)
    """
    township_id = township.pk if isinstance(township, Township) else int(township)
    known = {head_kind(c) for c in chain_names(township_id)}
    heads = Counter.objects.filter(
        township_id=township_id, year=RESERVED_YEAR, kind__startswith="ev:", value__gt=0
    ).values_list("kind", flat=True)
    return sum(1 for kind in heads if kind not in known)


def chain_object(chain: str) -> models.Model | None:
    """The record a chain named by `chain_name` belongs to (None if not such a name, or gone)."""
    from django.contrib.contenttypes.models import ContentType

    label, _, pk = chain.partition(":")
    app_label, _, model_name = label.partition(".")
    if not (app_label and model_name and pk):
        return None
    try:
        model = ContentType.objects.get_by_natural_key(app_label, model_name).model_class()
    except ContentType.DoesNotExist:
        return None
    if model is None:
        return None
    try:
        return model._default_manager.filter(pk=pk).first()
    except (ValueError, TypeError, ValidationError):
        return None
