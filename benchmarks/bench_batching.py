"""Speed as ratios against a baseline run in the same process (never absolute timings as tests).

    python benchmarks/bench_batching.py

1. Batched AGD over a stack of instances vs the same instances one at a time.
2. The isolated runner (one process per claim) vs in-process evaluation, on the AGD catalogue.
"""

from __future__ import annotations

import time

import numpy as np

from checkers.factorization import agd, ward_kolda_init
from claimaudit.profiles import get_profile
from claimaudit.registry import discover
from claimaudit.runner import run_claims
from strategies.matrices import low_rank_batch


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def bench_batching(batch: int = 32) -> float:
    A = low_rank_batch(30, 25, 3, [8.0] * batch, range(batch))
    X0, Y0 = ward_kolda_init(A, 6, 0.5, 4.0, 0.1, np.random.default_rng(0))

    def batched():
        agd(A, X0, Y0, 0.5, eps=1e-8, max_iter=10_000)

    def looped():
        for i in range(batch):
            agd(A[i], X0[i], Y0[i], 0.5, eps=1e-8, max_iter=10_000)

    b, l = best_of(batched), best_of(looped)
    print(f"AGD, {batch} instances: batched/looped time ratio = {b / l:.3f} (speed-up {l / b:.1f}x)")
    return b / l


def bench_isolation() -> float:
    claims = discover().select(["agd-matrix-factorization"])
    quick = get_profile("quick")
    iso = best_of(lambda: run_claims(claims, quick, 0, jobs=1), repeat=1)
    inproc = best_of(lambda: run_claims(claims, quick, 0, jobs=1, isolate=False), repeat=1)
    print(f"AGD catalogue: isolated/in-process time ratio = {iso / inproc:.3f}")
    return iso / inproc


if __name__ == "__main__":
    bench_batching()
    bench_isolation()
