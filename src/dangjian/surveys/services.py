"""Writes for questionnaires and evaluation rounds. The submission keeps answers unlinkable."""

import datetime as dt
import random
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import roles
from dangjian.audit.services import Action, audit_record, diff
from dangjian.core import middleware
from dangjian.core.http import require_in_scope, require_superior
from dangjian.surveys import tokens
from dangjian.surveys.models import (
    Answer,
    MemberLink,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    Round,
    Subject,
    Token,
)

MAX_TOKENS_PER_BATCH = 2000
_sysrand = random.SystemRandom()


@transaction.atomic
def questionnaire_create(*, by, org, title: str, description: str = "") -> Questionnaire:
    require_in_scope(by, roles.EDIT_WORK, org)
    if not (title or "").strip():
        raise ValidationError({"title": _("Enter the questionnaire's title")})
    q = Questionnaire.objects.create(org=org, title=title.strip(), description=description.strip(), created_by=by)
    audit_record(actor=by, action=Action.CREATE, target=q, org=org, changes=diff(None, {"title": q.title}))
    return q


def _in_use(questionnaire: Questionnaire) -> bool:
    return questionnaire.rounds.filter(opens_at__lte=timezone.now()).exists()


@transaction.atomic
def question_add(*, by, questionnaire: Questionnaire, text: str, kind: str, choices: list[str] | None = None,
                 required: bool = True) -> Question:
    require_in_scope(by, roles.EDIT_WORK, questionnaire.org)
    if _in_use(questionnaire):
        raise ValidationError({"text": _("The questionnaire is used by an evaluation that has started: its questions can no longer be changed")})
    choices = [c.strip() for c in (choices or []) if c and c.strip()]
    errors = {}
    if not (text or "").strip():
        errors["text"] = _("Enter the question")
    if kind not in QuestionKind.values:
        errors["kind"] = _("Invalid kind of question")
    elif kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(choices) < 2:
        errors["choices"] = _("A choice question needs at least two options")
    elif len(set(choices)) != len(choices):
        errors["choices"] = _("Options cannot repeat")
    if errors:
        raise ValidationError(errors)
    if kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        choices = []
    position = questionnaire.questions.count() + 1
    q = Question.objects.create(questionnaire=questionnaire, text=text.strip(), kind=kind, choices=choices,
                                required=required, position=position)
    audit_record(actor=by, action=Action.CREATE, target=q, org=questionnaire.org, target_repr=f"{questionnaire} · {q.text}",
                 changes=diff(None, {"text": q.text, "kind": kind, "choices": choices}))
    return q


def _require_organiser(by, org, subject: str) -> None:
    """Evaluations of an organisation or its secretary are organised from above, never by the evaluated."""
    if subject == Subject.SURVEY:
        require_in_scope(by, roles.EDIT_WORK, org)
    else:
        require_superior(by, org, view=roles.VIEW_WORK, assess=roles.ASSESS)


@transaction.atomic
def round_create(*, by, questionnaire: Questionnaire, org, title: str, subject: str, audience: str,
                 opens_at: dt.datetime, closes_at: dt.datetime, min_responses: int = 5) -> Round:
    require_in_scope(by, roles.VIEW_WORK, questionnaire.org)
    _require_organiser(by, org, subject)
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Enter the evaluation's title")
    if closes_at <= opens_at:
        errors["closes_at"] = _("The closing time must be after the opening time")
    if min_responses < 1:
        errors["min_responses"] = _("The minimum number of answers must be at least 1")
    if not questionnaire.questions.exists():
        errors["questionnaire"] = _("The questionnaire has no questions yet")
    if errors:
        raise ValidationError(errors)
    r = Round.objects.create(questionnaire=questionnaire, org=org, title=title.strip(), subject=subject,
                             audience=audience, opens_at=opens_at, closes_at=closes_at,
                             min_responses=min_responses, created_by=by)
    audit_record(actor=by, action=Action.CREATE, target=r, org=org, changes=diff(None, {
        "title": r.title, "subject": subject, "audience": audience, "opens_at": opens_at, "closes_at": closes_at,
        "min_responses": min_responses}))
    return r


@transaction.atomic
def tokens_issue(*, by, round: Round, count: int) -> list[str]:
    """New one-time links. The plain tokens exist only in the returned list (print them now)."""
    _require_organiser(by, round.org, round.subject)
    if round.closes_at <= timezone.now():
        raise ValidationError({"count": _("The evaluation is closed: no more links can be handed out")})
    if not 1 <= count <= MAX_TOKENS_PER_BATCH:
        raise ValidationError({"count": _("Between 1 and %(max)d links can be handed out at a time") % {"max": MAX_TOKENS_PER_BATCH}})
    plain = [tokens.new_token() for _ in range(count)]
    # Stored in an order unrelated to the sheet's: a row id says nothing about which slip it is.
    stored = [tokens.digest(t) for t in plain]
    _sysrand.shuffle(stored)
    Token.objects.bulk_create(Token(round=round, digest=d) for d in stored)
    Round.objects.filter(pk=round.pk).update(tokens_issued=round.tokens_issued + count)
    round.tokens_issued += count
    audit_record(actor=by, action=Action.CREATE, target=round, org=round.org, changes={"tokens_issued": [None, count]})
    return plain


