"""Hypothesis strategies for matrices with a prescribed spectrum.

Instances are drawn as small parameter records (dimensions, condition number, seed) and the
matrices are built from them deterministically, so a counterexample is a few JSON numbers that
replay exactly, and shrinking moves towards small, well-conditioned instances with seed 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument


def spectrum(rank: int, condition: float, spacing: str = "geometric") -> np.ndarray:
    """Singular values from σ₁ = 1 down to σ_r = 1/condition (geometric or linear spacing)."""
    if rank == 1:
        return np.ones(1)
    if spacing == "geometric":
        return np.geomspace(1.0, 1.0 / condition, rank)
    if spacing == "linear":
        return np.linspace(1.0, 1.0 / condition, rank)
    raise ValueError(f"spacing must be 'geometric' or 'linear', got {spacing!r}")


def orthonormal(rng: np.random.Generator, rows: int, cols: int) -> np.ndarray:
    """A rows×cols matrix with orthonormal columns (QR of a Gaussian, signs fixed)."""
    q, r = np.linalg.qr(rng.standard_normal((rows, cols)))
    return q * np.sign(np.diag(r))


@dataclass(frozen=True)
class LowRankMatrix:
    """An m×n rank-r matrix A = U diag(s) Vᵀ with σ₁ = 1 and σ_r = 1/condition, and a width d."""

    m: int
    n: int
    rank: int
    width: int
    condition: float
    seed: int
    spacing: str = "geometric"

    def factors(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rng = np.random.default_rng(self.seed)
        U = orthonormal(rng, self.m, self.rank)
        V = orthonormal(rng, self.n, self.rank)
        return U, spectrum(self.rank, self.condition, self.spacing), V

    def matrix(self) -> np.ndarray:
        U, s, V = self.factors()
        return (U * s) @ V.T

    def rng(self, stream: int = 1) -> np.random.Generator:
        """An independent generator for this instance's other draws (initializations, ...)."""
        return np.random.default_rng([self.seed, stream])


def _check_range(name: str, lo: float, hi: float, minimum: float) -> None:
    if not (minimum <= lo <= hi):
        raise InvalidArgument(f"{name} must satisfy {minimum} <= min <= max, got ({lo}, {hi})")


@st.composite
def _low_rank(draw, rows, cols, ranks, width_ratio, width_extra, conditions, spacings, seeds):
    r = draw(st.integers(*ranks))
    m = draw(st.integers(max(rows[0], r), max(rows[1], r)))
    n = draw(st.integers(max(cols[0], r), max(cols[1], r)))
    extra = draw(st.integers(0, width_extra))
    d = min(max(r, int(np.ceil(width_ratio * r))) + extra, min(m, n))
    d = max(d, r)
    kappa = draw(st.floats(*conditions, allow_nan=False, allow_infinity=False))
    if r == 1:  # a rank-one matrix has σ₁ = σ_r: record the condition number it really has
        kappa = 1.0
    spacing = draw(st.sampled_from(spacings))
    seed = draw(st.integers(0, seeds))
    return LowRankMatrix(m, n, r, d, float(kappa), seed, spacing)


def low_rank_matrices(*, rows: tuple[int, int] = (6, 40), cols: tuple[int, int] = (6, 40),
                      ranks: tuple[int, int] = (1, 5), width_ratio: float = 1.0,
                      width_extra: int = 4, conditions: tuple[float, float] = (1.0, 50.0),
                      spacings: tuple[str, ...] = ("geometric", "linear"),
                      seeds: int = 2**31 - 1) -> st.SearchStrategy[LowRankMatrix]:
    """Rank-r matrices with σ₁ = 1 and condition number κ in ``conditions`` (closed interval),
    with a factor width d = max(r, ⌈width_ratio·r⌉) + extra, extra in [0, width_extra], capped at
    min(m, n). Row and column counts are at least r; rank-one instances have κ = 1 whatever the
    interval. Shrinks towards small r, m, n, κ = min,
    d at its minimum and seed 0."""
    _check_range("rows", *rows, 1)
    _check_range("cols", *cols, 1)
    _check_range("ranks", *ranks, 1)
    _check_range("conditions", *conditions, 1.0)
    if width_ratio < 1:
        raise InvalidArgument(f"width_ratio must be >= 1 (d >= r), got {width_ratio}")
    if width_extra < 0:
        raise InvalidArgument(f"width_extra must be >= 0, got {width_extra}")
    bad = set(spacings) - {"geometric", "linear"}
    if bad or not spacings:
        raise InvalidArgument(f"spacings must be a non-empty subset of geometric, linear; got {spacings}")
    return _low_rank(rows, cols, ranks, width_ratio, width_extra, conditions, tuple(spacings), seeds)


def low_rank_batch(m: int, n: int, rank: int, conditions: np.ndarray | list[float],
                   seeds: np.ndarray | list[int], spacing: str = "geometric") -> np.ndarray:
    """A (batch, m, n) stack of LowRankMatrix(m, n, rank, rank, κ_i, seed_i).matrix()."""
    return np.stack([LowRankMatrix(m, n, rank, rank, float(k), int(s), spacing).matrix()
                     for k, s in zip(conditions, seeds, strict=True)])
