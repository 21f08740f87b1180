"""Ward & Kolda, "Convergence of Alternating Gradient Descent for Matrix Factorization"
(NeurIPS 2023, arXiv 2305.06927 v2).

Theorem 1.1 (abstract and introduction, v2): for rank-r A ∈ ℝ^{m×n} and factors of width d ≥ r,
alternating gradient descent with a fixed step from an asymmetric random initialization reaches
‖A − X_T Y_Tᵀ‖²_F ≤ ε‖A‖²_F within T = C · d/(√d − √(r−1))² · (σ₁/σ_r)² · log(1/ε) iterations
with high probability; C is an absolute constant the abstract does not give.

Normalisations (written into every claim): σ₁(A) = 1, so η is ησ₁; the initialization is our
reconstruction X₀ = AΦ/(√η·C₀), Y₀ = √η·D·Ψ with Φ, Ψ of i.i.d. N(0, 1/d) entries (the theorem's
constants were not readable, see ../shared/papers/matrix-factorization.md §1.3), so every claim
that depends on C₀, D or η is `reconstructed`. The criterion is the paper's squared one.
"""

from __future__ import annotations

import numpy as np
import z3
from hypothesis import strategies as st

from checkers.factorization import (
    agd,
    agd_objective_trace,
    first_increase,
    gaussian_init,
    out_of_span,
    overparameterization_factor,
    ward_kolda_init,
)
from checkers.precision import mp_agd_objective_trace
from claimaudit import Mutant, Observation, SymbolicProblem, Trials, bound, probability, rate, symbolic
from strategies.matrices import low_rank_batch, low_rank_matrices

PAPER = "agd-matrix-factorization"
# Reconstructed initialization and step (σ₁ = 1): ησ₁ = 1/2, C₀ = 4. D = 1 is the large-Y₀ end,
# where the Y₀ noise must be removed through X and the κ² law shows; D = 0.1 is the small end.
ETA, C0 = 0.5, 4.0
INIT_NOTE = ("the initialization X₀ = AΦ/(√η·C₀), Y₀ = √η·D·Ψ with C₀ = 4 and ησ₁ = 1/2 is our "
             "reconstruction (the theorem's constants were not readable); the shape is the paper's")
CALIB_NOTE = ("K = 1 is our calibration (largest observed T/(factor·κ²·ln 1/ε) about 0.5) and "
              "δ = 0.05 our choice; the paper gives neither; initialization reconstructed")
SPEEDUP_NOTE = ("the paper says only 'significantly improves'; the factor 2, the accuracy, "
                "std = 1e-3 and the 95% are our quantification")
SHAPE = {"m": 30, "n": 25, "r": 3}


def _iterations(kappa: float, d: int, eps: float, D: float, seeds: np.ndarray,
                rng: np.random.Generator, max_iter: int = 200_000) -> np.ndarray:
    """AGD iteration counts (paper's squared criterion) for a batch of random instances."""
    A = low_rank_batch(SHAPE["m"], SHAPE["n"], SHAPE["r"], [kappa] * len(seeds), seeds)
    X0, Y0 = ward_kolda_init(A, d, ETA, C0, D, rng)
    run = agd(A, X0, Y0, ETA, eps=eps, max_iter=max_iter)
    return run.iterations


