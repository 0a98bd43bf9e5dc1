"""Issue 15: the branch meeting's tally with written opinions, extending and cancelling probation.

Fixtures from the texts (tests/regulations.py, core.references.ARTICLES): 细则第四章 (written
opinions of absent full members count in the tally, not in the quorum); 党章第七条 / 细则第三十二条
(an extension is decided when probation ends, by the branch meeting's vote, approved by the superior;
取消预备党员资格 ends membership on the superior's approval).
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.orgs.models import Status
from dangjian.recruitment import rules, services
from dangjian.recruitment.models import Stage
from dangjian.recruitment.rules import shift_months
from tests import regulations as reg
from tests.recruitment.conftest import VOTE, applicant_data, walk


def tally(eligible, present, votes_for, against=0, abstain=0, written=0):
    return rules.vote_errors(eligible=eligible, present=present, votes_for=votes_for, against=against,
                             abstain=abstain, written=written)


@pytest.mark.parametrize("eligible", [2, 3, 7, 10, 11])
def test_quorum_is_more_than_half_present_and_written_opinions_do_not_make_it(eligible):
    num, den = reg.RECRUITMENT_QUORUM
    for present in range(eligible + 1):
        quorate = present * den > eligible * num
        errors = tally(eligible, present, 0, written=eligible - present)
        assert ("votes_present" not in errors) == quorate, (eligible, present)


def test_written_opinions_count_in_the_tally_up_to_the_members_absent():
    # 10 entitled, 6 present, 4 absent wrote in: 10 ballots in all.
    assert tally(10, 6, 8, against=2, written=4) == {}
    assert "votes_for" in tally(10, 6, 9, against=2, written=4)       # one ballot more than cast
    assert "votes_written" in tally(10, 6, 6, written=5)              # only 4 are absent
    assert tally(10, 6, 6, written=0) == {}
    assert "votes_for" in tally(10, 6, 7, written=0)                  # 7 votes from 6 present and no letters
    # The pass mark stays "more than half of those entitled", letters included.
    assert rules.vote_passes(eligible=10, votes_for=6) and not rules.vote_passes(eligible=10, votes_for=5)


def test_a_branch_vote_with_written_opinions_passes_on_their_count(tree, secretary_a, config):
    today = timezone.localdate()
    start = today - dt.timedelta(days=365 * 3)
    case = services.applicant_create(by=secretary_a, data=applicant_data(tree["branch_a"], applied_on=start))
    case = walk(secretary_a, case, start + dt.timedelta(days=5), until="application_form", today=today)
    on = case.steps.get(code="application_form").on + dt.timedelta(days=3)
    # 6 of 11 present, 3 for in the room and 3 written "for": 6 of 11 entitled pass.
    step = services.step_record(by=secretary_a, applicant=case, code="branch_vote", on=on, votes_eligible=11,
                                votes_present=6, votes_for=6, votes_against=3, votes_abstain=0, votes_written=3)
    assert step.passed and step.votes_written == 3


def probationary_case(secretary_a, tree):
    today = timezone.localdate()
    start = today - dt.timedelta(days=365 * 4)
    case = services.applicant_create(by=secretary_a, data=applicant_data(tree["branch_a"], applied_on=start))
    case = walk(secretary_a, case, start + dt.timedelta(days=5), until="approval", today=today)
    return case, case.steps.get(code="branch_vote").on


def test_an_extension_is_decided_when_probation_ends_voted_and_approved(tree, secretary_a, config):
    case, vote_on = probationary_case(secretary_a, tree)
    end = shift_months(vote_on, reg.RECRUITMENT["probation_months"])
    good = dict(months=6, on=end, approved_on=end + dt.timedelta(days=30), reason="需继续考察", **VOTE)

    def refused(field, **change):
        with pytest.raises(ValidationError) as exc:
            services.probation_extend(by=secretary_a, applicant=case, **{**good, **change})
        assert field in exc.value.message_dict, exc.value.message_dict

    refused("on", on=end - dt.timedelta(days=1), approved_on=end)            # probation has not ended
    refused("approved_on", approved_on=None)                                    # no superior approval
    refused("approved_on", approved_on=end - dt.timedelta(days=1))             # approved before the vote
    refused("votes_for", votes_eligible=10, votes_present=9, votes_for=5, votes_against=4)  # half is not more
    refused("votes_present", votes_eligible=10, votes_present=5, votes_for=5)  # no quorum
    case.refresh_from_db()
    assert case.extension_months == 0
    services.probation_extend(by=secretary_a, applicant=case, **{**good, "votes_eligible": 10, "votes_present": 9,
                                                                 "votes_for": 6, "votes_against": 3})
    case.refresh_from_db()
    assert (case.extension_months, case.extension_on, case.extension_approved_on) == (6, end, good["approved_on"])


def test_cancelling_probation_ends_membership_on_the_superiors_approval(tree, secretary_a, officer, config):
    case, vote_on = probationary_case(secretary_a, tree)
    member = case.member
    decided = shift_months(vote_on, 12)
    with pytest.raises(ValidationError) as exc:
        services.applicant_close(by=officer, applicant=case, on=decided, reason="不具备党员条件")
    assert "approved_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # the branch cannot approve its own decision
        services.applicant_close(by=secretary_a, applicant=case, on=decided, approved_on=decided, reason="不具备党员条件")
    with pytest.raises(ValidationError) as exc:
        services.applicant_close(by=officer, applicant=case, on=decided, approved_on=decided - dt.timedelta(days=1),
                                 reason="不具备党员条件")
    assert "approved_on" in exc.value.message_dict
    member.refresh_from_db()
    case.refresh_from_db()
    assert (member.status, case.stage) == (Status.ACTIVE, Stage.PROBATIONARY)
    services.applicant_close(by=officer, applicant=case, on=decided, approved_on=decided, reason="不具备党员条件")
    member.refresh_from_db()
    case.refresh_from_db()
    assert (member.status, case.stage) == (Status.PROBATION_CANCELLED, Stage.CLOSED)
    change = member.status_changes.get(to_status=Status.PROBATION_CANCELLED)
    assert (change.decided_on, change.changed_on, change.to_status) == (decided, decided, Status.PROBATION_CANCELLED)
