"""Backup → restore into a fresh installation, on the demo (a small one): same row counts, the audit
chain intact, identifiers decrypt, attachments open; a wrong passphrase or an altered file restores nothing."""


import pytest

from tests.operations.live import Install

PASSPHRASE = {"DANGJIAN_BACKUP_PASSPHRASE": "correct horse battery staple"}
SNAPSHOT = """
import hashlib
from django.core.files.storage import default_storage
from dangjian.operations.backup import row_counts
from dangjian.orgs.models import Member
from dangjian.meetings.models import Attachment
ids = sorted(Member.objects.values_list("id_number", flat=True))
phones = sorted(p for p in Member.objects.values_list("phone", flat=True) if p)
files = {a.file.name: hashlib.sha256(default_storage.open(a.file.name).read()).hexdigest()
         for a in Attachment.objects.all()}
print(json.dumps({"rows": row_counts(), "ids": hashlib.sha256("|".join(ids).encode()).hexdigest(), "members": len(ids),
                  "phones": hashlib.sha256("|".join(phones).encode()).hexdigest(), "files": files}))
"""
ATTACH = """
from django.core.files.base import ContentFile
from dangjian.meetings.models import Attachment, Meeting
meeting = Meeting.objects.order_by("pk").first()
a = Attachment(meeting=meeting, original_name="会议记录.pdf", content_type="application/pdf", size=19)
a.file.save("record.pdf", ContentFile(b"%PDF-1.4 minutes..."), save=True)
print(json.dumps(a.pk))
"""


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    inst = Install(tmp_path_factory.mktemp("source"))
    try:
        inst.migrate()
        inst.manage("demo_org", "--scale", "120", "--seed", "7")
        inst.run(ATTACH)
        yield inst
    finally:
        inst.close()


def test_backup_restores_into_a_fresh_installation(source, tmp_path_factory):
    before = source.run(SNAPSHOT)
    assert before["members"] >= 100 and before["files"]
    out = source.manage("backup", str(source.base / "backups"), "--include-keys", env=PASSPHRASE)
    path = out.split(" (")[0]
    raw = open(path, "rb").read()
    # Encrypted: neither the database's text nor an identifier is readable in the file.
    assert b"SQLite format" not in raw and b"PGDMP" not in raw and b"minutes" not in raw

    target = Install(tmp_path_factory.mktemp("target"))
    try:
        target.migrate()
        target.manage("restore", path, env=PASSPHRASE)
        after = target.run(SNAPSHOT)  # a new process: it reads the restored keys
        assert after["rows"] == before["rows"]
        assert after["ids"] == before["ids"] and after["phones"] == before["phones"]
        assert after["files"] == before["files"]
        target.manage("audit_verify")  # exits non-zero if an entry was altered or lost
    finally:
        target.close()


def test_without_keys_the_backup_holds_none_and_a_wrong_passphrase_or_altered_file_restores_nothing(source, tmp_path_factory):
    out = source.manage("backup", str(source.base / "nokeys"), env=PASSPHRASE)
    path = out.split(" (")[0]
    assert "keys not included" in out
    target = Install(tmp_path_factory.mktemp("wrong"))
    try:
        target.migrate()
        empty = target.run("from dangjian.orgs.models import Member\nprint(json.dumps(Member.objects.count()))")
        for env, file in ((({"DANGJIAN_BACKUP_PASSPHRASE": "not the passphrase"}), path), (PASSPHRASE, _altered(path))):
            try:
                target.manage("restore", file, env=env)
            except AssertionError as exc:
                assert "wrong passphrase" in str(exc) or "altered" in str(exc)
            else:
                raise AssertionError("restored a backup it should have refused")
        assert target.run("from dangjian.orgs.models import Member\nprint(json.dumps(Member.objects.count()))") == empty
        # The right passphrase: the rows come back, but this installation's keys cannot read the identifiers.
        target.manage("restore", path, env=PASSPHRASE)
        readable = target.run("""
            from dangjian.orgs.models import Member
            try:
                Member.objects.first().id_number
                print(json.dumps(True))
            except Exception:
                print(json.dumps(False))
        """)
        assert readable is False
    finally:
        target.close()


def _altered(path: str) -> str:
    data = bytearray(open(path, "rb").read())
    data[len(data) // 2] ^= 0x01
    altered = path + ".altered"
    open(altered, "wb").write(bytes(data))
    return altered