@rate(
    id=f"{PAPER}/iteration-count-kappa",
    reference="Abstract (main result, Theorem 1.1 in the notes)",
    statement="The iterations AGD needs to reach ‖A − XYᵀ‖²_F ≤ ε‖A‖²_F grow no faster than κ².",
    fidelity="reconstructed",
    fidelity_note=INIT_NOTE,
    sweep={"quick": [2, 4, 8, 16], "default": [2, 4, 8, 16, 32], "thorough": [2, 4, 8, 16, 32, 64]},
    x_label="condition number κ", y_label="iterations T(ε = 1e-8)",
    constants={"exponent": 2.0, "D": 1.0, "eps": 1e-8},
    mutants=[
        Mutant("exponent-1-5", "T grows no faster than κ^1.5 (a better exponent than the paper's)",
               constants={"exponent": 1.5}),
        Mutant("exponent-1", "T grows only linearly in κ", constants={"exponent": 1.0}),
    ],
)
def iteration_count_kappa(kappa, ctx, *, exponent, D, eps):
    """Theorem 1.1: T = O(κ² log 1/ε). Swept over κ at d = 2r with the large-Y₀ end (D = 1) of
    the reconstructed initialization, where the Y₀ noise has to decay through X's smallest
    directions; the fitted exponent of T in κ must not exceed the claimed one. (With D = 0.1
    the fitted exponent is close to 1: the κ² bound is loose there, see `small-init-exponent`.)"""
    reps = ctx.pick(quick=8, default=16, thorough=40)
    return _iterations(kappa, 2 * SHAPE["r"], eps, D, np.arange(reps), ctx.rng)


@rate(
    id=f"{PAPER}/small-init-exponent",
    reference="Abstract (main result); our experiment",
    statement="With a small Y₀ (D = 0.1) AGD's iteration count grows no faster than κ^1.5, clearly inside the κ² bound.",
    fidelity="reconstructed",
    fidelity_note=("our observation on the reconstructed initialization, not a statement of the paper; "
                   "1.5 is the midpoint between a linear and the paper's quadratic law"),
    sweep={"quick": [2, 4, 8, 16], "default": [2, 4, 8, 16, 32, 64]},
    x_label="condition number κ", y_label="iterations T(ε = 1e-8)",
    constants={"exponent": 1.5, "D": 0.1, "eps": 1e-8},
    mutants=[Mutant("exponent-0-75", "T grows no faster than κ^0.75", constants={"exponent": 0.75})],
)
def small_init_exponent(kappa, ctx, *, exponent, D, eps):
    """Our finding, not a statement of the paper: in the small-Y₀ regime both factors learn, the
    smallest direction converges at rate ~ησ_r rather than ησ_r², and T ∝ κ (fits 1.04–1.07).
    Checked as an upper exponent of 1.5, the midpoint between the linear and the quadratic law,
    so that the claim separates the two; the mutant κ^0.75 must be refuted."""
    reps = ctx.pick(quick=8, default=16, thorough=40)
    return _iterations(kappa, 2 * SHAPE["r"], eps, D, np.arange(reps), ctx.rng)


@rate(
    id=f"{PAPER}/iteration-count-log-eps",
    reference="Abstract (main result, Theorem 1.1 in the notes)",
    statement="Past a first accuracy ε₀ = 1e-3, the extra iterations to reach ε grow no faster than linearly in log(ε₀/ε).",
    fidelity="reconstructed",
    fidelity_note=INIT_NOTE,
    sweep={"quick": [1e2, 1e4, 1e6, 1e8], "default": [1e1, 1e2, 1e4, 1e6, 1e8, 1e10]},
    x_label="log(ε₀/ε)", y_label="(T(ε) − T(ε₀)) / (T(ε₀/10²) − T(ε₀)), per instance", x_of=lambda ratio: float(np.log(ratio)),
    constants={"exponent": 1.0, "D": 1.0, "kappa": 8.0, "eps0": 1e-3, "ref_ratio": 1e2},
    mutants=[Mutant("sqrt-log", "extra iterations grow like √log(1/ε)", constants={"exponent": 0.5}),
             Mutant("sublinear-0-9", "extra iterations grow no faster than log(1/ε)^0.9",
                    constants={"exponent": 0.9})],
)
def iteration_count_log_eps(ratio, ctx, *, exponent, D, kappa, eps0, ref_ratio):
    """Theorem 1.1's log(1/ε) factor, i.e. a linear rate: measured as T(ε) − T(ε₀) against
    log(ε₀/ε) so that the fast initial phase does not bend the log-log fit. The same seeds are
    used at every ε (the sweep variable is only the target), and each seed's count is divided by
    its own count at the reference ratio ε₀/ε = 10²: every instance has its own rate constant,
    and pooling raw counts would let the spread between instances, not the exponent, set the
    width of the interval."""
    reps = ctx.pick(quick=8, default=16, thorough=40)
    seeds = np.arange(reps)

    def extra(r: float) -> np.ndarray:
        rng = np.random.default_rng(ctx.seed)  # the same initializations for every target
        t0 = _iterations(kappa, 2 * SHAPE["r"], eps0, D, seeds, rng)
        rng = np.random.default_rng(ctx.seed)
        return _iterations(kappa, 2 * SHAPE["r"], eps0 / r, D, seeds, rng) - t0

    return extra(ratio) / extra(ref_ratio)


