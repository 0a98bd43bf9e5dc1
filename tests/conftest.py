"""Personas (healthchecks-style): every view test tries the outsider.

Tree:   street 示范街道党工委
          └ community 和平社区党委
              ├ branch_a 和平社区第一党支部
              └ branch_b 和平社区第二党支部
Users:  officer (street organisation officer), secretary_a, secretary_b (outsider
        to A), member_user (a plain member of A), and the anonymous client.
"""

import pytest
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from dangjian.accounts.roles import Role
from tests.factories import MemberFactory, UserFactory, grant, make_org

# Property tests judge results, not speed: a busy CI machine must not fail them
# for a slow example (speed is measured under bench/, never in tests).
hypothesis_settings.register_profile("dangjian", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("dangjian")

pytest_plugins = ["tests.browser.fixtures"]


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tree(db):
    street = make_org(name="示范街道党工委", kind="street", code="S001")
    community = make_org(parent=street, name="和平社区党委", kind="community", code="C001")
    branch_a = make_org(parent=community, name="和平社区第一党支部", kind="branch", code="B001")
    branch_b = make_org(parent=community, name="和平社区第二党支部", kind="branch", code="B002")
    for org in (street, community, branch_a, branch_b):
        org.refresh_from_db()
    return {"street": street, "community": community, "branch_a": branch_a, "branch_b": branch_b}


@pytest.fixture
def officer(tree):
    user = UserFactory(username="officer", display_name="街道组织委员")
    grant(user, tree["street"], Role.ORG_OFFICER)
    return user


@pytest.fixture
def secretary_a(tree):
    user = UserFactory(username="sec_a", display_name="一支部书记")
    grant(user, tree["branch_a"], Role.SECRETARY)
    return user


@pytest.fixture
def secretary_b(tree):
    user = UserFactory(username="sec_b", display_name="二支部书记")
    grant(user, tree["branch_b"], Role.SECRETARY)
    return user


@pytest.fixture
def member_a(tree):
    return MemberFactory(org=tree["branch_a"], name="张建国")


@pytest.fixture
def member_b(tree):
    return MemberFactory(org=tree["branch_b"], name="李红梅", gender="F")


@pytest.fixture
def member_user(tree, member_a):
    user = UserFactory(username="member", display_name="张建国", member=member_a)
    grant(user, tree["branch_a"], Role.MEMBER)
    return user


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def as_officer(officer):
    return client_for(officer)


@pytest.fixture
def as_secretary_a(secretary_a):
    return client_for(secretary_a)


@pytest.fixture
def as_secretary_b(secretary_b):
    return client_for(secretary_b)


@pytest.fixture
def as_member(member_user):
    return client_for(member_user)


@pytest.fixture
def as_anonymous():
    return Client()


@pytest.fixture(autouse=True)
def _audit_checkpoint_dir(settings, tmp_path):
    # The audit chain's checkpoint file belongs to one database: each test its own.
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit"


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """force_login stands for a complete sign-in: for a superuser (who must use two-factor
    sign-in) that includes the second factor. Tests of the enforcement sign in through the pages."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if user.is_superuser:
            device, _created = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)
