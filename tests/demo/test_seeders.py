"""Feature seeders: discovered from installed dangjian.* apps, run one transaction each."""

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest

from dangjian.core import demo as core_demo
from dangjian.orgs.models import Member, Tag
from tests.demo.conftest import TODAY, run_demo
from tests.demo.fake_feature import demo as fake_demo

pytestmark = pytest.mark.django_db


def _config(name, label, module):
    return SimpleNamespace(name=name, label=label, module=importlib.import_module(module))


@pytest.fixture
def fake_apps(monkeypatch):
    configs = [
        _config("django.contrib.auth", "auth", "django.contrib.auth"),
        _config("dangjian.plain", "plain", "tests.demo.fake_plain"),  # no demo.py
        _config("dangjian.core", "core", "dangjian.core"),  # demo.py without seed()
        _config("dangjian.fakefeature", "fakefeature", "tests.demo.fake_feature"),
    ]
    monkeypatch.setattr(core_demo.apps, "get_app_configs", lambda: configs)
    fake_demo.CALLS.clear()
    return configs


def test_discovery_finds_only_dangjian_apps_with_a_seed_function(fake_apps):
    assert core_demo.discover_seeders() == [("fakefeature", fake_demo.seed)]


def test_discovery_on_the_real_installation_follows_installed_apps_order():
    from django.apps import apps

    labels = [label for label, _ in core_demo.discover_seeders()]
    installed = [c.label for c in apps.get_app_configs()]
    assert labels == sorted(labels, key=installed.index)
    assert "core" not in labels and "orgs" not in labels  # the foundation is not a feature seeder


def test_command_runs_the_seeders_after_the_foundation(fake_apps):
    out = run_demo("--scale", "300", "--seed", "5", "--today", TODAY.isoformat())
    assert "· fakefeature" in out and "fake feature seeded" in out and "fakefeature done (" in out
    assert Tag.objects.filter(name="演示功能标签").exists()
    (call,) = fake_demo.CALLS
    assert call["today"] == TODAY
    # Each seeder's random stream depends on the demo seed and its label only.
    assert call["draw"] == core_demo.random.Random("5:fakefeature").random()
    assert out.index("Foundation done") < out.index("· fakefeature") < out.index("Demo logins")


def test_no_features_skips_the_seeders(fake_apps):
    run_demo("--scale", "300", "--today", TODAY.isoformat(), "--no-features")
    assert fake_demo.CALLS == [] and not Tag.objects.filter(name="演示功能标签").exists()


def test_a_failing_seeder_is_rolled_back_alone():
    calls = []

    def broken(*, rng, today, log):
        Tag.objects.create(name="半途而废")
        raise RuntimeError("boom")

    def fine(*, rng, today, log):
        calls.append(today)
        Tag.objects.create(name="正常")

    log = []
    report = core_demo.run_seeders(
        seed=1, today=dt.date(2026, 1, 5), log=log.append, seeders=[("broken", broken), ("fine", fine)]
    )
    assert report.ran == ["fine"] and "RuntimeError: boom" in report.failed["broken"]
    assert not Tag.objects.filter(name="半途而废").exists() and Tag.objects.filter(name="正常").exists()
    assert calls == [dt.date(2026, 1, 5)] and log[:2] == ["· broken", "  ! broken failed and was rolled back"]


def _broken(*, rng, today, log):
    Tag.objects.create(name="半途而废")
    raise RuntimeError("boom")


def test_strict_stops_at_a_failing_seeder_but_keeps_the_foundation(fake_apps, monkeypatch):
    monkeypatch.setattr(fake_demo, "seed", _broken)
    with pytest.raises(RuntimeError, match="boom"):
        run_demo("--scale", "300", "--today", TODAY.isoformat(), "--strict")
    assert Member.objects.count() == 300 and not Tag.objects.filter(name="半途而废").exists()


def test_without_strict_a_failing_seeder_is_reported_and_logins_still_printed(fake_apps, monkeypatch):
    monkeypatch.setattr(fake_demo, "seed", _broken)
    out = run_demo("--scale", "300", "--today", TODAY.isoformat())
    assert "Feature seeder fakefeature failed" in out and "RuntimeError: boom" in out
    assert "Demo logins" in out and "Demo-2026!officer" in out
    assert Member.objects.count() == 300 and not Tag.objects.filter(name="半途而废").exists()