@rate(
    id=f"{PAPER}/overparameterization-factor",
    reference="Introduction (v2, main result as stated there)",
    statement="As the width d runs from r to 4r, T stays within a bounded multiple of d/(√d − √(r−1))².",
    fidelity="reconstructed",
    fidelity_note=INIT_NOTE,
    sweep={"quick": [3, 4, 6, 9, 12], "default": [3, 4, 5, 6, 9, 12]},
    x_label="d/(√d − √(r−1))² (d from r to 4r)", y_label="iterations T(ε = 1e-8)",
    x_of=lambda d: float(overparameterization_factor(d, SHAPE["r"])),
    constants={"exponent": 1.0, "D": 1.0, "kappa": 8.0, "eps": 1e-8},
    mutants=[Mutant("no-overparameterization-factor",
                    "T is bounded independently of d (the factor d/(√d − √(r−1))² dropped)",
                    constants={"exponent": 0.0})],
)
def overparameterization_dependence(d, ctx, *, exponent, D, kappa, eps):
    """Theorem 1.1's factor d/(√d − √(r−1))² (= 1/s_min² of the sketch VᵀΦ, typically). The
    fit runs against the factor itself (``x_of``): an exponent ≤ 1 means the implied
    constant T/factor stays bounded from d = r (factor ≈ 4r²) to d = 4r (factor ≈ 1.5)."""
    reps = ctx.pick(quick=8, default=16, thorough=40)
    return _iterations(kappa, int(d), eps, D, np.arange(reps), ctx.rng)


@probability(
    id=f"{PAPER}/high-probability-success",
    reference="Abstract (main result, with high probability)",
    statement="With probability at least 1 − δ over the initialization, AGD reaches ε within K·d/(√d − √(r−1))²·κ²·ln(1/ε) iterations.",
    fidelity="reconstructed",
    fidelity_note=CALIB_NOTE,
    trials={"quick": 40, "default": 200, "thorough": 1000},
    constants={"K": 1.0, "delta": 0.05, "eps": 1e-6, "D": 1.0, "kappa_max": 10.0},
    mutants=[Mutant("constant-below-median", "the same with K = 0.15, below the median observed "
                    "T/(factor·κ²·ln 1/ε) of about 0.2", constants={"K": 0.15})],
)
def high_probability_success(n, ctx, *, K, delta, eps, D, kappa_max):
    """Theorem 1.1 as a probability claim. The paper's C and δ are not given in the text we
    could read: K = 1 is our calibration (the largest observed T/(factor·κ²·ln 1/ε) was about
    0.5) and δ = 0.05 is our choice; both are reconstructed. Each trial draws κ ∈ [1.5, κ_max],
    d ∈ {r, …, 3r}, A and the initialization."""
    r = SHAPE["r"]
    kappas = ctx.rng.uniform(1.5, kappa_max, n)
    widths = ctx.rng.integers(r, 3 * r + 1, n)
    budget = K * overparameterization_factor(widths, r) * kappas**2 * np.log(1 / eps)
    its = np.empty(n, dtype=int)
    for d in np.unique(widths):  # one batched run per width
        sel = np.flatnonzero(widths == d)
        A = low_rank_batch(SHAPE["m"], SHAPE["n"], r, kappas[sel], ctx.seed % 10**6 + sel)
        X0, Y0 = ward_kolda_init(A, int(d), ETA, C0, D, ctx.rng)
        its[sel] = agd(A, X0, Y0, ETA, eps=eps, max_iter=int(np.ceil(budget[sel].max()))).iterations
    ok = its <= budget
    worst = int(np.argmax(its / budget))
    return Trials(ok, details={"max_T_over_bound": float((its / budget).max()),
                               "median_T_over_bound": float(np.median(its / budget))},
                  failure_example={"kappa": kappas[worst], "d": int(widths[worst]),
                                   "iterations": int(its[worst]), "budget": budget[worst]})


