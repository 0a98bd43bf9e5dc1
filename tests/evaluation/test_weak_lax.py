"""软弱涣散: the committee decides from the organisation department's situations, within a share a year; the
automatic signals only propose; the decision opens a plan that is accepted and then lifted (or not); grades follow
the decisions. Each rule at both sides of its boundary, through the pages and the API as users meet them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.evaluation import weaklax
from dangjian.evaluation import weaklax_services as wsvc
from dangjian.evaluation.models import Grade, GradingScheme, WeakDecision, WeakLaxRule, WeakPlan
from tests.dbstate import unchanged
from tests.evaluation.conftest import AFTER_Q3, meeting, members
from tests.factories import make_org

# The share as the practice states it (ARTICLES["weak.share"]): a few per cent a year, commonly 5-10 %,
# typed here from the text, not read from the code.
DEFAULT_SHARE = 0.10


def form(tree, officer, **over):
    today = timezone.localdate()
    data = {"org": tree["branch_a"].pk, "year": today.year, "situations": ["no_life", "members"],
            "committee": tree["street"].pk, "decided_on": today.isoformat(),
            "basis": "街道党工委2026年第12次会议研究确定，排查发现组织生活长期不正常。", "leader": officer.pk,
            "deadline": (today + dt.timedelta(days=90)).isoformat(), "measures": "选派第一书记；每月召开支委会。",
            "override_reason": ""}
    data.update(over)
    return data


def decide(tree, officer, org, *, today=AFTER_Q3, **over):
    kw = {"org": org, "year": today.year, "situations": ["no_life"], "committee": tree["street"],
          "decided_on": today, "basis": "街道党工委会议研究确定，组织生活不正常。", "leader": officer,
          "deadline": today + dt.timedelta(days=60), "measures": "每月召开支委会", "today": today}
    kw.update(over)
    return wsvc.weak_decide(by=officer, **kw)


def test_the_default_share_is_the_documented_one(db):
    assert WeakLaxRule.current().share_max == DEFAULT_SHARE


@pytest.mark.parametrize(("share", "base", "limit"), [
    (0.10, 20, 2),  # exactly 2.0: no more than two
    (0.10, 21, 3),  # 2.1 rounds up
    (0.10, 3, 1),  # a small street may still name one
    (0.05, 20, 1),
    (0.10, 0, 0),
])
def test_share_limit_rounds_up(share, base, limit):
    assert weaklax.share_limit(share, base) == limit


def test_share_boundary_through_the_page(tree, officer, as_officer):
    """Three organisations below the street, 10 %: one decision; the second is refused unless a reason is given."""
    url = reverse("evaluation:weak_decide")
    r = as_officer.post(url, form(tree, officer))
    first = WeakDecision.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("evaluation:weak_detail", args=[first.pk])
    assert not first.over_share and first.plan.state == "rectifying"
    assert AuditEntry.objects.filter(target_type="evaluation.WeakDecision", target_id=str(first.pk), action="create").exists()
    with unchanged():
        r = as_officer.post(url, form(tree, officer, org=tree["branch_b"].pk))
    page = r.content.decode()
    assert r.status_code == 200 and "超过比例认定的理由" in page and "最多 1 个" in page
    r = as_officer.post(url, form(tree, officer, org=tree["branch_b"].pk, override_reason="群众反映强烈，党工委研究决定增列"))
    second = WeakDecision.objects.get(org=tree["branch_b"])
    assert r.status_code == 302 and second.over_share and second.override_reason


def test_raising_the_share_on_the_settings_page_allows_the_next_without_a_reason(tree, officer, as_officer,
                                                                                 as_secretary_a):
    # The officer holds ASSESS on the root organisation: an administrator of the installation's settings.
    url = reverse("evaluation:weak_settings")
    assert "默认：10%" in as_officer.get(url).content.decode()
    with unchanged():
        assert as_secretary_a.get(url).status_code == 404
        assert as_secretary_a.post(url, {"share_max": "70"}).status_code == 404
        assert "0.1" in as_officer.post(url, {"share_max": "0"}).content.decode()  # refused on the form
    assert as_officer.post(url, {"share_max": "40"}).status_code == 302
    assert WeakLaxRule.current().share_max == pytest.approx(0.4)  # 40 % of 3 = 1.2 → 2
    assert AuditEntry.objects.filter(target_type="evaluation.WeakLaxRule").exists()
    as_officer.post(reverse("evaluation:weak_decide"), form(tree, officer))
    r = as_officer.post(reverse("evaluation:weak_decide"), form(tree, officer, org=tree["branch_b"].pk))
    assert r.status_code == 302 and not WeakDecision.objects.get(org=tree["branch_b"]).over_share


def test_decision_refusals_in_chinese_without_a_write(tree, officer, as_officer, as_secretary_a):
    url = reverse("evaluation:weak_decide")
    with unchanged():
        page = as_officer.post(url, form(tree, officer, situations=[], basis="短")).content.decode()
        assert "请至少选择一种" in page and "认定依据" in page
        page = as_officer.post(url, form(tree, officer, committee=tree["branch_b"].pk)).content.decode()
        assert "有效" in page
        tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
        assert "不能晚于今天" in as_officer.post(url, form(tree, officer, decided_on=tomorrow)).content.decode()
        # A branch secretary is no superior committee: the page does not open.
        assert as_secretary_a.get(url).status_code == 404
        assert as_secretary_a.post(url, form(tree, officer)).status_code == 404
    as_officer.post(url, form(tree, officer))
    with unchanged():
        assert "已被认定" in as_officer.post(url, form(tree, officer, override_reason="再次")).content.decode()


def test_scoped_pages_and_api(tree, officer, as_officer, as_secretary_a, as_secretary_b):
    d = decide(tree, officer, tree["branch_a"], today=timezone.localdate())
    url = reverse("evaluation:weak_detail", args=[d.pk])
    assert as_secretary_a.get(url).status_code == 200
    assert as_secretary_b.get(url).status_code == 404
    assert as_secretary_b.get(f"/api/evaluation/weak-decisions/{d.pk}").status_code == 404
    assert tree["branch_a"].name not in as_secretary_b.get(reverse("evaluation:weak_list")).content.decode()
    listed = as_secretary_a.get("/api/evaluation/weak-decisions").json()
    assert [i["id"] for i in listed["items"]] == [d.pk]
    assert as_secretary_b.get("/api/evaluation/weak-decisions").json()["items"] == []


def test_api_decision_and_share_refusal(tree, officer, as_officer):
    today = timezone.localdate()
    body = {"org_id": tree["branch_a"].pk, "year": today.year, "situations": ["vacant"], "committee_id": tree["street"].pk,
            "decided_on": today.isoformat(), "basis": "党工委会议研究确定，书记长期缺职。", "leader_id": officer.pk,
            "deadline": (today + dt.timedelta(days=30)).isoformat(), "measures": "选派书记"}
    r = as_officer.post("/api/evaluation/weak-decisions", body, content_type="application/json")
    assert r.status_code == 201 and r.json()["plan"]["state"] == "rectifying"
    with unchanged():
        r = as_officer.post("/api/evaluation/weak-decisions", {**body, "org_id": tree["branch_b"].pk},
                            content_type="application/json")
    assert r.status_code == 400 and "超过比例认定的理由" in str(r.json())


# ------------------------------------------------------------ the plan's transitions


@pytest.fixture
def plan(tree, officer):
    return decide(tree, officer, tree["branch_a"]).plan


def fresh(plan) -> WeakPlan:
    return WeakPlan.objects.get(pk=plan.pk)


def test_submit_from_rectifying_only_by_the_organisation(plan, secretary_a, secretary_b):
    from django.http import Http404

    with pytest.raises(ValidationError):
        wsvc.weak_submit(by=secretary_a, plan=plan, summary="短")
    with pytest.raises(Http404), unchanged():  # an outsider does not report for the org
        wsvc.weak_submit(by=secretary_b, plan=plan, summary="已按方案整顿到位，支委会按月召开。")
    wsvc.weak_submit(by=secretary_a, plan=plan, summary="已按方案整顿到位，支委会按月召开。", today=AFTER_Q3)
    assert fresh(plan).state == "submitted"
    with pytest.raises(ValidationError) as exc, unchanged():
        wsvc.weak_submit(by=secretary_a, plan=fresh(plan), summary="再次提交整顿情况报告。")
    assert "只有整顿中的方案" in str(exc.value)


def test_acceptance_fails_with_a_comment_then_passes(plan, secretary_a, officer):
    from django.http import Http404

    wsvc.weak_submit(by=secretary_a, plan=plan, summary="已按方案整顿到位，支委会按月召开。", today=AFTER_Q3)
    with pytest.raises(Http404), unchanged():  # the organisation does not accept its own work
        wsvc.weak_review(by=secretary_a, plan=fresh(plan), passed=True)
    with pytest.raises(ValidationError), unchanged():
        wsvc.weak_review(by=officer, plan=fresh(plan), passed=False, comment="")
    wsvc.weak_review(by=officer, plan=fresh(plan), passed=False, comment="台账不全", today=AFTER_Q3)
    p = fresh(plan)
    assert p.state == "rectifying" and "台账不全" in p.notes.last().text
    wsvc.weak_submit(by=secretary_a, plan=p, summary="补齐台账，组织生活记录完整。", today=AFTER_Q3)
    wsvc.weak_review(by=officer, plan=fresh(plan), passed=True, comment="同意", today=AFTER_Q3)
    p = fresh(plan)
    assert (p.state, p.accepted_by, p.accepted_on) == ("accepted", officer, AFTER_Q3)
    with pytest.raises(ValidationError), unchanged():  # accepted once
        wsvc.weak_review(by=officer, plan=p, passed=True)


def test_lift_only_after_acceptance_and_not_before_it(plan, secretary_a, officer):
    with pytest.raises(ValidationError) as exc, unchanged():
        wsvc.weak_conclude(by=officer, plan=plan, lifted=True, today=AFTER_Q3)
    assert "验收合格" in str(exc.value)
    wsvc.weak_submit(by=secretary_a, plan=plan, summary="已按方案整顿到位，支委会按月召开。", today=AFTER_Q3)
    later = AFTER_Q3 + dt.timedelta(days=10)
    wsvc.weak_review(by=officer, plan=fresh(plan), passed=True, today=later)
    with pytest.raises(ValidationError), unchanged():  # the day before the acceptance
        wsvc.weak_conclude(by=officer, plan=fresh(plan), lifted=True, on=later - dt.timedelta(days=1), today=later)
    wsvc.weak_conclude(by=officer, plan=fresh(plan), lifted=True, on=later, today=later)  # the same day: allowed
    assert fresh(plan).state == "lifted"
    with pytest.raises(ValidationError), unchanged():
        wsvc.weak_conclude(by=officer, plan=fresh(plan), lifted=False, comment="仍需巩固", today=later)
    with pytest.raises(ValidationError), unchanged():  # no more notes once lifted
        wsvc.weak_note_add(by=secretary_a, plan=fresh(plan), text="继续巩固整顿成果", today=later)


def test_keeping_it_on_the_list_needs_a_reason(plan, secretary_a, officer):
    wsvc.weak_submit(by=secretary_a, plan=plan, summary="已按方案整顿到位，支委会按月召开。", today=AFTER_Q3)
    wsvc.weak_review(by=officer, plan=fresh(plan), passed=True, today=AFTER_Q3)
    with pytest.raises(ValidationError), unchanged():
        wsvc.weak_conclude(by=officer, plan=fresh(plan), lifted=False, comment="", today=AFTER_Q3)
    wsvc.weak_conclude(by=officer, plan=fresh(plan), lifted=False, comment="群众认可度不高，继续整顿", today=AFTER_Q3)
    assert fresh(plan).state == "not_lifted"


def test_progress_notes_by_the_org_and_the_superior_not_an_outsider(plan, secretary_a, secretary_b, officer):
    from django.http import Http404

    wsvc.weak_note_add(by=secretary_a, plan=plan, text="召开专题组织生活会", on=AFTER_Q3, today=AFTER_Q3)
    wsvc.weak_note_add(by=officer, plan=plan, text="包联领导到村督导", on=AFTER_Q3, today=AFTER_Q3)
    with pytest.raises(Http404), unchanged():
        wsvc.weak_note_add(by=secretary_b, plan=plan, text="不相干的记录", today=AFTER_Q3)
    with pytest.raises(ValidationError), unchanged():  # before the decision
        wsvc.weak_note_add(by=secretary_a, plan=plan, text="认定前的记录", on=AFTER_Q3 - dt.timedelta(days=1),
                           today=AFTER_Q3)
    assert plan.notes.count() == 2


def test_the_plan_page_walks_every_transition(tree, officer, secretary_a, as_officer, as_secretary_a):
    d = decide(tree, officer, tree["branch_a"], today=timezone.localdate())
    url = reverse("evaluation:weak_detail", args=[d.pk])
    today = timezone.localdate().isoformat()
    assert as_secretary_a.post(url, {"action": "note", "on": today, "text": "召开专题组织生活会"}).status_code == 302
    with unchanged():
        assert as_secretary_a.post(url, {"action": "review", "result": "pass"}).status_code == 404
    assert as_secretary_a.post(url, {"action": "submit", "summary": "整顿到位，组织生活恢复正常。"}).status_code == 302
    page = as_officer.post(url, {"action": "review", "result": "fail", "comment": ""}).content.decode()
    assert "验收未通过" in page
    assert as_officer.post(url, {"action": "review", "result": "pass", "comment": "同意"}).status_code == 302
    assert as_officer.post(url, {"action": "conclude", "outcome": "lift", "on": today, "comment": ""}).status_code == 302
    assert WeakPlan.objects.get(decision=d).state == "lifted"
    assert "已转化（摘帽）" in as_secretary_a.get(url).content.decode()


# ------------------------------------------------------------ grades follow the decision


def test_grades_follow_the_decision_not_the_automatic_signal(tree, officer, compute):
    a, b = members(tree["branch_a"], 3), members(tree["branch_b"], 3)
    meeting(tree["branch_a"], dt.date(2026, 7, 10), present=a)
    meeting(tree["branch_b"], dt.date(2026, 7, 10), absent=b)
    GradingScheme.objects.filter(is_default=True).update(weak_score_below=50)  # branch B's index is about 47
    period = compute()
    weak_b = Grade.objects.get(period=period, org=tree["branch_b"])
    assert weak_b.weak_candidate and not weak_b.weak_lax  # the index proposes, nobody decided
    d = decide(tree, officer, tree["branch_a"], today=AFTER_Q3, decided_on=dt.date(2026, 9, 1))
    g = Grade.objects.get(period=period, org=tree["branch_a"])
    assert g.weak_lax and g.weak_reasons == weaklax.situation_labels(["no_life"])
    # A recompute keeps following the decision.
    period = compute(recompute=True)
    assert Grade.objects.get(period=period, org=tree["branch_a"]).weak_lax
    assert not Grade.objects.get(period=period, org=tree["branch_b"]).weak_lax
    # Lifted before the next quarter: that quarter is clean; the quarter it was lifted in still shows it.
    wsvc.weak_submit(by=officer_as_org(tree), plan=d.plan, summary="整顿到位，组织生活恢复正常。", today=AFTER_Q3)
    wsvc.weak_review(by=officer, plan=fresh(d.plan), passed=True, today=AFTER_Q3)
    wsvc.weak_conclude(by=officer, plan=fresh(d.plan), lifted=True, on=AFTER_Q3, today=AFTER_Q3)
    assert Grade.objects.get(period=period, org=tree["branch_a"]).weak_lax  # Q3 ended before the lift
    q4 = compute(start=dt.date(2027, 1, 1), today=dt.date(2027, 1, 5))
    assert not Grade.objects.filter(period=q4, org=tree["branch_a"], weak_lax=True).exists()


def officer_as_org(tree):
    from dangjian.accounts.roles import Role
    from tests.factories import UserFactory, grant

    user = UserFactory(username="sec_a_weak")
    grant(user, tree["branch_a"], Role.SECRETARY)
    return user


def test_candidates_suggest_and_the_decision_records_them(tree, officer, compute, as_officer):
    b = members(tree["branch_b"], 3)
    meeting(tree["branch_b"], dt.date(2026, 7, 10), absent=b)
    meeting(tree["branch_a"], dt.date(2026, 7, 10), present=members(tree["branch_a"], 3))
    GradingScheme.objects.filter(is_default=True).update(weak_score_below=50)
    compute()
    page = as_officer.get(reverse("evaluation:weak_decide") + "?year=2026").content.decode()
    assert tree["branch_b"].name in page and "候选" in page
    data = as_officer.get("/api/evaluation/weak-candidates?year=2026").json()
    assert tree["branch_b"].pk in [c["org_id"] for c in data]


def test_yearly_shares_with_drill_down(tree, officer, as_officer):
    for _i in range(17):
        make_org(parent=tree["community"], kind="branch")
    d = decide(tree, officer, tree["branch_a"], today=timezone.localdate())
    decide(tree, officer, tree["branch_b"], today=timezone.localdate())
    wsvc.weak_submit(by=officer_as_org(tree), plan=d.plan, summary="整顿到位，组织生活恢复正常。")
    wsvc.weak_review(by=officer, plan=fresh(d.plan), passed=True)
    wsvc.weak_conclude(by=officer, plan=fresh(d.plan), lifted=True)
    year = timezone.localdate().year
    rows = as_officer.get("/api/evaluation/weak-summary").json()
    assert rows[0] == {"year": year, "orgs": 20, "identified": 2, "lifted": 1, "identified_share": 0.1,
                       "lifted_share": 0.5}
    page = as_officer.get(reverse("evaluation:weak_list")).content.decode()
    assert f"?year={year}&state=lifted" in page
    lifted = as_officer.get(reverse("evaluation:weak_list") + f"?year={year}&state=lifted").content.decode()
    assert tree["branch_a"].name in lifted and tree["branch_b"].name not in lifted


def test_to_dos_follow_the_plan(tree, officer, secretary_a):
    from dangjian.core.todo import todo_for

    d = decide(tree, officer, tree["branch_a"], today=timezone.localdate())
    assert any("整顿时限" in i.title for i in todo_for(secretary_a))
    assert not any("申请软弱涣散整顿验收" in i.title for i in todo_for(officer))
    wsvc.weak_submit(by=secretary_a, plan=d.plan, summary="整顿到位，组织生活恢复正常。")
    assert not any("整顿时限" in i.title for i in todo_for(secretary_a))
    assert any("申请软弱涣散整顿验收" in i.title for i in todo_for(officer))
    assert not any("申请软弱涣散整顿验收" in i.title for i in todo_for(secretary_a))  # not its own acceptance
