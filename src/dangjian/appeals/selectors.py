"""Reads for appeals: scoped lists, timers, the three rates (三率) and rankings."""

import datetime as dt
import time
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dangjian.accounts import roles
from dangjian.appeals import duplicates
from dangjian.appeals import metrics as appeal_metrics
from dangjian.appeals.models import OPEN_STATES, Appeal, AppealCategory, State
from dangjian.appeals.services import appeals_in_scope_q, normalise_code
from dangjian.core import metrics


def open_states() -> tuple[str, ...]:
    return OPEN_STATES


def appeals_for(user, capability: str = roles.VIEW_WORK) -> QuerySet[Appeal]:
    return Appeal.objects.filter(appeals_in_scope_q(user, capability)).select_related("org", "grid", "merged_into")


def appeal_get(user, code: str, capability: str = roles.VIEW_WORK) -> Appeal:
    """By tracking code: the API and the resident's side. Staff pages use appeal_by_id."""
    try:
        return appeals_for(user, capability).get(tracking_code=normalise_code(code))
    except Appeal.DoesNotExist as exc:
        raise Http404 from exc


def appeal_by_id(user, pk: int, capability: str = roles.VIEW_WORK) -> Appeal:
    """Staff pages name an appeal by its id: the tracking code is the resident's secret."""
    try:
        return appeals_for(user, capability).get(pk=pk)
    except Appeal.DoesNotExist as exc:
        raise Http404 from exc


# --- Taxonomy -------------------------------------------------------------------------


def categories() -> QuerySet[AppealCategory]:
    """Every category, retired ones too, first levels each followed by their children."""
    return AppealCategory.objects.select_related("parent").order_by("position", "code")


def category_names() -> dict[str, str]:
    """Code → current name, for every category (an old appeal's code always has one)."""
    return dict(AppealCategory.objects.values_list("code", "name"))


def category_rows() -> list[AppealCategory]:
    """categories() as a list, read at most once per CONFIG_TTL seconds per process: every public form
    lists them. Saving a category clears this process's copy; other processes follow within the TTL (the
    services check a chosen category against the database, so a retired one is refused at once)."""
    from dangjian.appeals import models as m

    now = time.monotonic()
    if "rows" not in m._category_cache or now - m._category_cache["at"] > m.CONFIG_TTL:
        m._category_cache.update(rows=list(categories()), at=now)
    return m._category_cache["rows"]


def category_choices(*, blank: str | None = None, include: str = "") -> list:
    """The categories that may be chosen now, grouped under their first level for a <select>.

    `include` keeps one retired code in the list (an old appeal's current category, shown as it is).
    """
    rows = category_rows()
    usable = {c.pk for c in rows if not c.is_retired and not (c.parent_id and c.parent.is_retired)}
    out: list = [("", blank)] if blank is not None else []
    for top in (c for c in rows if not c.parent_id):
        kids = [(c.code, c.name) for c in rows if c.parent_id == top.pk and (c.pk in usable or c.code == include)]
        if top.pk not in usable and top.code != include and not kids:
            continue
        if kids:
            head = [(top.code, top.name)] if top.pk in usable or top.code == include else []
            out.append((top.name, head + kids))
        else:
            out.append((top.code, top.name))
    return out


def overdue_q(now: dt.datetime) -> Q:
    return Q(state=State.RECEIVED, accept_due_at__lt=now) | Q(state__in=OPEN_STATES, resolve_due_at__lt=now)


def overdue_as_of_q(at: dt.datetime) -> Q:
    """Appeals received before `at`, past their resolve-by time and not resolved by then (rejected ones aside):
    what was overdue at a past moment, for warnings recomputed for a past period."""
    return (Q(received_at__lt=at, resolve_due_at__lt=at) & ~Q(state=State.REJECTED)
            & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=at)))


def public_view(appeal: Appeal) -> dict:
    """What a resident sees by tracking code: no staff names, no personal data.

    A duplicate merged into another case shows that case's progress and outcome under its own code."""
    if appeal.merged_into_id:
        master = appeal.merged_into
        view = public_view(master)
        own = [{"at": e.at, "step": e.step, "to_state": ""} for e in appeal.events.all() if e.step == "submit"]
        return {**view, "code": appeal.tracking_code, "merged": True, "can_rate": False,
                "received_at": appeal.received_at, "rating": "", "events": own + view["events"]}
    return {
        "code": appeal.tracking_code,
        "state": appeal.state,
        "state_label": appeal.get_state_display(),
        "received_at": appeal.received_at,
        "category": appeal.category_label,
        "resolution": appeal.resolution if appeal.state in (State.RESOLVED, State.CLOSED) else "",
        "rating": appeal.get_rating_display() if appeal.rating else "",
        "can_rate": appeal.state == State.RESOLVED,
        "events": [
            {"at": e.at, "step": e.step, "to_state": e.get_to_state_display() if e.to_state else ""}
            for e in appeal.events.all()
        ],
    }


