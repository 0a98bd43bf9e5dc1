"""Writes for questionnaires and evaluation rounds. The submission keeps answers unlinkable."""

import datetime as dt
import random
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.accounts import roles
from dangjian.audit.services import Action, audit_record, diff
from dangjian.core import middleware
from dangjian.projects.services import require, require_superior
from dangjian.surveys import tokens
from dangjian.surveys.models import (
    Answer,
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
    require(by, roles.EDIT_WORK, org)
    if not (title or "").strip():
        raise ValidationError({"title": "请填写问卷名称"})
    q = Questionnaire.objects.create(org=org, title=title.strip(), description=description.strip(), created_by=by)
    audit_record(actor=by, action=Action.CREATE, target=q, org=org, changes=diff(None, {"title": q.title}))
    return q


def _in_use(questionnaire: Questionnaire) -> bool:
    return questionnaire.rounds.filter(opens_at__lte=timezone.now()).exists()


@transaction.atomic
def question_add(*, by, questionnaire: Questionnaire, text: str, kind: str, choices: list[str] | None = None,
                 required: bool = True) -> Question:
    require(by, roles.EDIT_WORK, questionnaire.org)
    if _in_use(questionnaire):
        raise ValidationError({"text": "问卷已用于已开始的测评，不能再修改题目"})
    choices = [c.strip() for c in (choices or []) if c and c.strip()]
    errors = {}
    if not (text or "").strip():
        errors["text"] = "请填写题目"
    if kind not in QuestionKind.values:
        errors["kind"] = "题型无效"
    elif kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(choices) < 2:
        errors["choices"] = "选择题至少需要两个选项"
    elif len(set(choices)) != len(choices):
        errors["choices"] = "选项不能重复"
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
        require(by, roles.EDIT_WORK, org)
    else:
        require_superior(by, org)


@transaction.atomic
def round_create(*, by, questionnaire: Questionnaire, org, title: str, subject: str, audience: str,
                 opens_at: dt.datetime, closes_at: dt.datetime, min_responses: int = 5) -> Round:
    require(by, roles.VIEW_WORK, questionnaire.org)
    _require_organiser(by, org, subject)
    errors = {}
    if not (title or "").strip():
        errors["title"] = "请填写测评名称"
    if closes_at <= opens_at:
        errors["closes_at"] = "截止时间须晚于开始时间"
    if min_responses < 1:
        errors["min_responses"] = "最少答卷数须至少为 1"
    if not questionnaire.questions.exists():
        errors["questionnaire"] = "问卷还没有题目"
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
        raise ValidationError({"count": "测评已截止，不能再发放链接"})
    if not 1 <= count <= MAX_TOKENS_PER_BATCH:
        raise ValidationError({"count": f"每次可发放 1 到 {MAX_TOKENS_PER_BATCH} 个链接"})
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
        raise ValidationError({"__all__": f"测评尚未开始，将于 {opens:%Y-%m-%d %H:%M} 开放。"})
    if now >= round.closes_at:
        closes = timezone.localtime(round.closes_at)
        raise ValidationError({"__all__": f"测评已于 {closes:%Y-%m-%d %H:%M} 截止，不再接受提交。"})


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
                    errors[key] = "请为此项评分"
                continue
            if not 1 <= rating <= 5:
                errors[key] = "评分须在 1 到 5 之间"
                continue
            rows.append({"question": q, "rating": rating})
        elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            picked = value if isinstance(value, (list, tuple)) else ([value] if value not in (None, "") else [])
            picked = [p for p in picked if p not in (None, "")]
            if not picked:
                if q.required:
                    errors[key] = "请选择"
                continue
            if any(p not in q.choices for p in picked) or (q.kind == QuestionKind.SINGLE and len(picked) > 1):
                errors[key] = "选项无效"
                continue
            rows.append({"question": q, "choices": sorted(set(picked), key=q.choices.index)})
        else:
            text = (value or "").strip() if isinstance(value, str) else ""
            if not text:
                if q.required:
                    errors[key] = "请填写"
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
                     target_repr=f"{round.title}：收到一份答卷", changes={})
    finally:
        middleware._client_ip.reset(ip)


@transaction.atomic
def response_submit(*, token: str, answers: dict[int, Any], now: dt.datetime | None = None) -> Round:
    """Store one anonymous response. The token is marked used in the same transaction, and
    nothing links the two: the response row has a random key and the day only."""
    now = now or timezone.now()
    tok = Token.objects.select_for_update().select_related("round").filter(digest=tokens.digest(token or "")).first()
    if tok is None:
        raise ValidationError({"__all__": "链接无效，请核对二维码或链接。"})
    round = tok.round
    check_open(round, now=now)
    if tok.used:
        raise ValidationError({"__all__": "此链接已提交过答卷，每个链接只能使用一次。"})
    rows = _clean_answers(list(round.questionnaire.questions.all()), answers)
    if not Token.objects.filter(pk=tok.pk, used=False).update(used=True):
        raise ValidationError({"__all__": "此链接已提交过答卷，每个链接只能使用一次。"})
    response = Response.objects.create(round=round, submitted_on=timezone.localdate(now))
    _sysrand.shuffle(rows)
    Answer.objects.bulk_create(Answer(response=response, **row) for row in rows)
    _audit_anonymously(round)
    return round
