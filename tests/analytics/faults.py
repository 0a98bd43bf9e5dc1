"""A fault planted in the engine, to prove that no caller passes an incomplete result on."""

from __future__ import annotations

import numpy as np


def engine_loses_one_dmu(monkeypatch, index: int) -> None:
    """The second phase returns a NaN slack and no peers for DMU `index`, as it did on badly scaled data."""
    from dangjian.analytics import _engine

    real = _engine.max_slacks

    def loses(*args, **kwargs):
        sx, sy, peers, weights = real(*args, **kwargs)
        sx[index] = np.nan
        peers[index], weights[index] = np.empty(0, dtype=int), np.empty(0)
        return sx, sy, peers, weights

    monkeypatch.setattr(_engine, "max_slacks", loses)
