"""Every app's list pages and API lists run the same number of queries at N and 2N records.

One case per app: a builder adds N records of the kinds the app lists (in
branches of the community, seen by the street's officer), then each page and
API list is fetched once to warm per-request caches (a rule row created on
first read, the session), counted at N, and counted again after N more
records. A query per row (N+1) shows as a difference.
"""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.assessment.models import Assessment, Scheme
from dangjian.audit.services import Action, audit_record
from dangjian.committees.models import Term
from dangjian.duty.models import DutyList, DutyTemplate
from dangjian.evaluation.models import Alert, Period
from dangjian.grids.models import Grid, Household
from dangjian.learning.models import Case, Material, Source, StudyPlan, StudyRecord
from dangjian.meetings.models import Appraisal, FollowUp, Outcome
from dangjian.projects.models import Project
from dangjian.recruitment import services as recruitment
from dangjian.resources.models import Booking, Need, PartnerUnit, Resource
from dangjian.surveys.models import Questionnaire, Round
from dangjian.volunteering.models import Activity, SignUp
from tests.appeals.helpers import submit
from tests.conftest import client_for
from tests.dues.conftest import make_due
from tests.factories import MemberFactory
from tests.perf.conftest import at, branches, held
from tests.recruitment.conftest import applicant_data

N = 3
_seq = itertools.count(1)


def _today() -> dt.date:
    return timezone.localdate()


def build_orgs(ctx, n):
    for org in branches(ctx["tree"]["community"], n, members=2, prefix=f"列表支部{next(_seq)}-"):
        MemberFactory(org=org)


def build_dues(ctx, n):
    for _ in range(n):
        make_due(MemberFactory(org=ctx["tree"]["branch_a"]), _today().replace(day=1) - dt.timedelta(days=40))


def build_recruitment(ctx, n):
    for _ in range(n):
        recruitment.applicant_create(by=ctx["officer"], data=applicant_data(
            ctx["tree"]["branch_a"], applied_on=_today() - dt.timedelta(days=10), name=f"申请人{next(_seq)}"))


def build_meetings(ctx, n):
    for _ in range(n):
        member = MemberFactory(org=ctx["tree"]["branch_a"])
        k = next(_seq)
        held(ctx["tree"]["branch_a"], _today() - dt.timedelta(days=k % 60 + 1), [member])
        # Every other one appraised 不合格, half of those with a decision; one lapsed member (seven months away).
        outcome = Outcome.UNQUALIFIED if k % 2 else Outcome.QUALIFIED
        a = Appraisal.objects.create(org=member.org, member=member, year=_today().year - 1, outcome=outcome,
                                     reason="x" if k % 2 else "")
        if k % 4 == 1:
            FollowUp.objects.create(appraisal=a, measure="correct", decided_on=_today() - dt.timedelta(days=30),
                                    deadline=_today() + dt.timedelta(days=160))
        away = MemberFactory(org=ctx["tree"]["branch_a"])
        held(ctx["tree"]["branch_a"], _today() - dt.timedelta(days=220 + k % 30), [away])


def build_committees(ctx, n):
    for org in branches(ctx["tree"]["community"], n, members=2, prefix=f"届次支部{next(_seq)}-"):
        start = _today() - dt.timedelta(days=400)
        Term.objects.create(org=org, start=start, end=start.replace(year=start.year + 3), elected_on=start,
                            method="direct", eligible_voters=2, voters_present=2)


def build_grids(ctx, n):
    for _ in range(n):
        i = next(_seq)
        grid = Grid.objects.create(org=ctx["tree"]["community"], name=f"网格{i}", code=f"L{i:04d}", keywords=f"楼{i}")
        Household.objects.create(grid=grid, address=f"楼{i}号101", head_name="王秀英", size=2)


def build_appeals(ctx, n):
    for _ in range(n):
        submit(ctx["tree"]["community"], address=f"和平里{next(_seq)}号楼")


