"""One scoping selector for every role: what each role reaches, through the pages and the API.

The grid worker holds a grant on the community (和平社区) and is posted to
grid1 only: they reach grid1's households and appeals, and nothing of the
roster, dues, recruitment, meetings (attendance) or appraisals of the
community's branches, nor grid2. The reviewer and the auditor read the
community's work but record none of it; a plain member reaches only their
own records. (The route-by-persona table is tests/test_permissions*.py.)
"""

import datetime as dt

import pytest
from django.utils import timezone

from dangjian.accounts.roles import EDIT_WORK, VIEW_WORK, Role
from dangjian.appeals.selectors import appeals_for
from dangjian.core.scoping import has_capability, org_in_scope, scope_q, visible_orgs
from dangjian.grids.models import Grid
from dangjian.meetings.models import Appraisal, Outcome
from dangjian.recruitment import services as recruitment
from tests.appeals.helpers import submit
from tests.conftest import client_for
from tests.dues.conftest import make_due
from tests.factories import UserFactory, grant
from tests.grids.fixtures import *  # noqa: F401,F403
from tests.meetings.conftest import held_meeting
from tests.recruitment.conftest import applicant_data


def _user_on(org, role, name):
    user = UserFactory(username=name)
    grant(user, org, role)
    return user


@pytest.fixture
def reviewer(tree):
    return _user_on(tree["community"], Role.REVIEWER, "reviewer")


@pytest.fixture
def auditor(tree):
    return _user_on(tree["community"], Role.AUDITOR, "auditor")


@pytest.fixture
def records(tree, secretary_a, member_a, grid1, grid2, house1, house2):
    """One record of each kind in branch A and in each grid of the community."""
    today = timezone.localdate()
    meeting = held_meeting(tree["branch_a"], today - dt.timedelta(days=3), present=[member_a])
    applicant = recruitment.applicant_create(by=secretary_a, data=applicant_data(tree["branch_a"], applied_on=today))
    return {
        "due": make_due(member_a, today.replace(day=1)),
        "meeting": meeting,
        "appraisal": Appraisal.objects.create(org=tree["branch_a"], member=member_a, year=today.year - 1,
                                              outcome=Outcome.QUALIFIED),
        "applicant": applicant,
        "appeal1": submit(tree["community"], address="和平里3号楼"),
        "appeal2": submit(tree["community"], address="幸福苑5栋"),
    }


def _status(client, url):
    return client.get(url).status_code


def test_a_grid_workers_grant_covers_no_subtree_only_their_grids(grid_worker, tree, grid1, grid2):
    assert not org_in_scope(grid_worker, VIEW_WORK, tree["branch_a"])
    assert not org_in_scope(grid_worker, EDIT_WORK, tree["community"])
    assert not visible_orgs(grid_worker, VIEW_WORK).exists()
    assert not has_capability(grid_worker, VIEW_WORK)
    assert has_capability(grid_worker, VIEW_WORK, through=("grid",))
    reach = scope_q(grid_worker, VIEW_WORK, path_field="org__path", through={"grid": "pk"})
    assert list(Grid.objects.filter(reach)) == [grid1]
    assert not Grid.objects.filter(scope_q(grid_worker, VIEW_WORK, path_field="org__path")).exists()


def test_grid_worker_reaches_their_grid_households_and_appeals(as_grid_worker, grid_worker, records, grid1, grid2,
                                                              house1, house2):
    assert _status(as_grid_worker, f"/grids/{grid1.pk}/") == 200
    assert _status(as_grid_worker, f"/grids/households/{house1.pk}/") == 200
    assert _status(as_grid_worker, f"/grids/{grid2.pk}/") == 404
    assert _status(as_grid_worker, f"/grids/households/{house2.pk}/") == 404
    assert list(appeals_for(grid_worker)) == [records["appeal1"]]
    assert _status(as_grid_worker, f"/appeals/case/{records['appeal1'].pk}/") == 200
    assert _status(as_grid_worker, f"/appeals/case/{records['appeal2'].pk}/") == 404
    page = as_grid_worker.get("/grids/").content.decode()
    assert grid1.name in page and grid2.name not in page


