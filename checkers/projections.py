"""Continual linear regression with the projection learner (Evron et al., COLT 2022).

Tasks are (X_m ∈ ℝ^{n_m×d}, y_m = X_m w*) with a joint solution w*. The learner starts at w₀ = 0
and on task τ(t) moves to the closest solution of that task:

    w_t = w_{t−1} + X⁺(y − X w_{t−1}),

so the error e_t = w_t − w* obeys e_t = P_{τ(t)} e_{t−1} with P_m = I − V_m V_mᵀ the projector onto
null(X_m) (V_m an orthonormal basis of the row space, from the SVD: never ``pinv`` of an
ill-conditioned X). Forgetting after k iterations is the average loss, at w_k, over the k tasks
seen (with multiplicity):

    F_τ(k) = (1/k) Σ_{t=1}^{k} ‖X_{τ(t)} w_k − y_{τ(t)}‖².

Normalisation (used everywhere in this module): F is divided by ‖w*‖²R², R = max_m ‖X_m‖₂ and w*
the minimum-norm joint solution. Why: ‖X_m e‖ ≤ R‖(I − P_m)e‖ and ‖e_k‖ ≤ ‖e₀‖ = ‖w*‖, so the
normalised F lies in [0, 1]; it is invariant under X → cX, w* → c'w*; and the minimum-norm w*
is the only choice that does not loosen the bound with a component in ∩ null(X_m) that the
learner never touches. For fixed null spaces the loss is largest when every nonzero singular
value equals R, so orthonormal-row tasks (R = 1) are the worst case of each geometry.

Arrays are batched along leading axes where it matters (orderings, iterations).
"""

from __future__ import annotations

from collections.abc import Sequence

import mpmath
import numpy as np
from scipy.linalg import subspace_angles

RANK_TOL = 1e-10


# ------------------------------------------------------------------------------- task geometry
def row_basis(X: np.ndarray, tol: float = RANK_TOL) -> np.ndarray:
    """Orthonormal basis (d × r) of the row space of X, from the SVD (relative rank tolerance)."""
    _, s, vt = np.linalg.svd(np.atleast_2d(X), full_matrices=False)
    r = int(np.sum(s > tol * max(s[0], 1e-300))) if s.size else 0
    return vt[:r].T


def null_projectors(Xs: Sequence[np.ndarray]) -> np.ndarray:
    """(T, d, d) stack of P_m = I − V_m V_mᵀ, the orthogonal projectors onto null(X_m)."""
    d = Xs[0].shape[1]
    out = np.empty((len(Xs), d, d))
    for m, X in enumerate(Xs):
        V = row_basis(X)
        out[m] = np.eye(d) - V @ V.T
    return out


def null_basis(X: np.ndarray) -> np.ndarray:
    """Orthonormal basis (d × (d − r)) of null(X)."""
    _, s, vt = np.linalg.svd(np.atleast_2d(X), full_matrices=True)
    r = int(np.sum(s > RANK_TOL * max(s[0], 1e-300))) if s.size else 0
    return vt[r:].T


def data_radius(Xs: Sequence[np.ndarray]) -> float:
    """R = max_m ‖X_m‖₂."""
    return float(max(np.linalg.norm(X, 2) for X in Xs))


def min_norm_solution(Xs: Sequence[np.ndarray], w: np.ndarray) -> np.ndarray:
    """The minimum-norm joint solution with the same labels as w: w projected onto Σ row(X_m)."""
    V = row_basis(np.vstack(Xs))
    return V @ (V.T @ w)


def average_rank(Xs: Sequence[np.ndarray]) -> float:
    """r̄ = (1/T) Σ rank(X_m)."""
    return float(np.mean([row_basis(X).shape[1] for X in Xs]))


