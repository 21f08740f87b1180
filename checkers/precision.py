"""Higher precision for suspected violations: replay a float64 computation in mpmath."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np


def to_mp(a: np.ndarray) -> mpmath.matrix:
    return mpmath.matrix(np.asarray(a, dtype=float).tolist())


def mp_frobenius_sq(M: mpmath.matrix) -> mpmath.mpf:
    return mpmath.fsum(x**2 for x in M)


def with_precision(dps: int, fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
    """Run fn with mpmath at ``dps`` decimal digits (restored afterwards)."""
    with mpmath.workdps(dps):
        return fn(*args, **kw)


def mp_agd_objective_trace(A: np.ndarray, X0: np.ndarray, Y0: np.ndarray, eta: float,
                           steps: int, dps: int = 50) -> list[Any]:
    """The AGD objective trace of checkers.factorization.agd_objective_trace, in mpmath."""

    def run() -> list[Any]:
        a, x, y = to_mp(A), to_mp(X0), to_mp(Y0)
        e = mpmath.mpf(eta)
        out = [mp_frobenius_sq(x * y.T - a) / 2]
        for _ in range(steps):
            x = x - e * ((x * y.T - a) * y)
            y = y - e * ((x * y.T - a).T * x)
            out.append(mp_frobenius_sq(x * y.T - a) / 2)
        return out

    return with_precision(dps, run)
