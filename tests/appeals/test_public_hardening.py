"""Issue 16 #4, #5, #6, #10: the public intake and tracking hold against reuse and guessing."""

import re

import pytest
from django.test import Client

from dangjian.accounts.roles import Role
from dangjian.accounts.services import api_token_create
from dangjian.appeals import services
from dangjian.appeals.models import Appeal, IntakeChallenge
from tests.appeals.helpers import submit, walk
from tests.appeals.test_intake import _form
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def fast_form(settings):
    settings.APPEALS_MIN_FORM_SECONDS = 0


def _api(user):
    _t, raw = api_token_create(user=user, name="hotline")
    return Client(headers={"Authorization": f"Bearer {raw}"})


# --- #4 nonces are bound to their submitter ---------------------------------------


def test_another_submitters_nonce_never_returns_their_appeal(community_secretary, tree, grid1, fast_form):
    body = {"org_id": tree["community"].pk, "text": "和平路路口红绿灯坏了好几天", "address": "和平里3号楼",
            "nonce": "hotline-000123"}
    mine = _api(community_secretary).post("/api/appeals/", body, content_type="application/json")
    assert mine.status_code == 201
    colleague = UserFactory(username="hotline_2")
    grant(colleague, tree["community"], Role.SECRETARY)
    theirs = _api(colleague).post("/api/appeals/", {**body, "text": "另一件事：楼道堆放杂物"},
                                  content_type="application/json")
    assert theirs.status_code == 201
    assert theirs.json()["tracking_code"] != mine.json()["tracking_code"]
    assert "红绿灯" not in theirs.content.decode()
    # The public form takes no nonce at all: posting one brings nothing back either.
    anonymous = Client()
    r = anonymous.post("/appeals/submit/", {**_form(anonymous, org=tree["community"].pk), "nonce": "hotline-000123"},
                       follow=True)
    assert mine.json()["tracking_code"] not in r.content.decode()
    assert Appeal.objects.count() == 3


# --- #6 the check question lives on the server and is answered once ------------------


def test_the_token_does_not_carry_the_answer_and_is_used_once(as_anonymous, tree, fast_form):
    data = _form(as_anonymous, org=tree["community"].pk)
    assert IntakeChallenge.objects.get(token=data["token"]).answer == int(data["answer"])
    assert ":" not in data["token"]  # no signed payload: a random handle only
    wrong = as_anonymous.post("/appeals/submit/", {**data, "answer": str((int(data["answer"]) % 18) + 1)})
    assert wrong.status_code == 400
    # The same token with the right answer now: refused, the question was spent on the wrong answer.
    again = as_anonymous.post("/appeals/submit/", data)
    assert again.status_code == 400 and "此表单已提交过" in again.content.decode()
    assert not Appeal.objects.exists()


def test_a_token_that_brought_in_an_appeal_brings_in_no_other(as_anonymous, tree, fast_form):
    data = _form(as_anonymous, org=tree["community"].pk)
    assert as_anonymous.post("/appeals/submit/", data).status_code == 200
    replay = Client().post("/appeals/submit/", {**data, "text": "换一段内容再提交一次看看"})
    assert replay.status_code == 200 and "换一段内容" not in replay.content.decode()
    assert Appeal.objects.count() == 1


# --- #5 one rate limit over every tracking endpoint; long codes ------------------------


def test_every_tracking_endpoint_shares_one_limit_and_tells_nothing_when_over(tree, community_secretary, settings):
    settings.APPEALS_TRACK_RATE_LIMIT = 3
    appeal = walk(submit(tree["community"]), community_secretary, until="resolve")
    c = Client()
    assert c.post("/appeals/track/", {"code": "ZZZZ2222"}).status_code == 404
    assert c.post("/appeals/track/note/", {"code": "ZZZZ2223", "text": "补充"}).status_code == 400
    assert c.post("/appeals/track/rate/", {"code": "ZZZZ2224", "rating": "satisfied"}).status_code == 400
    for path, data in (("/appeals/track/", {"code": appeal.tracking_code}),
                       ("/appeals/track/note/", {"code": appeal.tracking_code, "text": "补充一下"}),
                       ("/appeals/track/rate/", {"code": appeal.tracking_code, "rating": "satisfied"})):
        r = c.post(path, data)
        page = r.content.decode()
        assert r.status_code == 429, path
        assert appeal.tracking_code not in page and "已办结" not in page and "已安排清运" not in page
    appeal.refresh_from_db()
    assert appeal.rating == "" and not appeal.events.filter(step="note").exists()


def test_new_codes_have_at_least_60_bits_and_old_codes_keep_working(tree, as_anonymous):
    import math

    appeal = submit(tree["community"])
    assert len(services.CODE_ALPHABET) ** len(appeal.tracking_code) >= 2 ** 60
    assert math.log2(len(services.CODE_ALPHABET)) * services.CODE_LENGTH >= 60
    old = submit(tree["community"], text="旧查询码的诉求还要能查询")
    Appeal.objects.filter(pk=old.pk).update(tracking_code="ABCD2345")  # handed out before issue 16
    page = as_anonymous.post("/appeals/track/", {"code": "abcd 2345"}, follow=True).content.decode()
    assert "ABCD2345" in page


