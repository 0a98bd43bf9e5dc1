"""The recruitment rules at every edge (mutation testing, docs/testing.md), without a database.

The limits are the 2014 rules' as typed in tests/regulations.py (谈话一个月内, 积极分子一年以上,
培训不少于3天或24学时, 审批三个月内, 预备期一年); every expected date is worked by hand
from those limits. The step order is the catalogue's (recruitment/steps.py, 细则's 25 steps).
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from dangjian.recruitment import rules
from dangjian.recruitment.rules import Recorded
from dangjian.recruitment.steps import BY_CODE, STEPS
from tests import regulations as reg

D = dt.date
CONFIG = SimpleNamespace(**reg.RECRUITMENT)
TODAY = D(2027, 1, 1)
CODES = [s.code for s in STEPS]
FIRST_DAY = D(2024, 1, 15)


def through(code, on=FIRST_DAY, **overrides):
    """Every step up to and including `code`, all on one day, passed; `overrides` {code: Recorded}."""
    rec = {c: Recorded(on) for c in CODES[: CODES.index(code) + 1]}
    return {**rec, **overrides}


def check(code, on, recorded, **kw):
    kw.setdefault("applied_on", D(2024, 1, 15))
    kw.setdefault("today", TODAY)
    return rules.step_check(BY_CODE[code], on=on, recorded=recorded, config=CONFIG, **kw)


@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2024, 1, 15), 0, D(2024, 1, 15)),
    (D(2024, 1, 31), 1, D(2024, 2, 29)),     # leap February
    (D(2023, 1, 31), 1, D(2023, 2, 28)),
    (D(2024, 11, 30), 3, D(2025, 2, 28)),    # across the year end
    (D(2023, 12, 31), 1, D(2024, 1, 31)),
    (D(2024, 12, 1), 1, D(2025, 1, 1)),
    (D(2024, 1, 15), -1, D(2023, 12, 15)),   # backwards across the year start
    (D(2024, 3, 31), -1, D(2024, 2, 29)),
    (D(2024, 2, 29), 12, D(2025, 2, 28)),
    (D(2024, 7, 10), 18, D(2026, 1, 10)),
])
def test_shift_months_by_hand(day, months, expected):
    assert rules.shift_months(day, months) == expected


def test_adult_from_the_eighteenth_birthday():
    assert rules.adult_from(D(2000, 5, 17), 18) == D(2018, 5, 17)
    assert rules.adult_from(D(2008, 2, 29), 18) == D(2026, 2, 28)  # no 29 February in 2026


def test_probation_end_with_and_without_extension():
    assert rules.probation_end(D(2024, 8, 31), CONFIG) == D(2025, 8, 31)
    assert rules.probation_end(D(2024, 8, 31), CONFIG, extension_months=6) == D(2026, 2, 28)


# --- The branch meeting's tally (细则第四章: more than half present; written opinions in the tally only) ---

@pytest.mark.parametrize("missing", ["eligible", "present", "votes_for"])
def test_a_tally_without_its_numbers_is_refused(missing):
    tally = {"eligible": 10, "present": 8, "votes_for": 6, missing: None}
    assert list(rules.vote_errors(**tally, against=0, abstain=0)) == ["votes_for"]


@pytest.mark.parametrize(("present", "written", "field"), [
    (11, 0, "votes_present"),   # more present than entitled
    (10, 0, None),
    (5, 0, "votes_present"),    # exactly half: no quorum
    (4, 0, "votes_present"),    # fewer than half
    (1, 0, "votes_present"),
    (6, 0, None),               # more than half
    (5, 5, "votes_present"),    # written opinions do not make the meeting quorate
    (6, 4, None),               # the four absent all wrote
    (6, 5, "votes_written"),    # five written opinions, only four absent
])
def test_quorum_and_written_opinions_for_ten_entitled(present, written, field):
    errors = rules.vote_errors(eligible=10, present=present, votes_for=0, against=0, abstain=0, written=written)
    assert list(errors) == ([field] if field else [])


def test_the_written_opinions_message_names_how_many_are_absent():
    from django.utils import translation

    with translation.override("en"):
        errors = rules.vote_errors(eligible=10, present=7, votes_for=0, against=0, abstain=0, written=4)
    assert "at most 3 are absent" in errors["votes_written"]


@pytest.mark.parametrize(("votes_for", "against", "abstain", "written", "ok"), [
    (6, 0, 0, 0, True), (7, 0, 0, 0, False),
    (4, 1, 1, 0, True), (4, 2, 1, 0, False), (4, 1, 2, 0, False),
    (6, None, None, 0, True),
    (8, 1, 1, 4, True), (8, 2, 1, 4, False),  # six present and four written: ten in the tally
])
def test_the_votes_cannot_exceed_those_present_and_the_written_opinions(votes_for, against, abstain, written, ok):
    errors = rules.vote_errors(eligible=10, present=6, votes_for=votes_for, against=against, abstain=abstain,
                               written=written)
    assert ("votes_for" not in errors) is ok
    assert set(errors) <= {"votes_for"}


# --- One step against the steps it rests on -----------------------------------------------------

def test_a_step_recorded_twice_is_refused():
    errors, late = check("talk", D(2024, 2, 1), through("talk"))
    assert list(errors) == ["code"] and late == ""


def test_today_is_allowed_and_tomorrow_is_not():
    rec = through("application", on=D(2026, 12, 20))
    assert check("talk", TODAY, rec, applied_on=D(2026, 12, 20)) == ({}, "")
    errors, _ = check("talk", TODAY + dt.timedelta(days=1), rec, applied_on=D(2026, 12, 20))
    assert list(errors) == ["on"]


def test_the_same_day_as_the_step_it_rests_on_is_allowed_the_day_before_is_not():
    rec = through("application", on=D(2024, 1, 15))
    assert check("talk", D(2024, 1, 15), rec) == ({}, "")
    errors, late = check("talk", D(2024, 1, 14), rec)
    assert list(errors) == ["on"] and late == ""


def test_a_step_after_a_failed_vote_is_refused_on_the_whole_step():
    rec = through("branch_vote", branch_vote=Recorded(D(2024, 1, 15), passed=False))
    errors, late = check("superior_talk", D(2024, 2, 1), rec)
    assert list(errors) == ["code"] and late == ""


def test_a_missing_dependency_is_named_with_any_date_problem_before_it():
    # committee_review rests on sponsors (recorded), political_review and training (not recorded).
    assert list(check("committee_review", D(2024, 2, 1), through("sponsors"))[0]) == ["code"]
    assert list(check("committee_review", D(2024, 1, 14), through("sponsors"))[0]) == ["on", "code"]


def test_talk_due_within_one_month_of_the_application():
    rec = through("application", on=D(2024, 1, 31))
    assert check("talk", D(2024, 2, 29), rec, applied_on=D(2024, 1, 31)) == ({}, "")
    errors, late = check("talk", D(2024, 3, 1), rec, applied_on=D(2024, 1, 31))
    assert errors == {} and late


def test_a_development_candidate_after_a_full_year_as_activist():
    rec = through("cultivation", on=D(2023, 8, 31), activist=Recorded(D(2023, 8, 31)))
    errors, _ = check("candidate", D(2024, 8, 30), rec)
    assert list(errors) == ["on"]
    assert check("candidate", D(2024, 8, 31), rec) == ({}, "")


@pytest.mark.parametrize(("days", "hours", "ok"), [
    (3, None, True), (2, None, False), (None, 24, True), (None, 23, False), (2, 24, True), (3, 0, True),
    (None, None, False), (4, 30, True), (None, 30, True), (0, 25, True),
])
def test_training_needs_three_days_or_24_class_hours(days, hours, ok):
    errors, late = check("training", D(2024, 2, 1), through("candidate"), training_days=days, training_hours=hours)
    assert (errors == {}) is ok and late == ""
    assert set(errors) <= {"training_days"}


@pytest.mark.parametrize(("approval", "vote"), [("approval", "branch_vote"), ("full_approval", "full_vote")])
def test_approval_within_three_months_of_its_vote(approval, vote):
    # The vote on 30 November 2024: three months later is 28 February 2025.
    before = CODES[CODES.index(approval) - 1]
    rec = through(before, on=D(2024, 11, 30))
    assert check(approval, D(2025, 2, 28), rec) == ({}, "")
    errors, late = check(approval, D(2025, 3, 1), rec)
    assert errors == {} and late


def test_full_approval_counts_from_the_full_vote_not_the_branch_vote():
    rec = through("full_vote", on=D(2024, 1, 15), full_vote=Recorded(D(2025, 1, 15)))
    assert check("full_approval", D(2025, 4, 15), rec) == ({}, "")


@pytest.mark.parametrize(("extension", "earliest"), [(0, D(2025, 1, 15)), (6, D(2025, 7, 15)), (12, D(2026, 1, 15))])
def test_full_membership_discussed_once_probation_has_ended(extension, earliest):
    rec = through("full_application", on=D(2024, 1, 15))
    errors, late = check("full_vote", earliest - dt.timedelta(days=1), rec, extension_months=extension)
    assert list(errors) == ["on"] and late == ""
    assert check("full_vote", earliest, rec, extension_months=extension) == ({}, "")


def test_steps_without_a_time_limit_are_never_late():
    rec = through("activist", on=D(2020, 1, 1))
    assert check("mentors", D(2026, 1, 1), rec, applied_on=D(2020, 1, 1)) == ({}, "")


# --- What is due next ------------------------------------------------------------------------

def due(recorded, extension=0):
    return [(d.step, d.due) for d in rules.open_deadlines(
        applied_on=D(2024, 1, 31), recorded=recorded, config=CONFIG, extension_months=extension)]


def test_deadlines_along_the_way():
    assert due({"application": Recorded(D(2024, 1, 31))}) == [("talk", D(2024, 2, 29))]
    assert due(through("talk", on=D(2024, 2, 10))) == []
    assert due(through("activist", on=D(2024, 2, 29))) == [("candidate", D(2025, 2, 28))]
    assert due(through("cultivation", activist=Recorded(D(2024, 3, 1)))) == [("candidate", D(2025, 3, 1))]
    assert due(through("candidate")) == []
    assert due(through("branch_vote", on=D(2024, 11, 30))) == [("approval", D(2025, 2, 28))]
    failed = through("branch_vote", branch_vote=Recorded(D(2024, 11, 30), passed=False))
    assert due(failed) == []
    assert due(through("approval", on=D(2024, 6, 1), branch_vote=Recorded(D(2024, 5, 20)))) == [
        ("full_vote", D(2025, 5, 20))]
    assert due(through("full_application", branch_vote=Recorded(D(2024, 5, 20))), extension=6) == [
        ("full_vote", D(2025, 11, 20))]
    rejected = through("approval", approval=Recorded(D(2024, 6, 1), passed=False))
    assert due(rejected) == []
    assert due(through("full_vote", full_vote=Recorded(D(2025, 5, 20)))) == [("full_approval", D(2025, 8, 20))]
    assert due(through("archive")) == []


def test_next_steps_wait_for_every_step_they_rest_on_to_pass():
    assert [s.code for s in rules.next_steps({})] == ["application"]
    assert [s.code for s in rules.next_steps(through("activist"))] == ["activist_filing", "mentors"]
    assert [s.code for s in rules.next_steps(through("candidate"))] == [
        "candidate_filing", "sponsors", "political_review", "training"]
    # The branch committee reviews once sponsors, political review and training are all done.
    rec = through("candidate", sponsors=Recorded(D(2024, 2, 1)), political_review=Recorded(D(2024, 2, 1)))
    assert "committee_review" not in [s.code for s in rules.next_steps(rec)]
    rec["training"] = Recorded(D(2024, 2, 1))
    assert "committee_review" in [s.code for s in rules.next_steps(rec)]
    failed = through("branch_vote", branch_vote=Recorded(D(2024, 1, 15), passed=False))
    assert [s.code for s in rules.next_steps(failed)] == []


@pytest.mark.parametrize(("last", "stage"), [
    ("application", "applicant"), ("talk", "applicant"), ("activist", "activist"), ("cultivation", "activist"),
    ("candidate", "candidate"), ("superior_talk", "candidate"), ("approval", "probationary"),
    ("full_application", "probationary"), ("full_vote", "full"), ("archive", "full"),
])
def test_stage_of_each_step(last, stage):
    assert rules.stage_of(through(last)) == stage


def test_a_failed_step_does_not_advance_the_stage():
    assert rules.stage_of(through("approval", approval=Recorded(D(2024, 1, 15), passed=False))) == "candidate"
    assert rules.stage_of(through("full_vote", full_vote=Recorded(D(2024, 1, 15), passed=False))) == "probationary"
    assert rules.stage_of(through("candidate", candidate=Recorded(D(2024, 1, 15), passed=False))) == "activist"
    assert rules.stage_of(through("activist", activist=Recorded(D(2024, 1, 15), passed=False))) == "applicant"


# --- Corrections: what a corrected step is checked against -------------------------------------

def test_steps_reading_a_step_are_those_after_it_and_those_counted_from_it():
    rec = through("candidate")
    assert [s.code for s in rules.reading("activist", rec)] == ["activist_filing", "mentors", "candidate"]
    assert [s.code for s in rules.reading("application", rec)] == ["talk"]
    assert [s.code for s in rules.reading("candidate", rec)] == []
    full = through("full_approval")
    assert [s.code for s in rules.reading("branch_vote", full)] == ["superior_talk", "approval", "full_vote"]
    assert [s.code for s in rules.reading("full_vote", full)] == ["full_approval"]


def test_dependents_rest_on_a_step_directly_or_through_others_and_are_recorded():
    rec = through("cultivation")
    assert [s.code for s in rules.dependents("activist", rec)] == ["activist_filing", "mentors", "cultivation"]
    assert [s.code for s in rules.dependents("mentors", rec)] == ["cultivation"]
    assert rules.dependents("cultivation", rec) == []
    rec.pop("activist_filing")
    assert [s.code for s in rules.dependents("talk", rec)] == ["activist", "mentors", "cultivation"]


def test_a_corrected_date_is_checked_against_the_steps_it_rests_on():
    rec = through("activist", on=D(2024, 2, 1), activist=Recorded(D(2024, 1, 20)))
    errors, late = rules.recheck("activist", recorded=rec, config=CONFIG, today=TODAY, applied_on=D(2024, 1, 15))
    assert list(errors) == ["on"]
    assert late == {"activist": ""}


def test_a_correction_that_makes_a_later_step_too_early_is_refused_on_the_date():
    # Activist on 1 March 2024 and candidate on 1 March 2025; the activist date corrected to 2 March 2024.
    rec = through("candidate", on=D(2024, 3, 1), candidate=Recorded(D(2025, 3, 1)),
                  activist=Recorded(D(2024, 3, 2)))
    errors, late = rules.recheck("activist", recorded=rec, config=CONFIG, today=TODAY, applied_on=D(2024, 1, 15))
    assert list(errors) == ["on"]
    assert set(late) == {"activist", "activist_filing", "mentors", "candidate"}
    rec["activist"] = Recorded(D(2024, 3, 1))
    assert rules.recheck("activist", recorded=rec, config=CONFIG, today=TODAY,
                         applied_on=D(2024, 1, 15))[0] == {}


def test_a_vote_corrected_to_fail_under_later_steps_is_refused_on_the_whole_form():
    rec = through("superior_talk", branch_vote=Recorded(D(2024, 1, 15), passed=False))
    errors, _ = rules.recheck("branch_vote", recorded=rec, config=CONFIG, today=TODAY, applied_on=D(2024, 1, 15))
    assert list(errors) == ["__all__"]


def test_a_corrected_vote_date_flags_the_approval_late():
    rec = through("approval", on=D(2024, 1, 15), superior_talk=Recorded(D(2024, 5, 1)),
                  approval=Recorded(D(2024, 6, 1)))
    errors, late = rules.recheck("branch_vote", recorded=rec, config=CONFIG, today=TODAY,
                                 applied_on=D(2024, 1, 15))
    assert errors == {}
    assert late["approval"] and late["branch_vote"] == "" and late["superior_talk"] == ""


def test_the_defaults_the_settings_page_shows_are_the_regulations_and_a_fresh_installations():
    from dangjian.recruitment.models import RecruitRules

    assert {name: rules.DEFAULTS[name] for name in reg.RECRUITMENT} == reg.RECRUITMENT
    assert set(rules.DEFAULTS) == set(reg.RECRUITMENT) | {"remind_days"}
    assert all(RecruitRules._meta.get_field(name).default == value for name, value in rules.DEFAULTS.items())


def test_a_correction_reads_step_codes_as_the_database_gives_them():
    """Codes read from the database are new string objects, equal to the catalogue's but not the same object."""
    import json

    rec = through("activist", on=D(2024, 2, 1))
    from_db = {json.loads(json.dumps(code)): step for code, step in rec.items()}
    assert all(a == b and a is not b for a, b in zip(from_db, rec, strict=True))
    assert rules.recheck(json.loads('"activist"'), recorded=from_db, config=CONFIG, today=TODAY,
                         applied_on=D(2024, 1, 15)) == ({}, {"activist": ""})


