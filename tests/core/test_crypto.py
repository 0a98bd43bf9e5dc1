"""Identifiers at rest: encryption, blind indexes, masks (dangjian.core.crypto)."""

import base64

import pytest
from cryptography.exceptions import InvalidTag

from dangjian.core import crypto

NUMBERS = ["11010519491231002X", "320102198503090017", "13912345678"]


def test_encrypt_round_trip_with_a_fresh_nonce_each_time():
    tokens = [crypto.encrypt(NUMBERS[0]) for _ in range(3)]
    assert len(set(tokens)) == 3 and all(t.startswith("v1:") for t in tokens)
    assert {crypto.decrypt(t) for t in tokens} == {NUMBERS[0]}
    assert NUMBERS[0] not in tokens[0]


def test_encrypt_many_matches_encrypt_and_keeps_blanks_blank():
    tokens = crypto.encrypt_many([NUMBERS[0], "", NUMBERS[1], NUMBERS[0]])
    assert tokens[1] == ""
    assert [crypto.decrypt(t) for t in (tokens[0], tokens[2], tokens[3])] == [NUMBERS[0], NUMBERS[1], NUMBERS[0]]
    nonces = {base64.b64decode(t[3:])[:12] for t in (tokens[0], tokens[2], tokens[3])}
    assert len(nonces) == 3  # never one nonce twice under the same key


def test_tampered_ciphertext_is_refused():
    raw = bytearray(base64.b64decode(crypto.encrypt(NUMBERS[1])[3:]))
    raw[-1] ^= 1
    with pytest.raises(InvalidTag):
        crypto.decrypt("v1:" + base64.b64encode(bytes(raw)).decode())
    with pytest.raises(ValueError):
        crypto.decrypt(NUMBERS[1])


def test_blind_index_ignores_spaces_and_case_and_depends_on_the_key(settings):
    index = crypto.blind_index(NUMBERS[0])
    assert len(index) == 40 and index == crypto.blind_index(" 11010519491231002x ")
    assert index != crypto.blind_index(NUMBERS[1])
    assert crypto.blind_indexes([NUMBERS[0], "", "1101 0519 4912 3100 2x"]) == [index, "", index]
    settings.BLIND_INDEX_KEY = base64.b64encode(b"k" * 32).decode()
    assert crypto.blind_index(NUMBERS[0]) != index
    assert crypto.blind_indexes([NUMBERS[0]]) == [crypto.blind_index(NUMBERS[0])]


def test_masks():
    assert crypto.mask_id_number(NUMBERS[0]) == "1101**********002X"
    assert crypto.mask_phone(NUMBERS[2]) == "139****5678"
    assert crypto.mask_phone("") == "" and crypto.mask_phone("123") == "***"
