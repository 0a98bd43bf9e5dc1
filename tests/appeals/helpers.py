import datetime as dt

from django.utils import timezone

from dangjian.appeals import services
from dangjian.appeals.models import Appeal, Channel


def submit(org, text="小区垃圾桶好几天没人清运，味道很大", *, address="和平里3号楼", now=None, **kw) -> Appeal:
    appeal, _ = services.appeal_submit(channel=Channel.WEB, text=text, org=org, address=address, now=now, **kw)
    return appeal


def walk(appeal, by, *, until: str, now: dt.datetime | None = None) -> Appeal:
    """Take an appeal through the staff steps up to (and including) `until`."""
    now = now or timezone.now()
    plan = [
        ("accept", {}), ("assign", {"assignee_kind": "department", "assignee_name": "城管科"}),
        ("start", {}), ("resolve", {"resolution": "已安排清运"}),
    ]
    for step, data in plan:
        appeal = services.appeal_transition(appeal=appeal, step=step, by=by, data=data, now=now)
        if step == until:
            break
    return appeal
