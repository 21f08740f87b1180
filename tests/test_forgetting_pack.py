"""Unit tests of the projection learner, the task-sequence strategies and the forgetting pack's
predicates (planted violations must be caught). Fast: a few seconds in total."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import z3
from hypothesis import given, settings
from hypothesis.errors import InvalidArgument

from checkers.projections import (
    cyclic_errors,
    cyclic_forgetting,
    cyclic_order,
    digits_needed,
    forgetting_curve,
    gd_to_convergence,
    mp_cyclic_forgetting_at,
    mp_two_task_formula,
    null_projectors,
    ordering_errors,
    principal_angles,
    principal_pairs,
    project_step,
    random_forgetting,
    random_orders,
    run_learner,
    task_losses,
    two_task_formula,
    two_task_worst,
)
from strategies.task_sequences import (
    FAMILIES,
    TaskSequence,
    subspace_pair_tasks,
    subspace_pairs,
    task_sequences,
)
from theorems import forgetting_linear_regression as pack


def _gaussian_tasks(seed: int = 0, T: int = 3, d: int = 5, r: int = 2):
    rng = np.random.default_rng(seed)
    Xs = [rng.standard_normal((r, d)) for _ in range(T)]
    w = rng.standard_normal(d)
    return Xs, w, [X @ w for X in Xs]


# ---------------------------------------------------------------------------------- learner
def test_projection_step_fits_task_and_is_closest_solution():
    Xs, w_star, ys = _gaussian_tasks()
    w_prev = np.random.default_rng(1).standard_normal(5)
    w = project_step(w_prev, Xs[0], ys[0])
    assert np.allclose(Xs[0] @ w, ys[0], atol=1e-12)
    # w − w_prev lies in the row space, so w is the closest solution to w_prev
    P = null_projectors([Xs[0]])[0]
    assert np.allclose(P @ (w - w_prev), 0, atol=1e-12)


def test_parameter_and_error_forms_agree():
    Xs, w_star, ys = _gaussian_tasks(T=3)
    order = cyclic_order(3, 10)
    W = run_learner(Xs, ys, order)
    E = cyclic_errors(null_projectors(Xs), -w_star, 10)
    assert np.allclose(W[1:] - w_star, E, atol=1e-12)
    E2 = ordering_errors(null_projectors(Xs), -w_star, order[None, :])[0]
    assert np.allclose(E, E2, atol=1e-12)


def test_gd_limit_equals_projection_and_not_from_zero():
    Xs, _, ys = _gaussian_tasks(d=6, r=3)
    w_prev = np.ones(6)
    proj = project_step(w_prev, Xs[1], ys[1])
    assert np.allclose(gd_to_convergence(Xs[1], ys[1], w_prev, doublings=30), proj, atol=1e-8)
    assert not np.allclose(gd_to_convergence(Xs[1], ys[1], np.zeros(6), doublings=30), proj, atol=1e-3)


def test_cyclic_closed_form_matches_generic_counts():
    Xs, w_star, _ = _gaussian_tasks(T=4, d=6)
    K = 23
    E = cyclic_errors(null_projectors(Xs), -w_star, K)
    generic = forgetting_curve(task_losses(Xs, E), cyclic_order(4, K))
    norm = float(w_star @ w_star) * max(np.linalg.norm(X, 2) for X in Xs) ** 2
    assert np.allclose(cyclic_forgetting(Xs, w_star, K), generic / norm, rtol=1e-12, atol=1e-15)


def test_random_grid_matches_full_curve():
    Xs, w_star, _ = _gaussian_tasks(T=3, d=4, r=1)
    grid = [1, 2, 5, 9, 20]
    F = random_forgetting(Xs, w_star, 20, 7, np.random.default_rng(3), ks=grid)
    rng = np.random.default_rng(3)
    orders = random_orders(3, 20, 7, rng)
    E = ordering_errors(null_projectors(Xs), -w_star, orders)
    full = forgetting_curve(task_losses(Xs, E), orders)
    norm = float(w_star @ w_star) * max(np.linalg.norm(X, 2) for X in Xs) ** 2
    assert np.allclose(F, full[:, np.array(grid) - 1] / norm, rtol=1e-12)


def test_normalised_forgetting_in_unit_interval_and_scale_free():
    Xs, w_star, _ = _gaussian_tasks(T=3, d=5, r=2)
    from checkers.projections import min_norm_solution

    w = min_norm_solution(Xs, w_star)
    F = cyclic_forgetting(Xs, w, 50)
    assert F.min() >= 0 and F.max() <= 1
    G = cyclic_forgetting([3.0 * X for X in Xs], 0.1 * w, 50)
    assert np.allclose(F, G, rtol=1e-10, atol=1e-16)


# -------------------------------------------------------------------------------- two tasks
def test_two_task_formula_and_worst_angle():
    k = 9
    theta = math.acos(math.sqrt((k - 1) / k))
    X1, X2 = np.array([[1.0, 0.0]]), np.array([[math.cos(theta), math.sin(theta)]])
    w = np.array([0.0, 1.0])
    for kk in (k, k + 1):
        F = cyclic_forgetting([X1, X2], w, kk)[-1]
        cos, U = principal_pairs(X1, X2)
        e1 = null_projectors([X1])[0] @ (-w)
        assert F == pytest.approx(two_task_formula(cos, U.T @ e1, kk), rel=1e-10)
    # at even k the worst angle of k attains ½(k−1)^{k−1}/k^k
    F10 = cyclic_forgetting([X1, X2], w, 10)[-1]
    theta10 = math.acos(math.sqrt(9 / 10))
    X2b = np.array([[math.cos(theta10), math.sin(theta10)]])
    assert cyclic_forgetting([X1, X2b], w, 10)[-1] == pytest.approx(two_task_worst(10), rel=1e-10)
    assert F10 <= two_task_worst(10) + 1e-15
    assert principal_angles(X1, X2)[0] == pytest.approx(theta, rel=1e-12)


def test_mpmath_paths_agree_with_float_where_both_resolve():
    rec = {"d": 4, "r1": 2, "r2": 1, "k": 40, "closeness": 0.9, "seed": 5}
    X1, X2, w = subspace_pair_tasks(rec)
    f64 = cyclic_forgetting([X1, X2], w, 40)[-1]
    assert float(mp_cyclic_forgetting_at([X1, X2], w, 40)) == pytest.approx(f64, rel=1e-8)
    F, cos2 = mp_two_task_formula(X1, X2, w, 40)
    assert float(F) == pytest.approx(f64, rel=1e-8)
    cos, U = principal_pairs(X1, X2)
    assert digits_needed(cos, U.T @ (null_projectors([X1])[0] @ -w), 40) >= 0


# ------------------------------------------------------------------------------- strategies
@pytest.mark.parametrize("kwargs", [
    {"families": ("nope",)}, {"families": ()}, {"dims": (1, 4)}, {"tasks": (3, 2)},
    {"line_tasks": (1, 5)}, {"worst_k": (1, 3)}, {"max_offset": 2.0}, {"horizons": (0, 3)},
])
def test_strategy_arguments_are_validated(kwargs):
    with pytest.raises(InvalidArgument):
        task_sequences(**kwargs).example()


def test_subspace_pairs_validated():
    with pytest.raises(InvalidArgument):
        subspace_pairs(closeness=(0.5, 1.0)).example()


@settings(max_examples=25, deadline=None, database=None)
@given(task_sequences(line_tasks=(2, 30)))
def test_instances_replay_and_are_jsonable(inst):
    assert inst.family in FAMILIES
    json.dumps(inst.to_json())
    again = TaskSequence(**inst.to_json())
    Xs, Ys = inst.tasks(), again.tasks()
    assert len(Xs) == inst.T and all(np.array_equal(a, b) for a, b in zip(Xs, Ys))
    assert max(np.linalg.norm(X, 2) for X in Xs) <= 1 + 1e-12
    w = inst.w_star()
    assert all(np.allclose(X @ w, y) for X, y in zip(Xs, inst.labels()))


def test_rotating_lines_family_geometry():
    inst = TaskSequence("rotating-lines", 2, 8)
    normals = np.array([X[0] for X in inst.tasks()])
    angles = np.arctan2(normals[:, 1], normals[:, 0])
    assert np.allclose(np.diff(angles), np.pi / 8)
    assert abs(inst.w_star() @ normals[0]) < 1e-15  # w* on the worst side


# ------------------------------------------------------------------ predicates and mutants
def test_cyclic_predicate_catches_t_mutant_on_rotating_lines():
    inst = TaskSequence("rotating-lines", 2, 150, horizon=150 * 150 // 3)
    claim = pack.cyclic_forgetting_bound
    ok = claim.func(inst, **claim.constants)
    assert ok.margin < 0.02
    bad = claim.func(inst, **{**claim.constants, "t_power": 1.0})
    assert bad.margin > 1
    assert bad.figures and bad.figures[0].series[0]["y"]


def test_two_task_predicate_catches_planted_formula_errors():
    claim = pack.two_task_exact_expression
    rec = {"d": 3, "r1": 1, "r2": 1, "k": 7, "closeness": 0.5, "seed": 2}
    assert claim.func(rec, **claim.constants).margin <= 1
    assert claim.func(rec, **{**claim.constants, "odd_factor": "half"}).margin > 1
    assert claim.func(rec, **{**claim.constants, "power_offset": 0}).margin > 1


def _z3_holds(problem) -> bool:
    s = z3.Solver()
    s.add(*problem.assumptions)
    s.add(z3.Not(problem.goal))
    return s.check() == z3.unsat


def test_bracket_proved_and_swapped_refuted():
    claim = pack.two_task_worst_case_bracket
    small = {**claim.constants, "k_checked": 8}
    assert _z3_holds(claim.func(**small))
    assert not _z3_holds(claim.func(**{**small, "lower_shift": 1, "upper_shift": 0}))
    assert not _z3_holds(claim.func(**{**small, "power_shift": 1}))


def test_forgetting_vs_convergence_and_its_mutant():
    claim = pack.forgetting_vs_convergence
    rec = {"k": 5000, "rho": 0.5, "shrink": 0.9}
    assert claim.func(rec, **claim.constants).margin <= 1
    assert claim.func(rec, distance_claim="forgetting-rate").margin > 1


def test_every_family_is_generated():
    seen = set()

    @settings(max_examples=200, deadline=None, database=None)
    @given(task_sequences(line_tasks=(2, 20), worst_k=(2, 20)))
    def collect(inst):
        seen.add(inst.family)
        if inst.family == "two-task-worst":
            assert inst.T == 2 and inst.horizon == 2 * inst.target_k

    collect()
    assert seen == set(FAMILIES)


# ------------------------------------------------------------ review fixes: rounding and exactness
def test_worst_case_rounding_is_cleared_by_the_mpmath_replay():
    """Seed 5 once reported 1 + 3.2e-12 at the exact worst angle: the replay must clear it, and
    the mutant's genuine excess (factor k/(k−1) at even k) must survive the replay."""
    inst = {"theta": 0.23794112483020838, "k": 18, "phi": math.pi / 2}
    claim = pack.two_task_worst_case
    assert claim.options["recheck"] is pack._two_task_worst_recheck
    assert pack._two_task_worst_recheck(inst, power_shift=0).margin <= 1
    for k in (2, 18, 1000):
        at = {"theta": float(np.arccos(np.sqrt((k - 1) / k))), "k": k, "phi": math.pi / 2}
        assert pack._two_task_worst_recheck(at, power_shift=0).margin <= 1
        assert pack._two_task_worst_recheck(at, power_shift=1).margin > 1


