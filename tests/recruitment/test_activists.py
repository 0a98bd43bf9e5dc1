"""Activists' mentors (培养联系人) and the half-yearly review, through the pages and the API.

core.references.ARTICLES["recruit.activist"] (细则第三章): one or two full members as mentors; the branch
reviews each activist every half year.
"""

import datetime as dt
import json

import pytest
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.core.references import ARTICLES
from dangjian.recruitment import services
from dangjian.recruitment.rules import shift_months
from dangjian.recruitment.selectors import recruitment_alerts
from tests.dbstate import unchanged
from tests.factories import MemberFactory
from tests.recruitment.conftest import applicant_data, walk

TODAY = timezone.localdate()
ACTIVIST_ON = shift_months(TODAY, -8)


@pytest.fixture
def activist(tree, secretary_a, config):
    applied = ACTIVIST_ON - dt.timedelta(days=20)
    case = services.applicant_create(by=secretary_a, data=applicant_data(tree["branch_a"], applied_on=applied))
    services.step_record(by=secretary_a, applicant=case, code="talk", on=applied + dt.timedelta(days=10),
                         today=TODAY)
    services.step_record(by=secretary_a, applicant=case, code="activist", on=ACTIVIST_ON, today=TODAY)
    case.refresh_from_db()
    return case


@pytest.fixture
def full(tree):
    return MemberFactory(org=tree["branch_a"], name="王培养", category="full")


def _post(client, url, data):
    return client.post(url, json.dumps(data, default=str), content_type="application/json")


def test_the_article_is_the_regulations_own_words():
    assert "一至两名正式党员" in ARTICLES["recruit.activist"] and "每半年" in ARTICLES["recruit.activist"]


def test_mentor_appointed_on_the_page_shown_and_audited(as_secretary_a, activist, full):
    response = as_secretary_a.post(f"/recruitment/{activist.pk}/mentors/",
                                   {"member": full.pk, "appointed_on": ACTIVIST_ON.isoformat()})
    assert response.status_code == 302
    page = as_secretary_a.get(f"/recruitment/{activist.pk}/").content.decode()
    assert "培养联系人" in page and "王培养" in page
    assert AuditEntry.objects.filter(target_type__iendswith="mentor", action="create").count() == 1


def test_a_mentor_must_be_a_full_member_of_the_branch(tree, as_secretary_a, activist):
    probationary = MemberFactory(org=tree["branch_a"], name="李预备", category="probationary", full_member_on=None)
    elsewhere = MemberFactory(org=tree["branch_b"], name="赵外支", category="full")
    for member in (probationary, elsewhere):
        with unchanged():
            page = as_secretary_a.post(f"/recruitment/{activist.pk}/mentors/",
                                       {"member": member.pk, "appointed_on": ACTIVIST_ON.isoformat()})
        assert page.status_code == 200 and "has-error" in page.content.decode()
    with unchanged():
        response = _post(as_secretary_a, f"/api/recruitment/applicants/{activist.pk}/mentors",
                         {"member_id": probationary.pk, "appointed_on": ACTIVIST_ON})
    assert response.status_code == 400 and "正式党员" in response.json()["detail"]


def test_one_or_two_mentors_not_three(tree, as_secretary_a, activist):
    first, second, third = (MemberFactory(org=tree["branch_a"], category="full") for _ in range(3))
    url = f"/api/recruitment/applicants/{activist.pk}/mentors"
    for m in (first, second):
        assert _post(as_secretary_a, url, {"member_id": m.pk, "appointed_on": ACTIVIST_ON}).status_code == 201
    with unchanged():
        refused = _post(as_secretary_a, url, {"member_id": third.pk, "appointed_on": ACTIVIST_ON})
    assert refused.status_code == 400 and "一至两名" in refused.json()["detail"]
    assert len(as_secretary_a.get(f"/api/recruitment/applicants/{activist.pk}/activist").json()["mentors"]) == 2


def test_appointment_not_before_becoming_activist(as_secretary_a, activist, full):
    url = f"/api/recruitment/applicants/{activist.pk}/mentors"
    with unchanged():
        early = _post(as_secretary_a, url, {"member_id": full.pk, "appointed_on": ACTIVIST_ON - dt.timedelta(days=1)})
    assert early.status_code == 400
    assert _post(as_secretary_a, url, {"member_id": full.pk, "appointed_on": ACTIVIST_ON}).status_code == 201


def test_no_mentor_or_review_for_a_mere_applicant(tree, secretary_a, as_secretary_a, full, config):
    case = services.applicant_create(by=secretary_a, data=applicant_data(
        tree["branch_a"], applied_on=TODAY - dt.timedelta(days=5), name="陈申请"))
    with unchanged():
        r = _post(as_secretary_a, f"/api/recruitment/applicants/{case.pk}/reviews", {"on": TODAY, "content": "好"})
    assert r.status_code == 400 and "积极分子" in r.json()["detail"]


