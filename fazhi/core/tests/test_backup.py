"""Backup and restore: one archive with database, attachments and a digest manifest; restore
refuses a tampered archive before touching anything, and a round trip gives back every row and
every file unchanged (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Max

from fazhi.core import attachments, backup, evidence, services
from fazhi.core.audit import records_versions
from fazhi.core.models import (
    Attachment,
    ChangeRecord,
    DomainEvent,
    EvidenceEntry,
    Staff,
    Township,
    Village,
)
from fazhi.core.numbering import next_number

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dirs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_DIR = tmp_path / "backups"
    return Path(settings.MEDIA_ROOT), Path(settings.BACKUP_DIR)


@pytest.fixture
def data(cast, dirs):
    """Rows of many kinds, an attachment, an evidence chain and a counter."""
    staff = services.create_object(
        Staff, {"township": cast.a, "name": "赵六", "phone": "13800138000"}, actor=cast.a_admin
    )
    services.update_object(
        cast.a1, {"households": 321}, actor=cast.a_operator, expected_version=cast.a1.version
    )
    photo = attachments.store(
        SimpleUploadedFile("现场照片.jpg", b"\xff\xd8\xff photo " * 100),
        township=cast.a,
        obj=cast.a1,
        actor=cast.a_operator,
        description="整改前",
    )
    attachments.store(
        SimpleUploadedFile("乙镇文件.pdf", b"%PDF b"), township=cast.b, actor=cast.b_operator
    )
    chain = evidence.chain_name(cast.a1)
    evidence.append(cast.a, chain, "立案", {"案由": "违法建设 & 占地"}, actor=cast.a_operator)
    evidence.append(
        cast.a, chain, "取证", {"说明": "照片"}, actor=cast.a_operator, attachments=[photo]
    )
    next_number(cast.a, "信", year=2025)
    evidence.write_checkpoint(cast.a)  # a signed checkpoint of 甲镇's chains
    return {"staff": staff, "photo": photo, "chain": chain}


_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$")


def snapshot() -> list[dict]:
    stream = io.StringIO()
    backup.dump_database(stream)
    rows = json.loads(stream.getvalue())
    for row in rows:  # "…14Z" and "…14.000Z" are the same instant (the dump keeps milliseconds)
        for name, value in row["fields"].items():
            if isinstance(value, str) and _TIMESTAMP.match(value):
                row["fields"][name] = value.replace(".000Z", "Z")
    return sorted(rows, key=lambda r: (r["model"], str(r["pk"])))


def file_digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def wipe(media: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media, ignore_errors=True)


def rewrite(archive: Path, out: Path, change) -> Path:
    """Copy an archive, letting `change(name, data)` return new bytes (or None to drop)."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(out, "w:gz") as dst:
        for member in src:
            data = src.extractfile(member).read()
            new = change(member.name, data)
            if new is None:
                continue
            info = tarfile.TarInfo(member.name)
            info.size = len(new)
            dst.addfile(info, io.BytesIO(new))
    return out


def test_round_trip_gives_back_every_row_and_file(cast, data, dirs, capsys):
    media, backups = dirs
    rows_before, files_before = snapshot(), file_digests(media)
    assert any(r["model"] == "core.evidenceentry" for r in rows_before)
    assert len(files_before) == 2

    call_command("backup", "--output", str(backups))
    out = capsys.readouterr().out
    archives = list(backups.glob("fazhi-backup-*.tar.gz"))
    assert len(archives) == 1 and "备份完成" in out
    assert hashlib.sha256(archives[0].read_bytes()).hexdigest() in out

    wipe(media)
    assert not Township.objects.exists() and not media.exists()

    call_command("restore", str(archives[0]))
    out = capsys.readouterr().out
    assert "恢复完成" in out and "证据链：已校验1条，与各乡镇最新签名检查点一致" in out
    assert snapshot() == rows_before
    assert file_digests(media) == files_before

    # what was restored works: evidence verifies, the file passes its hash check, counters
    # continue, passwords still log in, and new rows get fresh ids
    a = Township.objects.get(name="甲镇")
    assert evidence.verify(a, data["chain"]).ok
    with attachments.open_verified(Attachment.objects.get(pk=data["photo"].pk)) as f:
        assert f.read() == b"\xff\xd8\xff photo " * 100
    assert next_number(a, "信", year=2025)[0] == 2
    assert User.objects.get(username="a_operator").check_password("pw-for-tests-0")
    village = Village.objects.create(township=a, name="恢复后新建村")
    assert village.pk > max(r["pk"] for r in rows_before if r["model"] == "core.village")
    assert ChangeRecord.objects.filter(object_id=str(data["staff"].pk)).exists()


