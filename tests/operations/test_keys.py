"""Key rotation on the demo (a small one): new keys, a run interrupted half-way and resumed, every
identifier and blind index under the new keys at the end, nothing lost, look-ups working throughout."""

import json

import pytest

from tests.operations.live import Install

CHECK = """
import hashlib
from django.conf import settings
from django.db import connection
from dangjian.core import crypto
from dangjian.orgs.models import Member
from dangjian.grids.models import Household
members = list(Member.objects.order_by("pk").values_list("pk", "id_number", "phone"))
with connection.cursor() as c:
    c.execute("SELECT id_number, phone, id_number_index FROM orgs_member ORDER BY id")
    raw = c.fetchall()
    c.execute("SELECT phone FROM grids_household WHERE phone <> '' ORDER BY id")
    raw_households = [r[0] for r in c.fetchall()]
from dangjian.operations.keys import targets
sealed = current = 0
for t in targets():
    for f in t.fields:
        with connection.cursor() as c:
            c.execute(f"SELECT {t.model._meta.get_field(f).column} FROM {t.model._meta.db_table}")
            tokens = [r[0] for r in c.fetchall() if r[0]]
        sealed += len(tokens)
        current += sum(crypto.under_current_key(tok) for tok in tokens)
first, last = members[0], members[-1]
found = [list(Member.objects.filter(id_number_index__in=crypto.blind_index_variants(m[1])).values_list("pk", flat=True))
         for m in (first, last)]
print(json.dumps({
    "ids": hashlib.sha256("|".join(m[1] for m in members).encode()).hexdigest(),
    "phones": hashlib.sha256("|".join(m[2] for m in members).encode()).hexdigest(),
    "households": hashlib.sha256("|".join(Household.objects.order_by("pk").values_list("phone", flat=True)).encode()).hexdigest(),
    "members": len(members),
    "current_key_rows": sum(crypto.under_current_key(r[0]) for r in raw),
    "current_key_households": sum(crypto.under_current_key(p) for p in raw_households),
    "households_with_phone": len(raw_households),
    "current_index_rows": sum(r[2] == crypto.blind_index(m[1]) for r, m in zip(raw, members)),
    "found": found, "expected": [first[0], last[0]],
    "previous_keys": len(settings.PREVIOUS_FIELD_ENCRYPTION_KEYS),
    "sealed": sealed, "sealed_current": current,
}))
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    inst = Install(tmp_path_factory.mktemp("keys"))
    try:
        inst.migrate()
        inst.manage("demo_org", "--scale", "120", "--seed", "11")
        yield inst
    finally:
        inst.close()


def test_rotate_keys_resumably_with_the_old_keys_accepted_until_it_finishes(demo):
    before = demo.run(CHECK)
    n = before["members"]
    assert before["current_key_rows"] == n and before["found"] == [[pk] for pk in before["expected"]]
    old_keys = json.loads((demo.var / "secrets.json").read_text())

    demo.manage("rotate_keys", "--new-keys")
    keys = json.loads((demo.var / "secrets.json").read_text())
    assert keys["field_encryption_key"] != old_keys["field_encryption_key"]
    assert keys["previous_field_encryption_keys"] == [old_keys["field_encryption_key"]]
    # Restarted under the new keys, nothing is rotated yet: every row is read under the previous key,
    # and a look-up by ID number still finds the member through the index under the previous key.
    started = demo.run(CHECK)
    assert started["ids"] == before["ids"] and started["current_key_rows"] == 0
    assert started["found"] == before["found"]

    # Interrupted after two batches of 50: part under the new keys, part under the old, all readable.
    out = demo.manage("rotate_keys", "--batch", "50", "--steps", "2")
    assert "run rotate_keys again" in out
    half = demo.run(CHECK)
    assert half["ids"] == before["ids"] and half["phones"] == before["phones"]
    assert half["sealed_current"] < half["sealed"] and half["found"] == before["found"]
    progress = demo.run("""
        from dangjian.operations.models import KeyRotation
        r = KeyRotation.objects.get()
        print(json.dumps([r.finished_at is None, r.progress]))
    """)
    assert progress[0] and progress[1]  # unfinished, with the last key done per table
    with pytest.raises(AssertionError, match="still be under a previous key"):
        demo.manage("rotate_keys", "--finish")

    out = demo.manage("rotate_keys", "--batch", "50")
    assert "finished" in out
    demo.manage("rotate_keys", "--finish")
    assert "previous_field_encryption_keys" not in json.loads((demo.var / "secrets.json").read_text())

    after = demo.run(CHECK)  # a process that knows only the new keys
    assert after["previous_keys"] == 0
    assert after["ids"] == before["ids"] and after["phones"] == before["phones"]
    assert after["households"] == before["households"]
    assert after["current_key_rows"] == n and after["current_index_rows"] == n
    assert after["sealed_current"] == after["sealed"] == before["sealed"]
    assert after["current_key_households"] == after["households_with_phone"] > 0
    assert after["found"] == before["found"]
    demo.manage("audit_verify")
    log = demo.run("""
        from dangjian.audit.models import AuditEntry
        e = AuditEntry.objects.filter(target_repr="rotate_keys").get()
        print(json.dumps(e.changes))
    """)
    assert log["rows"] >= n and "orgs.Member" in log["tables"]
