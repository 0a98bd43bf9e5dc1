"""Secrets: read from the environment in production, otherwise generated once
into a local file that git ignores, so a fresh checkout runs without setup.

All or nothing: either every secret comes from the environment, or none does
and all come from the file. A partial environment (one variable forgotten in a
deployment) is refused with the names of the missing variables, instead of
silently mixing an operator's keys with keys generated on this machine.
"""

import base64
import contextlib
import fcntl
import json
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_NAMES = {
    "django_secret_key": "DJANGO_SECRET_KEY",
    # AES-256-GCM key for identifiers at rest (ID numbers, phones).
    "field_encryption_key": "DANGJIAN_FIELD_KEY",
    # HMAC key for the blind index: exact lookup without decrypting.
    "blind_index_key": "DANGJIAN_INDEX_KEY",
    # HMAC key sealing the audit log's hash chain and its checkpoints.
    "audit_key": "DANGJIAN_AUDIT_KEY",
}


def _new_value(key: str) -> str:
    if key == "django_secret_key":
        return secrets.token_urlsafe(50)
    return base64.b64encode(secrets.token_bytes(32)).decode()


def _from_environment() -> dict[str, str] | None:
    present = {key: os.environ[env] for key, env in _NAMES.items() if os.environ.get(env)}
    if not present:
        return None
    missing = [env for key, env in _NAMES.items() if key not in present]
    if missing:
        raise ImproperlyConfigured(
            "Secrets are read from the environment when any of them is set, and then all must be: "
            f"set {', '.join(missing)} too, or unset {', '.join(_NAMES[k] for k in present)} "
            "to use the secrets file."
        )
    return present


@contextlib.contextmanager
def _locked(path: Path):
    # Several processes may start at once (test workers, server workers): the
    # lock makes exactly one of them generate (or complete) the file.
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(f".{path.name}.lock")
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _from_file(path: Path) -> dict[str, str]:
    if path.exists():
        stored = json.loads(path.read_text())
        if all(stored.get(key) for key in _NAMES):
            return stored
    with _locked(path):
        stored = json.loads(path.read_text()) if path.exists() else {}
        missing = [key for key in _NAMES if not stored.get(key)]
        if missing:
            # A file from before a secret existed gets the new one; the others stay.
            stored.update({key: _new_value(key) for key in missing})
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(stored, indent=2))
            tmp.chmod(0o600)
            os.replace(tmp, path)
    return stored


def load_secrets(path: Path) -> dict[str, str]:
    from_env = _from_environment()
    if from_env is not None:
        return from_env
    stored = _from_file(path)
    return {key: stored[key] for key in _NAMES}
