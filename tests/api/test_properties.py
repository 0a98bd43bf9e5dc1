"""Property checks: whatever a client sends, the API answers with a rule, never a crash."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.orgs.idnumber import make_id_number
from dangjian.orgs.models import Member

VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 10**12), st.text(max_size=40), st.just("\x00"),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)).map(str),
    st.lists(st.text(max_size=5), max_size=3),
)
FIELDS = st.sampled_from([
    "org_id", "name", "gender", "birth_date", "id_number", "phone", "joined_on", "full_member_on",
    "category", "status", "education", "tags", "job", "unknown",
])
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(body=st.dictionaries(FIELDS, VALUES, max_size=8))
def test_member_create_answers_400_or_404_for_junk(api_sec_a, tree, body):
    before = Member.objects.count()
    response = api_sec_a.post("/api/members/", body)
    assert response.status_code in (400, 404), (body, response.content)
    assert Member.objects.count() == before
    if response.status_code == 400:
        errors = response.json()["errors"]
        assert errors and all(isinstance(m, str) and m for ms in errors.values() for m in ms)


@SETTINGS
@given(
    birth=st.dates(dt.date(1930, 1, 1), dt.date(2000, 12, 31)),
    claimed=st.dates(dt.date(1930, 1, 1), dt.date(2000, 12, 31)),
    gender=st.sampled_from(["M", "F"]),
    seq=st.integers(0, 999),
)
def test_birth_date_must_agree_with_the_id_number(api_sec_a, tree, birth, claimed, gender, seq):
    number = make_id_number(area="110105", birth_date=birth, sequence=seq, gender=gender)
    body = {
        "org_id": tree["branch_a"].pk, "name": "测试", "gender": gender, "birth_date": str(claimed),
        "id_number": number, "joined_on": "2024-07-01", "category": "probationary",
    }
    response = api_sec_a.post("/api/members/", body)
    if claimed == birth:
        assert response.status_code == 201, response.json()
        Member.objects.filter(pk=response.json()["id"]).delete()
    else:
        assert response.status_code == 400
        assert "birth_date" in response.json()["errors"]


@SETTINGS
@given(params=st.dictionaries(
    st.sampled_from(["org", "status", "category", "gender", "education", "tag", "q", "id_number", "phone",
                     "page", "page_size"]),
    st.one_of(st.text(max_size=20), st.just("a\x00")), max_size=5,
))
def test_member_list_never_crashes(api_sec_a, member_a, params):
    response = api_sec_a.get("/api/members/", params)
    assert response.status_code in (200, 400, 404), (params, response.content)


def test_nul_characters_are_400_not_a_database_error(api_sec_a, member_a):
    # PostgreSQL cannot hold or compare NUL: refused at the door on both databases.
    for response in (
        api_sec_a.get("/api/members/", {"q": "张\x00"}),
        api_sec_a.get("/api/orgs/", {"q": "\x00"}),
        api_sec_a.patch(f"/api/members/{member_a.pk}", {"job": "教\x00师"}),
        api_sec_a.patch(f"/api/members/{member_a.pk}", {"tags": ["\x00"]}),
    ):
        assert response.status_code == 400
        assert "空字符" in response.json()["detail"]