# ------------------------------------------------------------------------------------ learner
def project_step(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """One learner step w + X⁺(y − Xw), with X⁺ from the SVD (relative rank tolerance)."""
    u, s, vt = np.linalg.svd(X, full_matrices=False)
    keep = s > RANK_TOL * s[0]
    return w + vt[keep].T @ ((u[:, keep].T @ (y - X @ w)) / s[keep])


def gradient_step(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """One unit gradient step w + Xᵀ(y − Xw): the projection only when X has orthonormal rows
    (used as a deliberately wrong learner)."""
    return w + X.T @ (y - X @ w)


def gd_to_convergence(X: np.ndarray, y: np.ndarray, w0: np.ndarray, *, doublings: int = 60,
                      step: float | None = None) -> np.ndarray:
    """Gradient descent on ½‖Xw − y‖² from w0 with step 1/‖X‖₂² run for 2^doublings steps.

    GD is the affine map w ↦ Aw + b, A = I − ηXᵀX, b = ηXᵀy; squaring the map (A, b) → (A², Ab + b)
    doubles the number of steps exactly, so 2⁶⁰ steps cost 60 matrix products."""
    eta = 1.0 / np.linalg.norm(X, 2) ** 2 if step is None else step
    A = np.eye(X.shape[1]) - eta * X.T @ X
    b = eta * X.T @ y
    for _ in range(doublings):
        A, b = A @ A, A @ b + b
    return A @ w0 + b


def run_learner(Xs: Sequence[np.ndarray], ys: Sequence[np.ndarray], order: Sequence[int],
                w0: np.ndarray | None = None, step=project_step) -> np.ndarray:
    """Iterates w_0, ..., w_k of the learner in parameter form (k + 1, d) for one ordering."""
    d = Xs[0].shape[1]
    w = np.zeros(d) if w0 is None else np.asarray(w0, dtype=float)
    out = [w]
    for m in order:
        w = step(w, Xs[m], ys[m])
        out.append(w)
    return np.array(out)


# -------------------------------------------------------------------------------- orderings
def cyclic_order(T: int, k: int) -> np.ndarray:
    """τ(t) = (t − 1) mod T for t = 1..k (0-based task indices)."""
    return np.arange(k) % T


def random_orders(T: int, k: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """n orderings of length k, tasks i.i.d. uniform with replacement, (n, k)."""
    return rng.integers(0, T, size=(n, k))


# --------------------------------------------------------------------------- error dynamics
def cyclic_errors(P: np.ndarray, e0: np.ndarray, k: int) -> np.ndarray:
    """Errors e_1..e_k (k, d) under the cyclic ordering, batched by cycles: with the partial
    products Q_i = P_i ⋯ P_1 and the cycle map M = Q_T, e_{jT+i} = Q_i M^j e₀."""
    T, d, _ = P.shape
    Q = np.empty_like(P)
    acc = np.eye(d)
    for i in range(T):
        acc = P[i] @ acc
        Q[i] = acc
    cycles = -(-k // T)
    V = np.empty((cycles, d))
    v = np.asarray(e0, dtype=float)
    for j in range(cycles):
        V[j] = v
        v = Q[-1] @ v
    E = np.einsum("tij,mj->mti", Q, V).reshape(cycles * T, d)
    return E[:k]


def ordering_errors(P: np.ndarray, e0: np.ndarray, orders: np.ndarray) -> np.ndarray:
    """Errors (n, k, d) for n orderings (n, k), stepped together (one batched product per t)."""
    n, k = orders.shape
    e = np.broadcast_to(np.asarray(e0, dtype=float), (n, P.shape[1])).copy()
    out = np.empty((n, k, P.shape[1]))
    for t in range(k):
        e = np.einsum("nij,nj->ni", P[orders[:, t]], e)
        out[:, t] = e
    return out


def task_losses(Xs: Sequence[np.ndarray], E: np.ndarray) -> np.ndarray:
    """‖X_m e‖² for every error e in E (..., d) and every task m: (..., T)."""
    stacked = np.vstack(Xs)
    sizes = np.array([X.shape[0] for X in Xs])
    sq = (E @ stacked.T) ** 2
    return np.add.reduceat(sq, np.concatenate([[0], np.cumsum(sizes)[:-1]]), axis=-1)


def forgetting_curve(losses: np.ndarray, orders: np.ndarray) -> np.ndarray:
    """F(k) for k = 1..K from the losses L[..., k, m] at w_k and the orderings (..., K):
    F(k) = (1/k) Σ_m c_m(k) L[k, m] with c_m(k) the count of task m among τ(1..k)."""
    T = losses.shape[-1]
    counts = np.cumsum(orders[..., None] == np.arange(T), axis=-2)
    K = orders.shape[-1]
    return np.sum(counts * losses, axis=-1) / np.arange(1, K + 1)


def normaliser(Xs: Sequence[np.ndarray], w_star: np.ndarray) -> float:
    """‖w*‖²R² (w* should be the minimum-norm joint solution)."""
    return float(np.dot(w_star, w_star)) * data_radius(Xs) ** 2


def cyclic_forgetting(Xs: Sequence[np.ndarray], w_star: np.ndarray, k: int) -> np.ndarray:
    """Normalised F_τ(1..k) for the cyclic ordering from w₀ = 0 (w_star: min-norm solution).
    With k = qT + r, task m has been seen q + [m < r] times: F(k) = (q ΣL + Σ_{m<r} L_m)/k."""
    T = len(Xs)
    P = null_projectors(Xs)
    L = task_losses(Xs, cyclic_errors(P, -w_star, k))
    ks = np.arange(1, k + 1)
    q, r = np.divmod(ks, T)
    head = np.concatenate([np.zeros((k, 1)), np.cumsum(L, axis=1)], axis=1)
    F = (q * head[:, -1] + head[ks - 1, r]) / ks
    return F / normaliser(Xs, w_star)


def random_forgetting(Xs: Sequence[np.ndarray], w_star: np.ndarray, k: int, n: int,
                      rng: np.random.Generator, ks: Sequence[int] | None = None) -> np.ndarray:
    """Normalised F_τ(k') for n random orderings with replacement, at k' in ``ks`` (default
    1..k): (n, len(ks)). Counts are accumulated per grid point, so memory stays O(n·T)."""
    T = len(Xs)
    P = null_projectors(Xs)
    orders = random_orders(T, k, n, rng)
    grid = np.arange(1, k + 1) if ks is None else np.asarray(ks, dtype=int)
    E = ordering_errors(P, -w_star, orders)
    out = np.empty((n, grid.size))
    counts = np.zeros((n, T))
    rows = np.arange(n)
    done = 0
    for j, kk in enumerate(grid):
        for t in range(done, kk):
            np.add.at(counts, (rows, orders[:, t]), 1.0)
        done = kk
        out[:, j] = np.sum(counts * task_losses(Xs, E[:, kk - 1]), axis=1) / kk
    return out / normaliser(Xs, w_star)


def cyclic_state(P: np.ndarray, e0: np.ndarray, k: int) -> np.ndarray:
    """e_k under the cyclic ordering for one (possibly huge) k, by matrix powers."""
    T = P.shape[0]
    j, i = divmod(k, T)
    M = np.eye(P.shape[1])
    for m in range(T):
        M = P[m] @ M
    e = np.linalg.matrix_power(M, j) @ e0
    for m in range(i):
        e = P[m] @ e
    return e


def cyclic_counts(T: int, k: int) -> np.ndarray:
    """How often each task occurs among the first k cyclic iterations."""
    return np.array([(k - m + T - 1) // T for m in range(T)])


# ----------------------------------------------------------------------------- two tasks
def principal_angles(X1: np.ndarray, X2: np.ndarray) -> np.ndarray:
    """Principal angles between null(X1) and null(X2), ascending (scipy.linalg.subspace_angles)."""
    return np.sort(subspace_angles(null_basis(X1), null_basis(X2)))


def principal_pairs(X1: np.ndarray, X2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(cos θ_i, u_i): principal cosines and the principal vectors in null(X1), including the
    directions of null(X1) orthogonal to null(X2) (cos θ = 0). From the SVD of Q1ᵀQ2."""
    Q1, Q2 = null_basis(X1), null_basis(X2)
    Y, s, _ = np.linalg.svd(Q1.T @ Q2, full_matrices=True)
    cos = np.zeros(Q1.shape[1])
    cos[: s.size] = np.clip(s, 0.0, 1.0)
    return cos, Q1 @ Y


def two_task_formula(cos: np.ndarray, coeff: np.ndarray, k: int, dps: int | None = None, *,
                     power: int | None = None, prefactor: str = "multiplicity") -> float:
    """Exact cyclic two-task forgetting with orthonormal-row tasks (R = 1):
    F(k) = c_k Σ_i sin²θ_i cos^{2(k−1)}θ_i ⟨e₁, u_i⟩², c_k = ½ (k even), (k − 1)/(2k) (k odd).
    ``power`` overrides the exponent 2(k−1) and ``prefactor="half"`` sets c_k = ½ for every k
    (both only to build deliberately wrong variants). With ``dps`` the sum is taken in mpmath
    (no underflow for large k)."""
    p = 2 * (k - 1) if power is None else power
    half = prefactor == "half" or k % 2 == 0
    if dps is None:
        ck = 0.5 if half else (k - 1) / (2 * k)
        return float(ck * np.sum((1 - cos**2) * cos**p * coeff**2))
    with mpmath.workdps(dps):
        ck = mpmath.mpf(1) / 2 if half else mpmath.mpf(k - 1) / (2 * k)
        tot = mpmath.fsum((1 - mpmath.mpf(x) ** 2) * mpmath.mpf(x) ** p * mpmath.mpf(a) ** 2
                          for x, a in zip(cos.tolist(), coeff.tolist()))
        return ck * tot


def two_task_worst(k: int) -> float:
    """½ (k − 1)^{k−1}/k^k = ½ max_{c∈[0,1]} c^{k−1}(1 − c), attained at cos²θ = (k − 1)/k."""
    return 0.5 * float(mpmath.mpf(k - 1) ** (k - 1) / mpmath.mpf(k) ** k) if k > 1 else 0.0


def mp_null_projector(X: np.ndarray) -> mpmath.matrix:
    """I − Xᵀ(XXᵀ)⁻¹X at the current mpmath precision, with X's float entries taken as exact
    (X must have full row rank): the geometry itself carries no float64 rounding."""
    A = mpmath.matrix(np.asarray(X, dtype=float).tolist())
    return mpmath.eye(A.cols) - A.T * mpmath.inverse(A * A.T) * A


def mp_cyclic_forgetting_at(Xs: Sequence[np.ndarray], w_star: np.ndarray, k: int,
                            dps: int = 40) -> mpmath.mpf:
    """Normalised cyclic F(k) at one k in mpmath: projectors computed in mpmath from the task
    matrices (full row rank), the product of k projections by repeated squaring at ``dps``."""
    T = len(Xs)
    with mpmath.workdps(dps):
        P = [mp_null_projector(X) for X in Xs]
        M = mpmath.eye(P[0].rows)
        for p in P:
            M = p * M
        j, i = divmod(k, T)
        e = _mp_power(M, j) * mpmath.matrix((-np.asarray(w_star, dtype=float)).tolist())
        for m in range(i):
            e = P[m] * e
        Xm = [mpmath.matrix(X.tolist()) for X in Xs]
        counts = cyclic_counts(T, k)
        tot = mpmath.fsum(int(c) * mpmath.fsum(v**2 for v in (X * e)) for c, X in zip(counts, Xm))
        R2 = mp_radius_squared(Xs)
        w2 = mpmath.fsum(mpmath.mpf(v) ** 2 for v in np.asarray(w_star, dtype=float).tolist())
        return tot / k / (R2 * w2)


def mp_radius_squared(Xs: Sequence[np.ndarray]) -> mpmath.mpf:
    """R² = max_m ‖X_m‖₂² at the current mpmath precision (largest eigenvalue of X_m X_mᵀ, the
    float entries taken as exact). Why not float64's norm: a row of norm 1 ± 1 ulp rounded the
    wrong way puts the normalised F one ulp above a bound that is attained exactly."""
    out = mpmath.mpf(0)
    for X in Xs:
        A = mpmath.matrix(np.atleast_2d(np.asarray(X, dtype=float)).tolist())
        G = A * A.T
        top = G[0, 0] if G.rows == 1 else max(mpmath.eigsy(G, eigvals_only=True))
        out = max(out, top)
    return out


def mp_two_task_formula(X1: np.ndarray, X2: np.ndarray, w_star: np.ndarray, k: int,
                        dps: int = 40, *, power: int | None = None,
                        prefactor: str = "multiplicity") -> tuple[mpmath.mpf, list[float]]:
    """The principal-angle expression of :func:`two_task_formula` in mpmath, normalised by
    ‖w*‖² (orthonormal rows, R = 1). The cos²θ_i and principal vectors are the eigenpairs of
    P₁P₂P₁ on null(X₁) (mpmath.eigsy); returns (F, the cos²θ_i as floats for cross-checks)."""
    with mpmath.workdps(dps):
        P1, P2 = mp_null_projector(X1), mp_null_projector(X2)
        lam, U = mpmath.eigsy(P1 * P2 * P1)
        e1 = P1 * mpmath.matrix((-np.asarray(w_star, dtype=float)).tolist())
        p = 2 * (k - 1) if power is None else power
        half = prefactor == "half" or k % 2 == 0
        ck = mpmath.mpf(1) / 2 if half else mpmath.mpf(k - 1) / (2 * k)
        terms, cos2 = [], []
        for i in range(U.cols):
            c2 = min(max(lam[i], mpmath.mpf(0)), mpmath.mpf(1))
            a = mpmath.fsum(U[j, i] * e1[j] for j in range(U.rows))
            terms.append((1 - c2) * c2 ** (p // 2) * (mpmath.sqrt(c2) if p % 2 else 1) * a**2)
            cos2.append(float(c2))
        w2 = mpmath.fsum(mpmath.mpf(v) ** 2 for v in np.asarray(w_star, dtype=float).tolist())
        return ck * mpmath.fsum(terms) / w2, cos2


def digits_needed(cos: np.ndarray, coeff: np.ndarray, k: int) -> int:
    """Decimal digits D with F ≈ 10^(−2D) for the principal-angle expression (float64 estimate
    in log space): the terms with cos θ within 1e-12 of 0 or 1 are left out (their exact value is
    0 for k ≥ 2)."""
    ok = (cos > 1e-12) & (cos < 1 - 1e-12) & (np.abs(coeff) > 0)
    if k < 2 or not ok.any():
        return 0
    logs = np.log1p(-cos[ok] ** 2) + 2 * (k - 1) * np.log(cos[ok]) + 2 * np.log(np.abs(coeff[ok]))
    return max(0, int(np.ceil(-logs.max() / np.log(10) / 2)))


def _mp_power(M: mpmath.matrix, n: int) -> mpmath.matrix:
    out = mpmath.eye(M.rows)
    base = M
    while n:
        if n & 1:
            out = out * base
        base = base * base
        n >>= 1
    return out


# ------------------------------------------------------------------------------- the bounds
def cyclic_bound(T: int, d: int, k: np.ndarray | int, *, t_power: float = 2.0,
                 sqrt_power: float = 0.5, k_power: float = 1.0) -> np.ndarray:
    """T^t_power · min(1/k^sqrt_power, d/k^k_power): the abstract's cyclic bound at t_power = 2,
    sqrt_power = ½, k_power = 1 (normalised by ‖w*‖²R²); other values build wrong variants."""
    k = np.asarray(k, dtype=float)
    return T**t_power * np.minimum(k ** (-sqrt_power), d / k**k_power)
