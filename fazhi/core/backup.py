"""Backup and restore: the database and the attachments directory in one .tar.gz.

Archive members:

    manifest.json            format, version, when, database vendor, applied migrations, and the
                             SHA-256 and size of every other member
    manifest.hmac            HMAC-SHA256 of manifest.json under the backup key, which is kept
                             outside the archive (FAZHI_BACKUP_KEY, else derived from the
                             secret key): recomputing the digests after an edit is not enough
    database.json            every row of every app (Django's JSON serialisation, natural keys for
                             content types, permissions and users; content types, permissions and
                             sessions are left out and rebuilt by migrate)
    attachments/<path>       every file under MEDIA_ROOT

The dump is portable: a SQLite backup restores into PostgreSQL and the other way round. It is
taken inside one transaction (SQLite: the write lock; PostgreSQL: REPEATABLE READ, READ ONLY),
so it is consistent. Restore extracts into a temporary directory and verifies every digest and
the member list against the manifest before it touches the database or the attachments; then
it migrates, loads the rows in one transaction (after an optional flush) and puts the
attachments in place. See docs/backup.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "fazhi-backup"
VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.hmac"
DATABASE = "database.json"
ATTACHMENTS = "attachments/"
#: rebuilt by migrate (content types, permissions) or not worth keeping (sessions, the attempt
#: counters of core.limits, which expire within the hour; the dropdown versions of
#: core.dropdowns, which must be new tokens after a restore), or rebuilt as the rest is loaded
#: (core.historymark: the history tables' triggers count their rows as loaddata inserts them;
#: a dumped copy would count them twice). Every other model of every app is in
#: the dump, present and future (core/tests/test_backup.py checks it).
EXCLUDED = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "core.ratecounter",
    "core.historymark",
    "core.dropdownversion",
}
_SKIP_DIRS = {".incoming"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator, in Chinese."""


@dataclass
class BackupInfo:
    path: Path
    sha256: str
    rows: int
    files: int


@dataclass
class RestoreInfo:
    rows: int
    files: int
    manifest: dict[str, Any]
    moved_aside: Path | None = None
    warnings: list[str] = field(default_factory=list)
    #: evidence chains verified after loading (against their township's latest checkpoint)
    chains_checked: int = 0
    #: what does not check out, one sentence each (empty: every chain and checkpoint holds)
    evidence_problems: list[str] = field(default_factory=list)


def verify_restored_evidence(using: str = DEFAULT_DB_ALIAS) -> tuple[int, list[str]]:
    """Verify every evidence chain as loaded, and compare it with its township's latest signed
    checkpoint (the checkpoints are in the backup): (chains checked, problems)."""
    from fazhi.core import evidence
    from fazhi.core.models import Township

    checked, problems = 0, []
    for township in Township.objects.using(using).order_by("pk"):
        latest = evidence.latest_checkpoint(township)
        flagged: set[str] = set()
        if latest is not None:
            for problem in evidence.check_checkpoint(evidence.checkpoint_record(latest)):
                flagged.add(problem.chain)
                where = f"第{problem.seq}条 " if problem.seq else ""
                problems.append(
                    f"{township.name} {problem.chain or '检查点'}：{where}{problem.reason}。"
                    f"{problem.detail}"
                )
        for name in evidence.chain_names(township):
            checked += 1
            result = evidence.verify(township, name)
            if not result.ok and name not in flagged:
                problems.append(f"{township.name} {name}：{result.reason}。{result.detail}")
    return checked, problems


# --- authentication ------------------------------------------------------------------------
def secret_key_for(setting: str, purpose: bytes) -> bytes:
    """A key kept outside the database: the setting `setting` if set, else derived from the
    secret key for `purpose` (so each use gets its own key)."""
    explicit = getattr(settings, setting, "")
    if explicit:
        return explicit.encode("utf-8")
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), purpose, "sha256").digest()


def backup_key() -> bytes:
    """The key that authenticates archives: FAZHI_BACKUP_KEY if set (keep it with the
    operator, not with the backups), else derived from the secret key."""
    return secret_key_for("FAZHI_BACKUP_KEY", b"fazhi-backup-key")


def key_id(key: bytes | None = None) -> str:
    """A short fingerprint of the key (to say which key an archive needs; reveals nothing)."""
    return hashlib.sha256(b"fazhi-key-id:" + (key or backup_key())).hexdigest()[:12]


