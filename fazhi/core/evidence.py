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
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from fazhi.core.models import Attachment, Counter, EvidenceCheckpoint, EvidenceEntry, Township
from fazhi.core.numbering import RESERVED_YEAR, lock_counter

GENESIS = "0" * 64

EDITED = "内容被修改"
MISSING = "记录缺失或被删除"
REORDERED = "顺序被调换"
FORGED = "插入了伪造记录"
UNSIGNED = "签名不符"
SHORTENED = "比检查点短"
REWRITTEN = "与检查点不符"

#: the hash rule new entries are written with (1: before actor id and version were hashed)
HASH_VERSION = 2


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


#: values a JSON round trip gives back as they are (exact types: a subclass, such as a choices
#: member or a bool's int, is not)
_SAME = frozenset({str, int, bool, type(None)})


def _plain(content: Any) -> Any:
    """JSON-ready content exactly as the database will give it back (dates become strings).
    A flat dict of text, whole numbers, yes/no, empty values and dates (an entry's usual
    content) is converted directly, to what the round trip through DjangoJSONEncoder gives;
    anything else takes the round trip."""
    if type(content) is dict:
        out = {}
        for key, value in content.items():
            kind = type(value)
            if type(key) is not str:
                break
            if kind in _SAME:
                out[key] = value
            elif kind is dt.date:  # DjangoJSONEncoder: date.isoformat()
                out[key] = value.isoformat()
            else:
                break
        else:
            return out
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
    version: int = 1,
    actor_id: int | None = None,
) -> str:
    payload: dict[str, Any] = {
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
    if version >= 2:
        payload["version"] = version
        payload["actor_id"] = actor_id
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
        version=entry.hash_version,
        actor_id=entry.actor_id,
    )


def evidence_key() -> bytes:
    """FAZHI_EVIDENCE_KEY if set (keep it outside the database and its backups), else derived
    from the secret key."""
    from fazhi.core.backup import secret_key_for

    return secret_key_for("FAZHI_EVIDENCE_KEY", b"fazhi-evidence-key")


def seal_of(entry_hash_value: str, key: bytes | None = None) -> str:
    return hmac.new(key or evidence_key(), entry_hash_value.encode("ascii"), "sha256").hexdigest()


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
            hash_version=HASH_VERSION,
        )
        entry.entry_hash = entry_hash(entry)
        entry.seal = seal_of(entry.entry_hash)
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
    key = evidence_key()
    highest_version = 1
    for row in rows:
        if row.seq < expected_seq:
            return fail(row.seq, FORGED, f"第{row.seq}条记录重复出现，多出的一条是伪造的。")
        if row.seq > expected_seq:
            return fail(
                expected_seq,
                MISSING,
                f"第{expected_seq}条记录不存在：记录缺失或被删除（其后为第{row.seq}条）。",
            )
        if row.hash_version < highest_version or row.hash_version > HASH_VERSION:
            return fail(
                row.seq,
                FORGED,
                f"第{row.seq}条记录的哈希版本（{row.hash_version}）与前面的记录不符，"
                "是绕过系统写入的伪造记录。",
            )
        highest_version = row.hash_version
        intact = entry_hash(row) == row.entry_hash
        if intact and row.prev_hash == expected_prev:
            if row.hash_version >= 2 and not hmac.compare_digest(
                row.seal, seal_of(row.entry_hash, key)
            ):
                return fail(
                    row.seq,
                    UNSIGNED,
                    f"第{row.seq}条记录的签名不符：该记录被改写后重新计算了哈希，"
                    "或是绕过系统写入的伪造记录。",
                )
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


# --- checkpoints: anchoring the chains outside the database ----------------------------------
def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def current_heads(township: Any) -> dict[str, list[Any]]:
    """{chain: [last seq, head hash]} of every chain of a township, as stored now."""
    township_id = township.pk if isinstance(township, Township) else int(township)
    heads: dict[str, list[Any]] = {}
    rows = (
        EvidenceEntry.objects.filter(township_id=township_id)
        .order_by("chain", "seq", "pk")
        .values_list("chain", "seq", "entry_hash")
    )
    for chain, seq, value in rows.iterator():
        heads[chain] = [seq, value]
    return heads


def digest_of(heads: dict[str, list[Any]]) -> str:
    """The township's head: SHA-256 over the canonical JSON of every chain's [count, head]."""
    return hashlib.sha256(_canonical(heads)).hexdigest()


def _signed_part(record: dict[str, Any]) -> bytes:
    return _canonical(
        {
            "township": record["township"],
            "created_at": record["created_at"],
            "heads": record["heads"],
            "digest": record["digest"],
        }
    )


