import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from dangjian.accounts.services import api_token_create
from dangjian.appeals import services, workflow
from dangjian.appeals.models import Appeal, AppealConfig, AppealEvent, State
from dangjian.appeals.selectors import appeals_for
from dangjian.audit.models import AuditEntry
from tests.appeals.helpers import submit, walk
from tests.dbstate import unchanged

pytestmark = pytest.mark.django_db


def test_transition_table_is_closed():
    states = set(State.values)
    for step, (sources, target) in workflow.TRANSITIONS.items():
        assert sources <= states and target in states
        assert workflow.ACTORS[step] and workflow.STAMPS[step]
    assert workflow.next_steps(State.CLOSED) == [] and workflow.next_steps(State.REJECTED) == []


def test_full_loop_with_dissatisfied_reopen(community_secretary, tree, grid1):
    appeal = submit(tree["community"])
    appeal = walk(appeal, community_secretary, until="resolve")
    assert appeal.state == State.RESOLVED and appeal.accepted_at and appeal.resolved_at
    services.appeal_rate(tracking_code=appeal.tracking_code, rating="dissatisfied", comment="还是没清运")
    appeal.refresh_from_db()
    assert appeal.state == State.IN_PROGRESS and appeal.reopen_count == 1
    appeal = services.appeal_transition(appeal=appeal, step="resolve", by=community_secretary,
                                        data={"resolution": "已协调环卫每日清运"})
    services.appeal_rate(tracking_code=appeal.tracking_code, rating="basic")
    appeal.refresh_from_db()
    assert appeal.state == State.CLOSED and appeal.rating == "basic" and appeal.closed_at
    steps = list(appeal.events.values_list("step", flat=True))
    assert steps == ["submit", "accept", "assign", "start", "resolve", "reopen", "resolve", "rate"]
    assert all(e.by_id == community_secretary.pk for e in appeal.events.filter(step__in=["accept", "resolve"]))
    assert AuditEntry.objects.filter(action="transition", target_id=str(appeal.pk)).count() == 7


def test_rating_before_resolution_and_second_rating(community_secretary, tree):
    appeal = submit(tree["community"])
    with pytest.raises(ValidationError, match="尚未办结"):
        services.appeal_rate(tracking_code=appeal.tracking_code, rating="satisfied")
    walk(appeal, community_secretary, until="resolve")
    services.appeal_rate(tracking_code=appeal.tracking_code, rating="satisfied")
    with pytest.raises(ValidationError, match="不能重复评价"):
        services.appeal_rate(tracking_code=appeal.tracking_code, rating="dissatisfied")
    with pytest.raises(ValidationError, match="满意、基本满意或不满意"):
        services.appeal_rate(tracking_code=appeal.tracking_code, rating="great")
    appeal.refresh_from_db()
    assert appeal.rating == "satisfied" and appeal.state == State.CLOSED


def test_rating_pages(as_anonymous, community_secretary, tree):
    appeal = submit(tree["community"])
    r = as_anonymous.post("/appeals/track/rate/", {"code": appeal.tracking_code, "rating": "satisfied"})
    assert r.status_code == 400 and "尚未办结" in r.content.decode()
    walk(appeal, community_secretary, until="resolve")
    page = as_anonymous.post("/appeals/track/", {"code": appeal.tracking_code}, follow=True).content.decode()
    assert "已安排清运" in page and "一支部书记" not in page
    assert as_anonymous.post("/appeals/track/rate/", {"code": appeal.tracking_code, "rating": "satisfied"}).status_code == 302
    r = as_anonymous.post("/appeals/track/rate/", {"code": appeal.tracking_code, "rating": "satisfied"})
    assert r.status_code == 400 and "不能重复评价" in r.content.decode()
    assert AppealEvent.objects.filter(appeal=appeal, step="rate").count() == 1


@pytest.mark.parametrize("step", ["start", "resolve", "rate", "reopen", "close", "fly"])
def test_illegal_step_from_received_everywhere(as_community, community_secretary, tree, step):
    appeal = submit(tree["community"])
    r = as_community.post(f"/appeals/case/{appeal.pk}/step/", {"step": step, "resolution": "x"})
    assert r.status_code == 400
    _t, raw = api_token_create(user=community_secretary, name="t")
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    r = api.post(f"/api/appeals/{appeal.pk}/steps", {"step": step, "resolution": "x"}, content_type="application/json")
    assert r.status_code == 400
    with pytest.raises(CommandError):
        call_command("appeal_step", appeal.tracking_code, step, user=community_secretary.username, resolution="x")
    appeal.refresh_from_db()
    assert appeal.state == State.RECEIVED and appeal.events.count() == 1


