"""Correcting or withdrawing a recorded step: the rules run again, the earlier version is kept and shown."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from dangjian.audit.models import AuditEntry
from dangjian.orgs.models import Member, Status
from dangjian.recruitment import services
from dangjian.recruitment.models import Stage, Step, StepCorrection
from dangjian.recruitment.rules import shift_months
from tests.dbstate import unchanged
from tests.recruitment.conftest import VOTE, applicant_data, walk

START = dt.date(2023, 3, 1)


def _case(tree, by, until: str, start=START):
    case = services.applicant_create(by=by, data=applicant_data(tree["branch_a"], applied_on=start))
    return walk(by, case, start, until=until)


def _on(case, code: str) -> dt.date:
    return Step.objects.get(applicant=case, code=code).on


def _refused(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as exc:
        call(**kwargs)
    return exc.value.message_dict


@pytest.fixture
def activist(tree, secretary_a, config):
    return _case(tree, secretary_a, "activist")


@pytest.fixture
def probationary(tree, secretary_a, config):
    return _case(tree, secretary_a, "approval")


def test_correct_a_date_keeps_the_earlier_version_and_is_audited(secretary_a, activist):
    old = _on(activist, "talk")
    new = old + dt.timedelta(days=1)
    step = services.step_correct(by=secretary_a, applicant=activist, code="talk", on=new,
                                 note="谈话人：王书记", reason="谈话日期录错")
    assert (step.on, step.note) == (new, "谈话人：王书记")
    kept = StepCorrection.objects.get()
    assert kept.kind == "correct" and kept.before["on"] == old.isoformat() and kept.before["note"] == ""
    assert kept.after["on"] == new.isoformat() and kept.reason == "谈话日期录错"
    entry = AuditEntry.objects.filter(target_type="recruitment.Step", target_id=str(step.pk), action="update").get()
    assert entry.changes["on"] == [old.isoformat(), new.isoformat()]
    assert entry.changes["reason"] == [None, "谈话日期录错"]


def test_a_corrected_date_must_follow_the_steps_it_rests_on(secretary_a, activist):
    errors = _refused(services.step_correct, by=secretary_a, applicant=activist, code="talk",
                      on=START - dt.timedelta(days=1), reason="x")
    assert "早于其所依据的第1步“递交入党申请书”" in errors["on"][0]
    assert _on(activist, "talk") == START and not StepCorrection.objects.exists()


def test_a_corrected_date_must_stay_before_the_steps_resting_on_it(secretary_a, activist):
    errors = _refused(services.step_correct, by=secretary_a, applicant=activist, code="talk",
                      on=_on(activist, "activist") + dt.timedelta(days=1), reason="x")
    assert "已登记的第3步“推荐和确定入党积极分子”" in errors["on"][0]
    assert not StepCorrection.objects.exists()


def test_minimum_duration_checked_from_both_sides(tree, secretary_a, config):
    case = _case(tree, secretary_a, "candidate")
    activist_on, candidate_on = _on(case, "activist"), _on(case, "candidate")
    assert candidate_on == shift_months(activist_on, 12)
    # One day later as activist: the candidate step, already recorded, would come too early.
    errors = _refused(services.step_correct, by=secretary_a, applicant=case, code="activist",
                      on=activist_on + dt.timedelta(days=1), reason="x")
    assert "第7步“确定发展对象”" in errors["on"][0] and "过早" in errors["on"][0]
    errors = _refused(services.step_correct, by=secretary_a, applicant=case, code="candidate",
                      on=candidate_on - dt.timedelta(days=1), reason="x")
    assert "过早" in errors["on"][0]
    assert _on(case, "activist") == activist_on and not StepCorrection.objects.exists()
    services.step_correct(by=secretary_a, applicant=case, code="activist", on=activist_on - dt.timedelta(days=1),
                          reason="支委会日期录错")
    assert _on(case, "activist") == activist_on - dt.timedelta(days=1)


def test_reason_required_and_a_change_required(secretary_a, activist):
    errors = _refused(services.step_correct, by=secretary_a, applicant=activist, code="talk", note="x", reason="  ")
    assert errors["reason"] == ["请填写更正或撤销的原因"]
    errors = _refused(services.step_correct, by=secretary_a, applicant=activist, code="talk",
                      on=_on(activist, "talk"), reason="x")
    assert errors["__all__"] == ["没有任何改动"]
    errors = _refused(services.step_withdraw, by=secretary_a, applicant=activist, code="activist", reason="")
    assert "reason" in errors
    assert not StepCorrection.objects.exists() and activist.steps.filter(code="activist").exists()


def test_only_what_the_step_records_can_be_corrected(secretary_a, activist):
    errors = _refused(services.step_correct, by=secretary_a, applicant=activist, code="talk", votes_for=3, reason="x")
    assert "不登记此项" in errors["votes_for"][0]
    errors = _refused(services.step_correct, by=secretary_a, applicant=activist, code="talk",
                      materials=["入党申请书"], reason="x")
    assert "没有这些材料" in errors["materials"][0]
    services.step_correct(by=secretary_a, applicant=activist, code="talk", materials=["谈话记录"], reason="补记材料")
    assert Step.objects.get(applicant=activist, code="talk").materials == ["谈话记录"]


def test_late_flag_follows_the_corrected_date(tree, secretary_a, config):
    case = _case(tree, secretary_a, "talk")
    assert not case.steps.get(code="talk").late
    services.step_correct(by=secretary_a, applicant=case, code="talk", on=START + dt.timedelta(days=40),
                          reason="实际谈话日期")
    assert "1个月内" in case.steps.get(code="talk").late
    # Correcting the application date re-reads the talk's time limit.
    services.step_correct(by=secretary_a, applicant=case, code="application", on=START + dt.timedelta(days=20),
                          reason="申请书落款日期")
    case.refresh_from_db()
    assert case.applied_on == START + dt.timedelta(days=20) and not case.steps.get(code="talk").late
    entry = AuditEntry.objects.filter(target_type="recruitment.Step", action="update").first()
    assert entry.changes["late:talk"][1] == "" and "1个月内" in entry.changes["late:talk"][0]


def test_application_date_still_needs_the_minimum_age(tree, secretary_a, config):
    case = services.applicant_create(by=secretary_a, data=applicant_data(
        tree["branch_a"], birth_date=dt.date(2000, 5, 17), applied_on=dt.date(2018, 6, 1)))
    errors = _refused(services.step_correct, by=secretary_a, applicant=case, code="application",
                      on=dt.date(2018, 5, 16), reason="x")
    assert "年满18周岁" in errors["on"][0]


def test_withdraw_refused_while_later_steps_rest_on_it(secretary_a, activist):
    errors = _refused(services.step_withdraw, by=secretary_a, applicant=activist, code="talk", reason="误登记")
    message = errors["__all__"][0]
    assert "第2步“党组织派人谈话”之后已登记第3步“推荐和确定入党积极分子”" in message and "须先撤销" in message
    errors = _refused(services.step_withdraw, by=secretary_a, applicant=activist, code="application", reason="x")
    assert "不能撤销" in errors["__all__"][0]
    assert activist.steps.count() == 3 and not StepCorrection.objects.exists()


def test_withdraw_the_last_step_keeps_a_copy_and_it_can_be_recorded_again(secretary_a, activist):
    step = activist.steps.get(code="activist")
    withdrawn = services.step_withdraw(by=secretary_a, applicant=activist, code="activist", reason="支委会尚未研究")
    activist.refresh_from_db()
    assert activist.stage == Stage.APPLICANT and not activist.steps.filter(code="activist").exists()
    assert withdrawn.kind == "withdraw" and withdrawn.original_id == step.pk
    assert withdrawn.before["on"] == step.on.isoformat() and withdrawn.before["recorded_by_id"] == secretary_a.pk
    entry = AuditEntry.objects.filter(target_type="recruitment.Step", target_id=str(step.pk), action="delete").get()
    assert entry.changes["stage"] == ["activist", "applicant"] and entry.changes["reason"] == [None, "支委会尚未研究"]
    services.step_record(by=secretary_a, applicant=activist, code="activist", on=step.on + dt.timedelta(days=7))
    activist.refresh_from_db()
    assert activist.stage == Stage.ACTIVIST


def test_withdrawing_the_approval_retires_the_roster_record_it_created(tree, secretary_a, probationary):
    member = probationary.member
    assert member.category == "probationary"
    services.step_withdraw(by=secretary_a, applicant=probationary, code="approval", reason="审批尚未下达，误登记")
    probationary.refresh_from_db()
    member.refresh_from_db()
    assert probationary.member is None and probationary.stage == Stage.CANDIDATE
    assert member.status == Status.ENTERED_IN_ERROR
    # Recorded again: a new roster record with the same ID number.
    services.step_record(by=secretary_a, applicant=probationary, code="approval",
                         on=_on(probationary, "superior_talk") + dt.timedelta(days=5))
    probationary.refresh_from_db()
    assert probationary.member_id != member.pk and probationary.member.id_number == member.id_number


def test_approval_withdrawal_refused_when_the_roster_record_is_in_use(tree, secretary_a, probationary):
    from dangjian.meetings.models import Attendance
    from tests.meetings.conftest import held_meeting

    held_meeting(tree["branch_a"], _on(probationary, "approval") + dt.timedelta(days=2),
                 present=[probationary.member])
    errors = _refused(services.step_withdraw, by=secretary_a, applicant=probationary, code="approval", reason="x")
    assert "不能标记为误录" in errors["__all__"][0] and "参会" in errors["__all__"][0]
    probationary.refresh_from_db()
    assert probationary.member.status == Status.ACTIVE and probationary.steps.filter(code="approval").exists()
    assert Attendance.objects.filter(member=probationary.member).exists()


def test_branch_vote_date_moves_the_joined_date(secretary_a, probationary):
    vote_on = _on(probationary, "branch_vote")
    services.step_correct(by=secretary_a, applicant=probationary, code="branch_vote",
                          on=vote_on - dt.timedelta(days=1), reason="会议日期录错")
    assert Member.objects.get(pk=probationary.member_id).joined_on == vote_on - dt.timedelta(days=1)
    entry = AuditEntry.objects.filter(target_type="orgs.Member", action="update").last()
    assert entry.changes["joined_on"] == [vote_on.isoformat(), (vote_on - dt.timedelta(days=1)).isoformat()]


def test_a_vote_that_no_longer_passes_is_refused_while_later_steps_need_it(secretary_a, probationary):
    errors = _refused(services.step_correct, by=secretary_a, applicant=probationary, code="branch_vote",
                      votes_for=5, votes_against=4, reason="计票录错")
    assert "第16步“上级党委派人谈话”" in errors["__all__"][0] and "未通过" in errors["__all__"][0]
    services.step_correct(by=secretary_a, applicant=probationary, code="branch_vote", votes_for=7,
                          votes_against=2, reason="计票录错")
    step = probationary.steps.get(code="branch_vote")
    assert (step.votes_for, step.passed) == (7, True)


def test_full_vote_withdrawn_makes_the_member_probationary_again(tree, secretary_a, config):
    case = _case(tree, secretary_a, "full_vote", start=dt.date(2022, 1, 4))
    member = Member.objects.get(pk=case.member_id)
    assert member.category == "full" and member.full_member_on
    services.step_withdraw(by=secretary_a, applicant=case, code="full_vote", reason="表决结果录错")
    member.refresh_from_db()
    case.refresh_from_db()
    assert (member.category, member.full_member_on, case.stage) == ("probationary", None, Stage.PROBATIONARY)


def test_outsider_and_closed_case(secretary_a, secretary_b, activist):
    with pytest.raises(Http404):
        services.step_correct(by=secretary_b, applicant=activist, code="talk", note="x", reason="x")
    with pytest.raises(Http404):
        services.step_withdraw(by=secretary_b, applicant=activist, code="activist", reason="x")
    services.applicant_close(by=secretary_a, applicant=activist, on=dt.date(2024, 6, 1), reason="本人撤回申请")
    errors = _refused(services.step_correct, by=secretary_a, applicant=activist, code="talk", note="x", reason="x")
    assert "已终止" in errors["__all__"][0]
    assert not StepCorrection.objects.exists()


# --- Pages -----------------------------------------------------------------------------

def test_step_page_correct_then_the_case_shows_the_earlier_version(as_secretary_a, activist):
    url = f"/recruitment/{activist.pk}/step/talk/"
    page = as_secretary_a.get(url).content.decode()
    assert "更正此步骤" in page and "撤销此步骤" in page
    assert "<dt>结果</dt>" in page  # a step's outcome, not the appraisal's 评议结果
    assert f'href="{url}"' in as_secretary_a.get(f"/recruitment/{activist.pk}/").content.decode()
    old = _on(activist, "talk")
    new = old + dt.timedelta(days=2)
    blank = as_secretary_a.post(url, {"action": "correct", "fix-on": new.isoformat(), "fix-reason": ""})
    assert blank.status_code == 200 and "errorlist" in blank.content.decode() and _on(activist, "talk") == old
    done = as_secretary_a.post(url, {"action": "correct", "fix-on": new.isoformat(), "fix-materials": ["谈话记录"],
                                     "fix-note": "补记", "fix-reason": "日期录错"})
    assert done.status_code == 302 and _on(activist, "talk") == new
    detail = as_secretary_a.get(f"/recruitment/{activist.pk}/").content.decode()
    assert "更正与撤销记录" in detail and f"<s>{old.isoformat()}</s> → {new.isoformat()}" in detail
    assert "日期录错" in detail and "一支部书记" in detail


def test_step_page_refusal_is_shown_where_the_user_looks(as_secretary_a, activist):
    url = f"/recruitment/{activist.pk}/step/talk/"
    page = as_secretary_a.post(url, {"action": "withdraw", "withdraw-reason": "误登记"}).content.decode()
    assert "须先撤销" in page and "第3步“推荐和确定入党积极分子”" in page
    late = _on(activist, "activist") + dt.timedelta(days=1)
    page = as_secretary_a.post(url, {"action": "correct", "fix-on": late.isoformat(), "fix-reason": "x"})
    assert "不再符合规定" in page.content.decode() and not StepCorrection.objects.exists()


def test_step_page_withdraw_and_the_withdrawn_step_stays_visible(as_secretary_a, activist):
    url = f"/recruitment/{activist.pk}/step/activist/"
    on = _on(activist, "activist")
    assert as_secretary_a.post(url, {"action": "withdraw", "withdraw-reason": "误登记"}).status_code == 302
    detail = as_secretary_a.get(f"/recruitment/{activist.pk}/").content.decode()
    assert "已撤销" in detail and f"<s>{on.isoformat()}</s>" in detail and "误登记" in detail
    page = as_secretary_a.get(url).content.decode()
    assert "已撤销" in page and "撤销此步骤" not in page


def test_step_page_outsider_404_anonymous_redirected(as_secretary_b, as_member, as_anonymous, activist):
    url = f"/recruitment/{activist.pk}/step/talk/"
    for client in (as_secretary_b, as_member):
        assert client.get(url).status_code == 404
        with unchanged():
            assert client.post(url, {"action": "withdraw", "withdraw-reason": "x"}).status_code == 404
    assert as_anonymous.get(url).status_code == 302
    assert as_secretary_b.get(f"/recruitment/{activist.pk}/step/nonsense/").status_code == 404
    assert activist.steps.count() == 3 and not StepCorrection.objects.exists()


def test_step_page_read_only_for_viewers(tree, activist):
    from django.test import Client

    from dangjian.accounts.roles import Role
    from tests.factories import UserFactory, grant

    auditor = UserFactory(username="auditor")
    grant(auditor, tree["branch_a"], Role.AUDITOR)
    client = Client()
    client.force_login(auditor)
    url = f"/recruitment/{activist.pk}/step/talk/"
    assert "更正此步骤" not in client.get(url).content.decode()
    with unchanged():
        assert client.post(url, {"action": "withdraw", "withdraw-reason": "x"}).status_code == 404


# --- API -------------------------------------------------------------------------------

def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_api_correct_withdraw_and_history(as_secretary_a, as_secretary_b, as_anonymous, activist):
    base = f"/api/recruitment/applicants/{activist.pk}"
    new = (_on(activist, "talk") + dt.timedelta(days=1)).isoformat()
    assert _post(as_anonymous, f"{base}/steps/talk/correct", {"on": new, "reason": "x"}).status_code == 401
    assert _post(as_secretary_b, f"{base}/steps/talk/correct", {"on": new, "reason": "x"}).status_code == 404
    blank = _post(as_secretary_a, f"{base}/steps/talk/correct", {"on": new, "reason": ""})
    assert blank.status_code == 400 and blank.json()["errors"]["reason"] == ["请填写更正或撤销的原因"]
    ok = _post(as_secretary_a, f"{base}/steps/talk/correct", {"on": new, "reason": "日期录错"})
    assert ok.status_code == 200
    assert {s["code"]: s["on"] for s in ok.json()["steps"]}["talk"] == new
    refused = _post(as_secretary_a, f"{base}/steps/talk/withdraw", {"reason": "误登记"})
    assert refused.status_code == 400 and "须先撤销" in refused.json()["detail"]
    assert _post(as_secretary_b, f"{base}/steps/activist/withdraw", {"reason": "x"}).status_code == 404
    done = _post(as_secretary_a, f"{base}/steps/activist/withdraw", {"reason": "误登记"})
    assert done.status_code == 200 and done.json()["stage"] == "applicant"
    history = as_secretary_a.get(f"{base}/corrections").json()
    assert [(h["code"], h["kind"]) for h in history] == [("activist", "withdraw"), ("talk", "correct")]
    assert history[1]["before"]["on"] != new and history[1]["after"]["on"] == new
    assert as_secretary_b.get(f"{base}/corrections").status_code == 404
    assert as_anonymous.get(f"{base}/corrections").status_code == 401
    assert AuditEntry.objects.filter(target_type="recruitment.Step", action__in=["update", "delete"]).count() == 2


def test_api_vote_correction(as_secretary_a, probationary):
    base = f"/api/recruitment/applicants/{probationary.pk}/steps/branch_vote/correct"
    bad = _post(as_secretary_a, base, {"votes_present": 4, "reason": "x"})
    assert bad.status_code == 400 and "半数" in bad.json()["detail"]
    ok = _post(as_secretary_a, base, {**{k: VOTE[k] for k in ("votes_eligible", "votes_present")},
                                      "votes_for": 9, "votes_against": 0, "reason": "计票录错"})
    assert ok.status_code == 200
