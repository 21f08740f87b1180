"""Xu, Wang, Zhao, Ward & Tao, "Provable Acceleration of Nesterov's Accelerated Gradient for
Rectangular Matrix Factorization and Linear Neural Networks" (NeurIPS 2024, arXiv 2410.09640 v3).

Abstract (read): for rank-r A ∈ ℝ^{m×n} and factors of width d ≥ r, from the unbalanced start
"X₀ large, Y₀ = 0", gradient descent reaches ‖X_T Y_Tᵀ − A‖_F ≤ ε‖A‖_F (unsquared, unlike Ward &
Kolda) in T = O(κ² log 1/ε) iterations and Nesterov's accelerated gradient (NAG) in
T = O(κ log 1/ε), with high probability; for two-layer linear networks NAG keeps an accelerated
linear rate when the width is at least the rank of the label matrix. The theorem statements
(Theorems 1–3: step size, momentum, initialization scale, constants, δ) were NOT readable in any
stored copy; the d-dependence d²(d−r+1)⁻² (GD) and d(d−r+1)⁻¹ (NAG) is third-party ([3P],
ScienceStack summary). See ../shared/papers/matrix-factorization.md part B.

Our reconstruction, written into every claim (σ₁(A) = 1 throughout):
- X₀ = c·AΦ with Φ ∈ ℝ^{n×d} of i.i.d. N(0, 1/d) entries, Y₀ = 0, c = 30 ("large"; the notes
  found c ≳ 3 needed and X frozen for c ≳ 30);
- η = 1/σ₁(X₀)², q = σ_r(X₀)/σ₁(X₀) = 1/κ(X₀), β = (1 − q)/(1 + q) (the textbook NAG constants
  for the Y-block quadratic ½‖X₀Yᵀ − A‖²; GD is the same with β = 0);
- the linear network f(W₁, W₂) = ½‖W₂W₁X − Y‖²_F with W₂ = c·YΦ, W₁ = 0, η = 1/L and
  q = σ_r(W₂)σ_min(X)/(σ₁(W₂)σ₁(X)) for the W₁-block.
Hence every claim that depends on c, η, β or the init is `reconstructed`; exponents in κ and
log(1/ε) are the paper's (abstract), the explicit d-factors are [3P].
Sizes: m × n = 30 × 25, r = 3, d = 4r by default (the sketch VᵀΦ is then well conditioned and
κ(X₀) ∝ κ tightly; d-dependence is swept separately). float64: with c = 30 and κ ≥ 32 NAG's
relative error floors near 1e-11, so targets stay ≥ 1e-8.
References cite only what was read: "abstract", "[3P]" (ScienceStack summary, poster-figure
captions) or "notes §…"; theorem numbers are not cited because no theorem statement was read.

Findings of the review round (details in the claims' docstrings):
- d-dependence (mechanism: d acts through κ(X₀)): T_NAG against each run's κ(X₀) has exponent
  0.97–1.04 and that upper-1 form fails on 3 of 6 seeds, a pre-asymptotic effect (a step
  contracts by 1 − q and −ln(1 − q) > q on well-conditioned starts); against the steps per
  e-fold 1/(−ln(1 − q)) it is 0.89–0.93 (holds), GD likewise 0.71–0.97. Against the literal [3P]
  factors the median counts grow faster than the factor over d ∈ [r, 4r] on some seeds only
  (seed-dependent, so not encoded; not a refutation of an O(·) on a bounded range).
- log(1/ε): per-seed normalised, GD is linear to ~1e-6 and NAG 0.97 (concave, critically damped
  mode), on seeds 0–5; integer hitting times had to be replaced by interpolated crossings.
"""

from __future__ import annotations

import dataclasses

import mpmath
import numpy as np
import z3

from checkers.factorization import (
    crossing_times,
    gaussian_init,
    gd,
    lnn_nag,
    lnn_nag_parameters,
    lnn_unbalanced_init,
    low_rank_floor,
    nag,
    nag_parameters,
    out_of_span,
    unbalanced_init,
)
from checkers.precision import to_mp, with_precision
from claimaudit import (
    Figure,
    Mutant,
    Observation,
    Sample,
    SymbolicProblem,
    Trials,
    bound,
    consistency,
    probability,
    rate,
    symbolic,
)

from strategies.linear_networks import LinearNetworkProblem, linear_network_batch, linear_network_problems
from strategies.matrices import low_rank_batch, low_rank_matrices

PAPER = "nag-rectangular-mf"
SHAPE = {"m": 30, "n": 25, "r": 3}
C_SCALE = 30.0  # reconstructed "X₀ large" (σ₁(A) = 1)
LNN = {"m": 20, "n": 15, "N": 40, "r": 3}
_MF_NOTE = ("X₀ = c·AΦ with c = 30, η = 1/σ₁(X₀)², β = (1−q)/(1+q) with "
            "q = 1/κ(X₀), sizes 30×25, r = 3 are ours (notes §2.2)")


def _mf_iterations(method: str, kappa: float, d: int, eps: float, seeds: np.ndarray,
                   rng: np.random.Generator, c: float = C_SCALE,
                   max_iter: int = 400_000) -> tuple[np.ndarray, np.ndarray]:
    """(iteration counts, κ(X₀)) of GD or NAG from the unbalanced start, batched over seeds.
    A run that never meets ε (or diverges) counts as max_iter + 1: against every rate claim."""
    r = SHAPE["r"]
    A = low_rank_batch(SHAPE["m"], SHAPE["n"], r, [kappa] * len(seeds), seeds)
    X0, Y0 = unbalanced_init(A, d, c, rng)
    eta, beta, kx = nag_parameters(X0, r)
    if method == "gd":
        run = gd(A, X0, Y0, eta, eps=eps, max_iter=max_iter)
    else:
        run = nag(A, X0, Y0, eta, beta, eps=eps, max_iter=max_iter)
    return run.iterations, kx


def _reps(ctx, quick: int = 8, default: int = 16, thorough: int = 40) -> np.ndarray:
    return np.arange(ctx.pick(quick=quick, default=default, thorough=thorough))


