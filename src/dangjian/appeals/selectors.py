"""Reads for appeals: scoped lists, timers, the three rates (三率) and rankings."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.http import Http404

from dangjian.accounts import roles
from dangjian.appeals.models import OPEN_STATES, Appeal, Rating, State
from dangjian.appeals.services import appeals_in_scope_q, normalise_code

# 三率 composite: response 30%, resolution 35%, satisfaction 35% (DOMAIN.md).
WEIGHTS = {"response": 0.30, "resolution": 0.35, "satisfaction": 0.35}


def open_states() -> tuple[str, ...]:
    return OPEN_STATES


def appeals_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[Appeal]:
    return Appeal.objects.filter(appeals_in_scope_q(user, capability)).select_related("org", "grid")


def appeal_get(user, code: str, capability: str = roles.VIEW_WORK) -> Appeal:
    try:
        return appeals_for(user, capability).get(tracking_code=normalise_code(code))
    except Appeal.DoesNotExist as exc:
        raise Http404 from exc


def overdue_q(now: dt.datetime) -> Q:
    return Q(state=State.RECEIVED, accept_due_at__lt=now) | Q(state__in=OPEN_STATES, resolve_due_at__lt=now)


def public_view(appeal: Appeal) -> dict:
    """What a resident sees by tracking code: no staff names, no personal data."""
    return {
        "code": appeal.tracking_code,
        "state": appeal.state,
        "state_label": appeal.get_state_display(),
        "received_at": appeal.received_at,
        "category": appeal.get_category_display() if appeal.category else "",
        "resolution": appeal.resolution if appeal.state in (State.RESOLVED, State.CLOSED) else "",
        "rating": appeal.get_rating_display() if appeal.rating else "",
        "can_rate": appeal.state == State.RESOLVED,
        "events": [
            {"at": e.at, "step": e.step, "to_state": e.get_to_state_display() if e.to_state else ""}
            for e in appeal.events.all()
        ],
    }


@dataclass
class Rates:
    received: int
    responded: int  # accepted (or declined) within the accept deadline
    resolved: int
    on_time: int
    rated: int  # ratings given: each appeal's final one, plus each dissatisfied one that reopened it
    satisfied: int
    reopened: int
    avg_hours: float | None

    @staticmethod
    def _share(a: int, b: int) -> float | None:
        return round(a / b, 4) if b else None

    @property
    def response_rate(self):
        return self._share(self.responded, self.received)

    @property
    def resolution_rate(self):
        return self._share(self.resolved, self.received)

    @property
    def satisfaction_rate(self):
        return self._share(self.satisfied, self.rated)

    @property
    def on_time_rate(self):
        return self._share(self.on_time, self.resolved)

    @property
    def reopen_rate(self):
        return self._share(self.reopened, self.resolved)

    @property
    def composite(self) -> float | None:
        """0–100; a missing rate (nothing to measure) counts as full marks for that part."""
        if not self.received:
            return None
        parts = {
            "response": self.response_rate, "resolution": self.resolution_rate,
            "satisfaction": self.satisfaction_rate if self.rated else 1.0,
        }
        return round(100 * sum(WEIGHTS[k] * v for k, v in parts.items()), 1)

    def as_dict(self) -> dict:
        return {
            "received": self.received, "resolved": self.resolved, "rated": self.rated,
            "response_rate": self.response_rate, "resolution_rate": self.resolution_rate,
            "satisfaction_rate": self.satisfaction_rate, "on_time_rate": self.on_time_rate,
            "reopen_rate": self.reopen_rate, "avg_handling_hours": self.avg_hours,
            "composite": self.composite,
        }


_DONE = (State.RESOLVED, State.CLOSED)


def _aggregates() -> dict:
    handling = ExpressionWrapper(F("resolved_at") - F("received_at"), output_field=DurationField())
    done = Q(state__in=_DONE)
    return {
        "received": Count("id", filter=~Q(state=State.REJECTED)),
        "responded": Count("id", filter=Q(accepted_at__isnull=False, accepted_at__lte=F("accept_due_at"))),
        "resolved": Count("id", filter=done),
        "on_time": Count("id", filter=done & Q(resolved_late=False)),
        # Every dissatisfied rating reopened the appeal once.
        "dissatisfied": Sum("reopen_count"),
        "satisfied": Count("id", filter=Q(rating__in=(Rating.SATISFIED, Rating.BASIC))),
        "reopened": Count("id", filter=done & Q(reopen_count__gt=0)),
        "avg": Avg(handling, filter=done),
    }


def _rates(row: dict) -> Rates:
    row["rated"] = row["satisfied"] + (row.pop("dissatisfied") or 0)
    avg = row.pop("avg")
    hours = round(avg.total_seconds() / 3600, 1) if avg is not None else None
    return Rates(avg_hours=hours, **{k: row[k] for k in (
        "received", "responded", "resolved", "on_time", "rated", "satisfied", "reopened")})


def appeal_rates(appeals: QuerySet[Appeal]) -> Rates:
    """The rates of the given appeals (filter the period by received_at beforehand)."""
    return _rates(appeals.aggregate(**_aggregates()))


def rates_by(appeals: QuerySet[Appeal], field: str) -> list[tuple[int | None, Rates]]:
    """Rates grouped by one field ("grid", "org"): [(pk, Rates)]."""
    rows = appeals.order_by().values(field).annotate(**_aggregates())
    return [(row.pop(field), _rates(row)) for row in rows]


def rankings(grouped: list[tuple[object, Rates]], *, size: int = 3) -> dict | None:
    """Red and black lists (红黑榜), only if the installation switched rankings on."""
    if not settings.DANGJIAN.get("RANKINGS_ENABLED"):
        return None
    scored = [(key, r) for key, r in grouped if r.composite is not None and r.received >= 5]
    scored.sort(key=lambda kr: kr[1].composite, reverse=True)
    if len(scored) < 2 * size:
        size = len(scored) // 2
    return {"red": scored[:size], "black": list(reversed(scored[-size:])) if size else []}


def open_in_grid(grid, *, user=None) -> QuerySet[Appeal]:
    """The grid's open appeals, oldest first; only those the user sees when a user is given."""
    qs = appeals_for(user) if user is not None else Appeal.objects.all()
    return qs.filter(grid=grid, state__in=open_states()).order_by("received_at")