def test_manifest_has_a_digest_for_every_member(cast, data, dirs):
    media, backups = dirs
    info = backup.create_backup(backups)
    with tarfile.open(info.path, "r:gz") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}
    raw_manifest = members.pop(backup.MANIFEST)
    manifest = json.loads(raw_manifest)
    assert manifest["format"] == "fazhi-backup" and manifest["version"] == 1
    assert members.pop(backup.SIGNATURE).decode() == backup.sign(raw_manifest)
    assert set(manifest["files"]) == set(members)
    assert backup.DATABASE in members
    assert sum(name.startswith("attachments/") for name in members) == 2
    for name, content in members.items():
        assert manifest["files"][name] == {
            "sha256": hashlib.sha256(content).hexdigest(),
            "size": len(content),
        }
    assert "core" in manifest["migrations"]
    assert info.files == 2 and info.rows == manifest["database"]["rows"] > 0
    members[backup.DATABASE].decode("ascii")  # portable whatever the locale


def test_tampered_database_member_is_refused_and_nothing_is_touched(cast, data, dirs, tmp_path):
    media, backups = dirs
    info = backup.create_backup(backups)
    forged = rewrite(
        info.path,
        tmp_path / "forged.tar.gz",
        lambda name, d: (
            d.replace(b"\\u7532\\u4e00\\u6751", b"\\u4e59\\u4e00\\u6751")
            if name == backup.DATABASE
            else d
        ),
    )
    rows_before, files_before = snapshot(), file_digests(media)
    with pytest.raises(CommandError) as exc:
        call_command("restore", str(forged), "--flush")
    message = str(exc.value)
    assert "备份文件校验失败" in message and "database.json" in message
    assert "未做任何恢复" in message
    assert snapshot() == rows_before and file_digests(media) == files_before


def test_tampered_attachment_member_is_refused(cast, data, dirs, tmp_path):
    media, backups = dirs
    info = backup.create_backup(backups)
    forged = rewrite(
        info.path,
        tmp_path / "forged.tar.gz",
        lambda name, d: b"forged" if name.startswith("attachments/") else d,
    )
    with pytest.raises(backup.BackupError, match="SHA-256 与清单不符"):
        backup.restore_backup(forged, flush=True)
    assert Village.objects.filter(name="甲一村").exists()


def test_missing_and_extra_members_are_refused(cast, data, dirs, tmp_path):
    media, backups = dirs
    info = backup.create_backup(backups)
    dropped = rewrite(
        info.path,
        tmp_path / "dropped.tar.gz",
        lambda name, d: None if name.startswith("attachments/") else d,
    )
    with pytest.raises(backup.BackupError, match="缺少成员"):
        backup.verify_archive(dropped)

    def add_extra(name, d):
        return d

    extra = tmp_path / "extra.tar.gz"
    rewrite(info.path, extra, add_extra)
    with tarfile.open(extra, "r:gz") as src:
        members = [(m, src.extractfile(m).read()) for m in src]
    with tarfile.open(extra, "w:gz") as dst:
        for m, d in members:
            dst.addfile(m, io.BytesIO(d))
        info2 = tarfile.TarInfo("attachments/2025/01/planted.pdf")
        info2.size = 3
        dst.addfile(info2, io.BytesIO(b"bad"))
    with pytest.raises(backup.BackupError, match="多出清单中没有的成员"):
        backup.verify_archive(extra)


def test_unsafe_member_paths_are_refused(cast, dirs, tmp_path):
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        info = tarfile.TarInfo("../../escape.txt")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(backup.BackupError, match="路径不安全"):
        backup.verify_archive(evil)
    assert not (tmp_path.parent / "escape.txt").exists()


def test_not_an_archive_is_a_clear_error(cast, dirs, tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"this is not a backup")
    with pytest.raises(CommandError, match="备份文件损坏或不是有效的"):
        call_command("restore", str(junk))
    with pytest.raises(CommandError, match="备份文件不存在"):
        call_command("restore", str(tmp_path / "nothing.tar.gz"))


