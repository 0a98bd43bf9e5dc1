"""Issue 15: 除名, 退党, 取消预备党员资格 end membership on the superior's approval (党章第七条、第九条)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dangjian.orgs import services
from dangjian.orgs.models import Status
from tests.factories import MemberFactory

TODAY = dt.date(2026, 12, 7)


def end(by, member, **kw):
    args = dict(status=Status.REMOVED, decided_on=dt.date(2026, 11, 2), approved_on=dt.date(2026, 11, 20),
                reason="连续六个月不参加组织生活、不交纳党费，自行脱党", today=TODAY)
    return services.membership_end(by=by, member=member, **{**args, **kw})


def test_the_branch_cannot_end_a_membership_on_its_own(tree, secretary_a):
    member = MemberFactory(org=tree["branch_a"])
    with pytest.raises(ValidationError) as exc:
        end(secretary_a, member)
    assert "上级" in exc.value.messages[0]
    with pytest.raises(ValidationError):  # nor by a plain status change
        services.member_set_status(by=secretary_a, member=member, status=Status.REMOVED, reason="除名")
    member.refresh_from_db()
    assert member.status == Status.ACTIVE


def test_the_superior_approves_on_or_after_the_branch_decision(tree, officer):
    member = MemberFactory(org=tree["branch_a"])
    with pytest.raises(ValidationError) as exc:
        end(officer, member, approved_on=dt.date(2026, 11, 1))
    assert "approved_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        end(officer, member, approved_on=TODAY + dt.timedelta(days=1))
    assert "approved_on" in exc.value.message_dict
    end(officer, member, approved_on=dt.date(2026, 11, 2))
    member.refresh_from_db()
    assert member.status == Status.REMOVED
    change = member.status_changes.get(to_status=Status.REMOVED)
    assert (change.decided_on, change.changed_on) == (dt.date(2026, 11, 2), dt.date(2026, 11, 2))
    with pytest.raises(ValidationError):  # once ended, never back by a status change
        services.member_set_status(by=officer, member=member, status=Status.ACTIVE, reason="恢复")


def test_only_a_probationary_members_probation_is_cancelled(tree, officer):
    full = MemberFactory(org=tree["branch_a"])
    with pytest.raises(ValidationError) as exc:
        end(officer, full, status=Status.PROBATION_CANCELLED)
    assert "status" in exc.value.message_dict
    probationary = MemberFactory(org=tree["branch_a"], category="probationary", full_member_on=None)
    end(officer, probationary, status=Status.PROBATION_CANCELLED)
    probationary.refresh_from_db()
    assert probationary.status == Status.PROBATION_CANCELLED
