import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.utils import timezone

from dangjian.appeals import guard
from dangjian.appeals.models import Appeal, AppealEvent, Channel
from dangjian.audit.models import AuditEntry
from tests.appeals.helpers import submit
from tests.dbstate import unchanged

pytestmark = pytest.mark.django_db


@pytest.fixture
def fast_form(settings):
    settings.APPEALS_MIN_FORM_SECONDS = 0


def _form(client, **over):
    page = client.get("/appeals/submit/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {"token": form.initial["token"], "answer": _answer(page.context["question"]),
            "text": "楼下烧烤店营业到凌晨，喝酒划拳声音扰民", "address": "幸福苑5栋", "website": ""}
    data.update(over)
    return data


def _answer(question: str) -> str:
    digits = "零一二三四五六七八九"
    a, b = question.split("等于")[0].split("加")
    return str(digits.index(a) + digits.index(b))


def test_public_submit_then_track(as_anonymous, tree, grid1, grid2, fast_form):
    r = as_anonymous.post("/appeals/submit/", _form(as_anonymous, org=tree["community"].pk, phone="13811112222"))
    assert r.status_code == 200  # the confirmation itself: no second request for the code (issue 18)
    appeal = Appeal.objects.get()
    assert appeal.grid == grid2  # routed by the address keyword 幸福苑
    assert appeal.suggested_category == "noise"
    assert appeal.phone == "13811112222" and appeal.channel == Channel.WEB
    assert len(appeal.tracking_code) == 13 and not set(appeal.tracking_code) & set("01OIL")
    assert "Location" not in r  # the code travels in a cookie, not a URL
    page = as_anonymous.get("/appeals/track/").content.decode()
    assert appeal.tracking_code in page and "已受理" not in page and "13811112222" not in page
    lower = Client().post("/appeals/track/", {"code": appeal.tracking_code.lower()}, follow=True)
    assert lower.status_code == 200 and appeal.tracking_code in lower.content.decode()


def test_resubmitting_the_same_form_stores_once(as_anonymous, tree, fast_form):
    data = _form(as_anonymous, org=tree["community"].pk)
    first = as_anonymous.post("/appeals/submit/", data)
    again = as_anonymous.post("/appeals/submit/", data)  # a reload of the confirmation sends the form again
    assert Appeal.objects.count() == 1
    code = Appeal.objects.get().tracking_code
    assert first.status_code == again.status_code == 200
    assert first.content.decode().count(code) == again.content.decode().count(code) == 1


@pytest.mark.parametrize(("over", "message"), [
    ({"text": ""}, "请填写诉求内容"),
    ({"text": "问" * 1001}, "不能超过 1000 字"),
    ({"category": "weather"}, "未知的诉求类别"),
    ({"org": ""}, "请选择所在社区"),
    ({"answer": "99"}, "验证题答案不正确"),
    ({"website": "http://spam.example"}, "提交未被接受"),
    ({"token": "forged"}, "提交未被接受"),
])
def test_public_bad_input_stores_nothing(as_anonymous, tree, fast_form, over, message):
    data = _form(as_anonymous, org=tree["community"].pk)
    data.update(over)
    r = as_anonymous.post("/appeals/submit/", data)
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not Appeal.objects.exists() and not AuditEntry.objects.filter(action="create").exists()


def test_text_at_length_boundary(tree):
    assert submit(tree["community"], "问" * 1000).text == "问" * 1000
    with pytest.raises(ValidationError):
        submit(tree["community"], "问" * 1001)


def test_too_fast_submission_refused_at_boundary(settings):
    settings.APPEALS_MIN_FORM_SECONDS = 3
    t0 = timezone.now()

    def check(after):
        question, token = guard.new_challenge(now=t0)
        with transaction.atomic():
            return guard.check_form({"token": token, "answer": _answer(question)}, now=t0 + after)[1]

    assert "提交过快" in check(dt.timedelta(seconds=2))["__all__"]
    assert check(dt.timedelta(seconds=3)) == {}
    assert "过期" in check(dt.timedelta(hours=2, seconds=1))["__all__"]


