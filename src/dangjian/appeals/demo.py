"""Demo appeals: two years of residents' appeals for every grid, with realistic
categories and texts (the labelled examples the classifier learns from),
handling times, a few late or reopened cases, and ratings.

Deterministic from rng; bulk_create for speed (demo data is not audited as
user writes are).
"""

import datetime as dt
import math

from django.utils import timezone

from dangjian.appeals.classifier import load_examples, shipped_model, suggest
from dangjian.appeals.models import (
    Appeal,
    AppealConfig,
    AppealEvent,
    AssigneeKind,
    Channel,
    Rating,
    State,
)
from dangjian.appeals.services import new_tracking_code
from dangjian.appeals.taxonomy import SEED
from dangjian.grids.models import Grid

DEPARTMENTS = {code: unit for code, _name, _parent, unit, _a, _r in SEED}
NAMES = {code: name for code, name, _parent, _unit, _a, _r in SEED}
RESOLUTIONS = ["已现场处理完毕，并电话回访居民", "已协调相关部门处理，问题已解决", "已答复居民并提供办理指引",
               "已安排专人维修，居民确认修复", "已组织双方调解，达成一致意见"]
CHANNELS = [Channel.WEB] * 5 + [Channel.PHONE] * 3 + [Channel.WALK_IN, Channel.GRID]
PER_GRID_PER_DAY = 0.25
MAX_APPEALS = 40_000


def _hours(rng, median: float, spread: float = 0.8) -> float:
    return median * math.exp(rng.gauss(0, spread))


def seed(*, rng, today: dt.date, log) -> None:
    if Appeal.objects.exists():
        log("appeals: already present, skipped")
        return
    grids = list(Grid.objects.select_related("org").order_by("code"))
    if not grids:
        log("appeals: no grids, skipped")
        return
    config = AppealConfig.current()
    examples = load_examples()
    tz = timezone.get_current_timezone()
    # "Now" follows the demo's today, so a demo built for another date is consistent.
    now = dt.datetime.combine(today, dt.time(18, 0), tzinfo=tz)
    start = today - dt.timedelta(days=730)
    rate = min(PER_GRID_PER_DAY, MAX_APPEALS / (730 * len(grids)))
    codes: set[str] = set()
    appeals: list[Appeal] = []
    timelines: list[list[tuple]] = []
    for grid in grids:
        estate = grid.keyword_list()[0]
        day = start
        while day <= today:
            for _ in range(_poisson(rng, rate)):
                received = dt.datetime.combine(day, dt.time(rng.randint(7, 21), rng.randint(0, 59)), tzinfo=tz)
                if received > now:
                    continue
                label, text = rng.choice(examples)
                a, events = _one(rng, grid, estate, label, text, received, now, config)
                code = new_tracking_code()
                while code in codes:
                    code = new_tracking_code()
                codes.add(code)
                a.tracking_code = code
                appeals.append(a)
                timelines.append(events)
            day += dt.timedelta(days=1)
    Appeal.objects.bulk_create(appeals, batch_size=2000)
    stored = dict(Appeal.objects.values_list("tracking_code", "pk"))
    rows = []
    for a, events in zip(appeals, timelines, strict=True):
        pk = stored[a.tracking_code]
        prev = ""
        for step, to_state, at, label, note in events:
            rows.append(AppealEvent(appeal_id=pk, step=step, from_state=prev, to_state=to_state, at=at,
                                    by_label=label, note=note))
            prev = to_state
    AppealEvent.objects.bulk_create(rows, batch_size=5000)
    open_count = sum(a.state in (State.RECEIVED, State.ACCEPTED, State.ASSIGNED, State.IN_PROGRESS) for a in appeals)
    log(f"appeals: {len(appeals)} appeals over two years ({open_count} open), {len(rows)} workflow events")


