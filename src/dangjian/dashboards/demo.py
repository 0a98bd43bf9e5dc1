"""Demo: the dashboards store nothing of their own; they read the evaluation's period snapshots.

Runs after the evaluation seeder (INSTALLED_APPS order) and only reports what the pages will show.
"""

import datetime as dt

from dangjian.evaluation.models import IndexScore, Period


def seed(*, rng, today: dt.date, log) -> None:
    periods = list(Period.objects.filter(computed_at__isnull=False).order_by("start", "kind"))
    if not periods:
        log("dashboards: no computed evaluation period yet; the pages will say so")
        return
    latest = periods[-1]
    scored = IndexScore.objects.filter(period=latest, dimension="overall").count()
    log(f"dashboards: {len(periods)} computed periods to chart; {latest.label}: {scored} organisations scored")
