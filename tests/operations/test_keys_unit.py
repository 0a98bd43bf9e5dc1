"""Key rotation in one process (the settings switched by hand): what each step leaves in the table."""

import base64

import pytest
from django.db import connection

from dangjian.core import crypto
from dangjian.operations.keys import RotationError, keys_rotate
from dangjian.orgs.models import Member

NEW_FIELD = base64.b64encode(b"f" * 32).decode()
NEW_INDEX = base64.b64encode(b"i" * 32).decode()


def _raw(pk):
    with connection.cursor() as c:
        c.execute("SELECT id_number, id_number_index FROM orgs_member WHERE id = %s", [pk])
        return c.fetchone()


def test_rotation_reseals_and_reindexes_in_resumable_batches(settings, tree):
    from tests.factories import MemberFactory

    members = [MemberFactory(org=tree["branch_a"]) for _ in range(5)]
    with pytest.raises(RotationError):
        keys_rotate()  # no previous keys: nothing to rotate from
    old_field, old_index = settings.FIELD_ENCRYPTION_KEY, settings.BLIND_INDEX_KEY
    settings.FIELD_ENCRYPTION_KEY, settings.BLIND_INDEX_KEY = NEW_FIELD, NEW_INDEX
    settings.PREVIOUS_FIELD_ENCRYPTION_KEYS, settings.PREVIOUS_BLIND_INDEX_KEYS = [old_field], [old_index]
    plain = {m.pk: m.id_number for m in members}
    assert all(not crypto.under_current_key(_raw(pk)[0]) for pk in plain)
    assert Member.objects.get(pk=members[0].pk).id_number == plain[members[0].pk]  # read under the old key

    result = keys_rotate(batch=2, limit=1)
    assert not result.finished
    moved = [pk for pk in plain if crypto.under_current_key(_raw(pk)[0])]
    assert moved == sorted(plain)[:2]

    result = keys_rotate(batch=2)
    assert result.finished
    for pk, number in plain.items():
        token, index = _raw(pk)
        assert crypto.under_current_key(token) and index == crypto.blind_index(number)
        assert Member.objects.get(pk=pk).id_number == number