# ------------------------------------------------------------------------------ κ dependence
@rate(
    id=f"{PAPER}/gd-iterations-kappa",
    reference="abstract (GD: T = O(κ² log 1/ε) w.h.p.)",
    statement="From the unbalanced start, the iterations GD needs to reach ‖XYᵀ − A‖_F ≤ ε‖A‖_F grow no faster than κ².",
    fidelity="reconstructed",
    fidelity_note=_MF_NOTE + ", d = 4r, ε = 1e-6; the exponent 2 in κ is the abstract's",
    sweep={"quick": [2, 4, 8, 16], "default": [2, 4, 8, 16, 32], "thorough": [2, 4, 8, 16, 32, 64]},
    x_label="condition number κ", y_label="GD iterations T(ε = 1e-6)",
    constants={"exponent": 2.0, "eps": 1e-6},
    mutants=[Mutant("gd-needs-only-kappa", "GD's iteration count grows only linearly in κ (GD as fast as NAG)",
                    constants={"exponent": 1.0})],
)
def gd_iterations_kappa(kappa, ctx, *, exponent, eps):
    """Abstract (GD): T_GD = O(κ² log 1/ε). Exponent of T in κ(A), d = 4r, c = 30. The
    measured exponent is about 1.8 over κ = 2…16 (≈ 1.95 against κ(X₀): small κ is still
    pre-asymptotic because the sketch adds to κ(X₀)); the mutant "only κ" must be excluded."""
    return _mf_iterations("gd", kappa, 4 * SHAPE["r"], eps, _reps(ctx), ctx.rng)[0]


@rate(
    id=f"{PAPER}/nag-iterations-kappa",
    reference="abstract (NAG: T = O(κ log 1/ε) w.h.p.)",
    statement="From the unbalanced start, the iterations NAG needs to reach ‖XYᵀ − A‖_F ≤ ε‖A‖_F grow no faster than κ.",
    fidelity="reconstructed",
    fidelity_note=_MF_NOTE + ", d = 4r, ε = 1e-6; the exponent 1 in κ is the abstract's",
    sweep={"quick": [4, 8, 16, 32, 64], "default": [4, 8, 16, 32, 64, 128]},
    x_label="condition number κ", y_label="NAG iterations T(ε = 1e-6)",
    constants={"exponent": 1.0, "eps": 1e-6},
    mutants=[
        Mutant("nag-no-faster-than-gd", "NAG's iteration count grows at least like κ² (no acceleration over GD)",
               constants={"exponent": 2.0}, options={"direction": "lower"}),
        Mutant("sqrt-kappa", "NAG needs only O(√κ log 1/ε) iterations", constants={"exponent": 0.5}),
    ],
)
def nag_iterations_kappa(kappa, ctx, *, exponent, eps):
    """Abstract (NAG): T_NAG = O(κ log 1/ε), our η, β (module docstring), d = 4r, c = 30.
    The fitted exponent is a little below 1 (≈ 0.9 over κ = 4…64, interval up to ≈ 1.0): at
    fixed ε the slowest direction starts at relative size ~1/κ, so T ≈ κ·log(1/(εκ)), which
    bends the fit below 1; the per-e-fold rate, free of that offset, is checked as tight (its
    interval contains 1 and excludes 2) in `nag-linear-rate-kappa`."""
    return _mf_iterations("nag", kappa, 4 * SHAPE["r"], eps, _reps(ctx), ctx.rng)[0]


def _per_efold(method: str, kappa: float, ctx, eps_hi: float, eps_lo: float) -> np.ndarray:
    seeds = _reps(ctx)
    t_hi, _ = _mf_iterations(method, kappa, 4 * SHAPE["r"], eps_hi, seeds, np.random.default_rng(ctx.seed))
    t_lo, _ = _mf_iterations(method, kappa, 4 * SHAPE["r"], eps_lo, seeds, np.random.default_rng(ctx.seed))
    return (t_lo - t_hi) / np.log(eps_hi / eps_lo)


@rate(
    id=f"{PAPER}/nag-linear-rate-kappa",
    reference="abstract (NAG: T = O(κ log 1/ε), read as a linear rate 1 − Θ(1/κ))",
    statement="In NAG's linear phase, the iterations per e-fold of error reduction grow linearly in κ (the interval contains 1).",
    fidelity="reconstructed",
    fidelity_note=_MF_NOTE + ", d = 4r, targets 1e-4 and 1e-8; reading O(κ log 1/ε) as a per-e-fold "
                  "rate Θ(κ) (tight) is ours",
    sweep={"quick": [4, 8, 16, 32, 64], "default": [4, 8, 16, 32, 64, 128]},
    x_label="condition number κ", y_label="NAG iterations per e-fold, (T(1e-8) − T(1e-4))/ln 1e4",
    direction="tight",
    constants={"exponent": 1.0, "eps_hi": 1e-4, "eps_lo": 1e-8},
    mutants=[
        Mutant("nag-no-faster-than-gd", "NAG's contraction per step is no better than GD's 1 − c/κ²",
               constants={"exponent": 2.0}, options={"direction": "lower"}),
        Mutant("sqrt-kappa-rate", "NAG contracts like 1 − c/√κ per step", constants={"exponent": 0.5}),
    ],
)
def nag_linear_rate_kappa(kappa, ctx, *, exponent, eps_hi, eps_lo):
    """The abstract's O(κ log 1/ε) for NAG is a linear rate 1 − Θ(1/κ): measured as the iterations
    between two targets divided by their log-ratio (same seeds, same init at both), which
    removes the warm-up and the log(1/(εκ)) offset. The paper's regime (X frozen, c = 30) gives
    an exponent ≈ 0.99 with an interval that contains 1 and excludes 2."""
    return _per_efold("nag", kappa, ctx, eps_hi, eps_lo)


# -------------------------------------------------------------------------- log(1/ε) dependence
_LOG_REF = 1e5  # each seed is normalised by its own extra iterations at ε₀/1e5


def _log_eps(method: str, ratio: float, ctx, kappa: float, eps0: float) -> Sample:
    """Per seed: (T(ε₀/ratio) − T(ε₀)) / (T(ε₀/ref) − T(ε₀)) · ln(ref), i.e. the extra
    iterations in units of the seed's own iterations per e-fold over [ε₀/ref, ε₀]. A linear rate
    makes this exactly ln(ratio) whatever the seed's constant, so the interval of the fit
    reflects the exponent and not the spread of constants between seeds. Hitting times are the
    log-linearly interpolated crossings (`crossing_times`): differencing integer hitting times
    shares the rounding of T(ε₀) (up to one step) across a seed's points, an affine offset that
    the normalised fit reads as an exponent above 1 (seed 5: 1.0015 [1.0002, 1.0028])."""
    seeds = _reps(ctx)
    r, d = SHAPE["r"], 4 * SHAPE["r"]
    A = low_rank_batch(SHAPE["m"], SHAPE["n"], r, [kappa] * len(seeds), seeds)
    X0, Y0 = unbalanced_init(A, d, C_SCALE, np.random.default_rng(ctx.seed))
    eta, beta, _ = nag_parameters(X0, r)
    lo = eps0 / max(ratio, _LOG_REF)
    run = nag(A, X0, Y0, eta, beta if method == "nag" else 0.0, eps=lo, max_iter=400_000, history=True)
    if not run.converged.all():  # a run that never reaches the target is against the claim
        return Sample(y=np.full(len(seeds), 1e6), details={"unconverged": int((~run.converged).sum())})
    t0 = crossing_times(run.errors, eps0)
    t1 = crossing_times(run.errors, eps0 / ratio)
    tref = crossing_times(run.errors, eps0 / _LOG_REF)
    per_efold = (tref - t0) / np.log(_LOG_REF)
    return Sample(y=(t1 - t0) / per_efold,
                  details={"ratio": ratio, "per_efold_median": float(np.median(per_efold)),
                           "per_efold_range": [float(per_efold.min()), float(per_efold.max())]})


