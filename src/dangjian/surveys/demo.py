"""Demo democratic evaluation: last December's round for each branch, finished, with anonymous responses.

Tokens are stored as the engine stores them (keyed hash, used flag); the demo
never keeps the plain tokens. Responses carry the day only.
"""

import datetime as dt
import uuid

from django.utils import timezone

from dangjian.orgs.demo_data.personas import superior_and_branches
from dangjian.surveys import tokens
from dangjian.surveys.models import Answer, Question, Questionnaire, Response, Round, Token

QUESTIONS = [
    ("对支部班子整体工作的评价", "rating", []),
    ("对支部书记履职情况的评价", "rating", []),
    ("支部联系服务群众情况", "single", ["好", "较好", "一般", "差"]),
    ("希望支部加强的方面", "multiple", ["政治学习", "服务群众", "组织生活", "党员管理"]),
    ("意见和建议", "text", []),
]
COMMENTS = ["希望多组织志愿服务活动。", "组织生活内容可以更丰富。", "书记工作认真负责。", "建议加强对老党员的关心。"]


def _aware(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def seed(*, rng, today: dt.date, log) -> None:
    if Questionnaire.objects.exists():
        log("surveys: already present, skipped")
        return
    top, branches = superior_and_branches(12)
    if top is None or not branches:
        log("surveys: no organisations, skipped")
        return
    q = Questionnaire.objects.create(org=top, title="基层党组织民主测评表", description="由党员和群众匿名填写。")
    questions = Question.objects.bulk_create(Question(questionnaire=q, position=i, text=t, kind=k, choices=c, required=k != "text")
                                             for i, (t, k, c) in enumerate(QUESTIONS, 1))
    last_dec = dt.date(today.year - 1, 12, 1)
    n_responses = 0
    for org in branches:
        r = Round.objects.create(questionnaire=q, org=org, title=f"{last_dec.year} 年度{org.name}民主测评", subject="org",
                                 audience=rng.choice(["members", "residents"]), opens_at=_aware(last_dec, 9),
                                 closes_at=_aware(last_dec + dt.timedelta(days=14), 18), min_responses=5)
        issued = rng.randint(12, 30)
        used = rng.randint(6, issued)
        # Keyed hashes of throwaway tokens: nobody holds them, as after a real round.
        Token.objects.bulk_create(Token(round=r, digest=tokens.digest(tokens.new_token()), used=i < used) for i in range(issued))
        Round.objects.filter(pk=r.pk).update(tokens_issued=issued)
        base = rng.choice([3, 4, 4, 5])
        responses = [Response(id=uuid.UUID(int=rng.getrandbits(128), version=4), round=r,
                              submitted_on=last_dec + dt.timedelta(days=rng.randint(0, 13))) for _ in range(used)]
        Response.objects.bulk_create(responses)
        answers = []
        for resp in responses:
            for qu in questions:
                row = {"response": resp, "question": qu, "id": uuid.UUID(int=rng.getrandbits(128), version=4)}
                if qu.kind == "rating":
                    row["rating"] = max(1, min(5, base + rng.choice([-1, 0, 0, 1])))
                elif qu.kind == "single":
                    row["choices"] = [rng.choice(qu.choices[:3])]
                elif qu.kind == "multiple":
                    row["choices"] = sorted(rng.sample(qu.choices, 2), key=qu.choices.index)
                elif rng.random() < 0.4:
                    row["text"] = rng.choice(COMMENTS)
                else:
                    continue
                answers.append(Answer(**row))
        Answer.objects.bulk_create(answers)
        n_responses += used
    log(f"surveys: {len(branches)} finished evaluation rounds, {n_responses} anonymous responses")
