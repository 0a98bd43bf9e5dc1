import pytest

from tests.grids.fixtures import *  # noqa: F401,F403


@pytest.fixture(autouse=True)
def _fresh_appeal_caches():
    """Per-process copies of the deadlines and the taxonomy: each test starts from its own database."""
    from dangjian.appeals.models import forget_categories, forget_config

    forget_config()
    forget_categories()
    yield
    forget_config()
    forget_categories()
