"""JSON API for evaluation rounds: list, results (only above the minimum), and the anonymous submission."""

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from ninja import Router, Schema

from dangjian.accounts import roles
from dangjian.core.scoping import get_scoped_or_404
from dangjian.surveys import selectors, services
from dangjian.surveys.models import Round

router = Router(tags=[pgettext_lazy("api tag", "Democratic evaluation")])


class RoundOut(Schema):
    id: int
    org_id: int
    title: str
    subject: str
    audience: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    min_responses: int
    tokens_issued: int
    n_responses: int


class QuestionResultOut(Schema):
    question_id: int
    text: str
    kind: str
    answered: int
    average: float | None
    counts: list[tuple[str, int]]
    texts: list[str]


class ResultsOut(Schema):
    responses: int
    minimum: int
    shown: bool
    score: float | None
    questions: list[QuestionResultOut]


@router.get("/rounds", response=list[RoundOut])
def list_rounds(request):
    return list(selectors.rounds_for(request.user)[:500])


@router.get("/rounds/{int:round_id}/results", response=ResultsOut)
def round_results(request, round_id: int):
    r = get_scoped_or_404(Round.objects.all(), request.user, roles.VIEW_WORK, pk=round_id)
    res = selectors.results(r)
    return {"responses": res.responses, "minimum": res.minimum, "shown": res.shown, "score": selectors.round_score(r),
            "questions": [{"question_id": q.question.pk, "text": q.question.text, "kind": q.question.kind,
                           "answered": q.answered, "average": q.average, "counts": q.counts, "texts": q.texts}
                          for q in res.questions]}


class SubmitIn(Schema):
    token: str
    answers: dict[int, Any]


@router.post("/submit", auth=None, response={200: dict})
def submit(request, payload: SubmitIn):
    """For a kiosk or app client holding a token. The same single-use rule; no honeypot (no HTML form)."""
    services.response_submit(token=payload.token, answers=payload.answers)
    return {"detail": _("Answers submitted anonymously")}


class IssueIn(Schema):
    count: int


class IssueOut(Schema):
    round_id: int
    tokens: list[str]


@router.post("/rounds/{int:round_id}/tokens", response=IssueOut)
def issue_tokens(request, round_id: int, payload: IssueIn):
    """New one-time tokens, returned once: only their keyed hashes are kept."""
    r = get_scoped_or_404(Round.objects.select_related("org"), request.user, roles.VIEW_WORK, pk=round_id)
    return {"round_id": r.pk, "tokens": services.tokens_issue(by=request.user, round=r, count=payload.count)}
