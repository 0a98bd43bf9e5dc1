"""Identifiers at rest: AES-256-GCM ciphertext plus a keyed blind index.

The blind index (HMAC-SHA256 of the normalised value) allows exact lookup and a
unique constraint without ever storing or comparing plaintext.
"""

import base64
import functools
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_PREFIX = "v1:"


@functools.cache
def _aead(key: str) -> AESGCM:
    return AESGCM(base64.b64decode(key))


@functools.cache
def _index_key(key: str) -> bytes:
    return base64.b64decode(key)


def encrypt(plaintext: str) -> str:
    nonce = os.urandom(12)
    sealed = _aead(settings.FIELD_ENCRYPTION_KEY).encrypt(nonce, plaintext.encode(), None)
    return _PREFIX + base64.b64encode(nonce + sealed).decode()


def decrypt(token: str) -> str:
    if not token.startswith(_PREFIX):
        raise ValueError("not an encrypted value")
    raw = base64.b64decode(token[len(_PREFIX):])
    return _aead(settings.FIELD_ENCRYPTION_KEY).decrypt(raw[:12], raw[12:], None).decode()


def normalise(value: str) -> str:
    return "".join(value.split()).upper()


def blind_index(value: str) -> str:
    digest = hmac.new(_index_key(settings.BLIND_INDEX_KEY), normalise(value).encode(), hashlib.sha256)
    return digest.hexdigest()[:40]


def mask(value: str, *, head: int, tail: int) -> str:
    """1101**********002X: what a screen shows unless the user reveals it."""
    if not value:
        return ""
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]


def mask_id_number(value: str) -> str:
    return mask(value, head=4, tail=4)


def mask_phone(value: str) -> str:
    return mask(value, head=3, tail=4)
