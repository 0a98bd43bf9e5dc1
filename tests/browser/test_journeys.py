"""The short journeys of issue 14 in headless Chromium, each with its screens counted.

A screen is a page the browser loads (a main-frame navigation, a redirect
after a POST counting once); a submission is a POST navigation. htmx requests
(the attendance list following the meeting type) are neither. Each journey
starts where the user opens it (the list, the home page's link) and ends on
the page showing what was saved. Pictures at desktop and 390 px are kept in
test-artifacts/ for a human to look at.
"""

import datetime as dt
import random

from django.utils import timezone
from playwright.sync_api import expect

from dangjian.assessment import services as assessment_services
from dangjian.assessment.models import Assessment, ItemScore
from dangjian.committees.models import Seat, Term
from dangjian.dues.models import Payment
from dangjian.learning import synthetic
from dangjian.learning.models import Reflection, StudyRecord
from dangjian.meetings.models import Attendance, Meeting
from tests.browser.fixtures import screenshot, sign_in
from tests.dues.conftest import make_due
from tests.factories import MemberFactory

PHONE = {"width": 390, "height": 844}


class Steps:
    """Counts the screens loaded and the forms submitted from the moment it is made."""

    def __init__(self, page):
        self.loads: list[str] = []
        self.posts: list[str] = []
        page.on("framenavigated", lambda frame: frame == page.main_frame and self.loads.append(frame.url))
        page.on("request", lambda r: r.method == "POST" and r.is_navigation_request() and self.posts.append(r.url))


def no_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_record_a_held_committee_meeting_in_three_screens(page, tree, secretary_a):
    branch = tree["branch_a"]
    people = [MemberFactory(org=branch, joined_on=dt.date(2000, 1, 1)) for _ in range(8)]
    today = timezone.localdate()
    term = Term.objects.create(org=branch, start=today - dt.timedelta(days=200), end=today + dt.timedelta(days=900),
                               elected_on=today - dt.timedelta(days=200), method="direct", eligible_voters=8,
                               voters_present=8)
    for k, m in enumerate(people[:3]):
        Seat.objects.create(term=term, member=m, position="secretary" if k == 0 else "member")
    sign_in(page, secretary_a.username)
    steps = Steps(page)
    page.goto(page.base_url + "/meetings/")
    page.click("a.btn[href*='mode=record']")
    # The secretary's one branch is preselected, today's date filled in; the type chosen lists the committee.
    page.select_option("#id_meeting_type", "committee")
    # The attendance list reloads (htmx) with the committee's three; the site's CSP forbids eval, so no wait_for_function.
    expect(page.locator("#attendance select")).to_have_count(3)
    page.fill("#id_place", "党员活动室")
    page.fill("#id_topic", "研究本月工作")
    page.fill("#id_minutes", "研究了本月支部工作安排。")
    screenshot(page, "journey_meeting_desktop")
    page.set_viewport_size(PHONE)
    assert no_overflow(page)
    screenshot(page, "journey_meeting_phone")
    with page.expect_navigation():
        page.click("form.card button[type=submit]")
    meeting = Meeting.objects.get()
    assert "/meetings/" in page.url and str(meeting.pk) in page.url
    assert len(steps.loads) == 3 and len(steps.posts) == 1, (steps.loads, steps.posts)
    assert set(Attendance.objects.filter(meeting=meeting).values_list("member_id", flat=True)) == {
        p.pk for p in people[:3]}


