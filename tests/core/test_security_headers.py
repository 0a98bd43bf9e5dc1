"""Issue 16 #13: CSP, HSTS, Permissions-Policy, no-store; check --deploy clean in production settings."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[2] / "src"


def test_every_page_carries_csp_and_permissions_policy(as_anonymous):
    r = as_anonymous.get(reverse("accounts:login"))
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "camera=()" in r["Permissions-Policy"] and "geolocation=()" in r["Permissions-Policy"]


def test_no_template_has_inline_script_or_handlers():
    """script-src 'self' only: an inline <script> or on* attribute would be blocked (and break the page)."""
    import re

    offenders = []
    for path in (SRC / "dangjian").rglob("templates/**/*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text) or re.search(r"\son[a-z]+=\"", text):
            offenders.append(str(path.relative_to(SRC)))
    assert not offenders


def test_sensitive_responses_are_not_stored(as_secretary_a, member_a):
    for response in (
        as_secretary_a.get(reverse("orgs:member_edit", args=[member_a.pk])),
        as_secretary_a.post(reverse("orgs:member_reveal", args=[member_a.pk, "id_number"])),
        as_secretary_a.get(reverse("imports:roster_export")),
    ):
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


def test_static_files_keep_their_cache():
    # WhiteNoise answers static files before the no-store middleware: only pages are kept out of caches.
    r = Client().get("/static/js/site.js")
    if r.status_code == 200:
        assert "no-store" not in r.get("Cache-Control", "")


def _b64() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    # A clean environment, as a production unit file gives (pytest's own variables left out).
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update({
        "PYTHONPATH": str(SRC),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DANGJIAN_FIELD_KEY": _b64(), "DANGJIAN_INDEX_KEY": _b64(), "DANGJIAN_AUDIT_KEY": _b64(),
        "ALLOWED_HOSTS": "dangjian.example.org", "CSRF_TRUSTED_ORIGINS": "https://dangjian.example.org",
        "SECURE_COOKIES": "1", "DANGJIAN_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    })
    result = subprocess.run([sys.executable, "-m", "dangjian.manage", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
