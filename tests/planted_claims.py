"""Planted claims for testing the machinery: for every kind one true and one false claim, plus
claims that raise, return NaN or hang. They live outside theorems/ so the catalogue never sees them."""

from __future__ import annotations

import time

import numpy as np
import z3
from hypothesis import strategies as st

from claimaudit import (
    Mutant,
    Observation,
    SymbolicProblem,
    Trials,
    bound,
    consistency,
    probability,
    rate,
    symbolic,
)

P = "planted"


@bound(id=f"{P}/am-gm", reference="folklore", statement="√(xy) ≤ (x+y)/2 for x, y ≥ 0.",
       fidelity="quoted", strategy=st.tuples(st.floats(0, 1e6), st.floats(0, 1e6)),
       constants={"factor": 1.0},
       mutants=[Mutant("half", "√(xy) ≤ (x+y)/4", constants={"factor": 0.5})])
def am_gm(xy, *, factor):
    x, y = xy
    mean = factor * (x + y) / 2
    geo = float(np.sqrt(x * y))
    if mean == 0:
        return Observation(geo, mean, margin=0.0 if geo == 0 else 2.0, instance={"x": x, "y": y})
    return Observation(geo, mean, instance={"x": x, "y": y})


@bound(id=f"{P}/false-square", reference="planted", statement="x² ≤ 10x for all x in [0, 100].",
       fidelity="quoted", strategy=st.floats(1e-3, 100))
def false_square(x):
    return Observation(x * x, 10 * x, instance={"x": x})


def _decimal_recheck(k, *, a, b):
    import mpmath

    with mpmath.workdps(50):
        lhs = mpmath.mpf(a) / 10 * k + mpmath.mpf(b) / 10 * k  # the decimals, not their binary images
        rhs = mpmath.mpf(a + b) / 10 * k
        return Observation(float(lhs), float(rhs), margin=float(lhs / rhs), instance={"k": k})


@bound(id=f"{P}/decimal-sum", reference="planted",
       statement="(a/10)·k + (b/10)·k ≤ ((a+b)/10)·k, exactly true for decimals.",
       fidelity="derived", strategy=st.integers(1, 1000), constants={"a": 1, "b": 2},
       recheck=_decimal_recheck)
def decimal_sum(k, *, a, b):
    # float64: 0.1 + 0.2 > 0.3, a planted artifact the mpmath recheck must clear
    return Observation(a / 10 * k + b / 10 * k, (a + b) / 10 * k, instance={"k": k})


@rate(id=f"{P}/quadratic-growth", reference="planted", statement="y = 3x² grows no faster than x².",
      fidelity="quoted", sweep=[1, 2, 4, 8, 16], x_label="x", y_label="y",
      constants={"exponent": 2.0},
      mutants=[Mutant("linear", "y grows no faster than x", constants={"exponent": 1.0})])
def quadratic_growth(x, ctx, *, exponent):
    return 3 * x**2 * np.exp(0.05 * ctx.rng.standard_normal(5))


@rate(id=f"{P}/cubic-as-quadratic", reference="planted", statement="y = x³ grows no faster than x².",
      fidelity="quoted", sweep=[1, 2, 4, 8, 16], x_label="x", y_label="y", constants={"exponent": 2.0})
def cubic_as_quadratic(x, ctx, *, exponent):
    return x**3 * np.exp(0.05 * ctx.rng.standard_normal(5))


@probability(id=f"{P}/coin-rarely-fails", reference="planted",
             statement="A coin with failure probability 0.01 fails with probability at most 0.05.",
             fidelity="quoted", trials=400, constants={"delta": 0.05, "p_fail": 0.01},
             mutants=[Mutant("tiny-delta", "fails with probability at most 0.001",
                             constants={"delta": 0.001})])
def coin_rarely_fails(n, ctx, *, delta, p_fail):
    return Trials(ctx.rng.random(n) >= p_fail)


