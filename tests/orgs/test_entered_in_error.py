"""A member record created by mistake is marked entered in error, never deleted."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.accounts.roles import Role
from dangjian.audit.models import AuditEntry
from dangjian.dues.models import Due, Payment
from dangjian.meetings.models import Attendance, Meeting
from dangjian.orgs import selectors, services
from dangjian.orgs.models import Member, Status
from tests.dbstate import unchanged
from tests.factories import MemberFactory, UserFactory, grant


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.fixture
def mistake(tree):
    return MemberFactory(org=tree["branch_a"], name="误录人")


@pytest.fixture
def auditor(tree):
    user = UserFactory(username="auditor")
    grant(user, tree["community"], Role.AUDITOR)
    return user


def _today():
    return timezone.localdate()


def test_marked_record_leaves_lists_and_counts_but_is_kept(secretary_a, auditor, mistake, tree):
    assert selectors.org_member_counts(tree["branch_a"])
    before = selectors.org_member_counts(tree["branch_a"])
    services.member_mark_entered_in_error(by=secretary_a, member=mistake, reason="重复建档")
    mistake.refresh_from_db()
    assert mistake.status == Status.ENTERED_IN_ERROR and Member.objects.filter(pk=mistake.pk).exists()
    assert mistake not in selectors.member_search(secretary_a)
    assert mistake not in selectors.member_search(secretary_a, status=Status.ENTERED_IN_ERROR)  # not an auditor
    assert mistake in selectors.member_search(auditor, status=Status.ENTERED_IN_ERROR)
    after = selectors.org_member_counts(tree["branch_a"])
    assert after != before
    entry = AuditEntry.objects.filter(target_type="orgs.Member", target_id=str(mistake.pk)).first()
    assert entry.changes["status"] == ["active", "entered_in_error"] and entry.changes["reason"] == "重复建档"
    assert mistake.status_changes.first().to_status == Status.ENTERED_IN_ERROR


def test_id_number_is_free_for_the_correct_record(secretary_a, mistake, tree):
    id_number = mistake.id_number
    services.member_mark_entered_in_error(by=secretary_a, member=mistake, reason="建错组织")
    again = services.member_create(by=secretary_a, data={
        "org": tree["branch_a"], "name": "正确的人", "gender": mistake.gender, "birth_date": mistake.birth_date,
        "id_number": id_number, "joined_on": dt.date(2005, 7, 1), "full_member_on": dt.date(2006, 7, 1)})
    assert again.pk != mistake.pk
    mistake.refresh_from_db()
    assert mistake.id_number == id_number  # the encrypted value itself is kept


@pytest.mark.parametrize("age,allowed", [(30, True), (31, False)])
def test_window_boundary(secretary_a, mistake, age, allowed):
    today = timezone.localdate(mistake.created_at) + dt.timedelta(days=age)
    if allowed:
        services.member_mark_entered_in_error(by=secretary_a, member=mistake, reason="误录", today=today)
    else:
        with pytest.raises(ValidationError) as exc:
            services.member_mark_entered_in_error(by=secretary_a, member=mistake, reason="误录", today=today)
        assert "已超过 30 天" in exc.value.messages[0]
        mistake.refresh_from_db()
        assert mistake.status == Status.ACTIVE


def test_refused_when_referenced_and_message_names_what(secretary_a, mistake, tree):
    due = Due.objects.create(member=mistake, org=mistake.org, month=dt.date(2025, 3, 1), employment="employed",
                             amount=Decimal("5"))
    Payment.objects.create(due=due, amount=Decimal("5"), paid_on=dt.date(2025, 3, 3))
    meeting = Meeting.objects.create(org=tree["branch_a"], meeting_type="theme_day", state="held",
                                     starts_at=timezone.now(), place="活动室", topic="主题党日")
    Attendance.objects.create(meeting=meeting, member=mistake, status="present")
    with pytest.raises(ValidationError) as exc:
        services.member_mark_entered_in_error(by=secretary_a, member=mistake, reason="误录")
    message = exc.value.messages[0]
    assert "月度党费（1 条）" in message and "参会情况（1 条）" in message
    mistake.refresh_from_db()
    assert mistake.status == Status.ACTIVE


def test_unpaid_generated_dues_go_with_the_record(secretary_a, mistake):
    Due.objects.create(member=mistake, org=mistake.org, month=dt.date(2025, 3, 1), employment="employed",
                       amount=Decimal("5"))
    services.member_mark_entered_in_error(by=secretary_a, member=mistake, reason="误录")
    assert not Due.objects.filter(member=mistake).exists()
    entry = AuditEntry.objects.filter(target_type="orgs.Member", target_id=str(mistake.pk)).first()
    assert entry.changes["generated_dues_removed"] == ["2025-03-01"]


def test_reason_required_and_status_form_cannot_bypass(secretary_a, mistake):
    with pytest.raises(ValidationError):
        services.member_mark_entered_in_error(by=secretary_a, member=mistake, reason=" ")
    with pytest.raises(ValidationError):
        services.member_set_status(by=secretary_a, member=mistake, status=Status.ENTERED_IN_ERROR, reason="x")


def test_page_flow(as_secretary_a, mistake):
    page = as_secretary_a.get(f"/orgs/members/{mistake.pk}/").content.decode()
    assert "标记为误录" in page
    refused = as_secretary_a.post(f"/orgs/members/{mistake.pk}/entered-in-error/", {"reason": ""})
    assert refused.status_code == 200 and "errorlist" in refused.content.decode()
    done = as_secretary_a.post(f"/orgs/members/{mistake.pk}/entered-in-error/", {"reason": "重复建档"})
    assert done.status_code == 302
    # Gone for the secretary (not an auditor); the record is read-only for everyone.
    assert as_secretary_a.get(f"/orgs/members/{mistake.pk}/").status_code == 404
    assert as_secretary_a.get(f"/orgs/members/{mistake.pk}/edit/").status_code == 404
    assert "误录人" not in as_secretary_a.get("/orgs/members/").content.decode()


def test_auditor_still_sees_it(auditor, secretary_a, mistake):
    from tests.conftest import client_for

    services.member_mark_entered_in_error(by=secretary_a, member=mistake, reason="重复建档")
    client = client_for(auditor)
    page = client.get(f"/orgs/members/{mistake.pk}/").content.decode()
    assert "误录人" in page and "重复建档" in page
    assert "误录人" in client.get("/orgs/members/?status=entered_in_error").content.decode()
    assert client.get(f"/api/members/{mistake.pk}").status_code == 200


def test_outsider_404_anonymous_redirect(as_secretary_b, as_anonymous, mistake):
    url = f"/orgs/members/{mistake.pk}/entered-in-error/"
    with unchanged():
        assert as_secretary_b.post(url, {"reason": "x"}).status_code == 404
    assert as_anonymous.post(url, {"reason": "x"}).status_code == 302
    assert _post(as_secretary_b, f"/api/members/{mistake.pk}/entered-in-error", {"reason": "x"}).status_code == 404
    assert _post(as_anonymous, f"/api/members/{mistake.pk}/entered-in-error", {"reason": "x"}).status_code == 401
    mistake.refresh_from_db()
    assert mistake.status == Status.ACTIVE


def test_api(as_secretary_a, mistake):
    url = f"/api/members/{mistake.pk}/entered-in-error"
    assert _post(as_secretary_a, url, {"reason": ""}).status_code == 400
    response = _post(as_secretary_a, url, {"reason": "重复建档"})
    assert response.status_code == 200 and response.json()["status"] == "entered_in_error"
    assert as_secretary_a.get(f"/api/members/{mistake.pk}").status_code == 404
    assert all(m["id"] != mistake.pk for m in as_secretary_a.get("/api/members/").json()["items"])