def build_departments(ctx, n):
    from dangjian.departments.models import Department
    from dangjian.departments.services import summons_create

    for _ in range(n):
        i = next(_seq)
        department = Department.objects.create(org=ctx["tree"]["street"], code=f"D{i:03d}", name=f"职能部门{i}")
        appeal = submit(ctx["tree"]["community"], address=f"和平里{i}号楼")
        summons_create(by=ctx["officer"], appeal=appeal, department=department, request="请到场处置",
                       due_at=timezone.now() + dt.timedelta(days=2))


def build_projects(ctx, n):
    for _ in range(n):
        Project.objects.create(org=ctx["tree"]["branch_a"], title=f"项目{next(_seq)}", aim="目标",
                               starts_on=_today(), ends_on=_today() + dt.timedelta(days=90), budget=Decimal("1000"))


def build_duty(ctx, n):
    for _ in range(n):
        DutyList.objects.create(org=ctx["tree"]["branch_a"], year=_today().year, title=f"责任清单{next(_seq)}")
        DutyTemplate.objects.create(org=ctx["tree"]["community"], year=_today().year, title=f"责任模板{next(_seq)}",
                                    org_kind="branch")


def build_surveys(ctx, n):
    for _ in range(n):
        q = Questionnaire.objects.create(org=ctx["tree"]["street"], title=f"测评表{next(_seq)}")
        Round.objects.create(questionnaire=q, org=ctx["tree"]["branch_a"], title="民主测评",
                             opens_at=at(_today()), closes_at=at(_today() + dt.timedelta(days=7)))


def build_assessment(ctx, n):
    for org in branches(ctx["tree"]["community"], n, members=1, prefix=f"考核支部{next(_seq)}-"):
        scheme = Scheme.objects.create(org=ctx["tree"]["street"], title=f"考核方案{next(_seq)}", year=_today().year,
                                       starts_on=_today().replace(month=1, day=1),
                                       ends_on=_today().replace(month=12, day=31), org_kind="branch")
        Assessment.objects.create(scheme=scheme, org=org)


def build_resources(ctx, n):
    org = ctx["tree"]["branch_a"]
    for _ in range(n):
        i = next(_seq)
        partner = PartnerUnit.objects.create(org=ctx["tree"]["community"], name=f"共建单位{i}")
        resource = Resource.objects.create(org=org, partner=partner, title=f"活动室{i}", category="venue")
        Need.objects.create(org=org, title=f"需求{i}", category="venue")
        Booking.objects.create(resource=resource, org=org, starts_at=at(_today(), 9), ends_at=at(_today(), 10),
                               purpose="党课")


def build_volunteering(ctx, n):
    for _ in range(n):
        activity = Activity.objects.create(org=ctx["tree"]["branch_a"], title=f"志愿活动{next(_seq)}",
                                           starts_at=at(_today() + dt.timedelta(days=3)),
                                           ends_at=at(_today() + dt.timedelta(days=3), 17))
        SignUp.objects.create(activity=activity, member=MemberFactory(org=ctx["tree"]["branch_a"]))


def build_learning(ctx, n):
    org = ctx["tree"]["branch_a"]
    for _ in range(n):
        i = next(_seq)
        Case.objects.create(org=org, title=f"案例{i}", practice="做法")
        plan = StudyPlan.objects.create(org=org, title=f"学习计划{i}", starts_on=_today(), ends_on=_today())
        material = Material.objects.create(org=org, plan=plan, title=f"学习材料{i}", body="全文")
        StudyRecord.objects.create(member=MemberFactory(org=org), org=org, material=material, mode="online",
                                   studied_on=_today(), minutes=30)
        Source.objects.create(title=f"讲话{i}", body="全文", registered_by=ctx["officer"])


