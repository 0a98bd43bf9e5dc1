"""Demo recruitment cases at every stage, with deliberate overdue ones.

Written through the services (so the roster records of new probationary and
full members are created the same way as in use), by a system actor.
"""

import datetime as dt

from dangjian.core import crypto
from dangjian.core.actors import SystemActor
from dangjian.orgs.idnumber import make_id_number
from dangjian.orgs.models import BRANCH_KINDS, Member, Org
from dangjian.recruitment import services
from dangjian.recruitment.models import Applicant
from dangjian.recruitment.rules import REVIEW_EVERY_MONTHS, shift_months
from dangjian.recruitment.steps import STEPS

# A typical timeline: days after the application on which each step happens.
OFFSET = {
    "talk": 14, "activist": 60, "activist_filing": 65, "mentors": 65, "cultivation": 240, "candidate": 435,
    "candidate_filing": 440, "sponsors": 440, "political_review": 470, "training": 480,
    "committee_review": 500, "pre_review": 510, "application_form": 520, "branch_vote": 530,
    "superior_talk": 545, "approval": 580, "approval_filing": 590, "assignment": 590, "oath": 600,
    "continued_education": 700, "full_application": 880, "full_vote": 895, "full_approval": 930, "archive": 940,
}
# (last step recorded, days since the application): each lands in a different stage or alert.
CASES = [
    ("application", 10),          # applicant, talk due soon
    ("application", 45),          # applicant, talk overdue
    ("talk", 50),                 # applicant talked to
    ("cultivation", 300),         # activist
    ("training", 490),            # development candidate
    ("branch_vote", 640),         # voted, superior approval overdue
    ("approval", 700),            # probationary member
    ("full_application", 890),    # probationary, probation ending
    ("archive", 1100),            # full member
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
REVIEW_TEXTS = [
    "培养联系人汇报：能按时参加支部组织的学习，主动承担社区志愿服务，思想汇报按时提交。支部同意继续培养。",
    "该同志入党动机端正，工作中积极肯干，群众反映较好；需进一步加强理论学习。",
    "半年来参加党课两次、志愿服务四次，能主动向党组织汇报思想，表现良好。",
]
GIVEN = ["晓燕", "志强", "海峰", "雨欣", "子涵", "俊杰", "思雨", "浩然", "佳怡", "明轩", "欣怡", "宇航"]



def _details(code: str) -> dict:
    if code in ("branch_vote", "full_vote"):
        return {"votes_eligible": 12, "votes_present": 11, "votes_for": 10, "votes_against": 0, "votes_abstain": 1}
    if code == "training":
        return {"training_days": 3, "training_hours": 24}
    return {}


def seed(*, rng, today: dt.date, log) -> None:
    if Applicant.objects.exists():
        log("recruitment: cases already present, skipped")
        return
    by = SystemActor("demo")
    branches = list(Org.objects.filter(kind__in=BRANCH_KINDS, is_active=True).order_by("path")[:40])
    plan = [(branches[0], case) for case in CASES] if branches else []
    for org in branches[1:]:
        plan += [(org, rng.choice(CASES)) for _ in range(rng.randrange(0, 3))]
    sequence = 100
    for org, (last, age_days) in plan:
        applied_on = today - dt.timedelta(days=age_days)
        gender = rng.choice("MF")
        birth = applied_on - dt.timedelta(days=rng.randrange(19 * 365, 40 * 365))
        while True:
            sequence += 1
            id_number = make_id_number(area="110105", birth_date=birth, sequence=sequence, gender=gender)
            index = crypto.blind_index(id_number)
            if not Member.objects.filter(id_number_index=index).exists() and \
                    not Applicant.objects.filter(id_number_index=index).exists():
                break
        applicant = services.applicant_create(by=by, today=today, data={
            "org": org, "name": rng.choice(SURNAMES) + rng.choice(GIVEN), "gender": gender, "birth_date": birth,
            "id_number": id_number, "phone": f"139{rng.randrange(10**7, 10**8)}", "education": "bachelor",
            "employment": rng.choice(["employed", "employed", "student"]), "applied_on": applied_on,
        })
        for step in STEPS[1:]:
            if last == "application":
                break
            on = min(today, applied_on + dt.timedelta(days=OFFSET[step.code]))
            services.step_record(by=by, applicant=applicant, code=step.code, on=on, today=today,
                                 materials=list(step.materials), **_details(step.code))
            if step.code == last:
                break
        _activist_records(by=by, rng=rng, applicant=applicant, today=today)
    log(f"recruitment: {len(plan)} cases in {len(branches)} branches")


def _activist_records(*, by, rng, applicant: Applicant, today: dt.date) -> None:
    """细则第三章: one or two mentors for each activist and development candidate, and the branch's
    half-yearly reviews on their reports, up to today or to the day the activist became a candidate; in
    some cases the last review is left undone so the overdue to-do shows."""
    applicant.refresh_from_db()
    recorded = {step.code: step.on for step in applicant.steps.all()}
    if applicant.stage not in services.ACTIVIST_STAGES or "activist" not in recorded:
        return
    choices = list(services.mentor_choices(applicant)[:6])
    if not choices:
        return
    appointed_on = min(today, recorded["activist"] + dt.timedelta(days=5))
    mentors = rng.sample(choices, k=min(len(choices), rng.choice((1, 2, 2))))
    for member in mentors:
        services.mentor_appoint(by=by, applicant=applicant, member=member, appointed_on=appointed_on, today=today)
    until = recorded.get("candidate", today)
    on = shift_months(recorded["activist"], REVIEW_EVERY_MONTHS) - dt.timedelta(days=rng.randrange(0, 10))
    while on <= until and (on < until - dt.timedelta(days=60) or rng.random() < 0.6):
        services.activist_review_record(by=by, applicant=applicant, on=on, mentor=rng.choice(mentors), today=today,
                                        content=rng.choice(REVIEW_TEXTS))
        on = shift_months(on, REVIEW_EVERY_MONTHS)
