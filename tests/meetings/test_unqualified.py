"""不合格党员 follow-up (core.references.ARTICLES["member.unqualified"]): 限期改正 with a deadline of six months to
a year, 劝其退党, 除名 through orgs.services.membership_end; both sides of each boundary, refusals leave the
database as it was, every write audited, outsiders get 404."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.roles import Role
from dangjian.audit.models import AuditEntry
from dangjian.core.dates import add_months
from dangjian.core.todo import todo_for
from dangjian.meetings import services
from dangjian.meetings.models import Appraisal, FollowUp, Outcome
from dangjian.orgs.models import Status, StatusChange
from tests.dbstate import unchanged
from tests.factories import UserFactory, grant
from tests.regulations import UNQUALIFIED_CORRECT_MONTHS

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DECIDED = add_months(TODAY, -13)  # a year and a month ago: every deadline of the decision has passed


@pytest.fixture
def unqualified(tree, member_a, secretary_a):
    return Appraisal.objects.create(member=member_a, org=tree["branch_a"], year=DECIDED.year,
                                    outcome=Outcome.UNQUALIFIED, reason="无正当理由长期不参加组织生活")


def _step(by, appraisal, **kw):
    return services.followup_step(by=by, appraisal=appraisal, today=TODAY, **kw)


@pytest.mark.parametrize(("deadline", "ok"), [
    (add_months(DECIDED, UNQUALIFIED_CORRECT_MONTHS[0]) - dt.timedelta(days=1), False),
    (add_months(DECIDED, UNQUALIFIED_CORRECT_MONTHS[0]), True),
    (add_months(DECIDED, UNQUALIFIED_CORRECT_MONTHS[1]), True),
    (add_months(DECIDED, UNQUALIFIED_CORRECT_MONTHS[1]) + dt.timedelta(days=1), False),
])
def test_correcting_deadline_is_six_months_to_a_year(secretary_a, unqualified, deadline, ok):
    if ok:
        step = _step(secretary_a, unqualified, action="decide", measure="correct", decided_on=DECIDED,
                     deadline=deadline)
        assert step.deadline == deadline and step.result == ""
        return
    with unchanged(), pytest.raises(ValidationError, match="半年至一年") as exc:
        _step(secretary_a, unqualified, action="decide", measure="correct", decided_on=DECIDED, deadline=deadline)
    assert "deadline" in exc.value.message_dict


def test_not_corrected_is_judged_at_the_deadline_not_before_then_refusal_leads_to_removal(
        secretary_a, officer, unqualified, member_a):
    deadline = add_months(DECIDED, 6)
    _step(secretary_a, unqualified, action="decide", measure="correct", decided_on=DECIDED, deadline=deadline)
    with unchanged(), pytest.raises(ValidationError, match="不能早于"):
        _step(secretary_a, unqualified, action="review", corrected=False, measure="persuade",
              decided_on=deadline - dt.timedelta(days=1))
    persuade = _step(secretary_a, unqualified, action="review", corrected=False, measure="persuade",
                     decided_on=deadline)
    assert persuade.measure == "persuade" and persuade.decided_on == deadline
    assert FollowUp.objects.get(measure="correct").result == FollowUp.Result.NOT_CORRECTED
    removal = _step(secretary_a, unqualified, action="refused", decided_on=deadline + dt.timedelta(days=30))
    assert removal.measure == "remove" and FollowUp.objects.get(measure="persuade").result == "refused"
    # 除名 is approved by the superior: the branch's secretary is refused, nothing changes.
    with unchanged(member_a), pytest.raises(ValidationError, match="上级党组织"):
        _step(secretary_a, unqualified, action="end", approved_on=TODAY)
    # Both dates: without the approval date, refused.
    with unchanged(member_a), pytest.raises(ValidationError, match="批准的日期"):
        _step(officer, unqualified, action="end")
    _step(officer, unqualified, action="end", approved_on=TODAY)
    member_a.refresh_from_db()
    assert member_a.status == Status.REMOVED
    change = StatusChange.objects.get(member=member_a)
    assert (change.decided_on, change.changed_on, change.to_status) == (removal.decided_on, TODAY, Status.REMOVED)
    assert FollowUp.objects.get(measure="remove").result == FollowUp.Result.ENDED
    assert AuditEntry.objects.filter(target_type="meetings.FollowUp").count() == 3 + 3  # three steps created, three closed
    assert AuditEntry.objects.filter(target_type="orgs.Member", action="transition").exists()


def test_corrected_closes_the_follow_up_and_no_further_step_is_taken(secretary_a, unqualified):
    _step(secretary_a, unqualified, action="decide", measure="correct", decided_on=DECIDED,
          deadline=add_months(DECIDED, 8))
    _step(secretary_a, unqualified, action="review", corrected=True, decided_on=add_months(DECIDED, 8))
    assert FollowUp.objects.get().result == FollowUp.Result.CORRECTED
    with unchanged(), pytest.raises(ValidationError):
        _step(secretary_a, unqualified, action="refused", decided_on=TODAY)
    with unchanged(), pytest.raises(ValidationError):
        _step(secretary_a, unqualified, action="decide", measure="remove", decided_on=TODAY)


def test_persuaded_member_who_leaves_ends_as_left_the_party(secretary_a, officer, unqualified, member_a):
    _step(secretary_a, unqualified, action="decide", measure="persuade", decided_on=DECIDED)
    _step(officer, unqualified, action="end", decided_on=DECIDED + dt.timedelta(days=20),
          approved_on=DECIDED + dt.timedelta(days=40))
    member_a.refresh_from_db()
    assert member_a.status == Status.LEFT


def test_only_an_unqualified_appraisal_is_followed_up(secretary_a, tree, member_a):
    basic = Appraisal.objects.create(member=member_a, org=tree["branch_a"], year=DECIDED.year, outcome=Outcome.BASIC,
                                     reason="参加组织生活不够经常")
    with unchanged(), pytest.raises(ValidationError, match="不合格"):
        _step(secretary_a, basic, action="decide", measure="remove", decided_on=DECIDED)


def test_todo_names_the_undecided_and_the_overdue_review_not_before_the_deadline(secretary_a, unqualified):
    def titles():
        return [i.title for i in todo_for(secretary_a) if "不合格" in i.title or "限期改正" in i.title
                or "是否改正" in i.title]

    assert any("张建国" in t and "不合格" in t for t in titles())
    _step(secretary_a, unqualified, action="decide", measure="correct", decided_on=add_months(TODAY, -6),
          deadline=TODAY)
    assert titles() == []  # deadline today: not yet past
    FollowUp.objects.update(decided_on=add_months(TODAY, -7), deadline=TODAY - dt.timedelta(days=1))
    assert any("是否改正" in t for t in titles())


def test_pages_and_api_for_the_secretary_outsider_gets_404(as_secretary_a, as_secretary_b, as_officer, unqualified,
                                                          member_a, secretary_b):
    url = reverse("meetings:unqualified_followup", args=[unqualified.pk])
    listing = as_secretary_a.get(reverse("meetings:unqualified")).content.decode()
    assert "张建国" in listing and "尚未处置" in listing
    page = as_secretary_a.post(url, {"action": "decide", "measure": "correct", "decided_on": DECIDED.isoformat(),
                                     "deadline": add_months(DECIDED, 13).isoformat()})
    assert page.status_code == 200 and "半年至一年" in page.content.decode() and not FollowUp.objects.exists()
    assert as_secretary_a.post(url, {"action": "decide", "measure": "remove",
                                     "decided_on": DECIDED.isoformat()}).status_code == 302
    assert "批准除名" not in as_secretary_a.get(url).content.decode()  # the secretary is not the superior
    assert "批准除名" in as_officer.get(url).content.decode()
    with unchanged(member_a):
        with pytest.raises(Http404):  # the service checks the scope itself, not only the views
            services.followup_step(by=secretary_b, appraisal=unqualified, action="decide", measure="remove",
                                   decided_on=TODAY)
        assert as_secretary_b.get(url).status_code == 404
        assert as_secretary_b.post(url, {"action": "end", "approved_on": TODAY.isoformat()}).status_code == 404
        api = as_secretary_b.post(f"/api/meetings/appraisals/{unqualified.pk}/followup",
                                  json.dumps({"action": "end", "approved_on": TODAY.isoformat()}),
                                  content_type="application/json")
        assert api.status_code == 404
    assert as_secretary_b.get("/api/meetings/unqualified").json() == []
    body = json.dumps({"action": "end", "approved_on": TODAY.isoformat()})
    done = as_officer.post(f"/api/meetings/appraisals/{unqualified.pk}/followup", body,
                           content_type="application/json")
    assert done.status_code == 200 and done.json()["state"] == "ended"
    member_a.refresh_from_db()
    assert member_a.status == Status.REMOVED
    rows = as_officer.get("/api/meetings/unqualified").json()
    assert [r["state"] for r in rows] == ["ended"] and [s["measure"] for s in rows[0]["steps"]] == ["remove"]


def test_removal_decided_by_the_branch_waits_on_the_superiors_home_until_approved(secretary_a, secretary_b, officer,
                                                                                  unqualified):
    def waiting(user):
        return [i for i in todo_for(user) if "除名" in i.title and "审批" in i.title]

    _step(secretary_a, unqualified, action="decide", measure="correct", decided_on=DECIDED,
          deadline=add_months(DECIDED, 6))
    assert waiting(officer) == []  # 限期改正 is the branch's own business
    _step(secretary_a, unqualified, action="review", corrected=False, measure="remove",
          decided_on=add_months(DECIDED, 6))
    [item] = waiting(officer)
    assert "张建国" in item.title and item.actor == "officer"
    assert item.url == reverse("meetings:unqualified_followup", args=[unqualified.pk])
    # The branch that decided does not approve its own decision, not even an officer granted at the branch;
    # another branch does not see it.
    branch_officer = UserFactory(username="branch_officer")
    grant(branch_officer, unqualified.org, Role.ORG_OFFICER)
    assert waiting(secretary_a) == [] and waiting(secretary_b) == [] and waiting(branch_officer) == []
    _step(officer, unqualified, action="end", approved_on=TODAY)
    assert waiting(officer) == []