# --- #10 no tracking code in a URL ------------------------------------------------------


def test_tracking_codes_never_travel_in_a_url(as_anonymous, tree, fast_form):
    r = as_anonymous.post("/appeals/submit/", _form(as_anonymous, org=tree["community"].pk))
    appeal = Appeal.objects.get()
    assert r.status_code == 200 and "Location" not in r  # answered in place: the URL is /appeals/submit/
    looked_up = Client().post("/appeals/track/", {"code": appeal.tracking_code})
    assert looked_up.status_code == 302 and appeal.tracking_code not in looked_up["Location"]
    page = as_anonymous.get("/appeals/track/").content.decode()
    assert 'method="post"' in page
    # A code in the query string is not read: old-style links answer with the empty form.
    stranger = Client().get(f"/appeals/track/?code={appeal.tracking_code}").content.decode()
    assert "已受理" not in stranger and f">{appeal.tracking_code}<" not in stranger


# Path or query parameters that would carry a person's identifier or a resident's tracking code.
_SECRET_PARAM = re.compile(r"tracking|id_number|idnumber|phone|^code$", re.I)
# `code` parameters that name no person: indicator codes, recruitment step codes.
_CODE_ALLOWED = ("/api/metrics/", "/api/recruitment/", "/api/dashboards/drill/", "evaluation:", "dashboards:",
                 "recruitment:")
# Documented so that a client using them is told where to go: GET /api/members/ answers 400 to `id_number`
# or `phone` and names POST /api/members/search (tests/api/test_members_api.py::test_identifiers_are_refused_in_urls).
_REFUSED = {("GET", "/api/members/", "id_number"), ("GET", "/api/members/", "phone")}


def test_no_route_takes_a_tracking_code_or_identifier():
    """Every URL pattern (urls.py of every app) and every API operation, path and query parameters."""
    from django.test import Client as _C

    from tests.permissions.routes import api_operations, url_patterns

    offending = []
    for name, route in url_patterns():
        if name.startswith("api:"):
            continue  # the API's operations: from its schema below
        for param in re.findall(r"<(?:\w+:)?(\w+)>", route):
            if _SECRET_PARAM.search(param) and not name.startswith(_CODE_ALLOWED):
                offending.append((name, route))
    schema = _C().get("/api/openapi.json").json()
    for method, path in api_operations(schema):
        op = schema["paths"][path][method.lower()]
        for p in op.get("parameters", []):
            if (_SECRET_PARAM.search(p["name"]) and not path.startswith(_CODE_ALLOWED)
                    and (method, path, p["name"]) not in _REFUSED):
                offending.append((method, path, p["in"], p["name"]))
    assert not offending, offending


def test_no_template_builds_a_link_from_a_tracking_code_or_identifier():
    from pathlib import Path

    import dangjian

    root = Path(dangjian.__file__).parent
    # {% url … x.tracking_code %}, href/action/src="…{{ x.tracking_code }}…", ?code={{ … }}
    # (a value: `x.tracking_code`; the literal 'phone' naming a field to reveal is no identifier)
    value = r"\w+\.(?:tracking_code|id_number|phone)\b"
    pattern = re.compile(r"{%\s*url[^%]*" + value + r"[^%]*%}|"
                         r"(?:href|action|src|hx-\w+)=\"[^\"]*{{[^}]*" + value + r"[^}]*}}", re.I)
    found = [(str(p.relative_to(root)), m.group(0)) for p in root.rglob("*.html")
             for m in pattern.finditer(p.read_text(encoding="utf-8"))]
    assert not found, found


def test_api_names_appeals_by_id_and_finds_them_by_a_code_in_the_body(tree, community_secretary, secretary_b):
    appeal = submit(tree["community"])
    api = _api(community_secretary)
    found = api.post("/api/appeals/lookup", {"code": appeal.tracking_code.lower()}, content_type="application/json")
    assert found.status_code == 200 and found.json()["id"] == appeal.pk
    assert api.get(f"/api/appeals/{appeal.pk}").json()["tracking_code"] == appeal.tracking_code
    outsider = _api(secretary_b)
    assert outsider.post("/api/appeals/lookup", {"code": appeal.tracking_code},
                         content_type="application/json").status_code == 404
    assert outsider.get(f"/api/appeals/{appeal.pk}").status_code == 404
    # Old clients that put the code in the path get a clear 410 that names the new way, echo nothing back,
    # and learn nothing: the answer is the same for a real code and a made-up one.
    for path in (f"/api/appeals/{appeal.tracking_code}", "/api/appeals/ABCDEFGHJKMNP"):
        old = api.get(path)
        assert old.status_code == 410 and "/api/appeals/lookup" in old.json()["detail"]
        assert appeal.tracking_code not in old.content.decode()
    for suffix in ("steps", "callback", "merge"):
        old = api.post(f"/api/appeals/{appeal.tracking_code}/{suffix}", {}, content_type="application/json")
        assert old.status_code == 410
    assert api.post(f"/api/resources/needs/from-appeal/{appeal.tracking_code}").status_code == 404
    appeal.refresh_from_db()
    assert appeal.state == "received"
