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


def _finish_run(first: np.ndarray, bad: np.ndarray, max_iter: int, hist: list | None,
                X: np.ndarray, Y: np.ndarray) -> Run:
    """A Run from first hitting times (-1: never), counting a run that never hit as max_iter + 1."""
    conv = first >= 0
    its = np.where(conv, first, max_iter + 1)
    return Run(its, conv, bad & ~conv, None if hist is None else np.array(hist), X, Y)


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
    return _finish_run(first, bad, max_iter, hist if history else None, X, Y)


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


# --------------------------------------------------------------------------------------------
# Xu, Wang, Zhao, Ward & Tao: simultaneous GD and Nesterov's accelerated gradient (NAG) from the
# unbalanced start X₀ = c·AΦ, Y₀ = 0, and the two-layer linear network. Same gradients as above.


def _per_instance(v: float | np.ndarray) -> float | np.ndarray:
    """A step or momentum given per instance (batch,) broadcast against (batch, rows, cols)."""
    return np.asarray(v, dtype=float)[..., None, None] if np.ndim(v) else float(v)


def nag(A: np.ndarray, X0: np.ndarray, Y0: np.ndarray, eta: float | np.ndarray,
        beta: float | np.ndarray, *, eps: float, max_iter: int, squared: bool = False,
        history: bool = False) -> Run:
    """Nesterov's accelerated gradient on f(X, Y) = ½‖XYᵀ − A‖²_F, simultaneous in X and Y:
    X̃ = X_t + β(X_t − X_{t−1}), Ỹ likewise (X_{−1} = X₀), then X_{t+1} = X̃ − η∇_X f(X̃, Ỹ),
    Y_{t+1} = Ỹ − η∇_Y f(X̃, Ỹ). β = 0 is plain GD. ``eta``/``beta`` may be per instance.
    Stops when every instance met ‖XYᵀ − A‖_F ≤ ε‖A‖_F (unsquared by default, Xu et al.) or
    diverged (error non-finite or > 1e6), or at max_iter; counts as in :func:`agd`."""
    eta, beta = _per_instance(eta), _per_instance(beta)
    X, Y = X0.copy(), Y0.copy()
    Xp, Yp = X, Y
    batch = A.shape[:-2]
    first = np.full(batch, -1, dtype=int)
    bad = np.zeros(batch, dtype=bool)
    err = relative_error(A, X, Y, squared=squared)
    _hitting(err, 0, eps, first, bad)
    hist = [err]
    momentum = np.any(np.asarray(beta) != 0)
    for t in range(1, max_iter + 1):
        if np.all((first >= 0) | bad):
            break
        if momentum:
            Xb, Yb = X + beta * (X - Xp), Y + beta * (Y - Yp)
        else:
            Xb, Yb = X, Y
        R = residual(A, Xb, Yb)
        Xp, Yp = X, Y
        X, Y = Xb - eta * grad_x(R, Yb), Yb - eta * grad_y(R, Xb)
        err = relative_error(A, X, Y, squared=squared)
        _hitting(err, t, eps, first, bad)
        if history:
            hist.append(err)
    return _finish_run(first, bad, max_iter, hist if history else None, X, Y)


def gd(A: np.ndarray, X0: np.ndarray, Y0: np.ndarray, eta: float | np.ndarray, *, eps: float,
       max_iter: int, squared: bool = False, history: bool = False) -> Run:
    """Simultaneous gradient descent (both blocks from the same iterate): NAG with β = 0."""
    return nag(A, X0, Y0, eta, 0.0, eps=eps, max_iter=max_iter, squared=squared, history=history)