@pytest.mark.parametrize("url", [
    "/dues/", "/dues/arrears/", "/dues/bases/", "/recruitment/", "/meetings/", "/meetings/appraisals/",
    "/meetings/life/", "/orgs/members/", "/committees/", "/api/dues/ledger", "/api/recruitment/applicants",
])
def test_grid_worker_reaches_no_list_of_the_branches_work(as_grid_worker, records, url):
    assert _status(as_grid_worker, url) == 404


def test_grid_worker_reaches_no_record_of_the_branches_work(as_grid_worker, records, member_a):
    for url in (
        f"/dues/due/{records['due'].pk}/", f"/dues/due/{records['due'].pk}/pay/",
        f"/meetings/{records['meeting'].pk}/", f"/meetings/members/{member_a.pk}/",
        f"/recruitment/{records['applicant'].pk}/", f"/orgs/members/{member_a.pk}/",
        f"/api/dues/ledger?org={member_a.org_id}",
    ):
        assert _status(as_grid_worker, url) == 404, url


def test_reviewer_and_auditor_read_the_work_but_record_none(reviewer, auditor, records, tree):
    for user in (reviewer, auditor):
        client = client_for(user)
        for url in ("/dues/", "/recruitment/", "/meetings/", f"/meetings/{records['meeting'].pk}/",
                    f"/recruitment/{records['applicant'].pk}/", "/grids/", "/api/dues/ledger"):
            assert _status(client, url) == 200, (user.username, url)
        for url in (f"/dues/due/{records['due'].pk}/pay/", "/meetings/new/", "/recruitment/new/", "/grids/plans/"):
            assert _status(client, url) in (404, 200), url
        assert _status(client, f"/dues/due/{records['due'].pk}/pay/") == 404
        assert _status(client, "/recruitment/new/") == 404
    assert _status(client_for(auditor), "/audit/") == 200
    assert _status(client_for(reviewer), "/audit/") == 404


def test_member_reaches_only_their_own(as_member, records, member_a):
    assert _status(as_member, "/dues/mine/") == 200
    for url in ("/dues/", "/grids/", "/meetings/", "/recruitment/", "/orgs/members/",
                f"/dues/due/{records['due'].pk}/", f"/meetings/{records['meeting'].pk}/",
                f"/appeals/case/{records['appeal1'].pk}/", "/api/dues/ledger"):
        assert _status(as_member, url) == 404, url


def test_secretaries_reach_their_own_branch_only(as_secretary_a, as_secretary_b, records, member_a):
    mine = [f"/dues/due/{records['due'].pk}/", f"/meetings/{records['meeting'].pk}/",
            f"/recruitment/{records['applicant'].pk}/", f"/orgs/members/{member_a.pk}/"]
    for url in mine:
        assert _status(as_secretary_a, url) == 200, url
        assert _status(as_secretary_b, url) == 404, url
    # The community's grids and appeals belong to the community, not to a branch.
    assert _status(as_secretary_b, f"/appeals/case/{records['appeal1'].pk}/") == 404


def test_an_org_outside_the_write_scope_is_missing_not_a_bad_request(reviewer, tree):
    """The API resolves the org with the capability the write needs: 404, like every app, not the service's 400."""
    client = client_for(reviewer)  # reads the community's work, records none of it
    need = {"org_id": tree["community"].pk, "title": "需要场地", "category": "skill"}
    assert client.post("/api/resources/needs", need, content_type="application/json").status_code == 404
    case = {"org_id": tree["community"].pk, "title": "案例", "practice": "做法"}
    assert client.post("/api/learning/cases", case, content_type="application/json").status_code == 404
