"""The reviewer and the auditor, through pages and the API (issue 21).

Reviewer (评审): sees the roster and the work of the street's subtree, and scores the
assessments that wait for them (submitted ones); writes nothing else.
Auditor (审计): sees the roster, the work and the audit log of the street's subtree,
and reports; writes nothing at all.
Every refused write leaves the database as it was (tests/dbstate.unchanged).
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from dangjian.accounts.roles import Role
from dangjian.assessment import services as assessment_services
from dangjian.assessment.models import Assessment, ItemScore, State
from dangjian.assessment.todo import todo_items as assessment_todo
from dangjian.audit.models import AuditEntry
from dangjian.audit.services import Action, audit_record
from tests.api.conftest import api_for
from tests.assessment.conftest import scheme  # noqa: F401 (a fixture: the street's scheme with two items)
from tests.conftest import client_for
from tests.dbstate import unchanged
from tests.factories import MemberFactory, UserFactory, grant, make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(tree):
    user = UserFactory(username="reviewer", display_name="街道评审")
    grant(user, tree["street"], Role.REVIEWER)
    return user


@pytest.fixture
def auditor(tree):
    user = UserFactory(username="auditor", display_name="街道审计")
    grant(user, tree["street"], Role.AUDITOR)
    return user


@pytest.fixture
def other_street_reviewer():
    street = make_org(name="另一街道党工委", kind="street", code="S002")
    user = UserFactory(username="reviewer2")
    grant(user, street, Role.REVIEWER)
    return user


@pytest.fixture
def assessments(scheme, officer, secretary_a, tree):  # noqa: F811
    """Branch A has submitted its self-report (it waits for scoring); branch B has not yet."""
    assessment_services.scheme_start(by=officer, scheme=scheme)
    a = Assessment.objects.get(scheme=scheme, org=tree["branch_a"])
    assessment_services.assessment_submit(by=secretary_a, assessment=a, self_report="全年开展主题党日 12 次。")
    b = Assessment.objects.get(scheme=scheme, org=tree["branch_b"])
    a.refresh_from_db()
    assert (a.state, b.state) == (State.SUBMITTED, State.PENDING)
    return a, b


def _score(client, assessment, item, points="45"):
    return client.post(reverse("assessment:detail", args=[assessment.pk]),
                       {"action": "score", f"score_{item.pk}": points, f"reason_{item.pk}": "组织生活记录完整"})


# --- the reviewer -------------------------------------------------------------------


def test_the_reviewers_todo_lists_what_waits_for_them_and_nothing_to_report(reviewer, assessments):
    a, b = assessments
    items = assessment_todo(reviewer)
    # Only branch A's submitted assessment; branch B's is still the branch's to report, not theirs.
    assert [i.url for i in items] == [reverse("assessment:detail", args=[a.pk])]


def test_the_reviewer_scores_a_submitted_assessment_and_the_score_is_audited(reviewer, assessments, scheme):  # noqa: F811
    a, _b = assessments
    item = scheme.items.first()
    client = client_for(reviewer)
    audited = AuditEntry.objects.filter(actor=reviewer).count()
    response = _score(client, a, item)
    assert response.status_code == 302
    row = ItemScore.objects.get(assessment=a, item=item)
    assert (row.score, row.by_id) == (Decimal("45"), reviewer.pk)
    assert AuditEntry.objects.filter(actor=reviewer).count() == audited + 1


def test_the_reviewer_cannot_score_what_is_not_submitted_yet(reviewer, assessments, scheme):  # noqa: F811
    _a, b = assessments
    client = client_for(reviewer)
    with unchanged(b):
        response = _score(client, b, scheme.items.first())
    assert response.status_code in (200, 404)  # the service's refusal on the page, or not found
    assert not ItemScore.objects.filter(assessment=b).exists()


def test_the_reviewer_of_another_street_gets_404_and_writes_nothing(other_street_reviewer, assessments, scheme):  # noqa: F811
    a, _b = assessments
    client = client_for(other_street_reviewer)
    assert client.get(reverse("assessment:detail", args=[a.pk])).status_code == 404
    with unchanged(a):
        assert _score(client, a, scheme.items.first()).status_code == 404
    assert assessment_todo(other_street_reviewer) == []


def test_the_reviewer_writes_nothing_but_scores(reviewer, assessments, tree):
    a, b = assessments
    member = MemberFactory(org=tree["branch_a"], name="张三")
    client = client_for(reviewer)
    # Reads: the member and the assessment pages.
    assert client.get(reverse("orgs:member_detail", args=[member.pk])).status_code == 200
    assert client.get(reverse("assessment:detail", args=[a.pk])).status_code == 200
    with unchanged(member, a, b):
        assert client.post(reverse("orgs:member_edit", args=[member.pk]), {"name": "李四"}).status_code == 404
        assert client.post(reverse("orgs:member_create"), {"name": "王五", "org": tree["branch_a"].pk}).status_code == 404
        # A branch's self-report is the branch's to write.
        client.post(reverse("assessment:detail", args=[b.pk]), {"action": "report", "self_report": "代写"})
        assert _api_rename(reviewer, member) in (403, 404)
    assert client.get(reverse("audit:list")).status_code == 404


def _api_rename(user, member) -> int:
    """PATCH a member through the API (the token is made before, outside the caller's unchanged())."""
    return _api_clients[user.pk].patch(f"/api/members/{member.pk}", {"name": "李四"}).status_code


_api_clients: dict = {}


@pytest.fixture(autouse=True)
def _tokens(request):
    """API clients for the reviewer and auditor, made before any unchanged() block (a token is a row)."""
    _api_clients.clear()
    for name in ("reviewer", "auditor"):
        if name in request.fixturenames:
            user = request.getfixturevalue(name)
            _api_clients[user.pk] = api_for(user)
    yield
    _api_clients.clear()


# --- the auditor --------------------------------------------------------------------


def test_the_auditor_reads_the_audit_log_of_the_subtree_only(auditor, tree):
    audit_record(actor="系统", action=Action.UPDATE, org=tree["branch_a"], target_repr="一支部的记录")
    elsewhere = make_org(name="另一街道党工委", kind="street", code="S002")
    audit_record(actor="系统", action=Action.UPDATE, org=elsewhere, target_repr="另一街道的记录")
    audit_record(actor="系统", action=Action.LOGIN, target_repr="无组织的登录记录")
    page = client_for(auditor).get(reverse("audit:list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "一支部的记录" in body
    assert "另一街道的记录" not in body
    # Entries without an org (sign-ins, tokens) are for a whole-tree auditor only.
    assert "无组织的登录记录" not in body


def test_the_auditor_writes_nothing_through_pages_or_the_api(auditor, assessments, scheme, tree):  # noqa: F811
    a, b = assessments
    member = MemberFactory(org=tree["branch_a"], name="张三")
    client = client_for(auditor)
    assert client.get(reverse("orgs:member_detail", args=[member.pk])).status_code == 200
    listed = _api_clients[auditor.pk].get("/api/members/", {"org": tree["branch_a"].pk})
    assert listed.status_code == 200
    # Identifiers stay masked: the auditor holds no reveal right.
    assert member.id_number not in listed.content.decode()
    with unchanged(member, a, b):
        # Scoring is the reviewer's: the auditor is told so on the page (or not found), nothing is scored.
        assert _score(client, a, scheme.items.first()).status_code in (200, 404)
        assert client.post(reverse("orgs:member_edit", args=[member.pk]), {"name": "李四"}).status_code == 404
        assert client.post(reverse("orgs:member_create"), {"name": "王五", "org": tree["branch_a"].pk}).status_code == 404
        assert _api_rename(auditor, member) in (403, 404)
        assert _api_clients[auditor.pk].post(f"/api/members/{member.pk}/reveal", {"field": "id_number"}).status_code \
            in (403, 404)
        assert client.post(reverse("audit:list"), {"q": "x"}).status_code in (404, 405, 200)
    assert not ItemScore.objects.filter(assessment=a).exists()


def test_the_auditor_reports_on_the_subtree(auditor, tree):
    """Reading is the auditor's work: the member list and its pages answer; another street's 404."""
    elsewhere = make_org(name="另一街道党工委", kind="street", code="S002")
    branch = make_org(parent=elsewhere, name="另一支部", kind="branch", code="B009")
    theirs = MemberFactory(org=branch)
    ours = MemberFactory(org=tree["branch_b"])
    client = client_for(auditor)
    assert client.get(reverse("orgs:member_detail", args=[ours.pk])).status_code == 200
    assert client.get(reverse("orgs:member_detail", args=[theirs.pk])).status_code == 404
    assert _api_clients[auditor.pk].get(f"/api/members/{theirs.pk}").status_code == 404
