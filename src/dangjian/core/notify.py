"""Telling people that a case changed: one message shape, one pluggable sender.

A message names a case by its public code and says its state, nothing more:
no text of the case, no address, no name, no phone (an SMS passes through a
carrier and sits on a lock screen). `state_message` is the only way to build
one, so no caller can add more.

The sender is chosen by `settings.DANGJIAN["NOTIFY_SENDER"]` (a dotted path):
`LogSender` by default (a log line, the recipient masked), `HttpSmsGateway`
for production (a JSON POST to the gateway the installation contracts), or
any class with `send(message)`. Sending happens after the transaction
commits, and a failing gateway never undoes the change it reports.
"""

import json
import logging
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from dangjian.core.crypto import mask_phone

log = logging.getLogger("dangjian.notify")

DEFAULT_SENDER = "dangjian.core.notify.LogSender"


@dataclass(frozen=True)
class Message:
    text: str
    phone: str = ""  # a resident's (or a staff member's) number, when there is one
    user_id: int | None = None  # a staff account

    @property
    def recipient(self) -> str:
        """Who, as a log may show it."""
        return mask_phone(self.phone) if self.phone else f"user:{self.user_id}"


def state_message(*, code: str, state: str) -> str:
    """The whole content of a notification: the tracking code and the state."""
    return _("Your case %(code)s is now: %(state)s") % {"code": code, "state": state}


class Sender:
    def send(self, message: Message) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class LogSender(Sender):
    """The default: a log line per message, the phone masked."""

    def send(self, message: Message) -> None:
        log.info("notify %s: %s", message.recipient, message.text)


class MemorySender(Sender):
    """Keeps what would have been sent (tests, demos)."""

    outbox: list[Message] = []

    def send(self, message: Message) -> None:
        type(self).outbox.append(message)


class SmsGateway(Sender):
    """An SMS gateway: what production plugs in. Messages without a phone are left to the log."""

    def send(self, message: Message) -> None:
        if not message.phone:
            LogSender().send(message)
            return
        self.send_sms(phone=message.phone, text=message.text)

    def send_sms(self, *, phone: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class HttpSmsGateway(SmsGateway):
    """POSTs {"phone", "text", "sign"} as JSON to `DANGJIAN["SMS_GATEWAY_URL"]` with a bearer token
    (`DANGJIAN["SMS_GATEWAY_TOKEN"]`): the shape most carriers' HTTP relays take, or a small adapter in front."""

    def send_sms(self, *, phone: str, text: str) -> None:
        conf = settings.DANGJIAN
        body = json.dumps({"phone": phone, "text": text, "sign": conf.get("SMS_SIGN", "")}).encode()
        request = urllib.request.Request(conf["SMS_GATEWAY_URL"], data=body, method="POST", headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {conf.get('SMS_GATEWAY_TOKEN', '')}"})
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - the configured gateway
            answer.read()


def sender() -> Sender:
    return import_string(settings.DANGJIAN.get("NOTIFY_SENDER", DEFAULT_SENDER))()


def _deliver(messages: list[Message]) -> None:
    out = sender()
    for message in messages:
        try:
            out.send(message)
        except Exception:  # a gateway's failure is logged, never raised into the request that changed the case
            log.exception("notify %s failed", message.recipient)


def notify_state(*, code: str, state: str, phones: list[str] = (), user_ids: list[int] = ()) -> None:
    """After the current transaction commits, tell each phone and staff account the case's new state."""
    text = state_message(code=code, state=str(state))
    messages = [Message(text=text, phone=p) for p in dict.fromkeys(p for p in phones if p)]
    messages += [Message(text=text, user_id=u) for u in dict.fromkeys(u for u in user_ids if u)]
    if messages:
        transaction.on_commit(lambda: _deliver(messages))