@probability(id=f"{P}/coin-often-fails", reference="planted",
             statement="A fair coin fails with probability at most 0.1.", fidelity="quoted",
             trials=400, constants={"delta": 0.1})
def coin_often_fails(n, ctx, *, delta):
    return ctx.rng.random(n) >= 0.5


@symbolic(id=f"{P}/square-nonnegative", reference="planted",
          statement="x² − 2x + 1 ≥ 0 for all real x.", fidelity="quoted",
          constants={"shift": 1}, mutants=[Mutant("shifted", "x² − 2x + 0.5 ≥ 0", constants={"shift": 0.5})])
def square_nonnegative(*, shift):
    x = z3.Real("x")
    return SymbolicProblem(assumptions=[], goal=x * x - 2 * x + shift >= 0)


@symbolic(id=f"{P}/false-cube", reference="planted", statement="x³ ≥ x for all x ≥ 0.",
          fidelity="quoted")
def false_cube():
    x = z3.Real("x")
    return SymbolicProblem(assumptions=[x >= 0], goal=x**3 >= x)


@consistency(id=f"{P}/average-row", reference="Table 1", statement="The Average row is the mean of its column.",
             fidelity="quoted", constants={"cells": (70.1, 80.2, 90.3), "average": 80.2},
             mutants=[Mutant("perturbed", "average cell perturbed", constants={"average": 81.0})])
def average_row(ctx, *, cells, average):
    mean = float(np.mean(cells))
    # agreement up to the table's rounding to one decimal: |mean - average| <= 0.05
    return Observation(abs(mean - average), 0.05, note=f"mean {mean:.3f} vs reported {average}")


@consistency(id=f"{P}/bad-sum", reference="Table 2", statement="2 + 2 = 5 as reported.",
             fidelity="quoted")
def bad_sum(ctx):
    return Observation(abs(2 + 2 - 5), 0.5, note="2 + 2 = 4, not the reported 5")


@consistency(id=f"{P}/raises", reference="planted", statement="A check that raises.", fidelity="quoted")
def raises(ctx):
    raise RuntimeError("planted failure")


@bound(id=f"{P}/nan", reference="planted", statement="A predicate that returns NaN.",
       fidelity="quoted", strategy=st.integers(0, 3))
def returns_nan(i):
    return Observation(float("nan"), 1.0, instance={"i": i})


@consistency(id=f"{P}/hangs", reference="planted", statement="A check that never returns.",
             fidelity="quoted", budget_s=1.5)
def hangs(ctx):
    while True:
        time.sleep(0.05)


TRUE = [am_gm, quadratic_growth, coin_rarely_fails, square_nonnegative, average_row, decimal_sum]
FALSE = [false_square, cubic_as_quadratic, coin_often_fails, false_cube, bad_sum]


@rate(id=f"{P}/per-replicate-x", reference="planted",
      statement="y = 2·x^1.5 grows no faster than x^1.5, each replicate with its own x.",
      fidelity="quoted", sweep=[1, 2, 4, 8], x_label="x", y_label="y", constants={"exponent": 1.5},
      mutants=[Mutant("linear", "no faster than x", constants={"exponent": 1.0})])
def per_replicate_x(v, ctx, *, exponent):
    from claimaudit import Sample

    x = v * np.exp(0.3 * ctx.rng.standard_normal(6))  # the run's own x scatters around the sweep value
    return Sample(y=2 * x**1.5, x=x)


@consistency(id=f"{P}/unit-reading", reference="planted",
             statement="The weights take about 1.8 GB (the paper does not say GB or GiB).",
             fidelity="reconstructed", constants={"nbytes": 1.91e9, "stated": 1.8})
def unit_reading(ctx, *, nbytes, stated):
    out = []
    for unit, size in (("GB", 1e9), ("GiB", 2**30)):
        value = nbytes / size
        out.append(Observation(abs(round(value, 1) - stated), 0.05, scenario=unit,
                               note=f"{value:.2f} {unit} prints as {round(value, 1)}"))
    return out