def test_record_a_months_dues_for_a_branch_in_two_screens(page, tree, secretary_a):
    month = timezone.localdate().replace(day=1)
    members = [MemberFactory(org=tree["branch_a"]) for _ in range(4)]
    for m in members:
        make_due(m, month)
    sign_in(page, secretary_a.username)
    steps = Steps(page)
    page.goto(page.base_url + "/dues/batch/")
    # This month and the secretary's branch, the unpaid dues listed at once.
    assert page.input_value("#f-month") == f"{month:%Y-%m}"
    assert page.locator("input[name^=amount_]").count() == 4
    screenshot(page, "journey_dues_desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "journey_dues_phone")
    with page.expect_navigation():
        page.click("form[method=post] button.btn")
    assert "/dues/" in page.url and Payment.objects.count() == 4
    assert len(steps.loads) == 2 and len(steps.posts) == 1, (steps.loads, steps.posts)


def test_score_a_whole_assessment_in_one_form_with_one_save(page, tree, officer, secretary_a):
    year = timezone.localdate().year
    scheme = assessment_services.scheme_create(
        by=officer, org=tree["street"], title=f"{year} 年度支部考核", year=year, starts_on=dt.date(year, 1, 1),
        ends_on=dt.date(year, 12, 31), org_kind="branch")
    for t in ("组织建设", "服务群众", "党员管理", "制度落实"):
        assessment_services.scheme_item_add(by=officer, scheme=scheme, title=t, max_points=25)
    assessment_services.scheme_start(by=officer, scheme=scheme)
    a = Assessment.objects.get(scheme=scheme, org=tree["branch_a"])
    assessment_services.assessment_submit(by=secretary_a, assessment=a, self_report="支部自评")
    sign_in(page, officer.username)
    steps = Steps(page)
    page.goto(page.base_url + f"/assessment/{a.pk}/")
    for n, item in enumerate(scheme.items.all()):
        page.fill(f"input[name=score_{item.pk}]", str(20 + n))
        page.fill(f"input[name=reason_{item.pk}]", f"落实情况{n}")
    screenshot(page, "journey_scoring_desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "journey_scoring_phone")
    # On a phone every row is a card: the score and the reason fields lie wholly on the screen (issue 14).
    assert no_overflow(page)
    edges = page.eval_on_selector_all("input[name^=score_], input[name^=reason_]",
                                      "els => els.map(e => [e.getBoundingClientRect().left, e.getBoundingClientRect().right])")
    assert len(edges) == 8 and all(0 <= left and right <= PHONE["width"] for left, right in edges), edges
    with page.expect_navigation():
        page.click("button[name=action][value=score]")
    assert ItemScore.objects.filter(assessment=a).count() == 4
    assert len(steps.loads) == 2 and len(steps.posts) == 1, (steps.loads, steps.posts)


def test_leaving_the_scoring_form_with_unsaved_scores_asks_first(page, tree, officer, secretary_a):
    year = timezone.localdate().year
    scheme = assessment_services.scheme_create(
        by=officer, org=tree["street"], title="考核", year=year, starts_on=dt.date(year, 1, 1),
        ends_on=dt.date(year, 12, 31), org_kind="branch")
    assessment_services.scheme_item_add(by=officer, scheme=scheme, title="组织建设", max_points=25)
    assessment_services.scheme_start(by=officer, scheme=scheme)
    a = Assessment.objects.get(scheme=scheme, org=tree["branch_a"])
    assessment_services.assessment_submit(by=secretary_a, assessment=a, self_report="支部自评")
    sign_in(page, officer.username)
    page.goto(page.base_url + f"/assessment/{a.pk}/")
    page.click("input[name^=score_]")
    page.keyboard.type("20")
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", on_dialog)
    page.click("a.brand")
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert f"/assessment/{a.pk}/" in page.url


def test_a_member_records_study_and_a_reflection_in_two_screens_each(page, tree, member_user, member_a):
    sign_in(page, member_user.username)
    steps = Steps(page)
    page.goto(page.base_url + "/learning/records/new/")  # the home page's 记录学习 link
    assert page.locator("[name=member]").count() == 0
    page.select_option("#id_mode", "online")
    page.fill("#id_minutes", "45")
    screenshot(page, "journey_study_desktop")
    page.set_viewport_size(PHONE)
    assert no_overflow(page)
    screenshot(page, "journey_study_phone")
    with page.expect_navigation():
        page.click("form button.btn")
    assert list(StudyRecord.objects.values_list("member_id", "minutes")) == [(member_a.pk, 45)]
    assert len(steps.loads) == 2 and len(steps.posts) == 1, (steps.loads, steps.posts)

    steps = Steps(page)
    page.goto(page.base_url + "/learning/reflections/new/")
    assert page.locator("[name=member]").count() == 0
    page.fill("#id_title", "学习心得")
    page.fill("#id_body", synthetic.reflection(random.Random(3)))
    with page.expect_navigation():
        page.click("form button.btn")
    reflection = Reflection.objects.get()
    assert reflection.member_id == member_a.pk and f"/learning/reflections/{reflection.pk}/" in page.url
    assert len(steps.loads) == 2 and len(steps.posts) == 1, (steps.loads, steps.posts)
