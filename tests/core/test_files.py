"""core/files.py: the lock and the private write that the secrets file, the audit
checkpoint and the key rotation share."""

import json
import multiprocessing
import os
import stat

import pytest

from dangjian.core.files import locked, write_private


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_write_private_replaces_the_file_readable_by_the_owner_only(tmp_path):
    path = tmp_path / "secrets.json"
    path.write_text("old")
    path.chmod(0o644)
    # A temporary file left by a crashed writer of this process, readable by all.
    stale = tmp_path / f".secrets.json.{os.getpid()}.tmp"
    stale.write_text("stale")
    stale.chmod(0o644)
    old_umask = os.umask(0)
    try:
        write_private(path, "new")
    finally:
        os.umask(old_umask)
    assert path.read_text() == "new"
    assert _mode(path) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secrets.json"]


def test_write_private_leaves_the_old_file_when_writing_fails(tmp_path):
    path = tmp_path / "checkpoint.json"
    path.write_text("old")
    with pytest.raises(TypeError):
        write_private(path, None)  # type: ignore[arg-type]
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["checkpoint.json"]


def _bump(path_text: str, times: int) -> None:
    from pathlib import Path

    path = Path(path_text)
    for _ in range(times):
        with locked(path):
            count = json.loads(path.read_text())["count"]
            os.sched_yield()
            write_private(path, json.dumps({"count": count + 1}))


def test_locked_serialises_read_modify_write_across_processes(tmp_path):
    path = tmp_path / "sub" / "counter.json"
    with locked(path):  # makes the folder
        path.write_text(json.dumps({"count": 0}))
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_bump, args=(str(path), 150)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    # Without the lock, increments read the same count and are lost.
    assert json.loads(path.read_text()) == {"count": 450}
    assert (path.parent / ".counter.json.lock").exists()
