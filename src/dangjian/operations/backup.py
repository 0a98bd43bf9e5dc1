"""Backups that restore: a consistent database snapshot, the media files and (only when asked)
the keys, in one file encrypted with a passphrase.

The file: MAGIC, a JSON header line (format, scrypt parameters, salt, nonce
prefix), then the tar archive in 1 MiB chunks, each sealed with AES-256-GCM
under a key derived from the passphrase (scrypt). Each chunk's nonce is the
prefix, its index and a last-chunk flag, so chunks cannot be reordered,
dropped or cut off without the restore noticing (the STREAM construction).

Inside the tar: manifest.json (when, from which database, the applied
migrations, every table's row count, whether keys are included),
database.sqlite3 (SQLite's online backup API: a consistent copy while the
platform writes) or database.pgdump (pg_dump's custom format, one snapshot),
media/ (the uploaded files), and keys.json if asked for.
"""

import base64
import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from dangjian.core.files import write_private

MAGIC = b"DANGJIAN-BACKUP\n"
FORMAT = 1
CHUNK = 1024 * 1024
SCRYPT = {"n": 2**15, "r": 8, "p": 1}


# Tables that shrink by design while the platform runs (acknowledged tasks, expired sessions).
SHRINKING = ("django_q_", "django_session", "axes_")


class BackupError(Exception):
    pass


# --- encryption -----------------------------------------------------------------------


def _key(passphrase: str, salt: bytes, params: dict) -> bytes:
    return Scrypt(salt=salt, length=32, n=params["n"], r=params["r"], p=params["p"]).derive(passphrase.encode())


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", index, 1 if last else 0)


def encrypt_file(source: Path, target: Path, passphrase: str) -> None:
    salt, prefix = os.urandom(16), os.urandom(7)
    aead = AESGCM(_key(passphrase, salt, SCRYPT))
    header = {"format": FORMAT, "kdf": "scrypt", **SCRYPT, "salt": base64.b64encode(salt).decode(),
              "nonce_prefix": base64.b64encode(prefix).decode(), "chunk": CHUNK}
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(source, "rb") as src, os.fdopen(fd, "wb") as out:
        out.write(MAGIC + json.dumps(header).encode() + b"\n")
        chunk, index = src.read(CHUNK), 0
        while True:
            following = src.read(CHUNK)
            last = not following
            sealed = aead.encrypt(_nonce(prefix, index, last), chunk, MAGIC)
            out.write(struct.pack(">I", len(sealed)) + sealed)
            if last:
                break
            chunk, index = following, index + 1


def decrypt_file(source: Path, target: Path, passphrase: str) -> None:
    with open(source, "rb") as src, open(target, "wb") as out:
        if src.read(len(MAGIC)) != MAGIC:
            raise BackupError("not a Dangjian backup file")
        header = json.loads(src.readline())
        if header.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {header.get('format')}")
        aead = AESGCM(_key(passphrase, base64.b64decode(header["salt"]), header))
        prefix = base64.b64decode(header["nonce_prefix"])
        index = 0
        while True:
            size = src.read(4)
            if len(size) < 4:
                raise BackupError("the backup file is cut short")
            sealed = src.read(struct.unpack(">I", size)[0])
            following = src.peek(1)[:1] if hasattr(src, "peek") else b""
            last = not following
            try:
                out.write(aead.decrypt(_nonce(prefix, index, last), sealed, MAGIC))
            except InvalidTag as exc:
                if index == 0:
                    raise BackupError("wrong passphrase, or the file was altered") from exc
                raise BackupError(f"the backup file was altered or cut short (chunk {index})") from exc
            if last:
                return
            index += 1


# --- what is in an installation ---------------------------------------------------------