def test_review_is_due_six_months_after_becoming_activist_then_after_the_last_review(secretary_a, activist):
    due = shift_months(ACTIVIST_ON, 6)
    # On the day six months are up the review is due, not yet overdue; the day after it is overdue.
    [on_day] = [a for a in recruitment_alerts(secretary_a, today=due) if "考察" in a.title]
    assert on_day.severity == "warn" and on_day.due == due
    [after] = [a for a in recruitment_alerts(secretary_a, today=due + dt.timedelta(days=1)) if "考察" in a.title]
    assert after.severity == "bad" and "逾期" in after.title
    # A review resets the clock: six months from the review.
    reviewed_on = due + dt.timedelta(days=1)
    services.activist_review_record(by=secretary_a, applicant=activist, on=reviewed_on, content="表现良好",
                                    today=reviewed_on)
    assert not [a for a in recruitment_alerts(secretary_a, today=shift_months(reviewed_on, 6) - dt.timedelta(days=15))
                if "考察" in a.title]
    [again] = [a for a in recruitment_alerts(secretary_a, today=shift_months(reviewed_on, 6) + dt.timedelta(days=1))
               if "考察" in a.title]
    assert again.severity == "bad" and again.due == shift_months(reviewed_on, 6)


def test_overdue_review_reaches_the_todo_and_the_page_and_a_review_clears_it(as_secretary_a, as_secretary_b, activist,
                                                                             full):
    assert "半年考察已逾期" in as_secretary_a.get("/").content.decode()
    assert "刘晓燕" not in as_secretary_b.get("/").content.decode()
    assert "半年考察已逾期" in as_secretary_a.get(f"/recruitment/{activist.pk}/").content.decode()
    assert as_secretary_a.post(f"/recruitment/{activist.pk}/mentors/",
                               {"member": full.pk, "appointed_on": ACTIVIST_ON.isoformat()}).status_code == 302
    response = as_secretary_a.post(f"/recruitment/{activist.pk}/reviews/",
                                   {"on": TODAY.isoformat(), "mentor": full.pk, "content": "思想汇报按时, 表现积极"})
    assert response.status_code == 302
    page = as_secretary_a.get(f"/recruitment/{activist.pk}/").content.decode()
    assert "半年考察已逾期" not in page and "思想汇报按时" in page
    assert "半年考察" not in as_secretary_a.get("/").content.decode()
    assert AuditEntry.objects.filter(target_type__iendswith="activistreview", action="create").count() == 1
    body = as_secretary_a.get(f"/api/recruitment/applicants/{activist.pk}/activist").json()
    assert body["reviews"][0]["mentor_id"] == full.pk and body["review_due"] == shift_months(TODAY, 6).isoformat()


def test_review_needs_content_a_past_date_and_one_of_the_mentors(tree, as_secretary_a, activist, full):
    url = f"/api/recruitment/applicants/{activist.pk}/reviews"
    with unchanged():
        assert _post(as_secretary_a, url, {"on": TODAY, "content": "  "}).status_code == 400
        assert _post(as_secretary_a, url, {"on": TODAY + dt.timedelta(days=1), "content": "x"}).status_code == 400
        not_mentor = _post(as_secretary_a, url, {"on": TODAY, "content": "x", "mentor_id": full.pk})
    assert not_mentor.status_code == 400 and "培养联系人" in not_mentor.json()["detail"]
    assert _post(as_secretary_a, url, {"on": TODAY, "content": "x"}).status_code == 201


def test_once_a_development_candidate_the_half_yearly_review_no_longer_falls_due(secretary_a, tree, config):
    start = shift_months(TODAY, -30)
    case = services.applicant_create(by=secretary_a, data=applicant_data(tree["branch_a"], applied_on=start))
    walk(secretary_a, case, start + dt.timedelta(days=10), until="candidate", today=TODAY)
    assert not [a for a in recruitment_alerts(secretary_a, today=TODAY) if "考察" in a.title]


def test_outsiders_get_404(as_secretary_b, as_member, activist, full):
    for client in (as_secretary_b, as_member):
        with unchanged():
            assert client.post(f"/recruitment/{activist.pk}/mentors/",
                               {"member": full.pk, "appointed_on": ACTIVIST_ON.isoformat()}).status_code == 404
            assert client.post(f"/recruitment/{activist.pk}/reviews/",
                               {"on": TODAY.isoformat(), "content": "x"}).status_code == 404
            assert _post(client, f"/api/recruitment/applicants/{activist.pk}/mentors",
                         {"member_id": full.pk, "appointed_on": ACTIVIST_ON}).status_code == 404
            assert _post(client, f"/api/recruitment/applicants/{activist.pk}/reviews",
                         {"on": TODAY, "content": "x"}).status_code == 404
        assert client.get(f"/api/recruitment/applicants/{activist.pk}/activist").status_code == 404


# --- A mentor changed (moved away, ill, left the branch): the row is kept, another may be appointed -------------

def _mentor_ids(client, case):
    return {m["member_id"]: m for m in client.get(f"/api/recruitment/applicants/{case.pk}/activist").json()["mentors"]}


