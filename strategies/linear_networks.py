"""Hypothesis strategies for two-layer linear-network regression problems Y = W*X.

A problem is a small parameter record (sizes, label rank, condition numbers, seed) and the data are
built from it deterministically, so a counterexample is a few JSON numbers that replay exactly.
The labels are exactly a linear function of the data (the interpolation assumption), built as
Y = U_y diag(s_y) Q_yᵀ with Q_y a random orthonormal basis inside the row space of X, so that
rank(Y) and κ(Y) are prescribed while W* = Y X⁺ mixes all of X's directions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from strategies.matrices import orthonormal, spectrum


@dataclass(frozen=True)
class LinearNetworkProblem:
    """Data X ∈ ℝ^{n×N} (full row rank n ≤ N, σ₁ = 1, κ(X) = data_condition) and labels
    Y ∈ ℝ^{m×N} of rank ``rank`` with σ₁(Y) = 1, κ(Y) = label_condition, and Y = (YX⁺)X."""

    m: int
    n: int
    N: int
    rank: int
    width: int
    data_condition: float
    label_condition: float
    seed: int

    def data(self) -> np.ndarray:
        rng = np.random.default_rng([self.seed, 0])
        U = orthonormal(rng, self.n, self.n)
        V = orthonormal(rng, self.N, self.n)
        return (U * spectrum(self.n, self.data_condition)) @ V.T

    def labels(self) -> np.ndarray:
        rng = np.random.default_rng([self.seed, 0])
        orthonormal(rng, self.n, self.n)  # same stream as data(): V is the row space of X
        V = orthonormal(rng, self.N, self.n)
        Q = V @ orthonormal(rng, self.n, self.rank)  # orthonormal, inside row(X)
        Uy = orthonormal(rng, self.m, self.rank)
        return (Uy * spectrum(self.rank, self.label_condition)) @ Q.T

    def rng(self, stream: int = 1) -> np.random.Generator:
        """An independent generator for this problem's other draws (initializations, ...)."""
        return np.random.default_rng([self.seed, 1000 + stream])


def linear_network_batch(problems: list[LinearNetworkProblem]) -> tuple[np.ndarray, np.ndarray]:
    """(X, Y) stacked over problems of equal sizes: shapes (B, n, N) and (B, m, N)."""
    return (np.stack([p.data() for p in problems]), np.stack([p.labels() for p in problems]))


def _check(name: str, lo: float, hi: float, minimum: float) -> None:
    if not (minimum <= lo <= hi):
        raise InvalidArgument(f"{name} must satisfy {minimum} <= min <= max, got ({lo}, {hi})")


@st.composite
def _problems(draw, outputs, features, extra_samples, ranks, width_deficit, data_conditions,
              label_conditions, seeds):
    r = draw(st.integers(*ranks))
    n = draw(st.integers(max(features[0], r), max(features[1], r)))
    m = draw(st.integers(max(outputs[0], r), max(outputs[1], r)))
    N = n + draw(st.integers(*extra_samples))
    d = r - draw(st.integers(*width_deficit))
    kx = draw(st.floats(*data_conditions, allow_nan=False, allow_infinity=False))
    ky = draw(st.floats(*label_conditions, allow_nan=False, allow_infinity=False))
    seed = draw(st.integers(0, seeds))
    return LinearNetworkProblem(m, n, N, r, d, float(kx), float(ky), seed)


def linear_network_problems(*, outputs: tuple[int, int] = (3, 20),
                            features: tuple[int, int] = (3, 15),
                            extra_samples: tuple[int, int] = (0, 20),
                            ranks: tuple[int, int] = (1, 4),
                            width_deficit: tuple[int, int] = (0, 0),
                            data_conditions: tuple[float, float] = (1.0, 10.0),
                            label_conditions: tuple[float, float] = (1.0, 10.0),
                            seeds: int = 2**31 - 1) -> st.SearchStrategy[LinearNetworkProblem]:
    """Problems with m outputs, n features, N = n + extra samples, label rank r and network width
    d = r − deficit (deficit 0: the minimal width the paper allows; deficit ≥ 1: below the rank).
    Shrinks towards small sizes, well-conditioned data and seed 0."""
    _check("outputs", *outputs, 1)
    _check("features", *features, 1)
    _check("extra_samples", *extra_samples, 0)
    _check("ranks", *ranks, 1)
    _check("width_deficit", *width_deficit, 0)
    _check("data_conditions", *data_conditions, 1.0)
    _check("label_conditions", *label_conditions, 1.0)
    if width_deficit[1] >= ranks[0]:
        raise InvalidArgument(f"width_deficit max {width_deficit[1]} must be below the smallest "
                              f"rank {ranks[0]} (the width must stay >= 1)")
    return _problems(outputs, features, extra_samples, ranks, width_deficit, data_conditions,
                     label_conditions, seeds)
