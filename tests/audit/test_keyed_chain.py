"""Issue 16 #8: the chain is keyed and its head anchored outside the database.

The attacker here can run SQL and knows the code, but holds neither the audit
key nor the checkpoint file: deleting entries and re-hashing the rest, or
cutting off the newest entries and moving the head back, must be detected.
"""

import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from dangjian.audit import anchor
from dangjian.audit.models import Action, AuditEntry, AuditHead
from dangjian.audit.services import GENESIS, _canonical, audit_record, audit_verify

# Real commits: the checkpoint is written when an append commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def entries(tree, officer):
    for i in range(5):
        audit_record(actor=officer, action=Action.UPDATE, target=tree["branch_a"], org=tree["branch_a"],
                     changes={"name": [f"old{i}", f"new{i}"]})
    with transaction.atomic():  # several appends in one transaction: one checkpoint, at commit
        audit_record(actor=officer, action=Action.UPDATE, target=tree["branch_a"], changes={"n": [1, 2]})
        assert anchor.read_checkpoint().entry_id == AuditEntry.objects.order_by("id")[4].id
        audit_record(actor=officer, action=Action.UPDATE, target=tree["branch_a"], changes={"n": [2, 3]})
    rows = list(AuditEntry.objects.order_by("id"))
    assert [e.action for e in rows].count(Action.UPDATE) == len(rows)
    return rows


def _rehash_unkeyed(rows, prev):
    """What an attacker without the key can do: the published algorithm, plain SHA-256."""
    for entry in rows:
        entry.prev_hash = prev
        entry.key_version = 0
        entry.hash = hashlib.sha256(_canonical(entry)).hexdigest()
        with connection.cursor() as cur:
            cur.execute("UPDATE audit_auditentry SET prev_hash=%s, hash=%s, key_version=0 WHERE id=%s",
                        [entry.prev_hash, entry.hash, entry.id])
        prev = entry.hash
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_audithead SET last_hash=%s, count=%s WHERE id=1", [prev, len(rows)])
    return prev


def _delete(*ids):
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM audit_auditentry WHERE id IN ({','.join(['%s'] * len(ids))})", list(ids))


def test_deleting_a_middle_entry_and_rehashing_the_rest_is_detected(entries):
    _delete(entries[2].id)
    _rehash_unkeyed(entries[3:], entries[1].hash)
    report = audit_verify()
    assert not report.ok and report.broken_at == entries[3].id
    with pytest.raises(CommandError):
        call_command("audit_verify")


def test_rewriting_the_whole_chain_without_the_key_is_detected(entries):
    # Every entry re-hashed as if from before the key: only the checkpoint outside the database knows.
    _delete(entries[2].id)
    _rehash_unkeyed([e for e in entries if e.id != entries[2].id], GENESIS)
    report = audit_verify()
    assert not report.ok
    assert "检查点" in str(report.reason)


def test_cutting_off_the_newest_entries_and_moving_the_head_back_is_detected(entries):
    _delete(entries[-1].id, entries[-2].id)
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_audithead SET last_hash=%s, count=%s WHERE id=1", [entries[-3].hash, 4])
    report = audit_verify()
    assert not report.ok
    with pytest.raises(CommandError, match="检查点"):
        call_command("audit_verify")


def test_a_checkpoint_not_signed_with_the_key_is_refused(entries):
    path = anchor.checkpoint_path()
    forged = json.loads(path.read_text())
    forged.update(entry_id=entries[-3].id, entry_hash=entries[-3].hash)
    path.write_text(json.dumps(forged))
    assert not audit_verify().ok
    with pytest.raises(CommandError, match="审计密钥"):
        call_command("audit_verify")


def test_the_checkpoint_follows_the_head_and_is_private(entries):
    checkpoint = anchor.read_checkpoint()
    assert (checkpoint.entry_id, checkpoint.entry_hash) == (entries[-1].id, entries[-1].hash)
    assert anchor.checkpoint_path().stat().st_mode & 0o777 == 0o600
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "7 条记录" in out.getvalue()


def test_a_chain_from_before_the_key_still_verifies_and_is_sealed_by_the_first_keyed_entry(tree, officer):
    # Two entries written by the unkeyed code (migrated rows carry key_version 0).
    for i in range(2):
        audit_record(actor=officer, action=Action.UPDATE, target=tree["branch_a"], changes={"n": [i, i + 1]})
    legacy = list(AuditEntry.objects.order_by("id"))
    _rehash_unkeyed(legacy, GENESIS)
    AuditHead.objects.filter(pk=1).first()  # the head now names the last legacy hash
    audit_record(actor=officer, action=Action.UPDATE, target=tree["branch_a"], changes={"n": [2, 3]})
    newest = AuditEntry.objects.order_by("-id").first()
    assert newest.key_version == 1 and newest.prev_hash == legacy[-1].hash
    assert audit_verify().ok
    # A legacy entry changed and re-hashed: the keyed entry's link no longer matches.
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditentry SET actor_name='x' WHERE id=%s", [legacy[0].id])
    legacy[0].actor_name = "x"
    _rehash_unkeyed(legacy, GENESIS)
    assert audit_verify().broken_at == newest.id
