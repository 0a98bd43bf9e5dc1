from tests.grids.fixtures import *  # noqa: F401,F403
