"""A real installation in a temporary directory, driven through subprocesses.

The queue's tests need what the rest of the suite avoids: a database that
several processes share (the web process, the worker, the test itself) and
processes that can be killed. SQLite: a file under the temporary directory;
PostgreSQL (DATABASE_URL=postgres://...): a database of its own, dropped after.
"""

import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"


# A migrated empty database, made once per test process and copied for each installation
# (migrating takes a minute on a busy machine): {"sqlite": path} or {"pg": (admin url, name)}.
_TEMPLATES: dict = {}


def _drop_templates() -> None:
    if "pg" in _TEMPLATES:
        admin, name = _TEMPLATES["pg"]
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if "sqlite" in _TEMPLATES:
        shutil.rmtree(Path(_TEMPLATES["sqlite"]).parent, ignore_errors=True)


atexit.register(_drop_templates)


class Install:
    def __init__(self, base: Path, **env):
        self.base = base
        self.var = base / "var"
        self.var.mkdir(parents=True, exist_ok=True)
        self.pg_admin = self.database_url = None
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith("postgres"):
            parts = urlsplit(url)
            name = f"{parts.path.lstrip('/') or 'dangjian'}_live_{uuid.uuid4().hex[:8]}"
            self.pg_admin = urlunsplit(parts._replace(path="/postgres"))
            with psycopg.connect(self.pg_admin, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            self.pg_name = name
            self.database_url = urlunsplit(parts._replace(path=f"/{name}"))
        self.env = {
            **os.environ,
            "PYTHONPATH": str(SRC),
            "DANGJIAN_VAR_DIR": str(self.var),
            "CONN_MAX_AGE": "0",
            "DANGJIAN_WORKERS": "1",
            "DANGJIAN_JOB_DEAD_AFTER": "3",
            "LOG_LEVEL": "WARNING",
            **env,
        }
        for key in ("DJANGO_SECRET_KEY", "DANGJIAN_FIELD_KEY", "DANGJIAN_INDEX_KEY", "DANGJIAN_JOBS_INLINE"):
            self.env.pop(key, None)
        if self.database_url:
            self.env["DATABASE_URL"] = self.database_url
        else:
            self.env.pop("DATABASE_URL", None)
        self.procs: list[subprocess.Popen] = []

    def migrate(self) -> None:
        """`migrate` on the empty database, or a copy of one migrated before in this test process."""
        key = "pg" if self.pg_admin else "sqlite"
        if key not in _TEMPLATES:
            self.manage("migrate", "--no-input", "-v", "0")
            if key == "sqlite":
                copy = Path(tempfile.mkdtemp(prefix="dangjian-template-")) / "dangjian.sqlite3"
                shutil.copy2(self.var / "dangjian.sqlite3", copy)
                _TEMPLATES[key] = str(copy)
            else:
                name = f"{self.pg_name}_template"
                with psycopg.connect(self.pg_admin, autocommit=True) as conn:
                    conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.pg_name}"')
                _TEMPLATES[key] = (self.pg_admin, name)
            return
        if key == "sqlite":
            shutil.copy2(_TEMPLATES[key], self.var / "dangjian.sqlite3")
        else:
            with psycopg.connect(self.pg_admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE "{self.pg_name}"')
                conn.execute(f'CREATE DATABASE "{self.pg_name}" TEMPLATE "{_TEMPLATES[key][1]}"')

    # --- running things -----------------------------------------------------------

    def manage(self, *args: str, env: dict | None = None, input: str | None = None, timeout: int = 600) -> str:
        result = subprocess.run([sys.executable, "-m", "dangjian.manage", *args], env={**self.env, **(env or {})},
                                cwd=self.base, capture_output=True, text=True, timeout=timeout, input=input)
        assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
        return result.stdout

    def run(self, code: str, timeout: int = 300, env: dict | None = None):
        """Run Python inside the installation (Django set up); its last printed line is read as JSON."""
        script = "import django\ndjango.setup()\nimport json\n" + textwrap.dedent(code)
        result = subprocess.run([sys.executable, "-c", script], env={**self.env, "DJANGO_SETTINGS_MODULE": "dangjian.settings",
                                                                      **(env or {})},
                                cwd=self.base, capture_output=True, text=True, timeout=timeout)
        assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
        lines = result.stdout.strip().splitlines()
        return json.loads(lines[-1]) if lines else None

    def start(self, code: str | None = None, env: dict | None = None) -> subprocess.Popen:
        """A long-running process in its own session (so that it and its children can be killed at once):
        the queue's worker (`qcluster`) unless `code` is given."""
        if code is None:
            args = [sys.executable, "-m", "dangjian.manage", "qcluster"]
        else:
            args = [sys.executable, "-c", "import django\ndjango.setup()\n" + textwrap.dedent(code)]
        log = open(self.base / f"proc-{len(self.procs)}.log", "w")
        proc = subprocess.Popen(args, env={**self.env, "DJANGO_SETTINGS_MODULE": "dangjian.settings", **(env or {})},
                                cwd=self.base, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        return proc

    @staticmethod
    def kill(proc: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
        """Kill a process and every process it started (its session)."""
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        proc.wait(timeout=60)

    def wait_for(self, code: str, timeout: float = 120, every: float = 0.5):
        """Poll `code` (whose last line prints JSON) until it prints something truthy."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.run(code)
            if value:
                return value
            if time.monotonic() > deadline:
                logs = "\n".join(p.read_text()[-3000:] for p in self.base.glob("proc-*.log"))
                raise AssertionError(f"timed out waiting for: {code}\n{logs}")
            time.sleep(every)

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                self.kill(proc)
        if self.pg_admin:
            with psycopg.connect(self.pg_admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
