"""The demo_org command: a valid tree, valid members, personas, idempotence, determinism."""

import datetime as dt
import re
from collections import Counter

import pytest
from django.core.management.base import CommandError

from dangjian.accounts.models import RoleGrant, User
from dangjian.accounts.roles import Role
from dangjian.audit.models import Action, AuditEntry
from dangjian.audit.services import audit_verify
from dangjian.core.dates import add_years
from dangjian.orgs.demo_data.personas import PERSONAS
from dangjian.orgs.demo_data.plan import TERM_YEARS
from dangjian.orgs.idnumber import parse_id_number
from dangjian.orgs.models import Member, Org, OrgKind, StatusChange, Tag
from dangjian.orgs.rules import member_consistency_errors
from tests import regulations as reg
from tests.demo.conftest import TODAY, run_demo

pytestmark = pytest.mark.django_db


def test_tree_is_a_valid_treebeard_tree(small_demo):
    assert Org.objects.find_problems() == ([], [], [], [], [])
    orgs = list(Org.objects.order_by("path"))
    children = Counter(o.path[:-4] for o in orgs if o.depth > 1)
    for org in orgs:
        assert org.depth == len(org.path) // 4
        assert org.numchild == children.get(org.path, 0), org.name
        assert re.fullmatch(r"([0-9A-Z]{4})+", org.path)
    # Treebeard's own API keeps working on the bulk-built tree.
    root = Org.objects.get_root_nodes().get()
    assert root.kind == OrgKind.STREET_COMMITTEE
    new = Org.objects.add_child(root, {"name": "新建党支部", "code": "NEW1", "kind": OrgKind.BRANCH})
    assert new.path.startswith(root.path) and new.depth == 2
    assert Org.objects.find_problems() == ([], [], [], [], [])


def test_default_size_matches_the_brief(db):
    run_demo("--seed", "42", "--today", TODAY.isoformat(), "--no-features")
    street = Org.objects.get(depth=1)
    committees = Org.objects.get_children(street)
    assert street.kind == OrgKind.STREET_COMMITTEE and street.name.endswith("街道党工委")
    assert committees.count() == 10
    assert {c.kind for c in committees} >= {
        OrgKind.COMMUNITY_COMMITTEE, OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GENERAL_BRANCH
    }
    below = Org.objects.filter(depth__gt=2)
    assert 70 <= below.count() <= 110
    assert {o.kind for o in below} >= {OrgKind.BRANCH, OrgKind.JOINT_BRANCH, OrgKind.GROUP, OrgKind.GENERAL_BRANCH}
    assert Member.objects.count() == 3000
    # Every member sits in a leaf: a branch that has groups holds its members in them.
    assert not Member.objects.filter(org__numchild__gt=0).exists()


def test_every_member_satisfies_the_roster_rules(small_demo):
    members = list(Member.objects.all())
    assert len(members) == 300
    for m in members:
        errors = member_consistency_errors(
            id_number=m.id_number, birth_date=m.birth_date, gender=m.gender, joined_on=m.joined_on,
            full_member_on=m.full_member_on, category=m.category, today=TODAY,
        )
        assert errors == {}, (m.name, errors)
        parsed = parse_id_number(m.id_number)
        assert (parsed.birth_date, parsed.gender) == (m.birth_date, m.gender)
        assert add_years(m.birth_date, 18) <= m.joined_on <= TODAY
        if m.category == "full":
            assert m.full_member_on == add_years(m.joined_on, 1) <= TODAY
        else:
            assert m.full_member_on is None and (TODAY - m.joined_on).days <= 366
        assert m.phone == "" or re.fullmatch(r"1[3-9]\d{9}", m.phone)
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,4}", m.name)
    assert len({m.id_number for m in members}) == len(members)
    assert Member.objects.values("id_number_index").distinct().count() == len(members)


def test_members_look_like_a_real_roster(db):
    run_demo("--scale", "3000", "--seed", "3", "--today", TODAY.isoformat(), "--no-features")
    members = list(Member.objects.prefetch_related("tags").select_related("org"))
    ages = [(TODAY - m.birth_date).days / 365.25 for m in members]
    assert min(ages) >= 18 and max(ages) < 100
    assert sum(a >= 60 for a in ages) / len(ages) > 0.3  # communities hold many elderly members
    # About 70/30 men to women, as the national roll.
    male = sum(m.gender == "M" for m in members) / len(members)
    assert 0.65 <= male <= 0.75, male
    statuses = Counter(m.status for m in members)
    assert statuses["active"] / len(members) > 0.95 and statuses["lost_contact"] > 0
    assert Counter(m.category for m in members)["probationary"] > 0
    assert {m.employment for m in members} >= {"employed", "retired", "student"}
    tags = {(m.pk, t.name) for m in members for t in m.tags.all()}
    assert {t for _, t in tags} == {"老党员", "流动党员", "困难党员", "退役军人"}
    for m in members:  # 老党员: fifty years of membership, exactly
        assert ((m.pk, "老党员") in tags) == (add_years(m.joined_on, 50) <= TODAY), m.name
    # Enterprises are younger than community retirement branches.
    def mean_age(profile_word):
        sel = [a for a, m in zip(ages, members, strict=True) if profile_word in m.org.name]
        return sum(sel) / len(sel)
    assert mean_age("研发") + 15 < mean_age("离退休")
    # Lost contact is recorded in the status history.
    assert StatusChange.objects.filter(to_status="lost_contact").count() == statuses["lost_contact"]


