"""Verifier selection among k sampled answers (TinyGSM's verify48@1), simulated.

Questions differ in difficulty: question q is answered correctly by one sample with probability
p_q ~ Beta(a, b), fitted so that the population's pass@1 and pass@k match the reported numbers
(pass@k of a Beta population is 1 − B(a, b + k)/B(a, b), in closed form). A verifier of quality
d′ scores each sample d′·[correct] + N(0, 1) (equal-variance signal detection: AUC = Φ(d′/√2))
and submits the top-scored one. Whatever the verifier, the submission can only be right if some
sample is right: selection accuracy ≤ pass@k, per question and hence on average.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special, stats


def pass_at_k_beta(a: float, b: float, k: int | np.ndarray) -> np.ndarray:
    """E[1 − (1 − p)^k] for p ~ Beta(a, b)."""
    k = np.asarray(k, dtype=float)
    return 1.0 - np.exp(special.betaln(a, b + k) - special.betaln(a, b))


@dataclass(frozen=True)
class BetaFit:
    a: float
    b: float
    pass1: float
    passk: float
    k: int

    @property
    def concentration(self) -> float:
        return self.a + self.b

    def pass_at(self, k: int | np.ndarray) -> np.ndarray:
        return pass_at_k_beta(self.a, self.b, k)


def fit_beta(pass1: float, passk: float, k: int) -> BetaFit:
    """The Beta(a, b) with mean pass1 whose pass@k equals passk (scipy.optimize.brentq on the
    log-concentration). Feasible exactly when pass1 < passk < 1 − (1 − pass1)^k: pass@k grows
    from pass1 (all-or-nothing questions) to the homogeneous value as the concentration grows."""
    hi_bound = 1.0 - (1.0 - pass1) ** k
    if not pass1 < passk < hi_bound:
        raise ValueError(f"pass@{k} = {passk} is outside ({pass1}, {hi_bound:.6g}): no Beta population fits")

    def f(log_s: float) -> float:
        s = math.exp(log_s)
        return float(pass_at_k_beta(pass1 * s, (1 - pass1) * s, k)) - passk

    log_s = optimize.brentq(f, -12.0, 12.0, xtol=1e-12)
    s = math.exp(log_s)
    return BetaFit(pass1 * s, (1 - pass1) * s, pass1, passk, k)


def auc_of(dprime: float | np.ndarray) -> np.ndarray:
    """Probability the verifier ranks a random right sample above a random wrong one."""
    return stats.norm.cdf(np.asarray(dprime, dtype=float) / math.sqrt(2.0))


@dataclass(frozen=True)
class SelectionRun:
    dprimes: np.ndarray  # verifier qualities
    accuracy: np.ndarray  # selection accuracy per d′ (mean over questions and replicates)
    pass1: float  # empirical pass@1 of the same draws
    passk: float  # empirical pass@k of the same draws (fraction of questions with a right sample)
    bound_violations: int  # questions where the selected sample was right but none was (must be 0)
    n_questions: int
    k: int


def simulate_selection(fit: BetaFit, k: int, dprimes: np.ndarray, n_questions: int,
                       rng: np.random.Generator, replicates: int = 1) -> SelectionRun:
    """Selection accuracy of verifiers of quality ``dprimes`` among k samples, batched over
    (replicate × question, sample) with common random numbers across d′, so the curve is
    monotone up to sampling noise of the draws themselves rather than of each d′."""
    dprimes = np.asarray(dprimes, dtype=float)
    m = replicates * n_questions
    p = rng.beta(fit.a, fit.b, size=m)
    right = rng.random((m, k)) < p[:, None]
    noise = rng.standard_normal((m, k))
    any_right = right.any(axis=1)
    acc = np.empty(dprimes.size)
    violations = 0
    for i, dp in enumerate(dprimes):
        pick = np.argmax(dp * right + noise, axis=1)
        chosen = right[np.arange(m), pick]
        violations += int(np.sum(chosen & ~any_right))
        acc[i] = chosen.mean()
    return SelectionRun(dprimes, acc, float(right[:, 0].mean()), float(any_right.mean()),
                        violations, n_questions, k)


def required_dprime(run: SelectionRun, target: float) -> float | None:
    """The verifier quality at which the simulated accuracy reaches ``target`` (linear
    interpolation on the simulated curve), or None if no simulated verifier reaches it."""
    acc = np.maximum.accumulate(run.accuracy)  # remove sampling wiggles before inverting
    if target > acc[-1]:
        return None
    if target <= acc[0]:
        return float(run.dprimes[0])
    return float(np.interp(target, acc, run.dprimes))


def pass_at_k_bounds(k: int, pass1: float, passm: float, m: int = 32) -> tuple[float, float]:
    """An interval that contains pass@k for every population of questions with these pass@1
    and pass@m (distribution-free, no Beta assumption): pass@k = 1 − E[(1 − p)^k] is increasing in k;
    Jensen on (1 − p)^k (convex) gives pass@k ≤ 1 − (1 − pass1)^k, and on
    (1 − p)^k = ((1 − p)^m)^(k/m) (convex for k ≥ m, concave below) gives
    pass@k ≤ 1 − (1 − pass@m)^(k/m) for k ≥ m and ≥ for k ≤ m."""
    lo, hi = pass1, 1.0 - (1.0 - pass1) ** k
    jensen = 1.0 - (1.0 - passm) ** (k / m)
    if k >= m:
        lo, hi = max(lo, passm), min(hi, jensen)
    else:
        lo, hi = max(lo, jensen), min(hi, passm)
    return lo, hi
