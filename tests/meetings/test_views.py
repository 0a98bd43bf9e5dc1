"""Pages as a user reaches them: scope (outsider 404, anonymous to login), forms, exports."""

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.audit.models import AuditEntry
from dangjian.meetings import services
from dangjian.meetings.models import Appraisal, Meeting
from tests.dbstate import unchanged
from tests.factories import MemberFactory, UserFactory

from .conftest import held_meeting

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def meeting_a(tree, member_a):
    return held_meeting(tree["branch_a"], timezone.localdate() - dt.timedelta(days=3), present=[member_a])


@pytest.fixture
def attachment_a(meeting_a, secretary_a):
    return services.attachment_add(by=secretary_a, meeting=meeting_a, upload=SimpleUploadedFile("照片.png", PNG))


def _pages(meeting, attachment, member, tree):
    return [
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("meetings:attachment", args=[attachment.pk]),
        reverse("meetings:member", args=[member.pk]),
        reverse("meetings:new") + f"?org={tree['branch_a'].pk}",
        reverse("meetings:list") + f"?org={tree['branch_a'].pk}",
        reverse("meetings:compliance") + f"?org={tree['branch_a'].pk}",
        reverse("meetings:calendar") + f"?org={tree['branch_a'].pk}",
        reverse("meetings:life") + f"?org={tree['branch_a'].pk}",
        reverse("meetings:appraisals") + f"?org={tree['branch_a'].pk}",
    ]


def test_outsider_gets_404_everywhere(as_secretary_b, meeting_a, attachment_a, member_a, tree):
    for url in _pages(meeting_a, attachment_a, member_a, tree):
        assert as_secretary_b.get(url).status_code == 404, url
    with unchanged(meeting_a):
        assert as_secretary_b.post(reverse("meetings:attachment_upload", args=[meeting_a.pk]),
                                   {"file": SimpleUploadedFile("x.png", PNG)}).status_code == 404
    assert as_secretary_b.get(reverse("meetings:hold", args=[meeting_a.pk])).status_code == 404


def test_plain_member_sees_nothing(as_member, meeting_a):
    assert as_member.get(reverse("meetings:list")).status_code == 404
    assert as_member.get(reverse("meetings:detail", args=[meeting_a.pk])).status_code == 404


def test_anonymous_is_sent_to_login(as_anonymous, meeting_a, attachment_a, member_a, tree):
    for url in _pages(meeting_a, attachment_a, member_a, tree) + [reverse("meetings:rules")]:
        response = as_anonymous.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_rules_page_is_for_superusers_only(as_officer, db):
    from django.test import Client

    assert as_officer.get(reverse("meetings:rules")).status_code == 404
    admin = Client()
    admin.force_login(UserFactory(is_superuser=True))
    page = admin.get(reverse("meetings:rules"))
    assert page.status_code == 200 and "默认" in page.content.decode()
    from dangjian.meetings.models import MeetingRule

    rule = MeetingRule.objects.get(meeting_type="lecture")
    assert admin.post(reverse("meetings:rules"), {"rule": rule.pk, "every_months": 1}).status_code == 302
    rule.refresh_from_db()
    assert rule.every_months == 1 and rule.default_every_months == 3
    page = admin.post(reverse("meetings:rules"), {"form": "life", "first_warning_months": 5,
                                                   "second_warning_months": 4, "limit_months": 6})
    assert "第一次提醒" in page.content.decode()


