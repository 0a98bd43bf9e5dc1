"""Sign-up, attendance and hours recorded once; volunteer_hours for indicators."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.volunteering import selectors, services
from dangjian.volunteering.models import Activity, SignUp
from tests.factories import MemberFactory


def _aware(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def past(tree, officer):
    """A three-hour activity of the community, yesterday, still open."""
    day = timezone.localdate() - dt.timedelta(days=1)
    activity = Activity.objects.create(org=tree["community"], title="清理楼道小广告", starts_at=_aware(day, 9),
                                       ends_at=_aware(day, 12))
    return activity


def test_signup_rules(tree, officer, member_a, member_b):
    start = timezone.now() + dt.timedelta(days=2)
    activity = services.activity_create(by=officer, org=tree["branch_a"], title="助老", starts_at=start,
                                        ends_at=start + dt.timedelta(hours=2), capacity=1)
    services.signup_create(by=officer, activity=activity, member=member_a)
    with pytest.raises(ValidationError):
        services.signup_create(by=officer, activity=activity, member=member_a)  # twice
    with pytest.raises(ValidationError):
        services.signup_create(by=officer, activity=activity, member=member_b)  # other branch's tree
    activity.capacity = 2
    activity.save()
    with pytest.raises(ValidationError):
        services.signup_create(by=officer, activity=activity, member=MemberFactory(org=tree["branch_b"]))


def test_activity_bad_input(tree, officer):
    start = timezone.now()
    with pytest.raises(ValidationError):
        services.activity_create(by=officer, org=tree["community"], title="x", starts_at=start, ends_at=start)
    with pytest.raises(ValidationError):
        services.activity_create(by=officer, org=tree["community"], title="x", starts_at=start,
                                 ends_at=start + dt.timedelta(hours=1), capacity=0)


def test_attendance_hours_once(tree, officer, member_a, past):
    other = MemberFactory(org=tree["branch_b"])
    s1 = services.signup_create(by=officer, activity=past, member=member_a)
    s2 = services.signup_create(by=officer, activity=past, member=other)
    services.attendance_record(by=officer, activity=past, entries={s1.pk: (True, ""), s2.pk: (False, "")})
    s1.refresh_from_db()
    s2.refresh_from_db()
    assert s1.hours == Decimal("3.0") and s1.attended and s2.hours is None and s2.attended is False
    with pytest.raises(ValidationError):
        services.attendance_record(by=officer, activity=past, entries={s1.pk: (True, "2")})
    assert AuditEntry.objects.filter(target_type="volunteering.Activity", action="update").count() == 1


@pytest.mark.parametrize("bad", ["-1", "-0.1", "3.1", "abc"])
def test_bad_hours_write_nothing(tree, officer, member_a, past, bad):
    s1 = services.signup_create(by=officer, activity=past, member=member_a)
    with pytest.raises(ValidationError):
        services.attendance_record(by=officer, activity=past, entries={s1.pk: (True, bad)})
    s1.refresh_from_db()
    past.refresh_from_db()
    assert s1.hours is None and past.state == Activity.State.OPEN


def test_boundary_hours_accepted(tree, officer, member_a, past):
    s1 = services.signup_create(by=officer, activity=past, member=member_a)
    services.attendance_record(by=officer, activity=past, entries={s1.pk: (True, "3.0")})
    assert SignUp.objects.get(pk=s1.pk).hours == Decimal("3.0")


def test_correction_needs_reason_and_not_negative(tree, officer, member_a, past):
    s1 = services.signup_create(by=officer, activity=past, member=member_a)
    services.attendance_record(by=officer, activity=past, entries={s1.pk: (True, "2")})
    s1.refresh_from_db()
    with pytest.raises(ValidationError):
        services.hours_correct(by=officer, signup=s1, hours="1", reason="")
    with pytest.raises(ValidationError):
        services.hours_correct(by=officer, signup=s1, hours="-1", reason="录错")
    services.hours_correct(by=officer, signup=s1, hours="2.5", reason="录错")
    assert SignUp.objects.get(pk=s1.pk).hours == Decimal("2.5")


def test_volunteer_hours_selector_period_boundaries(tree, officer, member_a, past):
    s1 = services.signup_create(by=officer, activity=past, member=member_a)
    services.attendance_record(by=officer, activity=past, entries={s1.pk: (True, "2.5")})
    day = timezone.localdate() - dt.timedelta(days=1)
    assert selectors.volunteer_hours(tree["branch_a"], day, day) == Decimal("2.5")
    assert selectors.volunteer_hours(tree["street"], day, day) == Decimal("2.5")
    assert selectors.volunteer_hours(tree["branch_b"], day, day) == 0
    assert selectors.volunteer_hours(tree["branch_a"], day + dt.timedelta(days=1), day + dt.timedelta(days=5)) == 0
    assert selectors.volunteer_hours(tree["branch_a"], day - dt.timedelta(days=5), day - dt.timedelta(days=1)) == 0
    units = list(selectors.hours_by_unit(tree["street"], day, day))
    assert units[0]["hours"] == Decimal("2.5") and units[0]["people"] == 1


def test_pages_scope_and_attendance_form(as_secretary_a, as_secretary_b, as_anonymous, as_officer, tree, officer,
                                         member_a, past):
    s1 = services.signup_create(by=officer, activity=past, member=member_a)
    assert as_secretary_b.get(f"/volunteering/{past.pk}/").status_code == 404
    assert as_secretary_a.get(f"/volunteering/{past.pk}/").status_code == 404  # the community's, above A's scope
    assert as_anonymous.get("/volunteering/").status_code == 302
    assert as_anonymous.get("/api/volunteering/activities").status_code == 401
    response = as_officer.post(f"/volunteering/{past.pk}/", {f"att_{s1.pk}": "on", f"hours_{s1.pk}": "-2"})
    assert "时长不能为负数" in response.content.decode()
    response = as_officer.post(f"/volunteering/{past.pk}/", {f"att_{s1.pk}": "on", f"hours_{s1.pk}": "1.5"})
    assert response.status_code == 302
    assert SignUp.objects.get(pk=s1.pk).hours == Decimal("1.5")
    assert as_officer.get(f"/volunteering/hours/?org={tree['community'].pk}").status_code == 200
    export = as_officer.get(f"/volunteering/hours/?org={tree['community'].pk}&export=xlsx")
    assert export.status_code == 200 and AuditEntry.objects.filter(action="export").exists()


def test_member_signs_up_themself(as_member, tree, officer, member_user):
    start = timezone.now() + dt.timedelta(days=3)
    activity = services.activity_create(by=officer, org=tree["community"], title="社区义诊", starts_at=start,
                                        ends_at=start + dt.timedelta(hours=2))
    assert "社区义诊" in as_member.get("/volunteering/").content.decode()
    assert as_member.post(f"/volunteering/{activity.pk}/signup/").status_code == 302
    assert SignUp.objects.filter(activity=activity, member=member_user.member).exists()


def test_api_attendance_negative_hours_400(as_officer, officer, member_a, past):
    s1 = services.signup_create(by=officer, activity=past, member=member_a)
    url = f"/api/volunteering/activities/{past.pk}/attendance"
    bad = as_officer.post(url, {"entries": [{"signup_id": s1.pk, "attended": True, "hours": -1}]}, content_type="application/json")
    assert bad.status_code == 400
    ok = as_officer.post(url, {"entries": [{"signup_id": s1.pk, "attended": True, "hours": 2}]}, content_type="application/json")
    assert ok.status_code == 200 and float(ok.json()[0]["hours"]) == 2.0
    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    hours = as_officer.get(f"/api/volunteering/hours?org_id={member_a.org_id}&start={day}&end={day}").json()
    assert float(hours["hours"]) == 2.0


def test_todo_asks_for_attendance(as_officer, past):
    assert "登记出勤与时长" in as_officer.get("/").content.decode()
