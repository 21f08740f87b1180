"""Every kind: a planted true claim holds and a planted false one is violated, with the evidence
its kind allows; errors, NaN and hangs are contained."""

import math

import pytest

import planted_claims as pc
from claimaudit.profiles import get_profile
from claimaudit.runner import evaluate, run_claims

QUICK = get_profile("quick")


@pytest.mark.parametrize("claim", pc.TRUE, ids=lambda c: c.id)
def test_true_claims_hold(claim):
    rec = evaluate(claim, QUICK, 0)
    assert rec["status"] == "holds", rec["message"]
    assert rec["counterexample"] is None
    if rec["worst_margin"] is not None:
        assert rec["worst_margin"] <= 1


@pytest.mark.parametrize("claim", pc.FALSE, ids=lambda c: c.id)
def test_false_claims_are_violated(claim):
    rec = evaluate(claim, QUICK, 0)
    assert rec["status"] == "violated", rec["message"]
    assert rec["counterexample"] is not None
    if rec["worst_margin"] is not None:
        assert rec["worst_margin"] > 1


def test_evidence_per_kind():
    by_id = {c.id: evaluate(c, QUICK, 0) for c in pc.TRUE + pc.FALSE}
    assert by_id["planted/am-gm"]["evidence"] == "no-counterexample"
    assert by_id["planted/false-square"]["evidence"] == "refuted"
    assert by_id["planted/square-nonnegative"]["evidence"] == "proved"
    assert by_id["planted/false-cube"]["evidence"] == "refuted"
    assert by_id["planted/quadratic-growth"]["evidence"] == "statistical"
    assert by_id["planted/coin-often-fails"]["evidence"] == "statistical"
    assert by_id["planted/average-row"]["evidence"] == "proved"
    assert by_id["planted/bad-sum"]["evidence"] == "refuted"


def test_bound_counterexample_is_shrunk_and_replayable():
    rec = evaluate(pc.false_square, QUICK, 0)
    x = rec["counterexample"]["instance"]["x"]
    assert 10 < x <= 11  # shrunk towards the boundary x = 10
    assert rec["replay"]["hypothesis_blob"].startswith("@reproduce_failure(")


def test_float64_artifact_cleared_by_recheck():
    rec = evaluate(pc.decimal_sum, QUICK, 0)
    assert rec["status"] == "holds"
    assert rec["float64_artifacts"], "the float64 violations should be recorded"
    assert "higher precision" in rec["message"]


def test_rate_reports_fit_and_interval():
    rec = evaluate(pc.quadratic_growth, QUICK, 0)
    fit = rec["fit"]
    assert fit["ci_low"] < 2 < fit["ci_high"]
    assert math.isclose(fit["slope"], 2, abs_tol=0.1)
    assert rec["figures"] and rec["figures"][0]["logx"]


def test_probability_reports_the_test():
    rec = evaluate(pc.coin_often_fails, QUICK, 0)
    t = rec["test"]
    assert t["n"] == 400 and 0 <= t["p_value"] < 0.01
    lo, hi = t["ci95_failure_rate"]
    assert lo < 0.5 < hi


def test_symbolic_counterexample_model():
    rec = evaluate(pc.false_cube, QUICK, 0)
    x = rec["counterexample"]["x"]["approx"]
    assert 0 <= x < 1 and x**3 < x


def test_raising_claim_is_an_error_with_reason():
    rec = evaluate(pc.raises, QUICK, 0)
    assert rec["status"] == "error"
    assert "RuntimeError" in rec["message"] and "planted failure" in rec["message"]


def test_nan_is_an_error_naming_the_instance():
    rec = evaluate(pc.returns_nan, QUICK, 0)
    assert rec["status"] == "error"
    assert "non-finite" in rec["message"] and "'i'" in rec["message"]


def test_hanging_claim_is_stopped_and_others_survive():
    recs = run_claims([pc.hangs, pc.am_gm, pc.raises, pc.bad_sum], QUICK, 0, jobs=2)
    status = {r["id"]: r["status"] for r in recs}
    assert status == {"planted/hangs": "inconclusive", "planted/am-gm": "holds",
                      "planted/raises": "error", "planted/bad-sum": "violated"}
    assert "time budget" in recs[0]["message"]
    assert recs[0]["duration_s"] < 10


def test_mutants_are_killed():
    for claim in (pc.am_gm, pc.quadratic_growth, pc.coin_rarely_fails, pc.square_nonnegative,
                  pc.average_row):
        for m in claim.mutant_claims():
            assert evaluate(m, QUICK, 0)["status"] == "violated", m.key


def test_same_seed_same_verdicts():
    claims = pc.TRUE + pc.FALSE
    strip = lambda recs: [{k: v for k, v in r.items() if k != "duration_s"} for r in recs]
    a = strip(run_claims(claims, QUICK, 7, jobs=2))
    b = strip(run_claims(claims, QUICK, 7, jobs=1))
    assert a == b


def test_rate_fits_against_per_replicate_x():
    rec = evaluate(pc.per_replicate_x, QUICK, 0)
    assert rec["status"] == "holds"
    assert math.isclose(rec["fit"]["slope"], 1.5, abs_tol=1e-9)  # exact power law in the run's x
    assert rec["fit"]["implied_constant"]["ratio"] == pytest.approx(1.0)
    assert evaluate(pc.per_replicate_x.mutant_claims()[0], QUICK, 0)["status"] == "violated"


@pytest.mark.parametrize("nbytes, stated, status", [
    (1.91e9, 1.8, "inconclusive"),  # 1.9 GB but 1.8 GiB: the unit decides
    (1.0e6, 0.0, "holds"),  # 0.0 either way
    (3.0e9, 1.8, "violated"),  # 3.0 GB, 2.8 GiB: wrong under both readings
])
def test_scenarios_decide_only_when_every_reading_agrees(nbytes, stated, status):
    import dataclasses

    claim = dataclasses.replace(pc.unit_reading, constants={"nbytes": nbytes, "stated": stated})
    rec = evaluate(claim, QUICK, 0)
    assert rec["status"] == status, rec["message"]
    assert set(rec["scenarios"]) == {"GB", "GiB"}