_LOG_SWEEP = {"quick": [1e1, 1e2, 1e3, 1e4, 1e5], "default": [1e1, 1e2, 1e3, 1e4, 1e5]}
_LOG_NOTE = ("c = 30, η = 1/σ₁(X₀)², β = (1−q)/(1+q), d = 4r, κ = {kappa:g} and the "
             "differencing from ε₀ = 1e-3 with per-seed normalisation are ours; the exponent 1 of "
             "log(1/ε) is the abstract's")


@rate(
    id=f"{PAPER}/gd-log-eps",
    reference="abstract (T = O(κ² log 1/ε) for GD)",
    statement="Past ε₀ = 1e-3, the extra GD iterations to reach ‖XYᵀ − A‖_F ≤ ε‖A‖_F, in units of each run's own iterations per e-fold, grow no faster than linearly in log(ε₀/ε).",
    fidelity="reconstructed",
    fidelity_note=_LOG_NOTE.format(kappa=8),
    sweep=_LOG_SWEEP, x_label="log(ε₀/ε)", y_label="(T_GD(ε) − T_GD(ε₀)) / own iterations per e-fold",
    x_of=lambda ratio: float(np.log(ratio)),
    constants={"exponent": 1.0, "kappa": 8.0, "eps0": 1e-3},
    mutants=[Mutant("sqrt-log", "extra GD iterations grow like √log(1/ε)", constants={"exponent": 0.5})],
)
def gd_log_eps(ratio, ctx, *, exponent, kappa, eps0):
    """The log(1/ε) of the abstract's GD bound is a linear rate; unsquared criterion, ε down to
    1e-8 (above the float64 floor). Per-seed normalised (see `_log_eps`): the pooled raw fit was
    1.000 [0.67, 1.33] (the spread of per-seed constants, 162–408 iterations per decade); the
    normalised one is 1 within ~1e-5 on seeds 0–5, except where a second mode of X₀ is still
    decaying at ε₀ (one run on one seed: the first decade 0.2% cheaper, i.e. an affine offset
    that reads as 1.001 [0.9997, 1.0025]); the rate does not slow down before 1e-8."""
    return _log_eps("gd", ratio, ctx, kappa, eps0)


@rate(
    id=f"{PAPER}/nag-log-eps",
    reference="abstract (T = O(κ log 1/ε) for NAG)",
    statement="Past ε₀ = 1e-3, the extra NAG iterations to reach ‖XYᵀ − A‖_F ≤ ε‖A‖_F, in units of each run's own iterations per e-fold, grow no faster than linearly in log(ε₀/ε).",
    fidelity="reconstructed",
    fidelity_note=_LOG_NOTE.format(kappa=16),
    sweep=_LOG_SWEEP, x_label="log(ε₀/ε)", y_label="(T_NAG(ε) − T_NAG(ε₀)) / own iterations per e-fold",
    x_of=lambda ratio: float(np.log(ratio)),
    constants={"exponent": 1.0, "kappa": 16.0, "eps0": 1e-3},
    mutants=[Mutant("sqrt-log", "extra NAG iterations grow like √log(1/ε)", constants={"exponent": 0.5})],
)
def nag_log_eps(ratio, ctx, *, exponent, kappa, eps0):
    """As for GD (κ = 16, ε down to 1e-8). Normalised fits ≈ 0.97 [0.97, 0.98] on seeds 0–5
    (one seed 0.99 [0.94, 1.03]): the cost per decade falls by ~7% from the first to the fifth
    decade, as expected of the critically damped slowest mode, whose error is (1 + qt)(1 − q)^t
    (double root, `nag-spectral-radius-closed-form`): the polynomial factor's share of each
    decade shrinks as t grows. The rate does not slow down late (no float64 floor above 1e-8)."""
    return _log_eps("nag", ratio, ctx, kappa, eps0)


# ------------------------------------------------------------------------------ d dependence
def sketch_factor(d: float, r: int) -> float:
    """Typical squared condition number of the r×d sketch G = VᵀΦ:
    s(d) = ((√d + √r)/(√d − √(r−1)))², Θ(d²/(d−r+1)²) by `sketch-factor-sandwich`."""
    return float(((np.sqrt(d) + np.sqrt(r)) / (np.sqrt(d) - np.sqrt(r - 1))) ** 2)


_D_SWEEP = {"quick": [3, 4, 5, 6, 9, 12], "default": [3, 4, 5, 6, 8, 10, 12]}


def _iterations_against_start(method: str, d: int, ctx, kappa: float, eps: float, reps: np.ndarray,
                              power: int) -> Sample:
    """Per instance: (iterations to ε, κ(X₀)^power). The width d acts on T only through the
    conditioning of the start X₀ = c·AΦ (κ(X₀) ≤ κ·κ(VᵀΦ), and κ(VᵀΦ) carries the d-factor), so
    the fit runs against each run's own κ(X₀), not against a typical value of it."""
    its, kx = _mf_iterations(method, kappa, int(d), eps, reps, ctx.rng)
    return Sample(y=its, x=kx**power,
                  details={"d": int(d), "median_T": float(np.median(its)),
                           "median_kappa_X0": float(np.median(kx)),
                           "literal_3p_factor": float((d / (d - SHAPE["r"] + 1)) ** power)})


_OVERPARAM_NOTE = ("c = 30, η = 1/σ₁(X₀)², β = (1−q)/(1+q), κ(A) = 2, d ∈ [r, 4r], "
                   "ε = 1e-6 are ours; the mechanism (d enters only through κ(X₀)) is derived, the "
                   "[3P] factor is its w.h.p. bound")