def regulation_term_years(org: Org) -> int | None:
    """tests.regulations.TERM_YEARS (2018 中办 opinion): a community's branches and general branches serve five years."""
    if org.kind not in TERM_YEARS:
        return None
    under_community = Org.objects.filter(kind=OrgKind.COMMUNITY_COMMITTEE, path__in=[
        org.path[:i] for i in range(4, len(org.path), 4)]).exists()
    key = {OrgKind.BRANCH: "branch", OrgKind.JOINT_BRANCH: "branch", OrgKind.GENERAL_BRANCH: "general_branch"}.get(org.kind)
    if key is None:
        return TERM_YEARS[org.kind]
    return reg.TERM_YEARS[f"community_{key}" if under_community else key]


def test_terms_secretaries_and_codes(small_demo):
    orgs = list(Org.objects.select_related("secretary__org"))
    for org in orgs:
        years = regulation_term_years(org)
        if years:
            assert org.term_end == add_years(org.term_start, years), org.name
            assert org.founded_on <= org.term_start
        else:
            assert org.term_start is None and org.term_end is None
        if org.secretary:
            assert org.secretary.org.path.startswith(org.path), org.name
    overdue = [o for o in orgs if o.term_end and o.term_end < TODAY]
    assert len(overdue) == 1 and overdue[0].kind in (OrgKind.BRANCH, OrgKind.JOINT_BRANCH)
    due_soon = [o for o in orgs if o.term_end and 0 <= (o.term_end - TODAY).days <= 90]
    assert len(due_soon) >= 3
    secretaries = [o.secretary_id for o in orgs if o.secretary_id]
    assert len(secretaries) == len(set(secretaries))  # nobody holds two posts
    leaves = [o for o in orgs if o.numchild == 0]
    assert all(o.secretary_id for o in leaves)
    assert len({o.code for o in orgs}) == len(orgs)


def test_personas_have_their_grants_and_can_sign_in(small_demo, client):
    users = {u.username: u for u in User.objects.select_related("member__org")}
    assert set(users) == {p.username for p in PERSONAS}
    grants = {g.user.username: g for g in RoleGrant.objects.select_related("user", "org")}
    assert users["admin"].is_superuser and "admin" not in grants
    expected = {
        "officer": (Role.ORG_OFFICER, OrgKind.STREET_COMMITTEE),
        "community": (Role.SECRETARY, OrgKind.COMMUNITY_COMMITTEE),
        "branch_a": (Role.SECRETARY, OrgKind.BRANCH),
        "branch_b": (Role.SECRETARY, OrgKind.BRANCH),
        "grid": (Role.GRID_WORKER, OrgKind.COMMUNITY_COMMITTEE),
        "auditor": (Role.AUDITOR, OrgKind.STREET_COMMITTEE),
        "reviewer": (Role.REVIEWER, OrgKind.STREET_COMMITTEE),
        "member": (Role.MEMBER, OrgKind.BRANCH),
    }
    for username, (role, kind) in expected.items():
        assert (grants[username].role, grants[username].org.kind) == (role, kind), username
    community, a, b = (grants[n].org for n in ("community", "branch_a", "branch_b"))
    assert a != b and Org.objects.get_parent(a) == community == Org.objects.get_parent(b)
    assert grants["grid"].org == community and grants["member"].org == a
    # Secretaries are the roster's secretaries; the member is a plain member of branch A.
    for username in ("community", "branch_a", "branch_b"):
        assert users[username].member == grants[username].org.secretary
    plain = users["member"].member
    assert plain.org.path.startswith(a.path) and not Org.objects.filter(secretary=plain).exists()

    for persona in PERSONAS:
        client.logout()
        response = client.post("/accounts/login/", {"username": persona.username, "password": persona.password})
        assert response.status_code == 302, persona.username
        assert client.session.get("_auth_user_id") == str(users[persona.username].pk)
    assert "Demo-2026!officer" in small_demo and "branch_a" in small_demo


def test_one_audit_entry_for_the_whole_load(small_demo):
    entries = list(AuditEntry.objects.all())
    assert len(entries) == 1
    entry = entries[0]
    assert entry.action == Action.IMPORT and entry.target_repr == "demo organisation"
    assert entry.changes["members"] == [0, 300] and entry.actor.username == "admin"
    assert audit_verify().ok


