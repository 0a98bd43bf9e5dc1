"""The batched second phase (slacks, targets, peers) against an independent per-DMU LP.

Sizes are above the engine's large-set threshold (800 DMUs, settled directly
below it), so the sampled frontier, the first-pass bases it keeps and the
batched primal simplex from them all run; small enough for CI.  The reference
is tests/analytics/reference_lp.py: scipy's HiGHS over all n DMUs, two LPs per
DMU, sharing no code with the engine.
"""

from __future__ import annotations

import numpy as np
import pytest

from dangjian.analytics import _engine, dea

from .reference_lp import envelopment_two_phase, super_efficiency_scores

MODELS = [(rts, orient) for orient in ("input", "output") for rts in ("crs", "vrs")]
N = 1_500


def driven(n: int, seed: int, *, integer: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """m = 3 inputs, s = 4 outputs driven by the inputs (Cobb-Douglas), with noise and inefficiency."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(1, 100, (n, 3))
    a = rng.uniform(0.1, 0.5, (4, 3))
    y = 10 * np.exp(np.log(x) @ a.T + rng.normal(0, 0.1, (n, 4)) - np.abs(rng.normal(0, 0.3, n))[:, None])
    if integer:
        # Rounded data: ties and degenerate faces, where slacks are common.
        x, y = np.ceil(x / 10), np.ceil(y)
    return x, y


def _lambdas(result, names: list[str], rows: np.ndarray) -> np.ndarray:
    index = {name: j for j, name in enumerate(names)}
    lam = np.zeros((rows.size, len(names)))
    for pos, i in enumerate(rows):
        for peer, weight in result.peers[i].items():
            lam[pos, index[peer]] = weight
    return lam


def _check_against_reference(x, y, rts, orientation, rows, *, peers=True) -> None:
    names = [f"d{i}" for i in range(len(x))]
    result = dea(inputs=x, outputs=y, names=names, rts=rts, orientation=orientation)
    scores, s_in, s_out, lam = envelopment_two_phase(x, y, rts=rts, orientation=orientation, evaluate=rows)
    np.testing.assert_allclose(result.scores[rows], scores, atol=1e-6, rtol=0)
    # Slacks in the data's units; the data are O(1..100).
    np.testing.assert_allclose(result.input_slacks[rows], s_in, atol=1e-6, rtol=1e-7)
    np.testing.assert_allclose(result.output_slacks[rows], s_out, atol=1e-6, rtol=1e-7)
    if orientation == "input":
        t_in, t_out = scores[:, None] * x[rows] - s_in, y[rows] + s_out
    else:
        t_in, t_out = x[rows] - s_in, scores[:, None] * y[rows] + s_out
    np.testing.assert_allclose(result.input_targets[rows], t_in, atol=1e-6, rtol=1e-7)
    np.testing.assert_allclose(result.output_targets[rows], t_out, atol=1e-6, rtol=1e-7)
    ours = _lambdas(result, names, rows)
    # Whatever lambdas are reported must rebuild the targets.
    np.testing.assert_allclose(ours @ x, result.input_targets[rows], atol=1e-6, rtol=1e-7)
    np.testing.assert_allclose(ours @ y, result.output_targets[rows], atol=1e-6, rtol=1e-7)
    if peers:
        np.testing.assert_allclose(ours, lam, atol=1e-6)


@pytest.mark.parametrize(("rts", "orientation"), MODELS)
def test_batched_second_phase_matches_the_per_dmu_lp(rts: str, orientation: str) -> None:
    x, y = driven(N, seed=11)
    result = dea(inputs=x, outputs=y, rts=rts, orientation=orientation)
    has_slack = np.flatnonzero((np.hstack([result.input_slacks, result.output_slacks]) > 1e-6).any(axis=1))
    rng = np.random.default_rng(5)
    # Units with slack are the second phase's real work: most of the sample.
    rows = np.union1d(rng.choice(has_slack, 25, replace=False), rng.choice(N, 10, replace=False))
    _check_against_reference(x, y, rts, orientation, rows)


@pytest.mark.parametrize(("rts", "orientation"), MODELS)
def test_batched_second_phase_on_rounded_data_with_ties(rts: str, orientation: str) -> None:
    x, y = driven(1_200, seed=3, integer=True)
    rows = np.random.default_rng(8).choice(len(x), 30, replace=False)
    # Ties make the optimal lambdas non-unique: compare slacks and targets, and
    # that the reported peers rebuild the targets.
    _check_against_reference(x, y, rts, orientation, rows, peers=False)


def test_most_units_skip_the_second_phase_lp_and_no_unit_needs_highs() -> None:
    x, y = driven(N, seed=11)
    xs, ys, _, _ = _engine.scale_columns(x, y)
    ev = _engine.evaluate(xs, ys, _engine.Model("crs", "input"))
    stats = ev.stats
    assert stats["zero_slack"] + stats["second_phase_batched"] == N
    assert stats["second_phase_highs"] == 0
    assert ev.failed.size == 0


@pytest.mark.parametrize(("rts", "orientation"), MODELS)
def test_super_efficiency_above_the_threshold_matches_the_reference(rts: str, orientation: str) -> None:
    x, y = driven(1_000, seed=21)
    result = dea(inputs=x, outputs=y, rts=rts, orientation=orientation, super_efficiency=True)
    efficient = np.flatnonzero(np.abs(result.efficiency - 1) <= 1e-9)
    rows = efficient[:: max(1, efficient.size // 12)]
    expected = super_efficiency_scores(x, y, rts=rts, orientation=orientation, evaluate=rows)
    np.testing.assert_array_equal(result.super_infeasible[rows], np.isnan(expected))
    ok = ~np.isnan(expected)
    np.testing.assert_allclose(result.super_scores[rows][ok], expected[ok], atol=1e-6, rtol=0)


@pytest.mark.parametrize("factor", [1e10, 1e15, 1e-12])
@pytest.mark.parametrize(("rts", "orientation"), MODELS)
def test_rescaling_one_column_rescales_its_slacks_and_keeps_peers(rts, orientation, factor) -> None:
    x, y = driven(900, seed=4, integer=True)
    names = [f"d{i}" for i in range(len(x))]
    before = dea(inputs=x, outputs=y, names=names, rts=rts, orientation=orientation)
    x2, y2 = x.copy(), y.copy()
    x2[:, 1] *= factor
    y2[:, 2] *= factor
    after = dea(inputs=x2, outputs=y2, names=names, rts=rts, orientation=orientation)
    assert after.warnings == before.warnings
    np.testing.assert_allclose(after.scores, before.scores, rtol=1e-9)
    unscale_in = np.array([1.0, factor, 1.0])
    unscale_out = np.array([1.0, 1.0, factor, 1.0])
    np.testing.assert_allclose(after.input_slacks / unscale_in, before.input_slacks, atol=1e-7, rtol=1e-7)
    np.testing.assert_allclose(after.output_slacks / unscale_out, before.output_slacks, atol=1e-7, rtol=1e-7)
    np.testing.assert_allclose(after.output_targets / unscale_out, before.output_targets, atol=1e-7, rtol=1e-7)
    assert list(after.efficient) == list(before.efficient)
    assert after.efficient.any()
    for a, b in zip(after.peers, before.peers, strict=True):
        assert a.keys() == b.keys()
        np.testing.assert_allclose([a[k] for k in b], list(b.values()), atol=1e-8)


def test_all_values_around_1e15_give_the_same_answer_as_around_1() -> None:
    x, y = driven(900, seed=9)
    small = dea(inputs=x, outputs=y)
    big = dea(inputs=x * 1e15, outputs=y * 1e15)
    np.testing.assert_allclose(big.scores, small.scores, rtol=1e-9)
    np.testing.assert_allclose(big.input_slacks / 1e15, small.input_slacks, atol=1e-7)
    np.testing.assert_allclose(big.output_slacks / 1e15, small.output_slacks, atol=1e-7)
    assert [p.keys() for p in big.peers] == [p.keys() for p in small.peers]
    assert big.efficient.sum() == small.efficient.sum() > 0
    assert not big.warnings


def test_a_second_phase_the_solver_cannot_finish_is_reported_not_dropped(monkeypatch) -> None:
    # Force every unit onto the HiGHS fallback and make it fail: the call must
    # say so, naming a DMU, not return zero or empty slacks.
    monkeypatch.setattr(_engine, "_max_slack_simplex", lambda scorer, ids, *a, **k: (
        np.full((ids.size, scorer.rows - 1), -1, dtype=np.int32), np.zeros((ids.size, scorer.rows)),
        np.arange(ids.size)))
    monkeypatch.setattr(_engine, "_POSITIVE_DUAL", np.inf)
    monkeypatch.setattr(_engine._SlackLP, "solve", lambda self, *a: None)
    from dangjian.analytics import AnalyticsResultError

    x, y = driven(300, seed=2)
    with pytest.raises(AnalyticsResultError, match="second phase") as err:
        dea(inputs=x, outputs=y, names=[f"d{i}" for i in range(300)])
    assert err.value.row == "d0"


def test_dask_partitions_give_the_same_answer_as_one_process() -> None:
    distributed = pytest.importorskip("distributed")
    x, y = driven(4_000, seed=13)
    local = dea(inputs=x, outputs=y, rts="vrs")
    messages: list[str] = []
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        with distributed.get_task_stream(client) as stream:
            spread = dea(inputs=x, outputs=y, rts="vrs", dask=client, progress=messages.append)
    # The partitioned passes ran as tasks on the cluster, one per partition.
    keys = [str(task["key"]) for task in stream.data]
    assert sum("_finish_part" in key for key in keys) >= 2
    assert any("partition" in m for m in messages)
    np.testing.assert_allclose(spread.scores, local.scores, atol=1e-9, rtol=0)
    np.testing.assert_allclose(spread.input_slacks, local.input_slacks, atol=1e-7)
    np.testing.assert_allclose(spread.output_slacks, local.output_slacks, atol=1e-7)
    assert [p.keys() for p in spread.peers] == [p.keys() for p in local.peers]
    rows = np.random.default_rng(1).choice(len(x), 15, replace=False)
    scores, s_in, s_out, _ = envelopment_two_phase(x, y, rts="vrs", orientation="input", evaluate=rows)
    np.testing.assert_allclose(spread.scores[rows], scores, atol=1e-6, rtol=0)
    np.testing.assert_allclose(spread.input_slacks[rows], s_in, atol=1e-6, rtol=1e-7)
    np.testing.assert_allclose(spread.output_slacks[rows], s_out, atol=1e-6, rtol=1e-7)


def test_malmquist_with_workers_or_dask_equals_one_process() -> None:
    distributed = pytest.importorskip("distributed")
    from dangjian.analytics import malmquist

    x, y = driven(2 * 2_500, seed=17)
    ids = [f"u{i % 2_500}" for i in range(len(x))]
    periods = [2023] * 2_500 + [2024] * 2_500
    one = malmquist(inputs=x, outputs=y, ids=ids, periods=periods)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        spread = malmquist(inputs=x, outputs=y, ids=ids, periods=periods, dask=client)
    assert len(spread.rows) == len(one.rows) == 2_500
    np.testing.assert_allclose([r.malmquist for r in spread.rows], [r.malmquist for r in one.rows],
                               atol=1e-9)