def test_secretary_lists_and_opens_own_meetings(as_secretary_a, meeting_a, attachment_a, member_a, tree):
    page = as_secretary_a.get(reverse("meetings:list"))
    assert page.status_code == 200 and "主题党日" in page.content.decode()
    detail = as_secretary_a.get(reverse("meetings:detail", args=[meeting_a.pk])).content.decode()
    assert "照片.png" in detail and member_a.name in detail
    download = as_secretary_a.get(reverse("meetings:attachment", args=[attachment_a.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    assert b"".join(download.streaming_content) == PNG
    for name in ("compliance", "calendar", "life", "appraisals"):
        assert as_secretary_a.get(reverse(f"meetings:{name}")).status_code == 200


def test_record_a_meeting_through_the_form(as_secretary_a, tree, member_a):
    other = MemberFactory(org=tree["branch_a"])
    url = reverse("meetings:new") + f"?org={tree['branch_a'].pk}&mode=record"
    assert other.name in as_secretary_a.get(url).content.decode()
    today = timezone.localdate()
    data = {"meeting_type": "lecture", "starts_at": f"{today:%Y-%m-%d}T09:30", "place": "会议室",
            "topic": "专题党课", "host": member_a.pk, "minutes": "讲授党史",
            f"att_{member_a.pk}": "present", f"att_{other.pk}": "leave", f"reason_{other.pk}": ""}
    page = as_secretary_a.post(url, data)
    assert page.status_code == 200 and "请假的党员须填写请假原因" in page.content.decode()
    assert not Meeting.objects.exists()
    data[f"reason_{other.pk}"] = "外出务工"
    response = as_secretary_a.post(url, data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.state == "held" and meeting.host == member_a


def test_plan_then_record_through_the_pages(as_secretary_a, tree, member_a):
    today = timezone.localdate()
    url = reverse("meetings:new") + f"?org={tree['branch_a'].pk}"
    response = as_secretary_a.post(url, {"meeting_type": "theme_day", "starts_at": f"{today:%Y-%m-%d}T00:00",
                                         "place": "活动室", "topic": "主题党日"})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.state == "planned"
    hold = reverse("meetings:hold", args=[meeting.pk])
    response = as_secretary_a.post(hold, {"minutes": "开展志愿服务", f"att_{member_a.pk}": "present"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == "held"
    # A held meeting is not recorded twice.
    assert as_secretary_a.get(hold).status_code == 302


def test_planning_in_the_past_shows_the_error_inline(as_secretary_a, tree):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page = as_secretary_a.post(reverse("meetings:new") + f"?org={tree['branch_a'].pk}", {
        "meeting_type": "theme_day", "starts_at": f"{yesterday:%Y-%m-%d}T10:00", "place": "活动室", "topic": "x"})
    assert page.status_code == 200 and "不能早于今天" in page.content.decode()


def test_upload_errors_are_shown(as_secretary_a, meeting_a):
    url = reverse("meetings:attachment_upload", args=[meeting_a.pk])
    response = as_secretary_a.post(url, {"file": SimpleUploadedFile("a.exe", b"MZ")}, follow=True)
    assert "只能是" in response.content.decode()
    response = as_secretary_a.post(url, {"file": SimpleUploadedFile("a.png", PNG)}, follow=True)
    assert "a.png" in response.content.decode()


def test_meeting_export_is_scoped_and_audited(as_secretary_a, meeting_a, tree, member_b):
    held_meeting(tree["branch_b"], timezone.localdate() - dt.timedelta(days=1), present=[member_b])
    response = as_secretary_a.get(reverse("meetings:list") + "?export=xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert len(rows) == 2 and rows[1][0] == tree["branch_a"].name
    assert AuditEntry.objects.filter(action="export").count() == 1
    for name in ("compliance", "life", "appraisals"):
        response = as_secretary_a.get(reverse(f"meetings:{name}") + "?export=xlsx")
        assert response.status_code == 200 and response.content[:2] == b"PK"
    assert AuditEntry.objects.filter(action="export").count() == 4


def test_calendar_shows_the_month(as_secretary_a, meeting_a):
    day = timezone.localdate(meeting_a.starts_at)
    page = as_secretary_a.get(reverse("meetings:calendar") + f"?year={day.year}&month={day.month}").content.decode()
    assert reverse("meetings:detail", args=[meeting_a.pk]) in page
    # The branch is named in the cell's text, not only in its tooltip (a phone has no hover; issue 14).
    without_tooltips = re.sub(r'title="[^"]*"', "", page)
    assert f'<span class="ev-org">{meeting_a.org.name}</span>' in without_tooltips
    assert as_secretary_a.get(reverse("meetings:calendar") + "?month=13").status_code == 404


def test_compliance_detail_for_one_branch(as_secretary_a, tree):
    page = as_secretary_a.get(reverse("meetings:compliance") + f"?org={tree['branch_a'].pk}").content.decode()
    assert "主题党日" in page and "组织生活会" in page


def test_member_history_and_life_page(as_secretary_a, tree, member_a):
    held_meeting(tree["branch_a"], timezone.localdate() - dt.timedelta(days=200), present=[member_a])
    life = as_secretary_a.get(reverse("meetings:life")).content.decode()
    assert member_a.name in life and "已满六个月" in life
    # Column headers in this app's own words, not another catalogue's for the same English.
    assert "<th>姓名</th>" in life and "<th>月数</th>" in life
    history = as_secretary_a.get(reverse("meetings:member", args=[member_a.pk])).content.decode()
    assert "主题党日活动" in history


def test_appraisal_form(as_secretary_a, member_a):
    url = reverse("meetings:appraisal_new")
    year = timezone.localdate().year
    page = as_secretary_a.post(url, {"member": member_a.pk, "year": year, "outcome": "unqualified", "reason": ""})
    assert "须写明理由" in page.content.decode() and not Appraisal.objects.exists()
    response = as_secretary_a.post(url, {"member": member_a.pk, "year": year, "outcome": "unqualified",
                                         "reason": "长期不参加组织生活"})
    assert response.status_code == 302 and Appraisal.objects.get().outcome == "unqualified"


def test_outsider_cannot_appraise_through_the_form(as_secretary_b, member_a):
    page = as_secretary_b.post(reverse("meetings:appraisal_new"), {
        "member": member_a.pk, "year": timezone.localdate().year, "outcome": "qualified", "reason": ""})
    assert page.status_code == 200 and not Appraisal.objects.exists()


def test_home_todo_lists_due_meetings_and_warnings(as_secretary_a, tree, member_a):
    held_meeting(tree["branch_a"], timezone.localdate() - dt.timedelta(days=100), present=[member_a])
    page = as_secretary_a.get(reverse("home")).content.decode()
    assert "次会议待开" in page or "主题党日" in page
    assert f"{member_a.name}（{tree['branch_a'].name}）已连续" in page


def test_todo_is_empty_for_users_without_the_work(member_user, tree, member_a):
    from dangjian.meetings.todo import todo_items as meetings_todo

    held_meeting(tree["branch_a"], timezone.localdate() - dt.timedelta(days=100), present=[member_a])
    assert meetings_todo(member_user) == []


def test_todo_for_the_outsider_does_not_show_branch_a(secretary_b, tree, member_a):
    from dangjian.meetings.todo import todo_items as meetings_todo

    held_meeting(tree["branch_a"], timezone.localdate() - dt.timedelta(days=100), present=[member_a])
    items = meetings_todo(secretary_b)
    assert items and all(tree["branch_a"].name not in i.title and member_a.name not in i.title for i in items)
