"""Hypothesis strategies for least-squares systems Ax = b with a prescribed spectrum of AᵀA.

An instance is a small parameter record (rows, columns, condition number, spectrum profile, row
spread, seed); the matrix is built from it deterministically as A = U diag(√Λ) V with U (n×d)
orthonormal columns and V (d×d) orthogonal, so eig(AᵀA) = Λ exactly (up to rounding) and a
counterexample is a few JSON numbers that replay exactly. Shrinking moves towards few rows and
columns, κ at its minimum, the slow-algebraic (linear) profile, equal row norms and seed 0.

The spectrum profiles are the four families of the authors' ``fig_B_dependence`` notebook, with
t_i = linspace(0, 1, d) and λ₁ = 1, λ_d = κ:
    slow-algebraic  Λ_i = 1 + t_i (κ − 1)
    fast-algebraic  Λ_i = 1 + t_i² (κ − 1)
    slow-exponential Λ_i = 1 + t_i (κ − 1) 0.8^{d−i−1}
    fast-exponential Λ_i = 1 + t_i (κ − 1) 0.1^{d−i−1}
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

PROFILES = ("slow-algebraic", "fast-algebraic", "slow-exponential", "fast-exponential")


def paper_spectrum(d: int, condition: float, profile: str = "slow-algebraic",
                   decay: float | None = None) -> np.ndarray:
    """Eigenvalues of AᵀA for one of the paper's profiles (λ₁ = 1, λ_d = κ), ascending.

    ``decay`` overrides the exponential base (the inconsistent-system experiment uses 0.5)."""
    t = np.linspace(0.0, 1.0, d)
    i = np.arange(d)
    if profile == "slow-algebraic":
        return 1 + t * (condition - 1)
    if profile == "fast-algebraic":
        return 1 + t**2 * (condition - 1)
    if profile in ("slow-exponential", "fast-exponential"):
        base = decay if decay is not None else (0.8 if profile == "slow-exponential" else 0.1)
        return 1 + t * (condition - 1) * base ** (d - i - 1)
    raise ValueError(f"profile must be one of {PROFILES}, got {profile!r}")


@dataclass(frozen=True)
class LeastSquaresSystem:
    """A = U diag(√Λ) V (n×d), x* ~ N(0, I_d), b = A x* (+ optional noise orthogonal to range A).

    ``row_spread`` ≥ 1 makes the row norms unequal without changing the spectrum: U is the Q
    factor of a Gaussian whose rows are scaled by ``row_spread`` with probability 0.1 (the
    authors' sampling-probability experiment scales rows by 10 with probability 0.1)."""

    n: int
    d: int
    condition: float
    profile: str = "slow-algebraic"
    row_spread: float = 1.0
    noise: float = 0.0
    seed: int = 0

    def spectrum(self) -> np.ndarray:
        return paper_spectrum(self.d, self.condition, self.profile)

    def _rng(self) -> np.random.Generator:
        return np.random.default_rng([self.seed, 0])

    def factors(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(U, Λ, V) with A = U diag(√Λ) V."""
        rng = self._rng()
        G = rng.standard_normal((self.n, self.d))
        if self.row_spread != 1.0:
            G *= np.where(rng.random(self.n) < 0.1, self.row_spread, 1.0)[:, None]
        U, R = np.linalg.qr(G)
        U = U * np.sign(np.diag(R))
        Q, R2 = np.linalg.qr(rng.standard_normal((self.d, self.d)))
        V = Q * np.sign(np.diag(R2))
        return U, self.spectrum(), V

    def matrix(self) -> np.ndarray:
        U, lam, V = self.factors()
        return (U * np.sqrt(lam)) @ V

    def solution(self) -> np.ndarray:
        """x*: the consistent solution (and the least-squares solution, the noise being ⊥ range A)."""
        return np.random.default_rng([self.seed, 1]).standard_normal(self.d)

    def rhs(self) -> np.ndarray:
        U, lam, V = self.factors()
        b = ((U * np.sqrt(lam)) @ V) @ self.solution()
        if self.noise:
            r = np.random.default_rng([self.seed, 2]).standard_normal(self.n)
            r -= U @ (U.T @ r)
            b = b + self.noise * r / np.linalg.norm(r)
        return b

    def rng(self, stream: int = 3) -> np.random.Generator:
        """An independent generator for this instance's other draws (sampling, starting points)."""
        return np.random.default_rng([self.seed, stream])


def _check_range(name: str, lo: float, hi: float, minimum: float) -> None:
    if not (minimum <= lo <= hi):
        raise InvalidArgument(f"{name} must satisfy {minimum} <= min <= max, got ({lo}, {hi})")


@st.composite
def _systems(draw, rows, cols, conditions, profiles, row_spreads, seeds):
    d = draw(st.integers(*cols))
    n = draw(st.integers(max(rows[0], d), max(rows[1], d)))
    kappa = draw(st.floats(*conditions, allow_nan=False, allow_infinity=False))
    profile = draw(st.sampled_from(profiles))
    spread = draw(st.floats(*row_spreads, allow_nan=False, allow_infinity=False))
    seed = draw(st.integers(0, seeds))
    return LeastSquaresSystem(n, d, float(kappa), profile, float(spread), 0.0, seed)


def least_squares_systems(*, rows: tuple[int, int] = (10, 200), cols: tuple[int, int] = (2, 10),
                          conditions: tuple[float, float] = (1.0, 100.0),
                          profiles: tuple[str, ...] = PROFILES,
                          row_spreads: tuple[float, float] = (1.0, 1.0),
                          seeds: int = 2**31 - 1) -> st.SearchStrategy[LeastSquaresSystem]:
    """Consistent systems with n ∈ rows (at least d), d ∈ cols, κ = λ_d/λ₁ ∈ conditions (closed),
    spectrum profile from ``profiles`` (shrinks to the first) and row spread in ``row_spreads``."""
    _check_range("rows", *rows, 1)
    _check_range("cols", *cols, 1)
    _check_range("conditions", *conditions, 1.0)
    _check_range("row_spreads", *row_spreads, 1.0)
    bad = set(profiles) - set(PROFILES)
    if bad or not profiles:
        raise InvalidArgument(f"profiles must be a non-empty subset of {PROFILES}; got {profiles}")
    if seeds < 0:
        raise InvalidArgument(f"seeds must be >= 0, got {seeds}")
    return _systems(rows, cols, conditions, tuple(profiles), row_spreads, seeds)
