import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from dangjian.audit.models import Action, AuditEntry
from dangjian.audit.services import audit_record, audit_verify, diff


@pytest.fixture
def entries(tree, officer):
    for i in range(5):
        audit_record(actor=officer, action=Action.UPDATE, target=tree["branch_a"], org=tree["branch_a"],
                     changes={"name": [f"old{i}", f"new{i}"]})
    return list(AuditEntry.objects.order_by("id"))


def test_intact_chain_verifies(entries):
    report = audit_verify()
    assert report.ok and report.checked == 5
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "审计日志完整：5 条记录，哈希链校验通过。" in out.getvalue()


def test_editing_a_row_behind_the_apps_back_is_detected(entries):
    victim = entries[2]
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditentry SET actor_name = %s WHERE id = %s", ["someone-else", victim.id])
    report = audit_verify()
    assert report.broken_at == victim.id
    with pytest.raises(CommandError, match=f"第 {victim.id} 条记录校验失败（内容与其哈希值不符）"):
        call_command("audit_verify")


def test_rehashing_a_row_breaks_the_next_link(entries):
    from dangjian.audit.services import entry_hash

    victim = entries[1]
    victim.actor_name = "forged"
    forged_hash = entry_hash(victim)
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditentry SET actor_name=%s, hash=%s WHERE id=%s", ["forged", forged_hash, victim.id])
    assert audit_verify().broken_at == entries[2].id


def test_deleting_the_newest_rows_is_detected(entries):
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditentry WHERE id = %s", [entries[-1].id])
    assert not audit_verify().ok


def test_deleting_a_middle_row_is_detected(entries):
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].id])
    assert audit_verify().broken_at == entries[3].id


def test_append_only_through_the_orm(entries):
    with pytest.raises(PermissionError):
        entries[0].save()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entries[0].pk).update(actor_name="x")


def test_diff_never_stores_sensitive_plaintext():
    changes = diff({"id_number": "11010519491231002X", "name": "甲"},
                   {"id_number": "440524188001010014", "name": "乙"}, sensitive=("id_number",))
    assert "11010519491231002X" not in str(changes) and "440524188001010014" not in str(changes)
    assert changes["name"] == ["甲", "乙"]


def test_audit_page_scoped_and_for_auditors_only(entries, as_officer, as_secretary_a, as_secretary_b, tree, officer):
    audit_record(actor=officer, action=Action.UPDATE, target=tree["branch_b"], org=tree["branch_b"],
                 changes={"secret_b": [1, 2]})
    page = as_officer.get(reverse("audit:list"))
    assert page.status_code == 200 and "secret_b" in page.content.decode()
    # Secretaries have no audit capability.
    assert as_secretary_a.get(reverse("audit:list")).status_code == 404


def test_auditor_sees_only_own_subtree(entries, tree, officer):
    from dangjian.accounts.roles import Role
    from tests.conftest import client_for
    from tests.factories import UserFactory, grant

    auditor = UserFactory(username="aud")
    grant(auditor, tree["branch_b"], Role.AUDITOR)
    audit_record(actor=officer, action=Action.UPDATE, target=tree["branch_b"], org=tree["branch_b"],
                 changes={"visible_b": [1, 2]})
    body = client_for(auditor).get(reverse("audit:list")).content.decode()
    assert "visible_b" in body
    assert "new3" not in body  # branch A's entries
