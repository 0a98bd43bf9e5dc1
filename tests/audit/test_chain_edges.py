"""The audit chain at its edges (mutation testing, docs/testing.md): what an entry records, how a
change is stored, and the walk over many batches.

Expected values are read off the inputs by hand (the username, the org's path, an ISO date);
the hash itself is judged by what it must do: verify under the audit key, fail under another.
"""

import base64
import datetime as dt

import pytest

from dangjian.audit.models import Action, AuditEntry, AuditHead
from dangjian.audit.services import GENESIS, REDACTED, audit_record, audit_verify, diff
from dangjian.orgs.models import Org

# --- diff: {field: [before, after]} of what changed ------------------------------------------

def test_diff_of_a_creation_and_a_deletion_and_of_nothing():
    assert diff(None, {"name": "甲", "size": 3}) == {"name": [None, "甲"], "size": [None, 3]}
    assert diff({"name": "甲"}, None) == {"name": ["甲", None]}
    assert diff(None, None) == {} and diff({"a": 1}, {"a": 1}) == {}


def test_diff_keeps_only_what_changed_in_field_order():
    changes = diff({"b": 1, "a": 1, "c": "x"}, {"b": 2, "a": 1, "c": "y", "d": 0})
    assert list(changes) == ["b", "c", "d"]
    assert changes == {"b": [1, 2], "c": ["x", "y"], "d": [None, 0]}


def test_diff_stores_dates_as_iso_text_and_sequences_as_lists():
    changes = diff({"on": dt.date(2024, 1, 2), "tags": ("a", "b"), "same": ["x"]},
                   {"on": dt.date(2024, 1, 3), "tags": {"c"}, "same": ("x",)})
    assert changes == {"on": ["2024-01-02", "2024-01-03"], "tags": [["a", "b"], ["c"]]}
    at = dt.datetime(2024, 5, 6, 7, 8, 9)
    assert diff({"at": None}, {"at": at}) == {"at": [None, "2024-05-06T07:08:09"]}


def test_diff_stores_a_record_by_its_id(tree):
    a, b = tree["branch_a"], tree["branch_b"]
    assert diff({"org": a}, {"org": b}) == {"org": [a.pk, b.pk]}
    assert diff({"org": a}, {"org": Org.objects.get(pk=a.pk)}) == {}
    assert diff({"orgs": [a]}, {"orgs": [a, b]}) == {"orgs": [[a.pk], [a.pk, b.pk]]}


def test_diff_masks_sensitive_values_but_shows_that_one_was_set_or_cleared():
    assert diff({"id_number": ""}, {"id_number": "11010519491231002X"}, sensitive=["id_number"]) == {
        "id_number": ["", REDACTED]}
    assert diff({"id_number": "11010519491231002X"}, {"id_number": None}, sensitive=("id_number",)) == {
        "id_number": [REDACTED, None]}
    assert diff({"id_number": "1", "phone": "2"}, {"id_number": "3", "phone": "4"}, sensitive={"id_number"}) == {
        "id_number": [REDACTED, REDACTED], "phone": ["2", "4"]}


# --- audit_record: what an entry holds --------------------------------------------------------

def test_an_entry_records_who_what_where(tree, officer):
    org = tree["branch_a"]
    entry = audit_record(actor=officer, action=Action.UPDATE, target=org, org=tree["community"],
                         changes={"name": ["甲", "乙"]})
    entry.refresh_from_db()
    assert (entry.actor_id, entry.actor_name) == (officer.pk, officer.get_username())
    assert (entry.target_type, entry.target_id, entry.target_repr) == ("orgs.Org", str(org.pk), str(org))
    assert entry.org_path == tree["community"].path
    assert entry.changes == {"name": ["甲", "乙"]}
    assert entry.action == Action.UPDATE and entry.key_version == 1
    assert entry.prev_hash == GENESIS and len(entry.hash) == 64 and entry.hash != GENESIS


def test_an_entry_without_a_user_target_org_or_changes(db):
    by_system = audit_record(actor="system", action=Action.UPDATE)
    by_nobody = audit_record(actor=None, action=Action.UPDATE)
    for entry, name in ((by_system, "system"), (by_nobody, "")):
        entry.refresh_from_db()
        assert entry.actor_id is None and entry.actor_name == name
        assert (entry.target_type, entry.target_id, entry.target_repr, entry.org_path) == ("", "", "", "")
        assert entry.changes == {}
    assert audit_verify().ok


def test_the_target_as_named_by_the_caller_cut_to_200_characters(tree, officer):
    org = tree["branch_a"]
    named = audit_record(actor=officer, action=Action.UPDATE, target=org, target_repr="张建国（已删除）")
    blank = audit_record(actor=officer, action=Action.UPDATE, target=org, target_repr="")
    long = audit_record(actor=officer, action=Action.UPDATE, target=org, target_repr="党" * 250)
    assert named.target_repr == "张建国（已删除）" and blank.target_repr == ""
    assert long.target_repr == "党" * 200


def test_each_entry_links_to_the_previous_and_the_head_follows(tree, officer):
    made = [audit_record(actor=officer, action=Action.UPDATE, target=tree["branch_a"], changes={"n": [i, i + 1]})
            for i in range(3)]
    assert [e.prev_hash for e in made] == [GENESIS, made[0].hash, made[1].hash]
    head = AuditHead.objects.get(pk=1)
    assert (head.last_hash, head.count) == (made[-1].hash, 3)


def test_the_hash_is_keyed(tree, officer, settings):
    audit_record(actor=officer, action=Action.UPDATE, target=tree["branch_a"])
    assert audit_verify().ok
    settings.AUDIT_KEY = base64.b64encode(b"another key, not the installation's").decode()
    report = audit_verify()
    assert not report.ok and report.broken_at == AuditEntry.objects.get().pk


# --- audit_verify: the walk ------------------------------------------------------------------

def test_an_empty_log_verifies(db):
    report = audit_verify()
    assert report.ok and (report.checked, report.broken_at, report.reason) == (0, None, "")


@pytest.mark.parametrize("batch", [1, 2, 3, 7])
def test_the_walk_goes_over_every_batch(tree, officer, batch):
    made = [audit_record(actor=officer, action=Action.UPDATE, target=tree["branch_a"], changes={"n": [i, i + 1]})
            for i in range(7)]
    report = audit_verify(batch=batch)
    assert report.ok and report.checked == 7
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditentry SET actor_name = 'mallory' WHERE id = %s", [made[5].pk])
    report = audit_verify(batch=batch)
    assert not report.ok and (report.checked, report.broken_at) == (6, made[5].pk)


def test_a_head_ahead_of_the_last_entry_names_the_last_entry(tree, officer):
    from django.db import connection

    made = [audit_record(actor=officer, action=Action.UPDATE, target=tree["branch_a"]) for _ in range(3)]
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditentry WHERE id = %s", [made[-1].pk])
    report = audit_verify()
    assert not report.ok and (report.checked, report.broken_at) == (2, made[1].pk) and report.reason
