"""Correcting a recorded term: the election rules run again, the org follows, the earlier version is shown."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from dangjian.audit.models import AuditEntry
from dangjian.committees import services
from dangjian.committees.models import Seat, Term, TermCorrection
from dangjian.orgs.models import Member
from tests.dbstate import unchanged

from .conftest import term_args

D = dt.date


@pytest.fixture
def term(tree, secretary_a, crew):
    seats = [{"member": crew[0], "position": "secretary", "duty": "", "votes": 5},
             {"member": crew[1], "position": "member", "duty": "propaganda", "votes": 4}]
    return services.term_record(by=secretary_a, **term_args(tree["branch_a"], crew, seats=seats))


def _refused(**kwargs) -> dict:
    with pytest.raises(ValidationError) as exc:
        services.term_correct(**kwargs)
    return exc.value.message_dict


def _seat_dicts(term) -> list:
    return list(Seat.objects.filter(term=term).order_by("id").values_list("member_id", "position", "duty", "votes"))


def test_correct_dates_keeps_the_earlier_version_and_the_org_follows(tree, secretary_a, term):
    services.term_correct(by=secretary_a, term=term, start=D(2023, 6, 3), elected_on=D(2023, 6, 3), end=None,
                          reason="任期起始日期录错")
    term.refresh_from_db()
    assert (term.start, term.end) == (D(2023, 6, 3), D(2028, 6, 3))  # end recomputed: a community branch, 5 years
    org = tree["branch_a"]
    org.refresh_from_db()
    assert (org.term_start, org.term_end) == (D(2023, 6, 3), D(2028, 6, 3))
    kept = TermCorrection.objects.get()
    assert kept.before["start"] == "2023-06-01" and kept.after["start"] == "2023-06-03"
    assert kept.before["seats"] == kept.after["seats"] and kept.reason == "任期起始日期录错"
    entry = AuditEntry.objects.filter(target_type="committees.Term", action="update").get()
    assert entry.changes["start"] == ["2023-06-01", "2023-06-03"] and entry.changes["reason"] == [None, "任期起始日期录错"]
    assert AuditEntry.objects.filter(target_type="orgs.Org", action="update").count() == 2  # record, then correct


def test_correct_members_replaces_the_seats_and_moves_the_secretary(tree, secretary_a, crew, term):
    seats = [{"member": crew[2], "position": "secretary", "votes": 5},
             {"member": crew[1], "position": "member", "duty": "propaganda", "votes": 4}]
    services.term_correct(by=secretary_a, term=term, seats=seats, reason="书记姓名录错")
    assert _seat_dicts(term) == [(crew[2].pk, "secretary", "", 5), (crew[1].pk, "member", "propaganda", 4)]
    tree["branch_a"].refresh_from_db()
    assert tree["branch_a"].secretary_id == crew[2].pk
    assert TermCorrection.objects.get().before["seats"][0]["member"] == crew[0].pk


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"voters_present": 4}, "voters_present", "实到 4 人，未超过应到 5 人的五分之四，选举无效"),
        ({"start": D(2023, 5, 31)}, "start", "任期不能早于选举日期开始"),
        ({"end": D(2023, 6, 1)}, "end", "任期结束日期须晚于开始日期"),
        ({"method": "lottery"}, "method", "选举方式无效"),
        ({"elected_on": D(2023, 5, 1), "approved_on": D(2023, 4, 30)}, "approved_on", "上级批复日期不能早于选举日期"),
    ],
)
def test_the_rules_of_a_new_term_run_again(secretary_a, term, change, field, message):
    errors = _refused(by=secretary_a, term=term, reason="x", **change)
    assert errors[field] == [message]
    assert not TermCorrection.objects.exists()
    assert Term.objects.get(pk=term.pk).voters_present == 5 and Term.objects.get(pk=term.pk).start == D(2023, 6, 1)


def test_quorum_just_above_four_fifths_is_accepted(secretary_a, term):
    services.term_correct(by=secretary_a, term=term, eligible_voters=6, voters_present=5, reason="应到人数录错")
    assert Term.objects.get(pk=term.pk).eligible_voters == 6


def test_corrected_votes_exactly_half_are_not_elected(secretary_a, crew, term):
    seats = [{"member": crew[0], "position": "secretary", "votes": 5},
             {"member": crew[1], "position": "member", "votes": 3}]
    errors = _refused(by=secretary_a, term=term, eligible_voters=6, voters_present=6, seats=seats, reason="x")
    assert errors["seats"] == [f"{crew[1].name} 得票 3，未超过实到 6 人的半数，不能当选"]
    seats[1]["votes"] = 4
    services.term_correct(by=secretary_a, term=term, eligible_voters=6, voters_present=6, seats=seats,
                          reason="人数录错")
    assert _seat_dicts(term)[1] == (crew[1].pk, "member", "", 4)


def test_reason_and_a_change_required(secretary_a, term):
    assert _refused(by=secretary_a, term=term, notes="补记", reason=" ")["reason"] == ["请填写更正的原因"]
    assert _refused(by=secretary_a, term=term, start=D(2023, 6, 1), reason="x")["__all__"] == ["没有任何改动"]
    assert not TermCorrection.objects.exists()


def test_a_term_keeps_its_place_and_only_the_latest_moves_the_org(tree, secretary_a, crew, term):
    later = services.term_record(by=secretary_a, **term_args(tree["branch_a"], crew, start=D(2025, 1, 1),
                                                             elected_on=D(2025, 1, 1)))
    errors = _refused(by=secretary_a, term=term, start=D(2025, 1, 1), reason="x")
    assert "任期须早于下一届（2025-01-01 开始）" in errors["start"][0]
    errors = _refused(by=secretary_a, term=later, start=D(2023, 6, 1), elected_on=D(2023, 6, 1), reason="x")
    assert "任期须晚于上一届（2023-06-01 开始）" in errors["start"][0]
    services.term_correct(by=secretary_a, term=term, end=D(2025, 1, 1), reason="提前换届")
    tree["branch_a"].refresh_from_db()
    assert tree["branch_a"].term_start == D(2025, 1, 1) and tree["branch_a"].term_end == later.end


def test_a_member_who_left_the_roll_stays_on_the_term(tree, secretary_a, crew, member_b, term):
    Member.objects.filter(pk=crew[1].pk).update(status="transferred_out")
    services.term_correct(by=secretary_a, term=term, approval_document="2023〔12〕号", reason="补记批复文号")
    seats = [{"member": crew[0], "position": "secretary", "votes": 5},
             {"member": member_b, "position": "member", "votes": 4}]
    assert "本组织在册党员" in _refused(by=secretary_a, term=term, seats=seats, reason="x")["seats"][0]


def test_outsider_cannot_correct(secretary_b, term):
    with pytest.raises(Http404):
        services.term_correct(by=secretary_b, term=term, notes="x", reason="x")
    assert not TermCorrection.objects.exists()


# --- Pages -----------------------------------------------------------------------------

def _form_data(term, crew, **extra) -> dict:
    data = {"elected_on": "2023-06-01", "start": "2023-06-01", "end": "2026-06-01", "method": "competitive",
            "eligible_voters": 5, "voters_present": 5, "seat0_member": crew[0].pk, "seat0_position": "secretary",
            "seat0_votes": 5, "seat1_member": crew[1].pk, "seat1_position": "member", "seat1_duty": "propaganda",
            "seat1_votes": 4}
    for i in range(2, 9):
        data[f"seat{i}_position"] = "member"
    data.update(extra)
    return data


def test_correct_page_then_the_org_page_shows_the_earlier_version(as_secretary_a, tree, crew, term):
    url = reverse("committees:term_correct", args=[term.pk])
    org_url = reverse("committees:org", args=[tree["branch_a"].pk])
    assert f'href="{url}"' in as_secretary_a.get(org_url).content.decode()
    page = as_secretary_a.get(url).content.decode()
    assert "更正届期" in page and f'value="{crew[1].pk}" selected' in page and 'value="2023-06-01"' in page
    blank = as_secretary_a.post(url, _form_data(term, crew, voters_present=4, reason=""))
    assert blank.status_code == 200 and "errorlist" in blank.content.decode()
    refused = as_secretary_a.post(url, _form_data(term, crew, voters_present=4, reason="人数录错"))
    assert "五分之四" in refused.content.decode() and not TermCorrection.objects.exists()
    done = as_secretary_a.post(url, _form_data(term, crew, seat1_member=crew[3].pk, reason="委员姓名录错"))
    assert done.status_code == 302 and done["Location"] == org_url
    page = as_secretary_a.get(org_url).content.decode()
    assert "更正记录" in page and "委员姓名录错" in page and "一支部书记" in page
    assert f"<s>{crew[0].name}（书记，5 票）、{crew[1].name}（委员，宣传委员，4 票）</s>" in page


def test_correct_page_outsider_404_anonymous_redirected(as_secretary_b, as_member, as_anonymous, crew, term):
    url = reverse("committees:term_correct", args=[term.pk])
    for client in (as_secretary_b, as_member):
        assert client.get(url).status_code == 404
        with unchanged():
            assert client.post(url, _form_data(term, crew, reason="x", notes="x")).status_code == 404
    response = as_anonymous.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not TermCorrection.objects.exists()


# --- API -------------------------------------------------------------------------------

def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_api_correct_and_history(as_secretary_a, as_secretary_b, as_anonymous, crew, term):
    url = f"/api/committees/terms/{term.pk}/correct"
    assert _post(as_anonymous, url, {"notes": "x", "reason": "x"}).status_code == 401
    assert _post(as_secretary_b, url, {"notes": "x", "reason": "x"}).status_code == 404
    blank = _post(as_secretary_a, url, {"notes": "x", "reason": ""})
    assert blank.status_code == 400 and blank.json()["errors"]["reason"] == ["请填写更正的原因"]
    quorum = _post(as_secretary_a, url, {"voters_present": 4, "reason": "x"})
    assert quorum.status_code == 400 and "五分之四" in quorum.json()["detail"]
    half = _post(as_secretary_a, url, {"eligible_voters": 6, "voters_present": 6, "reason": "x",
                                       "seats": [{"member_id": crew[0].pk, "position": "secretary", "votes": 3}]})
    assert half.status_code == 400 and "未超过实到 6 人的半数" in half.json()["detail"]
    ok = _post(as_secretary_a, url, {"approved_on": "2023-06-20", "reason": "补记批复日期",
                                     "seats": [{"member_id": crew[0].pk, "position": "secretary", "votes": 5}]})
    assert ok.status_code == 200, ok.content
    assert ok.json()["approved_on"] == "2023-06-20" and len(ok.json()["seats"]) == 1
    history = as_secretary_a.get(f"/api/committees/terms/{term.pk}/corrections").json()
    assert len(history) == 1 and len(history[0]["before"]["seats"]) == 2 and history[0]["reason"] == "补记批复日期"
    assert as_secretary_b.get(f"/api/committees/terms/{term.pk}/corrections").status_code == 404
    assert as_anonymous.get(f"/api/committees/terms/{term.pk}/corrections").status_code == 401