def test_rate_limit_holds_per_address(as_anonymous, tree, settings, fast_form):
    settings.APPEALS_RATE_LIMIT = 2
    codes = []
    for i in range(3):
        r = as_anonymous.post("/appeals/submit/", _form(as_anonymous, org=tree["community"].pk, text=f"路灯不亮第{i}次反映情况"))
        codes.append(r.status_code)
    assert codes == [200, 200, 429]
    assert Appeal.objects.count() == 2
    other = as_anonymous.post("/appeals/submit/", _form(as_anonymous, org=tree["community"].pk), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_unknown_tracking_code(as_anonymous, tree):
    r = as_anonymous.post("/appeals/track/", {"code": "ZZZZ2222"})
    assert r.status_code == 404 and "查询码不存在" in r.content.decode()
    r = as_anonymous.post("/appeals/track/rate/", {"code": "ZZZZ2222", "rating": "satisfied"})
    assert r.status_code == 400 and "查询码不存在" in r.content.decode()


def test_staff_entry_and_outsider(as_community, as_secretary_b, as_anonymous, tree, grid1):
    data = {"org": tree["community"].pk, "channel": "phone", "text": "和平里3号楼楼道灯坏了好几个月", "address": "和平里3号楼",
            "category": "repair", "phone": "010-6655443"}
    r = as_community.post("/appeals/new/", data)
    assert r.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.category == "repair" and appeal.category_confirmed and appeal.grid == grid1
    assert appeal.events.get().by is not None
    # secretary_b cannot choose the community: the form refuses the choice.
    assert as_secretary_b.post("/appeals/new/", data).status_code == 400
    assert Appeal.objects.count() == 1
    assert as_anonymous.get("/appeals/new/").status_code == 302


def test_staff_entry_unknown_category(as_community, tree):
    r = as_community.post("/appeals/new/", {"org": tree["community"].pk, "channel": "walk_in",
                                             "text": "想咨询低保申请条件", "category": "lottery"})
    assert r.status_code == 400 and "未知的诉求类别" in r.content.decode()
    assert not Appeal.objects.exists()


def test_api_intake_with_token(community_secretary, secretary_b, tree, grid1):
    from django.test import Client

    from dangjian.accounts.services import api_token_create

    _t, raw = api_token_create(user=community_secretary, name="hotline")
    c = Client(headers={"Authorization": f"Bearer {raw}"})
    body = {"org_id": tree["community"].pk, "text": "和平路路口红绿灯坏了好几天", "nonce": "hotline-000123"}
    r = c.post("/api/appeals/", body, content_type="application/json")
    assert r.status_code == 201 and r.json()["suggested_category"] == "traffic"
    again = c.post("/api/appeals/", body, content_type="application/json")
    assert again.status_code == 200 and again.json()["tracking_code"] == r.json()["tracking_code"]
    bad = c.post("/api/appeals/", {**body, "nonce": "", "category": "ufo"}, content_type="application/json")
    assert bad.status_code == 400 and "未知的诉求类别" in bad.json()["detail"]
    assert Appeal.objects.count() == 1
    _t, raw_b = api_token_create(user=secretary_b, name="x")
    other = Client(headers={"Authorization": f"Bearer {raw_b}"})
    with unchanged():
        assert other.post("/api/appeals/", {**body, "nonce": ""}, content_type="application/json").status_code == 404
    assert other.get(f"/api/appeals/{r.json()['id']}").status_code == 404
    assert Client().post("/api/appeals/", body, content_type="application/json").status_code == 401


def test_submission_is_audited_with_redacted_phone(tree):
    appeal = submit(tree["community"], phone="13800002222")
    entry = AuditEntry.objects.get(action="create", target_id=str(appeal.pk))
    assert "13800002222" not in str(entry.changes)
    assert AppealEvent.objects.filter(appeal=appeal, step="submit").count() == 1


def test_classifier_beats_baseline():
    from dangjian.appeals import classifier

    result = classifier.evaluate()
    assert result["labels"] == 17 and result["train"] + result["test"] >= 300
    assert result["accuracy"] >= 0.7 > 3 * result["baseline"]
    assert classifier.suggest("xyz qwerty") == "other"


def test_public_pages_speak_chinese_on_a_phone(as_anonymous, tree):
    page = as_anonymous.get("/appeals/submit/").content.decode()
    assert "反映问题" in page and "等于几？" in page and 'name="viewport"' in page and "和平社区党委" in page
    assert "查询办理进度" in as_anonymous.get("/appeals/track/").content.decode()


def test_grid_worker_entry_routed_elsewhere(as_grid_worker, tree, grid1, grid2):
    r = as_grid_worker.post("/appeals/new/", {"org": tree["community"].pk, "channel": "grid",
                                              "text": "幸福苑5栋门口的路灯坏了", "address": "幸福苑5栋"})
    assert r.status_code == 302 and r["Location"] == "/appeals/"
    assert Appeal.objects.get().grid == grid2
