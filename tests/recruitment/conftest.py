import datetime as dt
import itertools

import pytest

from dangjian.orgs.idnumber import make_id_number
from dangjian.recruitment import services
from dangjian.recruitment.rules import shift_months
from dangjian.recruitment.steps import STEPS

_seq = itertools.count(500, 2)  # parity is adjusted to the gender: step 2 keeps them distinct
VOTE = {"votes_eligible": 10, "votes_present": 9, "votes_for": 8, "votes_against": 1, "votes_abstain": 0}


def applicant_data(org, *, applied_on: dt.date, birth_date=dt.date(1995, 5, 17), gender="F", name="刘晓燕"):
    return {
        "org": org, "name": name, "gender": gender, "ethnicity": "汉族", "birth_date": birth_date,
        "id_number": make_id_number(area="110105", birth_date=birth_date, sequence=next(_seq), gender=gender),
        "phone": "13900001111", "education": "bachelor", "employment": "employed", "job": "教师",
        "applied_on": applied_on,
    }


def details_for(code: str) -> dict:
    if code in ("branch_vote", "full_vote"):
        return dict(VOTE)
    if code == "training":
        return {"training_days": 3}
    return {}


def walk(by, applicant, start: dt.date, *, until: str, today: dt.date | None = None):
    """Record every step after the application up to `until`, at the earliest lawful dates."""
    day = start
    done = set(applicant.steps.values_list("code", flat=True))
    for step in STEPS[1:]:
        if step.code in done:
            continue
        if step.code == "candidate":
            day = shift_months(applicant.steps.get(code="activist").on, 12)
        elif step.code == "full_vote":
            day = shift_months(applicant.steps.get(code="branch_vote").on, 12 + applicant.extension_months)
        services.step_record(by=by, applicant=applicant, code=step.code, on=day, today=today or day,
                             **details_for(step.code))
        applicant.refresh_from_db()
        if step.code == until:
            return applicant
        day += dt.timedelta(days=3)
    return applicant


@pytest.fixture
def config(db):
    return services.recruit_rules()
