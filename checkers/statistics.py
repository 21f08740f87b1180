"""Statistics for comparative words on benchmark numbers (scipy.stats throughout).

- thresholds ("breaks the 80% barrier"): exact binomial test and Clopper–Pearson interval;
- "outperforms" on the same test set: exact McNemar tests over every pairing of right/wrong
  answers compatible with the two accuracies (the pairing is never published), reporting the
  worst and best case, plus Fisher's exact test for independent test sets;
- "rivals": a one-sided non-inferiority test with a margin δ (the lower side of TOST; being
  better is not a failure to rival), Wald z with the variance of the paired difference under a
  stated pairing of right answers (independent, a given disagreement rate, or the least
  favourable one), because the pairing is never published;
- MT-bench-style means: t-tests from summary statistics with the unknown per-turn spread and
  between-model correlation swept over a range, because papers give only the mean.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats


def count_from_percent(percent: float, n: int) -> int:
    """The number of correct items behind a printed accuracy (nearest integer)."""
    return int(round(float(percent) * n / 100.0))


def clopper_pearson(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    ci = stats.binomtest(int(k), int(n)).proportion_ci(confidence_level=confidence, method="exact")
    return float(ci.low), float(ci.high)


@dataclass(frozen=True)
class ThresholdTest:
    k: int
    n: int
    p0: float
    p_value: float
    ci95: tuple[float, float]
    one_sided_bound: float  # lower (alternative "greater") confidence bound at level 1 − alpha
    alpha: float

    @property
    def significant(self) -> bool:
        return self.p_value < self.alpha

    def record(self) -> dict[str, Any]:
        return {"test": "exact binomial test (scipy.stats.binomtest), one-sided H1: p > p0",
                "k": self.k, "n": self.n, "p0": self.p0, "p_value": self.p_value,
                "ci95_clopper_pearson": list(self.ci95), "alpha": self.alpha,
                f"lower_bound_{int(100 * (1 - self.alpha))}": self.one_sided_bound}


def threshold_test(k: int, n: int, p0: float, alpha: float = 0.05) -> ThresholdTest:
    """Is the success probability above p0? Exact one-sided binomial test; the one-sided
    Clopper–Pearson lower bound exceeds p0 exactly when p < alpha."""
    test = stats.binomtest(int(k), int(n), p0, alternative="greater")
    lower = float(test.proportion_ci(confidence_level=1 - alpha, method="exact").low)
    return ThresholdTest(int(k), int(n), float(p0), float(test.pvalue), clopper_pearson(k, n),
                         lower, alpha)


def frechet_bounds(p1: float, p2: float) -> tuple[float, float]:
    """The range of P(both right) for two accuracies on the same items (pairing unknown)."""
    return max(0.0, p1 + p2 - 1.0), min(p1, p2)


@dataclass(frozen=True)
class PairedComparison:
    """Model 1 against model 2 on the same n items, over every compatible pairing."""

    k1: int
    k2: int
    n: int
    p_worst: float  # exact McNemar, most discordant pairing (least favourable to "1 > 2")
    p_best: float  # exact McNemar, least discordant pairing
    discordant_worst: int
    discordant_best: int
    p_independent: float  # Fisher's exact test, as if the test sets were independent
    alpha: float = 0.05
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def significant_worst_case(self) -> bool:
        return self.p_worst < self.alpha

    def record(self) -> dict[str, Any]:
        return {"test": "exact McNemar (scipy.stats.binom on discordant pairs), one-sided H1: "
                        "model 1 more accurate; worst/best case over the unknown pairing; "
                        "Fisher exact (scipy.stats.fisher_exact) for independent samples",
                "k1": self.k1, "k2": self.k2, "n": self.n, "p_worst": self.p_worst,
                "p_best": self.p_best, "discordant_worst": self.discordant_worst,
                "discordant_best": self.discordant_best, "p_independent": self.p_independent,
                "alpha": self.alpha, **self.extra}


def paired_outperforms(k1: int, k2: int, n: int, alpha: float = 0.05) -> PairedComparison:
    """One-sided tests of "model 1 outperforms model 2" when both answered the same n items.

    With b items only model 1 got right and c only model 2 got right, b − c = k1 − k2 is fixed
    and the discordant total m = b + c can be anything of the same parity in
    [|k1 − k2|, min(k1 + k2, 2n − k1 − k2)]. The exact McNemar p-value P(Bin(m, ½) ≥ b) is
    evaluated for every feasible m at once."""
    d = int(k1) - int(k2)
    hi = min(k1 + k2, 2 * n - k1 - k2)
    lo = abs(d)
    ms = np.arange(lo, hi + 1, 2) if hi >= lo else np.array([lo])
    ms = ms[ms > 0] if np.any(ms > 0) else np.array([max(lo, 1)])
    bs = (ms + d) // 2
    p = stats.binom.sf(bs - 1, ms, 0.5)
    iw, ib = int(np.argmax(p)), int(np.argmin(p))
    table = [[k1, n - k1], [k2, n - k2]]
    p_ind = float(stats.fisher_exact(table, alternative="greater").pvalue)
    return PairedComparison(int(k1), int(k2), int(n), float(p[iw]), float(p[ib]), int(ms[iw]),
                            int(ms[ib]), p_ind, alpha)


#: how the right answers of two models on the same items may be paired: the least favourable
#: pairing (Fréchet lower bound of P(both right)), independence, or a fixed disagreement rate
PAIRINGS = ("worst", "independent")


def both_right(p1: float, p2: float, pairing: str | float) -> float:
    """P(both right) under ``pairing``: "worst" (as few shared right answers as the accuracies
    allow, the largest variance of the difference), "independent" (p1·p2), or a float, the
    fraction of items on which exactly one model is right (must be feasible)."""
    lo, hi = frechet_bounds(p1, p2)
    if pairing == "worst":
        return lo
    if pairing == "independent":
        return p1 * p2
    both = (p1 + p2 - float(pairing)) / 2
    if not lo - 1e-12 <= both <= hi + 1e-12:
        raise ValueError(f"disagreement rate {pairing} is infeasible for accuracies {p1}, {p2}")
    return both


def pairing_label(pairing: str | float) -> str:
    """How a pairing is named in scenarios and messages."""
    if pairing == "worst":
        return "worst case"
    if pairing == "independent":
        return "independent"
    return f"{100 * float(pairing):g}% disagreement"


@dataclass(frozen=True)
class Tost:
    diff: float  # p1 − p2
    margin: float
    se: float  # standard error of the paired difference under ``pairing``
    p_lower: float  # H0: diff ≤ −margin (non-inferiority side)
    p_upper: float  # H0: diff ≥ +margin
    ci90: tuple[float, float]  # (1 − 2α) interval under the pairing
    smallest_margin: float  # the smallest δ for which non-inferiority would be shown
    alpha: float
    pairing: str | float = "worst"

    @property
    def noninferior(self) -> bool:
        return self.p_lower < self.alpha

    @property
    def equivalent(self) -> bool:
        return max(self.p_lower, self.p_upper) < self.alpha

    def record(self) -> dict[str, Any]:
        return {"test": "one-sided non-inferiority test with margin δ (the lower side of TOST; Wald z via "
                        "scipy.stats.norm), variance of the paired difference under the stated pairing",
                "pairing": pairing_label(self.pairing),
                "diff": self.diff, "margin": self.margin, "se": self.se,
                "p_noninferiority": self.p_lower, "p_superiority_bound": self.p_upper,
                "p_tost": max(self.p_lower, self.p_upper),
                f"ci{int(round(100 * (1 - 2 * self.alpha)))}": list(self.ci90),
                "smallest_margin_noninferior": self.smallest_margin, "alpha": self.alpha}


def paired_tost(p1: float, p2: float, n: int, margin: float, alpha: float = 0.05,
                pairing: str | float = "worst") -> Tost:
    """Two one-sided tests for p1 − p2 within ±margin on n shared items. The variance of the
    paired difference is (p1 + p2 − 2·P(both) − d²)/n, with P(both) from ``pairing``
    (see :func:`both_right`); "worst" is the pairing least favourable to a non-inferiority claim."""
    d = p1 - p2
    both = both_right(p1, p2, pairing)
    var = max(p1 + p2 - 2 * both - d * d, 1e-12) / n
    se = math.sqrt(var)
    p_lower = float(stats.norm.sf((d + margin) / se))
    p_upper = float(stats.norm.sf((margin - d) / se))
    z = float(stats.norm.ppf(1 - alpha))
    return Tost(d, margin, se, p_lower, p_upper, (d - z * se, d + z * se), max(0.0, z * se - d), alpha,
                pairing)


def paired_mean_p(mean1: float, mean2: float, n: int, sds: np.ndarray, rho: float) -> np.ndarray:
    """One-sided p-values (H1: mean1 > mean2) of the paired t-test on n shared items when both
    models' per-item scores have standard deviation ``sds`` and correlation ``rho``: the
    per-item differences then have SD sd·√(2(1 − ρ)); t on n − 1 degrees of freedom
    (scipy.stats.t)."""
    sds = np.asarray(sds, dtype=float)
    sd_diff = sds * math.sqrt(2.0 * (1.0 - rho))
    t = (mean1 - mean2) / (sd_diff / math.sqrt(n))
    return np.asarray(stats.t.sf(t, n - 1), dtype=float)


def paired_breakeven_sd(mean1: float, mean2: float, n: int, rho: float, alpha: float = 0.05) -> float:
    """The per-item SD above which the paired one-sided test at ``alpha`` stops being
    significant (0 when mean1 ≤ mean2)."""
    if mean1 <= mean2:
        return 0.0
    crit = float(stats.t.ppf(1 - alpha, n - 1))
    return (mean1 - mean2) * math.sqrt(n) / (crit * math.sqrt(2.0 * (1.0 - rho)))


def mean_difference_sweep(mean1: float, mean2: float, n1: int, n2: int, sds: np.ndarray,
                          alternative: str = "greater") -> np.ndarray:
    """Welch t-test p-values (scipy.stats.ttest_ind_from_stats) for mean1 vs mean2 at each
    common per-item standard deviation in ``sds``."""
    sds = np.asarray(sds, dtype=float)
    res = stats.ttest_ind_from_stats(mean1, sds, n1, mean2, sds, n2, equal_var=False,
                                     alternative=alternative)
    return np.asarray(res.pvalue, dtype=float)


def breakeven_sd(mean1: float, mean2: float, n1: int, n2: int, alpha: float = 0.05,
                 alternative: str = "greater") -> float:
    """The per-item spread above which the mean difference stops being significant."""
    from scipy.optimize import brentq

    f = lambda sd: float(mean_difference_sweep(mean1, mean2, n1, n2, np.array([sd]), alternative)[0]) - alpha
    lo, hi = 1e-3, 100.0
    if f(lo) >= 0:
        return 0.0
    return float(brentq(f, lo, hi))


def bhatia_davis_sd(mean: float, lo: float, hi: float) -> float:
    """The largest standard deviation any distribution on [lo, hi] with this mean can have."""
    return math.sqrt(max((hi - mean) * (mean - lo), 0.0))
