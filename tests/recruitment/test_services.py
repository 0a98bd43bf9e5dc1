"""Cases through the services: age, duplicates, order, the roster record created and promoted."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.orgs.models import Member
from dangjian.recruitment import services
from dangjian.recruitment.models import Stage, Step
from dangjian.recruitment.rules import shift_months
from tests.recruitment.conftest import VOTE, applicant_data, walk


def test_applicant_must_be_18_on_the_day_of_application(tree, secretary_a, config):
    birth = dt.date(2000, 5, 17)
    with pytest.raises(ValidationError) as exc:
        services.applicant_create(by=secretary_a, data=applicant_data(
            tree["branch_a"], birth_date=birth, applied_on=dt.date(2018, 5, 16)))
    assert exc.value.message_dict["applied_on"] == ["申请入党时须年满18周岁（2018-05-17起）"]
    case = services.applicant_create(by=secretary_a, data=applicant_data(
        tree["branch_a"], birth_date=birth, applied_on=dt.date(2018, 5, 17)))
    assert case.steps.get().code == "application"
    assert case.id_number_index and Member.objects.count() == 0


def test_id_number_checked_and_not_duplicated(tree, secretary_a, member_a, config):
    data = applicant_data(tree["branch_a"], applied_on=dt.date(2024, 1, 2))
    bad = {**data, "id_number": data["id_number"][:-1] + ("0" if data["id_number"][-1] != "0" else "1")}
    with pytest.raises(ValidationError) as exc:
        services.applicant_create(by=secretary_a, data=bad)
    assert "校验位" in exc.value.message_dict["id_number"][0]
    services.applicant_create(by=secretary_a, data=data)
    with pytest.raises(ValidationError) as exc:
        services.applicant_create(by=secretary_a, data=data)
    assert exc.value.message_dict["id_number"] == ["该身份证号已有发展党员档案"]
    with pytest.raises(ValidationError) as exc:
        services.applicant_create(by=secretary_a, data={**data, "id_number": member_a.id_number,
                                                        "birth_date": member_a.birth_date, "gender": "M"})
    assert exc.value.message_dict["id_number"] == ["该身份证号已是党员，无需发展"]


def test_outsider_cannot_open_or_record(tree, secretary_a, secretary_b, config):
    with pytest.raises(Http404):
        services.applicant_create(by=secretary_b, data=applicant_data(tree["branch_a"], applied_on=dt.date(2024, 1, 2)))
    case = services.applicant_create(by=secretary_a, data=applicant_data(tree["branch_a"], applied_on=dt.date(2024, 1, 2)))
    with pytest.raises(Http404):
        services.step_record(by=secretary_b, applicant=case, code="talk", on=dt.date(2024, 1, 20))
    assert case.steps.count() == 1


def test_late_talk_is_recorded_with_the_rule_flagged(tree, secretary_a, config):
    case = services.applicant_create(by=secretary_a, data=applicant_data(tree["branch_a"], applied_on=dt.date(2024, 1, 31)))
    step = services.step_record(by=secretary_a, applicant=case, code="talk", on=dt.date(2024, 3, 1))
    assert "1个月内" in step.late
    assert AuditEntry.objects.filter(target_type="recruitment.Step", target_id=str(step.pk)).exists()


def test_same_step_twice_and_unknown_materials_are_refused(tree, secretary_a, config):
    case = services.applicant_create(by=secretary_a, data=applicant_data(tree["branch_a"], applied_on=dt.date(2024, 1, 2)))
    with pytest.raises(ValidationError) as exc:
        services.step_record(by=secretary_a, applicant=case, code="talk", on=dt.date(2024, 1, 9), materials=["户口本"])
    assert "没有这些材料" in exc.value.message_dict["materials"][0]
    services.step_record(by=secretary_a, applicant=case, code="talk", on=dt.date(2024, 1, 9), materials=["谈话记录"])
    with pytest.raises(ValidationError) as exc:
        services.step_record(by=secretary_a, applicant=case, code="talk", on=dt.date(2024, 1, 10))
    assert "不能重复登记" in exc.value.message_dict["code"][0]


def test_failed_vote_stops_the_pipeline(tree, secretary_a, config):
    start = timezone.localdate() - dt.timedelta(days=900)
    case = services.applicant_create(by=secretary_a, data=applicant_data(tree["branch_a"], applied_on=start))
    case = walk(secretary_a, case, start + dt.timedelta(days=5), until="application_form",
                today=timezone.localdate())
    day = case.steps.get(code="application_form").on
    step = services.step_record(by=secretary_a, applicant=case, code="branch_vote", on=day,
                                **{**VOTE, "votes_for": 5, "votes_against": 4})
    assert step.passed is False
    with pytest.raises(ValidationError) as exc:
        services.step_record(by=secretary_a, applicant=case, code="superior_talk", on=day)
    assert "未通过" in exc.value.message_dict["code"][0]


def test_approval_creates_the_member_and_full_vote_promotes_it(tree, secretary_a, config):
    today = timezone.localdate()
    start = today - dt.timedelta(days=365 * 3)
    case = services.applicant_create(by=secretary_a, data=applicant_data(tree["branch_a"], applied_on=start))
    case = walk(secretary_a, case, start + dt.timedelta(days=5), until="approval", today=today)
    vote_on = case.steps.get(code="branch_vote").on
    member = case.member
    assert case.stage == Stage.PROBATIONARY
    assert (member.name, member.category, member.joined_on, member.org) == (
        "刘晓燕", "probationary", vote_on, tree["branch_a"])
    assert member.id_number == case.id_number and member.phone == "13900001111"
    case = walk(secretary_a, case, case.steps.get(code="approval").on, until="full_vote", today=today)
    member.refresh_from_db()
    assert case.stage == Stage.FULL
    assert (member.category, member.full_member_on) == ("full", shift_months(vote_on, 12))


def test_extension_once_within_bounds_and_moves_the_full_vote(tree, secretary_a, config):
    today = timezone.localdate()
    start = today - dt.timedelta(days=365 * 4)
    case = services.applicant_create(by=secretary_a, data=applicant_data(tree["branch_a"], applied_on=start))
    case = walk(secretary_a, case, start + dt.timedelta(days=5), until="approval", today=today)
    vote_on = case.steps.get(code="branch_vote").on
    on = shift_months(vote_on, 12)  # decided when probation ends
    approved = on + dt.timedelta(days=20)

    def extend(months, reason="需继续考察"):
        return services.probation_extend(by=secretary_a, applicant=case, months=months, on=on, approved_on=approved,
                                         reason=reason, **VOTE)

    for months in (5, 13):
        with pytest.raises(ValidationError) as exc:
            extend(months, "考察")
        assert "不能少于6个月" in exc.value.message_dict["months"][0]
    extend(6)
    with pytest.raises(ValidationError) as exc:
        extend(6, "再次")
    assert exc.value.message_dict["months"] == ["预备期只能延长一次"]
    case.refresh_from_db()
    assert (case.extension_approved_on, case.extension_vote["votes_for"]) == (approved, VOTE["votes_for"])
    services.step_record(by=secretary_a, applicant=case, code="full_application", on=on)
    with pytest.raises(ValidationError) as exc:
        services.step_record(by=secretary_a, applicant=case, code="full_vote", on=shift_months(vote_on, 18) - dt.timedelta(days=1), **VOTE)
    assert "过早" in exc.value.message_dict["on"][0]
    services.step_record(by=secretary_a, applicant=case, code="full_vote", on=shift_months(vote_on, 18), **VOTE)
    case.member.refresh_from_db()
    assert case.member.full_member_on == shift_months(vote_on, 18)


def test_closed_case_takes_no_more_steps(tree, secretary_a, config):
    case = services.applicant_create(by=secretary_a, data=applicant_data(tree["branch_a"], applied_on=dt.date(2024, 1, 2)))
    with pytest.raises(ValidationError):
        services.applicant_close(by=secretary_a, applicant=case, on=dt.date(2024, 2, 1), reason=" ")
    services.applicant_close(by=secretary_a, applicant=case, on=dt.date(2024, 2, 1), reason="本人撤回申请")
    with pytest.raises(ValidationError) as exc:
        services.step_record(by=secretary_a, applicant=case, code="talk", on=dt.date(2024, 1, 9))
    assert exc.value.message_dict["code"] == ["该发展党员档案已终止"]
    assert Step.objects.filter(applicant=case).count() == 1
