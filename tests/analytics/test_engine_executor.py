"""The engine's partitioned scoring with a caller's executor (the path Dask and the process pool take).

A serial stand-in that splits work like a pool: the partitioned result must equal scoring in one piece,
in scores and feasibility, with every per-point array as wide as the LP has rows, for CRS and VRS; and the engine must
never close an executor it did not open (the caller reuses it for the next stage).
"""

import numpy as np
import pytest

from dangjian.analytics._engine import Model, score_points
from dangjian.analytics._parallel import Serial


class SplittingSerial(Serial):
    """Runs in this process but splits every set of 10 or more points in three, counting close() calls."""

    min_partitioned = 10

    def __init__(self):
        self.closed = 0

    def partitions(self, n: int) -> int:
        return 3

    def close(self) -> None:
        self.closed += 1


def _data(n=60, seed=5):
    rng = np.random.default_rng(seed)
    x = rng.uniform(1, 10, size=(n, 2))
    y = (x.sum(axis=1, keepdims=True) * rng.uniform(0.5, 1.0, size=(n, 3)))
    return x, y


@pytest.mark.parametrize("rts", ["crs", "vrs"])
@pytest.mark.parametrize("orientation", ["input", "output"])
def test_partitioned_scoring_equals_one_piece(rts, orientation):
    x, y = _data()
    model = Model(rts, orientation)
    whole = score_points(x, y, x, y, model)
    executor = SplittingSerial()
    split = score_points(x, y, x, y, model, executor=executor)
    np.testing.assert_allclose(split.t, whole.t, rtol=0, atol=1e-12)
    assert (split.feasible == whole.feasible).all()
    rows = x.shape[1] + y.shape[1] + (1 if model.vrs else 0)
    assert split.normals.shape == whole.normals.shape == (len(x), rows)
    assert split.keys.shape == (len(x), rows - 1) and split.xb.shape == (len(x), rows)
    # The bases themselves may differ where the LP is degenerate (each piece warm-starts from its own first
    # point), so only their shape is compared.


def test_a_callers_executor_is_left_open():
    x, y = _data()
    executor = SplittingSerial()
    score_points(x, y, x, y, Model("crs", "input"), executor=executor)
    score_points(x[:5], y[:5], x[:5], y[:5], Model("vrs", "input"), executor=executor)   # too small to split
    assert executor.closed == 0
