"""Unit tests of the GD/NAG/linear-network engines and strategies behind nag-rectangular-mf."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis.errors import InvalidArgument

from checkers.factorization import (
    crossing_times,
    gd,
    lnn_nag,
    lnn_nag_parameters,
    lnn_unbalanced_init,
    low_rank_floor,
    nag,
    nag_parameters,
    out_of_span,
    relative_error,
    unbalanced_init,
)
from strategies.linear_networks import LinearNetworkProblem, linear_network_batch, linear_network_problems
from strategies.matrices import low_rank_batch


def _reference_nag(A, X0, Y0, eta, beta, steps):
    """The loop of the notes (§6.8), one instance, no stopping rule."""
    X, Y, Xp, Yp = X0.copy(), Y0.copy(), X0.copy(), Y0.copy()
    for _ in range(steps):
        Xb, Yb = X + beta * (X - Xp), Y + beta * (Y - Yp)
        R = Xb @ Yb.T - A
        Xp, Yp = X, Y
        X, Y = Xb - eta * R @ Yb, Yb - eta * R.T @ Xb
    return X, Y


def _instance(batch=3, kappa=5.0, d=6, seed=0):
    A = low_rank_batch(12, 10, 3, [kappa] * batch, np.arange(batch))
    X0, Y0 = unbalanced_init(A, d, 10.0, np.random.default_rng(seed))
    return A, X0, Y0


def test_nag_matches_reference_loop_per_instance():
    A, X0, Y0 = _instance()
    eta, beta, _ = nag_parameters(X0, 3)
    run = nag(A, X0, Y0, eta, beta, eps=0.0, max_iter=25)
    for i in range(A.shape[0]):
        X, Y = _reference_nag(A[i], X0[i], Y0[i], eta[i], beta[i], 25)
        np.testing.assert_allclose(run.X[i], X, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(run.Y[i], Y, rtol=1e-12, atol=1e-12)


def test_gd_is_nag_without_momentum_and_counts_hitting_time():
    A, X0, Y0 = _instance()
    eta, _, _ = nag_parameters(X0, 3)
    a = gd(A, X0, Y0, eta, eps=1e-4, max_iter=5000, history=True)
    b = nag(A, X0, Y0, eta, 0.0, eps=1e-4, max_iter=5000)
    np.testing.assert_array_equal(a.iterations, b.iterations)
    assert a.converged.all() and not a.diverged.any()
    for i, t in enumerate(a.iterations):  # first index at or below ε (unsquared criterion)
        assert a.errors[t, i] <= 1e-4 < a.errors[t - 1, i]


def test_unbalanced_start_first_step_and_spans():
    A, X0, Y0 = _instance(batch=2)
    assert not Y0.any()
    eta, beta, kx = nag_parameters(X0, 3)
    np.testing.assert_allclose(kx, 1 / ((1 - beta) / (1 + beta)))  # β = (1−q)/(1+q), q = 1/κ(X₀)
    one = nag(A, X0, Y0, eta, beta, eps=0.0, max_iter=1)
    np.testing.assert_allclose(one.X, X0)
    np.testing.assert_allclose(one.Y, eta[:, None, None] * np.swapaxes(A, -1, -2) @ X0)
    U, s, Vt = np.linalg.svd(A)
    many = nag(A, X0, Y0, eta, beta, eps=0.0, max_iter=40)
    assert np.all(out_of_span(U[..., :3], many.X) < 1e-12)
    assert np.all(out_of_span(np.swapaxes(Vt, -1, -2)[..., :3], many.Y) < 1e-12)


def test_nag_is_faster_than_gd_on_an_ill_conditioned_instance():
    A, X0, Y0 = _instance(batch=2, kappa=20.0, d=12)
    eta, beta, _ = nag_parameters(X0, 3)
    tg = gd(A, X0, Y0, eta, eps=1e-6, max_iter=100_000).iterations
    tn = nag(A, X0, Y0, eta, beta, eps=1e-6, max_iter=100_000).iterations
    assert np.all(tn < tg / 3)


def test_divergence_is_reported_not_nan():
    A, X0, Y0 = _instance(batch=1)
    run = gd(A, X0, Y0, 50.0, eps=1e-6, max_iter=200)
    assert run.diverged.all() and not run.converged.any() and run.iterations[0] == 201


def test_lnn_with_identity_data_is_matrix_factorization():
    A, X0, Y0 = _instance(batch=2)
    eye = np.broadcast_to(np.eye(A.shape[-1]), (2,) + (A.shape[-1],) * 2)
    eta, beta, _ = nag_parameters(X0, 3)
    a = lnn_nag(eye, A, X0, Y0, eta, beta, eps=0.0, max_iter=20)
    b = nag(A, X0, Y0, eta, beta, eps=0.0, max_iter=20)
    np.testing.assert_allclose(a.X, b.X, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(a.Y, b.Y, rtol=1e-12, atol=1e-12)


def test_lnn_reaches_eps_at_width_equal_to_label_rank():
    probs = [LinearNetworkProblem(10, 8, 20, 2, 2, 3.0, 2.0, s) for s in range(3)]
    Xd, Yl = linear_network_batch(probs)
    W2, V1 = lnn_unbalanced_init(Yl, 8, 2, 30.0, np.random.default_rng(0))
    eta, beta, _ = lnn_nag_parameters(Xd, W2, 2)
    run = lnn_nag(Xd, Yl, W2, V1, eta, beta, eps=1e-6, max_iter=50_000)
    assert run.converged.all()
    final = relative_error(Yl, run.X, np.swapaxes(Xd, -1, -2) @ run.Y, squared=False)
    assert np.all(final <= 1e-6)


def test_low_rank_floor_is_the_truncated_svd_error():
    rng = np.random.default_rng(3)
    Y = rng.standard_normal((7, 9))
    U, s, Vt = np.linalg.svd(Y, full_matrices=False)
    for d in range(0, 7):
        Yd = (U[:, :d] * s[:d]) @ Vt[:d]
        assert low_rank_floor(Y, d) == pytest.approx(np.linalg.norm(Y - Yd) / np.linalg.norm(Y), rel=1e-12)


@settings(max_examples=20, deadline=None)
@given(linear_network_problems(ranks=(1, 3), width_deficit=(0, 0)))
def test_linear_network_problems_interpolate(p):
    X, Y = p.data(), p.labels()
    assert X.shape == (p.n, p.N) and Y.shape == (p.m, p.N) and p.width == p.rank
    s = np.linalg.svd(Y, compute_uv=False)
    smallest = 1 / p.label_condition if p.rank > 1 else 1.0  # a rank-1 spectrum is (1,)
    assert s[0] == pytest.approx(1.0) and s[p.rank - 1] == pytest.approx(smallest)
    assert np.all(s[p.rank:] < 1e-12)
    np.testing.assert_allclose(Y @ np.linalg.pinv(X) @ X, Y, atol=1e-10)  # Y = W*X exactly


@pytest.mark.parametrize("kwargs", [
    {"ranks": (0, 2)},
    {"width_deficit": (1, 1), "ranks": (1, 3)},
    {"data_conditions": (0.5, 2.0)},
    {"extra_samples": (3, 1)},
])
def test_linear_network_problems_validate_arguments(kwargs):
    with pytest.raises(InvalidArgument):
        linear_network_problems(**kwargs).example()


def test_pack_registers_claims_with_killable_mutants():
    from claimaudit.registry import discover

    claims = [c for c in discover().claims.values() if c.paper == "nag-rectangular-mf"]
    assert len(claims) >= 8
    assert all(c.mutants for c in claims)
    assert {c.fidelity for c in claims} <= {"quoted", "reconstructed", "derived"}


def test_crossing_times_interpolate_a_linear_rate_exactly():
    t = np.arange(200)[:, None]
    errors = np.hstack([0.9**t, 0.5 * 0.8**t])  # two pure linear rates, log-linear between steps
    for eps in (1e-2, 3.3e-5):
        got = crossing_times(errors, eps)
        np.testing.assert_allclose(got, [np.log(eps) / np.log(0.9), np.log(2 * eps) / np.log(0.8)],
                                   rtol=1e-12)
    assert np.isnan(crossing_times(errors, 1e-40)).all()  # never met: NaN, the caller decides
    assert crossing_times(errors, 2.0)[0] == 0.0  # met at the start


def _quick_context(seed: int = 0):
    from claimaudit.profiles import Context, get_profile

    return Context(profile=get_profile("quick"), seed=seed, rng=np.random.default_rng(seed))


def test_log_eps_measure_is_normalised_per_seed():
    from theorems.nag_rectangular_mf import _LOG_REF, _log_eps

    ref = _log_eps("gd", _LOG_REF, _quick_context(), 4.0, 1e-3)
    np.testing.assert_allclose(ref.y, np.log(_LOG_REF))  # every seed's own unit at the reference
    mid = _log_eps("gd", 1e2, _quick_context(), 4.0, 1e-3)
    np.testing.assert_allclose(mid.y, np.log(1e2), rtol=1e-3)  # a linear rate: ln(ratio) per seed


def test_overparameterization_measure_gives_each_run_its_kappa():
    from claimaudit.model import Sample
    from theorems.nag_rectangular_mf import _iterations_against_start

    out = _iterations_against_start("nag", 12, _quick_context(), 2.0, 1e-4, np.arange(4), 1)
    assert isinstance(out, Sample) and len(out.x) == len(out.y) == 4
    assert np.all(np.asarray(out.x) >= 1.0) and np.all(np.asarray(out.y) > 0)
    assert len(set(np.round(out.x, 6))) == 4  # per run, not one typical value