@bound(
    id=f"{PAPER}/column-space-invariant",
    reference="Abstract (asymmetric initialization); derived",
    statement="From X₀ = AΦ/(√η·C₀), every AGD iterate keeps the columns of X_t in the column space of A.",
    fidelity="derived",
    strategy=lambda c: low_rank_matrices(rows=(3, 30), cols=(3, 30), ranks=(1, 4), conditions=(1.0, 100.0)),
    constants={"tol": 1e-10, "steps": 50, "init": "paper"},
    mutants=[Mutant("gaussian-x0", "the invariant also holds from a Gaussian X₀ (assumption col(X₀) ⊆ col(A) dropped)",
                    constants={"init": "gaussian"})],
)
def column_space_invariant(inst, *, tol, steps, init):
    """Both AGD updates add to X only multiples of A·(…) and of X itself, so col(X_t) ⊆ col(A)
    when col(X₀) ⊆ col(A). Checked as ‖(I − UUᵀ)X_t‖/‖X_t‖ ≤ tol for t ≤ steps (float64 keeps
    this near 1e-15)."""
    A = inst.matrix()
    U = inst.factors()[0]
    rng = inst.rng()
    if init == "paper":
        X0, Y0 = ward_kolda_init(A, inst.width, ETA, C0, 0.1, rng)
    else:
        X0, Y0 = gaussian_init(A, inst.width, 0.1, rng)
    run = agd(A, X0, Y0, ETA, eps=0.0, max_iter=steps)
    leak = float(out_of_span(U, run.X))
    return Observation(observed=leak, claimed=tol, instance=inst)


def _monotone_recheck(inst, *, eta, steps, D, floor, observation):
    A = inst.matrix()
    X0, Y0 = ward_kolda_init(A, inst.width, eta, C0, D, inst.rng())
    t = observation.details["first_increase"]  # replay in mpmath only up to the suspected step
    trace = mp_agd_objective_trace(A, X0, Y0, eta, (t + 1) if t >= 0 else steps)
    t2, ratio = first_increase(trace, floor)
    return Observation(observed=float(ratio), claimed=1.0, instance=inst,
                       details={"precision": "mpmath 50 digits", "first_increase": t2})


