"""Decorators that turn a short predicate into a registered Claim.

Every decorator takes ``fidelity_note``: for a `reconstructed` claim, which constant or form we
derived or calibrated and how (it is said in the report's message; without it the docstring's
first paragraph stands in). ``finding``: set only after investigating a violation of the paper's
own claim, saying what is wrong; the claim is still judged on every run, and pytest expects
the violation (strict xfail), so a finding that stops reproducing fails the suite.

Example (a bound)::

    @bound(id="my-paper/gd-descent", reference="Lemma 2", fidelity="quoted",
           statement="One GD step with eta <= 1/L does not increase f.",
           strategy=quadratics(), constants={"eta_times_L": 1.0},
           mutants=[Mutant("step-too-large", "eta = 2.5/L", constants={"eta_times_L": 2.5})])
    def gd_descent(problem, *, eta_times_L):
        ...
        return Observation(observed=f_after, claimed=f_before)
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from claimaudit.model import Claim, Mutant


def _make(kind: str, func: Callable[..., Any], *, id: str, reference: str, statement: str,
          fidelity: str, constants: Mapping[str, Any] | None, mutants: Sequence[Mutant],
          options: dict[str, Any], fidelity_note: str = "", finding: str = "") -> Claim:
    claim = Claim(
        id=id,
        reference=reference,
        statement=statement,
        kind=kind,
        fidelity=fidelity,
        func=func,
        constants=dict(constants or {}),
        options=options,
        mutants=tuple(mutants),
        doc=inspect.cleandoc(func.__doc__ or ""),
        fidelity_note=fidelity_note,
        finding=finding,
        module=getattr(func, "__module__", ""),
    )
    claim.validate()
    return claim


def bound(*, id: str, reference: str, statement: str, fidelity: str, strategy: Any,
          fidelity_note: str = "", finding: str = "",
          constants: Mapping[str, Any] | None = None, mutants: Sequence[Mutant] = (),
          recheck: Callable[..., Any] | None = None, recheck_below: float | None = None,
          max_examples: Any = None,
          budget_s: Any = None) -> Callable[[Callable[..., Any]], Claim]:
    """A deterministic inequality on every instance: ``predicate(instance, **constants)`` returns an
    Observation whose margin must stay <= 1. ``strategy`` is a Hypothesis strategy, or a function
    of the constants returning one. ``recheck(instance, **constants)``, if given, re-evaluates a
    suspected violation at higher precision (mpmath) before it is reported (it also receives the
    float64 Observation as ``observation=`` if it accepts that keyword, to replay only up to the
    failing step); with
    ``recheck_below`` only margins below it are suspects (larger ones are beyond float64 rounding
    for that computation, which the claim's docstring must argue)."""

    def wrap(func: Callable[..., Any]) -> Claim:
        return _make("bound", func, id=id, reference=reference, statement=statement,
                     fidelity=fidelity, fidelity_note=fidelity_note, finding=finding,
                     constants=constants, mutants=mutants,
                     options={"strategy": strategy, "recheck": recheck, "recheck_below": recheck_below,
                              "max_examples": max_examples, "budget_s": budget_s})

    return wrap


def rate(*, id: str, reference: str, statement: str, fidelity: str, sweep: Any,
         fidelity_note: str = "", finding: str = "",
         x_label: str, y_label: str, exponent: str = "exponent", direction: str = "upper",
         confidence: float = 0.95, x_of: Callable[[float], float] | None = None,
         constants: Mapping[str, Any] | None = None,
         mutants: Sequence[Mutant] = (), budget_s: Any = None) -> Callable[[Callable[..., Any]], Claim]:
    """An order with an unspecified constant: y = O(x^p). ``measure(x, ctx, **constants)`` returns
    the measured y (several replicates, or a Sample giving each replicate its own x) at each
    sweep point x; the runner fits log y against
    log x with a confidence interval and compares the slope with the constant named ``exponent``.
    ``direction``: "upper" (y grows no faster than x^p), "lower" (at least as fast) or "tight"
    (the interval must contain p). ``x_of`` maps a sweep value to the x of the fit (sweep over the
    width d, fit against d/(√d − √(r−1))², say)."""

    if direction not in ("upper", "lower", "tight"):
        raise ValueError(f"rate claim {id!r}: direction must be upper, lower or tight")

    def wrap(func: Callable[..., Any]) -> Claim:
        return _make("rate", func, id=id, reference=reference, statement=statement,
                     fidelity=fidelity, fidelity_note=fidelity_note, finding=finding,
                     constants=constants, mutants=mutants,
                     options={"sweep": sweep, "x_label": x_label, "y_label": y_label,
                              "exponent": exponent, "direction": direction,
                              "confidence": confidence, "x_of": x_of,
                              "budget_s": budget_s})

    return wrap


def probability(*, id: str, reference: str, statement: str, fidelity: str,
                fidelity_note: str = "", finding: str = "",
                delta: str = "delta", trials: Any = None, alpha: float = 0.01,
                constants: Mapping[str, Any] | None = None, mutants: Sequence[Mutant] = (),
                budget_s: Any = None) -> Callable[[Callable[..., Any]], Claim]:
    """Holds with probability >= 1 - delta: ``trials(n, ctx, **constants)`` returns n independent
    success flags (or a Trials); an exact one-sided binomial test at level ``alpha`` decides
    whether the failure rate exceeds the constant named ``delta``."""

    def wrap(func: Callable[..., Any]) -> Claim:
        return _make("probability", func, id=id, reference=reference, statement=statement,
                     fidelity=fidelity, fidelity_note=fidelity_note, finding=finding,
                     constants=constants, mutants=mutants,
                     options={"delta": delta, "trials": trials, "alpha": alpha,
                              "budget_s": budget_s})

    return wrap


def symbolic(*, id: str, reference: str, statement: str, fidelity: str,
             fidelity_note: str = "", finding: str = "",
             constants: Mapping[str, Any] | None = None, mutants: Sequence[Mutant] = (),
             budget_s: Any = None) -> Callable[[Callable[..., Any]], Claim]:
    """An inequality over a parameter box: ``problem(**constants)`` returns a SymbolicProblem
    (z3 assumptions and goal); z3 proves it or returns a counterexample model."""

    def wrap(func: Callable[..., Any]) -> Claim:
        return _make("symbolic", func, id=id, reference=reference, statement=statement,
                     fidelity=fidelity, fidelity_note=fidelity_note, finding=finding,
                     constants=constants, mutants=mutants,
                     options={"budget_s": budget_s})

    return wrap


def consistency(*, id: str, reference: str, statement: str, fidelity: str,
                fidelity_note: str = "", finding: str = "",
                constants: Mapping[str, Any] | None = None, mutants: Sequence[Mutant] = (),
                budget_s: Any = None) -> Callable[[Callable[..., Any]], Claim]:
    """Reported numbers against each other: ``check(ctx, **constants)`` returns one Observation or
    a list of them; any margin > 1 is a violation."""

    def wrap(func: Callable[..., Any]) -> Claim:
        return _make("consistency", func, id=id, reference=reference, statement=statement,
                     fidelity=fidelity, fidelity_note=fidelity_note, finding=finding,
                     constants=constants, mutants=mutants,
                     options={"budget_s": budget_s})

    return wrap