def _poisson(rng, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _one(rng, grid, estate, label, text, received, now, config):
    is_complex = rng.random() < 0.08
    a = Appeal(
        channel=rng.choice(CHANNELS), org=grid.org, grid=grid, text=text,
        address=f"{estate}{rng.randint(1, 24)}号楼", suggested_category=suggest(text, shipped_model()),
        category=label, category_name=NAMES.get(label, label), category_confirmed=True, is_complex=is_complex, received_at=received,
        accept_due_at=received + config.accept_delta,
        resolve_due_at=received + config.resolve_delta(complex_case=is_complex),
    )
    events = [("submit", State.RECEIVED, received, "居民", a.get_channel_display())]
    if rng.random() < 0.03:
        t = received + dt.timedelta(hours=_hours(rng, 3))
        if t <= now:
            a.state, a.closed_at = State.REJECTED, t
            events.append(("reject", State.REJECTED, t, "工作人员", "重复反映，已并案处理"))
            # Most declines were approved by the street (they then leave the rates); the rest still wait.
            approved = t + dt.timedelta(hours=_hours(rng, 20))
            if approved <= now and rng.random() < 0.7:
                a.decline_approved_at = approved
                events.append(("approve_decline", State.REJECTED, approved, "上级", ""))
        return a, events
    accepted = received + dt.timedelta(hours=_hours(rng, 5, 0.9))
    assigned = accepted + dt.timedelta(hours=_hours(rng, 2))
    started = assigned + dt.timedelta(hours=_hours(rng, 6))
    median_days = 9 if is_complex else 3
    resolved = started + dt.timedelta(hours=_hours(rng, 24 * median_days, 0.7))
    steps = [("accept", State.ACCEPTED, accepted, "accepted_at"), ("assign", State.ASSIGNED, assigned, "assigned_at"),
             ("start", State.IN_PROGRESS, started, "started_at"), ("resolve", State.RESOLVED, resolved, "resolved_at")]
    for step, state, at, stamp in steps:
        if at > now:
            break
        a.state = state
        setattr(a, stamp, at)
        note = ""
        if step == "assign":
            a.assignee_kind, a.assignee_name = (AssigneeKind.GRID, grid.name) if rng.random() < 0.5 else (
                AssigneeKind.DEPARTMENT, DEPARTMENTS.get(a.category, "党群服务中心"))
            note = a.assignee_name
        if step == "resolve":
            a.resolution = rng.choice(RESOLUTIONS)
            a.resolved_late = at > a.resolve_due_at
            note = a.resolution
        events.append((step, state, at, "工作人员", note))
    if a.state != State.RESOLVED:
        return a, events
    rated = a.resolved_at + dt.timedelta(hours=_hours(rng, 20))
    if rated > now or rng.random() < 0.25:
        closes = a.resolved_at + dt.timedelta(days=config.rating_days)
        if closes <= now:
            a.state, a.closed_at = State.CLOSED, closes
            events.append(("close", State.CLOSED, closes, "系统", "居民逾期未评价，系统自动办结"))
        return a, events
    roll = rng.random()
    if roll < 0.08:
        a.rating, a.rated_at, a.reopen_count = Rating.DISSATISFIED, rated, 1
        a.callback_resolved = False
        a.state = State.IN_PROGRESS
        a.resolve_due_at = rated + config.resolve_delta(complex_case=is_complex)
        events.append(("reopen", State.IN_PROGRESS, rated, "居民", "问题仍未解决"))
        again = rated + dt.timedelta(hours=_hours(rng, 48))
        if again > now:
            return a, events
        a.state, a.resolved_at = State.RESOLVED, again
        a.resolved_late = a.resolved_late or again > a.resolve_due_at
        events.append(("resolve", State.RESOLVED, again, "工作人员", "再次上门处理，问题已解决"))
        rated = again + dt.timedelta(hours=_hours(rng, 20))
        if rated > now:
            return a, events
        roll = 0.5
    a.rating = Rating.SATISFIED if roll < 0.72 else Rating.BASIC if roll < 0.93 else Rating.DISSATISFIED
    if a.rating == Rating.DISSATISFIED:
        a.rating = Rating.BASIC
    a.rated_at = a.closed_at = rated
    a.state = State.CLOSED
    # The answer at 回访: about a third by the call-back staff of the street, the rest by the resident online.
    a.callback_resolved = True
    who = "回访" if rng.random() < 0.35 else "居民"
    events.append(("rate", State.CLOSED, rated, who, a.get_rating_display()))
    return a, events
