"""Small files several processes share (the secrets file, the audit checkpoint):
a lock around read-modify-write, and a private atomic write.

    with locked(path):
        data = json.loads(path.read_text())
        ...
        write_private(path, json.dumps(data))
"""

import contextlib
import fcntl
import os
from pathlib import Path


@contextlib.contextmanager
def locked(path: Path):
    """Hold an exclusive lock for `path` (on a `.<name>.lock` file beside it) until the block ends.

    Every process that changes the file must take it: test workers, web
    workers and commands may start at once, and the lock makes their
    read-modify-write steps run one after the other."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f".{path.name}.lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_private(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step, readable by the owner only (0600).

    The text goes to a temporary file created 0600 beside it, then replaces the
    file: a reader sees the old content or the new, never half, and the
    content is never readable by others, not even for a moment."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        os.chmod(tmp, 0o600)  # an existing tmp keeps its mode through O_CREAT
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