def test_mp_radius_is_exact_for_float_rows():
    from checkers.projections import mp_radius_squared  # noqa: PLC0415

    import mpmath  # noqa: PLC0415

    X = np.array([[math.cos(0.3), math.sin(0.3)]])
    with mpmath.workdps(60):  # the squares of two doubles are exact at 60 digits
        assert mp_radius_squared([X]) == mpmath.mpf(X[0, 0]) ** 2 + mpmath.mpf(X[0, 1]) ** 2
    G = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert float(mp_radius_squared([G])) == pytest.approx(np.linalg.norm(G, 2) ** 2, rel=1e-14)


def test_random_ordering_mean_is_the_same_for_every_t():
    """E[k·F(k)] = Σ_t ½·2^{−t}(2^{−(k−t)} − 4^{−(k−t)}) on rotating lines for every T ≥ 3 (the
    identity behind exponent 0 in `random-ordering-t-independent`)."""
    grid = np.array([2, 3, 5])
    exact = np.array([sum(0.5 * 2.0**-t * (2.0 ** -(k - t) - 4.0 ** -(k - t)) for t in range(1, k + 1))
                      for k in grid])
    assert exact[1] == pytest.approx(5 / 64)
    for T in (3, 7, 40):
        inst = TaskSequence("rotating-lines", 2, T)
        F = random_forgetting(inst.tasks(), inst.w_star(), 5, 4000, np.random.default_rng(T), ks=grid)
        mean, se = F.mean(0) * grid, F.std(0) * grid / math.sqrt(4000)
        assert np.all(np.abs(mean - exact) < 5 * se + 1e-12)


def test_review_fixes_are_declared():
    ro = pack.random_ordering_t_independent
    assert ro.constants["exponent"] == 0.0
    assert {m.name for m in ro.mutants} >= {"grows-like-t", "t-squared-not-lifted"}
    assert "2 ≤ k ≤ 40" in pack.two_task_worst_case_bracket.statement
    from claimaudit.registry import claims_in_module  # noqa: PLC0415

    for c in claims_in_module(pack):
        assert c.fidelity != "reconstructed" or c.fidelity_note, c.id
