"""The secretary's yearly 党课 and 谈心谈话 (支部工作条例 第十九条、第二十一条; ARTICLES["secretary.duties"])."""

import datetime as dt
import json

import pytest

from dangjian.meetings.models import Meeting, Talk
from dangjian.meetings.todo import todo_items
from dangjian.orgs.models import Org
from tests.dbstate import unchanged
from tests.factories import MemberFactory

from .conftest import held_meeting

D = dt.date


@pytest.fixture
def branch(tree):
    secretary = MemberFactory(org=tree["branch_a"], name="赵书记")
    Org.objects.filter(pk=tree["branch_a"].pk).update(secretary=secretary)
    tree["branch_a"].refresh_from_db()
    return tree["branch_a"], secretary


def _duty_titles(user, today):
    return [i.title for i in todo_items(user, today) if "/meetings/talks/" in i.url]


def test_a_lecture_counts_in_its_year_only_and_the_to_do_asks_from_october(branch, secretary_a):
    org, secretary = branch
    lecture = held_meeting(org, D(2025, 12, 31), meeting_type="lecture")
    Meeting.objects.filter(pk=lecture.pk).update(lecturer=secretary)
    # September: not asked yet; October: asked for this year's lecture and talks.
    assert _duty_titles(secretary_a, D(2026, 9, 30)) == []
    titles = _duty_titles(secretary_a, D(2026, 10, 1))
    assert len(titles) == 1 and "赵书记" in titles[0]
    # Last year's lecture counted for last year.
    assert _duty_titles(secretary_a, D(2025, 12, 31)) and "lecture" not in " ".join(_duty_titles(secretary_a, D(2025, 12, 31))).lower()
    this_year = held_meeting(org, D(2026, 1, 1), meeting_type="lecture")
    Meeting.objects.filter(pk=this_year.pk).update(lecturer=secretary)
    Talk.objects.create(org=org, talker=secretary, member=MemberFactory(org=org), held_on=D(2026, 3, 1), note="思想动态")
    assert _duty_titles(secretary_a, D(2026, 10, 1)) == []


def test_talks_recorded_through_the_page_count_for_the_secretary(branch, secretary_a, as_secretary_a):
    org, secretary = branch
    member = MemberFactory(org=org, name="钱党员")
    url = f"/meetings/talks/?year=2026&org={org.pk}"
    response = as_secretary_a.post(url, {"talker": secretary.pk, "member": member.pk, "held_on": "2026-05-04",
                                         "note": "了解家庭困难"})
    assert response.status_code == 302
    assert Talk.objects.get().talker == secretary
    page = as_secretary_a.get("/meetings/talks/?year=2026").content.decode()
    assert "钱党员" in page and "赵书记" in page
    # Talking with oneself, or with someone off the roll: refused on the form, nothing written.
    stranger = MemberFactory(org=org.get_parent())
    with unchanged():
        for who in (secretary, stranger):
            response = as_secretary_a.post(url, {"talker": secretary.pk, "member": who.pk, "held_on": "2026-05-04",
                                                 "note": "x"})
            assert response.status_code == 200


def test_lecturer_only_on_a_lecture_and_from_the_org_or_above(tree, branch, as_secretary_a):
    org, secretary = branch
    above = MemberFactory(org=tree["community"], name="社区党委书记")
    elsewhere = MemberFactory(org=tree["branch_b"])
    body = {"org_id": org.pk, "meeting_type": "lecture", "starts_at": "2030-03-01T14:00:00+08:00", "place": "活动室",
            "topic": "党课"}

    def post(**extra):
        return as_secretary_a.post("/api/meetings", json.dumps({**body, **extra}), content_type="application/json")

    with unchanged():
        assert post(lecturer_id=elsewhere.pk).status_code == 400
        assert post(meeting_type="theme_day", lecturer_id=secretary.pk).status_code == 400
    response = post(lecturer_id=above.pk)
    assert response.status_code == 201 and response.json()["lecturer_id"] == above.pk


def test_outsiders_cannot_record_talks(branch, as_secretary_b):
    org, secretary = branch
    member = MemberFactory(org=org)
    with unchanged():
        assert as_secretary_b.post(f"/meetings/talks/?org={org.pk}", {"talker": secretary.pk, "member": member.pk,
                                   "held_on": "2026-05-04", "note": "x"}).status_code == 404
        assert as_secretary_b.post("/api/meetings/talks", json.dumps({
            "org_id": org.pk, "talker_id": secretary.pk, "member_id": member.pk, "held_on": "2026-05-04",
            "note": "x"}), content_type="application/json").status_code == 404
    assert "赵书记" not in as_secretary_b.get("/meetings/talks/?year=2026").content.decode()
