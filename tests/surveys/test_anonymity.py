"""Anonymity by construction: tokens, responses and the log cannot be joined to a person or a token."""

import datetime as dt
import time

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.surveys import guard, services, tokens
from dangjian.surveys.models import Answer, Response, Token

from .conftest import answers_for

pytestmark = pytest.mark.django_db


def test_tokens_stored_only_as_keyed_hash(open_round, officer):
    plain = services.tokens_issue(by=officer, round=open_round, count=5)
    stored = list(Token.objects.values_list("digest", flat=True))
    assert len(plain) == len(set(plain)) == 5
    assert sorted(stored) == sorted(tokens.digest(t) for t in plain)
    assert not set(plain) & set(stored)
    assert {f.name for f in Token._meta.get_fields()} == {"id", "round", "digest", "used"}
    # Keyed: the digest is not a plain hash of the token.
    import hashlib

    assert tokens.digest(plain[0]) != hashlib.sha256(plain[0].encode()).hexdigest()


def test_token_rows_not_in_sheet_order(open_round, officer):
    plain = services.tokens_issue(by=officer, round=open_round, count=60)
    by_id = list(Token.objects.order_by("id").values_list("digest", flat=True))
    assert sorted(by_id) == sorted(tokens.digest(t) for t in plain)
    assert by_id != [tokens.digest(t) for t in plain]  # 1 / 60! chance of a false failure


def test_answer_tables_carry_no_link_to_person_token_or_time():
    for model in (Response, Answer):
        for f in model._meta.get_fields():
            if f.is_relation and f.many_to_one:
                assert f.related_model._meta.label in ("surveys.Round", "surveys.Response", "surveys.Question"), f
            assert not isinstance(f, (models.DateTimeField, models.GenericIPAddressField)), f
            assert f.name not in ("token", "user", "ip", "member")
        assert isinstance(model._meta.pk, models.UUIDField)
    # No model anywhere points at a response or an answer except the engine's own.
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if f.is_relation and f.many_to_one and f.related_model in (Response, Answer, Token):
                assert model in (Answer, ), (model, f)


def test_submission_leaves_no_join(open_round, officer, client):
    plain = services.tokens_issue(by=officer, round=open_round, count=3)
    before = AuditEntry.objects.count()
    url = reverse("surveys:answer", args=[plain[1]])
    stamp = guard.stamp(open_round.pk, now=time.time() - 60)
    r = client.post(url, {"stamp": stamp, **{f"q{k}": v for k, v in answers_for(open_round, text="多组织活动").items()}},
                    REMOTE_ADDR="203.0.113.7")
    assert r.status_code == 200 and "匿名提交" in r.content.decode()
    response = Response.objects.get()
    assert response.submitted_on == timezone.localdate()
    assert Token.objects.filter(used=True).count() == 1
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.target_type == "surveys.Round" and "收到一份答卷" in entry.target_repr
    dumped = str(vars(entry))
    assert entry.actor_id is None and entry.ip is None and entry.target_id == str(open_round.pk)
    for secret in (plain[1], tokens.digest(plain[1]), str(response.pk), "203.0.113.7", "多组织活动"):
        assert secret not in dumped
    # The token row kept no time and no address either.
    with connection.cursor() as cur:
        cur.execute(f"SELECT * FROM {Token._meta.db_table}")
        for row in cur.fetchall():
            assert "203.0.113.7" not in str(row)


def test_token_reuse_refused(open_round, officer):
    plain = services.tokens_issue(by=officer, round=open_round, count=1)[0]
    services.response_submit(token=plain, answers=answers_for(open_round))
    with pytest.raises(ValidationError, match="只能使用一次"):
        services.response_submit(token=plain, answers=answers_for(open_round, rating=1))
    assert Response.objects.count() == 1 and Answer.objects.filter(rating=1).count() == 0


def test_unknown_token_refused(open_round):
    with pytest.raises(ValidationError, match="链接无效"):
        services.response_submit(token="guess", answers=answers_for(open_round))


def test_late_submission_refused_at_the_boundary(open_round, officer):
    plain = services.tokens_issue(by=officer, round=open_round, count=2)
    closes = open_round.closes_at
    with pytest.raises(ValidationError, match="已于 .* 截止"):
        services.response_submit(token=plain[0], answers=answers_for(open_round), now=closes)
    services.response_submit(token=plain[0], answers=answers_for(open_round), now=closes - dt.timedelta(seconds=1))
    assert Response.objects.count() == 1 and not Token.objects.filter(used=False).count() == 2


def test_early_submission_refused(open_round, officer):
    plain = services.tokens_issue(by=officer, round=open_round, count=1)[0]
    with pytest.raises(ValidationError, match="尚未开始"):
        services.response_submit(token=plain, answers=answers_for(open_round),
                                 now=open_round.opens_at - dt.timedelta(seconds=1))
    assert not Token.objects.filter(used=True).exists()


def test_invalid_answers_write_nothing(open_round, officer):
    plain = services.tokens_issue(by=officer, round=open_round, count=1)[0]
    for bad in (answers_for(open_round, rating=6), answers_for(open_round, single="不存在"),
                answers_for(open_round, rating="")):
        with pytest.raises(ValidationError):
            services.response_submit(token=plain, answers=bad)
    assert not Response.objects.exists() and not Token.objects.filter(used=True).exists()


def test_honeypot_and_signed_stamp(open_round):
    now = time.time()
    ok = guard.stamp(open_round.pk, now=now - 30)
    guard.check(data={"stamp": ok}, round_id=open_round.pk, now=now)
    with pytest.raises(ValidationError, match="自动填写"):
        guard.check(data={"stamp": ok, guard.HONEYPOT: "http://spam"}, round_id=open_round.pk, now=now)
    with pytest.raises(ValidationError, match="过快"):
        guard.check(data={"stamp": guard.stamp(open_round.pk, now=now)}, round_id=open_round.pk,
                    now=now + guard.min_seconds() - 1)
    guard.check(data={"stamp": guard.stamp(open_round.pk, now=now)}, round_id=open_round.pk, now=now + guard.min_seconds())
    with pytest.raises(ValidationError, match="失效"):
        guard.check(data={"stamp": ok}, round_id=open_round.pk + 1, now=now)
    with pytest.raises(ValidationError, match="失效"):
        guard.check(data={"stamp": ok + "x"}, round_id=open_round.pk, now=now)
    with pytest.raises(ValidationError, match="过长"):
        guard.check(data={"stamp": ok}, round_id=open_round.pk, now=now - 30 + guard.max_age() + 1)


def test_bot_post_through_the_page_refused(open_round, officer, client):
    plain = services.tokens_issue(by=officer, round=open_round, count=1)[0]
    fields = {f"q{k}": v for k, v in answers_for(open_round).items()}
    r = client.post(reverse("surveys:answer", args=[plain]), fields)  # no stamp: a script
    assert "表单已失效" in r.content.decode()
    r = client.post(reverse("surveys:answer", args=[plain]),
                    {**fields, "stamp": guard.stamp(open_round.pk, now=time.time() - 60), "website": "x"})
    assert "自动填写" in r.content.decode() and not Response.objects.exists()


def test_secret_key_is_the_hmac_key(settings):
    settings.SECRET_KEY = "one"
    a = tokens.digest("t")
    settings.SECRET_KEY = "two"
    assert tokens.digest("t") != a