@rate(
    id=f"{PAPER}/gd-overparameterization",
    reference="[3P] ScienceStack summary: T_GD = O(d²(d−r+1)⁻² κ² log 1/ε); notes §2.2",
    statement="Over widths d from r to 4r, GD's iterations to ε = 1e-6 grow per instance no faster than the steps per e-fold 1/(−ln(1 − 1/κ(X₀)²)) ≈ κ(X₀)² of the start's rate, κ(X₀) the condition number of the start (which carries the d-factor).",
    fidelity="reconstructed",
    fidelity_note=_OVERPARAM_NOTE + "; the regressor 1/(−ln(1 − 1/κ(X₀)²)) is derived from our η "
                  "(chosen with NAG's after NAG's plain κ(X₀) fit failed; see the docstrings)",
    sweep=_D_SWEEP, x_label="1/(−ln(1 − 1/κ(X₀)²)) of each run, d from r to 4r",
    y_label="GD iterations T(ε = 1e-6)",
    constants={"exponent": 1.0, "kappa": 2.0, "eps": 1e-6},
    mutants=[Mutant("no-d-factor", "GD's iteration count is bounded independently of d (factor dropped)",
                    constants={"exponent": 0.0}),
             Mutant("sqrt-factor", "GD's count grows only like κ(X₀) (the NAG factor)",
                    constants={"exponent": 0.5})],
)
def gd_overparameterization(d, ctx, *, exponent, kappa, eps):
    """Mechanism behind the [3P] factor: κ(X₀) ≤ κ·κ(VᵀΦ) and κ(VᵀΦ)² = Θ(d²/(d−r+1)²) w.h.p.
    (`sketch-factor-sandwich`), and with X nearly frozen GD contracts the Y-block by
    1 − 1/κ(X₀)² per step. So we fit T per instance against that rate's steps per e-fold over
    d ∈ [r, 4r] (κ = 2 so the sketch dominates); upper exponent 1; it can fail (fit > 1).
    Against κ(X₀)² itself, as the review recommended, the quick audit gave 0.953, 0.998
    [0.990, 1.007], 0.721, 0.975, 0.774, 0.938 on seeds 0–5 (holds, but seed 1 near 1); the
    e-fold form removes the pre-asymptotic bias found for NAG (see `nag-overparameterization`)
    and gives 0.60–0.96 on six exploration seeds. Below 1 because in the d = r tail (κ(X₀)² up
    to 1e6) X is no longer frozen and moves to fix the deficient direction, so T ≪ κ(X₀)². The
    mutants "only κ(X₀)" (0.5) and "no d-factor" (0) are excluded.
    What the literal [3P] factor shows (checked, not encoded): the median T over the 24 runs per d
    against d²/(d−r+1)² fits 0.98–1.69 on six seeds with intervals [1.12, 2.11] and [1.27, 2.10]
    excluding 1 on two of six: the typical κ(VᵀΦ)² is 13× the literal factor at d = r and 4.5× at
    d = 4r (s(d) vs d²/(d−r+1)²), so medians grow faster than the literal factor over this bounded
    range; that does not refute an O(·) (constant not given), and it is seed-dependent, so no claim."""
    out = _iterations_against_start("gd", d, ctx, kappa, eps, _reps(ctx, 24, 40, 100), 2)
    return dataclasses.replace(out, x=efold_time(1.0 / np.asarray(out.x)))


def efold_time(rate_gap: np.ndarray) -> np.ndarray:
    """Steps per e-fold at a contraction 1 − g per step: 1/(−ln(1 − g)). With our η and β, GD
    contracts the start's slowest direction by 1 − 1/κ(X₀)² and NAG by 1 − 1/κ(X₀) (the double
    root proved in `nag-spectral-radius`). It is 1/g − 1/2 + O(g) for small g, but 30% below 1/g
    at g = 1/2 (κ(X₀) = 2 for NAG), which matters on well-conditioned starts."""
    return -1.0 / np.log1p(-np.asarray(rate_gap, dtype=float))


@rate(
    id=f"{PAPER}/nag-overparameterization",
    reference="[3P] ScienceStack summary: T_NAG = O(d(d−r+1)⁻¹ κ log 1/ε); notes §2.2",
    statement="Over widths d from r to 4r, NAG's iterations to ε = 1e-6 grow per instance no faster than the steps per e-fold 1/(−ln(1 − 1/κ(X₀))) of the start's accelerated rate, κ(X₀) the condition number of the start (which carries the d-factor).",
    fidelity="reconstructed",
    fidelity_note=_OVERPARAM_NOTE + "; the regressor 1/(−ln(1 − 1/κ(X₀))) (≈ κ(X₀)) is derived from our "
                  "β and chosen after the plain κ(X₀) fit failed (docstring)",
    sweep=_D_SWEEP, x_label="1/(−ln(1 − 1/κ(X₀))) of each run, d from r to 4r",
    y_label="NAG iterations T(ε = 1e-6)",
    constants={"exponent": 1.0, "kappa": 2.0, "eps": 1e-6},
    mutants=[Mutant("no-d-factor", "NAG's iteration count is bounded independently of d (factor dropped)",
                    constants={"exponent": 0.0}),
             Mutant("sqrt-factor", "NAG's count grows only like the square root of κ(X₀)",
                    constants={"exponent": 0.5}),
             Mutant("no-acceleration-in-d", "NAG's count grows at least like κ(X₀)², as GD's",
                    constants={"exponent": 2.0}, options={"direction": "lower"})],
)
def nag_overparameterization(d, ctx, *, exponent, kappa, eps):
    """As for GD, with NAG's contraction 1 − 1/κ(X₀) per step: T per instance (d ∈ [r, 4r], κ = 2)
    against the steps per e-fold of that contraction, upper exponent 1.
    History, told in full: the review recommended fitting against κ(X₀) itself. That form FAILS
    on seeds 0, 2, 4 of the quick audit: 1.030 [1.009, 1.051], 1.028 [1.008, 1.048], 1.044
    [1.022, 1.066] (1.005, 0.971, 0.982 on seeds 1, 3, 5). Investigated: within d = r (κ(X₀)
    from 3 to 75) the slope is 0.90, within d = 4r (κ(X₀) from 1.4 to 5) it is 1.3; the runs with
    κ(X₀) < 3 need fewer than κ(X₀)·const iterations because a step contracts by 1 − q, i.e.
    −ln(1 − q) > q e-folds, 30% more than q at κ(X₀) = 2. Against 1/(−ln(1 − q)) the exponent is
    0.88–0.95 on six seeds (intervals ±0.01, all below 1). So T_NAG ≤ C·κ(X₀) holds as an O(·)
    (1/(−ln(1 − q)) ≤ κ(X₀)), but its local log-log slope over well-conditioned starts exceeds 1:
    not a failure of the paper's bound, a pre-asymptotic effect of our measure.
    Literal [3P] factor d/(d−r+1) against the median T (32 runs per d): 0.94–2.14 on seeds 0–5,
    intervals excluding 1 on four of six ([1.06, 2.30], [1.46, 1.89], [1.56, 2.73], ...): the
    typical κ(VᵀΦ) is a larger multiple of the literal factor at d = r than at 4r; an O(·) with
    an unknown constant over a bounded range of d is not refuted by that."""
    out = _iterations_against_start("nag", d, ctx, kappa, eps, _reps(ctx, 32, 64, 160), 1)
    return dataclasses.replace(out, x=efold_time(1.0 / np.asarray(out.x)))


