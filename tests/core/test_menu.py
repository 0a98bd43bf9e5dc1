"""The main menu per role: every link a persona is shown opens for them, and what they may not open is not shown.

Asked of the demo's personas (tests/permissions/world.py, built once for the module).
"""

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from dangjian.core import menu
from tests.permissions.world import PERSONAS, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(
        MEDIA_ROOT=media, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _links(world, persona):
    user = type(world.users[persona]).objects.get(pk=world.users[persona].pk)  # a fresh scope cache
    return {url: str(label) for group in menu.menu_for(user) for url, label in group.links}


# Open to everybody but left out of a plain member's menu: of no use to them (API docs, export jobs).
HIDDEN_BY_CHOICE = {"api:openapi-view", "operations:job_list"}

SIGNED_IN = [p for p, name in PERSONAS.items() if name]


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_every_menu_link_opens_for_the_persona(world, persona):
    links = _links(world, persona)
    assert links, f"{persona} has an empty menu"
    client = world.client(persona)
    refused = {url: client.get(url, follow=True).status_code for url in links}
    assert {u: c for u, c in refused.items() if c != 200} == {}


def test_menu_links_are_the_routes_each_role_opens(world):
    member = _links(world, "member")
    assert reverse("dues:mine") in member and reverse("learning:record_list") in member
    assert reverse("orgs:member_list") not in member and reverse("meetings:list") not in member
    assert reverse("audit:list") not in member

    grid = _links(world, "grid_worker")
    assert reverse("grids:list") in grid and reverse("appeals:list") in grid
    for name in ("meetings:list", "dues:ledger", "orgs:member_list", "committees:list", "resources:resource_list"):
        assert reverse(name) not in grid, name

    assert reverse("audit:list") in _links(world, "auditor")
    assert reverse("audit:list") not in _links(world, "secretary_b")
    assert reverse("orgs:transfer_inbox") not in _links(world, "reviewer")
    assert reverse("operations:overview") in _links(world, "superuser")
    assert reverse("operations:overview") not in _links(world, "officer")


def test_every_registered_menu_page_is_refused_to_those_not_shown_it(world):
    """The converse: a page hidden from a persona really is closed to them (else the menu hides a usable page)."""
    for persona in SIGNED_IN:
        shown = _links(world, persona)
        client = world.client(persona)
        for entry in menu.entries():
            url = reverse(entry.url_name)
            if url in shown or entry.group == "mine" or entry.url_name in HIDDEN_BY_CHOICE:
                continue
            assert client.get(url).status_code == 404, (persona, entry.url_name)


def test_the_appeals_pages_offer_recording_only_to_whom_it_opens(world):
    new = reverse("appeals:new")
    for persona in SIGNED_IN:
        page = world.client(persona).get(reverse("appeals:metrics")).content.decode()
        answer = world.client(persona).get(new).status_code
        assert (f'href="{new}"' in page) == (answer == 200), persona
