"""Secrets: read from the environment in production, otherwise generated once
into a local file that git ignores, so a fresh checkout runs without setup."""

import base64
import json
import os
import secrets
from pathlib import Path

_NAMES = {
    "django_secret_key": "DJANGO_SECRET_KEY",
    # AES-256-GCM key for identifiers at rest (ID numbers, phones).
    "field_encryption_key": "DANGJIAN_FIELD_KEY",
    # HMAC key for the blind index: exact lookup without decrypting.
    "blind_index_key": "DANGJIAN_INDEX_KEY",
}


def _generate() -> dict[str, str]:
    return {
        "django_secret_key": secrets.token_urlsafe(50),
        "field_encryption_key": base64.b64encode(secrets.token_bytes(32)).decode(),
        "blind_index_key": base64.b64encode(secrets.token_bytes(32)).decode(),
    }


def load_secrets(path: Path) -> dict[str, str]:
    if all(os.environ.get(env) for env in _NAMES.values()):
        return {key: os.environ[env] for key, env in _NAMES.items()}
    stored: dict[str, str] = {}
    if path.exists():
        stored = json.loads(path.read_text())
    else:
        # Several processes may start at once (test workers, server workers):
        # link() refuses to overwrite, so exactly one generated set wins.
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(_generate(), indent=2))
        tmp.chmod(0o600)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
        stored = json.loads(path.read_text())
    return {key: os.environ.get(env) or stored[key] for key, env in _NAMES.items()}


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