def composite(*, response: float | None, resolution: float | None, satisfaction: float | None) -> float | None:
    """0–100 over the rates that have a value, their weights (settings) renormalised: a rate with nothing to
    measure (no answer collected) neither helps nor hurts. Provided to departments as "appeal_composite"."""
    weights = appeal_metrics.weights()
    parts = {"response": response, "resolution": resolution, "satisfaction": satisfaction}
    used = {k: v for k, v in parts.items() if v is not None and weights.get(k)}
    total = sum(weights[k] for k in used)
    return round(100 * sum(weights[k] * v for k, v in used.items()) / total, 1) if total else None


@dataclass
class Rates:
    """The appeals page's figures, by the same definitions as the indicators (`appeals.metrics`)."""

    received: int  # counted: received, less the declines the superior approved
    responded: int  # accepted within the accept deadline
    resolved: int  # confirmed resolved by the resident at 回访
    handled: int  # marked resolved or closed by staff
    on_time: int
    rated: int  # answers given at 回访, one per appeal (its latest)
    satisfied: int
    not_called_back: int  # handled, no answer yet (未回访): never counted as satisfied
    declined: int  # declines approved by the superior (out of every rate)
    declined_pending: int  # declined, awaiting the superior's approval (still counted)
    reopened: int
    avg_hours: float | None
    merged: int = 0  # callers' duplicates merged into the counted cases (one problem, many callers)

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
        return self._share(self.on_time, self.handled)

    @property
    def reopen_rate(self):
        return self._share(self.reopened, self.handled)

    @property
    def composite(self) -> float | None:
        if not self.received:
            return None
        return composite(response=self.response_rate, resolution=self.resolution_rate,
                         satisfaction=self.satisfaction_rate)

    def as_dict(self) -> dict:
        return {
            "received": self.received, "resolved": self.resolved, "handled": self.handled, "rated": self.rated,
            "not_called_back": self.not_called_back, "declined": self.declined,
            "declined_pending": self.declined_pending, "merged": self.merged,
            "response_rate": self.response_rate, "resolution_rate": self.resolution_rate,
            "satisfaction_rate": self.satisfaction_rate, "on_time_rate": self.on_time_rate,
            "reopen_rate": self.reopen_rate, "avg_handling_hours": self.avg_hours,
            "composite": self.composite,
        }


WEIGHTS = appeal_metrics.weights()  # the defaults, for pages that show them
_DONE = appeal_metrics.DONE


def _aggregates(distinct: bool = False) -> dict:
    """The counts behind the 三率. `distinct` when the appeals are reached through a many-valued relation
    (grouped by the departments summoned to them), so an appeal counts once per group."""
    am = appeal_metrics
    handling = ExpressionWrapper(F("resolved_at") - F("received_at"), output_field=DurationField())
    counted = am.COUNTED
    return {
        "received": Count("id", distinct=distinct, filter=counted),
        "responded": Count("id", distinct=distinct, filter=counted & am.RESPONDED),
        "resolved": Count("id", distinct=distinct, filter=counted & am.CONFIRMED),
        "handled": Count("id", distinct=distinct, filter=counted & am.HANDLED),
        "on_time": Count("id", distinct=distinct, filter=counted & am.HANDLED & Q(resolved_late=False)),
        "rated": Count("id", distinct=distinct, filter=counted & (am.HANDLED | am.ANSWERED) & am.ANSWERED),
        "satisfied": Count("id", distinct=distinct, filter=counted & (am.HANDLED | am.ANSWERED) & am.satisfied_q()),
        "not_called_back": Count("id", distinct=distinct, filter=counted & am.NOT_CALLED_BACK),
        "declined": Count("id", distinct=distinct, filter=am.DECLINE_APPROVED),
        "declined_pending": Count("id", distinct=distinct, filter=am.DECLINE_PENDING),
        "reopened": Count("id", distinct=distinct, filter=counted & am.HANDLED & Q(reopen_count__gt=0)),
        "merged": Count("id", distinct=distinct, filter=am.MERGED),
        "avg": Avg(handling, filter=counted & am.HANDLED),
    }


def _rates(row: dict) -> Rates:
    avg = row.pop("avg")
    hours = round(avg.total_seconds() / 3600, 1) if avg is not None else None
    return Rates(avg_hours=hours, **{k: row[k] for k in (
        "received", "responded", "resolved", "handled", "on_time", "rated", "satisfied", "not_called_back",
        "declined", "declined_pending", "reopened", "merged")})


def appeal_rates(appeals: QuerySet[Appeal]) -> Rates:
    """The rates of the given appeals (filter the period by received_at beforehand)."""
    return _rates(appeals.aggregate(**_aggregates()))


def rates_by(appeals: QuerySet[Appeal], field: str, *, distinct: bool = False) -> list[tuple[int | None, Rates]]:
    """Rates grouped by one field ("grid", "org"): [(pk, Rates)]."""
    rows = appeals.order_by().values(field).annotate(**_aggregates(distinct))
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