def test_if_empty_reuses_what_exists(small_demo):
    counts = (Org.objects.count(), Member.objects.count(), User.objects.count(), AuditEntry.objects.count())
    out = run_demo("--if-empty", "--scale", "300")
    assert counts == (Org.objects.count(), Member.objects.count(), User.objects.count(), AuditEntry.objects.count())
    assert "not loaded again" in out
    for persona in PERSONAS:
        assert re.search(rf"^\s*{persona.username}\s+{re.escape(persona.password)}\s", out, re.M)
    with pytest.raises(CommandError, match="already holds organisations"):
        run_demo("--scale", "300")


def test_if_empty_on_an_installation_without_demo_users_prints_no_passwords(tree):
    out = run_demo("--if-empty")
    assert "No demo logins" in out and "Demo-2026" not in out
    assert not User.objects.filter(username="admin").exists()


def _fingerprint():
    orgs = [
        (o.path, o.code, o.name, o.kind, o.founded_on, o.term_start, o.term_end, o.numchild,
         o.secretary.id_number if o.secretary else None)
        for o in Org.objects.select_related("secretary").order_by("path")
    ]
    members = sorted(
        (m.org.code, m.name, m.gender, m.id_number, m.phone, m.birth_date, m.joined_on, m.full_member_on,
         m.category, m.status, m.employment, m.education, m.job, m.address, tuple(t.name for t in m.tags.all()))
        for m in Member.objects.select_related("org").prefetch_related("tags")
    )
    users = sorted(
        (u.username, u.member.id_number if u.member else None) for u in User.objects.select_related("member")
    )
    return orgs, members, users


def _wipe():
    Member.tags.through.objects.all().delete()
    StatusChange.objects.all().delete()
    User.objects.all().delete()
    Org.objects.update(secretary=None)
    Member.objects.all().delete()
    Org.objects.all().delete()
    Tag.objects.all().delete()


def test_same_seed_same_demo_other_seed_other_demo(small_demo):
    first = _fingerprint()
    _wipe()
    run_demo("--scale", "300", "--seed", "7", "--today", TODAY.isoformat(), "--no-features")
    assert _fingerprint() == first
    _wipe()
    run_demo("--scale", "300", "--seed", "8", "--today", TODAY.isoformat(), "--no-features")
    assert _fingerprint()[1] != first[1]


def test_scale_above_one_street_puts_streets_under_a_district(db):
    run_demo("--scale", "5400", "--seed", "1", "--today", TODAY.isoformat(), "--no-features", "--batch", "700")
    root = Org.objects.get(depth=1)
    assert root.kind == OrgKind.COUNTY_COMMITTEE
    streets = Org.objects.get_children(root)
    assert streets.count() == 3 and {s.kind for s in streets} == {OrgKind.STREET_COMMITTEE}
    assert Member.objects.count() == 5400
    assert Org.objects.find_problems() == ([], [], [], [], [])
    ratio = Member.objects.count() / Org.objects.count()
    assert 15 <= ratio <= 35  # about one organisation per 20-30 members


@pytest.mark.parametrize("scale", ["0", "29", "3000000"])
def test_scale_out_of_range_is_refused(db, scale):
    with pytest.raises(CommandError, match="--scale"):
        run_demo("--scale", scale)
    assert not Org.objects.exists()


def test_records_added_after_the_demo_get_fresh_ids(small_demo):
    """The demo assigns member ids itself; the database's own counters must have moved past them."""
    from dangjian.orgs.services import member_create
    from tests.factories import MemberFactory

    branch = Org.objects.filter(numchild=0).order_by("path").first()
    before = Member.objects.order_by("-pk").first().pk
    member = MemberFactory(org=branch, name="新来的")
    assert member.pk > before
    officer = User.objects.get(username="officer")
    created = member_create(by=officer, data={
        "org": branch, "name": "再来的", "gender": "F", "birth_date": dt.date(1949, 12, 31),
        "id_number": "11010519491231002X", "joined_on": dt.date(1970, 7, 1), "full_member_on": dt.date(1971, 7, 1),
    }, tags=[Tag.objects.get(name="老党员")])
    assert created.pk > member.pk and StatusChange.objects.filter(member=created).exists()


@pytest.mark.django_db
def test_member_share_keeps_the_tree_and_writes_a_share_of_each_organisations_members():
    """The scale benchmarks' province: the organisations of --scale members, fewer members in each."""
    import random

    from django.db.models import Count

    from dangjian.orgs.demo_data.plan import plan_tree

    planned = plan_tree(members=600, rng=random.Random(7), today=TODAY)
    leaves = [n for n in planned.walk() if n.is_leaf]
    run_demo("--scale", "600", "--seed", "7", "--today", TODAY.isoformat(), "--no-features", "--member-share", "0.25")
    assert Org.objects.count() == len(list(planned.walk()))
    expected = sum(max(3, round(n.size * 0.25)) for n in leaves)
    assert Member.objects.count() == expected < 600 * 0.5
    by_org = Member.objects.values("org").annotate(n=Count("id")).values_list("n", flat=True)
    assert min(by_org) >= 3


@pytest.mark.parametrize("share", ["0", "1.5"])
def test_member_share_outside_0_to_1_is_refused(db, share):
    with pytest.raises(CommandError):
        run_demo("--scale", "300", "--no-features", "--member-share", share)