def build_evaluation(ctx, n):
    for _ in range(n):
        year = 2000 + next(_seq)
        period = Period.objects.create(kind="year", start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
        Alert.objects.create(period=period, org=ctx["tree"]["branch_a"], rule="meetings", severity="warn",
                             detail=f"预警{year}")


def build_audit(ctx, n):
    for _ in range(n):
        audit_record(actor=ctx["officer"], action=Action.UPDATE, org=ctx["tree"]["branch_a"],
                     target_repr=f"记录{next(_seq)}", changes={"x": [1, 2]})


def build_operations(ctx, n):
    from dangjian.operations.models import Job

    for _ in range(n):
        Job.objects.create(kind="roster_export", created_by=ctx["officer"], params={}, state=Job.State.SUCCEEDED)


def build_funds(ctx, n):
    from decimal import Decimal

    from dangjian.funds.models import Spending

    for _ in range(n):
        Spending.objects.create(org=ctx["tree"]["branch_a"], spent_on=_today(), amount=Decimal("120.50"),
                                purpose=f"主题党日活动{next(_seq)}", source="dues", recorded_by=ctx["officer"])


CASES = {
    "orgs": (build_orgs, ["/orgs/members/", "/api/members/", "/api/orgs/"]),
    "dues": (build_dues, ["/dues/", "/dues/arrears/", "/dues/bases/", "/dues/summary/", "/api/dues/ledger", "/api/dues/arrears"]),
    "recruitment": (build_recruitment, ["/recruitment/", "/api/recruitment/applicants"]),
    "meetings": (build_meetings, ["/meetings/", "/meetings/appraisals/", "/api/meetings", "/api/meetings/appraisals",
                                  "/meetings/appraisals/unqualified/", "/meetings/lapsed/", "/api/meetings/unqualified",
                                  "/api/meetings/lapsed"]),
    "committees": (build_committees, ["/committees/", "/api/committees/orgs", "/api/committees/terms"]),
    "grids": (build_grids, ["/grids/", "/api/grids/"]),
    "appeals": (build_appeals, ["/appeals/", "/api/appeals/"]),
    "departments": (build_departments, ["/departments/", "/departments/summonses/", "/departments/metrics/",
                                        "/api/departments/", "/api/departments/summonses",
                                        f"/api/departments/metrics?start={dt.date.today().replace(day=1)}&end={dt.date.today()}"]),
    "projects": (build_projects, ["/projects/", "/api/projects"]),
    "duty": (build_duty, ["/duty/", "/duty/templates/", "/api/duty"]),
    "surveys": (build_surveys, ["/surveys/", "/api/surveys/rounds"]),
    "assessment": (build_assessment, ["/assessment/", "/api/assessment/schemes", "/api/assessment/assessments"]),
    "resources": (build_resources, ["/resources/", "/resources/needs/", "/resources/partners/", "/resources/bookings/",
                                    "/api/resources/", "/api/resources/needs", "/api/resources/partners",
                                    "/api/resources/bookings"]),
    "volunteering": (build_volunteering, ["/volunteering/", "/api/volunteering/activities"]),
    "learning": (build_learning, ["/learning/", "/learning/plans/", "/learning/materials/", "/learning/records/",
                                  "/learning/sources/", "/api/learning/cases"]),
    "evaluation": (build_evaluation, ["/evaluation/", "/evaluation/warnings/", "/api/evaluation/periods"]),
    "audit": (build_audit, ["/audit/"]),
    "operations": (build_operations, ["/operations/jobs/"]),
    "funds": (build_funds, ["/funds/", "/api/funds/spendings"]),
}


def _counts(client, urls) -> dict[str, int]:
    out = {}
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        out[url] = len(ctx.captured_queries)
    return out


@pytest.mark.parametrize("app", sorted(CASES))
def test_list_queries_do_not_grow_with_records(app, tree, officer):
    build, urls = CASES[app]
    ctx = {"tree": tree, "officer": officer}
    client = client_for(officer)
    build(ctx, N)
    _counts(client, urls)  # warm: rows created on first read, session
    at_n = _counts(client, urls)
    build(ctx, N)
    at_2n = _counts(client, urls)
    assert at_2n == at_n


def test_the_cases_cover_every_feature_app():
    from django.apps import apps

    listed = {"orgs", "audit", *CASES}
    without_lists = {"core", "accounts", "api", "analytics", "imports", "dashboards"}  # dashboards: tests/dashboards
    apps_ = {c.label for c in apps.get_app_configs() if c.name.startswith("dangjian.")}
    assert apps_ - without_lists <= listed, apps_ - without_lists - listed
