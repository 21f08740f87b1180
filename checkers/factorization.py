"""Matrix-factorization dynamics for f(X, Y) = ½‖XYᵀ − A‖²_F, batched over instances.

All arrays may carry leading batch axes: A is (..., m, n), X (..., m, d), Y (..., n, d). One
implementation of the gradients serves alternating GD (Ward & Kolda), simultaneous GD and
Nesterov's accelerated gradient (Xu et al.).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def residual(A: np.ndarray, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """R = XYᵀ − A (batched)."""
    return X @ np.swapaxes(Y, -1, -2) - A


def grad_x(R: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """∇_X f = (XYᵀ − A) Y."""
    return R @ Y


def grad_y(R: np.ndarray, X: np.ndarray) -> np.ndarray:
    """∇_Y f = (XYᵀ − A)ᵀ X."""
    return np.swapaxes(R, -1, -2) @ X


def relative_error(A: np.ndarray, X: np.ndarray, Y: np.ndarray, *, squared: bool) -> np.ndarray:
    """‖A − XYᵀ‖²_F/‖A‖²_F (squared, Ward & Kolda) or ‖A − XYᵀ‖_F/‖A‖_F (unsquared, Xu et al.)."""
    num = np.sum(residual(A, X, Y) ** 2, axis=(-2, -1))
    den = np.sum(A**2, axis=(-2, -1))
    out = num / den
    return out if squared else np.sqrt(out)


@dataclass
class Run:
    """Result of a batched run: first iteration meeting the criterion (max_iter + 1 if never)."""

    iterations: np.ndarray  # (batch,) int
    converged: np.ndarray  # (batch,) bool
    diverged: np.ndarray  # (batch,) bool: the error became non-finite or exceeded 1e6
    errors: np.ndarray | None  # (steps + 1, batch) error history when requested
    X: np.ndarray
    Y: np.ndarray


def _hitting(err: np.ndarray, t: int, eps: float, first: np.ndarray, bad: np.ndarray) -> None:
    hit = (err <= eps) & (first < 0)
    first[hit] = t
    bad |= ~np.isfinite(err) | (err > 1e6)


def agd(A: np.ndarray, X0: np.ndarray, Y0: np.ndarray, eta: float | np.ndarray, *, eps: float,
        max_iter: int, squared: bool = True, history: bool = False) -> Run:
    """Alternating GD: X ← X − η(XYᵀ − A)Y, then Y ← Y − η(XYᵀ − A)ᵀX with the new X.

    Stops when every instance met ‖A − XYᵀ‖² ≤ ε‖A‖² (``squared``) or diverged, or at max_iter.
    """
    eta = np.asarray(eta, dtype=float)[..., None, None] if np.ndim(eta) else float(eta)
    X, Y = X0.copy(), Y0.copy()
    batch = A.shape[:-2]
    first = np.full(batch, -1, dtype=int)
    bad = np.zeros(batch, dtype=bool)
    hist = []
    err = relative_error(A, X, Y, squared=squared)
    _hitting(err, 0, eps, first, bad)
    hist.append(err)
    for t in range(1, max_iter + 1):
        if np.all((first >= 0) | bad) and not history:
            break
        X = X - eta * grad_x(residual(A, X, Y), Y)
        Y = Y - eta * grad_y(residual(A, X, Y), X)
        err = relative_error(A, X, Y, squared=squared)
        _hitting(err, t, eps, first, bad)
        if history:
            hist.append(err)
        if history and np.all((first >= 0) | bad):
            break
    conv = first >= 0
    its = np.where(conv, first, max_iter + 1)
    return Run(its, conv, bad & ~conv, np.array(hist) if history else None, X, Y)


def out_of_span(U: np.ndarray, Z: np.ndarray) -> np.ndarray:
    """‖(I − UUᵀ)Z‖_F/‖Z‖_F: how far the columns of Z leave the span of orthonormal U."""
    P = U @ (np.swapaxes(U, -1, -2) @ Z)
    return np.linalg.norm(Z - P, axis=(-2, -1)) / np.linalg.norm(Z, axis=(-2, -1))


def ward_kolda_init(A: np.ndarray, d: int, eta: float, C: float, D: float,
                    rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The asymmetric ("atypical") initialization, as reconstructed in our notes (σ₁(A) = 1):
    X₀ = AΦ/(√η·C), Y₀ = √η·D·Ψ with Φ, Ψ ∈ ℝ^{n×d} of i.i.d. N(0, 1/d) entries, so that
    col(X₀) ⊆ col(A). Batched over A's leading axes."""
    n = A.shape[-1]
    shape = A.shape[:-2] + (n, d)
    Phi = rng.standard_normal(shape) / np.sqrt(d)
    Psi = rng.standard_normal(shape) / np.sqrt(d)
    return A @ Phi / (np.sqrt(eta) * C), np.sqrt(eta) * D * Psi


def gaussian_init(A: np.ndarray, d: int, std: float,
                  rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Small balanced initialization: X₀, Y₀ with i.i.d. N(0, std²) entries."""
    m, n = A.shape[-2:]
    batch = A.shape[:-2]
    return std * rng.standard_normal(batch + (m, d)), std * rng.standard_normal(batch + (n, d))


def overparameterization_factor(d: int | np.ndarray, r: int | np.ndarray) -> np.ndarray:
    """d/(√d − √(r−1))², the typical 1/s_min² of an r×d Gaussian sketch with N(0, 1/d) entries."""
    d = np.asarray(d, dtype=float)
    return d / (np.sqrt(d) - np.sqrt(np.asarray(r, dtype=float) - 1)) ** 2


def objective(A: np.ndarray, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """f(X, Y) = ½‖XYᵀ − A‖²_F (batched)."""
    return 0.5 * np.sum(residual(A, X, Y) ** 2, axis=(-2, -1))


def agd_objective_trace(A: np.ndarray, X0: np.ndarray, Y0: np.ndarray, eta: float,
                        steps: int) -> np.ndarray:
    """f after each full AGD step (index 0 is the start), for the monotone-decrease check."""
    X, Y = X0.copy(), Y0.copy()
    out = [objective(A, X, Y)]
    for _ in range(steps):
        X = X - eta * grad_x(residual(A, X, Y), Y)
        Y = Y - eta * grad_y(residual(A, X, Y), X)
        out.append(objective(A, X, Y))
    return np.array(out)