def appeals_today(user, org, today: dt.date | None = None) -> dict:
    """Appeals received and resolved today in org's subtree (live records, not a snapshot)."""
    today = today or timezone.localdate()
    lo, hi = metrics.day_bounds(today, today)
    qs = appeals_for(user).filter(org__path__subtree=org.path)
    states = dict(State.choices)
    latest = [(timezone.localtime(at), name or c, str(states.get(s, s)))
              for at, c, name, s in qs.filter(received_at__gte=lo, received_at__lt=hi).order_by("-received_at")
              .values_list("received_at", "category", "category_name", "state")[:8]]
    return {
        "received": qs.filter(received_at__gte=lo, received_at__lt=hi).count(),
        "resolved": qs.filter(resolved_at__gte=lo, resolved_at__lt=hi).count(),
        "open": qs.filter(state__in=open_states()).count(),
        "latest": latest,
    }


def rates_grouped(appeals_q: Q, field: str) -> dict:
    """{group pk: rates} of the appeals matching `appeals_q`, grouped by a field reached through a relation
    ("summonses__department"), in one query ("appeal_rates_grouped"). An appeal counts once per group."""
    return {pk: r.as_dict() for pk, r in rates_by(Appeal.objects.filter(appeals_q), field, distinct=True)}


def rates_by_community(user, start: dt.date, end: dt.date) -> list[tuple[str, dict]]:
    """[(community name, rates)] of the appeals the user sees, received in the period ("appeal_rates_by_community")."""
    lo, hi = metrics.day_bounds(start, end)
    appeals = appeals_for(user).filter(received_at__gte=lo, received_at__lt=hi)
    from dangjian.orgs.models import Org

    names = dict(Org.objects.filter(pk__in=appeals.values("org")).values_list("pk", "name"))
    return sorted(((names.get(pk, ""), r.as_dict()) for pk, r in rates_by(appeals, "org")), key=lambda x: x[0])


def duplicate_candidates(user, appeal: Appeal, *, limit: int = 5) -> list[tuple[Appeal, float]]:
    """Open appeals of the same community, received within the window, that read like the same problem:
    [(appeal, score)], best first. Only what the user may edit is offered."""
    conf = {**duplicates.DEFAULTS, **settings.DANGJIAN.get("APPEAL_DUPLICATE", {})}
    window = dt.timedelta(days=conf["window_days"])
    others = (appeals_for(user, roles.EDIT_WORK)
              .filter(org=appeal.org, state__in=OPEN_STATES, merged_into__isnull=True,
                      received_at__gte=appeal.received_at - window, received_at__lte=appeal.received_at + window)
              .exclude(pk=appeal.pk).annotate(callers=Count("duplicates"))[:500])
    me = duplicates.Case(appeal.text, appeal.address, appeal.category or appeal.suggested_category)
    scored = [(o, duplicates.similarity(me, duplicates.Case(o.text, o.address, o.category or o.suggested_category),
                                        conf)) for o in others]
    scored = [(o, s) for o, s in scored if s >= conf["threshold"]]
    scored.sort(key=lambda x: (-x[1], x[0].received_at))
    return scored[:limit]


def _related(title, appeals: QuerySet[Appeal], *, size: int = 10):
    from django.urls import reverse

    from dangjian.core.references import RelatedWork

    rates = appeal_rates(appeals)
    pct = lambda v: "—" if v is None else f"{round(v * 100)}%"  # noqa: E731
    from django.utils.translation import gettext as _

    figures = [(_("Resolution rate"), pct(rates.resolution_rate)), (_("Satisfaction rate"), pct(rates.satisfaction_rate)),
               (_("Not called back"), str(rates.not_called_back))]
    rows = [(a.tracking_code, reverse("appeals:detail", args=[a.pk]), a.received_at, a.get_state_display())
            for a in appeals.order_by("-received_at", "-id")[:size]]
    return RelatedWork(title=title, rows=rows, total=appeals.count(), figures=figures)


def member_cases(member, *, user):
    """Cases from the households this member served when they came in (the member's page)."""
    from django.utils.translation import gettext as _

    return _related(_("Appeals from the households I serve"),
                    appeals_for(user).filter(household_member=member, merged_into__isnull=True))


def grid_cases(grid, *, user):
    """Every case of the grid, handled or open (the grid's page), with the grid's 三率 over them."""
    from django.utils.translation import gettext as _

    return _related(_("Appeals handled by this grid"), appeals_for(user).filter(grid=grid, merged_into__isnull=True))


def open_in_grid(grid, *, user=None) -> QuerySet[Appeal]:
    """The grid's open appeals, oldest first; only those the user sees when a user is given."""
    qs = appeals_for(user) if user is not None else Appeal.objects.all()
    return qs.filter(grid=grid, state__in=open_states()).order_by("received_at")