@bound(
    id=f"{PAPER}/monotone-decrease",
    reference="Abstract (uniform Lipschitz smoothness along the run); derived",
    statement="With ησ₁ = 1/2 and the reconstructed initialization with a small Y₀ (D = 0.1), f(X_t, Y_t) never increases along AGD.",
    fidelity="derived",
    strategy=lambda c: low_rank_matrices(rows=(3, 20), cols=(3, 20), ranks=(1, 4), conditions=(1.0, 30.0)),
    constants={"eta": ETA, "steps": 80, "D": 0.1, "floor": 1e-24},
    recheck=_monotone_recheck, recheck_below=1.01,
    max_examples={"quick": 100, "default": 300, "thorough": 1500},  # increases are rare instances
    mutants=[Mutant("step-too-large", "the same with ησ₁ = 3", constants={"eta": 3.0}),
             Mutant("large-y0", "the same from the large-Y₀ end D = 1 of the initialization",
                    constants={"D": 1.0})],
)
def monotone_decrease(inst, *, eta, steps, D, floor):
    """Each half-step of AGD is a gradient step on a quadratic block with η·L_block < 2 along the
    run, so f decreases. Checked as max_t f_{t+1}/f_t ≤ 1 while f_t is above the float64 floor
    (1e-24·f₀); a suspected increase of less than 1% is replayed in mpmath at 50 digits before it
    is reported (80 float64 steps above the floor carry relative errors far below 1e-2, so a
    larger increase cannot be a rounding artifact).

    Finding: monotonicity needs Y₀ small. From the large-Y₀ end (D = 1) the search finds
    instances where f increases at the first step (m = 3, n = 5, r = d = 1, seed 0: f₁/f₀ = 2.15,
    confirmed in mpmath), so the claim is made for D = 0.1 and D = 1 ships as a mutant."""
    A = inst.matrix()
    X0, Y0 = ward_kolda_init(A, inst.width, eta, C0, D, inst.rng())
    t, ratio = first_increase(agd_objective_trace(A, X0, Y0, eta, steps), floor)
    return Observation(observed=float(ratio), claimed=1.0, instance=inst,
                       details={"first_increase": t})


@bound(
    id=f"{PAPER}/scale-covariance",
    reference="Abstract (fixed step size); notes §1.3 (η ∝ 1/σ₁); derived",
    statement="Running AGD on (sA, √s·X₀, √s·Y₀, η/s) gives exactly √s times the iterates for (A, X₀, Y₀, η).",
    fidelity="derived",
    strategy=lambda c: st.tuples(low_rank_matrices(rows=(3, 20), cols=(3, 20), ranks=(1, 3)),
                                 st.floats(1e-2, 1e2)),
    constants={"tol": 1e-10, "step_exponent": -1.0},
    mutants=[Mutant("step-not-rescaled", "the step size η is not divided by s",
                    constants={"step_exponent": 0.0})],
)
def scale_covariance(case, *, tol, step_exponent):
    """Under A → sA, X → √s X, Y → √s Y, η → η/s the AGD map commutes with the scaling, which is
    why σ₁ = 1 loses no generality and why the step must scale as 1/σ₁. Relative deviation ≤ tol."""
    inst, s = case
    A = inst.matrix()
    X0, Y0 = ward_kolda_init(A, inst.width, ETA, C0, 0.1, inst.rng())
    base = agd(A, X0, Y0, ETA, eps=0.0, max_iter=30)
    scaled = agd(s * A, np.sqrt(s) * X0, np.sqrt(s) * Y0, ETA * s**step_exponent, eps=0.0, max_iter=30)
    dev = max(np.linalg.norm(scaled.X - np.sqrt(s) * base.X) / np.linalg.norm(np.sqrt(s) * base.X),
              np.linalg.norm(scaled.Y - np.sqrt(s) * base.Y) / np.linalg.norm(np.sqrt(s) * base.Y))
    return Observation(observed=float(dev), claimed=tol, instance={"matrix": inst, "s": s})


