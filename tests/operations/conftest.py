import pytest

from tests.evaluation.conftest import compute  # noqa: F401 (a fixture: a computed period)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
