"""A fault planted in the engine, to prove that no caller passes an incomplete result on."""

from __future__ import annotations

import numpy as np


def engine_loses_one_dmu(monkeypatch, index: int) -> None:
    """The engine returns a NaN slack and no peers for DMU `index`, as it did on badly scaled data."""
    from dangjian.analytics import _engine

    real = _engine.evaluate

    def loses(*args, **kwargs):
        ev = real(*args, **kwargs)
        if ev.slack is not None:
            ev.slack[index] = np.nan
        a, b = ev.peer_ptr[index], ev.peer_ptr[index + 1]
        ev.peer_idx = np.delete(ev.peer_idx, np.s_[a:b])
        ev.peer_w = np.delete(ev.peer_w, np.s_[a:b])
        ev.peer_ptr = np.concatenate([ev.peer_ptr[: index + 1], ev.peer_ptr[index + 1 :] - (b - a)])
        return ev

    monkeypatch.setattr(_engine, "evaluate", loses)
