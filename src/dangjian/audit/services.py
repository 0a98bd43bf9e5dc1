"""Writing to and verifying the audit log's hash chain.

Each entry's hash is an HMAC-SHA256 under the audit key (settings.AUDIT_KEY,
kept with the other secrets, never in the database) over the entry and the
previous hash: someone who can write to the database but does not hold the key
cannot delete or alter an entry and re-hash the rest. The newest head is also
anchored outside the database (dangjian.audit.anchor), so that cutting off the
newest entries is detected as well.
"""

import base64
import functools
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.audit import anchor
from dangjian.audit.models import Action, AuditEntry, AuditHead
from dangjian.core.middleware import current_client_ip

GENESIS = "0" * 64
REDACTED = "••••"
# 0: plain SHA-256 (entries from before the chain was keyed); 1: HMAC-SHA256.
KEY_VERSION = 1


@functools.cache
def _key(encoded: str) -> bytes:
    return base64.b64decode(encoded)


def _canonical(entry: AuditEntry) -> bytes:
    body = {
        "at": entry.at.isoformat(),
        "actor": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "target_repr": entry.target_repr,
        "org_path": entry.org_path,
        "changes": entry.changes,
        "ip": entry.ip,
        "prev": entry.prev_hash,
    }
    if entry.key_version:
        body["v"] = entry.key_version
    return json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode()


def entry_hash(entry: AuditEntry) -> str:
    """The hash entry must carry, by the method its key_version names."""
    if entry.key_version == 0:
        return hashlib.sha256(_canonical(entry)).hexdigest()
    if entry.key_version != KEY_VERSION:
        raise ValueError(f"unknown audit key version {entry.key_version}")
    return hmac.new(_key(settings.AUDIT_KEY), _canonical(entry), "sha256").hexdigest()


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def diff(
    before: Mapping | None, after: Mapping | None, *, sensitive: Iterable[str] = ()
) -> dict:
    """{field: [before, after]} for what changed; sensitive values are never stored."""
    before, after = before or {}, after or {}
    sensitive = set(sensitive)
    out = {}
    for key in sorted(set(before) | set(after)):
        old, new = _plain(before.get(key)), _plain(after.get(key))
        if old == new:
            continue
        if key in sensitive:
            old = REDACTED if old else old
            new = REDACTED if new else new
        out[key] = [old, new]
    return out


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    org=None,
    changes: dict | None = None,
    target_repr: str | None = None,
) -> AuditEntry:
    """Append one entry. Call inside the transaction of the write it records."""
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1, defaults={"last_hash": GENESIS})
        entry = AuditEntry(
            at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_name=(actor.get_username() if getattr(actor, "pk", None) else str(actor or "")),
            action=action,
            target_type=target._meta.label if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            target_repr=(target_repr if target_repr is not None else str(target or ""))[:200],
            org_path=getattr(org, "path", "") or "",
            changes=changes or {},
            ip=current_client_ip(),
            prev_hash=head.last_hash,
            key_version=KEY_VERSION,
        )
        entry.hash = entry_hash(entry)
        entry.save()
        head.last_hash = entry.hash
        head.count += 1
        AuditHead.objects.filter(pk=1).update(last_hash=entry.hash, count=head.count)
        anchor.anchor_on_commit(entry_id=entry.pk, entry_hash=entry.hash, count=head.count)
        return entry


@dataclass
class ChainReport:
    checked: int
    broken_at: int | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        # A reason without a row: every entry was deleted and only the head remembers them.
        return self.broken_at is None and not self.reason


def audit_verify(*, batch: int = 5000) -> ChainReport:
    """Walk the chain in id order; the first row whose hash or link fails breaks it.

    Unkeyed entries are accepted only before the first keyed one (the era of the
    chain before it had a key); the checkpoint outside the database must name an
    entry of the chain, with the same hash and as many entries up to it as it
    counts; the head must name the last entry and count every entry.
    """
    checkpoint = anchor.read_checkpoint()
    if checkpoint is anchor.FORGED:
        return ChainReport(0, None, _("the checkpoint outside the database is not signed with the audit key"))
    pinned = checkpoint is None
    prev = GENESIS
    checked = 0
    last_id = None  # not 0: a row written with an id of 0 or below must not escape the walk
    keyed = False
    while True:
        rows = AuditEntry.objects.order_by("id")
        rows = list((rows if last_id is None else rows.filter(id__gt=last_id))[:batch])
        if not rows:
            break
        for entry in rows:
            checked += 1
            if entry.prev_hash != prev:
                return ChainReport(checked, entry.id, _("link to the previous entry does not match"))
            if entry.key_version == 0 and keyed:
                return ChainReport(checked, entry.id, _("an unkeyed entry follows keyed ones"))
            try:
                valid = hmac.compare_digest(entry_hash(entry), entry.hash)
            except ValueError:
                valid = False
            if not valid:
                return ChainReport(checked, entry.id, _("content does not match its hash"))
            keyed = keyed or entry.key_version > 0
            if not pinned and entry.id >= checkpoint.entry_id:
                # The checkpoint names its entry, its hash and the head's count then: as many entries up to it.
                if (entry.id, entry.hash, checked) != (checkpoint.entry_id, checkpoint.entry_hash, checkpoint.count):
                    return ChainReport(checked, entry.id, _("the chain differs from the checkpoint kept outside the database"))
                pinned = True
            prev = entry.hash
            last_id = entry.id
    if not pinned:
        return ChainReport(checked, last_id, _("entries up to the checkpoint kept outside the database were removed"))
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        # The head is made with the first entry and never deleted.
        return ChainReport(checked, None, _("the head of the chain was removed") if checked else "")
    if head.last_hash != prev:
        return ChainReport(checked, last_id, _("entries after the last one were removed"))
    if head.count != checked:
        # Each append adds one to the count under the head's lock, in the same transaction as its entry.
        return ChainReport(checked, None, _("the head counts %(head)d entries, the chain holds %(chain)d")
                           % {"head": head.count, "chain": checked})
    return ChainReport(checked, None)


__all__ = ["Action", "audit_record", "audit_verify", "diff", "REDACTED"]
