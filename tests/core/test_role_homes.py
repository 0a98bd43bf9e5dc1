"""Each role opens on a home of its own, decided from its capabilities (issue 14).

Grid worker: their grids' open appeals by deadline, households due a visit.
Secretary: what is due for their branch (meetings, this month's dues, terms).
Reviewer: what waits for their score. Officer: what needs the officer first,
the rest summarised by who must act. Every panel is scoped like its app's lists.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.roles import Role
from dangjian.appeals.models import Appeal
from dangjian.assessment.models import Assessment, State
from dangjian.core.todo import OFFICER, SECRETARY, YOU, TodoItem, group_by_actor
from dangjian.grids.models import Household, Visit
from tests.appeals.helpers import submit
from tests.conftest import client_for
from tests.dues.conftest import make_due, make_payment
from tests.factories import MemberFactory, UserFactory, grant
from tests.grids.fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def reviewer(tree):
    user = UserFactory(username="rev", display_name="考核员")
    grant(user, tree["street"], Role.REVIEWER)
    return user


def test_each_role_gets_its_own_desk(as_officer, as_secretary_a, as_grid_worker, reviewer, as_member):
    desks = {
        "组织委员工作台": as_officer, "书记工作台": as_secretary_a, "网格员工作台": as_grid_worker,
        "考核员工作台": client_for(reviewer),
    }
    for desk, client in desks.items():
        text = _text(client.get(reverse("home")))
        assert [d for d in desks if d in text] == [desk]
    member = _text(as_member.get(reverse("home")))
    assert not any(d in member for d in desks) and "我的网格诉求" not in member and "本期应开的会议" not in member


def test_grid_worker_sees_their_grids_appeals_by_deadline_and_households_due(tree, as_grid_worker, grid1, grid2, house1,
                                                                              house2):
    now = timezone.now()
    late = submit(tree["community"], "路灯坏了好几天", address="和平里3号楼")
    soon = submit(tree["community"], "楼道堆放杂物", address="和平里5号楼")
    other = submit(tree["community"], "幸福苑停车难", address="幸福苑5栋")
    Appeal.objects.filter(pk=late.pk).update(grid=grid1, accept_due_at=now - dt.timedelta(hours=2))
    Appeal.objects.filter(pk=soon.pk).update(grid=grid1, accept_due_at=now + dt.timedelta(hours=5))
    Appeal.objects.filter(pk=other.pk).update(grid=grid2)
    fresh = Household.objects.create(grid=grid1, address="和平里9号楼1单元201", head_name="刘芳", size=1)
    Visit.objects.create(kind="household", org=tree["community"], grid=grid1, household=fresh,
                         visited_on=timezone.localdate() - dt.timedelta(days=10), summary="走访")

    text = _text(as_grid_worker.get(reverse("home")))
    queue = text[text.index("我的网格诉求"):text.index("待走访住户")]
    assert "在办 2 件，超期 1 件，待受理 2 件" in queue
    assert queue.index(late.tracking_code) < queue.index(soon.tracking_code)  # the overdue one first
    assert other.tracking_code not in text  # grid2 is not theirs
    visits = text[text.index("待走访住户"):]
    assert "1 户已超过 90 天未走访" in visits and str(house1) in visits and "从未走访" in visits
    assert str(fresh) not in visits and str(house2) not in visits


def test_secretary_sees_what_is_due_this_month_for_their_branch(tree, as_secretary_a):
    month = timezone.localdate().replace(day=1)
    paid = MemberFactory(org=tree["branch_a"], name="王一")
    for name in ("李二", "赵三"):
        make_due(MemberFactory(org=tree["branch_a"], name=name), month)
    make_payment(make_due(paid, month))
    make_due(MemberFactory(org=tree["branch_b"], name="孙四"), month)  # another branch: not hers

    text = _text(as_secretary_a.get(reverse("home")))
    dues = text[text.index("本月党费"):]
    assert "3 人中已缴 1 人，未缴 2 人" in dues
    assert "和平社区第一党支部：3 人中 2 人未缴" in dues and "和平社区第二党支部" not in dues
    meetings = text[text.index("本期应开的会议"):text.index("本月党费")]
    assert "和平社区第一党支部" in meetings and "和平社区第二党支部" not in meetings
    assert reverse("dues:batch") in dues and reverse("meetings:new") in meetings


def test_reviewer_sees_the_self_reports_waiting_for_a_score(tree, reviewer, officer):
    from dangjian.assessment import services

    year = timezone.localdate().year
    scheme = services.scheme_create(by=officer, org=tree["street"], title=f"{year} 年度支部考核", year=year,
                                    starts_on=dt.date(year, 1, 1), ends_on=dt.date(year, 12, 31), org_kind="branch")
    Assessment.objects.create(scheme=scheme, org=tree["branch_a"], state=State.SUBMITTED,
                              submitted_on=timezone.localdate())
    Assessment.objects.create(scheme=scheme, org=tree["branch_b"], state=State.PENDING)

    text = _text(client_for(reviewer).get(reverse("home")))
    panel = text[text.index("待我评分"):]
    assert "1 份自评待评分；1 个单位尚未提交自评" in panel
    assert f"和平社区第一党支部：{scheme.title}" in panel and f"和平社区第二党支部：{scheme.title}" not in panel


def test_items_are_grouped_by_who_must_act():
    mine = TodoItem("审批项目", "/p", "info", area="党建项目", actor=OFFICER)
    own = TodoItem("您有 1 个月党费未缴", "/d", "warn", area="党费", actor=YOU)
    late = TodoItem("一支部会议逾期", "/m", "bad", area="三会一课", actor=SECRETARY)
    due = TodoItem("一支部党费账目", "/l", "info", area="党费", actor=SECRETARY)
    own_items, others = group_by_actor([mine, own, late, due], (OFFICER,))
    assert own_items == [mine, own]
    assert [(a.actor, a.bad, a.info, [g.area for g in a.groups]) for a in others] == [
        (SECRETARY, 1, 1, ["三会一课", "党费"])]
    # The same items read by a branch secretary: hers first, the officer's among the others.
    own_items, others = group_by_actor([mine, own, late, due], (SECRETARY,))
    assert own_items == [own, late, due] and [a.actor for a in others] == [OFFICER]


def test_officer_home_puts_branch_work_under_the_branches_with_counts(tree, as_officer, member_a):
    month = timezone.localdate().replace(day=1)
    from dangjian.core.dates import add_months

    for back in range(1, 7):
        make_due(member_a, add_months(month, -back))  # six months unpaid: the branch must act

    text = _text(as_officer.get(reverse("home")))
    assert "需要您马上处理" not in text  # nothing of the officer's own is urgent
    others = text[text.index("等待他人处理"):]
    assert "支部书记" in others and "党费" in others and "和平社区第一党支部" in others
