"""Secrets: read from the environment in production, otherwise generated once
into a local file that git ignores, so a fresh checkout runs without setup.

All or nothing: either every secret comes from the environment, or none does
and all come from the file. A partial environment (one variable forgotten in a
deployment) is refused with the names of the missing variables, instead of
silently mixing an operator's keys with keys generated on this machine.
"""

import base64
import json
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from dangjian.core.files import locked, write_private

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


def _from_file(path: Path) -> dict[str, str]:
    if path.exists():
        stored = json.loads(path.read_text())
        if all(stored.get(key) for key in _NAMES):
            return stored
    # Several processes may start at once (test workers, server workers): the
    # lock makes exactly one of them generate (or complete) the file.
    with locked(path):
        stored = json.loads(path.read_text()) if path.exists() else {}
        missing = [key for key in _NAMES if not stored.get(key)]
        if missing:
            # A file from before a secret existed gets the new one; the others stay.
            stored.update({key: _new_value(key) for key in missing})
            write_private(path, json.dumps(stored, indent=2))
    return stored


def load_secrets(path: Path) -> dict[str, str]:
    from_env = _from_environment()
    if from_env is not None:
        return from_env
    stored = _from_file(path)
    return {key: stored[key] for key in _NAMES}


def load_previous_keys(path: Path) -> dict[str, list[str]]:
    """Keys being rotated away from (rotate_keys, docs/operations.md): still accepted for reading.

    From DANGJIAN_FIELD_KEY_PREVIOUS / DANGJIAN_INDEX_KEY_PREVIOUS (comma-separated),
    else from the file's "previous_field_encryption_keys" / "previous_blind_index_keys".
    """
    stored = json.loads(path.read_text()) if path.exists() else {}
    out = {}
    for key, env in (("previous_field_encryption_keys", "DANGJIAN_FIELD_KEY_PREVIOUS"),
                     ("previous_blind_index_keys", "DANGJIAN_INDEX_KEY_PREVIOUS")):
        from_env = [k for k in os.environ.get(env, "").split(",") if k.strip()]
        out[key] = from_env or list(stored.get(key, []))
    return out
