"""Tampering with the audit log, field by field, row by row: `audit_verify` must notice every edit.

The fields are not listed here: every stored field of an entry except its id
and its own hash is sealed by the hash (or, for `prev_hash`, by the link), so
the test walks `AuditEntry._meta` and edits each one behind the ORM's back (a
plain QuerySet: the model's manager refuses updates and deletes). When the
chain gains a key or an outside anchor, these tests keep asking the same
question through the command.
"""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from dangjian.audit import anchor
from dangjian.audit.models import Action, AuditEntry, AuditHead
from dangjian.audit.services import audit_record, audit_verify
from tests.factories import UserFactory

UNSEALED = {"id", "hash"}
SEALED_FIELDS = [f for f in AuditEntry._meta.concrete_fields if f.name not in UNSEALED]


def raw(model=AuditEntry) -> models.QuerySet:
    """The table without the append-only manager: what someone with database access can do."""
    return models.QuerySet(model=model)


def other_value(entry: AuditEntry, field: models.Field, someone_else):
    """A value of the field's type that differs from the entry's."""
    current = getattr(entry, field.attname)
    if isinstance(field, models.DateTimeField):
        return current + dt.timedelta(seconds=1)
    if isinstance(field, models.ForeignKey):
        return someone_else.pk if current != someone_else.pk else None
    if isinstance(field, models.JSONField):
        return {**current, "forged": [0, 1]}
    if isinstance(field, models.GenericIPAddressField):
        return "10.9.8.7" if current != "10.9.8.7" else "10.9.8.6"
    if isinstance(field, models.IntegerField):
        return current + 1
    if isinstance(field, (models.CharField, models.TextField)):
        return (current or "") + "x" if len(current or "") < field.max_length else current[:-1]
    raise AssertionError(f"no tampered value for {field.name} ({type(field).__name__}): extend this test")


@pytest.fixture
def entries(tree, officer):
    for i in range(5):
        audit_record(actor=officer, action=Action.UPDATE, target=tree["branch_a"], org=tree["branch_a"],
                     changes={"name": [f"old{i}", f"new{i}"], "secretary": [None, i]})
    rows = list(AuditEntry.objects.order_by("id"))
    assert audit_verify().ok
    return rows


@pytest.fixture
def someone_else(db):
    return UserFactory(username="mallory")


def assert_broken(expected_id: int | None = None) -> None:
    report = audit_verify()
    assert not report.ok
    if expected_id is not None:
        assert report.broken_at == expected_id
    with pytest.raises(CommandError, match="审计日志已被篡改"):
        call_command("audit_verify")


def test_the_sealed_fields_are_every_field_but_id_and_hash():
    # A new column on AuditEntry lands in SEALED_FIELDS and is tampered with below.
    assert {f.name for f in SEALED_FIELDS} >= {
        "at", "actor", "actor_name", "action", "target_type", "target_id", "target_repr", "org_path",
        "changes", "ip", "prev_hash",
    }


@pytest.mark.parametrize("position", ["first", "middle", "last"])
@pytest.mark.parametrize("field", SEALED_FIELDS, ids=lambda f: f.name)
def test_editing_any_sealed_field_of_any_row_is_detected(entries, someone_else, field, position):
    victim = {"first": entries[0], "middle": entries[2], "last": entries[-1]}[position]
    raw().filter(pk=victim.pk).update(**{field.attname: other_value(victim, field, someone_else)})
    assert_broken(victim.pk)


@pytest.mark.parametrize("position", [0, 2, 4], ids=["first", "middle", "last"])
def test_replacing_a_rows_hash_is_detected(entries, position):
    raw().filter(pk=entries[position].pk).update(hash="f" * 64)
    assert_broken(entries[position].pk)


@pytest.mark.parametrize("position", [0, 2, 4], ids=["first", "middle", "last"])
def test_deleting_any_row_is_detected(entries, position):
    raw().filter(pk=entries[position].pk).delete()
    assert_broken(entries[position + 1].pk if position < 4 else None)


def test_deleting_every_row_is_detected(entries):
    raw().all().delete()
    assert_broken()


def test_swapping_two_rows_is_detected(entries):
    a, b = entries[1], entries[2]
    values = {f.attname: getattr(a, f.attname) for f in AuditEntry._meta.concrete_fields if f.name != "id"}
    others = {f.attname: getattr(b, f.attname) for f in AuditEntry._meta.concrete_fields if f.name != "id"}
    raw().filter(pk=a.pk).update(hash="0" * 64)  # the hash is unique: make room first
    raw().filter(pk=b.pk).update(**values)
    raw().filter(pk=a.pk).update(**others)
    assert_broken(a.pk)


def test_moving_the_newest_row_to_the_front_is_detected(entries):
    newest = entries[-1]
    raw().filter(pk=newest.pk).update(at=entries[0].at - dt.timedelta(days=1))
    assert_broken(newest.pk)


@pytest.mark.parametrize("new_id", [0, -1])
def test_renumbering_the_newest_row_to_the_front_is_detected(entries, new_id):
    # The walk goes by id: a row moved before the first no longer links to the genesis (ids 0 and
    # below included: the walk starts below any id).
    raw().filter(pk=entries[-1].pk).update(id=new_id)
    assert_broken(new_id)


