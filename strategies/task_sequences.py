"""Hypothesis strategies for sequences of jointly realizable linear regression tasks.

An instance is a small JSON-able parameter record (family, d, T, ranks, angles, seed, horizon);
the tasks X_1..X_T and the minimum-norm joint solution w* are built from it deterministically, so
a counterexample replays from a few numbers. Families, from benign to adversarial:

- ``gaussian``: Gaussian X_m of random ranks with unequal singular values (the benign baseline);
- ``small-angles``: every task is a common rank-r task rotated by a small random rotation, so
  the null spaces meet at small principal angles and alternating projections converge slowly;
- ``rotating-lines``: rank-one tasks in ℝ² whose normals turn by span/T from task to task
  (span = π: the cycle keeps rotating the error, forgetting ~ T²/k at k ≈ T²/π²);
- ``graded-lines``: the same with geometrically growing gaps between consecutive normals;
- ``two-task-worst``: two lines at the worst angle cos²θ = (k*−1)/k* for a target iteration k*;
- ``repeated``: two or three small-angle tasks repeated inside the cycle (e.g. A, B, A, C).

In the line families w* is put on the worst side (orthogonal to the first normal) up to a drawn
offset angle. Shrinking moves towards small T, d, rank, zero offsets and seed 0.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from scipy.linalg import expm

from checkers.projections import min_norm_solution, row_basis

FAMILIES = ("gaussian", "small-angles", "rotating-lines", "graded-lines", "two-task-worst",
            "repeated")
PATTERNS = ((0, 1, 0, 2), (0, 0, 1), (0, 1, 2, 1), (0, 1, 0, 1, 2))


def _orthonormal_rows(rng: np.random.Generator, r: int, d: int) -> np.ndarray:
    q, _ = np.linalg.qr(rng.standard_normal((d, r)))
    return q.T


def _line(angle: float) -> np.ndarray:
    return np.array([[np.cos(angle), np.sin(angle)]])


@dataclass(frozen=True)
class TaskSequence:
    """A cycle of T tasks in ℝ^d (see the module docstring for the families).

    ``rank`` is the common rank (or the maximum for ``gaussian``), ``angle`` the family's angle
    parameter (rotation size for ``small-angles``, the offset of w* for line families, unused by
    ``two-task-worst``), ``ratio`` the gap ratio of ``graded-lines``, ``target_k`` the k* of
    ``two-task-worst``, ``pattern`` the index of the repetition pattern of ``repeated``, and
    ``horizon`` the number of iterations to examine."""

    family: str
    d: int
    T: int
    rank: int = 1
    angle: float = 0.0
    ratio: float = 1.0
    target_k: int = 2
    pattern: int = 0
    equal_scales: bool = True
    horizon: int = 100
    seed: int = 0

    def rng(self, stream: int = 0) -> np.random.Generator:
        return np.random.default_rng([self.seed, stream])

    def tasks(self) -> list[np.ndarray]:
        """The data matrices X_1..X_T (rows: samples), each with ‖X_m‖₂ ≤ 1."""
        rng = self.rng()
        f = self.family
        if f == "rotating-lines":
            return [_line(np.pi * m / self.T) for m in range(self.T)]
        if f == "graded-lines":
            gaps = self.ratio ** np.arange(self.T - 1)
            angles = np.concatenate([[0.0], np.cumsum(gaps)]) * (np.pi * (1 - 1 / self.T) / gaps.sum())
            return [_line(a) for a in angles]
        if f == "two-task-worst":
            k = self.target_k
            theta = np.arccos(np.sqrt((k - 1) / k))
            return [_line(0.0), _line(theta)]
        if f == "gaussian":
            Xs = []
            for _ in range(self.T):
                r = int(rng.integers(1, self.rank + 1))
                Xs.append(rng.standard_normal((r, self.d)) / np.sqrt(self.d))
            return self._scaled(Xs, rng)
        if f in ("small-angles", "repeated"):
            base = _orthonormal_rows(rng, self.rank, self.d)
            distinct = self.T if f == "small-angles" else 1 + max(PATTERNS[self.pattern])
            rotated = []
            for _ in range(distinct):
                G = rng.standard_normal((self.d, self.d))
                S = (G - G.T) / np.sqrt(2 * self.d)  # skew-symmetric: exp(aS) is a rotation
                rotated.append(base @ expm(self.angle * S).T)
            if f == "repeated":
                pat = PATTERNS[self.pattern]
                rotated = [rotated[pat[m % len(pat)]] for m in range(self.T)]
            return self._scaled(rotated, rng)
        raise ValueError(f"unknown family {f!r}")

    def _scaled(self, Xs: list[np.ndarray], rng: np.random.Generator) -> list[np.ndarray]:
        """Orthonormal rows (the worst case of each geometry) or random singular values in (0.1, 1]."""
        out = []
        for X in Xs:
            V = row_basis(X).T
            if not self.equal_scales:
                V = rng.uniform(0.1, 1.0, V.shape[0])[:, None] * V
            out.append(V)
        return out

    def w_star(self) -> np.ndarray:
        """The minimum-norm joint solution (unit norm before projection for random families)."""
        Xs = self.tasks()
        if self.family in ("rotating-lines", "graded-lines", "two-task-worst"):
            w = np.array([-np.sin(self.angle), np.cos(self.angle)])  # ⊥ first normal, offset
        else:
            w = self.rng(1).standard_normal(self.d)
        return min_norm_solution(Xs, w)

    def labels(self) -> list[np.ndarray]:
        w = self.w_star()
        return [X @ w for X in self.tasks()]

    def to_json(self) -> dict:
        return asdict(self)


# ------------------------------------------------------------------------------- strategies
def _check(name: str, lo: int | float, hi: int | float, minimum: float) -> None:
    if not (minimum <= lo <= hi):
        raise InvalidArgument(f"{name} must satisfy {minimum} <= min <= max, got ({lo}, {hi})")


def task_sequences(*, families: tuple[str, ...] = FAMILIES, dims: tuple[int, int] = (2, 12),
                   tasks: tuple[int, int] = (2, 8), line_tasks: tuple[int, int] = (2, 240),
                   horizons: tuple[int, int] = (20, 600), worst_k: tuple[int, int] = (2, 400),
                   max_offset: float = 0.3, seeds: int = 2**31 - 1) -> st.SearchStrategy[TaskSequence]:
    """Task sequences from the given families. ``dims`` and ``tasks`` bound d and T for the
    random families, ``line_tasks`` T for the line families (whose horizon is ⌈T²/3⌉, past
    the forgetting peak near T²/π²), ``horizons`` the iterations examined for the random
    families, ``worst_k`` the target k* of ``two-task-worst`` (horizon 2k*), ``max_offset``
    the largest offset (radians) of w* from the worst side in the line families (offset 0 half
    the time). The line families get double weight in the mixture."""
    bad = set(families) - set(FAMILIES)
    if bad or not families:
        raise InvalidArgument(f"families must be a non-empty subset of {FAMILIES}, got {families}")
    _check("dims", *dims, 2)
    _check("tasks", *tasks, 2)
    _check("line_tasks", *line_tasks, 2)
    _check("horizons", *horizons, 1)
    _check("worst_k", *worst_k, 2)
    if not 0 <= max_offset <= np.pi / 2:
        raise InvalidArgument(f"max_offset must be in [0, π/2], got {max_offset}")
    seed = st.integers(0, seeds)
    # the exact worst side half of the time: an offset only lowers the forgetting
    offset = st.one_of(st.just(0.0), st.floats(0.0, max_offset)) if max_offset > 0 else st.just(0.0)
    out, lines = [], []
    for f in families:
        if f in ("rotating-lines", "graded-lines"):
            ratio = st.floats(0.7, 1.6) if f == "graded-lines" else st.just(1.0)
            lines.append(st.builds(
                lambda T, a, q, f=f: TaskSequence(f, 2, T, angle=a, ratio=q,
                                                  horizon=max(20, -(-T * T // 3))),
                st.integers(*line_tasks), offset, ratio))
        elif f == "two-task-worst":
            out.append(st.builds(
                lambda k, a: TaskSequence("two-task-worst", 2, 2, angle=a, target_k=k, horizon=2 * k),
                # small k* as often as any: the cyclic bound's worst margin is at k = 2
                st.one_of(st.integers(worst_k[0], min(worst_k[1], worst_k[0] + 8)),
                          st.integers(*worst_k)), offset))
        else:
            out.append(_random_family(f, dims, tasks, horizons, seed))
    # the line families are drawn twice as often: they carry the T² growth of the forgetting
    return st.one_of(*out, *lines, *lines)


def _random_family(f: str, dims: tuple[int, int], tasks: tuple[int, int],
                   horizons: tuple[int, int], seed: st.SearchStrategy[int]) -> st.SearchStrategy[TaskSequence]:
    @st.composite
    def build(draw) -> TaskSequence:
        d = draw(st.integers(*dims))
        T = draw(st.integers(*tasks))
        r = draw(st.integers(1, d - 1))
        angle = draw(st.floats(1e-3, 0.5)) if f in ("small-angles", "repeated") else 0.0
        pattern = draw(st.integers(0, len(PATTERNS) - 1)) if f == "repeated" else 0
        equal = draw(st.booleans())
        horizon = draw(st.integers(*horizons))
        return TaskSequence(f, d, T, rank=r, angle=float(angle), pattern=pattern,
                            equal_scales=equal, horizon=horizon, seed=draw(seed))

    return build()


def two_line_tasks(*, thetas: tuple[float, float] = (1e-3, np.pi / 2),
                   ks: tuple[int, int] = (1, 2000)) -> st.SearchStrategy[dict]:
    """(θ, k, φ) records for two rank-one tasks in ℝ² at angle θ, evaluated at iteration k, with
    w* at angle φ from the first null line."""
    _check("thetas", *thetas, 0.0)
    _check("ks", *ks, 1)
    return st.fixed_dictionaries({
        "theta": st.floats(*thetas), "k": st.integers(*ks), "phi": st.floats(0.0, np.pi)})


def subspace_pairs(*, dims: tuple[int, int] = (2, 8), ks: tuple[int, int] = (1, 300),
                   closeness: tuple[float, float] = (0.0, 0.999),
                   seeds: int = 2**31 - 1) -> st.SearchStrategy[dict]:
    """Two orthonormal-row tasks of ranks r₁, r₂ < d in ℝ^d (by seed), an iteration k and a
    closeness parameter c (0: independent random subspaces; near 1: the first min(r₁, r₂) rows
    of X₂ are within angles ~(1 − c) of X₁'s, so small principal angles appear)."""
    _check("dims", *dims, 2)
    _check("ks", *ks, 1)
    if not 0 <= closeness[0] <= closeness[1] < 1:
        raise InvalidArgument(f"closeness must satisfy 0 <= min <= max < 1, got {closeness}")

    @st.composite
    def build(draw) -> dict:
        d = draw(st.integers(*dims))
        return {"d": d, "r1": draw(st.integers(1, d - 1)), "r2": draw(st.integers(1, d - 1)),
                "k": draw(st.integers(*ks)), "closeness": draw(st.floats(*closeness)),
                "seed": draw(st.integers(0, seeds))}

    return build()


def subspace_pair_tasks(rec: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(X₁, X₂, w*) for a ``subspace_pairs`` record: X₂'s rows mix X₁'s rows with fresh ones."""
    rng = np.random.default_rng(rec["seed"])
    d, r1, r2, c = rec["d"], rec["r1"], rec["r2"], rec["closeness"]
    X1 = _orthonormal_rows(rng, r1, d)
    G = rng.standard_normal((r2, d))
    G[: min(r1, r2)] = c * X1[: min(r1, r2)] * np.sqrt(d) + (1 - c) * G[: min(r1, r2)]
    X2 = row_basis(G).T
    w = min_norm_solution([X1, X2], rng.standard_normal(d))
    return X1, X2, w
