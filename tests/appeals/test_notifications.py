"""Notifications carry the tracking code and the state, nothing else (issue 19)."""

import pytest
from django.db import transaction

from dangjian.appeals import services
from dangjian.core import notify
from tests.appeals.helpers import submit, walk

pytestmark = pytest.mark.django_db
SECRET_TEXT = "我家楼上漏水已经三天了，请尽快处理"
ADDRESS = "和平里3号楼2单元101"
NAME = "王秀英"
PHONE = "13800138000"


@pytest.fixture
def outbox(settings):
    settings.DANGJIAN = {**settings.DANGJIAN, "NOTIFY_SENDER": "dangjian.core.notify.MemorySender"}
    notify.MemorySender.outbox = []
    return notify.MemorySender.outbox


def test_resident_and_staff_hear_of_each_state_change_code_and_state_only(
        outbox, tree, grid1, grid_worker, community_secretary, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        appeal = submit(tree["community"], SECRET_TEXT, address=ADDRESS, resident_name=NAME, phone=PHONE)
        walk(appeal, community_secretary, until="resolve")
    assert appeal.grid == grid1
    to_resident = [m for m in outbox if m.phone == PHONE]
    to_staff = [m for m in outbox if m.user_id == grid_worker.pk]
    # received, accepted, assigned, in progress, resolved
    assert len(to_resident) == 5 and len(to_staff) == 5
    assert not [m for m in outbox if m.user_id == community_secretary.pk]  # not told of their own steps
    for m in outbox:
        assert m.text == notify.state_message(code=appeal.tracking_code, state=_state_of(m.text))
        for secret in (SECRET_TEXT[:4], ADDRESS[:4], NAME, PHONE, "已安排清运", "城管科"):
            assert secret not in m.text


def _state_of(text):
    from dangjian.appeals.models import State

    return next(label for label in State.labels if text.endswith(str(label)))


def test_no_phone_no_message_to_the_resident(outbox, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(tree["community"], SECRET_TEXT)
    assert [m for m in outbox if m.phone] == []


def test_nothing_sent_when_the_change_is_rolled_back(outbox, tree, community_secretary,
                                                     django_capture_on_commit_callbacks):
    appeal = submit(tree["community"], SECRET_TEXT, phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.appeal_transition(appeal=appeal, step="accept", by=community_secretary)
            raise RuntimeError("a later step of the same request failed")
    assert outbox == []


def test_a_failing_gateway_does_not_undo_the_change(settings, tree, community_secretary, caplog,
                                                    django_capture_on_commit_callbacks):
    settings.DANGJIAN = {**settings.DANGJIAN, "NOTIFY_SENDER": "tests.appeals.test_notifications.BrokenGateway"}
    with django_capture_on_commit_callbacks(execute=True):
        appeal = submit(tree["community"], SECRET_TEXT, phone=PHONE)
    assert appeal.pk and "notify 138****8000 failed" in caplog.text


def test_log_sender_masks_the_phone(caplog):
    import logging

    with caplog.at_level(logging.INFO, logger="dangjian.notify"):
        notify.LogSender().send(notify.Message(text="x", phone=PHONE))
    assert PHONE not in caplog.text and "138****8000" in caplog.text


class BrokenGateway(notify.SmsGateway):
    def send_sms(self, *, phone, text):
        raise OSError("gateway down")
