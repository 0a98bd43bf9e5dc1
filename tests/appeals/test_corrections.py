"""Staff correct category, grid or address before closing; residents only add one follow-up note a day."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.appeals import services
from dangjian.appeals.models import Appeal, AppealEvent
from dangjian.audit.models import AuditEntry
from tests.appeals.helpers import submit, walk
from tests.dbstate import unchanged


@pytest.fixture
def appeal(tree, grid1, grid2):
    return submit(tree["community"])


def test_staff_correct_is_an_event_and_audited(community_secretary, appeal, grid2):
    services.appeal_correct(by=community_secretary, appeal=appeal, reason="地址写错", grid=grid2, address="幸福苑5栋")
    appeal.refresh_from_db()
    assert appeal.grid == grid2 and appeal.address == "幸福苑5栋"
    event = appeal.events.get(step="correct")
    assert "地址写错" in event.note and "网格" in event.note and "地址" in event.note
    entry = AuditEntry.objects.filter(target_type="appeals.Appeal", target_id=str(appeal.pk)).first()
    assert entry.changes["address"] == ["和平里3号楼", "幸福苑5栋"] and entry.changes["reason"] == [None, "地址写错"]


def test_correct_allowed_until_resolved_refused_once_closed(community_secretary, appeal):
    appeal = walk(appeal, community_secretary, until="resolve")
    services.appeal_correct(by=community_secretary, appeal=appeal, reason="类别有误", category="safety")
    Appeal.objects.filter(pk=appeal.pk).update(state="closed")
    with pytest.raises(ValidationError) as exc:
        services.appeal_correct(by=community_secretary, appeal=appeal, reason="x", category="other")
    assert "不能再更正" in exc.value.messages[0]


def test_correct_needs_reason_change_and_own_community_grid(community_secretary, appeal, tree):
    from dangjian.grids.models import Grid

    with pytest.raises(ValidationError):
        services.appeal_correct(by=community_secretary, appeal=appeal, reason="", address="x")
    with pytest.raises(ValidationError):
        services.appeal_correct(by=community_secretary, appeal=appeal, reason="x", address=appeal.address)
    from tests.factories import make_org

    other = make_org(parent=tree["street"], name="幸福社区党委", kind="community")
    foreign = Grid.objects.create(org=other, name="外网格", code="GX")
    with pytest.raises(ValidationError):
        services.appeal_correct(by=community_secretary, appeal=appeal, reason="x", grid=foreign)
    assert not appeal.events.filter(step="correct").exists()


def test_outsider_cannot_correct(secretary_b, appeal):
    with pytest.raises(Appeal.DoesNotExist):
        services.appeal_correct(by=secretary_b, appeal=appeal, reason="x", address="y")


def test_resident_note_one_a_day(appeal):
    now = timezone.now()
    services.appeal_add_note(tracking_code=appeal.tracking_code, text="今天又满了", now=now)
    with pytest.raises(ValidationError) as exc:
        services.appeal_add_note(tracking_code=appeal.tracking_code, text="再补充", now=now)
    assert "每天只能补充一次" in exc.value.messages[0]
    # The next local day is a new day (boundary at local midnight).
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    services.appeal_add_note(tracking_code=appeal.tracking_code, text="第二天", now=midnight)
    assert AppealEvent.objects.filter(appeal=appeal, step="note").count() == 2
    appeal.refresh_from_db()
    assert appeal.text.startswith("小区垃圾桶")  # the appeal itself is unchanged


def test_note_refused_when_closed(appeal):
    Appeal.objects.filter(pk=appeal.pk).update(state="closed")
    with pytest.raises(ValidationError):
        services.appeal_add_note(tracking_code=appeal.tracking_code, text="x")


def test_tracking_page_note(as_anonymous, appeal):
    page = as_anonymous.post("/appeals/track/", {"code": appeal.tracking_code}, follow=True).content.decode()
    assert "补充说明" in page
    ok = as_anonymous.post("/appeals/track/note/", {"code": appeal.tracking_code, "text": "补充一下"})
    assert ok.status_code == 302
    again = as_anonymous.post("/appeals/track/note/", {"code": appeal.tracking_code, "text": "再来"})
    assert again.status_code == 400 and "每天只能补充一次" in again.content.decode()


def test_staff_page_and_api(as_community, as_secretary_b, as_anonymous, appeal, grid2):
    url = f"/appeals/case/{appeal.pk}/correct/"
    assert as_anonymous.post(url, {"reason": "x"}).status_code == 302
    with unchanged():
        assert as_secretary_b.post(url, {"reason": "x", "category": "other"}).status_code == 404
    bad = as_community.post(url, {"category": "other", "reason": ""})
    assert bad.status_code == 400 and "errorlist" in bad.content.decode()
    assert as_community.post(url, {"category": "other", "grid": grid2.pk, "address": "新地址",
                                   "reason": "录错"}).status_code == 302
    page = as_community.get(f"/appeals/case/{appeal.pk}/").content.decode()
    assert "工作人员更正" in page and "录错" in page
    api = f"/api/appeals/{appeal.pk}/correct"
    body = json.dumps({"address": "API地址", "reason": "再更正"})
    assert as_anonymous.post(api, body, content_type="application/json").status_code == 401
    with unchanged():
        assert as_secretary_b.post(api, body, content_type="application/json").status_code == 404
    response = as_community.post(api, body, content_type="application/json")
    assert response.status_code == 200
    assert Appeal.objects.get(pk=appeal.pk).address == "API地址"
