"""rotate_keys meets duplicates: a freed ID number keeps its tag, a duplicate record or a blind index
collision stops the rotation before the batch writes, naming rows and never values (issue 17)."""

import base64
import os

import pytest

from dangjian.core import crypto
from dangjian.operations import keys
from dangjian.operations.keys import RotationError, keys_rotate
from dangjian.orgs.models import Member
from dangjian.orgs.services import member_mark_entered_in_error
from tests.factories import MemberFactory

ID_NUMBER = "11010519491231002X"  # GB 11643-1999's own example


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


@pytest.fixture
def rotate_to_new_keys(settings):
    """Step 1 of the rotation: new keys current, the old ones previous."""

    def switch():
        settings.PREVIOUS_FIELD_ENCRYPTION_KEYS = [settings.FIELD_ENCRYPTION_KEY]
        settings.PREVIOUS_BLIND_INDEX_KEYS = [settings.BLIND_INDEX_KEY]
        settings.FIELD_ENCRYPTION_KEY, settings.BLIND_INDEX_KEY = _key(), _key()

    return switch


def _raw_index(member) -> str:
    return Member.objects.filter(pk=member.pk).values_list("id_number_index", flat=True).get()


def test_a_member_entered_in_error_keeps_its_freed_index_through_the_rotation(tree, officer, rotate_to_new_keys):
    wrong = MemberFactory(org=tree["branch_a"], id_number=ID_NUMBER)
    member_mark_entered_in_error(by=officer, member=wrong, reason="录入错误，已重新登记")
    right = MemberFactory(org=tree["branch_a"], id_number=ID_NUMBER)
    rotate_to_new_keys()

    result = keys_rotate(batch=1)  # one row per batch: the freed row and its replacement apart

    assert result.finished
    new_index = crypto.blind_index(ID_NUMBER)
    assert _raw_index(right) == new_index
    assert _raw_index(wrong) == f"E{wrong.pk}:{new_index}"[:40]
    found = Member.objects.filter(id_number_index__in=crypto.blind_index_variants(ID_NUMBER))
    assert list(found.values_list("pk", flat=True)) == [right.pk]


def test_a_duplicate_registered_during_the_rotation_stops_it_before_the_batch_writes(
        tree, officer, rotate_to_new_keys):
    old = MemberFactory(org=tree["branch_a"], id_number=ID_NUMBER)
    rotate_to_new_keys()
    # An import during the rotation checks only the current key's index, and so lets the number in twice.
    duplicate = MemberFactory(org=tree["branch_b"], id_number=ID_NUMBER)
    stored = Member.objects.filter(pk=old.pk).values_list("id_number", "id_number_index").get()

    with pytest.raises(RotationError) as refused:
        keys_rotate()

    message = str(refused.value)
    assert "orgs.Member.id_number" in message and "duplicate records" in message
    assert f"{old.pk}, {duplicate.pk}" in message
    assert ID_NUMBER not in message and crypto.blind_index(ID_NUMBER) not in message
    # Nothing of the batch was written: the old row is still sealed and indexed under the old keys.
    assert Member.objects.filter(pk=old.pk).values_list("id_number", "id_number_index").get() == stored

    # Settled (the duplicate marked entered in error), the rotation goes on and finishes.
    member_mark_entered_in_error(by=officer, member=duplicate, reason="重复登记")
    assert keys_rotate().finished
    assert _raw_index(old) == crypto.blind_index(ID_NUMBER)


def test_a_collision_of_the_new_index_between_different_values_stops_the_rotation(
        tree, rotate_to_new_keys, monkeypatch):
    a = MemberFactory(org=tree["branch_a"], phone="13800000001")
    b = MemberFactory(org=tree["branch_a"], phone="13900000002")
    same_phone = MemberFactory(org=tree["branch_b"], phone="13800000001")  # one phone, two members: allowed
    rotate_to_new_keys()
    real = crypto.blind_index
    # A weak index under the new key: two different phones meet.
    monkeypatch.setattr(keys.crypto, "blind_index",
                        lambda value: "c" * 40 if value in ("13800000001", "13900000002") else real(value))

    with pytest.raises(RotationError) as refused:
        keys_rotate()
    message = str(refused.value)
    assert "orgs.Member.phone" in message and "collision" in message
    assert f"{a.pk}, {b.pk}, {same_phone.pk}" in message
    assert "13800000001" not in message


def test_members_sharing_a_phone_rotate_without_complaint(tree, rotate_to_new_keys):
    first = MemberFactory(org=tree["branch_a"], phone="13800000001")
    second = MemberFactory(org=tree["branch_b"], phone="138 0000 0001")  # the same number, typed with spaces
    rotate_to_new_keys()
    assert keys_rotate(batch=1).finished
    indexes = set(Member.objects.filter(pk__in=[first.pk, second.pk]).values_list("phone_index", flat=True))
    assert indexes == {crypto.blind_index("13800000001")}