@symbolic(
    id=f"{PAPER}/overparameterization-sandwich",
    reference="Introduction (v2) vs Xu et al. ([3P] d-factor); derived",
    statement="For integers d ≥ r ≥ 1: d²/(d−r+1)² ≤ d/(√d−√(r−1))² ≤ 4d²/(d−r+1)².",
    fidelity="derived",
    constants={"lower_factor": 1, "upper_factor": 4},
    mutants=[Mutant("upper-factor-2", "the upper bound with 2 instead of 4", constants={"upper_factor": 2}),
             Mutant("lower-factor-2", "the lower bound with 2 in front", constants={"lower_factor": 2})],
)
def overparameterization_sandwich(*, lower_factor, upper_factor):
    """Links Ward & Kolda's factor to the d²(d−r+1)⁻² factor of Xu et al. Substituting a = √d,
    b = √(r−1) makes every term polynomial: d − r + 1 = a² − b², and with g = (a − b)² the claim
    is L·a⁴·g ≤ a²·(a² − b²)² ≤ U·a⁴·g after clearing the positive denominators. z3 decides the
    real relaxation (a ≥ 1, a > b ≥ 0), which contains every integer pair d ≥ r ≥ 1; a model
    with a², b² + 1 integers is a counterexample to the integer statement itself."""
    a, b = z3.Reals("a b")
    g = (a - b) ** 2  # (√d − √(r−1))²
    k = a * a - b * b  # d − r + 1
    return SymbolicProblem(
        assumptions=[a >= 1, b >= 0, a > b],
        goal=z3.And(lower_factor * a**4 * g <= a * a * k * k, a * a * k * k <= upper_factor * a**4 * g),
        variables={"a": a, "b": b},
        reduction="a = √d ≥ 1, b = √(r−1) ≥ 0, a > b since d ≥ r; both sides multiplied by "
                  "(d−r+1)²·(√d−√(r−1))² > 0; proved for all such reals, hence for the integers",
    )


@probability(
    id=f"{PAPER}/beats-balanced-init",
    reference="Abstract (experiments sentence)",
    statement="The proposed initialization reaches ‖A − XYᵀ‖_F ≤ 1e-6‖A‖_F at least twice as fast as a small balanced Gaussian initialization, in at least 95% of draws.",
    fidelity="reconstructed",
    fidelity_note=SPEEDUP_NOTE,
    trials={"quick": 20, "default": 60, "thorough": 200},
    constants={"speedup": 2.0, "faster": "proposed", "delta": 0.05, "eps": 1e-12, "std": 1e-3},
    mutants=[Mutant("balanced-as-fast", "the small balanced Gaussian initialization reaches ε at least as fast",
                    constants={"faster": "balanced", "speedup": 1.0})],
)
def beats_balanced_init(n, ctx, *, speedup, faster, delta, eps, std):
    """The paper's experimental claim ("significantly improves convergence"), quantified by us,
    at the unsquared accuracy 1e-6 (ε = 1e-12 in the paper's squared criterion; at ε = 1e-6 the
    Gaussian start is about as fast, because its off-span noise X⊥Y⊥ᵀ is already below ε):
    at d = 2r, κ ∈ [2, 10], the same step ησ₁ = 1/2, the proposed initialization (D = 0.1) needs
    at most 1/speedup of the iterations of X₀, Y₀ ~ N(0, std²). The Gaussian run is capped at
    speedup × the proposed run's count, so a capped run counts as slower."""
    r = SHAPE["r"]
    kappas = ctx.rng.uniform(2.0, 10.0, n)
    A = low_rank_batch(SHAPE["m"], SHAPE["n"], r, kappas, ctx.seed % 10**6 + np.arange(n))
    Xp, Yp = ward_kolda_init(A, 2 * r, ETA, C0, 0.1, ctx.rng)
    prop = agd(A, Xp, Yp, ETA, eps=eps, max_iter=50_000)
    tp = prop.iterations
    Xg, Yg = gaussian_init(A, 2 * r, std, ctx.rng)
    cap = int(max(speedup, 1.0) * tp.max()) + 1
    tg = agd(A, Xg, Yg, ETA, eps=eps, max_iter=cap).iterations
    ok = tg >= speedup * tp if faster == "proposed" else tp >= speedup * tg
    ok &= prop.converged  # a proposed run that never reaches ε is a failure, however slow the other
    worst = int(np.argmin(tg / tp))
    return Trials(ok, details={"median_T_proposed": float(np.median(tp)),
                               "median_T_gaussian_capped": float(np.median(tg)),
                               "gaussian_capped": int((tg > cap).sum())},
                  failure_example={"kappa": kappas[worst], "T_proposed": int(tp[worst]),
                                   "T_gaussian": int(tg[worst])})
