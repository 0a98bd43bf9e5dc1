"""Issue 16 #14: secrets all from the environment or all from the file."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from dangjian.core.secrets import _NAMES, load_secrets

ENV = {
    "DJANGO_SECRET_KEY": "x" * 50,
    "DANGJIAN_FIELD_KEY": "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=",
    "DANGJIAN_INDEX_KEY": "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=",
    "DANGJIAN_AUDIT_KEY": "Q0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0M=",
}


@pytest.fixture
def clean_env(monkeypatch):
    for env in _NAMES.values():
        monkeypatch.delenv(env, raising=False)
    return monkeypatch


def test_every_secret_from_the_environment(clean_env, tmp_path):
    for env, value in ENV.items():
        clean_env.setenv(env, value)
    loaded = load_secrets(tmp_path / "secrets.json")
    assert loaded["field_encryption_key"] == ENV["DANGJIAN_FIELD_KEY"]
    assert loaded["audit_key"] == ENV["DANGJIAN_AUDIT_KEY"]
    assert not (tmp_path / "secrets.json").exists()


def test_a_partial_environment_is_refused_with_the_missing_names(clean_env, tmp_path):
    (tmp_path / "secrets.json").write_text(json.dumps({k: "file-" + k for k in _NAMES}))
    clean_env.setenv("DJANGO_SECRET_KEY", ENV["DJANGO_SECRET_KEY"])
    clean_env.setenv("DANGJIAN_FIELD_KEY", ENV["DANGJIAN_FIELD_KEY"])
    with pytest.raises(ImproperlyConfigured) as exc:
        load_secrets(tmp_path / "secrets.json")
    assert "DANGJIAN_INDEX_KEY" in str(exc.value) and "DANGJIAN_AUDIT_KEY" in str(exc.value)


def test_without_environment_one_file_is_generated_private(clean_env, tmp_path):
    path = tmp_path / "var" / "secrets.json"
    first = load_secrets(path)
    assert load_secrets(path) == first
    assert set(first) == set(_NAMES) and path.stat().st_mode & 0o777 == 0o600


def test_a_file_from_before_the_audit_key_gains_it_and_keeps_the_others(clean_env, tmp_path):
    path = tmp_path / "secrets.json"
    old = {"django_secret_key": "s", "field_encryption_key": "f", "blind_index_key": "b"}
    path.write_text(json.dumps(old))
    loaded = load_secrets(path)
    assert {k: loaded[k] for k in old} == old and loaded["audit_key"]
    assert json.loads(path.read_text())["audit_key"] == loaded["audit_key"]
