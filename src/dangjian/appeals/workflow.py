"""The appeal workflow as one table of allowed transitions.

received → accepted → assigned → in progress → resolved → (resident rates)
closed; a dissatisfied rating reopens (back to in progress). Every step of
every path (views, API, management commands, the escalation job) goes through
services.appeal_transition, which checks this table.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.appeals.models import State


class Step(models.TextChoices):
    ACCEPT = "accept", _("accept")
    REJECT = "reject", _("decline")
    ASSIGN = "assign", _("assign")
    START = "start", _("start handling")
    RESOLVE = "resolve", _("resolve")
    RATE = "rate", _("rate")
    REOPEN = "reopen", _("reopen")
    CLOSE = "close", _("close")
    MERGE = "merge", _("merge into the same problem's case")


# step: (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Step.ACCEPT: (frozenset({State.RECEIVED}), State.ACCEPTED),
    Step.REJECT: (frozenset({State.RECEIVED}), State.REJECTED),
    Step.ASSIGN: (frozenset({State.ACCEPTED, State.ASSIGNED, State.IN_PROGRESS}), State.ASSIGNED),
    Step.START: (frozenset({State.ASSIGNED}), State.IN_PROGRESS),
    Step.RESOLVE: (frozenset({State.IN_PROGRESS}), State.RESOLVED),
    Step.RATE: (frozenset({State.RESOLVED}), State.CLOSED),
    Step.REOPEN: (frozenset({State.RESOLVED}), State.IN_PROGRESS),
    Step.CLOSE: (frozenset({State.RESOLVED}), State.CLOSED),
    # A duplicate leaves the workflow; its resident follows the master case (services.appeal_merge).
    Step.MERGE: (frozenset({State.RECEIVED, State.ACCEPTED, State.ASSIGNED, State.IN_PROGRESS}), State.CLOSED),
}

# Who may take a step: staff (a signed-in user with the capability in scope),
# the resident (by tracking code), or the system (scheduled jobs).
# CALLBACK: staff recording the resident's answer at 回访 (never the handling unit: services.appeal_callback).
STAFF, RESIDENT, SYSTEM, CALLBACK = "staff", "resident", "system", "callback"
ACTORS: dict[str, frozenset[str]] = {
    Step.ACCEPT: frozenset({STAFF}),
    Step.REJECT: frozenset({STAFF}),
    Step.ASSIGN: frozenset({STAFF}),
    Step.START: frozenset({STAFF}),
    Step.RESOLVE: frozenset({STAFF}),
    Step.RATE: frozenset({RESIDENT, CALLBACK}),
    Step.REOPEN: frozenset({RESIDENT, CALLBACK}),
    Step.CLOSE: frozenset({STAFF, SYSTEM}),
    Step.MERGE: frozenset({STAFF}),
}

# When each step is taken, this timestamp is set.
STAMPS = {
    Step.ACCEPT: "accepted_at",
    Step.REJECT: "closed_at",
    Step.ASSIGN: "assigned_at",
    Step.START: "started_at",
    Step.RESOLVE: "resolved_at",
    Step.RATE: "rated_at",
    Step.REOPEN: "rated_at",
    Step.CLOSE: "closed_at",
    Step.MERGE: "closed_at",
}


# History entries that are not transitions.
EVENT_LABELS = {
    **dict(Step.choices),
    "submit": _("submitted"),
    "escalate": _("escalated"),
    "categorise": _("category confirmed"),
    "correct": _("corrected by staff"),
    "note": _("follow-up note from the resident"),
    "approve_decline": _("decline approved by the superior"),
    "merge_in": _("a duplicate merged in"),
}


def allowed(step: str, state: str) -> bool:
    rule = TRANSITIONS.get(step)
    return rule is not None and state in rule[0]


def next_steps(state: str, actor: str = STAFF) -> list[str]:
    """Steps the given kind of actor may take from a state, in workflow order."""
    return [s for s, (sources, _to) in TRANSITIONS.items() if state in sources and actor in ACTORS[s]]