def test_a_mentor_changed_on_the_page_frees_a_seat_and_keeps_the_row(tree, as_secretary_a, activist):
    first, second, third = (MemberFactory(org=tree["branch_a"], category="full") for _ in range(3))
    url = f"/api/recruitment/applicants/{activist.pk}/mentors"
    for m in (first, second):
        assert _post(as_secretary_a, url, {"member_id": m.pk, "appointed_on": ACTIVIST_ON}).status_code == 201
    row = activist.mentors.get(member=first)
    changed_on = ACTIVIST_ON + dt.timedelta(days=30)
    response = as_secretary_a.post(f"/recruitment/{activist.pk}/mentors/end/",
                                   {"mentor": row.pk, "on": changed_on.isoformat(), "reason": "工作调动"})
    assert response.status_code == 302
    page = as_secretary_a.get(f"/recruitment/{activist.pk}/").content.decode()
    assert "工作调动" in page and f"<s>{first.name}</s>" in page
    assert AuditEntry.objects.filter(target_type__iendswith="mentor", action="update").count() == 1
    # Two current mentors at most: with the first one changed, a third may be appointed.
    assert _post(as_secretary_a, url, {"member_id": third.pk, "appointed_on": changed_on}).status_code == 201
    mentors = _mentor_ids(as_secretary_a, activist)
    assert mentors[first.pk]["ended_on"] == changed_on.isoformat() and mentors[first.pk]["end_reason"] == "工作调动"
    assert mentors[third.pk]["ended_on"] is None and len(mentors) == 3


def test_without_the_change_the_third_mentor_stays_refused(tree, as_secretary_a, activist):
    first, second, third = (MemberFactory(org=tree["branch_a"], category="full") for _ in range(3))
    url = f"/api/recruitment/applicants/{activist.pk}/mentors"
    for m in (first, second):
        _post(as_secretary_a, url, {"member_id": m.pk, "appointed_on": ACTIVIST_ON})
    end_url = f"/api/recruitment/applicants/{activist.pk}/mentors/end"
    row = activist.mentors.get(member=first)
    with unchanged():
        for body in ({"on": ACTIVIST_ON - dt.timedelta(days=1), "reason": "调动"},    # before the appointment
                     {"on": TODAY + dt.timedelta(days=1), "reason": "调动"},          # in the future
                     {"on": TODAY, "reason": "  "}):                                 # no reason
            assert _post(as_secretary_a, end_url, {"mentor_id": row.pk, **body}).status_code == 400
        assert _post(as_secretary_a, url, {"member_id": third.pk, "appointed_on": TODAY}).status_code == 400
    # The appointment day itself is a valid end date (both sides of the boundary).
    assert _post(as_secretary_a, end_url, {"mentor_id": row.pk, "on": ACTIVIST_ON, "reason": "调动"}).status_code == 201
    with unchanged():
        again = _post(as_secretary_a, end_url, {"mentor_id": row.pk, "on": TODAY, "reason": "调动"})
    assert again.status_code == 400 and "现任" in again.json()["detail"]


def test_a_changed_mentor_can_be_appointed_again_and_reports_only_up_to_the_change(tree, as_secretary_a, activist,
                                                                                   full):
    _post(as_secretary_a, f"/api/recruitment/applicants/{activist.pk}/mentors",
          {"member_id": full.pk, "appointed_on": ACTIVIST_ON})
    changed_on = ACTIVIST_ON + dt.timedelta(days=40)
    _post(as_secretary_a, f"/api/recruitment/applicants/{activist.pk}/mentors/end",
          {"mentor_id": activist.mentors.get().pk, "on": changed_on, "reason": "外出务工"})
    reviews = f"/api/recruitment/applicants/{activist.pk}/reviews"
    with unchanged():
        late = _post(as_secretary_a, reviews, {"on": changed_on + dt.timedelta(days=1), "content": "x",
                                               "mentor_id": full.pk})
    assert late.status_code == 400 and "培养联系人" in late.json()["detail"]
    assert _post(as_secretary_a, reviews, {"on": changed_on, "content": "x", "mentor_id": full.pk}).status_code == 201
    back = _post(as_secretary_a, f"/api/recruitment/applicants/{activist.pk}/mentors",
                 {"member_id": full.pk, "appointed_on": TODAY})
    assert back.status_code == 201 and activist.mentors.filter(member=full).count() == 2


def test_outsiders_cannot_change_a_mentor(as_secretary_a, as_secretary_b, as_member, activist, full):
    _post(as_secretary_a, f"/api/recruitment/applicants/{activist.pk}/mentors",
          {"member_id": full.pk, "appointed_on": ACTIVIST_ON})
    row = activist.mentors.get()
    for client in (as_secretary_b, as_member):
        with unchanged():
            assert client.post(f"/recruitment/{activist.pk}/mentors/end/",
                               {"mentor": row.pk, "on": TODAY.isoformat(), "reason": "x"}).status_code == 404
            assert _post(client, f"/api/recruitment/applicants/{activist.pk}/mentors/end",
                         {"mentor_id": row.pk, "on": TODAY, "reason": "x"}).status_code == 404