@symbolic(
    id=f"{PAPER}/sketch-factor-sandwich",
    reference="[3P] ScienceStack summary (d-factors); notes §2.2 and §3; derived",
    statement="For integers d ≥ r ≥ 1: d²/(d−r+1)² ≤ ((√d+√r)/(√d−√(r−1)))² ≤ 16·d²/(d−r+1)².",
    fidelity="derived",
    constants={"lower_factor": 1, "upper_factor": 16},
    mutants=[Mutant("upper-factor-4", "the upper bound with 4 instead of 16", constants={"upper_factor": 4}),
             Mutant("lower-factor-2", "the lower bound with 2 in front", constants={"lower_factor": 2})],
)
def sketch_factor_sandwich(*, lower_factor, upper_factor):
    """Links the d-factor we fit against to the [3P] one. With a = √d, b = √(r−1), c = √r
    (c² = b² + 1, 0 ≤ b < c ≤ a) and d − r + 1 = a² − b² = (a−b)(a+b), the claim is
    L·a⁴ ≤ (a+c)²(a+b)² ≤ U·a⁴ after multiplying by (a−b)²(a+b)² > 0."""
    a, b, c = z3.Reals("a b c")
    mid = (a + c) ** 2 * (a + b) ** 2
    return SymbolicProblem(
        assumptions=[c >= 1, b >= 0, c * c == b * b + 1, a >= c],
        goal=z3.And(lower_factor * a**4 <= mid, mid <= upper_factor * a**4),
        variables={"a": a, "b": b, "c": c},
        reduction="a = √d, b = √(r−1), c = √r; both sides multiplied by (d−r+1)²·(√d−√(r−1))² > 0; "
                  "proved for all such reals, hence for the integers",
    )


# ------------------------------------------------------------- the initialization matters
@probability(
    id=f"{PAPER}/nag-high-probability-success",
    reference="abstract (NAG, w.h.p., unbalanced initialization); [3P] d(d−r+1)⁻¹ factor",
    statement="From X₀ = c·AΦ, Y₀ = 0, NAG reaches ‖XYᵀ − A‖_F ≤ ε‖A‖_F within K·d(d−r+1)⁻¹·κ·ln(1/ε) iterations with probability at least 1 − δ.",
    fidelity="reconstructed",
    fidelity_note=_MF_NOTE + "; K = 10 is our calibration and δ = 0.05 our choice (the paper's "
                  "constant and δ were not readable), κ ∈ [2, 20], d ∈ [r, 3r]",
    trials={"quick": 60, "default": 200, "thorough": 1000},
    constants={"K": 10.0, "delta": 0.05, "eps": 1e-6, "kappa_max": 20.0, "init": "unbalanced"},
    mutants=[
        Mutant("small-balanced-init",
               "the same from a small balanced start X₀, Y₀ ~ N(0, 1e-6) (Y₀ ≠ 0, X₀ small), with "
               "the balanced-problem constants η = 1/(2σ₁), q = √(1/(2κ))",
               constants={"init": "balanced"}),
        Mutant("constant-too-small", "the same with K = 0.5", constants={"K": 0.5}),
    ],
)
def nag_high_probability_success(n, ctx, *, K, delta, eps, kappa_max, init):
    """The abstract's w.h.p. NAG bound as a probability claim. The paper's constant and δ were not readable: K = 10
    is our calibration (over 200 draws with d ∈ [r, 3r] the ratio T/(d(d−r+1)⁻¹κ ln 1/ε) had
    median 0.9, 99% quantile 6.7, max 16, the tail coming from d = r where the sketch VᵀΦ is
    ill-conditioned) and δ = 0.05 is our choice. The mutant runs the same NAG from a small
    balanced Gaussian start; its run is capped at the budget, so a capped run is a failure."""
    r = SHAPE["r"]
    kappas = ctx.rng.uniform(2.0, kappa_max, n)
    widths = ctx.rng.integers(r, 3 * r + 1, n)
    budget = K * widths / (widths - r + 1) * kappas * np.log(1 / eps)
    its = np.empty(n, dtype=int)
    for d in np.unique(widths):  # one batched run per width
        sel = np.flatnonzero(widths == d)
        A = low_rank_batch(SHAPE["m"], SHAPE["n"], r, kappas[sel], ctx.seed % 10**6 + sel)
        if init == "unbalanced":
            X0, Y0 = unbalanced_init(A, int(d), C_SCALE, ctx.rng)
            eta, beta, _ = nag_parameters(X0, r)
        else:
            X0, Y0 = gaussian_init(A, int(d), 1e-3, ctx.rng)
            q = np.sqrt(1.0 / (2.0 * kappas[sel]))
            eta, beta = 0.5, (1 - q) / (1 + q)
        cap = int(np.ceil(budget[sel].max()))
        its[sel] = nag(A, X0, Y0, eta, beta, eps=eps, max_iter=cap).iterations
    ok = its <= budget
    worst = int(np.argmax(its / budget))
    return Trials(ok, details={"init": init, "max_T_over_budget": float((its / budget).max()),
                               "median_T_over_budget": float(np.median(its / budget))},
                  failure_example={"kappa": kappas[worst], "d": int(widths[worst]),
                                   "iterations": int(its[worst]), "budget": budget[worst]})


