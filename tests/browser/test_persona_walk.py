"""Every demo persona walks their menu and home page, on a desktop and on a 390 px phone (issue 14).

For each persona (tests/permissions/world.py: member, grid worker, reviewer,
auditor, branch secretaries, community secretary, officer, superuser):
- every link of the main menu and of the home page answers 200 (the page
  fixture also fails on any 4xx/5xx, failed request or console error);
- no page is wider than the screen (scrollWidth <= innerWidth);
- no English word shows outside an allow-list (proper names, units, method names).

The demo is built once for the module (the smallest one the permission test
uses) and the walk reuses one browser page: one test, problems gathered per
persona and reported together. On the phone the menu links and the home page
are walked (the home's links at desktop only), and of the home's links one of
each kind of page (one appeal's page stands for the others), to keep the run modest.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from tests.browser.fixtures import screenshot
from tests.permissions.world import PERSONAS, TODAY

pytestmark = pytest.mark.django_db(transaction=True)

# Words that may stay in Latin letters: method names, units, formats, standards, product names.
ALLOWED_WORDS = {
    "DEA", "AHP", "TOPSIS", "CCR", "BCC", "ID", "API", "JSON", "xlsx", "XLSX", "csv", "CSV", "PDF", "pdf", "IP",
    "URL", "HTTP", "HTTPS", "OpenAPI", "QR", "CR", "CI", "RI", "GB", "KB", "MB", "km", "kg", "Excel", "WPS", "TOTP",
    "App", "OTP", "ECharts", "SimHash", "MinHash", "Jaccard", "Token", "Bearer", "Saaty", "Malmquist",
}
# Demo usernames show where a user is named by their account (the audit log's actor).
ALLOWED_WORDS |= {name for name in PERSONAS.values() if name}
# Pages that are English by nature: the API's interactive documentation (Swagger UI).
NOT_CHECKED_FOR_ENGLISH = ("/api/docs",)
SKIPPED = ("export=", ".pdf", ".xlsx", "/api/", "logout", "download")
WORD = re.compile(r"(?<![\w.@/-])[A-Za-z][A-Za-z_]+(?![\w@/-])")


CODE = re.compile(r"[A-Z]{8,}")  # an appeal's tracking code may happen to hold no digit


def _english(text: str) -> set[str]:
    return {w for w in WORD.findall(text) if w not in ALLOWED_WORDS and not CODE.fullmatch(w)}


def _signed_in(page, user, live_server_url):
    client = Client()
    client.force_login(user)  # tests/conftest.py: a superuser's session passes the second factor
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                               "url": live_server_url}])


def _shape(href: str) -> str:
    # One page of each kind: /appeals/9Z72.../ and /appeals/8SK4.../ are the same page for other records.
    return re.sub(r"[0-9A-Z]{6,}|\d+", "N", urlsplit(href).path)


def _links(page, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")
    out, shapes = [], set()
    for href in hrefs:
        if not href or href.startswith(("#", "mailto:", "javascript:", "http")) or any(s in href for s in SKIPPED):
            continue
        if _shape(href) not in shapes:
            shapes.add(_shape(href))
            out.append(href)
    return out


def _visit(page, path: str, problems: list[str], who: str, *, english: bool = True) -> None:
    response = page.goto(page.base_url + path)
    page.wait_for_load_state("networkidle")
    if response is None or response.status != 200:
        problems.append(f"{who} {path}: answered {response.status if response else 'nothing'}")
        return
    wide = page.evaluate("document.scrollingElement.scrollWidth - innerWidth")
    if wide > 0:
        problems.append(f"{who} {path}: {wide} px wider than the screen")
    if english and not any(p in path for p in NOT_CHECKED_FOR_ENGLISH):
        # Codes a user types or reads as they are (a department's or category's code) carry translate="no".
        words = _english(page.evaluate(
            "() => { document.querySelectorAll('[translate=no]').forEach(e => e.remove()); return document.body.innerText; }"))
        if words:
            problems.append(f"{who} {path}: English words {sorted(words)[:12]}")


def _open_evaluation_for_the_member():
    """The demo's rounds are finished: one open now for the member's branch, so their home offers its link."""
    import datetime as dt

    from django.utils import timezone

    from dangjian.accounts.models import User
    from dangjian.surveys import services

    admin, member = User.objects.get(username=PERSONAS["superuser"]), User.objects.get(username=PERSONAS["member"])
    org, now = member.member.org, timezone.now()
    q = services.questionnaire_create(by=admin, org=org, title="民主测评表")
    services.question_add(by=admin, questionnaire=q, text="总体评价", kind="rating")
    services.round_create(by=admin, questionnaire=q, org=org, title="本年度民主测评", subject="org", audience="members",
                          opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=7))


def test_every_persona_walks_menu_and_home_on_desktop_and_phone(page, live_server):
    call_command("demo_org", "--scale", "30", "--seed", "21", "--today", TODAY.isoformat(), verbosity=0)
    from dangjian.accounts.models import User

    _open_evaluation_for_the_member()

    problems: list[str] = []
    for persona, username in PERSONAS.items():
        if not username:
            continue
        user = User.objects.get(username=username)
        _signed_in(page, user, live_server.url)
        page.set_viewport_size({"width": 1280, "height": 860})
        page.goto(page.base_url + "/")
        page.wait_for_load_state("networkidle")
        screenshot(page, f"walk-{persona}-home-desktop")
        menu = _links(page, "nav.mainnav a")
        home = [h for h in _links(page, "main a") if h not in menu]
        for path in ["/", *menu, *home]:
            _visit(page, urlsplit(path)._replace(scheme="", netloc="").geturl(), problems, f"{persona} desktop")
        page.set_viewport_size({"width": 390, "height": 844})
        for path in ["/", *menu]:
            _visit(page, path, problems, f"{persona} 390px", english=False)
        page.goto(page.base_url + "/")
        screenshot(page, f"walk-{persona}-home-390")
    problems += page.problems
    with open("test-artifacts/walk-problems.txt", "w") as out:
        out.write("\n".join(problems))
    assert problems == [], "\n".join(problems)
