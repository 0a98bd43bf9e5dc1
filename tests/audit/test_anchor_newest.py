"""The checkpoint names the newest entry a transaction appended, read with the head's count under its lock."""

import pytest
from django.db import transaction

from dangjian.audit import anchor
from dangjian.audit.models import Action, AuditEntry, AuditHead
from dangjian.audit.services import audit_record, audit_verify

pytestmark = pytest.mark.django_db(transaction=True)  # real commits: the checkpoint is written on commit


def _append(tree, n):
    return audit_record(actor="test", action=Action.UPDATE, target=tree["branch_a"], changes={"n": [n, n + 1]})


def test_each_commit_checkpoints_its_newest_entry_and_the_head_count(tree):
    first = _append(tree, 1)
    assert anchor.read_checkpoint() == anchor.Checkpoint(first.pk, first.hash, AuditHead.objects.get().count)
    with transaction.atomic():
        _append(tree, 2)
        last = _append(tree, 3)
        assert anchor.read_checkpoint().entry_id == first.pk  # not before the commit
    assert anchor.read_checkpoint() == anchor.Checkpoint(last.pk, last.hash, AuditHead.objects.get().count)
    assert audit_verify().ok


def test_an_entry_rolled_back_in_a_savepoint_is_never_checkpointed(tree):
    with transaction.atomic():
        kept = _append(tree, 1)
        try:
            with transaction.atomic():
                _append(tree, 2)
                raise RuntimeError("the write it recorded failed")
        except RuntimeError:
            pass
    assert AuditEntry.objects.filter(pk__gt=kept.pk).count() == 0
    assert anchor.read_checkpoint() == anchor.Checkpoint(kept.pk, kept.hash, AuditHead.objects.get().count)
    assert audit_verify().ok


def test_a_rolled_back_transaction_leaves_nothing_for_the_next(tree):
    first = _append(tree, 1)
    try:
        with transaction.atomic():
            _append(tree, 2)
            raise RuntimeError
    except RuntimeError:
        pass
    second = _append(tree, 3)
    assert anchor.read_checkpoint() == anchor.Checkpoint(second.pk, second.hash, AuditHead.objects.get().count)
    assert second.pk > first.pk and audit_verify().ok
