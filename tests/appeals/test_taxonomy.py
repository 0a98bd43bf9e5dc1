"""Issue 19: the managed taxonomy (renaming and retiring keep history), accepting with the category
confirmed and the assignment in one action, resolving in one, and the classifier learning from what
staff confirmed. Issue 14: the public question in words takes its answer in digits or in words."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from dangjian.accounts.services import api_token_create
from dangjian.appeals import classifier, guard, services, training
from dangjian.appeals.models import Appeal, AppealCategory, AppealCategoryName, ClassifierRun, State
from dangjian.appeals.taxonomy import SEED
from dangjian.audit.models import AuditEntry
from tests.appeals.helpers import submit
from tests.appeals.test_intake import _form
from tests.conftest import client_for
from tests.dbstate import unchanged
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# The first-level categories a city 12345 hotline receives most that the ten fixed ones missed (issue 19).
HOTLINE_FIRST_LEVEL = {"供水", "供电", "燃气", "供暖", "公共设施", "城市管理", "市场价格"}
FORMER_TEN = {"sanitation", "property", "traffic", "noise", "neighbour", "elderly", "employment", "safety",
              "repair", "policy"}


@pytest.fixture
def root():
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def as_root(root):
    return client_for(root)


def _cat(code):
    return AppealCategory.objects.get(code=code)


def test_the_seed_has_the_former_categories_and_the_hotline_first_levels():
    names = {c.name for c in AppealCategory.objects.filter(parent=None)}
    assert HOTLINE_FIRST_LEVEL <= names
    assert FORMER_TEN | {"other"} <= set(AppealCategory.objects.values_list("code", flat=True))
    # Street lights, manhole covers and roads are public facilities' second level.
    assert {c.code for c in _cat("facilities").children.all()} == {"streetlight", "manhole", "road"}
    assert len(SEED) == AppealCategory.objects.count()


def test_a_rename_keeps_old_appeals_readable_under_their_name(as_root, root, community_secretary, tree, grid1):
    old = submit(tree["community"], "家里水龙头流出来的水发黄，还有铁锈味")
    services.appeal_categorise(by=community_secretary, appeal=old, category="water")
    r = as_root.post(f"/appeals/categories/{_cat('water').pk}/", {
        "name": "城市供水", "default_unit": "自来水公司", "accept_hours": "2", "resolve_days": "3"})
    assert r.status_code == 302
    new = submit(tree["community"], "小区从昨天开始停水，没有通知")
    services.appeal_categorise(by=community_secretary, appeal=new, category="water")
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.category, old.category_label) == ("water", "供水")
    assert (new.category, new.category_label) == ("water", "城市供水")
    assert "供水" in as_root.get(f"/appeals/case/{old.pk}/").content.decode()
    names = list(AppealCategoryName.objects.filter(category=_cat("water")).values_list("name", flat=True))
    assert names == ["供水", "城市供水"]
    assert AuditEntry.objects.filter(action="update", target_type="appeals.AppealCategory").exists()
    page = as_root.get("/appeals/categories/").content.decode()
    assert "城市供水" in page and "供水" in page


def test_a_retired_category_cannot_be_chosen_anywhere(as_root, community_secretary, tree, grid1, settings):
    settings.APPEALS_MIN_FORM_SECONDS = 0
    before = submit(tree["community"], "厨房里闻到很浓的煤气味，请燃气公司赶紧来")
    services.appeal_categorise(by=community_secretary, appeal=before, category="gas")
    r = as_root.post(f"/appeals/categories/{_cat('gas').pk}/", {"name": "燃气", "retired": "on"})
    assert r.status_code == 302 and _cat("gas").is_retired
    # The public form no longer offers it, and refuses it when posted anyway.
    public = Client()
    assert 'value="gas"' not in public.get("/appeals/submit/").content.decode()
    count = Appeal.objects.count()
    r = public.post("/appeals/submit/", _form(public, org=tree["community"].pk, category="gas"))
    assert r.status_code == 400 and "不再使用" in r.content.decode() and Appeal.objects.count() == count
    # The API refuses it.
    _t, raw = api_token_create(user=community_secretary, name="hotline")
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    with unchanged():
        r = api.post("/api/appeals/", {"org_id": tree["community"].pk, "text": "燃气表走字不准", "category": "gas"},
                     content_type="application/json")
    assert r.status_code == 400
    # Staff cannot accept or confirm with it.
    fresh = submit(tree["community"], "燃气表走字不准，气费很高")
    staff = client_for(community_secretary)
    with unchanged(fresh):
        assert staff.post(f"/appeals/case/{fresh.pk}/accept/", {"category": "gas"}).status_code == 400
        assert staff.post(f"/appeals/case/{fresh.pk}/category/", {"category": "gas"}).status_code == 400
    with pytest.raises(ValidationError):
        services.appeal_correct(by=community_secretary, appeal=fresh, reason="改类", category="gas")
    # A second level under a retired first level cannot be chosen either.
    services.category_update(by=UserFactory(username="root2", is_superuser=True), category=_cat("urban"),
                             name="城市管理", retired=True)
    with pytest.raises(ValidationError):
        services.appeal_categorise(by=community_secretary, appeal=fresh, category="stall")
    # The old appeal is still shown with its category.
    before.refresh_from_db()
    assert before.category_label == "燃气"
    assert "燃气" in staff.get(f"/appeals/case/{before.pk}/").content.decode()


def test_only_the_superuser_keeps_the_taxonomy(as_officer, as_community, officer, tree):
    for client in (as_officer, as_community):
        with unchanged():
            assert client.get("/appeals/categories/").status_code == 404
            assert client.post("/appeals/categories/", {"code": "x_new", "name": "新"}).status_code == 404
            assert client.post(f"/appeals/categories/{_cat('water').pk}/", {"name": "改"}).status_code == 404
    with pytest.raises(AppealCategory.DoesNotExist):
        services.category_create(by=officer, code="lift", name="电梯")


def test_a_new_second_level_category_and_code_rules(as_root, root):
    r = as_root.post("/appeals/categories/", {"code": "lift", "name": "电梯故障", "parent": _cat("property").pk,
                                              "default_unit": "特种设备检验所", "resolve_days": "2"})
    assert r.status_code == 302
    lift = _cat("lift")
    assert lift.parent.code == "property" and lift.top_code == "property" and lift.level == 2
    with unchanged():
        assert as_root.post("/appeals/categories/", {"code": "lift", "name": "再来"}).status_code == 400
        assert as_root.post("/appeals/categories/", {"code": "Bad Code", "name": "坏"}).status_code == 400
        # No third level.
        assert as_root.post("/appeals/categories/", {"code": "lift_door", "name": "门", "parent": lift.pk}).status_code == 400
    with pytest.raises(ValidationError):
        services.category_update(by=root, category=_cat("other"), name="其他", retired=True)


def test_the_category_deadlines_apply(community_secretary, tree, grid1):
    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    # Given at intake: 燃气 is accepted within 1 hour (the installation's default is 24).
    appeal = submit(tree["community"], "楼道里燃气味道很重", category="gas", now=now)
    assert appeal.accept_due_at == now + dt.timedelta(hours=1)
    assert appeal.resolve_due_at == now + dt.timedelta(days=3)
    # Confirmed at acceptance: 道路破损 resolves within 7 days, 公共设施's second level with its own.
    other = submit(tree["community"], "马路中间有个大坑，车过很危险", now=now)
    other = services.appeal_accept(by=community_secretary, appeal=other, category="road", now=now)
    assert other.resolve_due_at == now + dt.timedelta(days=7)
    # 路灯 has 3 days; a complex case never gets less than the installation's 15.
    third = submit(tree["community"], "楼下路灯不亮好几天了", now=now)
    third = services.appeal_accept(by=community_secretary, appeal=third, category="streetlight", is_complex=True,
                                   now=now)
    assert third.resolve_due_at == now + dt.timedelta(days=15)


def test_accept_confirm_and_assign_in_one_post(as_community, community_secretary, tree, grid1, grid2):
    appeal = submit(tree["community"], "小区门口那条路的路灯坏了一整排，晚上黑漆漆的")
    page = as_community.get(f"/appeals/case/{appeal.pk}/").content.decode()
    assert "建议类别" in page and "受理" in page
    r = as_community.post(f"/appeals/case/{appeal.pk}/accept/", {
        "category": "streetlight", "assignee_kind": "grid", "grid": grid2.pk})
    assert r.status_code == 302
    appeal.refresh_from_db()
    assert appeal.state == State.ASSIGNED and appeal.accepted_at and appeal.assigned_at
    assert appeal.category == "streetlight" and appeal.category_confirmed and appeal.category_name == "路灯"
    assert appeal.grid == grid2 and appeal.assignee_name == grid2.name
    assert list(appeal.events.values_list("step", flat=True)) == ["submit", "categorise", "accept", "assign"]


def test_a_refused_part_of_the_accept_writes_nothing(as_community, tree, grid1):
    appeal = submit(tree["community"], "楼下路灯不亮好几天了")
    with unchanged(appeal):
        # Assigned to a department without naming it.
        r = as_community.post(f"/appeals/case/{appeal.pk}/accept/", {"category": "streetlight",
                                                                     "assignee_kind": "department"})
    assert r.status_code == 400 and "名称" in r.content.decode()
    with unchanged(appeal):
        assert as_community.post(f"/appeals/case/{appeal.pk}/accept/", {"category": "nonsense"}).status_code == 400


def test_accept_without_assignment_then_resolve_in_one_post(as_community, tree, grid1):
    appeal = submit(tree["community"], "楼道灯坏了好几个月")
    assert as_community.post(f"/appeals/case/{appeal.pk}/accept/", {"category": "repair"}).status_code == 302
    appeal.refresh_from_db()
    assert appeal.state == State.ACCEPTED
    services.appeal_transition(appeal=appeal, step="assign", by=_user(as_community),
                               data={"assignee_kind": "department", "assignee_name": "房管所"})
    with unchanged(appeal):
        assert as_community.post(f"/appeals/case/{appeal.pk}/finish/", {"resolution": ""}).status_code == 400
    assert as_community.post(f"/appeals/case/{appeal.pk}/finish/", {"resolution": "已更换灯泡"}).status_code == 302
    appeal.refresh_from_db()
    assert appeal.state == State.RESOLVED and appeal.started_at and appeal.resolution == "已更换灯泡"


def _user(client):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def test_outsiders_cannot_accept_or_finish(as_secretary_b, as_grid_worker, tree, grid1, grid2):
    other = submit(tree["community"], "幸福苑5栋楼下路灯不亮", address="幸福苑5栋")
    assert other.grid == grid2
    for client in (as_secretary_b,):
        with unchanged(other):
            assert client.post(f"/appeals/case/{other.pk}/accept/", {"category": "streetlight"}).status_code == 404
            assert client.post(f"/appeals/case/{other.pk}/finish/", {"resolution": "x"}).status_code == 404


def test_staff_urls_carry_the_case_id_not_the_tracking_code(as_community, tree, grid1):
    appeal = submit(tree["community"])
    list_page = as_community.get("/appeals/").content.decode()
    assert f"/appeals/case/{appeal.pk}/" in list_page
    assert f"/appeals/case/{appeal.tracking_code}" not in list_page
    assert as_community.get(f"/appeals/case/{appeal.tracking_code}/").status_code == 404


# --- the classifier -----------------------------------------------------------------


def test_held_out_accuracy_reaches_the_goal():
    """Issue 19's goal, 0.9 on texts not used for training: trained on 80 % of the shipped texts, tested on
    the other 20 %, near duplicates never split."""
    report = classifier.evaluate()
    assert report["labels"] == 17
    assert report["accuracy"] >= classifier.GOAL == 0.9
    assert report["accuracy"] > 5 * report["baseline"]
    low = {code: r["accuracy"] for code, r in report["per_category"].items() if r["accuracy"] < 0.75}
    assert not low, low
    # The weak categories of the issue, each well represented in the held-out texts.
    for code in ("market", "neighbour", "employment", "sanitation"):
        assert report["per_category"][code]["n"] >= 15


def test_no_held_out_text_is_a_near_copy_of_a_training_text():
    examples = classifier.dedupe(classifier.load_examples())
    train, test = classifier.split(examples)
    both = train + test
    crossing = [(both[i][1], both[j][1]) for i, j, _ in classifier.similar_pairs(both)
                if (i < len(train)) != (j < len(train))]
    assert not crossing, crossing[:5]
    # The shipped set does hold near copies (a text said twice): the split keeps them together.
    assert classifier.evaluate()["near_duplicates"] > 0


def test_near_copies_land_on_one_side_of_the_split():
    others = [(label, text) for label, text in classifier.load_examples() if label == "water"][:40]
    pair = [("water", "东风小区七栋从昨晚停水到现在，也没贴通知，什么时候来水"),
            ("water", "东风小区七栋从昨天晚上停水到现在，也没有贴通知，啥时候来水")]
    for seed in range(20):
        train, test = classifier.split(others + pair, seed=seed)
        assert (pair[0] in test) == (pair[1] in test)


def test_confirmed_categories_teach_the_classifier(community_secretary, tree, grid1):
    text = "鼗鼙鼖鼛鼜鼝"  # characters no shipped example has
    assert classifier.suggest(text) == "other"
    for i in range(3):
        appeal = submit(tree["community"], f"{text}第{i}次")
        services.appeal_accept(by=community_secretary, appeal=appeal, category="power")
    data, shipped, confirmed = training.examples()
    assert confirmed == 3 and ("power", f"{text}第0次") in data
    run = training.classifier_train()
    assert ClassifierRun.objects.count() == 1 and run.confirmed == 3
    assert set(run.report["per_category"]) >= {"power", "water", "gas"}
    assert classifier.suggest(text) == "power"
    # The page shows each category's held-out accuracy.
    page = client_for(community_secretary).get("/appeals/classifier/").content.decode()
    assert "供电" in page and "燃气" in page


def test_the_command_prints_accuracy_per_category(capsys):
    from django.core.management import call_command

    call_command("appeals_classifier", "--shipped")
    out = capsys.readouterr().out
    assert "water" in out and "facilities" in out and "overall:" in out


def test_a_retired_category_is_not_trained(root):
    services.category_update(by=root, category=_cat("heating"), name="供暖", retired=True)
    data, _shipped, _confirmed = training.examples()
    assert "heating" not in {label for label, _ in data}


# --- issue 14: the question in words, the answer in digits or words -------------------


@pytest.mark.parametrize("text,value", [
    ("8", 8), ("８", 8), (" 12 ", 12), ("八", 8), ("十", 10), ("十二", 12), ("二十", 20), ("十八。", 18), ("两", 2),
    ("", None), ("abc", None), ("八八八八", None), ("十十", None), ("1e3", None),
])
def test_answers_in_digits_or_words(text, value):
    assert guard.parse_answer(text) == value


def test_the_public_form_takes_the_answer_in_words(as_anonymous, tree, grid1, settings):
    settings.APPEALS_MIN_FORM_SECONDS = 0
    data = _form(as_anonymous, org=tree["community"].pk)
    words = "零一二三四五六七八九十"
    n = int(data["answer"])
    data["answer"] = words[n] if n <= 10 else "十" + words[n - 10]
    assert as_anonymous.post("/appeals/submit/", data).status_code == 200
    assert Appeal.objects.count() == 1
