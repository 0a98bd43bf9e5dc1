"""Meeting and appraisal writes: rules, bad input, nothing half-written, audit."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.meetings import services
from dangjian.meetings.models import Appraisal, Attachment, Attendance, Meeting
from tests.factories import MemberFactory, make_org

from .conftest import at

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
PDF = b"%PDF-1.7\n" + b"0" * 32


def _data(org, day, **extra):
    return {"org": org, "meeting_type": "theme_day", "starts_at": at(day), "place": "活动室", "topic": "学习", **extra}


def test_plan_then_hold_in_one_action(tree, secretary_a, member_a):
    today = timezone.localdate()
    other = MemberFactory(org=tree["branch_a"])
    meeting = services.meeting_plan(by=secretary_a, data=_data(tree["branch_a"], today, host=member_a))
    assert meeting.state == "planned"
    services.meeting_hold(
        by=secretary_a, meeting=meeting, minutes="  学习了党章  ",
        attendance={member_a.pk: ("present", ""), other.pk: ("leave", "住院")},
    )
    meeting.refresh_from_db()
    assert meeting.state == "held" and meeting.minutes == "学习了党章" and meeting.recorded_by == secretary_a
    assert dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "status")) == {
        member_a.pk: "present", other.pk: "leave"}
    entry = AuditEntry.objects.filter(target_type="meetings.Meeting", target_id=str(meeting.pk)).first()
    assert entry.action == "transition" and entry.changes["state"] == ["planned", "held"]
    with pytest.raises(ValidationError, match="不能重复登记"):
        services.meeting_hold(by=secretary_a, meeting=meeting, minutes="x", attendance={member_a.pk: ("present", "")})


def test_plan_today_ok_yesterday_refused(tree, secretary_a):
    today = timezone.localdate()
    services.meeting_plan(by=secretary_a, data=_data(tree["branch_a"], today))
    with pytest.raises(ValidationError) as exc:
        services.meeting_plan(by=secretary_a, data=_data(tree["branch_a"], today - dt.timedelta(days=1)))
    assert "starts_at" in exc.value.message_dict


def test_record_today_ok_tomorrow_refused(tree, secretary_a, member_a):
    today = timezone.localdate()
    services.meeting_record(by=secretary_a, data=_data(tree["branch_a"], today), minutes="纪要",
                            attendance={member_a.pk: ("present", "")})
    with pytest.raises(ValidationError, match="尚未召开"):
        services.meeting_record(by=secretary_a, data=_data(tree["branch_a"], today + dt.timedelta(days=1)),
                                minutes="纪要", attendance={member_a.pk: ("present", "")})
    assert Meeting.objects.count() == 1


def test_holding_a_future_planned_meeting_is_refused(tree, secretary_a, member_a):
    meeting = services.meeting_plan(by=secretary_a, data=_data(tree["branch_a"], timezone.localdate() + dt.timedelta(days=1)))
    with pytest.raises(ValidationError, match="尚未召开"):
        services.meeting_hold(by=secretary_a, meeting=meeting, minutes="x", attendance={member_a.pk: ("present", "")})
    meeting.refresh_from_db()
    assert meeting.state == "planned" and not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("attendance", "message"),
    [
        ("stranger", "在册党员"),
        ({"self": ("leave", "  ")}, "请假原因"),
        ({"self": ("maybe", "")}, "状态无效"),
        ({"self": ("absent", "")}, "至少有一名"),
    ],
)
def test_bad_attendance_is_refused_and_nothing_is_written(tree, secretary_a, member_a, member_b, attendance, message):
    if attendance == "stranger":
        attendance = {member_a.pk: ("present", ""), member_b.pk: ("present", "")}
    else:
        attendance = {member_a.pk: attendance["self"]}
    with pytest.raises(ValidationError, match=message):
        services.meeting_record(by=secretary_a, data=_data(tree["branch_a"], timezone.localdate()),
                                minutes="纪要", attendance=attendance)
    assert not Meeting.objects.exists() and not Attendance.objects.exists()


def test_unlisted_roster_members_are_recorded_absent(tree, secretary_a, member_a):
    other = MemberFactory(org=tree["branch_a"])
    m = services.meeting_record(by=secretary_a, data=_data(tree["branch_a"], timezone.localdate()), minutes="纪要",
                                attendance={member_a.pk: ("present", "")})
    assert Attendance.objects.get(meeting=m, member=other).status == "absent"


def test_host_type_and_text_checks(tree, secretary_a, member_b):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.meeting_plan(by=secretary_a, data=_data(tree["branch_a"], today, host=member_b, place=" ", topic=""))
    assert set(exc.value.message_dict) == {"host", "place", "topic"}
    with pytest.raises(ValidationError, match="党小组会只能由党小组"):
        services.meeting_plan(by=secretary_a, data=_data(tree["branch_a"], today, meeting_type="group"))
    group = make_org(parent=tree["branch_a"], kind="group")
    with pytest.raises(ValidationError, match="党小组只能召开"):
        services.meeting_plan(by=secretary_a, data=_data(group, today, meeting_type="lecture"))
    services.meeting_plan(by=secretary_a, data=_data(group, today, meeting_type="group"))


def test_outsider_cannot_write(tree, secretary_b, member_a):
    with pytest.raises(Http404):
        services.meeting_plan(by=secretary_b, data=_data(tree["branch_a"], timezone.localdate()))
    with pytest.raises(Http404):
        services.appraisal_record(by=secretary_b, member=member_a, year=2024, outcome="qualified", reason="")
    assert not Meeting.objects.exists() and not Appraisal.objects.exists()


@pytest.fixture
def meeting(tree, secretary_a):
    return services.meeting_plan(by=secretary_a, data=_data(tree["branch_a"], timezone.localdate()))


def test_attachment_png_and_pdf_accepted(meeting, secretary_a, settings):
    a = services.attachment_add(by=secretary_a, meeting=meeting, upload=SimpleUploadedFile("现场.PNG", PNG))
    assert a.content_type == "image/png" and a.original_name == "现场.PNG"
    assert a.file.name.startswith("meetings/") and "现场" not in a.file.name
    assert (settings.MEDIA_ROOT / a.file.name).exists()
    b = services.attachment_add(by=secretary_a, meeting=meeting, upload=SimpleUploadedFile("纪要.pdf", PDF))
    assert b.content_type == "application/pdf"


def test_attachment_size_limit_at_its_boundary(meeting, secretary_a):
    limit = services.MAX_ATTACHMENT_BYTES
    ok = PDF + b"0" * (limit - len(PDF))
    services.attachment_add(by=secretary_a, meeting=meeting, upload=SimpleUploadedFile("a.pdf", ok))
    with pytest.raises(ValidationError, match="10 MB"):
        services.attachment_add(by=secretary_a, meeting=meeting, upload=SimpleUploadedFile("b.pdf", ok + b"0"))
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.exe", PDF, "JPG、PNG"),
        ("noext", PDF, "JPG、PNG"),
        ("a.pdf", PNG, "不符"),
        ("a.jpg", b"GIF89a....", "不符"),
        ("a.png", b"", "不符"),
    ],
)
def test_attachment_bad_type_refused(meeting, secretary_a, name, content, message):
    with pytest.raises(ValidationError, match=message):
        services.attachment_add(by=secretary_a, meeting=meeting, upload=SimpleUploadedFile(name, content))
    assert not Attachment.objects.exists()


def test_appraisal_reason_rules(tree, secretary_a, member_a):
    year = timezone.localdate().year
    services.appraisal_record(by=secretary_a, member=member_a, year=year, outcome="qualified", reason="")
    for outcome in ("excellent", "basic", "unqualified"):
        member = MemberFactory(org=tree["branch_a"])
        with pytest.raises(ValidationError) as exc:
            services.appraisal_record(by=secretary_a, member=member, year=year, outcome=outcome, reason=" ")
        assert "reason" in exc.value.message_dict
        services.appraisal_record(by=secretary_a, member=member, year=year, outcome=outcome, reason="事迹突出")
    assert Appraisal.objects.count() == 4
    assert AuditEntry.objects.filter(target_type="meetings.Appraisal").count() == 4


def test_appraisal_once_per_member_and_year(tree, secretary_a, member_a):
    year = timezone.localdate().year
    services.appraisal_record(by=secretary_a, member=member_a, year=year - 1, outcome="qualified", reason="")
    services.appraisal_record(by=secretary_a, member=member_a, year=year, outcome="qualified", reason="")
    with pytest.raises(ValidationError, match="每名党员每年只评议一次"):
        services.appraisal_record(by=secretary_a, member=member_a, year=year, outcome="excellent", reason="好")


def test_appraisal_year_bounds(tree, secretary_a, member_a):
    year = timezone.localdate().year
    with pytest.raises(ValidationError, match="尚未开始"):
        services.appraisal_record(by=secretary_a, member=member_a, year=year + 1, outcome="qualified", reason="")
    with pytest.raises(ValidationError, match="早于"):
        services.appraisal_record(by=secretary_a, member=member_a, year=member_a.joined_on.year - 1,
                                  outcome="qualified", reason="")
    services.appraisal_record(by=secretary_a, member=member_a, year=member_a.joined_on.year, outcome="qualified", reason="")
    with pytest.raises(ValidationError, match="无效"):
        services.appraisal_record(by=secretary_a, member=member_a, year=year, outcome="great", reason="x")


def test_rules_are_superuser_only(secretary_a, db):
    from dangjian.meetings.models import LifeRule, MeetingRule
    from tests.factories import UserFactory

    rule = MeetingRule.objects.get(meeting_type="lecture")
    with pytest.raises(Http404):
        services.meeting_rule_update(by=secretary_a, rule=rule, every_months=1)
    admin = UserFactory(is_superuser=True)
    services.meeting_rule_update(by=admin, rule=rule, every_months=6)
    assert MeetingRule.objects.get(meeting_type="lecture").every_months == 6
    with pytest.raises(ValidationError):
        services.meeting_rule_update(by=admin, rule=rule, every_months=5)
    with pytest.raises(ValidationError):
        services.life_rule_update(by=admin, first_warning_months=5, second_warning_months=5, limit_months=6)
    services.life_rule_update(by=admin, first_warning_months=2, second_warning_months=4, limit_months=6)
    assert LifeRule.current().first_warning_months == 2