def token_round(token: str) -> Round | None:
    """The round a token belongs to (for rendering its form), or None."""
    tok = Token.objects.select_related("round__questionnaire").filter(digest=tokens.digest(token or "")).first()
    return tok.round if tok else None


def check_open(round: Round, *, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    if now < round.opens_at:
        opens = timezone.localtime(round.opens_at)
        raise ValidationError({"__all__": _("The evaluation has not started yet; it opens on %(opens)s.") % {
            "opens": f"{opens:%Y-%m-%d %H:%M}"}})
    if now >= round.closes_at:
        closes = timezone.localtime(round.closes_at)
        raise ValidationError({"__all__": _("The evaluation closed on %(closes)s and takes no more answers.") % {
            "closes": f"{closes:%Y-%m-%d %H:%M}"}})


def _clean_answers(questions: list[Question], raw: dict[int, Any]) -> list[dict]:
    rows, errors = [], {}
    for q in questions:
        value = raw.get(q.pk)
        key = f"q{q.pk}"
        if q.kind == QuestionKind.RATING:
            try:
                rating = int(value) if value not in (None, "") else None
            except (TypeError, ValueError):
                rating = -1
            if rating is None:
                if q.required:
                    errors[key] = _("Rate this item")
                continue
            if not 1 <= rating <= 5:
                errors[key] = _("The rating must be between 1 and 5")
                continue
            rows.append({"question": q, "rating": rating})
        elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            picked = value if isinstance(value, (list, tuple)) else ([value] if value not in (None, "") else [])
            picked = [p for p in picked if p not in (None, "")]
            if not picked:
                if q.required:
                    errors[key] = _("Choose an option")
                continue
            if any(p not in q.choices for p in picked) or (q.kind == QuestionKind.SINGLE and len(picked) > 1):
                errors[key] = _("Invalid option")
                continue
            rows.append({"question": q, "choices": sorted(set(picked), key=q.choices.index)})
        else:
            text = (value or "").strip() if isinstance(value, str) else ""
            if not text:
                if q.required:
                    errors[key] = _("Write an answer")
                continue
            rows.append({"question": q, "text": text[:2000]})
    if errors:
        raise ValidationError(errors)
    return rows


def _audit_anonymously(round: Round) -> None:
    """The log says a response arrived for the round; no token, no actor, no address."""
    ip = middleware._client_ip.set(None)
    try:
        audit_record(actor=None, action=Action.CREATE, target=round, org=round.org,
                     target_repr=_("%(round)s: an answer received") % {"round": round.title}, changes={})
    finally:
        middleware._client_ip.reset(ip)


@transaction.atomic
def response_submit(*, token: str, answers: dict[int, Any], now: dt.datetime | None = None) -> Round:
    """Store one anonymous response. The token is marked used in the same transaction, and
    nothing links the two: the response row has a random key and the day only."""
    now = now or timezone.now()
    tok = Token.objects.select_for_update().select_related("round").filter(digest=tokens.digest(token or "")).first()
    if tok is None:
        raise ValidationError({"__all__": _("The link is not valid: check the QR code or the link.")})
    round = tok.round
    check_open(round, now=now)
    if tok.used:
        raise ValidationError({"__all__": _("This link has already been used to answer; each link can be used once.")})
    rows = _clean_answers(list(round.questionnaire.questions.all()), answers)
    if not Token.objects.filter(pk=tok.pk, used=False).update(used=True):
        raise ValidationError({"__all__": _("This link has already been used to answer; each link can be used once.")})
    response = Response.objects.create(round=round, submitted_on=timezone.localdate(now))
    _sysrand.shuffle(rows)
    Answer.objects.bulk_create(Answer(response=response, **row) for row in rows)
    _audit_anonymously(round)
    return round


@transaction.atomic
def member_link_take(*, user, round: Round) -> str:
    """One link for the signed-in member to a round open to them (surveys.selectors.rounds_open_to), once.

    Kept: that the member took a link (MemberLink). Not kept: which one; the token is
    stored as its hash only, like the printed sheet's.
    """
    from dangjian.surveys.selectors import rounds_open_to

    member = user.member if user.member_id else None
    if member is None or not rounds_open_to(member).filter(pk=round.pk).exists():
        raise ValidationError({"__all__": _("This evaluation is not open to you")})
    _link, created = MemberLink.objects.get_or_create(round=round, member=member)
    if not created:
        raise ValidationError({"__all__": _("You have already taken your link to this evaluation")})
    plain = tokens.new_token()
    Token.objects.create(round=round, digest=tokens.digest(plain))
    Round.objects.filter(pk=round.pk).update(tokens_issued=F("tokens_issued") + 1)
    audit_record(actor=user, action=Action.CREATE, target=round, org=round.org, changes={"tokens_issued": [None, 1]})
    return plain
