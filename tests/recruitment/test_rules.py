"""The pure rules at their edges: the day before and the day after."""

import datetime as dt

import pytest

from dangjian.recruitment import rules
from dangjian.recruitment.rules import Recorded
from dangjian.recruitment.steps import BY_CODE, STAGES, STEPS

TODAY = dt.date(2026, 1, 1)


def check(code, on, recorded, config, **kw):
    kw.setdefault("applied_on", dt.date(2024, 1, 31))
    return rules.step_check(BY_CODE[code], on=on, recorded=recorded, config=config, today=TODAY, **kw)


def test_catalogue_has_25_steps_in_5_stages_with_materials():
    assert [s.number for s in STEPS] == list(range(1, 26))
    assert {s.stage for s in STEPS} == set(STAGES) == {1, 2, 3, 4, 5}
    assert all(s.materials and s.rule for s in STEPS)
    assert all(BY_CODE[d].number < s.number for s in STEPS for d in s.after)


def test_month_shift_clamps_to_month_end():
    assert rules.shift_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert rules.shift_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)


def test_talk_within_a_month_day_of_deadline_ok_day_after_flagged(config):
    rec = {"application": Recorded(dt.date(2024, 1, 31))}
    assert check("talk", dt.date(2024, 2, 29), rec, config) == ({}, "")
    errors, late = check("talk", dt.date(2024, 3, 1), rec, config)
    assert errors == {} and "1个月内" in late


def test_step_dated_before_its_dependency_is_refused_naming_the_rule(config):
    errors, _ = check("talk", dt.date(2024, 1, 30), {"application": Recorded(dt.date(2024, 1, 31))}, config)
    assert "早于其所依据的第1步“递交入党申请书”" in errors["on"]


def test_missing_dependency_is_refused(config):
    errors, _ = check("activist", dt.date(2024, 3, 1), {"application": Recorded(dt.date(2024, 1, 31))}, config)
    assert errors["code"] == "须先完成第2步“党组织派人谈话”"


def _through(code, on):
    return {c: Recorded(on) for c in [s.code for s in STEPS][: BY_CODE[code].number]}


def test_candidate_one_day_before_a_full_year_refused_on_the_day_accepted(config):
    rec = _through("cultivation", dt.date(2023, 3, 10))
    errors, _ = check("candidate", dt.date(2024, 3, 9), rec, config)
    assert "过早" in errors["on"] and "2024-03-10" in errors["on"]
    assert check("candidate", dt.date(2024, 3, 10), rec, config) == ({}, "")


@pytest.mark.parametrize(("days", "hours", "ok"), [(2, 23, False), (3, None, True), (None, 24, True), (2, None, False)])
def test_training_three_days_or_24_class_hours(config, days, hours, ok):
    rec = _through("candidate", dt.date(2024, 3, 10))
    errors, _ = check("training", dt.date(2024, 4, 1), rec, config, training_days=days, training_hours=hours)
    assert (errors == {}) is ok


def test_approval_within_three_months_of_the_vote(config):
    rec = _through("superior_talk", dt.date(2024, 1, 15))
    assert check("approval", dt.date(2024, 4, 15), rec, config) == ({}, "")
    assert "3个月内" in check("approval", dt.date(2024, 4, 16), rec, config)[1]


def test_full_vote_not_before_probation_ends(config):
    rec = _through("full_application", dt.date(2024, 1, 15))
    assert "预备期至 2025-01-15" in check("full_vote", dt.date(2025, 1, 14), rec, config)[0]["on"]
    assert check("full_vote", dt.date(2025, 1, 15), rec, config) == ({}, "")
    # An extension of six months moves the earliest date.
    assert check("full_vote", dt.date(2025, 7, 14), rec, config, extension_months=6)[0]
    assert check("full_vote", dt.date(2025, 7, 15), rec, config, extension_months=6) == ({}, "")


def test_future_date_is_refused(config):
    errors, _ = check("talk", TODAY + dt.timedelta(days=1), {"application": Recorded(dt.date(2025, 12, 20))}, config,
                      applied_on=dt.date(2025, 12, 20))
    assert errors["on"] == "日期不能晚于今天"


def test_vote_counts():
    assert "半数" in rules.vote_errors(eligible=10, present=5, votes_for=5, against=0, abstain=0)["votes_present"]
    assert rules.vote_errors(eligible=10, present=6, votes_for=6, against=0, abstain=0) == {}
    assert rules.vote_errors(eligible=10, present=6, votes_for=5, against=2, abstain=0)["votes_for"]
    assert not rules.vote_passes(eligible=10, votes_for=5)
    assert rules.vote_passes(eligible=10, votes_for=6)


def test_deadlines_and_next_steps(config):
    rec = {"application": Recorded(dt.date(2024, 1, 31))}
    [talk] = rules.open_deadlines(applied_on=dt.date(2024, 1, 31), recorded=rec, config=config)
    assert talk.due == dt.date(2024, 2, 29)
    assert [s.code for s in rules.next_steps(rec)] == ["talk"]
    assert rules.stage_of(_through("candidate", dt.date(2024, 1, 1))) == "candidate"


def test_messages_read_whole_in_chinese_and_follow_the_language(config):
    """Messages built from a duration, a date and a step's name read as one sentence; the names are translated."""
    from django.utils import translation

    rec = {"application": Recorded(dt.date(2024, 1, 31))}
    assert check("talk", dt.date(2024, 3, 1), rec, config)[1] == "谈话超过规定期限：应在收到入党申请书后1个月内（2024-02-29前）谈话"
    errors, _ = check("training", dt.date(2024, 4, 1), _through("candidate", dt.date(2024, 3, 10)), config, training_days=2)
    assert errors["training_days"] == "集中培训时间不足：须不少于3天或24个学时"
    errors, _ = check("candidate", dt.date(2024, 3, 9), _through("cultivation", dt.date(2023, 3, 10)), config)
    assert errors["on"] == "过早：入党积极分子须经12个月以上培养教育和考察方可列为发展对象，最早 2024-03-10"
    assert rules.names([BY_CODE["talk"], BY_CODE["activist"]]) == "第2步“党组织派人谈话”、第3步“推荐和确定入党积极分子”"
    with translation.override("en"):
        assert str(BY_CODE["talk"].name) == "Talk on behalf of the Party organisation"
        assert check("activist", dt.date(2024, 3, 1), rec, config)[0]["code"] == (
            "Complete step 2 “Talk on behalf of the Party organisation” first")
