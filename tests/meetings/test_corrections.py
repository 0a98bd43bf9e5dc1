"""Edit or cancel a planned meeting; correct a held meeting's record inside the window, later only an officer above."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.meetings import services
from dangjian.meetings.models import Attendance, Meeting, MeetingCorrection
from dangjian.meetings.selectors import compliance, life_status
from dangjian.orgs.models import Org
from tests.dbstate import unchanged
from tests.meetings.conftest import at, held_meeting


def _post(client, url, data, method="post"):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


@pytest.fixture
def planned(tree, member_a):
    return Meeting.objects.create(org=tree["branch_a"], meeting_type="theme_day", state=Meeting.State.PLANNED,
                                  starts_at=at(timezone.localdate() + dt.timedelta(days=5)), place="活动室",
                                  topic="主题党日")


def _held(tree, member_a, days_ago: int) -> Meeting:
    return held_meeting(tree["branch_a"], timezone.localdate() - dt.timedelta(days=days_ago), present=[member_a])


def test_edit_planned_meeting_keeps_the_old_values(secretary_a, planned):
    services.meeting_update_plan(by=secretary_a, meeting=planned, data={"place": "会议室"}, reason="活动室维修")
    planned.refresh_from_db()
    assert planned.place == "会议室"
    c = planned.corrections.get()
    assert c.kind == "plan" and c.before["place"] == "活动室" and c.reason == "活动室维修"
    entry = AuditEntry.objects.filter(target_type="meetings.Meeting", target_id=str(planned.pk)).first()
    assert entry.changes["place"] == ["活动室", "会议室"]


def test_edit_needs_reason_and_a_change_and_a_future_date(secretary_a, planned):
    with pytest.raises(ValidationError) as exc:
        services.meeting_update_plan(by=secretary_a, meeting=planned, data={"place": "会议室"}, reason="")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.meeting_update_plan(by=secretary_a, meeting=planned, data={"place": "活动室"}, reason="x")
    yesterday = at(timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        services.meeting_update_plan(by=secretary_a, meeting=planned, data={"starts_at": yesterday}, reason="x")
    assert "starts_at" in exc.value.message_dict
    services.meeting_update_plan(by=secretary_a, meeting=planned, data={"starts_at": at(timezone.localdate())},
                                 reason="提前到今天")
    planned.refresh_from_db()
    assert planned.place == "活动室" and MeetingCorrection.objects.count() == 1


def test_cancel_keeps_the_meeting_and_it_no_longer_counts_as_planned(secretary_a, planned):
    services.meeting_cancel(by=secretary_a, meeting=planned, reason="上级统一安排")
    planned.refresh_from_db()
    assert planned.state == "cancelled" and planned.cancel_reason == "上级统一安排"
    assert not Meeting.objects.filter(state=Meeting.State.PLANNED).exists()
    with pytest.raises(ValidationError):
        services.meeting_cancel(by=secretary_a, meeting=planned, reason="again")
    with pytest.raises(ValidationError):
        services.meeting_update_plan(by=secretary_a, meeting=planned, data={"place": "x"}, reason="x")


def test_outsider_cannot_change(secretary_b, planned):
    with pytest.raises(Http404):
        services.meeting_cancel(by=secretary_b, meeting=planned, reason="x")


@pytest.mark.parametrize("days_ago,allowed", [(30, True), (31, False)])
def test_secretary_corrects_within_the_window(secretary_a, tree, member_a, days_ago, allowed):
    meeting = _held(tree, member_a, days_ago)
    call = dict(by=secretary_a, meeting=meeting, minutes="更正后的纪要", attendance={member_a.pk: ("present", "")},
                reason="纪要录错")
    if allowed:
        services.meeting_correct_record(**call)
        meeting.refresh_from_db()
        assert meeting.minutes == "更正后的纪要"
        assert meeting.corrections.get().before["minutes"] == "会议纪要"
    else:
        with pytest.raises(ValidationError) as exc:
            services.meeting_correct_record(**call)
        assert "超过 30 天" in exc.value.messages[0]


def test_officer_above_corrects_after_the_window(officer, tree, member_a):
    meeting = _held(tree, member_a, 90)
    services.meeting_correct_record(by=officer, meeting=meeting, minutes="上级更正", reason="核查后更正",
                                    attendance={member_a.pk: ("present", "")})
    assert Meeting.objects.get(pk=meeting.pk).minutes == "上级更正"


def test_window_is_configurable(settings, secretary_a, tree, member_a):
    settings.DANGJIAN_MEETING_CORRECTION_DAYS = 60
    meeting = _held(tree, member_a, 45)
    services.meeting_correct_record(by=secretary_a, meeting=meeting, minutes="更正", reason="x",
                                    attendance={member_a.pk: ("present", "")})


def test_attendance_correction_recalculates_life_and_compliance(secretary_a, tree, member_a, member_user):
    from tests.factories import MemberFactory

    other = MemberFactory(org=tree["branch_a"], name="王五")
    day = timezone.localdate() - dt.timedelta(days=3)
    meeting = held_meeting(tree["branch_a"], day, present=[member_a], absent=[other])
    assert life_status(other).since is None or life_status(other).since < day
    services.meeting_correct_record(by=secretary_a, meeting=meeting, minutes="会议纪要", reason="签到漏记",
                                    attendance={member_a.pk: ("present", ""), other.pk: ("present", "")})
    assert Attendance.objects.get(meeting=meeting, member=other).status == "present"
    assert life_status(other).since == day
    before = meeting.corrections.get().before["attendance"]
    assert before[str(other.pk)] == ["absent", ""]
    # Moving the date back a year takes it out of this year's compliance.
    held_this_year = sum(t.held for t in compliance(Org.objects.filter(pk=tree["branch_a"].pk), day.year, day)[0].types)
    services.meeting_correct_record(by=secretary_a, meeting=meeting, minutes="会议纪要", reason="日期录错",
                                    attendance={member_a.pk: ("present", ""), other.pk: ("present", "")},
                                    starts_at=at(day.replace(year=day.year - 1)))
    after = sum(t.held for t in compliance(Org.objects.filter(pk=tree["branch_a"].pk), day.year, day)[0].types)
    assert after == held_this_year - 1


def test_correction_rules_still_apply(secretary_a, tree, member_a):
    meeting = _held(tree, member_a, 2)
    with pytest.raises(ValidationError) as exc:
        services.meeting_correct_record(by=secretary_a, meeting=meeting, minutes="x", reason="x",
                                        attendance={member_a.pk: ("absent", "")})
    assert "至少有一名党员出席" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.meeting_correct_record(by=secretary_a, meeting=meeting, minutes="会议纪要", reason="x",
                                        attendance={member_a.pk: ("present", "")})  # nothing changed


def test_pages(as_secretary_a, planned, tree, member_a):
    assert "修改计划" in as_secretary_a.get(f"/meetings/{planned.pk}/").content.decode()
    when = timezone.localtime(planned.starts_at).strftime("%Y-%m-%dT%H:%M")
    bad = as_secretary_a.post(f"/meetings/{planned.pk}/edit/", {"starts_at": when, "place": "会议室", "topic": "主题党日",
                                                               "reason": ""})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    ok = as_secretary_a.post(f"/meetings/{planned.pk}/edit/", {"starts_at": when, "place": "会议室", "topic": "主题党日",
                                                              "reason": "换地点"})
    assert ok.status_code == 302
    assert as_secretary_a.post(f"/meetings/{planned.pk}/cancel/", {"reason": "取消"}).status_code == 302
    page = as_secretary_a.get(f"/meetings/{planned.pk}/").content.decode()
    assert "已取消" in page and "<s>活动室</s>" in page
    held = _held(tree, member_a, 1)
    form = as_secretary_a.get(f"/meetings/{held.pk}/correct/")
    assert form.status_code == 200 and member_a.name in form.content.decode()
    done = as_secretary_a.post(f"/meetings/{held.pk}/correct/", {"minutes": "新纪要", "reason": "补充",
                                                                 f"att_{member_a.pk}": "present"})
    assert done.status_code == 302 and Meeting.objects.get(pk=held.pk).minutes == "新纪要"


def test_pages_outsider_404_anonymous_redirect(as_secretary_b, as_anonymous, as_member, planned, tree, member_a):
    held = _held(tree, member_a, 1)
    for client in (as_secretary_b, as_member):
        assert client.get(f"/meetings/{planned.pk}/edit/").status_code == 404
        with unchanged():
            assert client.post(f"/meetings/{planned.pk}/cancel/", {"reason": "x"}).status_code == 404
        assert client.get(f"/meetings/{held.pk}/correct/").status_code == 404
    assert as_anonymous.get(f"/meetings/{planned.pk}/edit/").status_code == 302
    assert as_anonymous.post(f"/meetings/{planned.pk}/cancel/", {"reason": "x"}).status_code == 302
    assert Meeting.objects.get(pk=planned.pk).state == "planned"


def test_api(as_secretary_a, as_secretary_b, as_anonymous, planned, tree, member_a):
    url = f"/api/meetings/{planned.pk}"
    assert _post(as_anonymous, url, {"place": "x", "reason": "x"}, "patch").status_code == 401
    assert _post(as_secretary_b, url, {"place": "x", "reason": "x"}, "patch").status_code == 404
    assert _post(as_secretary_a, url, {"place": "x", "reason": ""}, "patch").status_code == 400
    assert _post(as_secretary_a, url, {"place": "会议室", "reason": "换地点"}, "patch").json()["place"] == "会议室"
    assert _post(as_secretary_b, f"{url}/cancel", {"reason": "x"}).status_code == 404
    assert _post(as_secretary_a, f"{url}/cancel", {"reason": "取消"}).json()["state"] == "cancelled"
    history = as_secretary_a.get(f"{url}/corrections").json()
    assert [h["kind"] for h in history] == ["cancel", "plan"]
    assert as_secretary_b.get(f"{url}/corrections").status_code == 404
    held = _held(tree, member_a, 40)
    body = {"minutes": "新", "attendance": [{"member_id": member_a.pk, "status": "present"}], "reason": "x"}
    late = _post(as_secretary_a, f"/api/meetings/{held.pk}/correct", body)
    assert late.status_code == 400 and "超过 30 天" in late.json()["detail"]
    assert _post(as_secretary_b, f"/api/meetings/{held.pk}/correct", body).status_code == 404
