"""API tokens: use is recorded at most once per interval, so reads stay reads."""

import datetime as dt

from django.utils import timezone

from dangjian.accounts.models import ApiToken
from dangjian.accounts.services import TOKEN_TOUCH_INTERVAL, api_token_create
from tests.api.conftest import ApiClient


def _get(raw, member):
    return ApiClient(raw).get(f"/api/members/{member.pk}")


def test_second_request_within_the_interval_writes_nothing(secretary_a, member_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    token, raw = api_token_create(user=secretary_a, name="script")
    assert _get(raw, member_a).status_code == 200
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    with CaptureQueriesContext(connection) as ctx:
        assert _get(raw, member_a).status_code == 200
    assert not [q for q in ctx.captured_queries if "apitoken" in q["sql"].lower() and q["sql"].startswith("UPDATE")]
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first


def test_use_is_recorded_again_once_the_interval_has_passed(secretary_a, member_a):
    token, raw = api_token_create(user=secretary_a, name="script")
    just_inside = timezone.now() - TOKEN_TOUCH_INTERVAL + dt.timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=just_inside)
    _get(raw, member_a)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == just_inside
    stale = timezone.now() - TOKEN_TOUCH_INTERVAL - dt.timedelta(seconds=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=stale)
    _get(raw, member_a)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > stale