def sign(data: bytes, key: bytes | None = None) -> str:
    return hmac.new(key or backup_key(), data, "sha256").hexdigest()


class _ExactEncoder(DjangoJSONEncoder):
    """Times with all six digits of microseconds (Django's encoder keeps only milliseconds)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime):
            return o.isoformat()
        if isinstance(o, dt.time):
            return o.isoformat()
        return super().default(o)


# --- helpers --------------------------------------------------------------------------------
class _HashingReader:
    """Reads a file, hashing what passes through (so a member is read once)."""

    def __init__(self, fileobj: BinaryIO) -> None:
        self.fileobj = fileobj
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.fileobj.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def dumped_models(using: str = DEFAULT_DB_ALIAS) -> list[type]:
    """Models in the dump, ordered so that natural-key dependencies come first."""
    app_list = {
        config: None for config in apps.get_app_configs() if config.models_module is not None
    }
    ordered = serializers.sort_dependencies(app_list.items(), allow_cycles=True)
    return [
        model
        for model in ordered
        if model._meta.label_lower not in EXCLUDED
        and not model._meta.proxy
        and router.allow_migrate_model(using, model)
    ]


def _rows(using: str, counter: list[int]) -> Iterator[Any]:
    for model in dumped_models(using):
        queryset = model._base_manager.using(using).order_by(model._meta.pk.name)
        for obj in queryset.iterator(chunk_size=2000):
            counter[0] += 1
            yield obj


def dump_database(stream: Any, using: str = DEFAULT_DB_ALIAS) -> int:
    """Write every row as Django JSON (ASCII-only, natural foreign keys); return the row count."""
    counter = [0]
    serializers.serialize(
        "json",
        _rows(using, counter),
        stream=stream,
        use_natural_foreign_keys=True,
        use_natural_primary_keys=False,
        ensure_ascii=True,
        cls=_ExactEncoder,
    )
    return counter[0]


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in MigrationRecorder(connections[using]).applied_migrations():
        applied.setdefault(app_label, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _attachment_files(root: Path) -> Iterator[tuple[Path, str]]:
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        for filename in sorted(filenames):
            path = Path(dirpath) / filename
            if path.is_symlink() or not path.is_file():
                continue
            yield path, path.relative_to(root).as_posix()


# --- backup ---------------------------------------------------------------------------------
def _dump_consistently(path: Path, using: str) -> int:
    connection = connections[using]
    outer = connection.in_atomic_block
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and not outer:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        with open(path, "w", encoding="utf-8") as stream:
            return dump_database(stream, using)


def create_backup(
    output_dir: str | Path | None = None, using: str = DEFAULT_DB_ALIAS
) -> BackupInfo:
    """Write fazhi-backup-YYYYMMDD-HHMMSS.tar.gz into `output_dir` (BACKUP_DIR by default)."""
    out = Path(output_dir or settings.BACKUP_DIR)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"无法创建备份目录 {out}：{exc}") from exc
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    final = out / f"fazhi-backup-{stamp}.tar.gz"
    n = 1
    while final.exists():
        n += 1
        final = out / f"fazhi-backup-{stamp}-{n}.tar.gz"
    work = Path(tempfile.mkdtemp(prefix=".fazhi-backup-", dir=out))
    try:
        db_path = work / DATABASE
        rows = _dump_consistently(db_path, using)
        files: dict[str, dict[str, Any]] = {
            DATABASE: {"sha256": _sha256_file(db_path), "size": db_path.stat().st_size}
        }
        partial = work / "archive.tar.gz"
        count = 0
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(db_path, arcname=DATABASE, recursive=False)
            for path, rel in _attachment_files(Path(settings.MEDIA_ROOT)):
                name = ATTACHMENTS + rel
                info = tar.gettarinfo(str(path), arcname=name)
                with open(path, "rb") as f:
                    reader = _HashingReader(f)
                    tar.addfile(info, reader)
                files[name] = {"sha256": reader.digest.hexdigest(), "size": reader.size}
                count += 1
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "created_at": timezone.now().isoformat(),
                "database": {"vendor": connections[using].vendor, "rows": rows},
                "key_id": key_id(),
                "migrations": applied_migrations(using),
                "files": files,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
            signature = sign(data).encode("ascii")
            info = tarfile.TarInfo(SIGNATURE)
            info.size = len(signature)
            info.mtime = int(timezone.now().timestamp())
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(signature))
        os.replace(partial, final)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BackupInfo(path=final, sha256=_sha256_file(final), rows=rows, files=count)


# --- verify ---------------------------------------------------------------------------------
def _safe_name(name: str) -> bool:
    p = PurePosixPath(name)
    return bool(name) and not p.is_absolute() and ".." not in p.parts and "\\" not in name


def extract_verified(
    archive: str | Path, into: Path, *, digest: str | None = None
) -> dict[str, Any]:
    """Extract `archive` into `into`, check every member against the manifest, return it.

    The archive must be authentic: its manifest's HMAC under the backup key matches, or
    `digest` — the SHA-256 that `backup` printed — equals the archive's SHA-256 (for an archive
    made under another key). A `digest` that does not match is refused whatever the HMAC says.
    Raises BackupError (Chinese) on any problem; nothing outside `into` is touched.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"备份文件不存在：{archive}")
    digest_ok = False
    if digest is not None:
        wanted = digest.strip().lower()
        actual = _sha256_file(archive)
        if not hmac.compare_digest(wanted, actual):
            raise BackupError(
                f"备份文件的 SHA-256（{actual}）与给出的摘要（{wanted[:64]}）不符，"
                "可能已被篡改或不是同一个文件，未做任何恢复。"
            )
        digest_ok = True
    signature: bytes | None = None
    seen: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    manifest_bytes: bytes | None = None
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                if member.isdir():
                    continue
                if not member.isfile() or not _safe_name(member.name):
                    problems.append(f"成员“{member.name}”不是普通文件或路径不安全")
                    continue
                if member.name in seen or (member.name == MANIFEST and manifest_bytes is not None):
                    problems.append(f"成员“{member.name}”重复出现")
                    continue
                source = tar.extractfile(member)
                if source is None:  # pragma: no cover - isfile() members always have data
                    continue
                if member.name == MANIFEST:
                    manifest_bytes = source.read()
                    continue
                if member.name == SIGNATURE:
                    if signature is not None:
                        problems.append(f"成员“{member.name}”重复出现")
                    signature = source.read(200)
                    continue
                target = into / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                reader = _HashingReader(source)
                with open(target, "wb") as out:
                    shutil.copyfileobj(reader, out, CHUNK)
                seen[member.name] = {"sha256": reader.digest.hexdigest(), "size": reader.size}
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"备份文件损坏或不是有效的 .tar.gz 备份：{exc}") from exc
    if problems:  # unsafe or duplicate members: refuse whatever the manifest says
        _refuse(problems)
    if manifest_bytes is None:
        raise BackupError("备份文件中没有清单（manifest.json），不是本系统的备份，未做任何恢复。")
    if not digest_ok:
        expected_signature = sign(manifest_bytes)
        given = (signature or b"").decode("ascii", "replace").strip()
        if not hmac.compare_digest(given, expected_signature):
            raise BackupError(
                "备份文件未通过认证（清单的 HMAC 与本系统的备份密钥不符）：可能已被篡改，"
                "或由另一个密钥生成（FAZHI_BACKUP_KEY）。如确认文件无误，请用 --digest 给出备份时"
                "输出的 SHA-256。未做任何恢复。"
            )
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
        expected = manifest["files"]
        if manifest.get("format") != FORMAT:
            raise ValueError("format")
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError("备份清单（manifest.json）无法识别，未做任何恢复。") from exc
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"备份格式版本 {manifest.get('version')} 不受支持（本系统为 {VERSION}）。"
        )
    for name, digest in sorted(expected.items()):
        got = seen.get(name)
        if got is None:
            problems.append(f"缺少成员“{name}”")
        elif got["sha256"] != digest.get("sha256") or got["size"] != digest.get("size"):
            problems.append(f"“{name}”的 SHA-256 与清单不符")
    for name in sorted(set(seen) - set(expected)):
        problems.append(f"多出清单中没有的成员“{name}”")
    if DATABASE not in expected:
        problems.append(f"清单中没有数据库文件“{DATABASE}”")
    if problems:
        _refuse(problems)
    return manifest


