"""Composite indices: weights (equal, AHP, entropy, combined) and scores (weighted sum, TOPSIS).

Numpy over the analytics engine, with no database access: Django only translates the notes
that explain a weighting (gettext, core.text). Scores are 0-100.
Normalisation: a bounded indicator (a share, 0..1) is used as is (1 - value
when lower is better), so a score means the same across periods; an unbounded
one (e.g. visits per member) is min-max scaled within the peer group. A
missing value (no data) takes the peer group's mean of that column; a column
no member of the group has is left out and the weights renormalised.
"""

from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

from dangjian.analytics import AnalyticsInputError, ahp, combine_weights, entropy_weights, topsis
from dangjian.core.text import join_items


@dataclass(frozen=True)
class Column:
    code: str
    dimension: str
    bounded: bool
    higher: bool


def normalise(values: np.ndarray, columns: list[Column]) -> np.ndarray:
    """(n, k) raw values with NaN for no data -> (n, k) in [0, 1], 1 best, NaN kept."""
    out = np.full(values.shape, np.nan)
    for j, col in enumerate(columns):
        v = values[:, j]
        if col.bounded:
            s = np.clip(v, 0.0, 1.0)
        else:
            present = v[~np.isnan(v)]
            if present.size == 0:
                continue
            lo, hi = present.min(), present.max()
            s = (v - lo) / (hi - lo) if hi > lo else np.where(np.isnan(v), np.nan, 1.0)
        out[:, j] = s if col.higher else 1.0 - s
    return out