def test_restore_into_a_database_with_data_needs_flush(cast, data, dirs, capsys):
    media, backups = dirs
    info = backup.create_backup(backups)
    rows_before, files_before = snapshot(), file_digests(media)
    with pytest.raises(CommandError, match="数据库不是空的"):
        call_command("restore", str(info.path))
    assert snapshot() == rows_before

    # changes made after the backup are replaced by the backup's state
    Village.objects.filter(pk=cast.a1.pk).update(name="备份后改名")
    EvidenceEntry.objects.filter(seq=1).update(content={"篡改": True})
    call_command("restore", str(info.path), "--flush")
    out = capsys.readouterr().out
    assert "原附件目录已改名保留" in out
    assert snapshot() == rows_before and file_digests(media) == files_before
    assert evidence.verify(cast.a, data["chain"]).ok
    # the history marks (left out of the dump) are rebuilt as the history is loaded
    # (PostgreSQL: its rows counted by the triggers; SQLite: its highest ids, no marks)
    ids = [cast.a.pk, cast.b.pk]
    if connection.vendor == "sqlite":
        assert records_versions(ids) == {
            t: sum(
                m.objects.filter(township_id=t).aggregate(top=Max("id"))["top"] or 0
                for m in (ChangeRecord, DomainEvent)
            )
            for t in ids
        }
    else:
        assert records_versions(ids) == {
            t: ChangeRecord.objects.filter(township_id=t).count()
            + DomainEvent.objects.filter(township_id=t).count()
            for t in ids
        }
    assert records_versions(ids)[cast.a.pk] > 0
    kept = list(media.parent.glob("media.before-restore-*"))
    assert len(kept) == 1 and file_digests(kept[0]) == files_before


def test_restore_refuses_files_already_in_the_attachment_dir(cast, dirs):
    media, backups = dirs
    info = backup.create_backup(backups)
    wipe(media)
    media.mkdir(parents=True)
    (media / "stray.pdf").write_bytes(b"x")
    with pytest.raises(backup.BackupError, match="附件目录"):
        backup.restore_backup(info.path)
    assert not Township.objects.exists()


def test_check_only_verifies(cast, data, dirs, capsys):
    media, backups = dirs
    info = backup.create_backup(backups)
    call_command("restore", str(info.path), "--check")
    assert "备份文件校验通过" in capsys.readouterr().out


def test_archive_from_a_newer_schema_is_refused(cast, dirs, tmp_path):
    media, backups = dirs
    info = backup.create_backup(backups)

    def newer(name, d):
        if name == backup.SIGNATURE:
            return backup.sign(newer_manifest[0]).encode()  # a genuine archive of a newer system
        if name != backup.MANIFEST:
            return d
        manifest = json.loads(d)
        manifest["migrations"]["core"].append("9999_from_the_future")
        newer_manifest[0] = json.dumps(manifest).encode()
        return newer_manifest[0]

    newer_manifest = [b""]
    future = rewrite(info.path, tmp_path / "future.tar.gz", newer)
    with pytest.raises(backup.BackupError, match="较新版本"):
        backup.restore_backup(future, flush=True)
    assert Township.objects.exists()


# --- issue 7 item 5: authenticated archives, the printed digest, exact timestamps ------------
def _forge_password(archive: Path, out: Path) -> Path:
    """The probe's attack: change a password hash in database.json and recompute the
    manifest's SHA-256 and size so that every digest matches again."""
    members: dict[str, bytes] = {}
    with tarfile.open(archive, "r:gz") as src:
        for member in src:
            members[member.name] = src.extractfile(member).read()
    rows = json.loads(members[backup.DATABASE])
    for row in rows:
        if row["model"] == "auth.user" and row["fields"]["username"] == "platform":
            row["fields"]["password"] = "md5$attacker$0123456789abcdef"
    members[backup.DATABASE] = json.dumps(rows).encode()
    manifest = json.loads(members[backup.MANIFEST])
    manifest["files"][backup.DATABASE] = {
        "sha256": hashlib.sha256(members[backup.DATABASE]).hexdigest(),
        "size": len(members[backup.DATABASE]),
    }
    members[backup.MANIFEST] = json.dumps(manifest).encode()
    with tarfile.open(out, "w:gz") as dst:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    return out


def test_rewritten_archive_with_recomputed_digests_is_refused(cast, data, dirs, tmp_path):
    media, backups = dirs
    info = backup.create_backup(backups)
    forged = _forge_password(info.path, tmp_path / "forged.tar.gz")
    for command in (("restore", str(forged), "--check"), ("restore", str(forged), "--flush")):
        with pytest.raises(CommandError, match="未通过认证"):
            call_command(*command)
    assert User.objects.get(username="platform").check_password("pw-for-tests-0")