def _refuse(problems: list[str]) -> None:
    shown = "；".join(problems[:10])
    more = f"（另有{len(problems) - 10}处）" if len(problems) > 10 else ""
    raise BackupError(f"备份文件校验失败，可能已被篡改或损坏，未做任何恢复：{shown}{more}。")


def verify_archive(archive: str | Path, *, digest: str | None = None) -> dict[str, Any]:
    """Check an archive completely without restoring it; return its manifest."""
    with tempfile.TemporaryDirectory(prefix="fazhi-verify-") as tmp:
        return extract_verified(archive, Path(tmp), digest=digest)


# --- restore --------------------------------------------------------------------------------
def database_is_empty(using: str = DEFAULT_DB_ALIAS) -> bool:
    return not any(m._base_manager.using(using).exists() for m in dumped_models(using))


def _has_files(root: Path) -> bool:
    return any(True for _ in _attachment_files(root))


def _check_migrations(manifest: dict[str, Any], using: str) -> list[str]:
    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    unknown = [
        f"{app}.{name}"
        for app, names in manifest.get("migrations", {}).items()
        for name in names
        if (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            "备份来自较新版本的系统，含本系统没有的数据库迁移（"
            + "、".join(unknown[:5])
            + "），请先升级系统再恢复。未做任何恢复。"
        )
    ours = {(app, name) for app, name in known if app in manifest.get("migrations", {})}
    theirs = {(a, n) for a, names in manifest.get("migrations", {}).items() for n in names}
    newer = sorted(f"{a}.{n}" for a, n in ours - theirs)
    if newer:
        return [
            f"本系统比备份多 {len(newer)} 个数据库迁移，数据将按新结构载入：{'、'.join(newer[:5])}"
        ]
    return []


def restore_backup(
    archive: str | Path,
    *,
    flush: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    digest: str | None = None,
) -> RestoreInfo:
    """Verify `archive` completely, then restore the database and the attachments.

    The database must be empty (after `migrate`) and MEDIA_ROOT must hold no files, unless
    `flush`: then the database is flushed in the same transaction as the load and the current
    attachments directory is kept aside as <dir>.before-restore-<time>.
    """
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="fazhi-restore-") as tmp:
        work = Path(tmp)
        manifest = extract_verified(archive, work, digest=digest)
        warnings = _check_migrations(manifest, using)
        # verified: from here on we change things
        call_command("migrate", interactive=False, verbosity=0, database=using)
        if not flush:
            if not database_is_empty(using):
                raise BackupError(
                    "数据库不是空的：恢复会覆盖现有数据。请确认后加 --flush 清空数据库再恢复。未做任何恢复。"
                )
            if _has_files(media):
                raise BackupError(
                    f"附件目录 {media} 中已有文件。请确认后加 --flush（现有附件目录将被改名保留）。未做任何恢复。"
                )
        staged = work / "attachments"
        staged.mkdir(exist_ok=True)
        media.parent.mkdir(parents=True, exist_ok=True)
        staging = media.parent / f".{media.name}.restore-{os.getpid()}"
        if staging.exists():
            shutil.rmtree(staging)
        shutil.copytree(staged, staging)
        moved_aside: Path | None = None
        swapped = False
        try:
            with transaction.atomic(using=using):
                if flush:
                    call_command("flush", interactive=False, verbosity=0, database=using)
                ContentType.objects.clear_cache()
                call_command("loaddata", str(work / DATABASE), verbosity=0, database=using)
                chains_checked, evidence_problems = verify_restored_evidence(using)
                # the files go in place last, just before the rows commit
                if media.exists():
                    if _has_files(media):
                        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
                        moved_aside = media.parent / f"{media.name}.before-restore-{stamp}"
                        os.replace(media, moved_aside)
                    else:
                        shutil.rmtree(media)
                os.replace(staging, media)
                swapped = True
        except BaseException:
            if swapped:
                shutil.rmtree(media, ignore_errors=True)
            shutil.rmtree(staging, ignore_errors=True)
            if moved_aside is not None and not media.exists():
                os.replace(moved_aside, media)
            raise
        finally:
            ContentType.objects.clear_cache()
    files = sum(1 for name in manifest["files"] if name.startswith(ATTACHMENTS))
    rows = int(manifest.get("database", {}).get("rows", 0))
    return RestoreInfo(
        rows=rows,
        files=files,
        manifest=manifest,
        moved_aside=moved_aside,
        warnings=warnings,
        chains_checked=chains_checked,
        evidence_problems=evidence_problems,
    )
