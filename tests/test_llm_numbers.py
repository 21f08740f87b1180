"""Unit tests of the LLM-number checkers: exact rounding, parameter counts, memory and compute,
the statistics of comparative words, and the verifier-selection simulation; and repair variants
of the phi-3 and tinygsm findings (a finding's mutants are killed trivially, so each finding is
also shown to HOLD once the offending number is repaired: the check can say yes)."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from fractions import Fraction
from importlib import resources

import dataclasses

import numpy as np
import pytest
from scipy import stats

from claimaudit.profiles import get_profile
from claimaudit.runner import evaluate

from checkers.llm_numbers import (
    TransformerConfig,
    average_row,
    best_rule,
    closest_difference,
    config_from_dict,
    exact,
    exact_mean,
    implied_utilization,
    orders_of_magnitude,
    parameter_count,
    reachable_percentage,
    rounding_interval,
    rounding_margin,
    rounds_to,
    stated_unit,
    training_flops,
    weight_memory,
)
from checkers.statistics import (
    bhatia_davis_sd,
    breakeven_sd,
    clopper_pearson,
    count_from_percent,
    both_right,
    frechet_bounds,
    mean_difference_sweep,
    paired_breakeven_sd,
    paired_mean_p,
    paired_outperforms,
    paired_tost,
    threshold_test,
)
from checkers.verifier_sim import (
    fit_beta,
    pass_at_k_beta,
    pass_at_k_bounds,
    required_dprime,
    simulate_selection,
)
from theorems import phi_3, tinygsm


def _data(name: str) -> dict:
    text = resources.files("theorems").joinpath(f"data/{name}.json").read_text(encoding="utf-8")
    return json.loads(text, parse_float=Decimal)


# ------------------------------------------------------------------------------ rounding
def test_exact_keeps_printed_decimals():
    assert exact(68.32) == Fraction(6832, 100)
    assert exact("0.1") + exact("0.2") == exact("0.3")
    assert stated_unit(Decimal("78.0")) == Fraction(1, 10)
    assert stated_unit(Decimal("14")) == 1
    assert stated_unit(Decimal("68.32")) == Fraction(1, 100)


def test_rounding_rules_and_boundaries():
    assert rounding_interval("73.6", "nearest") == (Fraction("73.55"), Fraction("73.65"))
    assert rounding_interval("73.6", "truncate") == (Fraction("73.6"), Fraction("73.7"))
    assert rounds_to(Fraction("73.685"), "73.6", "truncate")
    assert not rounds_to(Fraction("73.685"), "73.6", "nearest")
    assert rounding_margin("69.75", "69.7") == 1.0  # a half may round either way: agrees
    assert rounding_margin("69.7", "69.7") == 0.0
    with pytest.raises(ValueError):
        rounding_interval("1", "banker")


def test_average_row_exact_means_and_best_rule():
    cols = {"a": [Decimal("1.1"), Decimal("1.22")], "b": [Decimal("2.0"), Decimal("2.09")], "c": [None, 1]}
    rep = {"a": Decimal("1.1"), "b": Decimal("2.0"), "c": Decimal("1")}
    assert exact_mean(cols["a"]) == Fraction("1.16")
    checks = {c.column: c for c in average_row(cols, rep, "truncate")}
    assert set(checks) == {"a", "b"}  # a column with a missing cell is not checked
    rule, _ = best_rule(cols, rep)
    assert rule == "truncate"  # 1.16 prints as 1.1 only under truncation


def test_phi3_average_row_numbers():
    b = _data("phi-3")["benchmarks"]
    cols = {c: [b["rows"][r][i] for r in b["rows"]] for i, c in enumerate(b["columns"])}
    means = {c.column: c.mean for c in average_row(cols, dict(zip(b["columns"], b["average"])), "nearest")}
    assert means["phi-3-mini"] == Fraction("69.715")
    assert means["phi-3-medium"] == Fraction("77.19")
    assert "phi-2" not in means


def test_reachable_percentages_and_differences():
    assert reachable_percentage("55.72", 1319) == (735, pytest.approx(0.80667, abs=1e-4))
    assert reachable_percentage("55.70", 1319)[1] > 1
    label, val, m = closest_difference(Decimal("6"), {"x": Decimal("5.4"), "y": Decimal("4.9")})
    assert label == "x" and m == pytest.approx(1.2)
    assert orders_of_magnitude(70, 2.6) == pytest.approx(math.log10(70 / 2.6))


# -------------------------------------------------------------------------- configurations
def test_parameter_counts_by_hand():
    cfg = TransformerConfig(hidden=8, layers=2, heads=2, kv_heads=1, intermediate=16, vocab=10)
    pc = parameter_count(cfg)
    attn = 8 * 8 + 2 * 8 * 4 + 8 * 8  # q, k, v (one KV head of dim 4), o
    mlp = 3 * 8 * 16
    norms = (2 * 2 + 1) * 8
    assert pc.total("no-embeddings") == 2 * (attn + mlp) + norms
    assert pc.total("tied") - pc.total("no-embeddings") == 80
    assert pc.total("untied") - pc.total("tied") == 80


def test_released_configs_match_known_counts():
    cfgs = _data("phi-3")["configs"]
    mini = parameter_count(config_from_dict(cfgs["phi-3-mini"]))
    assert mini.total("untied") == 3_821_079_552  # the HF model card's 3.82B
    mixtral = parameter_count(config_from_dict(cfgs["mixtral-8x7b"]))
    assert mixtral.total("untied") / 1e9 == pytest.approx(46.70, abs=0.01)  # Mistral's 46.7B
    assert mixtral.total("untied", active=True) / 1e9 == pytest.approx(12.88, abs=0.01)  # and 12.9B active
    small = config_from_dict(cfgs["phi-3-small"])
    assert small.queries_per_kv_head == 4 and small.head_dim == 128
    assert set(mixtral.side_by_side()) >= {"untied", "tied", "no-embeddings", "active-untied"}


def test_memory_and_compute():
    assert weight_memory(2**30, 8, "GiB") == 1.0
    assert weight_memory(10**9, 4, "GB") == 0.5
    with pytest.raises(ValueError):
        weight_memory(1, 4, "MB")
    f = training_flops(1e9, 1e12)
    assert f == 6e21
    assert implied_utilization(f, 1, f / 86400, 1) == pytest.approx(1.0)


# ------------------------------------------------------------------------------ statistics
def test_threshold_test_matches_scipy_and_interval():
    t = threshold_test(1075, 1319, 0.8)
    assert t.p_value == pytest.approx(stats.binomtest(1075, 1319, 0.8, alternative="greater").pvalue)
    lo, hi = clopper_pearson(1075, 1319)
    assert lo < 0.8 < hi and not t.significant
    assert (t.one_sided_bound > 0.8) == t.significant
    assert count_from_percent(81.5, 1319) == 1075


def test_paired_outperforms_brackets_and_matches_binomtest():
    t = paired_outperforms(1075, 1021, 1319)
    assert t.p_best <= t.p_independent <= t.p_worst
    b = (t.discordant_worst + 54) // 2
    assert t.p_worst == pytest.approx(stats.binomtest(b, t.discordant_worst, 0.5, alternative="greater").pvalue)
    assert paired_outperforms(100, 100, 200).p_worst > 0.5
    lo, hi = frechet_bounds(0.8, 0.7)
    assert lo == pytest.approx(0.5) and hi == pytest.approx(0.7)


def test_tost_sides():
    t = paired_tost(0.69, 0.70, 14042, 0.03)
    assert t.noninferior and t.equivalent
    t = paired_tost(0.60, 0.70, 14042, 0.03)
    assert not t.noninferior
    assert t.smallest_margin > 0.10
    far_better = paired_tost(0.80, 0.70, 1000, 0.03)
    assert far_better.noninferior and not far_better.equivalent


def test_mean_sweep_monotone_and_breakeven():
    sds = np.linspace(0.5, 3.0, 11)
    p = mean_difference_sweep(8.70, 8.38, 160, 160, sds)
    assert np.all(np.diff(p) > 0)
    sd = breakeven_sd(8.70, 8.38, 160, 160)
    assert mean_difference_sweep(8.70, 8.38, 160, 160, np.array([sd]))[0] == pytest.approx(0.05, abs=1e-6)
    assert bhatia_davis_sd(5.5, 1, 10) == pytest.approx(4.5)


# ---------------------------------------------------------------------- verifier selection
def test_beta_fit_reproduces_pass_at_k():
    fit = fit_beta(0.682, 0.94, 32)
    assert float(fit.pass_at(1)) == pytest.approx(0.682)
    assert float(fit.pass_at(32)) == pytest.approx(0.94, abs=1e-9)
    assert 0.94 < float(fit.pass_at(48)) < 1
    with pytest.raises(ValueError):
        fit_beta(0.5, 0.4, 32)  # pass@k below pass@1: no population fits
    # the closed form against Monte Carlo
    rng = np.random.default_rng(0)
    p = rng.beta(fit.a, fit.b, 200_000)
    assert np.mean(1 - (1 - p) ** 8) == pytest.approx(float(pass_at_k_beta(fit.a, fit.b, 8)), abs=5e-3)


def test_selection_bounded_by_pass_at_k_and_increasing():
    fit = fit_beta(0.6, 0.9, 16)
    run = simulate_selection(fit, 16, np.array([0.0, 1.0, 3.0, 20.0]), 500, np.random.default_rng(1), replicates=2)
    assert run.bound_violations == 0
    assert np.all(run.accuracy <= run.passk + 1e-12)
    assert run.accuracy[0] == pytest.approx(run.pass1, abs=0.04)  # an uninformative verifier picks at random
    assert run.accuracy[-1] == pytest.approx(run.passk)  # a perfect one achieves pass@k
    assert np.all(np.diff(run.accuracy) > -0.01)
    assert required_dprime(run, run.passk + 0.01) is None
    same = simulate_selection(fit, 16, np.array([1.0]), 100, np.random.default_rng(5))
    again = simulate_selection(fit, 16, np.array([1.0]), 100, np.random.default_rng(5))
    assert same.accuracy[0] == again.accuracy[0]  # same seed, same result


def test_data_files_name_source_and_version():
    """Every group of reported numbers says where it was read (source id) and which version."""
    for name in ("phi-3", "tinygsm"):
        d = _data(name)
        assert d["paper"] == name and d["sources"]
        groups = [v for k, v in d.items() if isinstance(v, dict) and k != "sources"]
        stack = list(groups)
        while stack:
            g = stack.pop()
            if "source" in g:
                assert "version" in g or g.get("source") in d["sources"], g
            else:
                nested = [v for v in g.values() if isinstance(v, dict)]
                assert nested, g
                stack.extend(nested)


def test_pairings_and_paired_mean_test():
    assert both_right(0.7, 0.6, "worst") == pytest.approx(0.3)
    assert both_right(0.7, 0.6, "independent") == pytest.approx(0.42)
    assert both_right(0.7, 0.6, 0.2) == pytest.approx(0.55)  # 20% of items: exactly one right
    with pytest.raises(ValueError):
        both_right(0.7, 0.6, 0.05)  # fewer disagreements than the accuracy gap: impossible
    p = {pr: paired_tost(0.688, 0.714, 14042, 0.0345, pairing=pr).p_lower for pr in ("worst", "independent", 0.2)}
    assert p[0.2] < p["independent"] < p["worst"]  # the worst case is least favourable
    assert p["independent"] == pytest.approx(0.0597, abs=2e-3) and p["worst"] == pytest.approx(0.096, abs=2e-3)
    # paired t on summary statistics: breakeven SD (the review's 1.73/2.07/2.45/3.16 for 8.70 vs 8.38)
    for rho, want in ((0.0, 1.73), (0.3, 2.07), (0.5, 2.45), (0.7, 3.16)):
        sd = paired_breakeven_sd(8.70, 8.38, 160, rho)
        assert sd == pytest.approx(want, abs=0.01)
        assert paired_mean_p(8.70, 8.38, 160, np.array([sd]), rho)[0] == pytest.approx(0.05, abs=1e-9)
    assert paired_breakeven_sd(8.0, 8.1, 160, 0.5) == 0.0


def test_pass_at_k_bounds_contain_every_population():
    lo, hi = pass_at_k_bounds(48, 0.682, 0.94)
    assert lo == pytest.approx(0.94) and hi == pytest.approx(1 - 0.06 ** 1.5)
    assert pass_at_k_bounds(1, 0.682, 0.94) == pytest.approx((0.682, 0.682))
    rng = np.random.default_rng(3)
    for a, b in ((0.3, 0.2), (2.0, 1.0), (0.5, 0.5)):
        p = rng.beta(a, b, 100_000)
        p1, p32 = p.mean(), np.mean(1 - (1 - p) ** 32)
        for k in (8, 48, 100):
            lo, hi = pass_at_k_bounds(k, p1, p32)
            assert lo - 1e-9 <= np.mean(1 - (1 - p) ** k) <= hi + 1e-9
    # all-or-nothing questions (p in {0, 1}) have pass@k = pass@1 for every k: the lower end is attained
    assert pass_at_k_bounds(48, 0.5, 0.5)[0] == pytest.approx(0.5)


# ------------------------------------------------------------------- repairs of the findings
def _status(claim, **constants) -> str:
    """The verdict of ``claim`` with some constants replaced (and no finding: a repair is a
    new claim about repaired numbers)."""
    c = dataclasses.replace(claim, constants={**claim.constants, **constants}, finding="")
    rec = evaluate(c, get_profile("quick"), 0)
    assert rec["status"] != "error", rec["message"]
    return rec["status"]


def test_findings_are_violated_as_published():
    for claim in (phi_3.average_row_claim, phi_3.abstract_mmlu_matches_table, phi_3.mixtral_total_parameters,
                  tinygsm.table2_pretrained_matches_table1, tinygsm.generator_scaling_boost_six,
                  tinygsm.smallest_above_80):
        assert claim.finding and _status(claim) == "violated", claim.id


def test_mixtral_repaired_to_47b_holds():
    assert _status(phi_3.mixtral_total_parameters, stated="47") == "holds"  # Mistral's own 46.7 → 47


def test_abstract_mmlu_repaired_with_v1_small_holds():
    assert _status(phi_3.abstract_mmlu_matches_table, perturb=phi_3.ABSTRACT_MMLU_REPAIR) == "holds"  # 75.3 → 75


def test_average_row_repairs():
    # GPT-3.5's TruthfulQA at 66.28 (instead of 85.8, a repeat of its TriviaQA cell) repairs that column
    cols = phi_3._columns([("TruthfulQA", "gpt-3.5-1106", -19.52)])
    rep = dict(zip(phi_3.data()["benchmarks"]["columns"], phi_3.data()["benchmarks"]["average"]))
    checks = {c.column: c for c in average_row(cols, rep, "truncate")}
    assert checks["gpt-3.5-1106"].margin <= 1 and checks["phi-3-medium"].margin > 1
    # with one phi-3-medium cell repaired as well, the whole row agrees: a list of perturbations
    assert _status(phi_3.average_row_claim, perturb=phi_3.AVERAGE_REPAIR) == "holds"
    assert _status(phi_3.average_row_claim, perturb=phi_3.AVERAGE_REPAIR[:1]) == "violated"


def test_table2_repaired_125m_cell_holds():
    assert _status(tinygsm.table2_pretrained_matches_table1, perturb=(0, 0.2)) == "holds"  # Table 1 at 63.3


def test_generator_boost_repaired_to_five_holds():
    assert _status(tinygsm.generator_scaling_boost_six, stated="5") == "holds"


def test_smallest_above_80_repaired_to_14b_holds():
    assert _status(tinygsm.smallest_above_80, stated=14.0, conventions=("total",)) == "holds"
    assert _status(tinygsm.smallest_above_80, stated=14.0) == "inconclusive"  # 7B by the generator alone


def test_above_80_and_readings():
    assert _status(tinygsm.above_80_percent) == "holds"
    assert _status(tinygsm.above_80_percent, threshold=0.79) == "holds"
    assert _status(tinygsm.above_80_percent, threshold=0.85) == "violated"
    # verdicts that hinge on our readings are inconclusive, and decided once the reading is fixed
    assert _status(phi_3.phone_memory_4bit) == "inconclusive"
    assert _status(phi_3.phone_memory_4bit, units=("GiB",)) == "holds"
    assert _status(phi_3.phone_memory_4bit, units=("GB",)) == "violated"
    assert _status(tinygsm.orders_of_magnitude_larger) == "inconclusive"
    assert _status(tinygsm.orders_of_magnitude_larger, conventions=("generator",)) == "holds"
    assert _status(phi_3.small_more_capable_mt_bench) == "inconclusive"
    assert _status(phi_3.small_more_capable_mt_bench, rhos=(0.7,)) == "holds"
    assert _status(phi_3.rivals_gpt35_mmlu) == "inconclusive"
    assert _status(phi_3.rivals_gpt35_mmlu, margin_fractions=(0.6,)) == "holds"