def checkpoint_record(cp: EvidenceCheckpoint) -> dict[str, Any]:
    """The exported form of a checkpoint (one JSON line of `evidence_checkpoint --export`)."""
    return {
        "township": cp.township_id,
        "township_name": cp.township.name,
        "created_at": _time(cp.created_at),
        "chains": cp.chains,
        "entries": cp.entries,
        "heads": cp.heads,
        "digest": cp.digest,
        "signature": cp.signature,
        "key_id": cp.key_id,
    }


def write_checkpoint(township: Any) -> EvidenceCheckpoint:
    """Sign and store the current head of every chain of a township."""
    from fazhi.core.backup import key_id

    township_id = township.pk if isinstance(township, Township) else int(township)
    now = timezone.now()
    created_at = now.replace(microsecond=now.microsecond // 1000 * 1000)
    heads = current_heads(township_id)
    record = {
        "township": township_id,
        "created_at": _time(created_at),
        "heads": heads,
        "digest": digest_of(heads),
    }
    key = evidence_key()
    cp = EvidenceCheckpoint(
        township_id=township_id,
        created_at=created_at,
        heads=heads,
        chains=len(heads),
        entries=sum(count for count, _ in heads.values()),
        digest=record["digest"],
        signature=hmac.new(key, _signed_part(record), "sha256").hexdigest(),
        key_id=key_id(key),
    )
    cp.save()
    return cp


def write_checkpoints() -> list[EvidenceCheckpoint]:
    """A checkpoint for every township that has evidence (the daily job and the command)."""
    ids = sorted(set(EvidenceEntry.objects.values_list("township_id", flat=True).distinct()))
    ids += [
        t
        for t in EvidenceCheckpoint.objects.values_list("township_id", flat=True).distinct()
        if t not in ids
    ]
    return [write_checkpoint(t) for t in sorted(set(ids))]


def latest_checkpoint(township: Any) -> EvidenceCheckpoint | None:
    township_id = township.pk if isinstance(township, Township) else int(township)
    return (
        EvidenceCheckpoint.objects.filter(township_id=township_id)
        .select_related("township")
        .order_by("-created_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class CheckpointProblem:
    chain: str
    seq: int | None
    reason: str
    detail: str


def check_checkpoint(record: dict[str, Any]) -> list[CheckpointProblem]:
    """Compare the chains as stored now with a checkpoint (a `checkpoint_record` dict).

    Names a bad signature, a chain shorter than the checkpoint remembers and a chain whose entry
    at the checkpoint's count has another hash (the chain was rewritten and rehashed)."""
    when = record.get("created_at", "")
    try:
        expected = hmac.new(evidence_key(), _signed_part(record), "sha256").hexdigest()
        heads = record["heads"]
        township_id = int(record["township"])
        valid = hmac.compare_digest(str(record.get("signature", "")), expected) and (
            record["digest"] == digest_of(heads)
        )
    except (KeyError, TypeError, ValueError):
        return [CheckpointProblem("", None, UNSIGNED, "检查点格式不正确，无法核对。")]
    if not valid:
        return [
            CheckpointProblem(
                "",
                None,
                UNSIGNED,
                f"{when}的检查点签名不符：检查点被篡改，或由另一个密钥（FAZHI_EVIDENCE_KEY）签发。",
            )
        ]
    stored: dict[tuple[str, int], str] = {}
    last: dict[str, int] = {}
    rows = EvidenceEntry.objects.filter(township_id=township_id, chain__in=list(heads)).values_list(
        "chain", "seq", "entry_hash"
    )
    for chain, seq, value in rows.iterator():
        stored[(chain, seq)] = value
        last[chain] = max(last.get(chain, 0), seq)
    problems = []
    for chain, (count, head) in sorted(heads.items()):
        now_last = last.get(chain, 0)
        if now_last < count:
            problems.append(
                CheckpointProblem(
                    chain,
                    now_last + 1,
                    SHORTENED,
                    f"{when}的检查点记有{count}条记录，现只有{now_last}条："
                    f"第{now_last + 1}条起的记录被删除。",
                )
            )
        elif stored.get((chain, count)) != head:
            problems.append(
                CheckpointProblem(
                    chain,
                    count,
                    REWRITTEN,
                    f"第{count}条记录的哈希与{when}的检查点不符：证据链被改写并重新计算了哈希。",
                )
            )
    return problems


# --- the daily checkpoint job ----------------------------------------------------------------
def _register_job() -> None:
    from fazhi.core import jobs
    from fazhi.core.models import Job

    jobs.daily(CHECKPOINT_JOB, dt.time(1, 30))

    @jobs.handler(CHECKPOINT_JOB, "证据链检查点")
    def _run(job: Job) -> dict[str, Any]:
        written = write_checkpoints()
        jobs.step(job, len(written), len(written), message=f"已为{len(written)}个乡镇签发检查点")
        return {"townships": len(written)}


CHECKPOINT_JOB = "evidence_checkpoint"
_register_job()