def fill_missing(norm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Missing cells take their column's mean; returns (filled, mask of columns that have any data)."""
    has = ~np.isnan(norm).all(axis=0)
    filled = norm.copy()
    with np.errstate(invalid="ignore"):
        means = np.nanmean(np.where(has, norm, 0.0), axis=0) if norm.shape[0] else np.zeros(norm.shape[1])
    idx = np.where(np.isnan(filled))
    filled[idx] = np.take(means, idx[1])
    filled[:, ~has] = 0.0
    return filled, has


def ahp_weights(matrix, names) -> np.ndarray:
    """Weights of one judgement matrix; ValueError with the CR if it is inconsistent."""
    result = ahp(matrix=matrix, names=names)
    if not result.consistent:
        raise ValueError(f"CR={result.cr:.3f}")
    return result.weights


def judgement(order, matrix) -> dict:
    """A stored judgement matrix with the codes of its rows: a later change of the catalogue
    (order, retired or added indicators) cannot shift a judgement onto another indicator."""
    return {"order": [str(c) for c in order], "matrix": [[float(v) for v in row] for row in matrix]}


def matrix_for(entry, codes: list[str], names: dict | None = None) -> tuple[list[list[float]] | None, str]:
    """The stored judgements among `codes`, rows and columns in that order, taken by code.

    Returns (matrix, note) or (None, why they cannot be used). Codes the matrix
    holds but `codes` lacks (retired, or no data this period) are left out: the
    judgements among the others stand. A code the matrix lacks (added since) has
    no judgement, so the matrix is not used.
    """
    label = (names or {}).get
    if not entry:
        return None, ""
    order, matrix = (entry.get("order"), entry.get("matrix")) if isinstance(entry, dict) else (None, None)
    if not order or not matrix or len(order) != len(matrix):
        return None, _("The judgement matrix does not record its indicators and cannot be used; this level is "
                       "weighted equally. Fill in the judgement matrix again")
    missing = [c for c in codes if c not in order]
    if missing:
        added = join_items(label(c, c) for c in missing)
        return None, _("%(added)s were added after the judgement matrix was filled in; this level is weighted "
                       "equally. Fill in the judgement matrix again") % {"added": added}
    idx = [order.index(c) for c in codes]
    sub = [[float(matrix[i][j]) for j in idx] for i in idx]
    dropped = [c for c in order if c not in codes]
    note = ""
    if dropped:
        note = _("%(dropped)s in the judgement matrix took no part this period; the judgements among the others "
                 "are used") % {"dropped": join_items(label(c, c) for c in dropped)}
    return sub, note


def subjective_weights(columns: list[Column], dimensions: list[str], judgements: dict,
                       notes: list[str] | None = None, names: dict | None = None) -> dict[str, float]:
    """Global weight per indicator from AHP judgements (equal where a matrix is missing or unusable).

    Matrices are read by code (`matrix_for`); why one was not used, or used in
    part, is appended to `notes` (`names` labels the codes there).
    """
    notes = notes if notes is not None else []
    label = (names or {}).get

    def local(key: str, codes: list[str]) -> np.ndarray:
        equal = np.full(len(codes), 1.0 / len(codes))
        if len(codes) < 2:
            return equal
        matrix, note = matrix_for(judgements.get(key), codes, names)
        if note:
            notes.append(_("%(level)s: %(note)s") % {"level": label(key, key), "note": note})
        if matrix is None:
            return equal
        try:
            return ahp_weights(matrix, codes)
        except ValueError as exc:  # what is left after dropping some items may be inconsistent
            notes.append(_("%(level)s: without the items that took no part, the judgement matrix is not consistent "
                           "enough (%(error)s); this level is weighted equally") % {"level": label(key, key), "error": exc})
            return equal

    dims = [d for d in dimensions if any(c.dimension == d for c in columns)]
    dim_w = dict(zip(dims, local("dimensions", dims), strict=True)) if dims else {}
    out = {}
    for d in dims:
        codes = [c.code for c in columns if c.dimension == d]
        for code, w in zip(codes, local(d, codes), strict=True):
            out[code] = dim_w[d] * float(w)
    return out


def objective_weights(norm_filled: np.ndarray, columns: list[Column]) -> dict[str, float] | None:
    """Entropy weights over the pooled normalised matrix; None when the data cannot tell columns apart."""
    if norm_filled.shape[0] < 2:
        return None
    try:
        result = entropy_weights(matrix=norm_filled + 1e-9, criteria=[c.code for c in columns])
    except AnalyticsInputError:
        return None
    w = np.clip(result.weights, 0.0, None)  # round-off can leave -1e-17 on a constant column
    if w.sum() <= 0:
        return None
    return {c.code: float(v) for c, v in zip(columns, w / w.sum(), strict=True)}


def final_weights(method: str, columns: list[Column], dimensions: list[str], judgements: dict,
                  norm_filled: np.ndarray, notes: list[str] | None = None, names: dict | None = None) -> dict[str, float]:
    equal = {c.code: 1.0 for c in columns}
    if method == "equal":
        base = subjective_weights(columns, dimensions, {})
    elif method in ("ahp", "combined"):
        base = subjective_weights(columns, dimensions, judgements, notes, names)
    else:
        base = equal
    if method in ("entropy", "combined"):
        ent = objective_weights(norm_filled, columns)
        if ent is not None:
            codes = [c.code for c in columns]
            if method == "entropy":
                base = ent
            else:
                try:
                    w = combine_weights(subjective=[base[c] for c in codes], objective=[ent[c] for c in codes],
                                        method="linear", alpha=0.5)
                except AnalyticsInputError:  # degenerate weights: keep the judgements
                    w = [base[c] for c in codes]
                base = dict(zip(codes, map(float, w), strict=True))
    total = sum(base.values()) or 1.0
    return {k: v / total for k, v in base.items()}


def score(filled: np.ndarray, has: np.ndarray, weights: np.ndarray, method: str) -> np.ndarray:
    """0-100 per row over the columns present in the group."""
    w = np.where(has, weights, 0.0)
    if w.sum() <= 0 or filled.shape[0] == 0:
        return np.full(filled.shape[0], np.nan)
    w = w / w.sum()
    if method == "topsis":
        # A column where every org scores 0 tells nobody apart (and TOPSIS refuses it).
        cols = np.flatnonzero((w > 0) & filled.any(axis=0))
        if filled.shape[0] == 1 or cols.size == 0:
            return 100.0 * (filled @ w)
        result = topsis(matrix=filled[:, cols], weights=w[cols], normalization="minmax")
        return 100.0 * result.closeness
    return 100.0 * (filled @ w)


def ranks(scores: np.ndarray) -> np.ndarray:
    """1 = best; ties share the better rank."""
    order = -np.nan_to_num(scores, nan=-1.0)
    sorted_vals = np.sort(order)
    return np.searchsorted(sorted_vals, order, side="left") + 1
