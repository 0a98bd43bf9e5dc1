"""Training the category classifier on what staff confirmed: run on a schedule (operations) and by
`manage.py appeals_classifier`. Writes a ClassifierRun: the fitted model every process then loads,
and its held-out accuracy per category (the classifier page, docs/appeals.md)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from dangjian.appeals import classifier
from dangjian.appeals.models import Appeal, AppealCategory, ClassifierRun

# The most recent confirmed appeals taken into a training (older ones are already well represented).
MAX_CONFIRMED = 50_000
# Runs kept (the newest is used; the rest show how accuracy moved).
KEEP_RUNS = 20


def _top_codes() -> dict[str, str]:
    """Code → first-level code, for the categories in use: retired ones teach nothing (they cannot be chosen)."""
    rows = AppealCategory.objects.select_related("parent")
    return {c.code: c.top_code for c in rows if not c.is_retired and not (c.parent_id and c.parent.is_retired)}


def examples() -> tuple[list[tuple[str, str]], int, int]:
    """(shipped + confirmed examples at first level, shipped count, confirmed count not already shipped)."""
    top = _top_codes()
    shipped = [(top[label], text) for label, text in classifier.load_examples() if label in top]
    seen = {"".join(t.split()) for _, t in shipped}
    confirmed = []
    rows = (Appeal.objects.filter(category_confirmed=True).exclude(category="").order_by("-received_at")
            .values_list("category", "text")[:MAX_CONFIRMED])
    for code, text in rows:
        if code in top:
            confirmed.append((top[code], text))
    confirmed.reverse()  # oldest first: the latest confirmation of a text wins in dedupe
    new = len({"".join(t.split()) for _, t in confirmed} - seen)
    return shipped + confirmed, len(shipped), new


def classifier_train(*, now: dt.datetime | None = None) -> ClassifierRun:
    """Evaluate on held-out texts, then fit on everything and store the run."""
    now = now or timezone.now()
    data, shipped, confirmed = examples()
    report = classifier.held_out_report(data)
    model = classifier.NaiveBayes.fit(classifier.dedupe(data))
    with transaction.atomic():
        run = ClassifierRun.objects.create(trained_at=now, shipped=shipped, confirmed=confirmed, report=report,
                                           model=model.dumps())
        old = ClassifierRun.objects.order_by("-trained_at", "-id").values_list("pk", flat=True)[KEEP_RUNS:]
        ClassifierRun.objects.filter(pk__in=list(old)).delete()
    classifier.forget_newest()  # this process suggests with the new run at once; the others within its TTL
    return run