def row_counts() -> dict[str, int]:
    """Every concrete model's row count, by table."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.db_table] = model._base_manager.using("default").count()
    return dict(sorted(counts.items()))


def applied_migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def current_keys() -> dict:
    keys = {"django_secret_key": settings.SECRET_KEY, "field_encryption_key": settings.FIELD_ENCRYPTION_KEY,
            "blind_index_key": settings.BLIND_INDEX_KEY, "audit_key": settings.AUDIT_KEY}
    for name in ("PREVIOUS_FIELD_ENCRYPTION_KEYS", "PREVIOUS_BLIND_INDEX_KEYS"):
        if getattr(settings, name, None):
            keys[name.lower()] = list(getattr(settings, name))
    return keys


# --- backup ----------------------------------------------------------------------------


def _pg_env(db: dict) -> dict:
    env = {**os.environ, "PGHOST": db.get("HOST") or "", "PGPORT": str(db.get("PORT") or ""),
           "PGUSER": db.get("USER") or "", "PGDATABASE": db["NAME"]}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return {k: v for k, v in env.items() if v != ""}


def _snapshot_database(workdir: Path) -> str:
    db = connections["default"].settings_dict
    if connection.vendor == "sqlite":
        target = workdir / "database.sqlite3"
        src = sqlite3.connect(str(db["NAME"]))
        dst = sqlite3.connect(str(target))
        try:
            with dst:
                src.backup(dst)  # online: one read snapshot, other processes keep writing (WAL)
        finally:
            dst.close()
            src.close()
        return target.name
    if connection.vendor == "postgresql":
        target = workdir / "database.pgdump"
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)],
                       env=_pg_env(db), check=True, capture_output=True)
        return target.name
    raise BackupError(f"cannot back up a {connection.vendor} database")


@dataclass
class BackupResult:
    path: Path
    size: int
    rows: int
    files: int
    keys: bool


def backup_create(*, directory: Path, passphrase: str, include_keys: bool = False) -> BackupResult:
    if len(passphrase) < 12:
        raise BackupError("the passphrase must have at least 12 characters")
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    final = directory / f"dangjian-{stamp}.backup"
    with tempfile.TemporaryDirectory(dir=directory, prefix=".backup-") as tmp:
        work = Path(tmp)
        counts = row_counts()  # before the snapshot: a restore may only have more rows, never fewer
        database = _snapshot_database(work)
        manifest = {
            "format": FORMAT, "created_at": timezone.now().isoformat(), "vendor": connection.vendor,
            "database": database, "migrations": applied_migrations(), "rows": counts,
            "keys_included": include_keys,
            "key_fingerprints": {k: fingerprint(v) for k, v in current_keys().items() if isinstance(v, str)},
        }
        archive = work / "backup.tar"
        files = 0
        with tarfile.open(archive, "w") as tar:
            _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=2).encode())
            tar.add(work / database, arcname=database)
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                for path in sorted(media.rglob("*")):
                    if path.is_file():
                        tar.add(path, arcname=f"media/{path.relative_to(media)}")
                        files += 1
            if include_keys:
                _add_bytes(tar, "keys.json", json.dumps(current_keys(), indent=2).encode())
        encrypt_file(archive, final, passphrase)
    return BackupResult(final, final.stat().st_size, sum(counts.values()), files, include_keys)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(dt.datetime.now().timestamp()), 0o600
    tar.addfile(info, io.BytesIO(data))


def fingerprint(key: str) -> str:
    import hashlib

    return hashlib.sha256(key.encode()).hexdigest()[:16]


# --- restore ---------------------------------------------------------------------------


@dataclass
class RestoreResult:
    manifest: dict
    rows: dict[str, int]
    files: int
    keys_written: Path | None
    mismatched: dict[str, tuple[int, int]]


def _restore_database(work: Path, manifest: dict) -> None:
    db = connections["default"].settings_dict
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"this backup is of a {manifest['vendor']} database; this installation uses {connection.vendor}")
    connections.close_all()
    if connection.vendor == "sqlite":
        src = sqlite3.connect(str(work / manifest["database"]))
        dst = sqlite3.connect(str(db["NAME"]), timeout=30)
        try:
            src.backup(dst)  # replaces the whole database, in one step
        finally:
            dst.close()
            src.close()
        return
    subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                    "--exit-on-error", "--dbname", db["NAME"], str(work / manifest["database"])],
                   env=_pg_env(db), check=True, capture_output=True)


def backup_restore(*, path: Path, passphrase: str, keys_file: Path | None = None) -> RestoreResult:
    """Bring a backup into this installation: database, media files and, if the backup holds them, the keys
    (written to `keys_file`, by default var/secrets.json, the old one kept beside it)."""
    with tempfile.TemporaryDirectory(prefix="dangjian-restore-") as tmp:
        work = Path(tmp)
        archive = work / "backup.tar"
        decrypt_file(path, archive, passphrase)
        with tarfile.open(archive) as tar:
            tar.extractall(work / "content", filter="data")
        content = work / "content"
        manifest = json.loads((content / "manifest.json").read_text())
        _restore_database(content, manifest)
        files = 0
        media_src = content / "media"
        if media_src.exists():
            media = Path(settings.MEDIA_ROOT)
            for path_ in media_src.rglob("*"):
                if path_.is_file():
                    dest = media / path_.relative_to(media_src)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path_, dest)
                    files += 1
        written = None
        if (content / "keys.json").exists():
            written = keys_file or Path(settings.VAR_DIR) / "secrets.json"
            if written.exists():
                shutil.copy2(written, written.with_name(written.name + ".before-restore"))
            write_private(written, (content / "keys.json").read_text())
    rows = row_counts()
    mismatched = {t: (n, rows.get(t, 0)) for t, n in manifest["rows"].items()
                  if rows.get(t, 0) < n and not t.startswith(SHRINKING)}
    return RestoreResult(manifest, rows, files, written, mismatched)
