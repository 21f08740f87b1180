"""Evron, Moroshko, Ward, Srebro & Soudry, "How catastrophic can catastrophic forgetting be in
linear regression?" (COLT 2022, PMLR 178:4028–4079, arXiv 2205.09588).

What we could read is the abstract (arXiv, PMLR, ar5iv): "when T tasks in d dimensions are
presented cyclically for k iterations, we prove an upper bound of T² min{1/√k, d/k} on the
forgetting. This stands in contrast to the convergence to the offline solution, which can be
arbitrarily slow according to existing alternating projection results. We further show that the
T² factor can be lifted when tasks are presented in a random ordering." No theorem environment
was readable (../shared/papers/momentum-forgetting-egd.md §0, §2): theorem numbers, constants and
the exact normalisation are not quoted, so every claim here is `reconstructed` or `derived`.

Setting and normalisation (checkers/projections.py): tasks (X_m, y_m = X_m w*), learner from
w₀ = 0 projecting onto each task's solution set, forgetting F_τ(k) = (1/k) Σ_{t≤k}
‖X_{τ(t)} w_k − y_{τ(t)}‖² (average over iterations, repeats counted), divided by ‖w*‖²R² with
R = max_m ‖X_m‖₂ and w* the minimum-norm joint solution. This normalisation makes F ∈ [0, 1] and
scale-free; it is the notes' [RECALL] reading of the paper, not a quote.

Findings (quick/default profiles, seed 0):
- The cyclic bound held on every instance. The search's worst margin is 0.0442 at T = 2,
  d = 2, k = 2 (the T = 2 worst angle θ = 45°: F(2) = 1/8 against 4/√2), the same value a
  Nelder–Mead maximisation over small T ≤ 6, d ≤ 3 found (0.039 at T = 3, 0.033 at T = 4, all
  at k ≤ 4): the bound is loose by a factor ≳ 20. For large T the rotating lines keep a margin of
  ≈ 1/(4eπ²) ≈ 0.0093: forgetting peaks at k ≈ T²/π² with k·F ≈ T²/(2eπ²), so the T² is
  attained up to a constant (claim `rotating-lines-attain-t-squared`) and "T·min(…)" fails
  for T ≳ 110.
- The mutant T²·min(1/k, d/k) = T²/k (1/√k replaced by 1/k, T² kept) is NOT killed by anything
  we found: the largest F·k/T² seen was 0.067 (T = 3, Nelder–Mead over the tasks) and 0.019
  on rotating lines. It is therefore not declared as a mutant (mutants must be killed). For
  context, Swartworth, Needell, Ward, Kong & Jeong (NeurIPS 2023, abstract) prove a
  dimension-free O(T²/m) after m cycles, i.e. O(T³/k): if that order is attained, T²/k fails
  only for large T and constructions we did not find. The rate mutant we declare is the
  literal "forgetting ≤ min(1/k, d/k)" (no T²), plus "T²·min(1/√k, d/k²)".
- Two tasks: the worst case ½(k−1)^{k−1}/k^k is attained exactly at cos²θ = (k−1)/k, so float64
  margins there are 1 ± 1e-11 (1 + 3.2e-12 at k = 18 on seed 5 was once reported as a
  violation); such margins are replayed in mpmath (60 digits) and were all ≤ 1 (by ~1e-31).
- Random orderings on rotating lines: E[k·F(k)] is exactly the same for every T ≥ 3 (max 5/64
  at k = 3), a character-sum identity, so the T-exponent is tested at 0 with no slack.
- Random orderings: on the panel, max_k E[F(k)]·k/(d − r̄) ≤ 0.38 (upper 99% bound, the T = 2
  worst angle) against 181 for the cyclic ordering of 200 rotating lines: the T² is lifted.
  C = 9 [RECALL] is consistent with the data but far from tight; C = 0.1 is refuted.
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

import mpmath
import numpy as np
import z3
from hypothesis import strategies as st
from scipy import stats

from checkers.projections import (
    average_rank,
    cyclic_bound,
    cyclic_counts,
    cyclic_forgetting,
    cyclic_state,
    digits_needed,
    gradient_step,
    gd_to_convergence,
    mp_cyclic_forgetting_at,
    mp_two_task_formula,
    normaliser,
    null_projectors,
    ordering_errors,
    principal_angles,
    principal_pairs,
    project_step,
    random_forgetting,
    run_learner,
    task_losses,
    two_task_formula,
)
from claimaudit import Mutant, Observation, SymbolicProblem, bound, consistency, rate, symbolic
from claimaudit.model import Figure
from strategies.matrices import low_rank_matrices
from strategies.task_sequences import (
    TaskSequence,
    subspace_pair_tasks,
    subspace_pairs,
    task_sequences,
    two_line_tasks,
)

PAPER = "forgetting-linear-regression"
MAX_DPS = 3000  # mpmath digits we are prepared to spend on one two-task instance


def _log_grid(K: int, n: int = 160) -> np.ndarray:
    return np.unique(np.geomspace(1, K, n).astype(int))


# ------------------------------------------------------------------------------ cyclic bound
def _cyclic_margin(inst: TaskSequence, t_power: float, sqrt_power: float, k_power: float):
    Xs, w = inst.tasks(), inst.w_star()
    K = inst.horizon
    ks = np.arange(1, K + 1)
    if np.linalg.norm(w) == 0:  # w* = 0: nothing to forget; margin 0
        return 0.0, 0.0, 1.0, 1, np.zeros(K), np.ones(K)
    F = cyclic_forgetting(Xs, w, K)
    B = cyclic_bound(inst.T, inst.d, ks, t_power=t_power, sqrt_power=sqrt_power, k_power=k_power)
    j = int(np.argmax(F / B))
    return float(F[j] / B[j]), float(F[j]), float(B[j]), j + 1, F, B


def _cyclic_recheck(inst: TaskSequence, *, t_power, sqrt_power, k_power):
    """A suspected violation re-evaluated at its worst k in mpmath (40 digits)."""
    _, _, claimed, k, _, _ = _cyclic_margin(inst, t_power, sqrt_power, k_power)
    F = float(mp_cyclic_forgetting_at(inst.tasks(), inst.w_star(), k))
    return Observation(observed=F, claimed=claimed, instance=inst.to_json(),
                       details={"k": k, "precision": "mpmath 40 digits"})


@bound(
    id=f"{PAPER}/cyclic-forgetting-bound",
    reference="Abstract (cyclic-ordering upper bound)",
    statement="Under the cyclic ordering, F_τ(k)/(‖w*‖²R²) ≤ T²·min(1/√k, d/k) for every k.",
    fidelity="reconstructed",
    fidelity_note=("The form T²·min(1/√k, d/k) is the abstract's; the normalisation by ‖w*‖²R² "
                   "(R = max‖X_m‖₂, w* the min-norm joint solution) and the forgetting as the "
                   "average loss over the k iterations seen are our reading (notes [RECALL]), "
                   "not a quote."),
    strategy=lambda c: task_sequences(),
    constants={"t_power": 2.0, "sqrt_power": 0.5, "k_power": 1.0},
    recheck=_cyclic_recheck,
    max_examples={"quick": 60, "default": 200, "thorough": 800},
    mutants=[
        Mutant("t-instead-of-t-squared", "forgetting ≤ T·min(1/√k, d/k) (the T² factor replaced by T)",
               constants={"t_power": 1.0}),
        Mutant("no-t-rate-one-over-k", "forgetting ≤ min(1/k, d/k) (no T factor, rate 1/k)",
               constants={"t_power": 0.0, "sqrt_power": 1.0}),
        Mutant("d-over-k-squared", "forgetting ≤ T²·min(1/√k, d/k²) (a faster rate in the d-term)",
               constants={"k_power": 2.0}),
    ],
)
def cyclic_forgetting_bound(inst, *, t_power, sqrt_power, k_power):
    """Abstract: F ≤ T² min{1/√k, d/k} for T tasks in d dimensions presented cyclically.
    Checked for every k ≤ horizon on each drawn task sequence, margin = max_k F(k)/bound(k).
    The normalisation ‖w*‖²R² (R = max ‖X_m‖₂, w* min-norm) is ours: the abstract gives the
    form but not the normalisation, hence `reconstructed`. Families include the adversarial
    rotating lines (up to T = 240), graded lines, the T = 2 worst angle, small principal angles
    and repeated tasks. A suspected violation is re-evaluated in mpmath at its worst k."""
    margin, F, B, k, Fs, Bs = _cyclic_margin(inst, t_power, sqrt_power, k_power)
    grid = _log_grid(inst.horizon)
    keep = grid[Fs[grid - 1] > 1e-12 * max(Fs.max(), 1e-300)]  # a readable log range
    fig = Figure(
        title=f"{PAPER}: cyclic forgetting vs bound ({inst.family}, T={inst.T}, d={inst.d})",
        xlabel="iteration k", ylabel="F(k)/(‖w*‖²R²)", logx=True, logy=True,
        series=[{"label": "F(k)", "x": keep.tolist(), "y": Fs[keep - 1].tolist(), "style": "line"},
                {"label": f"T^{t_power:g}·min(k^-{sqrt_power:g}, d/k^{k_power:g})", "x": grid.tolist(),
                 "y": Bs[grid - 1].tolist(), "style": "dashed"}])
    return Observation(observed=F, claimed=B, margin=margin, instance=inst.to_json(),
                       details={"k": k, "T": inst.T, "d": inst.d}, figures=[fig],
                       note=f"worst at k={k} on {inst.family} (T={inst.T}, d={inst.d})")


@bound(
    id=f"{PAPER}/rotating-lines-attain-t-squared",
    reference="Abstract (T² factor of the cyclic bound); construction derived",
    statement="For T ≥ 3 rotating lines in ℝ² (normals turning by π/T), max_k k·F(k)/(‖w*‖²R²) ≥ T²/(2eπ²): the T² of the cyclic bound is attained up to a constant.",
    fidelity="derived",
    strategy=lambda c: st.integers(3, 240),
    constants={"c": 1 / (2 * math.e * math.pi**2)},
    max_examples={"quick": 20, "default": 80},
    mutants=[Mutant("constant-doubled", "max_k k·F(k) ≥ T²/(eπ²)", constants={"c": 1 / (math.e * math.pi**2)})],
)
def rotating_lines_attain_t_squared(T, *, c):
    """With w* on the first null line every projection shrinks the error by cos(π/T) and the
    null lines are spread evenly, so after q full cycles F(qT) = ½cos^{2(qT−1)}(π/T) and
    k·F(k) ≈ (k/2)e^{−π²k/T²} peaks near k = T²/π² at ≈ T²/(2eπ²). Against the paper's bound
    T²·d/k = 2T²/k this is a margin of 1/(4eπ²) ≈ 0.0093 for every large T: the bound's
    T-dependence is tight up to that constant, and no T^p with p < 2 can replace T².
    Margin: c·T² / max_k k·F(k) (≤ 1 when the construction reaches c·T²). Float64: the margin
    approaches 1 only as T → ∞ (≤ 0.9936 for T ≤ 240 on seeds 0..8); the simulation's relative
    rounding (≲ k·ε ≈ 1e-12 at k ≤ T²/3) cannot close a 0.6% gap, so no recheck is needed."""
    inst = TaskSequence("rotating-lines", 2, T, horizon=max(20, -(-T * T // 3)))
    F = cyclic_forgetting(inst.tasks(), inst.w_star(), inst.horizon)
    kF = F * np.arange(1, inst.horizon + 1)
    j = int(np.argmax(kF))
    return Observation(observed=c * T**2, claimed=float(kF[j]), instance={"T": T},
                       details={"k_at_max": j + 1, "max_kF_over_T2": float(kF[j] / T**2)})


# ------------------------------------------------------------------------- random orderings
def _random_panel() -> list[TaskSequence]:
    """Instances where cyclic forgetting is large or decays slowly (fixed, not searched)."""
    return [TaskSequence("rotating-lines", 2, 20), TaskSequence("rotating-lines", 2, 200),
            TaskSequence("two-task-worst", 2, 2, target_k=100),
            TaskSequence("small-angles", 8, 6, rank=3, angle=0.05, seed=3),
            TaskSequence("repeated", 6, 5, rank=2, angle=0.05, pattern=0, seed=7),
            TaskSequence("gaussian", 10, 10, rank=3, seed=5)]


@consistency(
    id=f"{PAPER}/random-ordering-lifts-t-squared",
    reference="Abstract (random orderings lift the T² factor); constant per notes [RECALL]",
    statement="With tasks drawn i.i.d. uniformly with replacement, E[F_τ(k)]/(‖w*‖²R²) ≤ C·(d − r̄)/k with C = 9, independently of T.",
    fidelity="reconstructed",
    fidelity_note=("C = 9 and the form C(d − r̄)/k are recalled by the notes [RECALL, low "
                   "confidence], not read; the normalisation ‖w*‖²R², the instance panel, the "
                   "t-test with Bonferroni and α = 0.01 are ours."),
    constants={"C": 9.0, "k_exponent": 1.0, "alpha": 0.01},
    mutants=[
        Mutant("constant-0-1", "the same with C = 0.1", constants={"C": 0.1}),
        Mutant("rate-one-over-k-squared", "E[F(k)] ≤ 9(d − r̄)/k² (a faster rate)",
               constants={"k_exponent": 2.0}),
    ],
)
def random_ordering_lifts_t_squared(ctx, *, C, k_exponent, alpha):
    """The abstract says the T² factor "can be lifted" under random orderings; the notes
    recall the form C(d − r̄)/k with C = 9 [RECALL, low confidence] (the follow-up arXiv
    2504.04579 cites the rate O((d − r̄)/k)). C = 9 is a hypothesis, so `reconstructed`.

    Test: on a fixed panel (rotating lines T = 20 and 200, the T = 2 worst angle, small
    principal angles, repeated tasks, Gaussian), n orderings each; at every k of a log grid a
    one-sided t-test (scipy.stats.t) of H₀: E[F(k)] ≤ C(d − r̄)/k^p, Bonferroni over all
    (instance, k) at level α. margin = lower confidence bound of the mean / bound (> 1 exactly
    when H₀ is rejected). The details give the calibrated constant (max over k of the upper
    confidence bound of E[F]·k/(d − r̄)) next to the cyclic value on the same tasks."""
    n = ctx.pick(quick=160, default=400, thorough=2000)
    K = ctx.pick(quick=300, default=600, thorough=2000)
    grid = _log_grid(K, 30)
    panel = _random_panel()
    rngs = ctx.child_rngs(len(panel))
    m_tests = len(panel) * grid.size
    tq = stats.t.ppf(1 - alpha / m_tests, n - 1)
    obs, figs = [], []
    for inst, rng in zip(panel, rngs):
        Xs, w = inst.tasks(), inst.w_star()
        dr = inst.d - average_rank(Xs)
        F = random_forgetting(Xs, w, K, n, rng, ks=grid)
        mean, se = F.mean(0), F.std(0, ddof=1) / np.sqrt(n)
        bnd = C * dr / grid.astype(float) ** k_exponent
        lcb, ucb = mean - tq * se, mean + tq * se
        j = int(np.argmax(lcb / bnd))
        pval = float(stats.t.sf((mean[j] - bnd[j]) / max(se[j], 1e-300), n - 1))
        Fc = cyclic_forgetting(Xs, w, K)
        c_rand = float(np.max(ucb * grid / dr))
        c_cyc = float(np.max(Fc * np.arange(1, K + 1) / dr))
        obs.append(Observation(
            observed=float(lcb[j]), claimed=float(bnd[j]), margin=float(lcb[j] / bnd[j]),
            instance=inst.to_json(), evidence="statistical",
            details={"test": "one-sided t-test per k, Bonferroni", "n": n, "k": int(grid[j]),
                     "mean": float(mean[j]), "p_value_uncorrected": pval, "tests": m_tests,
                     "alpha": alpha, "d_minus_rbar": dr,
                     "calibrated_C_upper": c_rand, "cyclic_max_Fk_over_d_minus_rbar": c_cyc},
            note=(f"{inst.family} T={inst.T}: max_k E[F]·k/(d−r̄) ≤ {c_rand:.3g} (upper "
                  f"{100 * (1 - alpha):g}% bound) vs cyclic {c_cyc:.3g}")))
        if inst.family == "rotating-lines" and inst.T == 200:
            kk = np.arange(1, K + 1)
            figs.append(Figure(
                title=f"{PAPER}: k·F(k)/(d − r̄), rotating lines T = 200, cyclic vs random",
                xlabel="iteration k", ylabel="k·F(k)/(d − r̄)", logx=True, logy=True,
                series=[{"label": "cyclic", "x": kk[Fc > 1e-12].tolist(), "y": (kk * Fc / dr)[Fc > 1e-12].tolist(),
                         "style": "line"},
                        {"label": "random: mean", "x": grid[mean > 1e-12].tolist(),
                         "y": (mean * grid / dr)[mean > 1e-12].tolist(), "style": "points"},
                        {"label": f"C = {C:g}", "x": [1, K], "y": [C, C], "style": "dashed"}]))
    worst = max(obs, key=lambda o: o.margin)
    return [o if o is not worst else dataclasses.replace(o, figures=figs) for o in obs]


@rate(
    id=f"{PAPER}/random-ordering-t-independent",
    reference="Abstract (the T² factor can be lifted under random orderings)",
    statement="On T ≥ 10 rotating lines in ℝ², max_k k·E[F_τ(k)]/(‖w*‖²R²) under uniform random orderings does not grow with T (fitted exponent in T ≤ 0), whereas the cyclic value grows like T².",
    fidelity="reconstructed",
    fidelity_note=("The abstract says only that the T² 'can be lifted'; the instance family (rotating "
                   "lines), the measured quantity (max over a log grid of k·mean F(k), 4 batches of "
                   "orderings per T) and the 99% fit level are ours. Exponent 0 is exact for this "
                   "family (character-sum identity, see the docstring), no slack."),
    sweep={"quick": [10, 20, 40, 80, 160], "default": [10, 20, 40, 80, 160, 320]},
    x_label="number of tasks T (rotating lines, d = 2)", y_label="max_k k·E[F(k)] (random ordering)",
    constants={"exponent": 0.0},
    confidence=0.99,
    mutants=[
        Mutant("grows-like-t", "random orderings forget like the number of tasks (k·E[F] grows at least like T)",
               constants={"exponent": 1.0}, options={"direction": "lower"}),
        Mutant("t-squared-not-lifted", "random orderings keep the cyclic T² growth (k·E[F] grows at least like T²)",
               constants={"exponent": 2.0}, options={"direction": "lower"}),
    ],
)
def random_ordering_t_independent(T, ctx, *, exponent):
    """The instances on which cyclic forgetting needs the T² (k·F ≈ T²/(2eπ²), claim
    `rotating-lines-attain-t-squared`) under i.i.d. uniform orderings. Why the exponent is
    exactly 0 here: in ℝ² each projection moves the error onto the chosen null line and scales
    it by |cos Δ_j|, Δ_j the angle between consecutive normals; with uniform draws the Δ_j are
    i.i.d. uniform on the multiples of π/T. Writing k·F(k) = Σ_t Π_j cos²Δ_j · sin²(Σ_{j>t} Δ_j)
    in the characters e^{2imΔ}, only E[e^{2iΔ}] and E[e^{4iΔ}] enter the mean, and both vanish
    for T ≥ 3, so E[k·F(k)] = Σ_{t≤k} ½·2^{−t}(2^{−(k−t)} − 4^{−(k−t)}) for every T ≥ 3 (max 5/64
    at k = 3; measured 0.0786 ± 0.0007 at T = 3, 5, 10, 160 with 20 000 orderings). The second
    moments involve characters up to e^{8iΔ} and are T-independent for T ≥ 5, so the spread of
    each sweep point does not drift either. The claim is therefore tested at exponent 0
    exactly; at the boundary the fit level sets the false-alarm rate (99%: 0.5% per run).
    Measured as max over a log grid of k·(mean F(k)) for 4 independent batches of orderings at
    each T. Mutants: growth at least like T (the T² only partly lifted) and like T²."""
    n = ctx.pick(quick=100, default=300, thorough=1000)
    K = 200
    grid = _log_grid(K, 25)
    inst = TaskSequence("rotating-lines", 2, int(T))
    rng = np.random.default_rng([ctx.seed, int(T)])
    out = []
    for _ in range(4):
        F = random_forgetting(inst.tasks(), inst.w_star(), K, n, rng, ks=grid)
        out.append(float(np.max(F.mean(0) * grid)))
    return np.array(out)


# --------------------------------------------------------------------- two tasks: exact form
def _two_task_sim(X1, X2, w, k, dps):
    """F(k) by direct simulation: float64 stepwise for small k, mpmath powers for large k."""
    if dps is None:
        return float(cyclic_forgetting([X1, X2], w, k)[-1])
    return mp_cyclic_forgetting_at([X1, X2], w, k, dps=dps)


@bound(
    id=f"{PAPER}/two-task-exact-expression",
    reference="Abstract (exact expressions); formula derived in the notes §2.2 [INF]",
    statement="For two orthonormal-row tasks under the cyclic ordering, F(k) = c_k Σ_i sin²θ_i cos^{2(k−1)}θ_i ⟨e₁, u_i⟩² with c_k = ½ (k even) or (k−1)/(2k) (k odd), θ_i the principal angles between the null spaces.",
    fidelity="derived",
    strategy=lambda c: st.one_of(subspace_pairs(ks=(1, 300)),
                                 subspace_pairs(dims=(2, 4), ks=(1000, 1_000_000),
                                                closeness=(0.98, 0.9999999))),
    constants={"odd_factor": "multiplicity", "power_offset": -1, "rtol": 1e-6, "angle_tol": 1e-8},
    max_examples={"quick": 30, "default": 120},
    mutants=[
        Mutant("odd-k-factor-half", "c_k = ½ for odd k too (repeats of the current task ignored)",
               constants={"odd_factor": "half"}),
        Mutant("power-2k", "cos^{2k}θ instead of cos^{2(k−1)}θ", constants={"power_offset": 0}),
    ],
)
def two_task_exact_expression(rec, *, odd_factor, power_offset, rtol, angle_tol):
    """Our derivation (the paper's exact T = 2 statement was not readable): e₁ = P₁e₀ ∈ null(X₁)
    splits along the principal vectors u_i, each shrinking by cos θ_i per projection; at even k
    task 2's loss is 0 and task 1's is Σ sin²θ_i cos^{2(k−1)}θ_i⟨e₁,u_i⟩², counted k/2 times;
    at odd k the roles swap with (k−1)/2 counts. Principal angles from
    scipy.linalg.subspace_angles are cross-checked against the SVD of Q₁ᵀQ₂. For k ≤ 300 the
    simulation is float64 stepwise; for k ≥ 1000 both sides are computed in mpmath (40 digits)
    because cos^{2(k−1)} underflows float64: projectors built in mpmath from the task matrices,
    the simulation by repeated squaring, the formula from the eigenpairs of P₁P₂P₁ (cos²θ_i and
    the principal vectors; their cos²θ_i are cross-checked against subspace_angles too).
    Rounding cannot reach margin 1: the float64 branch compares to a 1e-14 floor against
    rtol = 1e-6 (≤ 1e-8 of the margin); the mpmath branch carries 40 guard digits. The principal
    cosines from subspace_angles and from the SVD (or the mpmath eigenpairs) must agree to
    angle_tol = 1e-8, far above float64's ~1e-15 on these unit-norm quantities."""
    X1, X2, w = subspace_pair_tasks(rec)
    k = rec["k"]
    big = k > 300
    cos, U = principal_pairs(X1, X2)
    e1 = null_projectors([X1])[0] @ (-w)
    coeff = U.T @ e1
    ang = principal_angles(X1, X2)
    ang_svd = np.sort(np.arccos(np.clip(np.sort(cos)[::-1][: ang.size], 0, 1)))
    angle_gap = float(np.max(np.abs(np.cos(ang) - np.cos(ang_svd)))) if ang.size else 0.0
    norm2 = float(w @ w)
    power = 2 * (k - 1) + 2 * (power_offset + 1)
    prefactor = "half" if odd_factor == "half" else "multiplicity"
    if big:
        # rounding leaves ~10^-dps on eigenvalues that are exactly 1 (null-space intersection)
        # and ~10^-dps in e_k: with F ≈ 10^-2D both sides need dps ≥ 2D + margin digits
        D = digits_needed(cos, coeff, power // 2 + 1)
        dps = 2 * D + 40
        if dps > MAX_DPS:
            raise ValueError(f"two-task-exact-expression: F ≈ 1e-{2 * D} needs {dps} digits (> {MAX_DPS}); "
                             f"instance {rec} is outside the strategy's intended range")
        with mpmath.workdps(dps):
            formula, cos2 = mp_two_task_formula(X1, X2, w, k, dps, power=power, prefactor=prefactor)
            sim = _two_task_sim(X1, X2, w, k, dps)
            scale = max(abs(formula), abs(sim), mpmath.mpf(10) ** (-(dps - 2 * D - 20) - 2 * D))
            rel = float(abs(sim - formula) / scale)
        # the mpmath eigenvalues of P₁P₂P₁ must contain scipy's principal cosines²
        mp_cos2 = np.sort(np.asarray(cos2))[::-1][: ang.size]
        angle_gap = max(angle_gap, float(np.max(np.abs(np.sort(np.cos(ang) ** 2)[::-1] - mp_cos2)))
                        if ang.size else 0.0)
    else:
        formula = two_task_formula(cos, coeff, k, power=power, prefactor=prefactor) / norm2
        sim = _two_task_sim(X1, X2, w, k, None)
        scale = max(abs(formula), abs(sim), 1e-14)  # normalised F ≤ 1: 1e-14 is float64's floor
        rel = abs(sim - formula) / scale
    margin = max(rel / rtol, angle_gap / angle_tol)
    return Observation(observed=rel, claimed=rtol, margin=margin, instance=rec,
                       details={"formula": float(formula), "simulation": float(sim),
                                "angle_check": angle_gap, "precision": "mpmath" if big else "float64"})


# ------------------------------------------------------------------- two tasks: worst case
def _two_line_forgetting(theta: float, k: int, phi: float) -> tuple[float, float]:
    """(F(k), ‖e_k‖/‖w*‖) for two unit lines at angle θ in ℝ², w* at angle φ, by simulation
    (matrix powers in float64; mpmath when F would underflow)."""
    (X1, X2), w = _two_line_tasks(theta, phi)
    P = null_projectors([X1, X2])
    e = cyclic_state(P, -w, k)
    L = task_losses([X1, X2], e)
    F = float(cyclic_counts(2, k) @ L) / k
    if 0 < F < 1e-250 or (F == 0 and k > 1 and 0 < theta < np.pi / 2):
        F = float(mp_cyclic_forgetting_at([X1, X2], w, k))
    return F, float(np.linalg.norm(e))


def _near_worst() -> st.SearchStrategy[dict]:
    return st.builds(
        lambda k, rel, phi: {"theta": float(np.arccos(np.sqrt((k - 1) / k)) * (1 + rel)), "k": k,
                             "phi": phi},
        st.integers(2, 1_000_000), st.floats(-0.05, 0.05), st.floats(np.pi / 2 - 0.2, np.pi / 2))


RECHECK_DPS = 60  # two lines, k ≤ 10⁶: repeated squaring loses ~log₂k·10^-60, far below any gap


def _two_line_tasks(theta: float, phi: float) -> tuple[list[np.ndarray], np.ndarray]:
    """The float64 tasks of `_two_line_forgetting`: these floats are the instance, exactly."""
    return [np.array([[1.0, 0.0]]), np.array([[np.cos(theta), np.sin(theta)]])], \
        np.array([np.cos(phi), np.sin(phi)])


def _mp_worst(k: int, power_shift: int) -> mpmath.mpf:
    """½(k−1)^{k−1+s}/k^{k+s} at the current mpmath precision."""
    return mpmath.mpf(k - 1) ** (k - 1 + power_shift) / mpmath.mpf(k) ** (k + power_shift) / 2


def _two_task_worst_recheck(rec, *, power_shift):
    """The float instance (its float task rows and w*, taken as exact) in mpmath at 60 digits:
    projectors, k projections by repeated squaring, R² and ‖w*‖² all in mpmath, against the
    claimed value at the same precision. The worst case is attained at cos²θ = (k−1)/k, so the
    float64 margin of an instance drawn there is 1 up to rounding (seen: 1 + 3.2e-12 at k = 18,
    seed 5); in exact arithmetic the margin is 1 − O(k²(cos²θ − (k−1)/k)²) − O(cos²φ), whose
    deficit for float inputs is ≥ ~1e-33 ≫ 10^-55 (the recheck's rounding)."""
    Xs, w = _two_line_tasks(rec["theta"], rec["phi"])
    k = rec["k"]
    with mpmath.workdps(RECHECK_DPS):
        F = mp_cyclic_forgetting_at(Xs, w, k, dps=RECHECK_DPS)
        claimed = _mp_worst(k, power_shift)
        margin = F / claimed
        # float() would round 1 + 1e-20 down to 1: keep the sign of an excess the float can't show
        m = float(margin) if margin <= 1 else max(float(margin), math.nextafter(1.0, 2.0))
        return Observation(observed=float(F), claimed=float(claimed), margin=m,
                           instance=rec, details={"precision": f"mpmath {RECHECK_DPS} digits",
                                                  "margin_minus_1": mpmath.nstr(margin - 1, 5)})


@bound(
    id=f"{PAPER}/two-task-worst-case",
    reference="Abstract (exact expressions); worst case per notes §2.2 [INF], paper [RECALL]",
    statement="For two tasks under the cyclic ordering, F(k)/(‖w*‖²R²) ≤ ½(k−1)^{k−1}/k^k for every k ≥ 2 (attained at cos²θ = (k−1)/k).",
    fidelity="derived",
    strategy=lambda c: st.one_of(two_line_tasks(ks=(2, 1_000_000)), _near_worst()),
    constants={"power_shift": 0},
    recheck=_two_task_worst_recheck,
    # float64 error of F at k ≤ 10⁶: the k/2-th power of a 2×2 matrix, relative ≲ k·ε ≈ 1e-10
    # (seen ≤ 3.2e-12); margins ≥ 1 + 1e-5 are real and need no replay (1e-5, not smaller: the
    # judge's message prints this threshold with 6 significant digits)
    recheck_below=1 + 1e-5,
    max_examples={"quick": 40, "default": 150},
    mutants=[Mutant("wrong-power", "the worst case is ½(k−1)^k/k^{k+1} (powers shifted by one)",
                    constants={"power_shift": 1})],
)
def two_task_worst_case(rec, *, power_shift):
    """max over θ and w* of ½ sin²θ cos^{2(k−1)}θ ⟨e₁,u⟩² is ½ max_c c^{k−1}(1 − c) =
    ½(k−1)^{k−1}/k^k (c = cos²θ = (k−1)/k, e₁ = e₀). Simulated for lines in ℝ² at k up to
    10⁶ (matrix powers; mpmath where float64 underflows); the claimed value in mpmath. The
    strategy draws angles at and near the maximiser, where the bound is attained exactly: a
    float64 margin above 1 is replayed in mpmath (`_two_task_worst_recheck`, 60 digits) before
    it counts; a violation by more than rounding (the mutant's k/(k−1)) survives the replay.
    Margins ≥ 1 + 1e-5 are beyond float64's reach here (relative error ≲ k·ε ≈ 1e-10 at
    k ≤ 10⁶) and are reported without replay."""
    theta, k, phi = rec["theta"], rec["k"], rec["phi"]
    F, _ = _two_line_forgetting(theta, k, phi)
    with mpmath.workdps(30):
        claimed = float(_mp_worst(k, power_shift))
    return Observation(observed=F, claimed=claimed, instance=rec,
                       details={"cos2_theta": math.cos(theta) ** 2, "worst_cos2": (k - 1) / k})


@symbolic(
    id=f"{PAPER}/two-task-worst-case-bracket",
    reference="Notes §2.2/§2.4 [INF]; the paper's 1/(2e(k−1)) form [RECALL]",
    statement="For every integer 2 ≤ k ≤ 40: 1/(2ek) ≤ ½(k−1)^{k−1}/k^k ≤ 1/(2e(k−1)) (exact rationals); the extension to every k ≥ 2 is argued from lemmas z3 proves, not machine-checked.",
    fidelity="derived",
    fidelity_note=("z3 proves the bracket for k = 2..40 in exact rationals (e known to 9 decimals) and "
                   "the polynomial steps (Bernoulli's induction step, the two monotonicity ratios) for "
                   "all real k ≥ 2; the induction, the ratio identities for k > 40 and the limits "
                   "a_k ↑ 1/e, b_k ↓ 1/e are argued in the docstring, not proved."),
    constants={"lower_shift": 0, "upper_shift": 1, "power_shift": 0, "k_checked": 40},
    mutants=[
        Mutant("bracket-swapped", "1/(2e(k−1)) ≤ ½(k−1)^{k−1}/k^k ≤ 1/(2ek) (ends swapped)",
               constants={"lower_shift": 1, "upper_shift": 0}),
        Mutant("wrong-power", "the bracket for ½(k−1)^k/k^k (power k instead of k−1)",
               constants={"power_shift": 1}),
    ],
)
def two_task_worst_case_bracket(*, lower_shift, upper_shift, power_shift, k_checked):
    """With a_k = (1−1/k)^k and b_k = (1−1/k)^{k−1}: ½(k−1)^{k−1}/k^k = ½a_k/(k−1) = ½b_k/k, so
    the bracket is a_k ≤ 1/e ≤ b_k. What z3 proves (one query, all parts conjoined):
    (i) the bracket exactly for k = 2..k_checked, with e only known to lie in
    (2.718281828, 2.718281829) and the values as exact rationals;
    (ii) for all real k ≥ 2 the polynomial steps of the monotonicity argument: Bernoulli's
    induction step P ≥ 1 + nx ∧ x ≥ −1 ⇒ P(1+x) ≥ 1 + (n+1)x; a_{k+1}/a_k = (1 + 1/(k²−1))^k
    ·k/(k+1) ≥ 1 given Bernoulli's (1 + 1/(k²−1))^k ≥ 1 + k/(k²−1); and b_k/b_{k+1} =
    (1 − 1/k²)^{k−1}(k+1)/k ≥ 1 given (1 − 1/k²)^{k−1} ≥ 1 − (k−1)/k².
    Not machine-checked: the induction itself, the ratio identities (we check them in exact
    rationals for k ≤ k_checked below), and the limits a_k ↑ 1/e, b_k ↓ 1/e (the definition
    of e). Together they argue the bracket for every integer k ≥ 2; what is *proved* (and what
    the statement claims) is k ≤ k_checked plus the lemmas."""
    for k in range(2, k_checked + 1):  # the ratio identities behind (ii), exactly
        a = lambda j: Fraction(j - 1, j) ** j
        b = lambda j: Fraction(j - 1, j) ** (j - 1)
        assert a(k + 1) / a(k) == Fraction(k * k, k * k - 1) ** k * Fraction(k, k + 1)
        assert b(k) / b(k + 1) == Fraction(k * k - 1, k * k) ** (k - 1) * Fraction(k + 1, k)
    E = z3.Real("e")
    parts = []
    for k in range(2, k_checked + 1):
        v = Fraction((k - 1) ** (k - 1 + power_shift), 2 * k**k)
        vz = z3.Q(v.numerator, v.denominator)
        parts.append(1 <= 2 * E * (k - lower_shift) * vz)  # 1/(2e(k − s)) ≤ v
        parts.append(2 * E * (k - upper_shift) * vz <= 1)  # v ≤ 1/(2e(k − s'))
    x, n, P, k, B = z3.Reals("x n P k B")
    bernoulli = z3.ForAll([x, n, P], z3.Implies(z3.And(x >= -1, n >= 0, P >= 1 + n * x),
                                                 P * (1 + x) >= 1 + (n + 1) * x))
    a_up = z3.ForAll([k, B], z3.Implies(z3.And(k >= 2, B * (k * k - 1) >= k * k - 1 + k),
                                         B * k >= k + 1))
    b_down = z3.ForAll([k, B], z3.Implies(z3.And(k >= 2, B * k * k >= k * k - k + 1),
                                           B * (k + 1) >= k))
    return SymbolicProblem(
        assumptions=[E > z3.Q(2718281828, 10**9), E < z3.Q(2718281829, 10**9)],
        goal=z3.And(*parts, bernoulli, a_up, b_down),
        variables={"e": E},
        reduction=(f"proved for k = 2..{k_checked} only (k > {k_checked} argued, not proved): "
                   f"(i) exact rationals for k = 2..{k_checked} with e ∈ (2.718281828, 2.718281829); "
                   "(ii) Bernoulli's induction step and the two monotonicity ratios as polynomial "
                   "inequalities over the reals; the induction, the ratio identities (checked in "
                   "exact rationals for the same k) and the limits a_k, b_k → 1/e are not "
                   "machine-checked"),
    )


# -------------------------------------------------------------- forgetting vs convergence
@bound(
    id=f"{PAPER}/forgetting-vs-convergence",
    reference="Abstract (forgetting vs convergence to the offline solution); construction derived",
    statement="For every k ≥ 2 there are two tasks (lines at a small angle) with ‖w_k − w*‖ ≥ ρ‖w*‖ while F(k)/(‖w*‖²R²) ≤ 1/(2e(k−1)).",
    fidelity="derived",
    strategy=lambda c: st.fixed_dictionaries({"k": st.integers(2, 1_000_000),
                                              "rho": st.floats(0.05, 0.95),
                                              "shrink": st.floats(0.01, 0.99)}),
    constants={"distance_claim": "floor"},
    max_examples={"quick": 30, "default": 120},
    mutants=[Mutant("distance-decays-like-forgetting",
                    "‖w_k − w*‖²/‖w*‖² ≤ 1/(2e(k−1)): the distance decays at least as fast as the forgetting bound",
                    constants={"distance_claim": "forgetting-rate"})],
)
def forgetting_vs_convergence(rec, *, distance_claim):
    """Alternating projections between two lines at angle θ converge like cos^{k−1}θ, so for
    θ ≤ arccos(ρ^{1/(k−1)}) (θ = shrink × that) the error keeps ‖e_k‖ ≥ ρ‖w*‖ after k
    iterations (w* on the first null line), however large k is — while the forgetting obeys
    the two-task worst case ½(k−1)^{k−1}/k^k ≤ 1/(2e(k−1)). Margin: the larger of
    F/(1/(2e(k−1))) and ρ/(‖e_k‖/‖w*‖). Float64 cannot push either part past 1: F/(1/(2e(k−1)))
    ≤ e(1−1/k)^k ≈ 1 − 1/(2k) ≤ 1 − 5e-7 for k ≤ 10⁶, against the matrix power's relative error
    ≲ k·ε ≈ 1e-10; ρ/‖e_k‖ ≈ ρ^{1−shrink²} ≤ 0.95^{0.0199} ≈ 0.999. Hence no recheck (worst
    margin seen 0.9985 on seeds 0..8)."""
    k, rho = rec["k"], rec["rho"]
    theta = rec["shrink"] * math.acos(rho ** (1.0 / (k - 1)))
    F, dist = _two_line_forgetting(theta, k, np.pi / 2)
    f_bound = 1.0 / (2 * math.e * (k - 1))
    if distance_claim == "floor":
        margin = max(F / f_bound, rho / dist)
        return Observation(observed=F, claimed=f_bound, margin=margin, instance={**rec, "theta": theta},
                           details={"distance_ratio": dist, "rho": rho})
    return Observation(observed=dist**2, claimed=f_bound, instance={**rec, "theta": theta},
                       details={"forgetting": F})


# ----------------------------------------------------------- the learner is GD's limit point
@bound(
    id=f"{PAPER}/projection-equals-gd-limit",
    reference="§2 setting (learner = GD to convergence from the previous iterate); notes [RECALL/INF]",
    statement="Gradient descent on ‖Xw − y‖² started at w_{t−1} converges to the projection w_{t−1} + X⁺(y − Xw_{t−1}).",
    fidelity="derived",
    strategy=lambda c: low_rank_matrices(rows=(1, 19), cols=(2, 20), ranks=(1, 19), width_extra=0,
                                         conditions=(1.0, 100.0), spacings=("geometric",)),
    constants={"start": "previous", "tol": 1e-8},
    max_examples={"quick": 30, "default": 120},
    mutants=[Mutant("gd-from-zero", "GD started at 0 (not at w_{t−1}) reaches the same point",
                    constants={"start": "zero"})],
)
def projection_equals_gd_limit(task, *, start, tol):
    """GD with step 1/‖X‖₂² moves only in row(X) and contracts the row-space error by at most
    1 − 1/κ² per step, so it converges to the solution of Xw = y closest to its start. We run
    the GD map for 2^j ≥ 40κ² steps (exactly, by squaring the affine map; j is kept minimal so
    that rounding on the null-space eigenvalue 1 cannot grow) and compare with the projection
    computed from the SVD. Relative gap ≤ tol."""
    X = task.matrix()  # a task: rows with prescribed singular values, σ₁ = 1, σ_r = 1/κ
    d = task.n
    rng = task.rng()
    w_star, w_prev = rng.standard_normal(d), rng.standard_normal(d)
    y = X @ w_star
    proj = project_step(w_prev, X, y)
    doublings = max(1, math.ceil(math.log2(40 * task.condition ** 2)))
    gd = gd_to_convergence(X, y, w_prev if start == "previous" else np.zeros(d), doublings=doublings)
    gap = float(np.linalg.norm(gd - proj) / max(np.linalg.norm(proj), 1e-12))
    return Observation(observed=gap, claimed=tol, instance=task, details={"doublings": doublings})


@bound(
    id=f"{PAPER}/current-task-fit-and-contraction",
    reference="§2 setting (learner fits each task; Kaczmarz/alternating-projection view); derived",
    statement="After every step the current task is fitted exactly (zero loss) and the distance ‖w_t − w*‖ never increases, for any ordering.",
    fidelity="derived",
    strategy=lambda c: task_sequences(line_tasks=(2, 60), horizons=(5, 120)),
    constants={"learner": "projection", "loss_tol": 1e-24, "growth_tol": 1e-12},
    max_examples={"quick": 30, "default": 120},
    mutants=[Mutant("unit-gradient-step", "the learner takes one unit gradient step w + Xᵀ(y − Xw) instead of projecting",
                    constants={"learner": "gradient-step"})],
)
def current_task_fit_and_contraction(inst, *, learner, loss_tol, growth_tol):
    """w_t = w_{t−1} + X⁺(y − Xw_{t−1}) solves task τ(t) exactly, and e_t = P_{τ(t)}e_{t−1} with
    an orthogonal projector, so ‖e_t‖ ≤ ‖e_{t−1}‖. Run in parameter form (SVD pseudo-inverse)
    on a random ordering with replacement drawn from the instance's seed, up to 120 steps.
    Margin: the larger of max_t loss_{τ(t)}(w_t)/(‖w*‖²R²)/loss_tol and
    max_t (‖e_t‖ − ‖e_{t−1}‖)/‖e₀‖/growth_tol (float64 floors: loss ~1e-32, growth ~1e-16). The
    unit gradient step equals the projection only for orthonormal rows, so the mutant is
    caught exactly on the instances with unequal singular values."""
    Xs, w = inst.tasks(), inst.w_star()
    ys = [X @ w for X in Xs]
    norm = normaliser(Xs, w)
    if norm == 0:
        return Observation(observed=0.0, claimed=loss_tol, instance=inst.to_json())
    order = inst.rng(2).integers(0, inst.T, size=min(inst.horizon, 120))
    W = run_learner(Xs, ys, order, step=project_step if learner == "projection" else gradient_step)
    loss = max(float(np.sum((Xs[m] @ W[t + 1] - ys[m]) ** 2)) for t, m in enumerate(order)) / norm
    err = np.linalg.norm(W - w, axis=1)
    # growth relative to ‖e₀‖ = ‖w*‖: once e_t is at the rounding floor, ratios are noise
    growth = float(np.max(err[1:] - err[:-1], initial=0.0)) / err[0]
    margin = max(loss / loss_tol, growth / growth_tol)
    return Observation(observed=loss, claimed=loss_tol, margin=margin, instance=inst.to_json(),
                       details={"max_growth": growth, "steps": int(order.size)})


# ---------------------------------------------------------- adversarial single pass ordering
@bound(
    id=f"{PAPER}/catastrophic-single-pass",
    reference="Abstract (\"how catastrophic\"); construction from the notes §2.2 [INF]",
    statement="T lines in ℝ² with normals spread over a quarter turn, visited once in order: F(T)/(‖w*‖²R²) = ½cos^{2(T−1)}(π/(2(T−1))) ≥ ½(1 − π²/(4(T−1))) → ½, and the loss on task 1 → ‖w*‖²R².",
    fidelity="derived",
    strategy=lambda c: st.integers(3, 3000),
    constants={"limit": 0.5, "rtol": 1e-9},
    max_examples={"quick": 25, "default": 100},
    mutants=[Mutant("limit-above-half", "F(T) stays above 0.6·(1 − π²/(4(T−1)))", constants={"limit": 0.6})],
)
def catastrophic_single_pass(T, *, limit, rtol):
    """Each projection onto the next line shrinks the error by cos(π/(2(T−1))) and turns it,
    so after the pass e_T = cos^{T−1}(Δ)·(±1, 0) lies along task 1's normal: task 1's loss is
    cos^{2(T−1)}Δ → 1 and F(T) = ½cos^{2(T−1)}Δ (the mean of cos²φ_m over the symmetric angles is
    ½). The cyclic bound T²·min(1/√T, 2/T) ≥ 1 says nothing at k = T; the claim shows an
    arbitrary ordering can forget a constant fraction however many tasks there are. Margin: the
    larger of limit·(1 − π²/(4(T−1)))/F and the relative gap to the exact expression / rtol.
    Float64: the first part is 1 − π⁴/(32(T−1)²) + O(T⁻³) ≤ 1 − 3.4e-7 at T ≤ 3000 (seen:
    0.9999996), while T projections carry a relative error ≲ T·ε ≈ 7e-13; the second part is
    ~1e-12/1e-9. Neither can reach 1 by rounding, so no recheck is needed."""
    angles = np.pi / 2 * np.arange(T) / (T - 1)
    Xs = [np.array([[math.cos(a), math.sin(a)]]) for a in angles]
    w = np.array([0.0, 1.0])
    E = ordering_errors(null_projectors(Xs), -w, np.arange(T)[None, :])[0]
    L = task_losses(Xs, E[-1])
    F = float(L.sum() / T)
    exact = 0.5 * math.cos(math.pi / (2 * (T - 1))) ** (2 * (T - 1))
    lower = limit * (1 - math.pi**2 / (4 * (T - 1)))
    margin = max(lower / F, abs(F - exact) / (rtol * exact))
    return Observation(observed=lower, claimed=F, margin=margin, instance={"T": T},
                       details={"forgetting": F, "exact": exact, "task1_loss": float(L[0])})
