"""Unit tests of the heavy-ball checkers, the least-squares strategy and the paper pack's wiring."""

from __future__ import annotations

import json
import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis.errors import InvalidArgument

from checkers.heavy_ball import (
    AliasSampler,
    batch_size_star,
    deterministic_bound,
    eigvec_condition,
    eigvec_condition_inside,
    expected_minibatch_gradient,
    hbm,
    hbm_parameters,
    horizon,
    kappa_c_comment_bound,
    minibatch_gradient,
    minibatch_hbm,
    minibatch_hbm_path,
    mp_hbm_modal,
    mp_hbm_modal_at,
    randomized_kaczmarz,
    sampling_probabilities,
)
from claimaudit.judges import jsonable
from strategies.least_squares import LeastSquaresSystem, least_squares_systems, paper_spectrum


@pytest.mark.parametrize("kappa,c", [(30.0, 1e3), (6.0, 2.0), (100.0, 10.0), (1.0, 1.5)])
def test_kappa_c_matches_numpy_eigenvectors(kappa, c):
    p = hbm_parameters(np.array([1.0, kappa]), c)
    T = np.array([[1 + p.beta - p.alpha, -p.beta], [1.0, 0.0]])
    ref = np.linalg.cond(np.linalg.eig(T)[1])
    assert p.kappa_C == pytest.approx(ref, rel=1e-9)
    assert float(eigvec_condition(p.alpha, p.beta, 1.0)) == pytest.approx(ref, rel=1e-9)
    assert float(eigvec_condition_inside(p.alpha, p.beta, p.ell, p.L, 1.0)) == pytest.approx(ref, rel=1e-9)
    assert p.kappa_C <= kappa_c_comment_bound(p)


def test_parameters_match_notes():
    # notes §1.4: β = 0.669558, 0.477980, 0.176773 and κ_C = 321, 182, 98.97 for κ = 100, 30, 6
    for kappa, beta, kc in ((100, 0.669558, 321.0), (30, 0.477980, 182.0), (6, 0.176773, 98.97)):
        p = hbm_parameters(paper_spectrum(100, kappa), 1e3)
        assert p.beta == pytest.approx(beta, abs=1e-6)
        assert p.kappa_C == pytest.approx(kc, rel=2e-3)


def test_batch_size_star_reproduces_notes_table():
    cases = {(6, "slow-algebraic"): 178580, (100, "fast-exponential"): 19681,
             (30, "fast-algebraic"): 190890}
    for (kappa, prof), expected in cases.items():
        lam = paper_spectrum(100, kappa, prof)
        p = hbm_parameters(lam, 1e3)
        assert batch_size_star(lam, p.alpha, p.beta) == expected
    lam = paper_spectrum(100, 50, "slow-exponential", decay=0.5)
    p = hbm_parameters(lam, 1e3)
    assert batch_size_star(lam, p.alpha, p.beta) == 26572
    assert batch_size_star(lam, p.alpha, p.beta, dim_factor=1.0) < 26572


def test_system_has_prescribed_spectrum_and_is_consistent():
    s = LeastSquaresSystem(n=50, d=6, condition=40.0, profile="fast-algebraic", row_spread=10.0, seed=3)
    A = s.matrix()
    np.testing.assert_allclose(np.linalg.eigvalsh(A.T @ A), s.spectrum(), rtol=1e-10)
    np.testing.assert_allclose(A @ s.solution(), s.rhs(), atol=1e-12)
    norms = np.linalg.norm(A, axis=1)
    assert norms.max() / norms.min() > 3  # the row spread makes sampling laws differ
    noisy = LeastSquaresSystem(n=50, d=6, condition=40.0, noise=1e-3, seed=3)
    r = noisy.rhs() - noisy.matrix() @ noisy.solution()
    assert np.linalg.norm(r) == pytest.approx(1e-3)
    assert np.linalg.norm(noisy.matrix().T @ r) < 1e-12  # x* stays the least-squares solution
    assert json.loads(json.dumps(jsonable(s)))["condition"] == 40.0


