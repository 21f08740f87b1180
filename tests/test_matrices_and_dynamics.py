"""strategies.matrices and checkers.factorization: validation, spectra, shrinking, batching."""

import numpy as np
import pytest
from hypothesis import find, given, settings
from hypothesis.errors import InvalidArgument

from checkers.factorization import agd, out_of_span, overparameterization_factor, ward_kolda_init
from strategies.matrices import LowRankMatrix, low_rank_batch, low_rank_matrices


@pytest.mark.parametrize("kw, name", [
    ({"ranks": (0, 3)}, "ranks"), ({"conditions": (0.5, 2.0)}, "conditions"),
    ({"rows": (5, 2)}, "rows"), ({"width_ratio": 0.5}, "width_ratio"),
    ({"width_extra": -1}, "width_extra"), ({"spacings": ("cubic",)}, "spacings"),
])
def test_invalid_arguments_name_the_argument(kw, name):
    with pytest.raises(InvalidArgument, match=name):
        low_rank_matrices(**kw).example()


@settings(max_examples=40, deadline=None)
@given(low_rank_matrices(conditions=(1.0, 1e3)))
def test_prescribed_spectrum(inst):
    s = np.linalg.svd(inst.matrix(), compute_uv=False)
    assert s[0] == pytest.approx(1.0, rel=1e-10)
    assert s[0] / s[inst.rank - 1] == pytest.approx(inst.condition, rel=1e-8)
    assert np.all(s[inst.rank:] < 1e-12)
    assert inst.rank <= inst.width <= min(inst.m, inst.n)


def test_shrinks_towards_small_well_conditioned_instances():
    smallest = find(low_rank_matrices(), lambda inst: True)
    assert smallest == LowRankMatrix(m=6, n=6, rank=1, width=1, condition=1.0, seed=0,
                                     spacing="geometric")


def test_batched_agd_equals_one_at_a_time():
    A = low_rank_batch(12, 10, 2, [3.0, 7.0, 20.0], [0, 1, 2])
    X0, Y0 = ward_kolda_init(A, 4, 0.5, 4.0, 0.1, np.random.default_rng(0))
    batched = agd(A, X0, Y0, 0.5, eps=1e-8, max_iter=5000)
    for i in range(3):
        single = agd(A[i], X0[i], Y0[i], 0.5, eps=1e-8, max_iter=5000)
        assert single.iterations == batched.iterations[i]
    assert batched.converged.all()


def test_out_of_span_and_factor():
    U = np.linalg.qr(np.random.default_rng(0).standard_normal((8, 2)))[0]
    assert out_of_span(U, U @ np.ones((2, 3))) < 1e-14
    assert out_of_span(U, np.eye(8)[:, :3]) > 0.1
    assert overparameterization_factor(1, 1) == 1.0
    assert overparameterization_factor(4, 2) == pytest.approx(4.0)  # 4/(2-1)^2