# ----------------------------------------------------------- invariants of the unbalanced start
def _start(inst, y0_scale: float, x0: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    A = inst.matrix()
    rng = inst.rng()
    X0, Y0 = unbalanced_init(A, inst.width, C_SCALE, rng)
    if x0 == "gaussian":
        X0 = C_SCALE * rng.standard_normal(X0.shape) / np.sqrt(inst.width)
    if y0_scale:
        Y0 = y0_scale * rng.standard_normal(Y0.shape)
    return A, X0, Y0


_INVARIANT_STRATEGY = lambda c: low_rank_matrices(rows=(3, 30), cols=(3, 30), ranks=(1, 4),  # noqa: E731
                                                  conditions=(1.0, 50.0))


@bound(
    id=f"{PAPER}/first-step-identity",
    reference="abstract (unbalanced initialization, Y₀ = 0); notes §2.2; derived",
    statement="From Y₀ = 0, the first GD or NAG step gives X₁ = X₀ and Y₁ = ηAᵀX₀.",
    fidelity="derived",
    strategy=_INVARIANT_STRATEGY,
    constants={"tol": 1e-12, "y0_scale": 0.0},
    mutants=[Mutant("nonzero-y0", "the identity also holds from Y₀ ~ N(0, 1e-6) (Y₀ = 0 dropped)",
                    constants={"y0_scale": 1e-3})],
)
def first_step_identity(inst, *, tol, y0_scale):
    """With Y₀ = 0 the X-gradient (X₀Y₀ᵀ − A)Y₀ vanishes and the Y-gradient is −AᵀX₀; NAG's
    first extrapolation is void (X₋₁ = X₀). Relative deviation of both methods ≤ tol."""
    A, X0, Y0 = _start(inst, y0_scale, "unbalanced")
    eta, beta, _ = nag_parameters(X0, min(inst.rank, inst.width))
    dev = 0.0
    for b in (0.0, float(beta)):
        run = nag(A, X0, Y0, eta, b, eps=0.0, max_iter=1)
        Y1 = eta * A.T @ X0
        dev = max(dev, np.linalg.norm(run.X - X0) / np.linalg.norm(X0),
                  np.linalg.norm(run.Y - Y1) / np.linalg.norm(Y1))
    return Observation(observed=float(dev), claimed=tol, instance=inst)


@bound(
    id=f"{PAPER}/column-space-invariants",
    reference="abstract (X₀ large, Y₀ = 0; the form c·AΦ is ours, notes §2.1); derived",
    statement="Along GD and NAG from X₀ = c·AΦ, Y₀ = 0, col(X_t) ⊆ col(A) and col(Y_t) ⊆ col(Aᵀ).",
    fidelity="derived",
    strategy=_INVARIANT_STRATEGY,
    constants={"tol": 1e-10, "steps": 60, "y0_scale": 0.0, "x0": "unbalanced"},
    mutants=[
        Mutant("gaussian-x0", "the invariants also hold from a Gaussian X₀ (col(X₀) ⊆ col(A) dropped)",
               constants={"x0": "gaussian"}),
        Mutant("nonzero-y0", "the invariants also hold from Y₀ ~ N(0, 1e-6) (Y₀ = 0 dropped)",
               constants={"y0_scale": 1e-3}),
    ],
)
def column_space_invariants(inst, *, tol, steps, y0_scale, x0):
    """Every update adds to X multiples of A(·) and X(·), and to Y multiples of Aᵀ(·) and Y(·), so
    the spans are kept (exactly; float64 leaks ~1e-14, NAG's β → 1 amplifies it slowly).
    Observed: the largest ‖(I − P)Z_t‖/‖Z_t‖ over X_T, Y_T of GD and NAG."""
    A, X0, Y0 = _start(inst, y0_scale, x0)
    U, _, V = inst.factors()
    eta, beta, _ = nag_parameters(X0, min(inst.rank, inst.width))
    leak = 0.0
    for b in (0.0, float(beta)):
        run = nag(A, X0, Y0, eta, b, eps=0.0, max_iter=steps)
        leak = max(leak, float(out_of_span(U, run.X)), float(out_of_span(V, run.Y)))
    return Observation(observed=leak, claimed=tol, instance=inst)


# -------------------------------------------------------------------------- linear networks
def _lnn_iterations(kx: float, d: int, eps: float, seeds: np.ndarray, rng: np.random.Generator,
                    momentum: bool = True) -> np.ndarray:
    probs = [LinearNetworkProblem(LNN["m"], LNN["n"], LNN["N"], LNN["r"], d, kx, 2.0, int(s))
             for s in seeds]
    Xd, Yl = linear_network_batch(probs)
    W2, V1 = lnn_unbalanced_init(Yl, LNN["n"], d, C_SCALE, rng)
    eta, beta, _ = lnn_nag_parameters(Xd, W2, min(d, LNN["r"]))
    return lnn_nag(Xd, Yl, W2, V1, eta, beta if momentum else 0.0, eps=eps, max_iter=200_000).iterations


@rate(
    id=f"{PAPER}/lnn-accelerated-rate",
    reference="abstract (linear networks: accelerated linear rate at width ≥ rank(Y))",
    statement="For a two-layer linear network of width 2·rank(Y) from the unbalanced start, NAG's iterations to reach ε grow linearly in the data condition number κ(X) (accelerated; GD needs κ(X)²).",
    fidelity="reconstructed",
    fidelity_note="the model ½‖W₂W₁X − Y‖², W₂ = c·YΦ, W₁ = 0, c = 30, η = 1/L, "
                  "q = σ_r(W₂)σ_min(X)/(σ₁(W₂)σ₁(X)), sizes 20×15×40, rank 3, κ(Y) = 2, width 2r are "
                  "ours; the paper's κ for networks was not readable (notes §2.3)",
    sweep={"quick": [2, 4, 8, 16], "default": [2, 4, 8, 16, 32]},
    x_label="data condition number κ(X)", y_label="NAG iterations T(ε = 1e-6)",
    direction="tight",
    constants={"exponent": 1.0, "eps": 1e-6, "width_factor": 2},
    mutants=[Mutant("lnn-no-faster-than-gd", "NAG's iterations grow at least like κ(X)², as GD's do",
                    constants={"exponent": 2.0}, options={"direction": "lower"})],
)
def lnn_accelerated_rate(kx, ctx, *, exponent, eps, width_factor):
    """Abstract, linear networks (model reconstructed, see module docstring): labels Y = W*X of rank 3 with
    κ(Y) = 2 fixed, data X (15×40) with κ(X) swept. With W₂ frozen the W₁-block has condition
    number ≍ κ(W₂)κ(X) ∝ κ(X), so accelerated means T ∝ κ(X) (GD measured ≈ κ(X)²). Width 2r:
    at d = r the exponent is the same (≈ 1.1) but the sketch's heavy tail widens the interval."""
    d = int(width_factor * LNN["r"])
    return _lnn_iterations(kx, d, eps, _reps(ctx), ctx.rng)


def _lnn_min_error(p: LinearNetworkProblem, steps: int) -> tuple[float, int]:
    """(smallest relative error along ``steps`` NAG steps, the step where it occurs)."""
    Xd, Yl = p.data(), p.labels()
    W2, V1 = lnn_unbalanced_init(Yl, p.n, p.width, C_SCALE, p.rng())
    eta, beta, _ = lnn_nag_parameters(Xd, W2, p.width)
    run = lnn_nag(Xd, Yl, W2, V1, eta, beta, eps=0.0, max_iter=steps, history=True)
    errs = np.where(np.isfinite(run.errors), run.errors, np.inf)  # a diverged tail never wins
    t = int(np.argmin(errs))
    return float(errs[t]), t


def _floor_recheck(p, *, steps, target):
    """A suspected violation replayed exactly: the float64 iterate (W₂, V₁) at the best step is a
    pair of exact numbers whose product has rank ≤ d, so the inequality holds exactly for it;
    its error and the Eckart–Young floor of Y are evaluated in mpmath at 50 digits."""
    _, t = _lnn_min_error(p, steps)
    Xd, Yl = p.data(), p.labels()
    W2, V1 = lnn_unbalanced_init(Yl, p.n, p.width, C_SCALE, p.rng())
    eta, beta, _ = lnn_nag_parameters(Xd, W2, p.width)
    run = lnn_nag(Xd, Yl, W2, V1, eta, beta, eps=0.0, max_iter=t)

    def exact() -> tuple[float, float]:
        Y = to_mp(Yl)
        R = to_mp(run.X) * (to_mp(run.Y).T * to_mp(Xd)) - Y
        norm_y = mpmath.fsum(x**2 for x in Y)
        err = mpmath.sqrt(mpmath.fsum(x**2 for x in R) / norm_y)
        s = mpmath.svd_r(Y, compute_uv=False)
        tail = mpmath.fsum(s[i] ** 2 for i in range(p.width, len(s)))
        return float(err), float(mpmath.sqrt(tail / norm_y))

    err, fl = with_precision(50, exact)
    obs = _lnn_observation(p, err, fl, target)
    return dataclasses.replace(obs, details={**obs.details, "precision": "mpmath 50 digits", "step": t})


def _lnn_observation(p, err: float, floor: float, target: float) -> Observation:
    if target > 0:  # the mutant's claim: NAG reaches the target error anyway
        return Observation(observed=err, claimed=target, instance=p,
                           details={"eckart_young_floor": floor})
    return Observation(observed=err, claimed=floor, margin=floor / err, instance=p,
                       details={"eckart_young_floor": floor},
                       note="margin = floor / min_t error (a lower bound)")


@bound(
    id=f"{PAPER}/lnn-width-below-rank",
    reference="abstract (width ≥ rank of the label matrix suffices); derived via Eckart–Young",
    statement="With width d < rank(Y), every NAG iterate has ‖W₂W₁X − Y‖_F ≥ (Σ_{i>d} σ_i(Y)²)^{1/2}: the best rank-d approximation error of Y, a positive floor.",
    fidelity="derived",
    strategy=lambda c: linear_network_problems(outputs=(3, 12), features=(3, 10), extra_samples=(0, 10),
                                               ranks=(2, 4), width_deficit=(1, 1),
                                               data_conditions=(1.0, 5.0), label_conditions=(1.0, 5.0)),
    constants={"steps": 400, "target": 0.0},
    recheck=_floor_recheck,
    mutants=[Mutant("reaches-eps-below-rank",
                    "NAG reaches ‖W₂W₁X − Y‖_F ≤ 1e-3‖Y‖_F at width rank(Y) − 1 (width assumption dropped)",
                    constants={"target": 1e-3})],
)
def lnn_width_below_rank(p, *, steps, target):
    """W₂W₁X has rank ≤ d, and Y = W*X lies in X's row space, so min over rank-d products equals
    Eckart–Young on Y: the floor is exact (a true impossibility, not a timeout). Observed: the
    smallest relative error along 400 NAG steps; margin = floor/observed must stay ≤ 1."""
    err, _ = _lnn_min_error(p, steps)
    return _lnn_observation(p, err, float(low_rank_floor(p.labels(), p.width)), target)


# ------------------------------------------------------------------------- momentum algebra
@symbolic(
    id=f"{PAPER}/momentum-identity",
    reference="notes §2.2 (our NAG momentum β = (1−q)/(1+q)); derived",
    statement="For q ∈ (0, 1] and β = (1−q)/(1+q): 0 ≤ β < 1, 1 − β ≥ q and β(1 − q²) = (1 − q)².",
    fidelity="derived",
    constants={"power": 1},
    mutants=[Mutant("heavy-ball-momentum", "the same for Polyak's β = ((1−q)/(1+q))²", constants={"power": 2})],
)
def momentum_identity(*, power):
    """Why β = (1−q)/(1+q): at the smallest curvature μ (ηλ = q²) the NAG characteristic
    polynomial z² − (1+β)(1−q²)z + β(1−q²) has the double root 1 − q exactly when
    β(1−q²) = (1−q)². Polynomial after clearing 1 + q > 0; z3 decides it over the reals."""
    q, beta = z3.Reals("q beta")
    ratio = (1 - q) / (1 + q)
    return SymbolicProblem(
        assumptions=[q > 0, q <= 1, beta == ratio**power],
        goal=z3.And(beta >= 0, beta < 1, 1 - beta >= q, beta * (1 - q * q) == (1 - q) ** 2),
        variables={"q": q, "beta": beta},
        reduction="β given by its rational expression in q; identity checked over all real q ∈ (0, 1]",
    )


@symbolic(
    id=f"{PAPER}/nag-spectral-radius",
    reference="abstract (NAG's accelerated rate) with our η, β (notes §2.2); derived",
    statement="For η = 1/L, q = √(μ/L), β = (1−q)/(1+q) and every λ ∈ [μ, L], both roots of z² − (1+β)(1−ηλ)z + β(1−ηλ) have modulus ≤ 1 − q.",
    fidelity="derived",
    constants={"eta_times_L": 1, "rate_factor": 1},
    mutants=[
        Mutant("step-too-large", "the same with η = 1.5/L", constants={"eta_times_L": 1.5}),
        Mutant("rate-too-good", "the radius is at most 1 − 1.5q", constants={"rate_factor": 1.5}),
    ],
)
def nag_spectral_radius(*, eta_times_L, rate_factor):
    """NAG on one eigen-direction of a quadratic is the 2×2 iteration [[(1+β)a, −βa], [1, 0]]
    with a = 1 − ηλ. A root z = x + iy satisfies x² − y² − (1+β)a·x + βa = 0 and
    y(2x − (1+β)a) = 0; with s = λ/L ∈ [q², 1] and a = 1 − (ηL)s the claim is x² + y² ≤
    (1 − ρq)². Polynomial in (q, β, s, x, y); z3's nlsat decides it."""
    q, beta, s, x, y = z3.Reals("q beta s x y")
    a = 1 - eta_times_L * s
    return SymbolicProblem(
        assumptions=[q > 0, q < 1, beta * (1 + q) == 1 - q, s >= q * q, s <= 1,
                     x * x - y * y - (1 + beta) * a * x + beta * a == 0,
                     y * (2 * x - (1 + beta) * a) == 0],
        goal=x * x + y * y <= (1 - rate_factor * q) ** 2,
        variables={"q": q, "beta": beta, "s": s, "x": x, "y": y},
        reduction="root z = x + iy of the characteristic polynomial split into real and "
                  "imaginary parts; s = λ/L, a = 1 − ηL·s; |z|² ≤ (1 − q)² is polynomial",
    )


@consistency(
    id=f"{PAPER}/nag-spectral-radius-closed-form",
    reference="notes §2.2 (our momentum choice); derived",
    statement="At 60 digits, the spectral radius of the NAG iteration on curvature λ ∈ [μ, L] equals √(β(1 − λ/L)), reaching 1 − q (a double root) at λ = μ.",
    fidelity="derived",
    constants={"power": 1, "tol": 1e-20},
    mutants=[Mutant("heavy-ball-momentum", "the closed form also holds with Polyak's β = ((1−q)/(1+q))²",
                    constants={"power": 2})],
)
def nag_spectral_radius_closed_form(ctx, *, power, tol):
    """mpmath at 60 digits: eigenvalues of [[(1+β)a, −βa], [1, 0]] (a = 1 − λ/L) on a grid of
    q ∈ {0.01, 0.1, 0.3, 0.7} and λ/L ∈ [q², 1] against the closed form √(βa) (complex pair,
    discriminant a((1+β)²a − 4β) ≤ 0 because (1+β)²(1−q²) = 4β) and 1 − q at λ = μ. Near the
    double root an eigen-solver only resolves √(unit roundoff) ≈ 1e-30 (a root of multiplicity 2
    moves by √δ under a perturbation δ), hence tol = 1e-20 at 60 digits; the mutant's gap is O(q)."""
    obs = []
    with mpmath.workdps(60):
        for qf in (0.01, 0.1, 0.3, 0.7):
            q = mpmath.mpf(qf)
            beta = ((1 - q) / (1 + q)) ** power
            worst = mpmath.mpf(0)
            for s in mpmath.linspace(q * q, 1, 41):
                a = 1 - s
                M = mpmath.matrix([[(1 + beta) * a, -beta * a], [1, 0]])
                rho = max(abs(z) for z in mpmath.eig(M, left=False, right=False))
                closed = mpmath.sqrt(beta * a)
                worst = max(worst, abs(rho - closed))
            at_mu = mpmath.sqrt(((1 - q) / (1 + q)) * (1 - q * q))  # NAG's β: 1 − q exactly
            worst = max(worst, abs(at_mu - (1 - q)))
            obs.append(Observation(observed=float(worst), claimed=tol, instance={"q": qf},
                                   evidence="no-counterexample",  # a 41-point grid, not a proof
                                   note=f"q = {qf}: max |ρ_mpmath − √(βa)| over 41 curvatures"))
    return obs


# ------------------------------------------------------------------ the paper's kind of figure
@consistency(
    id=f"{PAPER}/nag-faster-than-gd",
    reference="abstract (GD κ² vs NAG κ); [3P] figure caption (GD vs NAG on MF, NAG much faster)",
    statement="On every instance of a κ sweep, NAG from the unbalanced start needs fewer iterations than GD, and the median speed-up T_GD/T_NAG rises at every step of the sweep (the gap widens with κ).",
    fidelity="reconstructed",
    fidelity_note="sizes 30×25, r = 3, d = 4r, c = 30, η = 1/σ₁(X₀)², β = (1−q)/(1+q), "
                  "κ ∈ {2, 4, 8, 16} and ε = 1e-6 are ours; the [3P] caption gives no sizes",
    constants={"faster": "nag", "eps": 1e-6},
    mutants=[Mutant("gd-at-least-as-fast", "GD needs no more iterations than NAG, and its lead grows with κ",
                    constants={"faster": "gd"})],
)
def nag_faster_than_gd(ctx, *, faster, eps):
    """The paper's comparison figure (reconstructed sizes 30×25, r = 3, d = 4r, c = 30): per κ
    the largest T_NAG/T_GD over the seeds must be < 1 (margin = that ratio; the mutant inverts
    it), and the median speed-up must rise from each κ to the next (margin = previous/next
    median speed-up). A simulation on a few seeds: evidence "no-counterexample", not a proof.
    Figures: median iterations against κ for both methods, and error curves at κ = 16."""
    kappas = ctx.pick(quick=[2, 4, 8, 16], default=[2, 4, 8, 16, 32])
    seeds = _reps(ctx, 6, 12, 30)
    obs, med_gd, med_nag, speedup = [], [], [], []
    for kappa in kappas:
        tg, _ = _mf_iterations("gd", kappa, 4 * SHAPE["r"], eps, seeds, np.random.default_rng(ctx.seed))
        tn, _ = _mf_iterations("nag", kappa, 4 * SHAPE["r"], eps, seeds, np.random.default_rng(ctx.seed))
        med_gd.append(float(np.median(tg)))
        med_nag.append(float(np.median(tn)))
        ratio = tn / tg if faster == "nag" else tg / tn
        speedup.append(float(np.median(1.0 / ratio)))  # median T_slow/T_fast under the claim
        obs.append(Observation(observed=float(ratio.max()), claimed=1.0, margin=float(ratio.max()),
                               instance={"kappa": kappa}, evidence="no-counterexample",
                               details={"median_T_gd": med_gd[-1], "median_T_nag": med_nag[-1]},
                               note=f"κ = {kappa}: worst T_{'NAG/GD' if faster == 'nag' else 'GD/NAG'} "
                                    f"{ratio.max():.3g}"))
    for k in range(1, len(kappas)):  # the gap widens: each step of κ raises the median speed-up
        obs.append(Observation(observed=speedup[k - 1], claimed=speedup[k],
                               margin=speedup[k - 1] / speedup[k],
                               instance={"kappa_from": kappas[k - 1], "kappa_to": kappas[k]},
                               evidence="no-counterexample",
                               note=f"median speed-up {speedup[k - 1]:.3g} at κ = {kappas[k - 1]} vs "
                                    f"{speedup[k]:.3g} at κ = {kappas[k]}"))
    # error curves on one instance at the largest quick κ
    r, d, kappa = SHAPE["r"], 4 * SHAPE["r"], 16.0
    A = low_rank_batch(SHAPE["m"], SHAPE["n"], r, [kappa], [0])
    X0, Y0 = unbalanced_init(A, d, C_SCALE, np.random.default_rng(ctx.seed))
    eta, beta, _ = nag_parameters(X0, r)
    hg = gd(A, X0, Y0, eta, eps=eps, max_iter=20_000, history=True).errors[:, 0]
    hn = nag(A, X0, Y0, eta, beta, eps=eps, max_iter=20_000, history=True).errors[:, 0]
    stride = max(1, len(hg) // 300)  # keep the report small
    figs = [
        Figure(title="GD vs NAG: iterations to ‖XYᵀ − A‖_F ≤ 1e-6‖A‖_F against κ",
               xlabel="κ", ylabel="median iterations", logx=True, logy=True,
               series=[{"label": "GD", "x": kappas, "y": med_gd, "style": "line"},
                       {"label": "NAG", "x": kappas, "y": med_nag, "style": "line"}]),
        Figure(title="relative error ‖XYᵀ − A‖_F/‖A‖_F along GD and NAG (κ = 16, d = 12)",
               xlabel="iteration", ylabel="relative error", logy=True,
               series=[{"label": "GD", "x": list(range(0, len(hg), stride)), "y": hg[::stride].tolist(),
                        "style": "line"},
                       {"label": "NAG", "x": list(range(len(hn))), "y": hn.tolist(), "style": "line"}]),
    ]
    obs[-1] = dataclasses.replace(obs[-1], figures=tuple(figs))
    return obs