def test_a_corrected_full_vote_is_checked_against_the_probation_without_an_extension():
    # Branch vote 15 January 2024: probation ends 15 January 2025 (no extension given).
    rec = through("full_vote", on=D(2024, 1, 15), full_vote=Recorded(D(2025, 1, 14)))
    errors, _ = rules.recheck("full_vote", recorded=rec, config=CONFIG, today=TODAY, applied_on=D(2024, 1, 15))
    assert list(errors) == ["on"]
    rec["full_vote"] = Recorded(D(2025, 1, 15))
    assert rules.recheck("full_vote", recorded=rec, config=CONFIG, today=TODAY, applied_on=D(2024, 1, 15))[0] == {}


def test_the_corrected_steps_own_problem_reads_as_its_own():
    from django.utils import translation

    rec = through("activist", on=D(2024, 2, 1), activist=Recorded(D(2024, 1, 20)))
    with translation.override("en"):
        errors, _ = rules.recheck("activist", recorded=rec, config=CONFIG, today=TODAY, applied_on=D(2024, 1, 15))
    assert errors["on"].startswith("The date is before step 2")


def test_a_minimum_of_zero_days_means_no_minimum():
    config = SimpleNamespace(**{**reg.RECRUITMENT, "training_min_days": 0})
    errors, _ = rules.step_check(BY_CODE["training"], on=D(2024, 2, 1), recorded=through("candidate"), config=config,
                                 today=TODAY, applied_on=D(2024, 1, 15))
    assert errors == {}
