"""The task queue for real: a worker process (qcluster) and a database shared between processes.

A job is a row plus a task in the queue's table: killing the web process that
enqueued it loses nothing; killing the worker mid-way leaves nothing written,
the job is failed (not "running" forever), and a retry completes it.
"""

import json

import pytest

from tests.imports.conftest import new_id, row, xlsx_bytes
from tests.operations.live import Install

ROWS = 40
SETUP = """
from dangjian.accounts.models import RoleGrant, User
from dangjian.accounts.roles import Role
from dangjian.orgs.models import Org
street = Org.objects.add_root({"name": "示范街道党工委", "code": "S001", "kind": "street"})
branch = street.add_child(name="和平社区第一党支部", code="B001", kind="branch")
user = User.objects.create_user(username="officer", password="x", display_name="组织委员")
RoleGrant.objects.create(user=user, org=street, role=Role.ORG_OFFICER)
print(json.dumps(user.pk))
"""
ENQUEUE = """
from django.core.files.uploadedfile import SimpleUploadedFile
from dangjian.accounts.models import User
from dangjian.imports.services import import_job_create
data = open({path!r}, "rb").read()
job = import_job_create(by=User.objects.get(username="officer"), upload=SimpleUploadedFile("roster.xlsx", data))
print(json.dumps(job.pk))
"""
STATE = """
from dangjian.imports.models import ImportJob
from dangjian.orgs.models import Member
job = ImportJob.objects.get(pk={pk})
print(json.dumps({{"state": job.state, "members": Member.objects.count(), "message": job.message,
                  "retryable": job.retryable, "attempts": job.attempts}}))
"""


@pytest.fixture(scope="module")
def install(tmp_path_factory):
    inst = Install(tmp_path_factory.mktemp("install"))
    try:
        inst.migrate()
        inst.run(SETUP)
        yield inst
    finally:
        inst.close()


@pytest.fixture
def roster(install, tmp_path):
    """A valid roster file of ROWS new members, and the number of members before it."""
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx_bytes([row(身份证号=new_id()) for _ in range(ROWS)]))
    before = install.run("from dangjian.orgs.models import Member\nprint(json.dumps(Member.objects.count()))")
    return path, before


@pytest.fixture(autouse=True)
def _stop_processes(install):
    yield
    for proc in install.procs:
        if proc.poll() is None:
            install.kill(proc)


def _state(install, pk):
    return install.run(STATE.format(pk=pk))


def test_a_job_survives_killing_the_web_process_that_enqueued_it(install, roster, tmp_path):
    path, before = roster
    marker = tmp_path / "enqueued.json"
    # The web process enqueues the import (as the upload view does), then dies before anything runs it.
    web = install.start(ENQUEUE.format(path=str(path)).replace(
        "print(json.dumps(job.pk))", f"open({str(marker)!r}, 'w').write(json.dumps(job.pk))\nimport time\ntime.sleep(600)"
    ).replace("from django.core", "import json\nfrom django.core", 1))
    install.wait_for(f"import os\nprint(json.dumps(os.path.exists({str(marker)!r})))")
    install.kill(web)
    pk = json.loads(marker.read_text())
    assert _state(install, pk)["state"] == "pending"

    install.start()  # the worker
    done = install.wait_for(STATE.format(pk=pk).replace("print(json.dumps({", "print(json.dumps(job.finished and {"))
    assert done["state"] == "succeeded" and done["members"] == before + ROWS


SLOW_WORKER = """
import os, time
from django.core.management import call_command
from dangjian.imports import services
original = services._write
def write_then_hang(checked, **kwargs):
    original(checked, **kwargs)  # the members are inserted, the transaction is still open
    open({marker!r}, "w").write("written")
    time.sleep(600)
services._write = write_then_hang
call_command("qcluster")
"""


def test_a_job_whose_worker_is_killed_fails_with_nothing_written_and_a_retry_completes(install, roster, tmp_path):
    path, before = roster
    marker = tmp_path / "mid-write"
    worker = install.start(SLOW_WORKER.format(marker=str(marker)))
    pk = install.run(ENQUEUE.format(path=str(path)))
    install.wait_for(f"import os\nprint(json.dumps(os.path.exists({str(marker)!r})))", timeout=180)
    assert _state(install, pk)["state"] == "running"
    install.kill(worker)  # SIGKILL to the cluster and its worker processes, mid-transaction

    after = _state(install, pk)
    assert after["members"] == before  # the open transaction died with the worker
    assert after["state"] == "running"
    # Once its heartbeat is older than JOB_DEAD_AFTER (3 s here), the reaper (a timer) fails the job.
    failed = install.wait_for(f"""
        from dangjian.operations.tasks import jobs_reap
        from dangjian.imports.models import ImportJob
        jobs_reap()
        print(json.dumps(ImportJob.objects.get(pk={pk}).state == "failed"))
    """, timeout=60, every=1)
    assert failed
    state = _state(install, pk)
    assert state["retryable"] and state["members"] == before
    assert "没有写入任何数据" in state["message"]

    install.run(f"""
        from dangjian.accounts.models import User
        from dangjian.imports.models import ImportJob
        from dangjian.imports.services import import_job_retry
        import_job_retry(by=User.objects.get(username="officer"), job=ImportJob.objects.get(pk={pk}))
    """)
    install.start()  # a healthy worker
    done = install.wait_for(STATE.format(pk=pk).replace("print(json.dumps({", "print(json.dumps(job.finished and {"))
    assert done["state"] == "succeeded" and done["members"] == before + ROWS and done["attempts"] == 2
