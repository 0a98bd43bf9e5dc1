import pytest

from tests.grids.fixtures import *  # noqa: F401,F403


@pytest.fixture(autouse=True)
def _fresh_appeal_caches():
    """Per-process copies of the deadlines, the taxonomy and the newest classifier run: each test starts from
    its own database."""
    from dangjian.appeals.classifier import forget_newest
    from dangjian.appeals.models import forget_categories, forget_config

    forget_config()
    forget_categories()
    forget_newest()
    yield
    forget_config()
    forget_categories()
    forget_newest()