def test_legal_steps_through_view_api_and_command(as_community, community_secretary, tree, grid1):
    appeal = submit(tree["community"])
    r = as_community.post(f"/appeals/case/{appeal.pk}/step/", {"step": "accept", "is_complex": "on"})
    assert r.status_code == 302
    appeal.refresh_from_db()
    assert appeal.is_complex and appeal.resolve_due_at == appeal.received_at + dt.timedelta(days=15)
    _t, raw = api_token_create(user=community_secretary, name="t")
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    r = api.post(f"/api/appeals/{appeal.pk}/steps", {"step": "assign", "assignee_kind": "grid", "grid_id": grid1.pk},
                 content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "assigned" and r.json()["grid_id"] == grid1.pk
    call_command("appeal_step", appeal.tracking_code, "start", user=community_secretary.username)
    appeal.refresh_from_db()
    assert appeal.state == State.IN_PROGRESS
    # Resident steps are not for staff, on any path.
    with pytest.raises(ValidationError):
        services.appeal_transition(appeal=appeal, step="rate", by=community_secretary, data={"rating": "satisfied"})


def test_step_bad_input_writes_nothing(as_community, community_secretary, tree):
    appeal = walk(submit(tree["community"]), community_secretary, until="accept")
    r = as_community.post(f"/appeals/case/{appeal.pk}/step/", {"step": "assign", "assignee_kind": "department"})
    assert r.status_code == 400 and "请填写承办部门" in r.content.decode()
    r = as_community.post(f"/appeals/case/{appeal.pk}/step/", {"step": "reject"})
    assert r.status_code == 400
    appeal.refresh_from_db()
    assert appeal.state == State.ACCEPTED and appeal.events.count() == 2


def test_resolve_needs_resolution(community_secretary, tree):
    appeal = submit(tree["community"])
    appeal = walk(appeal, community_secretary, until="start")
    with pytest.raises(ValidationError, match="请填写办理结果"):
        services.appeal_transition(appeal=appeal, step="resolve", by=community_secretary, data={"resolution": " "})
    appeal.refresh_from_db()
    assert appeal.state == State.IN_PROGRESS and appeal.resolved_at is None


def test_grid_worker_scope(as_grid_worker, grid_worker, as_secretary_b, as_anonymous, tree, grid1, grid2):
    mine = submit(tree["community"], address="和平里3号楼")
    other = submit(tree["community"], address="幸福苑5栋")
    assert (mine.grid, other.grid) == (grid1, grid2)
    assert list(appeals_for(grid_worker)) == [mine]
    assert as_grid_worker.get(f"/appeals/case/{mine.pk}/").status_code == 200
    assert as_grid_worker.get(f"/appeals/case/{other.pk}/").status_code == 404
    with unchanged():
        assert as_grid_worker.post(f"/appeals/case/{other.pk}/step/", {"step": "accept"}).status_code == 404
    assert as_secretary_b.get(f"/appeals/case/{mine.pk}/").status_code == 404
    assert as_anonymous.get(f"/appeals/case/{mine.pk}/").status_code == 302
    listing = as_grid_worker.get("/appeals/").content.decode()
    assert mine.tracking_code in listing and other.tracking_code not in listing
    _t, raw = api_token_create(user=grid_worker, name="t")
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    assert [a["tracking_code"] for a in api.get("/api/appeals/").json()] == [mine.tracking_code]
    assert api.get(f"/api/appeals/{other.pk}").status_code == 404
    with unchanged():
        assert api.post(f"/api/appeals/{other.pk}/steps", {"step": "accept"}, content_type="application/json").status_code == 404
    assert Client().get("/api/appeals/").status_code == 401
    assert Appeal.objects.get(pk=other.pk).state == State.RECEIVED


def test_list_filters_by_grid(as_community, tree, grid1, grid2):
    mine = submit(tree["community"], address="和平里3号楼")
    other = submit(tree["community"], address="幸福苑5栋")
    page = as_community.get(f"/appeals/?open=1&grid={grid1.pk}").content.decode()
    assert mine.tracking_code in page and other.tracking_code not in page


def test_categorise_and_reveal(as_community, as_grid_worker, community_secretary, tree, grid1, grid2):
    appeal = submit(tree["community"], phone="13700001234", resident_name="周小云")
    page = as_community.get(f"/appeals/case/{appeal.pk}/").content.decode()
    assert "137****1234" in page and "13700001234" not in page and "周**" in page
    # An appeal's address and phone, not a member's 家庭住址 and 手机号码 from the roster's catalogue.
    assert "<dt>地址</dt>" in page and "<dt>电话</dt>" in page
    r = as_community.post(f"/appeals/case/{appeal.pk}/category/", {"category": "property", "grid": grid2.pk})
    assert r.status_code == 302
    appeal.refresh_from_db()
    assert appeal.category == "property" and appeal.category_confirmed and appeal.grid == grid2
    r = as_community.post(f"/appeals/case/{appeal.pk}/category/", {"category": "weather"})
    assert r.status_code == 400
    r = as_community.post(f"/appeals/case/{appeal.pk}/reveal/phone/")
    assert "13700001234" in r.content.decode()
    assert AuditEntry.objects.filter(action="reveal", target_id=str(appeal.pk)).count() == 1
    with unchanged():
        assert as_grid_worker.post(f"/appeals/case/{appeal.pk}/reveal/phone/").status_code == 404


class TestTimers:
    T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

    def test_deadlines_from_config(self, tree):
        appeal = submit(tree["community"], now=self.T0)
        assert appeal.accept_due_at == self.T0 + dt.timedelta(hours=24)
        assert appeal.resolve_due_at == self.T0 + dt.timedelta(days=7)
        config = AppealConfig.current()
        config.accept_hours, config.resolve_days = 4, 3
        config.save()
        later = submit(tree["community"], now=self.T0)
        assert later.accept_due_at == self.T0 + dt.timedelta(hours=4)
        assert later.resolve_due_at == self.T0 + dt.timedelta(days=3)

    def test_overdue_at_boundaries(self, tree):
        appeal = submit(tree["community"], now=self.T0)
        just = self.T0 + dt.timedelta(hours=24)
        assert not appeal.is_overdue(just)
        assert appeal.accept_overdue(just + dt.timedelta(seconds=1))
        assert not appeal.resolve_overdue(self.T0 + dt.timedelta(days=7))
        assert appeal.resolve_overdue(self.T0 + dt.timedelta(days=7, seconds=1))

    def test_resolved_late_at_boundary(self, community_secretary, tree):
        on_time = walk(submit(tree["community"], now=self.T0), community_secretary, until="resolve",
                       now=self.T0 + dt.timedelta(days=7))
        late = walk(submit(tree["community"], now=self.T0), community_secretary, until="resolve",
                    now=self.T0 + dt.timedelta(days=7, seconds=1))
        assert (on_time.resolved_late, late.resolved_late) == (False, True)

    def test_escalation_day_before_and_after(self, community_secretary, tree):
        appeal = submit(tree["community"], now=self.T0)
        assert services.appeals_escalate(now=self.T0 + dt.timedelta(hours=23, minutes=59)) == 0
        assert services.appeals_escalate(now=self.T0 + dt.timedelta(hours=24, minutes=1)) == 1
        appeal.refresh_from_db()
        assert appeal.escalation_level == 1 and appeal.escalated_to == tree["street"]
        # Running again at once changes nothing; the street is the root, so it stops there.
        assert services.appeals_escalate(now=self.T0 + dt.timedelta(hours=25)) == 0
        assert services.appeals_escalate(now=self.T0 + dt.timedelta(days=3)) == 0
        assert appeal.events.filter(step="escalate").count() == 1

    def test_escalate_command_and_autoclose(self, community_secretary, tree):
        old = timezone.now() - dt.timedelta(days=30)
        overdue = submit(tree["community"], now=old)
        resolved = walk(submit(tree["community"], now=old), community_secretary, until="resolve", now=old)
        call_command("appeals_escalate", stdout=open("/dev/null", "w"))
        overdue.refresh_from_db()
        resolved.refresh_from_db()
        assert overdue.escalation_level == 1
        assert resolved.state == State.CLOSED and resolved.rating == ""
        assert resolved.events.get(step="close").by_label == "系统"


def test_labels_read_in_the_appeals_own_words():
    """The same English reads differently in the roster and recruitment catalogues."""
    from dangjian.appeals.models import Channel

    assert (str(Channel.PHONE.label), str(State.CLOSED.label)) == ("电话", "已关闭")
    assert str(Appeal._meta.get_field("category").verbose_name) == "类别"
