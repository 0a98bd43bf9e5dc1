import pytest

from dangjian.learning import checker


@pytest.fixture(autouse=True)
def _fresh_index():
    """The in-memory LSH index is per process: start each test from the database."""
    checker.reset()
    yield
    checker.reset()