def test_a_row_slipped_in_below_the_first_id_is_detected(entries, someone_else):
    forged = {f.attname: getattr(entries[0], f.attname) for f in AuditEntry._meta.concrete_fields if f.name != "id"}
    raw().bulk_create([AuditEntry(**{**forged, "id": -5, "actor_name": "mallory", "hash": "a" * 64})])
    assert_broken(-5)


def test_renumbering_every_row_in_reverse_is_detected(entries):
    ids = [e.pk for e in entries]
    offset = max(ids) + 100
    for entry in entries:  # out of the way first: ids are unique
        raw().filter(pk=entry.pk).update(id=entry.pk + offset)
    for entry, new_id in zip(entries, reversed(ids), strict=True):
        raw().filter(pk=entry.pk + offset).update(id=new_id)
    assert_broken(ids[0])


HEAD_TAMPERING = {
    "last_hash": {"last_hash": "e" * 64},
    "count+1": {"count": 6},
    "count-1": {"count": 4},
    "count=0": {"count": 0},
}


@pytest.mark.parametrize("change", HEAD_TAMPERING.values(), ids=HEAD_TAMPERING.keys())
def test_tampering_with_the_head_is_detected(entries, change):
    assert (AuditHead.objects.get(pk=1).last_hash, AuditHead.objects.get(pk=1).count) == (entries[-1].hash, 5)
    raw(AuditHead).filter(pk=1).update(**change)
    assert_broken()


def test_every_field_of_the_head_is_tampered_with_above():
    # A new column on AuditHead must get its own case in HEAD_TAMPERING.
    fields = {f.name for f in AuditHead._meta.concrete_fields if f.name != "id"}
    assert fields == {key for change in HEAD_TAMPERING.values() for key in change}


def test_a_bumped_head_count_is_named_in_the_report(entries):
    raw(AuditHead).filter(pk=1).update(count=6)
    report = audit_verify()
    assert (report.checked, report.broken_at) == (5, None)
    with pytest.raises(CommandError, match="链头记录 6 条，哈希链实有 5 条"):
        call_command("audit_verify")


def test_deleting_the_head_is_detected(entries):
    raw(AuditHead).all().delete()
    assert_broken()
    with pytest.raises(CommandError, match="链头已被删除"):
        call_command("audit_verify")


def test_deleting_the_last_row_and_moving_only_the_heads_hash_back_is_detected(entries):
    raw().filter(pk=entries[-1].pk).delete()
    raw(AuditHead).filter(pk=1).update(last_hash=entries[-2].hash)
    assert_broken()


@pytest.mark.xfail(strict=True, reason="the head lives in the same database as the rows: only the checkpoint "
                   "outside sees it (tests/audit/test_keyed_chain.py, with real commits)")
def test_truncating_the_tail_and_moving_the_head_back_is_detected(entries):
    """Delete the newest row and point the head at the new last one, count and all."""
    raw().filter(pk=entries[-1].pk).delete()
    raw(AuditHead).filter(pk=1).update(last_hash=entries[-2].hash, count=4)
    assert_broken()


# --- the checkpoint outside the database (written here directly: these tests do not commit) ---

@pytest.mark.parametrize("shift", [-1, 1])
def test_a_checkpoint_whose_count_differs_from_the_chain_is_detected(entries, shift):
    anchor.write_checkpoint(entry_id=entries[2].pk, entry_hash=entries[2].hash, count=3)
    assert audit_verify().ok
    anchor.checkpoint_path().unlink()
    anchor.write_checkpoint(entry_id=entries[2].pk, entry_hash=entries[2].hash, count=3 + shift)
    report = audit_verify()
    assert not report.ok and report.broken_at == entries[2].pk and "检查点" in str(report.reason)


def test_a_checkpoint_naming_another_hash_or_an_entry_past_the_last_is_detected(entries):
    anchor.write_checkpoint(entry_id=entries[2].pk, entry_hash=entries[3].hash, count=3)
    report = audit_verify()
    assert not report.ok and report.broken_at == entries[2].pk and "检查点" in str(report.reason)
    anchor.checkpoint_path().unlink()
    anchor.write_checkpoint(entry_id=entries[-1].pk + 1, entry_hash=entries[-1].hash, count=6)
    report = audit_verify()
    assert not report.ok and report.broken_at == entries[-1].pk and "检查点" in str(report.reason)


def test_a_forged_checkpoint_is_refused_before_any_entry_is_read(entries):
    anchor.checkpoint_path().parent.mkdir(parents=True, exist_ok=True)
    anchor.checkpoint_path().write_text('{"entry_id": 1, "entry_hash": "x", "count": 1, "signature": "forged"}')
    report = audit_verify()
    assert (report.checked, report.broken_at) == (0, None) and "审计密钥" in str(report.reason)


def test_the_hashed_body_is_serialised_with_sorted_keys(entries):
    # Hashes already stored depend on this exact form: the keys in sorted order, whatever order the code lists them.
    import json

    from dangjian.audit.services import _canonical

    body = json.loads(_canonical(entries[0]))
    assert list(body) == sorted(body) and len(body) == 12
