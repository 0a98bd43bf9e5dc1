"""Identifiers at rest: AES-256-GCM ciphertext plus a keyed blind index.

The blind index (HMAC-SHA256 of the normalised value) allows exact lookup and a
unique constraint without ever storing or comparing plaintext.
"""

import base64
import binascii
import functools
import hmac
import os

from cryptography.exceptions import InvalidTag
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


def encrypt_many(plaintexts: list[str]) -> list[str]:
    """encrypt() for each value, in one go (the importer's 100,000 rows): the key
    is looked up once and the nonces drawn in one call; "" stays ""."""
    seal = _aead(settings.FIELD_ENCRYPTION_KEY).encrypt
    nonces = os.urandom(12 * len(plaintexts))
    b64 = binascii.b2a_base64
    out = []
    append = out.append
    for i, text in enumerate(plaintexts):
        if not text:
            append("")
            continue
        nonce = nonces[12 * i:12 * i + 12]
        append(_PREFIX + b64(nonce + seal(nonce, text.encode(), None), newline=False).decode())
    return out


def decrypt(token: str) -> str:
    """The plaintext, under the current key or, while rotate_keys runs, a previous one."""
    if not token.startswith(_PREFIX):
        raise ValueError("not an encrypted value")
    raw = base64.b64decode(token[len(_PREFIX):])
    try:
        return _aead(settings.FIELD_ENCRYPTION_KEY).decrypt(raw[:12], raw[12:], None).decode()
    except InvalidTag:
        for key in getattr(settings, "PREVIOUS_FIELD_ENCRYPTION_KEYS", ()):
            try:
                return _aead(key).decrypt(raw[:12], raw[12:], None).decode()
            except InvalidTag:
                continue
        raise


def under_current_key(token: str) -> bool:
    """Whether a stored value is sealed with the current key (rotate_keys skips those)."""
    raw = base64.b64decode(token[len(_PREFIX):])
    try:
        _aead(settings.FIELD_ENCRYPTION_KEY).decrypt(raw[:12], raw[12:], None)
    except InvalidTag:
        return False
    return True


def normalise(value: str) -> str:
    return "".join(value.split()).upper()


def blind_index(value: str) -> str:
    return hmac.digest(_index_key(settings.BLIND_INDEX_KEY), normalise(value).encode(), "sha256").hex()[:40]


def blind_index_variants(value: str) -> list[str]:
    """The value's blind index under the current key and, while rotate_keys runs, the previous ones:
    a lookup matches rows whose index was not rebuilt yet."""
    keys = [settings.BLIND_INDEX_KEY, *getattr(settings, "PREVIOUS_BLIND_INDEX_KEYS", ())]
    text = normalise(value).encode()
    return list(dict.fromkeys(hmac.digest(_index_key(k), text, "sha256").hex()[:40] for k in keys))


def blind_indexes(values: list[str]) -> list[str]:
    """blind_index() for each value, in one go; "" stays "" (nothing to look up)."""
    key = _index_key(settings.BLIND_INDEX_KEY)
    digest = hmac.digest
    return [digest(key, "".join(v.split()).upper().encode(), "sha256").hex()[:40] if v else "" for v in values]


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
