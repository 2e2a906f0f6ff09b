"""The evidence chain: append-only, hash-chained, and every tampering done directly in the
database (bypassing the model) is detected at the right entry with the right reason."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import hmac
import json
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, connections

from fazhi.core import attachments, evidence
from fazhi.core.choices import ChangeAction
from fazhi.core.models import AppendOnlyError, Counter, EvidenceEntry, Township, Village
from fazhi.core.numbering import RESERVED_YEAR

CHAIN = "enforcement.case:42"
assert EvidenceEntry._meta.db_table == "core_evidenceentry"
DELETE_ROW = "DELETE FROM core_evidenceentry WHERE id = %s"


def build(cast, n=5, chain=CHAIN, township=None):
    township = township or cast.a
    return [
        evidence.append(
            township,
            chain,
            "step",
            {"步骤": f"第{i}步", "说明": "现场检查 & 询问 <当事人>", "金额": i * 100},
            actor=cast.a_operator,
        )
        for i in range(1, n + 1)
    ]


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def set_seq(pk, seq):
    sql("UPDATE core_evidenceentry SET seq = %s WHERE id = %s", [seq, pk])


def shift_up(township, from_seq, chain=CHAIN):
    """Make room at `from_seq` by renumbering later rows +1 (one row at a time, top first)."""
    rows = EvidenceEntry.objects.filter(township=township, chain=chain, seq__gte=from_seq).order_by(
        "-seq"
    )
    for row in rows:
        set_seq(row.pk, row.seq + 1)


def forge(township, seq, prev_hash, *, rehash, chain=CHAIN):
    entry = EvidenceEntry(
        township=township,
        chain=chain,
        seq=seq,
        kind="step",
        content={"步骤": "伪造的记录"},
        attachment_hashes=[],
        actor_name="某人",
        recorded_at=dt.datetime(2025, 6, 1, 2, 0, tzinfo=dt.UTC),
        prev_hash=prev_hash,
        entry_hash="f" * 64,
    )
    if rehash:
        entry.entry_hash = evidence.entry_hash(entry)
    EvidenceEntry.objects.bulk_create([entry])  # bypasses save()
    return entry


def check(cast, seq, reason, township=None):
    result = evidence.verify(township or cast.a, CHAIN)
    assert not result.ok
    assert (result.first_broken_seq, result.reason) == (seq, reason), result.detail
    return result


# --- appending ------------------------------------------------------------------------------
@pytest.mark.django_db
class TestAppend:
    def test_entries_are_numbered_from_one_and_linked_from_genesis(self, cast):
        rows = build(cast, 3)
        assert [r.seq for r in rows] == [1, 2, 3]
        assert rows[0].prev_hash == "0" * 64
        assert rows[1].prev_hash == rows[0].entry_hash
        assert rows[2].prev_hash == rows[1].entry_hash
        result = evidence.verify(cast.a, CHAIN)
        assert result.ok and result.count == 3 and result.head_hash == rows[2].entry_hash

    def test_hash_is_sha256_of_canonical_json(self, cast):
        entry = evidence.append(
            cast.a, CHAIN, "opinion", {"意见": "同意", "b": 1, "a": [1, "二"]}, actor=cast.a_admin
        )
        entry = EvidenceEntry.objects.get(pk=entry.pk)  # as stored, read back
        payload = {
            "chain": CHAIN,
            "seq": 1,
            "township": cast.a.pk,
            "kind": "opinion",
            "content": {"意见": "同意", "b": 1, "a": [1, "二"]},
            "attachments": [],
            "actor": "a_admin",
            "recorded_at": entry.recorded_at.astimezone(dt.UTC).isoformat(timespec="milliseconds"),
            "prev_hash": "0" * 64,
            "version": 2,
            "actor_id": cast.a_admin.pk,
        }
        canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        assert entry.entry_hash == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        assert entry.actor_name == "a_admin" and entry.actor == cast.a_admin
        assert entry.hash_version == 2
        key = evidence.evidence_key()
        assert entry.seal == hmac.new(key, entry.entry_hash.encode(), "sha256").hexdigest()

    def test_content_with_dates_is_stored_as_it_is_hashed(self, cast):
        evidence.append(
            cast.a,
            CHAIN,
            "step",
            {"日期": dt.date(2025, 10, 8), "时间": dt.datetime(2025, 10, 8, 9, 30, tzinfo=dt.UTC)},
            actor=None,
        )
        stored = EvidenceEntry.objects.get(chain=CHAIN)
        assert stored.content["日期"] == "2025-10-08"
        assert stored.actor_name == "系统"
        assert evidence.verify(cast.a, CHAIN).ok

    def test_attachment_hashes_are_part_of_the_entry(self, cast, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        photo = attachments.store(
            SimpleUploadedFile("现场照片.jpg", b"\xff\xd8 photo bytes"),
            township=cast.a,
            actor=cast.a_operator,
        )
        entry = evidence.append(
            cast.a,
            CHAIN,
            "evidence",
            {"说明": "现场照片"},
            actor=cast.a_operator,
            attachments=[photo],
        )
        assert entry.attachment_hashes == [hashlib.sha256(b"\xff\xd8 photo bytes").hexdigest()]
        assert evidence.verify(cast.a, CHAIN).ok
        EvidenceEntry.objects.filter(pk=entry.pk).update(attachment_hashes=["0" * 64])
        check(cast, 1, evidence.EDITED)

    def test_attachment_of_another_township_is_refused(self, cast, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        theirs = attachments.store(
            SimpleUploadedFile("b.pdf", b"%PDF b"), township=cast.b, actor=cast.b_operator
        )
        with pytest.raises(ValueError, match="不属于该乡镇"):
            evidence.append(cast.a, CHAIN, "step", {}, actor=None, attachments=[theirs])

    def test_chains_of_different_townships_are_separate(self, cast):
        build(cast, 3)
        build(cast, 2, township=cast.b)
        EvidenceEntry.objects.filter(township=cast.b, seq=1).update(content={"x": 1})
        assert evidence.verify(cast.a, CHAIN).ok
        assert evidence.verify(cast.b, CHAIN).first_broken_seq == 1
        assert evidence.verify(cast.b, CHAIN).count == 2

    def test_rows_refuse_save_and_delete(self, cast):
        entry = build(cast, 1)[0]
        entry.content = {"改": "了"}
        with pytest.raises(AppendOnlyError):
            entry.save()
        with pytest.raises(AppendOnlyError):
            entry.delete()
        assert evidence.verify(cast.a, CHAIN).ok

    def test_chain_name_names_the_record(self, cast):
        assert evidence.chain_name(cast.a1) == f"core.village:{cast.a1.pk}"
        assert evidence.chain_object(evidence.chain_name(cast.a1)) == cast.a1
        assert evidence.chain_object("nonsense") is None
        assert evidence.chain_object("core.village:abc") is None

    def test_sequential_appends_stay_unique_and_verify(self, cast):
        for i in range(20):
            evidence.append(cast.a, CHAIN, "step", {"i": i}, actor=None)
        seqs = list(EvidenceEntry.objects.filter(chain=CHAIN).values_list("seq", flat=True))
        assert sorted(seqs) == list(range(1, 21))
        assert evidence.verify(cast.a, CHAIN).ok


# --- tampering directly in the database -----------------------------------------------------
@pytest.mark.django_db
class TestTamperingIsDetected:
    def test_untouched_chain_verifies(self, cast):
        build(cast)
        assert evidence.verify(cast.a, CHAIN).ok

    def test_edited_content_is_named(self, cast):
        rows = build(cast)
        EvidenceEntry.objects.filter(pk=rows[2].pk).update(content={"步骤": "改过的内容"})
        result = check(cast, 3, evidence.EDITED)
        assert "第3条" in result.detail

    def test_edited_last_entry_is_named(self, cast):
        rows = build(cast)
        sql("UPDATE core_evidenceentry SET kind = %s WHERE id = %s", ["opinion", rows[4].pk])
        check(cast, 5, evidence.EDITED)

    def test_edited_actor_or_time_is_named(self, cast):
        rows = build(cast)
        EvidenceEntry.objects.filter(pk=rows[1].pk).update(actor_name="别人")
        check(cast, 2, evidence.EDITED)

    def test_edited_and_rehashed_entry_is_named(self, cast):
        rows = build(cast)
        forged = EvidenceEntry.objects.get(pk=rows[1].pk)
        forged.content = {"步骤": "改写后重新计算哈希"}
        new_hash = evidence.entry_hash(forged)
        EvidenceEntry.objects.filter(pk=forged.pk).update(
            content=forged.content, entry_hash=new_hash
        )
        check(cast, 2, evidence.UNSIGNED)  # the seal needs the key the attacker lacks

    def test_deleted_middle_entry_is_named(self, cast):
        rows = build(cast)
        sql(DELETE_ROW, [rows[2].pk])
        result = check(cast, 3, evidence.MISSING)
        assert result.count == 4

    def test_deleted_first_entry_is_named(self, cast):
        rows = build(cast)
        sql(DELETE_ROW, [rows[0].pk])
        check(cast, 1, evidence.MISSING)

    def test_deleted_last_entry_is_named(self, cast):
        rows = build(cast)
        sql(DELETE_ROW, [rows[4].pk])
        check(cast, 5, evidence.MISSING)

    def test_deleted_entry_with_later_entries_renumbered_is_named(self, cast):
        rows = build(cast)
        sql(DELETE_ROW, [rows[1].pk])
        for row in rows[2:]:
            set_seq(row.pk, row.seq - 1)
        check(cast, 2, evidence.MISSING)

    def test_swapped_entries_are_named(self, cast):
        rows = build(cast)
        set_seq(rows[1].pk, 999)
        set_seq(rows[2].pk, 2)
        set_seq(rows[1].pk, 3)
        result = check(cast, 2, evidence.REORDERED)
        assert "原第3条" in result.detail

    def test_swapped_last_two_entries_are_named(self, cast):
        rows = build(cast)
        set_seq(rows[3].pk, 999)
        set_seq(rows[4].pk, 4)
        set_seq(rows[3].pk, 5)
        check(cast, 4, evidence.REORDERED)

    def test_forged_entry_appended_at_the_end_is_named(self, cast):
        rows = build(cast)
        forge(cast.a, 6, rows[4].entry_hash, rehash=False)
        check(cast, 6, evidence.FORGED)

    def test_well_forged_entry_appended_at_the_end_is_named(self, cast):
        rows = build(cast)
        forge(cast.a, 6, rows[4].entry_hash, rehash=True)
        check(cast, 6, evidence.FORGED)

    def test_forged_entry_inserted_in_the_middle_is_named(self, cast):
        rows = build(cast)
        shift_up(cast.a, 3)
        forge(cast.a, 3, rows[1].entry_hash, rehash=False)
        check(cast, 3, evidence.FORGED)

    def test_well_forged_entry_inserted_in_the_middle_is_named(self, cast):
        rows = build(cast)
        shift_up(cast.a, 3)
        forge(cast.a, 3, rows[1].entry_hash, rehash=True)
        check(cast, 3, evidence.FORGED)

    def test_forged_entry_with_a_wrong_link_is_named(self, cast):
        build(cast)
        shift_up(cast.a, 2)
        forge(cast.a, 2, "a" * 64, rehash=True)
        check(cast, 2, evidence.FORGED)

    def test_a_chain_deleted_completely_is_counted(self, cast):
        build(cast, 2)
        sql("DELETE FROM core_evidenceentry WHERE chain = %s", [CHAIN])
        result = evidence.verify(cast.a, CHAIN)
        assert (result.ok, result.first_broken_seq, result.reason) == (False, 1, evidence.MISSING)
        assert evidence.vanished_chains(cast.a) == 1

    def test_appending_after_a_deletion_keeps_the_break_visible(self, cast):
        rows = build(cast, 3)
        sql(DELETE_ROW, [rows[2].pk])
        entry = evidence.append(cast.a, CHAIN, "step", {}, actor=None)
        assert entry.seq == 4  # the head remembers 3: seq 3 is never reused
        check(cast, 3, evidence.MISSING)


# --- command --------------------------------------------------------------------------------
@pytest.mark.django_db
def rewrite_as_version_1(township, chain=CHAIN):
    """What an attacker with database access can do without the key: recompute every hash of
    the chain under the old (unsigned) rule so that it is consistent again."""
    prev = evidence.GENESIS
    for row in EvidenceEntry.objects.filter(township=township, chain=chain).order_by("seq"):
        row.hash_version, row.prev_hash, row.seal = 1, prev, ""
        row.entry_hash = evidence.entry_hash(row)
        EvidenceEntry.objects.filter(pk=row.pk).update(
            hash_version=1, prev_hash=prev, seal="", entry_hash=row.entry_hash
        )
        prev = row.entry_hash


def lower_head(township, value, chain=CHAIN):
    Counter.objects.filter(
        township=township, year=RESERVED_YEAR, kind=evidence.head_kind(chain)
    ).update(value=value)


class TestTamperingAtTheTail:
    """Issue 7, item 6: the attacks that used to go unnoticed."""

    def test_deleting_the_last_entry_and_lowering_the_head_breaks_the_checkpoint(self, cast):
        rows = build(cast)
        evidence.write_checkpoint(cast.a)
        sql(DELETE_ROW, [rows[4].pk])
        lower_head(cast.a, 4)
        problems = evidence.check_checkpoint(
            evidence.checkpoint_record(evidence.latest_checkpoint(cast.a))
        )
        assert [(p.chain, p.seq, p.reason) for p in problems] == [(CHAIN, 5, evidence.SHORTENED)]

    def test_rehashing_the_whole_chain_after_an_edit_is_named(self, cast):
        rows = build(cast)
        EvidenceEntry.objects.filter(pk=rows[2].pk).update(content={"步骤": "改写"})
        prev = rows[1].entry_hash
        for row in EvidenceEntry.objects.filter(seq__gte=3, chain=CHAIN).order_by("seq"):
            row.prev_hash = prev
            row.entry_hash = evidence.entry_hash(row)
            EvidenceEntry.objects.filter(pk=row.pk).update(
                prev_hash=prev, entry_hash=row.entry_hash
            )
            prev = row.entry_hash
        check(cast, 3, evidence.UNSIGNED)

    def test_rewriting_the_whole_chain_under_the_old_rule_breaks_the_checkpoint(self, cast):
        build(cast)
        evidence.write_checkpoint(cast.a)
        EvidenceEntry.objects.filter(chain=CHAIN, seq=2).update(content={"步骤": "改写"})
        rewrite_as_version_1(cast.a)
        assert evidence.verify(cast.a, CHAIN).ok  # consistent inside the database ...
        problems = evidence.check_checkpoint(
            evidence.checkpoint_record(evidence.latest_checkpoint(cast.a))
        )
        assert [(p.seq, p.reason) for p in problems] == [(5, evidence.REWRITTEN)]

    def test_appending_a_well_formed_entry_is_named(self, cast):
        rows = build(cast)
        entry = EvidenceEntry(
            township=cast.a,
            chain=CHAIN,
            seq=6,
            kind="step",
            content={"步骤": "伪造"},
            attachment_hashes=[],
            actor=cast.a_operator,
            actor_name=rows[4].actor_name,
            recorded_at=rows[4].recorded_at + dt.timedelta(seconds=1),
            prev_hash=rows[4].entry_hash,
            hash_version=2,
        )
        entry.entry_hash = evidence.entry_hash(entry)
        entry.seal = evidence.seal_of(entry.entry_hash, b"a guessed key")
        EvidenceEntry.objects.bulk_create([entry])
        lower_head(cast.a, 6)
        check(cast, 6, evidence.UNSIGNED)

    def test_edited_actor_id_is_named(self, cast):
        rows = build(cast)
        EvidenceEntry.objects.filter(pk=rows[1].pk).update(actor=cast.a_admin)
        check(cast, 2, evidence.EDITED)

    def test_downgrading_an_entry_to_the_old_rule_is_named(self, cast):
        rows = build(cast)
        row = EvidenceEntry.objects.get(pk=rows[4].pk)
        row.hash_version, row.content = 1, {"步骤": "改写"}
        row.entry_hash = evidence.entry_hash(row)
        EvidenceEntry.objects.filter(pk=row.pk).update(
            hash_version=1, content=row.content, entry_hash=row.entry_hash, seal=""
        )
        check(cast, 5, evidence.FORGED)

    def test_entries_written_under_the_old_rule_still_verify(self, cast):
        build(cast, n=3)
        rewrite_as_version_1(cast.a)  # as chains written before hash version 2
        evidence.append(cast.a, CHAIN, "step", {"步骤": "新的"}, actor=cast.a_operator)
        result = evidence.verify(cast.a, CHAIN)
        assert result.ok and result.count == 4
        assert list(
            EvidenceEntry.objects.filter(chain=CHAIN)
            .order_by("seq")
            .values_list("hash_version", flat=True)
        ) == [1, 1, 1, 2]

    def test_a_checkpoint_with_a_bad_signature_is_named(self, cast):
        build(cast)
        record = evidence.checkpoint_record(evidence.write_checkpoint(cast.a))
        record["heads"][CHAIN][0] = 3
        record["digest"] = evidence.digest_of(record["heads"])
        assert [p.reason for p in evidence.check_checkpoint(record)] == [evidence.UNSIGNED]

    def test_growth_after_a_checkpoint_is_fine(self, cast):
        build(cast)
        record = evidence.checkpoint_record(evidence.write_checkpoint(cast.a))
        build(cast, n=2)
        assert evidence.check_checkpoint(record) == []
        assert evidence.verify(cast.a, CHAIN).ok


class TestCheckpointCommands:
    def test_export_and_verify_against_the_file(self, cast, tmp_path, capsys):
        rows = build(cast)
        out = tmp_path / "checkpoints.jsonl"
        call_command("evidence_checkpoint", "--export", str(out))
        lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert [(r["township"], r["heads"][CHAIN]) for r in lines] == [
            (cast.a.pk, [5, rows[4].entry_hash])
        ]
        call_command("verify_evidence", cast.a.name, "--checkpoints", str(out))
        # the attacker deletes the tail, lowers the head and removes the stored checkpoints
        sql(DELETE_ROW, [rows[4].pk])
        lower_head(cast.a, 4)
        sql("DELETE FROM core_evidencecheckpoint")
        call_command("verify_evidence", cast.a.name)  # nothing left inside to notice it
        capsys.readouterr()
        with pytest.raises(CommandError) as raised:
            call_command("verify_evidence", cast.a.name, "--checkpoints", str(out))
        assert raised.value.returncode == 1
        output = capsys.readouterr().out
        assert f"{CHAIN}：第5条 {evidence.SHORTENED}" in output

    def test_verify_uses_the_latest_stored_checkpoint(self, cast, capsys):
        build(cast)
        call_command("evidence_checkpoint")
        build(cast, n=1, chain="other.case:1")
        EvidenceEntry.objects.filter(chain=CHAIN, seq=1).update(content={"步骤": "改写"})
        rewrite_as_version_1(cast.a)
        with pytest.raises(CommandError, match="1条证据链被破坏"):
            call_command("verify_evidence", cast.a.name)
        output = capsys.readouterr().out
        assert evidence.REWRITTEN in output and f"完整  {cast.a.name} {CHAIN}" not in output

    def test_bad_checkpoint_file_is_a_clear_error(self, cast, tmp_path):
        bad = tmp_path / "bad.jsonl"
        bad.write_text('{"township": 1}\nnot json\n', encoding="utf-8")
        with pytest.raises(CommandError, match="第2行"):
            call_command("verify_evidence", cast.a.name, "--checkpoints", str(bad))

    def test_the_daily_job_writes_checkpoints(self, cast):
        from fazhi.core import jobs

        build(cast)
        assert evidence.CHECKPOINT_JOB in jobs._DAILY
        job = jobs.schedule_daily(evidence.CHECKPOINT_JOB)
        jobs.run(job)
        cp = evidence.latest_checkpoint(cast.a)
        assert cp is not None and cp.heads == evidence.current_heads(cast.a)


class TestVerifyCommand:
    def test_intact_chains_pass(self, cast, capsys):
        build(cast, 2)
        build(cast, 2, chain="petitions.petition:7")
        call_command("verify_evidence", cast.a.name)
        out = capsys.readouterr().out
        assert "证据链校验通过：共2条证据链" in out

    def test_broken_chain_exits_with_code_1_and_names_the_entry(self, cast, capsys):
        rows = build(cast, 4)
        build(cast, 2, chain="petitions.petition:7")
        EvidenceEntry.objects.filter(pk=rows[1].pk).update(content={})
        with pytest.raises(CommandError) as exc:
            call_command("verify_evidence", str(cast.a.pk))
        assert exc.value.returncode == 1
        out = capsys.readouterr().out
        assert f"{CHAIN}：第2条 内容被修改" in out
        assert "petitions.petition:7：共2条" in out

    def test_one_chain_only(self, cast, capsys):
        build(cast, 2)
        rows = build(cast, 2, chain="other:1")
        EvidenceEntry.objects.filter(pk=rows[0].pk).update(content={})
        call_command("verify_evidence", cast.a.name, "--chain", CHAIN)
        assert "共1条证据链" in capsys.readouterr().out

    def test_all_townships_and_vanished_chains(self, cast, capsys):
        build(cast, 2, township=cast.b)
        sql("DELETE FROM core_evidenceentry WHERE township_id = %s", [cast.b.pk])
        with pytest.raises(CommandError):
            call_command("verify_evidence")
        assert "全部被删除" in capsys.readouterr().out

    def test_unknown_township_is_a_clear_error(self, cast):
        with pytest.raises(CommandError, match="找不到乡镇"):
            call_command("verify_evidence", "不存在镇")


# --- page -----------------------------------------------------------------------------------
@pytest.mark.django_db
class TestChainPage:
    def url(self, township, chain=CHAIN):
        from django.urls import reverse

        return reverse("core:evidence_chain", args=[township.pk, chain])

    def test_intact_chain_page(self, cast, login):
        build(cast, 3)
        response = login(cast.a_viewer).get(self.url(cast.a))
        assert response.status_code == 200
        assert response.context["result"].ok
        assert "校验通过" in response.content.decode()

    def test_broken_chain_page_names_the_first_broken_entry(self, cast, login):
        rows = build(cast, 4)
        sql(DELETE_ROW, [rows[1].pk])
        response = login(cast.supervisor).get(self.url(cast.a))
        body = response.content.decode()
        assert response.status_code == 200
        assert "第 2 条记录：记录缺失或被删除" in body

    def test_other_township_gets_404(self, cast, login):
        build(cast, 2)
        assert login(cast.b_operator).get(self.url(cast.a)).status_code == 404
        assert login(cast.nobody).get(self.url(cast.a)).status_code == 404

    def test_unknown_chain_gets_404(self, cast, login):
        assert login(cast.a_operator).get(self.url(cast.a, "nothing:1")).status_code == 404

    def test_village_role_sees_only_chains_of_its_records(self, cast, login):
        mine, theirs = evidence.chain_name(cast.a1), evidence.chain_name(cast.a2)
        build(cast, 1, chain=mine)
        build(cast, 1, chain=theirs)
        client = login(cast.a1_mediator)
        assert client.get(self.url(cast.a, mine)).status_code == 200
        assert client.get(self.url(cast.a, theirs)).status_code == 404
        from django.urls import reverse

        assert client.get(reverse("core:evidence_chains", args=[cast.a.pk])).status_code == 403

    def test_chain_list_of_a_township(self, cast, login):
        from django.urls import reverse

        build(cast, 2)
        build(cast, 1, township=cast.b, chain="b-only:1")
        response = login(cast.a_viewer).get(reverse("core:evidence_chains", args=[cast.a.pk]))
        body = response.content.decode()
        assert CHAIN in body and "b-only:1" not in body
        assert (
            login(cast.a_viewer).get(reverse("core:evidence_chains", args=[cast.b.pk])).status_code
            == 404
        )


# --- concurrency ----------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_concurrent_appenders_on_postgresql_keep_one_linear_chain():
    if connection.vendor != "postgresql":
        pytest.skip("需要 PostgreSQL：SQLite 的测试库为内存库，多连接并发写无法在其上复现")
    from fazhi.core.models import County

    county = County.objects.create(name="并发县", province="测试省")
    township = Township.objects.create(county=county, name="并发镇")
    Village.objects.create(township=township, name="并发村")
    writers, per_writer = 6, 8
    errors: list[BaseException] = []
    barrier = threading.Barrier(writers)

    def work(n: int) -> None:
        try:
            barrier.wait()
            for i in range(per_writer):
                evidence.append(township, "race:1", "step", {"writer": n, "i": i}, actor=None)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    seqs = sorted(EvidenceEntry.objects.filter(chain="race:1").values_list("seq", flat=True))
    assert seqs == list(range(1, writers * per_writer + 1))
    result = evidence.verify(township, "race:1")
    assert result.ok and result.count == writers * per_writer


def test_the_portal_shows_the_latest_head_of_every_township(cast, client):
    build(cast)
    evidence.write_checkpoint(cast.a)
    build(cast, n=1)
    latest = evidence.write_checkpoint(cast.a)
    page = client.get("/gk/evidence/").content.decode()
    assert latest.digest in page and cast.a.name in page
    assert "尚未签发检查点" in page  # the other township has none yet
    assert "证据链校验值" in client.get("/gk/").content.decode()


def test_the_evidence_portal_page_reads_in_chinese(cast, client):
    from fazhi.core.tests.english import english_words

    build(cast)
    evidence.write_checkpoint(cast.a)
    assert english_words(client.get("/gk/evidence/").content.decode(), set()) == []


@pytest.mark.parametrize(
    "content",
    [
        {"number": "〔2025〕甲镇信复字第1号", "issued_on": dt.date(2025, 4, 2), "served_on": None},
        {"count": 3, "late": False, "big": 2**70, "text": '引号"\n换行\u2028'},
        {"on": dt.datetime(2025, 4, 2, 8, 30, 15, 123456, tzinfo=dt.UTC)},  # the round trip
        {"amount": decimal.Decimal("12.50"), "share": 0.5},
        {"nested": {"on": dt.date(2025, 1, 1)}, "list": [dt.date(2025, 1, 2)]},
        {"status": ChangeAction.UPDATE, 1: "int key"},
        {},
        ["a", dt.date(2025, 1, 3)],
        "文本",
    ],
)
def test_plain_gives_what_the_json_round_trip_gives(content):
    expected = json.loads(json.dumps(content, cls=DjangoJSONEncoder, ensure_ascii=False))
    got = evidence._plain(content)
    assert got == expected
    assert [type(v) for v in _values(got)] == [type(v) for v in _values(expected)]


def _values(value):
    if isinstance(value, dict):
        return [x for v in value.values() for x in _values(v)]
    if isinstance(value, list):
        return [x for v in value for x in _values(v)]
    return [value]