@settings(max_examples=20, deadline=None)
@given(least_squares_systems(rows=(3, 20), cols=(2, 5), conditions=(1.0, 50.0), row_spreads=(1.0, 5.0)))
def test_strategy_respects_its_bounds(s):
    assert 2 <= s.d <= 5 and s.d <= s.n <= 20 and 1.0 <= s.condition <= 50.0
    lam = s.spectrum()
    assert lam.min() == pytest.approx(1.0) and lam.max() == pytest.approx(s.condition)


@pytest.mark.parametrize("kw", [{"rows": (5, 2)}, {"conditions": (0.5, 2.0)}, {"profiles": ("nope",)},
                                {"row_spreads": (0.5, 1.0)}, {"cols": (0, 3)}, {"seeds": -1}])
def test_strategy_rejects_bad_arguments(kw):
    with pytest.raises(InvalidArgument):
        least_squares_systems(**kw)


def test_alias_sampler_law():
    rng = np.random.default_rng(0)
    p = np.array([0.5, 0.25, 0.125, 0.125, 0.0])
    idx = AliasSampler(p)((200_000,), rng)
    freq = np.bincount(idx, minlength=5) / idx.size
    np.testing.assert_allclose(freq, p, atol=5e-3)
    assert (idx != 4).all()


def test_expected_counts_give_full_gradient():
    s = LeastSquaresSystem(n=30, d=4, condition=10.0, row_spread=8.0, seed=1)
    A, b = s.matrix(), s.rhs()
    x = np.ones(4)
    for sampling in ("row_norm", "uniform"):
        p = sampling_probabilities(A, sampling)
        g = minibatch_gradient(A, b, x, 7 * p, p)[0]
        np.testing.assert_allclose(g, A.T @ (A @ x - b), rtol=1e-12)
        enum = expected_minibatch_gradient(A[:5], b[:5], x, 2, sampling_probabilities(A[:5], sampling))
        np.testing.assert_allclose(enum, A[:5].T @ (A[:5] @ x - b[:5]), rtol=1e-10)


def test_kaczmarz_equivalence_and_projection():
    s = LeastSquaresSystem(n=20, d=5, condition=20.0, row_spread=4.0, seed=2)
    A, b = s.matrix(), s.rhs()
    p = sampling_probabilities(A, "row_norm")
    idx = AliasSampler(p)((15,), s.rng())
    path = minibatch_hbm_path(A, b, np.zeros(5), 1 / np.linalg.norm(A, "fro") ** 2, 0.0, idx[:, None], p)
    rk = randomized_kaczmarz(A, b, np.zeros(5), idx)
    np.testing.assert_allclose(path, rk, atol=1e-12)
    for k, i in enumerate(idx):  # each RK step solves its row exactly
        assert A[i] @ rk[k + 1] == pytest.approx(b[i], abs=1e-10)


def test_deterministic_bound_and_mpmath_replay_agree():
    s = LeastSquaresSystem(n=40, d=6, condition=30.0, seed=4)
    A, b, xs = s.matrix(), s.rhs(), s.solution()
    p = hbm_parameters(np.linalg.eigvalsh(A.T @ A), 1e3)
    errs = hbm(A, b, xs, p.alpha, p.beta, 60)
    curve = deterministic_bound(p, 60)
    assert (errs <= curve).all()
    _, _, V = s.factors()
    e0 = V @ (-xs)
    mp_errs = mp_hbm_modal(s.spectrum(), e0, p.alpha, p.beta, 60, dps=30)
    np.testing.assert_allclose(np.sqrt([float(v) for v in mp_errs])[:40], errs[:40], rtol=1e-8)
    at = mp_hbm_modal_at(s.spectrum(), e0, p.alpha, p.beta, 37, dps=30)
    assert float(mpmath.sqrt(at)) == pytest.approx(float(mpmath.sqrt(mp_errs[37])), rel=1e-20)