def unbalanced_init(A: np.ndarray, d: int, c: float,
                    rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """X₀ = c·AΦ with Φ ∈ ℝ^{n×d} of i.i.d. N(0, 1/d) entries, Y₀ = 0 (batched over A's leading
    axes). "X₀ large, Y₀ = 0" is the paper's; the form c·AΦ and the variance are reconstructed."""
    n = A.shape[-1]
    Phi = rng.standard_normal(A.shape[:-2] + (n, d)) / np.sqrt(d)
    X0 = c * (A @ Phi)
    return X0, np.zeros(A.shape[:-2] + (n, d))


def nag_parameters(X0: np.ndarray, r: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(η, β, κ(X₀)) from the start's spectrum: η = 1/σ₁(X₀)², q = σ_r(X₀)/σ₁(X₀),
    β = (1 − q)/(1 + q), κ(X₀) = 1/q. With Y₀ = 0 the Y-block is the quadratic
    ½‖X₀Yᵀ − A‖² whose curvature on col(Aᵀ) lies in [σ_r(X₀)², σ₁(X₀)²]; these are the textbook
    NAG constants for it (our reconstruction; the paper's exact η, β were not readable)."""
    s = np.linalg.svd(X0, compute_uv=False)
    q = s[..., r - 1] / s[..., 0]
    return 1.0 / s[..., 0] ** 2, (1 - q) / (1 + q), 1.0 / q


def lnn_nag(Xd: np.ndarray, Yl: np.ndarray, W2: np.ndarray, V1: np.ndarray,
            eta: float | np.ndarray, beta: float | np.ndarray, *, eps: float, max_iter: int,
            history: bool = False) -> Run:
    """NAG (β = 0: GD) on the two-layer linear network f(W₁, W₂) = ½‖W₂W₁X − Y‖²_F with data
    X = ``Xd`` (n×N), labels Y = ``Yl`` (m×N), W₂ (m×d) and W₁ = V1ᵀ (d×n). The network is the
    factorization Y ≈ W₂·(XᵀV₁)ᵀ, so the residual and gradients are the MF ones:
    ∇_{W₂} = grad_x(R, XᵀV₁), ∇_{V₁} = X·grad_y(R, W₂). Criterion ‖W₂W₁X − Y‖_F ≤ ε‖Y‖_F.
    The returned Run holds W₂ in ``X`` and V₁ in ``Y``."""
    eta, beta = _per_instance(eta), _per_instance(beta)
    XdT = np.swapaxes(Xd, -1, -2)
    W, V = W2.copy(), V1.copy()
    Wp, Vp = W, V
    batch = Yl.shape[:-2]
    first = np.full(batch, -1, dtype=int)
    bad = np.zeros(batch, dtype=bool)
    err = relative_error(Yl, W, XdT @ V, squared=False)
    _hitting(err, 0, eps, first, bad)
    hist = [err]
    for t in range(1, max_iter + 1):
        if np.all((first >= 0) | bad) and not history:
            break
        Wb, Vb = W + beta * (W - Wp), V + beta * (V - Vp)
        H = XdT @ Vb  # (W₁X)ᵀ, N×d
        R = residual(Yl, Wb, H)
        Wp, Vp = W, V
        W, V = Wb - eta * grad_x(R, H), Vb - eta * (Xd @ grad_y(R, Wb))
        err = relative_error(Yl, W, XdT @ V, squared=False)
        _hitting(err, t, eps, first, bad)
        if history:
            hist.append(err)
    return _finish_run(first, bad, max_iter, hist if history else None, W, V)


def lnn_unbalanced_init(Yl: np.ndarray, n: int, d: int, c: float,
                        rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The unbalanced start carried to the network: W₂ = c·YΦ (inside col(Y)), Φ ∈ ℝ^{N×d}
    with N(0, 1/d) entries, W₁ = 0 (reconstructed analogue of X₀ = c·AΦ, Y₀ = 0)."""
    N = Yl.shape[-1]
    Phi = rng.standard_normal(Yl.shape[:-2] + (N, d)) / np.sqrt(d)
    return c * (Yl @ Phi), np.zeros(Yl.shape[:-2] + (n, d))


def lnn_nag_parameters(Xd: np.ndarray, W2: np.ndarray, r: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(η, β, κ_eff) for the network from its start: with W₂ frozen and W₁ = 0 the W₁-block is a
    quadratic whose curvature lies in [σ_r(W₂)²σ_min(X)², σ₁(W₂)²σ₁(X)²] on the relevant
    subspace (X of full row rank); η = 1/L, q = 1/κ_eff, β = (1 − q)/(1 + q) (reconstructed)."""
    sw = np.linalg.svd(W2, compute_uv=False)
    sx = np.linalg.svd(Xd, compute_uv=False)
    L = (sw[..., 0] * sx[..., 0]) ** 2
    q = (sw[..., r - 1] * sx[..., -1]) / (sw[..., 0] * sx[..., 0])
    return 1.0 / L, (1 - q) / (1 + q), 1.0 / q


def low_rank_floor(Yl: np.ndarray, d: int) -> np.ndarray:
    """Eckart–Young: min over rank-≤d M of ‖M − Y‖_F/‖Y‖_F = √(Σ_{i>d} σ_i(Y)²)/‖Y‖_F."""
    s = np.linalg.svd(Yl, compute_uv=False)
    return np.sqrt(np.sum(s[..., d:] ** 2, axis=-1) / np.sum(s**2, axis=-1))


def crossing_times(errors: np.ndarray, eps: float) -> np.ndarray:
    """First time each error history (steps + 1, batch) reaches ``eps``, interpolated log-linearly
    between the last step above and the first step at or below it (a linear rate is a straight
    line in log error). Unlike the integer hitting time this carries no rounding of up to one
    step, which matters when hitting times are differenced and normalised. NaN where never met."""
    err = np.asarray(errors, dtype=float)
    hit = err <= eps
    t = np.argmax(hit, axis=0)
    cols = np.arange(err.shape[1])
    before, after = np.log(err[np.maximum(t - 1, 0), cols]), np.log(err[t, cols])
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(t > 0, (before - np.log(eps)) / (before - after), 0.0)
    out = np.where(t > 0, t - 1 + frac, 0.0)
    return np.where(hit.any(axis=0), out, np.nan)


def first_increase(trace, floor: float) -> tuple[int, float]:
    """(t, f_{t+1}/f_t) at the first increase of an objective trace, or (-1, largest ratio),
    looking only while f_t > floor·f₀ (below it float64 differences are rounding noise).
    Works on floats and on mpmath numbers alike."""
    worst = 0.0
    for t in range(len(trace) - 1):
        if not trace[t] > floor * trace[0]:
            break
        ratio = trace[t + 1] / trace[t]
        if ratio > 1:
            return t, ratio
        worst = max(worst, ratio)
    return -1, worst