def test_archive_without_signature_or_under_another_key_is_refused(
    cast, data, dirs, tmp_path, settings
):
    media, backups = dirs
    info = backup.create_backup(backups)
    unsigned = rewrite(
        info.path, tmp_path / "unsigned.tar.gz", lambda n, d: None if n == backup.SIGNATURE else d
    )
    with pytest.raises(backup.BackupError, match="未通过认证"):
        backup.verify_archive(unsigned)
    settings.FAZHI_BACKUP_KEY = "another-installation-key-" + "x" * 40
    with pytest.raises(backup.BackupError, match="未通过认证"):
        backup.verify_archive(info.path)
    # the digest printed at backup time authenticates it instead
    assert backup.verify_archive(info.path, digest=info.sha256)["format"] == "fazhi-backup"


def test_restore_accepts_the_printed_digest_and_refuses_a_mismatch(cast, data, dirs, capsys):
    media, backups = dirs
    call_command("backup", "--output", str(backups))
    out = capsys.readouterr().out
    printed = out.split("SHA-256：", 1)[1].split()[0]
    archive = next(backups.glob("fazhi-backup-*.tar.gz"))
    wrong = ("0" if printed[0] != "0" else "1") + printed[1:]
    with pytest.raises(CommandError, match="与给出的摘要"):
        call_command("restore", str(archive), "--flush", "--digest", wrong)
    assert Village.objects.filter(name="甲一村").exists()
    call_command("restore", str(archive), "--check", "--digest", printed)
    call_command("restore", str(archive), "--flush", "--digest", printed)
    assert "恢复完成" in capsys.readouterr().out


def test_restored_timestamps_keep_their_microseconds(cast, data, dirs):
    import datetime as dt

    from django.utils import timezone

    media, backups = dirs
    exact = timezone.now().replace(microsecond=123456)
    Village.objects.filter(pk=cast.a1.pk).update(created_at=exact, updated_at=exact)
    before = {r["id"]: (r["created_at"], r["updated_at"]) for r in Village.objects.values()}
    info = backup.create_backup(backups)
    wipe(media)
    backup.restore_backup(info.path)
    after = {r["id"]: (r["created_at"], r["updated_at"]) for r in Village.objects.values()}
    assert after == before
    assert after[cast.a1.pk][0].microsecond == 123456
    assert isinstance(after[cast.a1.pk][0], dt.datetime)


def test_every_model_is_in_the_backup_unless_listed_as_rebuilt():
    """A model added later (EvidenceCheckpoint, RateCounter …) is in the dump unless it is
    deliberately left out here, with its reason in backup.EXCLUDED."""
    from django.apps import apps

    dumped = {m._meta.label_lower for m in backup.dumped_models()}
    models = {m._meta.label_lower for m in apps.get_models() if not m._meta.proxy}
    assert models - dumped == backup.EXCLUDED
    assert {"core.evidencecheckpoint", "core.evidenceentry", "core.counter"} <= dumped


def test_every_model_with_data_is_in_the_archive(cast, data, dirs):
    from django.apps import apps

    from fazhi.core.models import EvidenceCheckpoint

    _media, backups = dirs
    assert EvidenceCheckpoint.objects.exists()
    with_rows = {
        m._meta.label_lower
        for m in apps.get_models()
        if not m._meta.proxy
        and m._meta.label_lower not in backup.EXCLUDED
        and m._base_manager.exists()
    }
    archive = backup.create_backup(backups).path
    with tarfile.open(archive) as tar:
        rows = json.loads(tar.extractfile(backup.DATABASE).read())
    assert with_rows <= {r["model"] for r in rows}
    assert "core.evidencecheckpoint" in with_rows


def test_restore_verifies_the_chains_against_the_restored_checkpoints(cast, data, dirs, capsys):
    """The last entry deleted (and the head lowered) before the backup: the restore loads the data
    and then says which chain is shorter than its signed checkpoint, with exit code 1."""
    from fazhi.core.models import Counter

    _media, backups = dirs
    EvidenceEntry.objects.filter(seq=2).delete()  # bypasses the append-only model
    Counter.objects.filter(year=0, kind=evidence.head_kind(data["chain"])).update(value=1)
    archive = backup.create_backup(backups).path
    wipe(dirs[0])
    with pytest.raises(CommandError, match="证据链校验未通过"):
        call_command("restore", str(archive))
    out = capsys.readouterr().out
    assert "恢复完成" in out and "比检查点短" in out and data["chain"] in out
    assert Township.objects.filter(name="甲镇").exists()  # the data is back all the same
