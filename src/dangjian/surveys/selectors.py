"""Reads for questionnaires and rounds. Results exist only above the round's minimum."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Avg, Count, QuerySet
from django.utils import timezone

from dangjian.accounts import roles
from dangjian.core.scoping import scoped
from dangjian.surveys.models import Answer, Audience, QuestionKind, Questionnaire, Round


def questionnaires_for(user) -> QuerySet:
    return scoped(Questionnaire.objects.select_related("org"), user, roles.VIEW_WORK)


def rounds_for(user) -> QuerySet:
    return scoped(Round.objects.select_related("org", "questionnaire"), user, roles.VIEW_WORK).annotate(
        n_responses=Count("responses"))


def open_rounds(user) -> QuerySet:
    now = timezone.now()
    return rounds_for(user).filter(opens_at__lte=now, closes_at__gt=now)


@dataclass
class QuestionResult:
    question: object
    answered: int = 0
    average: float | None = None
    counts: list[tuple[str, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


@dataclass
class Results:
    responses: int
    minimum: int
    questions: list[QuestionResult]

    @property
    def shown(self) -> bool:
        return self.responses >= self.minimum


def results(round: Round) -> Results:
    n = round.responses.count()
    res = Results(n, round.min_responses, [])
    if n < round.min_responses:
        return res  # nothing about the answers leaves the database below the minimum
    answers = Answer.objects.filter(response__round=round)
    for q in round.questionnaire.questions.all():
        qa = answers.filter(question=q)
        qr = QuestionResult(q, answered=qa.count())
        if q.kind == QuestionKind.RATING:
            qr.average = qa.aggregate(a=Avg("rating"))["a"]
            by = dict(qa.values_list("rating").annotate(c=Count("id")))
            qr.counts = [(str(v), by.get(v, 0)) for v in range(1, 6)]
        elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            c = Counter(ch for row in qa.values_list("choices", flat=True) for ch in row)
            qr.counts = [(ch, c.get(ch, 0)) for ch in q.choices]
        else:
            # Sorted, so the list order says nothing about who answered when.
            qr.texts = sorted(qa.values_list("text", flat=True))
        res.questions.append(qr)
    return res


def round_score(round: Round) -> float | None:
    """The round's score out of 100: mean of all 1-5 ratings × 20; None below the minimum."""
    if round.responses.count() < round.min_responses:
        return None
    avg = Answer.objects.filter(response__round=round, rating__isnull=False).aggregate(a=Avg("rating"))["a"]
    return None if avg is None else round_half(avg * 20)


def round_half(x: float) -> float:
    return float(f"{x:.2f}")


def rounds_open_to(member, now=None) -> QuerySet:
    """Rounds open now in which the member may evaluate: members' rounds of their org or an org above it."""
    now = now or timezone.now()
    path, step = member.org.path, type(member.org).steplen
    above = [path[:end] for end in range(step, len(path) + 1, step)]
    return Round.objects.filter(audience=Audience.MEMBERS, org__path__in=above, opens_at__lte=now, closes_at__gt=now)