def test_minibatch_runs_are_reproducible_finite_and_capped():
    s = LeastSquaresSystem(n=500, d=5, condition=10.0, seed=5)
    A, b, xs = s.matrix(), s.rhs(), s.solution()
    p = hbm_parameters(np.linalg.eigvalsh(A.T @ A), 1e3)
    one = minibatch_hbm(A, b, xs, p.alpha, p.beta, 1, 40, 8, np.random.default_rng(0))
    assert np.isfinite(one.errors).all() and one.diverged.all() and one.errors.max() == 1e8
    big = batch_size_star(np.linalg.eigvalsh(A.T @ A), p.alpha, p.beta)
    r1 = minibatch_hbm(A, b, xs, p.alpha, p.beta, big, 20, 4, np.random.default_rng(1))
    r2 = minibatch_hbm(A, b, xs, p.alpha, p.beta, big, 20, 4, np.random.default_rng(1))
    np.testing.assert_array_equal(r1.errors, r2.errors)
    assert not r1.diverged.any() and r1.errors[-1].max() < 1e-3


def test_pack_is_registered_with_mutants():
    import theorems.minibatch_heavy_ball as pack  # noqa: PLC0415
    from claimaudit.registry import claims_in_module  # noqa: PLC0415

    claims = claims_in_module(pack)
    assert len(claims) >= 6
    assert all(c.mutants for c in claims)
    assert {c.kind for c in claims} >= {"bound", "probability", "symbolic", "consistency"}
    assert all(c.id.startswith("minibatch-heavy-ball/") for c in claims)


def test_large_batches_track_deterministic_hbm():
    # B > n takes the multinomial-counts path; with B = 10⁶ the gradient noise is ~1e-3 relative,
    # amplified over the steps to a few per cent of the (decaying) error
    s = LeastSquaresSystem(n=300, d=4, condition=5.0, seed=6)
    A, b, xs = s.matrix(), s.rhs(), s.solution()
    p = hbm_parameters(np.linalg.eigvalsh(A.T @ A), 1e3)
    det = hbm(A, b, xs, p.alpha, p.beta, 10)
    for sampling in ("row_norm", "uniform"):
        run = minibatch_hbm(A, b, xs, p.alpha, p.beta, 10**6, 10, 3, np.random.default_rng(2),
                            sampling=sampling)
        np.testing.assert_allclose(run.errors, np.repeat(det[:, None], 3, axis=1), rtol=0.25)


def test_true_mode_batch_size_needs_a_horizon():
    lam = paper_spectrum(100, 30.0)
    p = hbm_parameters(lam, 1e3)
    with pytest.raises(ValueError):
        batch_size_star(lam, p.alpha, p.beta, mode="true")
    k_star = horizon(1e-10, p.kappa_C, p.beta)
    assert deterministic_bound(p, int(math.ceil(k_star)))[-1] <= 1e-10
    assert batch_size_star(lam, p.alpha, p.beta, mode="true", k_star=k_star, kappa_C=p.kappa_C) > 0


def test_symbolic_assumptions_are_satisfiable():
    # an unsat proof is only meaningful if the assumptions alone admit a model
    import z3  # noqa: PLC0415

    import theorems.minibatch_heavy_ball as pack  # noqa: PLC0415

    for claim in (pack.discriminant_identity, pack.transition_eigenvalue_modulus, pack.rate_ordering_in_c):
        problem = claim.func(**claim.constants)
        solver = z3.Solver()
        solver.set("timeout", 10_000)
        solver.add(*problem.assumptions)
        assert solver.check() == z3.sat, claim.id


def test_review_fixes_are_declared():
    import theorems.minibatch_heavy_ball as pack  # noqa: PLC0415
    from claimaudit.registry import claims_in_module  # noqa: PLC0415

    for c in claims_in_module(pack):
        assert c.fidelity != "reconstructed" or c.fidelity_note, c.id
        assert c.fidelity != "quoted", c.id  # nothing here is read from the paper text
    printed = pack.batch_size_printed_values
    assert "0170114" in printed.fidelity_note
    uni = pack.uniform_sampling_needs_eta_batch
    assert "not claimed" in uni.statement
    assert {m.name for m in uni.mutants} >= {"uniform-at-b-star", "uniform-at-2-b-star"}
