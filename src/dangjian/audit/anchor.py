"""The audit chain's head, anchored outside the database.

After each append commits, the newest (entry id, hash) is written to a
checkpoint file signed with the audit key (settings.AUDIT_CHECKPOINT_DIR, under
var/ by default, one file per database) and logged on the "dangjian.audit.anchor"
logger, which an installation sends to the system log. Someone who can write to
the database but holds neither the key nor the file cannot cut off the newest
entries unnoticed: audit_verify finds the checkpointed entry missing.
"""

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from dangjian.core.files import locked, write_private

logger = logging.getLogger("dangjian.audit.anchor")

FORGED = object()


@dataclass(frozen=True)
class Checkpoint:
    entry_id: int
    entry_hash: str
    count: int


def checkpoint_path() -> Path:
    """One file per database, so two databases sharing a var/ do not mix."""
    db = connection.settings_dict
    slug = hashlib.sha256(f"{db['ENGINE']}|{db.get('HOST', '')}|{db.get('PORT', '')}|{db['NAME']}".encode()).hexdigest()
    return Path(settings.AUDIT_CHECKPOINT_DIR) / f"audit-checkpoint-{slug[:16]}.json"


def _signature(body: dict) -> str:
    from dangjian.audit.services import _key

    payload = json.dumps(body, sort_keys=True).encode()
    return hmac.new(_key(settings.AUDIT_KEY), b"checkpoint|" + payload, "sha256").hexdigest()


def read_checkpoint():
    """The checkpoint, None when there is none yet, FORGED when its signature fails."""
    path = checkpoint_path()
    try:
        raw = json.loads(path.read_text())
        body = {k: raw[k] for k in ("entry_id", "entry_hash", "count")}
        signature = raw["signature"]
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):
        return FORGED
    if not hmac.compare_digest(_signature(body), str(signature)):
        return FORGED
    return Checkpoint(int(body["entry_id"]), str(body["entry_hash"]), int(body["count"]))


def write_checkpoint(*, entry_id: int, entry_hash: str, count: int) -> None:
    """Move the checkpoint forward (never back: appends of several processes commit in any order)."""
    path = checkpoint_path()
    with locked(path):
        current = read_checkpoint()
        if isinstance(current, Checkpoint) and current.entry_id >= entry_id:
            return
        body = {"entry_id": entry_id, "entry_hash": entry_hash, "count": count}
        write_private(path, json.dumps({**body, "signature": _signature(body)}))
    logger.info("audit head entry=%s hash=%s count=%s", entry_id, entry_hash, count)


def _write_newest() -> None:
    """After a commit: checkpoint the newest entry this transaction appended (one write per
    transaction, however many entries it appended).

    Appends are serialised by the head row's lock, so the entry and the head's count were read
    together; another process's later entries are checkpointed by its own commit (the checkpoint
    never moves back). Only if that entry is not there (appended in a savepoint rolled back
    later) is the newest committed entry looked up instead."""
    from dangjian.audit.models import AuditEntry, AuditHead

    connection_ = transaction.get_connection()
    newest = getattr(connection_, PENDING, None)
    setattr(connection_, PENDING, None)
    if newest is None or not AuditEntry.objects.filter(pk=newest.entry_id, hash=newest.entry_hash).exists():
        # Under the head's lock, so that no append commits between reading the count and the newest
        # entry: audit_verify checks that the checkpoint's count is the number of entries up to it.
        with transaction.atomic():
            head = AuditHead.objects.select_for_update().filter(pk=1).values_list("count", flat=True).first() or 0
            row = AuditEntry.objects.order_by("-id").values_list("id", "hash").first()
        if row is None:
            return
        newest = Checkpoint(row[0], row[1], head)
    try:
        write_checkpoint(entry_id=newest.entry_id, entry_hash=newest.entry_hash, count=newest.count)
    except OSError:
        # The write is committed; a checkpoint that lags is caught up by the next append.
        logger.exception("could not write the audit checkpoint %s", checkpoint_path())


PENDING = "_dangjian_audit_newest"  # on the connection (one per thread): the newest entry of the open transaction


def anchor_on_commit(*, entry_id: int, entry_hash: str, count: int) -> None:
    """Checkpoint this entry once the current transaction commits (a later append of the same
    transaction replaces it)."""
    connection_ = transaction.get_connection()
    setattr(connection_, PENDING, Checkpoint(entry_id, entry_hash, count))
    if not any(callback is _write_newest for _sids, callback, *_rest in connection_.run_on_commit):
        transaction.on_commit(_write_newest)
