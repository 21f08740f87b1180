"""Heavy-ball momentum (deterministic and minibatch) and randomized Kaczmarz on least squares.

Follows the authors' code for Bollapragada, Chen & Ward (github tchen-research/Minibatch-HBM,
``RK_bin/RK_main.py``; see ../shared/papers/momentum-forgetting-egd.md §1.1–1.4):

- inflated spectral interval ℓ = λ₁ − λ₁/c, L = λ_d + λ₁/c (c > 1),
- α = 4/(√L + √ℓ)², β = ((√L − √ℓ)/(√L + √ℓ))²,
- κ_C = 2-norm condition number of the eigenvector matrix of T_{λ₁} = [[1+β−αλ₁, −β], [1, 0]],
- x₁ = x₀, x_{k+1} = x_k − α g_k + β (x_k − x_{k−1}), with g_k the exact gradient (HBM) or
  (1/B) Σ_{j ∈ S_k} a_j (a_jᵀx_k − b_j)/p_j over B indices drawn i.i.d. with replacement from p
  (row-norm p_j = ‖a_j‖²/‖A‖_F², or uniform p_j = 1/n).

Trajectories are stored as in the authors' arrays: index k holds the iterate after k updates,
the first of which has no momentum (x₋₁ = x₀). With e = x − x*, the stacked error
[e_k; e_{k−1}] = T^k [e₀; e₀], so ‖x[k] − x*‖ ≤ ‖T^k‖·√2‖e₀‖ ≤ √2 κ_C β^{k/2} ‖x₀ − x*‖
(T is block-diagonal in AᵀA's eigenbasis and cond(U_λ) is largest at λ₁ and λ_d).

Minibatch runs are batched over independent runs (leading axis ``runs``): each step draws a
(runs, B) array of row indices with an alias table (or, when B > n, the occurrence counts
directly from Multinomial(B, p), the same law); the gradient depends on the indices only through
how often each row was drawn, so it is formed from the occurrence counts with two GEMMs,
O(runs·(B + n·d)) per step (gathering the rows instead costs O(runs·B·d) memory traffic and was
several times slower for B ≥ n). The exact enumeration of the sampling law uses the same counts.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import mpmath
import numpy as np

E16 = 16.0 * math.e  # the prefactor 16e of ``getB``


@dataclass(frozen=True)
class HBMParameters:
    """Step size, momentum and the constants of the deterministic bound for one spectrum."""

    lam_min: float
    lam_max: float
    c: float
    gamma: float
    ell: float
    L: float
    alpha: float
    beta: float
    kappa_C: float

    @property
    def rate(self) -> float:
        """√β, the per-iteration contraction of the deterministic bound."""
        return math.sqrt(self.beta)


def inflated_interval(lam_min: float, lam_max: float, c: float) -> tuple[float, float, float]:
    """(γ, ℓ, L) with γ = λ₁/c: the interval [ℓ, L] strictly contains the spectrum."""
    if not c > 1:
        raise ValueError(f"the inflation constant c must exceed 1, got {c}")
    gamma = lam_min / c
    return gamma, lam_min - gamma, lam_max + gamma


def step_and_momentum(ell: float, L: float, sqrt=math.sqrt) -> tuple[float, float]:
    """α = 4/(√L + √ℓ)², β = ((√L − √ℓ)/(√L + √ℓ))² (written via √β to avoid cancellation).
    ``sqrt=mpmath.sqrt`` with mpf arguments gives the same formulas at working precision."""
    s, S = sqrt(ell), sqrt(L)
    return 4.0 / (S + s) ** 2, ((S - s) / (S + s)) ** 2


def eigvec_condition(alpha: float, beta: float, lam: float | np.ndarray) -> np.ndarray:
    """2-norm condition number of the unit-column eigenvector matrix of T_λ (closed form).

    For eigenvalues μ₁, μ₂ of T_λ the eigenvectors are (μ_i, 1)/√(1 + |μ_i|²); with
    ρ = ⟨u₁, u₂⟩ the Gram matrix has eigenvalues 1 ± |ρ|, so cond = √((1 + |ρ|)/(1 − |ρ|)).
    Equals ``np.linalg.cond(np.linalg.eig(T)[1])`` (the authors' κ_C) away from double roots.
    """
    lam = np.asarray(lam, dtype=float)
    t = 1.0 + beta - alpha * lam
    root = np.sqrt((t * t - 4.0 * beta).astype(complex))
    mu1, mu2 = (t + root) / 2, (t - root) / 2
    rho = np.abs(np.conj(mu1) * mu2 + 1.0) / np.sqrt((1 + np.abs(mu1) ** 2) * (1 + np.abs(mu2) ** 2))
    with np.errstate(divide="ignore"):
        return np.sqrt((1 + rho) / (1 - rho))


def eigvec_condition_inside(alpha: float, beta: float, ell: float, L: float,
                            lam: float | np.ndarray) -> np.ndarray:
    """The same condition number for ℓ < λ < L, in a form without cancellation.

    Inside (ℓ, L) the roots are complex with |μ|² = β; then |ρ| = √((1−β)² + t²)/(1+β) and
    1 − |ρ|² = (4β − t²)/(1+β)², and 4β − t² = α²(λ−ℓ)(L−λ) (the discriminant identity), so
    cond = (1 + β + √((1−β)² + t²)) / (α √((λ−ℓ)(L−λ))). The 1 − |ρ| of the general formula
    loses all digits as c → ∞ (a near-Jordan block); this form keeps them."""
    lam = np.asarray(lam, dtype=float)
    t = 1.0 + beta - alpha * lam
    return (1 + beta + np.sqrt((1 - beta) ** 2 + t * t)) / (alpha * np.sqrt((lam - ell) * (L - lam)))


def hbm_parameters(eigenvalues: np.ndarray, c: float) -> HBMParameters:
    """The authors' ``get_params``: parameters from the eigenvalues of AᵀA and the inflation c."""
    lam = np.sort(np.asarray(eigenvalues, dtype=float))
    gamma, ell, L = inflated_interval(float(lam[0]), float(lam[-1]), c)
    alpha, beta = step_and_momentum(ell, L)
    # κ_C of the transition matrix actually run (float α, β), to full float precision: the float
    # closed forms lose up to ~1e-11 relative when c is large (near-Jordan block).
    kc = float(mp_eigvec_condition(alpha, beta, float(lam[0]), dps=40))
    return HBMParameters(float(lam[0]), float(lam[-1]), float(c), gamma, ell, L, alpha, beta, kc)


def kappa_c_comment_bound(p: HBMParameters) -> float:
    """The closed-form upper bound 4/(α√(γ(L − λ₁))) from the comment in ``get_params``."""
    return 4.0 / (p.alpha * math.sqrt(p.gamma * (p.L - p.lam_min)))


def batch_size_star(eigenvalues: np.ndarray, alpha: float, beta: float, *, mode: str = "approx",
                    k_star: float | None = None, kappa_C: float | None = None,
                    prefactor: float = E16, dim_factor: float = 2.0) -> int:
    """The authors' ``getB``: B* = ⌊16e·tr(AᵀA)·λ_d·log(2d)·α²/(β log(1/β))⌋ ('approx'), or the
    'true' mode for a horizon k*. ``prefactor`` and ``dim_factor`` exist so that mutants can
    change 16e and the 2 in log(2d)."""
    lam = np.sort(np.asarray(eigenvalues, dtype=float))
    d = lam.size
    tr, top = float(lam.sum()), float(lam[-1])
    logdim = math.log(dim_factor * d)
    if mode == "approx":
        return int(prefactor * tr * top * logdim * alpha**2 / (beta * math.log(1 / beta)))
    if mode == "true":
        if k_star is None or kappa_C is None:
            raise ValueError("mode 'true' needs k_star and kappa_C")
        lk = math.log(k_star)
        head = prefactor * tr * logdim * alpha**2 * kappa_C**2 * k_star / (beta * lk)
        return int(head * max(top, math.sqrt(2 * beta * lk) / (alpha * kappa_C * math.sqrt(k_star))))
    raise ValueError(f"mode must be 'approx' or 'true', got {mode!r}")


def horizon(eps: float, kappa_C: float, beta: float) -> float:
    """The authors' ``get_k_``: k* = 2 log(ε/(√2 κ_C))/log β, where the bound reaches ε."""
    return 2 * math.log(eps / (math.sqrt(2) * kappa_C)) / math.log(beta)


def deterministic_bound(p: HBMParameters, steps: int, *, rate_exponent: float = 0.5,
                        kappa_factor: float | None = None) -> np.ndarray:
    """√2 κ_C β^{k·rate_exponent}, k = 0..steps (relative to ‖e₀‖); the knobs serve mutants."""
    kc = p.kappa_C if kappa_factor is None else kappa_factor
    return math.sqrt(2) * kc * p.beta ** (rate_exponent * np.arange(steps + 1))


def sampling_probabilities(A: np.ndarray, sampling: str) -> np.ndarray:
    """Row-norm p_j = ‖a_j‖²/‖A‖_F² or uniform p_j = 1/n."""
    n = A.shape[0]
    if sampling == "row_norm":
        w = np.einsum("ij,ij->i", A, A)
        return w / w.sum()
    if sampling == "uniform":
        return np.full(n, 1.0 / n)
    raise ValueError(f"sampling must be 'row_norm' or 'uniform', got {sampling!r}")


def minibatch_gradient(A: np.ndarray, b: np.ndarray, x: np.ndarray, counts: np.ndarray,
                       probs: np.ndarray, *, reweight: bool = True) -> np.ndarray:
    """(1/B) Σ_j counts_j · w_j · a_j(a_jᵀx − b_j), batched over the rows of x and counts.

    w_j = 1/p_j (unbiased); with ``reweight=False`` w_j = 1 (a deliberately biased variant)."""
    counts = np.atleast_2d(counts).astype(float)
    B = counts.sum(axis=-1, keepdims=True)
    w = counts / probs if reweight else counts
    r = np.atleast_2d(x) @ A.T - b  # (runs, n) residuals
    return ((w * r) @ A) / B


class AliasSampler:
    """Walker–Vose alias table: O(1) i.i.d. draws with replacement from a discrete law p.

    Built once per matrix (O(n)); each draw is one uniform integer and one uniform real, which is
    several times faster than inverse-CDF search when a step needs runs·B ~ 10⁵–10⁶ indices."""

    def __init__(self, probs: np.ndarray) -> None:
        p = np.asarray(probs, dtype=float)
        n = p.size
        scaled = p * n / p.sum()
        self.accept = np.ones(n)
        self.alias = np.arange(n)
        small = [i for i in range(n) if scaled[i] < 1.0]
        large = [i for i in range(n) if scaled[i] >= 1.0]
        while small and large:
            s, l = small.pop(), large.pop()
            self.accept[s], self.alias[s] = scaled[s], l
            scaled[l] -= 1.0 - scaled[s]
            (small if scaled[l] < 1.0 else large).append(l)
        # leftovers are 1 up to rounding: accept them outright

    def __call__(self, size: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        cols = rng.integers(0, self.accept.size, size)
        return np.where(rng.random(size) < self.accept[cols], cols, self.alias[cols])


@dataclass
class HBMRun:
    """Relative errors ‖x[k] − x*‖/‖x₀ − x*‖ for k = 0..steps, shape (steps + 1, runs).

    A run whose relative error exceeds ``cap`` is frozen there and flagged ``diverged``; the
    errors after that step are recorded as ``cap`` (divergence made explicit, never inf)."""

    errors: np.ndarray
    diverged: np.ndarray
    diverged_at: np.ndarray  # first k with error > cap, -1 if never
    x: np.ndarray  # final iterates (runs, d)


def minibatch_hbm(A: np.ndarray, b: np.ndarray, x_star: np.ndarray, alpha: float, beta: float,
                  B: int, steps: int, runs: int, rng: np.random.Generator, *,
                  sampling: str = "row_norm", reweight: bool = True,
                  x0: np.ndarray | None = None, cap: float = 1e8) -> HBMRun:
    """``runs`` independent minibatch-HBM runs (the authors' ``minibatch_HBM``), batched."""
    n, d = A.shape
    probs = sampling_probabilities(A, sampling)
    draw = AliasSampler(probs)
    x_prev = np.zeros((runs, d)) if x0 is None else np.tile(x0, (runs, 1))
    x = x_prev.copy()
    e0 = float(np.linalg.norm(x[0] - x_star))
    errors = np.empty((steps + 1, runs))
    errors[0] = np.linalg.norm(x - x_star, axis=1) / e0
    diverged_at = np.full(runs, -1)
    for k in range(1, steps + 1):
        live = diverged_at < 0
        if not live.any():
            errors[k] = cap
            continue
        m = int(live.sum())
        if B > n:  # same law, O(n) binomial draws per run instead of B index draws
            counts = rng.multinomial(B, probs, size=m)
        else:
            idx = draw((m, B), rng)
            counts = np.bincount((idx + n * np.arange(m)[:, None]).ravel(),
                                 minlength=m * n).reshape(m, n)
        g = minibatch_gradient(A, b, x[live], counts, probs, reweight=reweight)
        new = x[live] - alpha * g + beta * (x[live] - x_prev[live])
        x_prev[live], x[live] = x[live], new
        err = np.linalg.norm(x - x_star, axis=1) / e0
        bad = live & ~(err <= cap)  # catches inf/nan as well
        diverged_at[bad] = k
        err[diverged_at >= 0] = cap
        errors[k] = err
    return HBMRun(errors, diverged_at >= 0, diverged_at, x)


def hbm(A: np.ndarray, b: np.ndarray, x_star: np.ndarray, alpha: float, beta: float, steps: int,
        *, x0: np.ndarray | None = None) -> np.ndarray:
    """Deterministic HBM (the authors' ``HBM``, gradient AᵀAx − Aᵀb); relative errors k = 0..steps."""
    AtA, Atb = A.T @ A, A.T @ b
    xs = np.empty((steps + 1, A.shape[1]))
    xs[0] = 0.0 if x0 is None else x0
    x, x_prev = xs[0].copy(), xs[0].copy()
    for k in range(1, steps + 1):
        x, x_prev = x - alpha * (AtA @ x - Atb) + beta * (x - x_prev), x
        xs[k] = x
    err = np.linalg.norm(xs - x_star, axis=1)
    return err / err[0]


def mp_hbm_modal(eigenvalues: np.ndarray, e0_modal: np.ndarray, alpha: float, beta: float,
                 steps: int, dps: int = 50) -> list[mpmath.mpf]:
    """Deterministic HBM squared relative errors ‖e_k‖²/‖e₀‖² in mpmath, run in AᵀA's
    eigenbasis: each coordinate follows e_{k+1} = (1 + β − αλ_i) e_k − β e_{k−1} with
    e₋₁ = e₀ (no float64 floor). Squared, to spare a square root per step."""
    with mpmath.workdps(dps):
        a, bt = mpmath.mpf(alpha), mpmath.mpf(beta)
        t = [1 + bt - a * mpmath.mpf(float(v)) for v in eigenvalues]
        cur = [mpmath.mpf(float(v)) for v in e0_modal]
        prev = list(cur)
        n0 = mpmath.fsum(v * v for v in cur)
        out = [mpmath.mpf(1)]
        for _ in range(steps):
            cur, prev = [ti * c - bt * p for ti, c, p in zip(t, cur, prev)], cur
            out.append(mpmath.fsum(v * v for v in cur) / n0)
        return out


def mp_hbm_modal_at(eigenvalues: np.ndarray, e0_modal: np.ndarray, alpha, beta, k: int,
                    dps: int = 50) -> mpmath.mpf:
    """‖e_k‖²/‖e₀‖² of deterministic HBM at one step k, in mpmath: per eigenvalue the 2×2
    transition T_λ is raised to the k-th power by repeated squaring (O(d log k) operations)."""
    with mpmath.workdps(dps):
        a, bt = mpmath.mpf(alpha), mpmath.mpf(beta)

        def mul(P, Q):
            return (P[0] * Q[0] + P[1] * Q[2], P[0] * Q[1] + P[1] * Q[3],
                    P[2] * Q[0] + P[3] * Q[2], P[2] * Q[1] + P[3] * Q[3])

        total, n0 = mpmath.mpf(0), mpmath.mpf(0)
        for lam, e in zip(eigenvalues, e0_modal):
            e = mpmath.mpf(float(e))
            M, P, j = (1 + bt - a * mpmath.mpf(float(lam)), -bt, mpmath.mpf(1), mpmath.mpf(0)), \
                (mpmath.mpf(1), mpmath.mpf(0), mpmath.mpf(0), mpmath.mpf(1)), int(k)
            while j:
                if j & 1:
                    P = mul(P, M)
                M, j = mul(M, M), j >> 1
            ek = (P[0] + P[1]) * e  # upper block of T^k [e₀; e₀]
            total += ek * ek
            n0 += e * e
        return total / n0


def mp_eigvec_condition(alpha: float, beta: float, lam: float, dps: int = 50) -> mpmath.mpf:
    """eigvec_condition at ``dps`` digits (the same closed form)."""
    with mpmath.workdps(dps):
        a, bt, lm = mpmath.mpf(alpha), mpmath.mpf(beta), mpmath.mpf(lam)
        t = 1 + bt - a * lm
        root = mpmath.sqrt(mpmath.mpc(t * t - 4 * bt))
        m1, m2 = (t + root) / 2, (t - root) / 2
        rho = abs(mpmath.conj(m1) * m2 + 1) / mpmath.sqrt((1 + abs(m1) ** 2) * (1 + abs(m2) ** 2))
        return mpmath.sqrt((1 + rho) / (1 - rho))


def mp_bound_ratio_at(eigenvalues: np.ndarray, e0_modal: np.ndarray, c: float, k: int, *,
                      rate_exponent: float = 0.5, with_kappa_c: bool = True,
                      dps: int = 50) -> mpmath.mpf:
    """‖e_k‖/(√2·κ_C·β^{rate_exponent·k}·‖e₀‖) of deterministic HBM entirely at ``dps`` digits:
    ℓ, L, α, β and κ_C from the exact ends of the spectrum, e_k by repeated squaring."""
    with mpmath.workdps(dps):
        l1 = mpmath.mpf(float(np.min(eigenvalues)))
        ld = mpmath.mpf(float(np.max(eigenvalues)))
        _, ell, L = inflated_interval(l1, ld, mpmath.mpf(c))
        alpha, beta = step_and_momentum(ell, L, sqrt=mpmath.sqrt)
        kc = mp_eigvec_condition(alpha, beta, l1, dps=dps) if with_kappa_c else mpmath.mpf(1)
        errsq = mp_hbm_modal_at(eigenvalues, e0_modal, alpha, beta, k, dps=dps)
        return mpmath.sqrt(errsq / 2) / (kc * beta ** (rate_exponent * k))


def authors_sampling_matrix_gram(n: int = 1_000_000, d: int = 100,
                                 chunk: int = 100_000) -> tuple[np.ndarray, np.ndarray]:
    """(AᵀA, row norms²) of the authors' sampling-probability matrix, regenerated from their
    seed (legacy np.random.seed(0) stream, consumed in row chunks: the same numbers as one
    call). Entries are 0, 1 or 10, so AᵀA and the row norms are integers and the chunked sums
    are exact."""
    rs = np.random.RandomState(0)
    D = (rs.random_sample(n) > 0.9) * 9 + 1.0
    gram, rn = np.zeros((d, d)), np.empty(n)
    for s in range(0, n, chunk):
        A = D[s:s + chunk, None] * (rs.random_sample((chunk, d)) > 0.9)
        gram += A.T @ A
        rn[s:s + chunk] = np.einsum("ij,ij->i", A, A)
    return gram, rn


def randomized_kaczmarz(A: np.ndarray, b: np.ndarray, x0: np.ndarray, indices: np.ndarray,
                        omega: float = 1.0) -> np.ndarray:
    """The authors' ``RK``: x ← x − ω a_i(a_iᵀx − b_i)/‖a_i‖² for the given rows; all iterates."""
    x = np.array(x0, dtype=float)
    out = [x.copy()]
    for i in indices:
        a = A[i]
        x = x - omega * a * (a @ x - b[i]) / (a @ a)
        out.append(x.copy())
    return np.array(out)


def minibatch_hbm_path(A: np.ndarray, b: np.ndarray, x0: np.ndarray, alpha: float, beta: float,
                       batches: np.ndarray, probs: np.ndarray, *, reweight: bool = True) -> np.ndarray:
    """One minibatch-HBM run with given index batches (shape (steps, B)); iterates x₀, x₁, ...
    With β = 0 and B = 1 each batch is one randomized-Kaczmarz step when α = 1/‖A‖_F²."""
    n = A.shape[0]
    x = np.array(x0, dtype=float)
    x_prev = x.copy()
    out = [x.copy()]
    for idx in batches:
        counts = np.bincount(idx, minlength=n)[None, :]
        g = minibatch_gradient(A, b, x, counts, probs, reweight=reweight)[0]
        x, x_prev = x - alpha * g + beta * (x - x_prev), x
        out.append(x.copy())
    return np.array(out)


def expected_minibatch_gradient(A: np.ndarray, b: np.ndarray, x: np.ndarray, B: int,
                                probs: np.ndarray, *, reweight: bool = True) -> np.ndarray:
    """E[g] by exact enumeration of all n^B ordered index tuples, each with probability ∏ p_j
    (small n and B only): the expectation over the sampling distribution itself, not a formula."""
    n = A.shape[0]
    total = np.zeros(A.shape[1])
    for tup in itertools.product(range(n), repeat=B):
        counts = np.bincount(np.array(tup), minlength=n)[None, :]
        weight = float(np.prod(probs[list(tup)]))
        total += weight * minibatch_gradient(A, b, x, counts, probs, reweight=reweight)[0]
    return total
