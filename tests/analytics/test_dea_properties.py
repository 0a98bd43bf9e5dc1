"""Properties every DEA score must have, and exactness of the fast engine at scale."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dangjian.analytics import dea

from .reference_lp import envelopment_scores, multiplier_scores

MODELS = [(rts, orient) for orient in ("input", "output") for rts in ("crs", "vrs")]
PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def datasets(draw, min_n: int = 6, max_n: int = 14):
    m = draw(st.integers(1, 3))
    s = draw(st.integers(1, 3))
    n = draw(st.integers(max(min_n, m + s), max_n))
    # Integers from 1 to 50 keep ties (degenerate LPs) common, which is the hard case.
    cells = st.integers(1, 50).map(float)
    x = draw(arrays(float, (n, m), elements=cells))
    y = draw(arrays(float, (n, s), elements=cells))
    return x, y


@PROPERTY
@given(data=datasets())
def test_ccr_never_exceeds_bcc_in_input_orientation(data) -> None:
    x, y = data
    ccr = dea(inputs=x, outputs=y, rts="crs", slacks=False).scores
    bcc = dea(inputs=x, outputs=y, rts="vrs", slacks=False).scores
    assert (ccr <= bcc + 1e-9).all()
    assert (bcc <= 1.0 + 1e-9).all()


@PROPERTY
@given(data=datasets(), weights=st.lists(st.floats(0.1, 10.0), min_size=6, max_size=6))
def test_the_best_ratio_unit_is_efficient_and_efficient_units_score_one(data, weights) -> None:
    x, y = data
    m, s = x.shape[1], y.shape[1]
    v, u = np.array(weights[:m]), np.array(weights[3 : 3 + s])
    best = int(np.argmax((y @ u) / (x @ v)))
    for rts, orientation in MODELS:
        result = dea(inputs=x, outputs=y, rts=rts, orientation=orientation)
        assert result.efficiency[best] == pytest.approx(1.0, abs=1e-9)
        assert np.allclose(result.efficiency[result.efficient], 1.0, atol=1e-9)
        assert (result.efficiency <= 1.0 + 1e-9).all()


@PROPERTY
@given(data=datasets(), factor=st.floats(0.01, 1000.0), column=st.integers(0, 5))
def test_scores_do_not_change_when_a_column_is_rescaled(data, factor, column) -> None:
    x, y = data
    x2, y2 = x.copy(), y.copy()
    if column < x.shape[1]:
        x2[:, column] *= factor
    else:
        y2[:, column % y.shape[1]] *= factor
    for rts, orientation in MODELS:
        before = dea(inputs=x, outputs=y, rts=rts, orientation=orientation, slacks=False)
        after = dea(inputs=x2, outputs=y2, rts=rts, orientation=orientation, slacks=False)
        np.testing.assert_allclose(after.scores, before.scores, rtol=1e-8)


@PROPERTY
@given(data=datasets(), pick=st.integers(0, 100), worse=st.floats(1.01, 3.0))
def test_adding_a_dominated_unit_changes_no_other_score(data, pick, worse) -> None:
    x, y = data
    i = pick % x.shape[0]
    x2 = np.vstack([x, x[i] * worse])
    y2 = np.vstack([y, y[i] / worse])
    for rts, orientation in MODELS:
        before = dea(inputs=x, outputs=y, rts=rts, orientation=orientation, slacks=False)
        after = dea(inputs=x2, outputs=y2, rts=rts, orientation=orientation, slacks=False)
        np.testing.assert_allclose(after.scores[:-1], before.scores, atol=1e-9)
        assert after.efficiency[-1] < 1.0


@PROPERTY
@given(data=datasets())
def test_envelopment_and_multiplier_forms_agree(data) -> None:
    x, y = data
    for rts, orientation in MODELS:
        result = dea(inputs=x, outputs=y, rts=rts, orientation=orientation, slacks=False)
        np.testing.assert_allclose(
            result.scores, multiplier_scores(x, y, rts=rts, orientation=orientation), atol=1e-7
        )


def _clustered(rng: np.random.Generator, n: int, m: int, s: int) -> tuple[np.ndarray, np.ndarray]:
    centres = rng.uniform(5, 50, size=(6, m + s))
    members = rng.integers(0, 6, size=n)
    z = centres[members] * rng.lognormal(0.0, 0.15, size=(n, m + s))
    return z[:, :m], z[:, m:]


@pytest.mark.parametrize("kind", ["random", "clustered"])
@pytest.mark.parametrize(("rts", "orientation"), MODELS)
def test_fast_engine_matches_the_plain_per_dmu_loop(kind: str, rts: str, orientation: str) -> None:
    # m = 3, s = 4 as in the benchmark; n = 300 keeps the plain loop to seconds.
    rng = np.random.default_rng(2024)
    if kind == "random":
        x, y = rng.uniform(1, 100, (300, 3)), rng.uniform(1, 100, (300, 4))
    else:
        x, y = _clustered(rng, 300, 3, 4)
    result = dea(inputs=x, outputs=y, rts=rts, orientation=orientation, slacks=False)
    expected = envelopment_scores(x, y, rts=rts, orientation=orientation)
    np.testing.assert_allclose(result.scores, expected, atol=1e-6, rtol=0)
    # The reference set really spans the technology: it holds every efficient unit.
    efficient = np.flatnonzero(np.abs(result.efficiency - 1) < 1e-9)
    assert len(result.reference_set) <= len(efficient)


def test_large_problem_uses_far_fewer_lp_solves_than_units() -> None:
    from dangjian.analytics import _engine

    rng = np.random.default_rng(7)
    x, y = rng.uniform(1, 100, (4000, 3)), rng.uniform(1, 100, (4000, 4))
    xs, ys, _, _ = _engine.scale_columns(x, y)
    model = _engine.Model("crs", "input")
    ref = _engine.generators(xs, ys, model)
    outcome = _engine.Scorer(xs[ref], ys[ref], model).score(xs, ys)
    assert outcome.lp_solves < 0.5 * len(x)
    sample = rng.choice(len(x), 40, replace=False)
    expected = envelopment_scores(x, y, rts="crs", orientation="input", evaluate=sample)
    np.testing.assert_allclose(outcome.t[sample], expected, atol=1e-6, rtol=0)


def test_a_result_prints_without_its_private_unit_scales() -> None:
    # DEAResult keeps the column means it scaled by (for `efficient`) out of its repr:
    # a printed result shows what the docs list, not engine internals.
    result = dea(inputs=[[2.0], [4.0], [3.0]], outputs=[[1.0], [1.0], [2.0]])
    text = repr(result)
    assert "scores=" in text
    assert "_input_scale" not in text and "_output_scale" not in text


@pytest.mark.parametrize(("m", "s", "rule"), [(1, 1, 6), (3, 4, 21), (2, 8, 30), (5, 6, 33)])
def test_the_rule_of_thumb_warning_at_max_ms_and_3_m_plus_s(m, s, rule) -> None:
    # The rule of thumb of Cooper, Seiford & Tone (Data Envelopment Analysis, 2nd ed., 2007):
    # n >= max(m*s, 3(m+s)). Worked by hand: (1,1) -> 6, (3,4) -> 21, (2,8) -> 30 = 3*10
    # (m*s = 16), (5,6) -> 33 (m*s = 30). One DMU short warns, exactly enough does not.
    rng = np.random.default_rng(m * 10 + s)
    for n, warns in ((rule - 1, True), (rule, False)):
        result = dea(inputs=rng.uniform(1, 10, (n, m)), outputs=rng.uniform(1, 10, (n, s)), slacks=False)
        codes = [w.code for w in result.warnings]
        assert ("few_dmus" in codes) is warns, (m, s, n)
        if warns:
            assert f"= {rule}" in next(w for w in result.warnings if w.code == "few_dmus")


def test_an_unsolved_dmu_is_named_the_first_of_them(monkeypatch) -> None:
    # Plant an engine fault: DMUs 1 and 3 come back without a proven optimum.
    from dangjian.analytics import AnalyticsResultError, _engine

    real = _engine.evaluate

    def unsolved(*args, **kwargs):
        ev = real(*args, **kwargs)
        ev.feasible[[1, 3]] = False
        return ev

    monkeypatch.setattr(_engine, "evaluate", unsolved)
    with pytest.raises(AnalyticsResultError) as caught:
        dea(inputs=[[2.0], [4.0], [3.0], [5.0]], outputs=[[1.0], [1.0], [2.0], [2.0]], names=list("ABCD"))
    assert caught.value.row == "B"


def test_the_engine_runs_on_one_blas_thread_and_restores_the_setting(monkeypatch) -> None:
    # OpenBLAS threads spin on the engine's small products (issue 18): the engine sets one
    # thread while it runs and gives the caller its own setting back afterwards.
    from dangjian.analytics import _engine, _parallel

    blas = _parallel._numpy_blas()
    if blas is None:
        pytest.skip("numpy is not built with scipy-openblas here")
    setter, getter = blas
    seen = []
    real = _engine.Scorer.score

    def spy(self, *args, **kwargs):
        seen.append(getter())
        return real(self, *args, **kwargs)

    monkeypatch.setattr(_engine.Scorer, "score", spy)
    before = getter()
    setter(2)
    wanted = getter()  # 1 on a one-core machine: OpenBLAS caps it
    try:
        rng = np.random.default_rng(5)
        dea(inputs=rng.uniform(1, 10, (30, 2)), outputs=rng.uniform(1, 10, (30, 2)))
        assert seen and set(seen) == {1}
        assert getter() == wanted
    finally:
        setter(before)


@pytest.mark.parametrize(("inputs", "outputs", "message"), [
    (["a", "b", "a"], ["c"], "listed twice among the inputs"),
    (["a"], ["c", "c"], "listed twice among the outputs"),
    (["a", "b"], ["b"], "both an input and an output"),
])
def test_a_column_named_twice_or_on_both_sides_is_refused(inputs, outputs, message) -> None:
    from dangjian.analytics import AnalyticsInputError

    rng = np.random.default_rng(2)
    with pytest.raises(AnalyticsInputError, match=message) as caught:
        dea(inputs=rng.uniform(1, 5, (12, len(inputs))), outputs=rng.uniform(1, 5, (12, len(outputs))),
            input_names=inputs, output_names=outputs)
    assert caught.value.column == (inputs[-1] if "inputs" in message else outputs[-1])


def test_an_unfinished_second_phase_names_the_first_dmu_it_left(monkeypatch) -> None:
    from dangjian.analytics import AnalyticsResultError, _engine

    real = _engine.evaluate

    def unfinished(*args, **kwargs):
        ev = real(*args, **kwargs)
        ev.failed = np.array([1, 3])
        return ev

    monkeypatch.setattr(_engine, "evaluate", unfinished)
    with pytest.raises(AnalyticsResultError, match="second phase") as caught:
        dea(inputs=[[2.0], [4.0], [3.0], [5.0]], outputs=[[1.0], [1.0], [2.0], [2.0]], names=list("ABCD"))
    assert caught.value.row == "B"


def test_the_engine_names_peers_and_their_weights_when_asked() -> None:
    """`score_points(want_peers=True)`, one output of 1 and two inputs, worked by hand: the frontier is the
    segment from A (1, 2) to C (2, 1). B (2, 2) is projected on (1.5, 1.5) = ½A + ½C (θ = 0.75); E (3, 2)
    on (1.8, 1.2) = 0.2A + 0.8C (θ = 0.6); D (4, 4) on B's point (θ = 0.375); A and C are their own peers.
    (dea() derives its peers from the basis arrays itself; this is the engine's own list, which no caller asks
    for. Under VRS it comes back empty for these same points: HiGHS's bases for them are degenerate and the
    engine keeps the scores only; reported, docs/testing.md.)"""
    from dangjian.analytics import _engine

    x = np.array([[1.0, 2.0], [2.0, 1.0], [2.0, 2.0], [4.0, 4.0], [3.0, 2.0]])
    y = np.ones((5, 1))
    out = _engine.score_points(x, y, x, y, _engine.Model("crs", "input"), want_peers=True)
    np.testing.assert_allclose(out.t, [1.0, 1.0, 0.75, 0.375, 0.6], atol=1e-9)
    expected = [{0: 1.0}, {1: 1.0}, {0: 0.5, 1: 0.5}, {0: 0.5, 1: 0.5}, {0: 0.2, 1: 0.8}]
    assert len(out.peers) == len(out.weights) == 5
    for peers, weights, want in zip(out.peers, out.weights, expected, strict=True):
        got = dict(zip(peers.tolist(), weights.tolist(), strict=True))
        assert got.keys() == want.keys()
        np.testing.assert_allclose([got[k] for k in sorted(got)], [want[k] for k in sorted(want)], atol=1e-9)
    assert _engine.score_points(x, y, x, y, _engine.Model("crs", "input")).peers == []  # not asked: none
