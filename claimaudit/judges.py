"""Turning a claim's observations into a verdict, one judge per kind (see ARCHITECTURE.md)."""

from __future__ import annotations

import dataclasses
import inspect
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats

from claimaudit.model import Claim, Figure, Observation, Sample, SymbolicProblem, Trials
from claimaudit.profiles import Context, by_profile


class NonFiniteObservation(ArithmeticError):
    """A predicate produced NaN or inf: the claim errors with the instance in the message."""


@dataclass
class Verdict:
    status: str
    evidence: str
    examples: int
    worst_margin: float | None
    message: str
    counterexample: Any = None
    replay: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)


def jsonable(value: Any) -> Any:
    """Best-effort conversion of an instance or detail to JSON-able data (no NaN/inf)."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist()) if value.size <= 400 else f"<array shape={value.shape}>"
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return v if math.isfinite(v) else repr(v)
    if value is None or isinstance(value, str):
        return value
    return repr(value)


def finite_or_none(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(float(x)) else float(x)


def _checked(obs: Any, claim: Claim, instance: Any = None) -> Observation:
    if not isinstance(obs, Observation):
        raise TypeError(f"{claim.id}: the predicate returned {type(obs).__name__}, not an Observation")
    if not obs.finite:
        where = jsonable(obs.instance if obs.instance is not None else instance)
        raise NonFiniteObservation(
            f"{claim.id}: predicate gave a non-finite value (observed={obs.observed}, "
            f"claimed={obs.claimed}, margin={obs.margin}) on instance {where}"
        )
    return obs


def _obs_record(obs: Observation) -> dict[str, Any]:
    return {
        "observed": float(obs.observed),
        "claimed": float(obs.claimed),
        "margin": float(obs.margin),
        "instance": jsonable(obs.instance),
        "details": jsonable(obs.details),
        "note": obs.note,
    }


# --------------------------------------------------------------------------------------- bound
class _Violation(Exception):
    def __init__(self, obs: Observation, instance: Any) -> None:
        super().__init__(f"margin {obs.margin:.6g} > 1")
        self.obs = obs
        self.instance = instance


def _accepts(fn: Any, name: str) -> bool:
    try:
        return name in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


_BLOB_RE = re.compile(r"@reproduce_failure\((['\"][^'\"]+['\"]),\s*(b['\"][^)]*['\"])\)")


def judge_bound(claim: Claim, ctx: Context) -> Verdict:
    import hypothesis
    from hypothesis import HealthCheck, given, settings, target

    strategy = claim.options["strategy"]
    if not isinstance(strategy, hypothesis.strategies.SearchStrategy):
        strategy = strategy(claim.constants)
    max_examples = by_profile(claim.options.get("max_examples"), ctx.profile) or ctx.profile.max_examples
    recheck = claim.options.get("recheck")
    # margins at or above recheck_below are beyond float64 rounding for this computation (the
    # claim argues why); below it a suspected violation is replayed at higher precision
    recheck_below = claim.options.get("recheck_below") or math.inf
    state: dict[str, Any] = {"n": 0, "worst": None, "artifacts": [], "rechecked": False}

    @settings(
        max_examples=int(max_examples),
        database=None,
        deadline=None,
        print_blob=True,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.seed(ctx.seed)
    @given(strategy)
    def search(instance: Any) -> None:
        obs = _checked(claim.func(instance, **claim.constants), claim, instance)
        state["n"] += 1
        target(min(float(obs.margin), 1e12), label="margin")
        if obs.margin > 1 and recheck is not None and obs.margin < recheck_below:
            kw = {"observation": obs} if _accepts(recheck, "observation") else {}
            precise = _checked(recheck(instance, **claim.constants, **kw), claim, instance)
            if precise.margin <= 1:
                # float64 said violated, higher precision says it holds: not a violation.
                state["artifacts"].append(_obs_record(obs))
            obs = precise
            state["rechecked"] = True
        else:
            state["rechecked"] = False
        if state["worst"] is None or obs.margin > state["worst"].margin:
            state["worst"] = obs
        if obs.margin > 1:
            raise _Violation(obs, instance)

    worst: Observation | None
    try:
        search()
    except _Violation as v:
        worst = state["worst"]
        blob = None
        for note in getattr(v, "__notes__", []) or []:
            m = _BLOB_RE.search(note)
            if m:
                blob = f"@reproduce_failure({m.group(1)}, {m.group(2)})"
        cex = jsonable(v.obs.instance if v.obs.instance is not None else v.instance)
        msg = (
            f"counterexample (shrunk): observed {v.obs.observed:.6g} > claimed {v.obs.claimed:.6g} "
            f"(margin {v.obs.margin:.4g}); worst margin seen {max(worst.margin, v.obs.margin):.4g} "
            f"in {state['n']} instances"
            + ("; confirmed at higher precision" if state["rechecked"] else
               (f"; margin >= {recheck_below:.12g} is beyond float64 rounding, not re-checked"
                if recheck is not None else ""))
            + (f". {v.obs.note}" if v.obs.note else "")
        )
        return Verdict(
            "violated", "refuted", state["n"], max(worst.margin, v.obs.margin), msg,
            counterexample={"instance": cex, **_obs_record(v.obs)},
            replay={"hypothesis_blob": blob},
            figures=list(v.obs.figures),
        )
    worst = state["worst"]
    if worst is None:
        return Verdict("inconclusive", "no-counterexample", 0, None,
                       "the strategy produced no instance")
    extra: dict[str, Any] = {"worst_instance": _obs_record(worst)}
    msg = (f"no counterexample in {state['n']} instances; worst margin {worst.margin:.4g} "
           f"(observed {worst.observed:.6g} vs claimed {worst.claimed:.6g})")
    if state["artifacts"]:
        extra["float64_artifacts"] = state["artifacts"][:5]
        msg += (f"; {len(state['artifacts'])} float64 violation(s) vanished when re-checked at "
                f"higher precision")
    if worst.note:
        msg += f". {worst.note}"
    return Verdict("holds", "no-counterexample", state["n"], worst.margin, msg, extra=extra,
                   figures=list(worst.figures))


# ---------------------------------------------------------------------------------------- rate
def fit_exponent(x: np.ndarray, y: np.ndarray, confidence: float = 0.95) -> dict[str, float]:
    """Least-squares slope of log y on log x with a t-interval (scipy.stats.linregress)."""
    lx, ly = np.log(x), np.log(y)
    res = stats.linregress(lx, ly)
    dof = len(x) - 2
    if dof < 1 or not math.isfinite(res.stderr):
        raise ValueError("a rate fit needs at least three points at two or more distinct x")
    half = stats.t.ppf(0.5 + confidence / 2, dof) * res.stderr
    return {"slope": float(res.slope), "intercept": float(res.intercept),
            "ci_low": float(res.slope - half), "ci_high": float(res.slope + half),
            "stderr": float(res.stderr), "r2": float(res.rvalue**2), "confidence": confidence,
            "n_points": int(len(x))}


def judge_rate(claim: Claim, ctx: Context) -> Verdict:
    opts = claim.options
    sweep = [float(v) for v in by_profile(opts["sweep"], ctx.profile)]
    x_of = opts.get("x_of") or (lambda v: v)
    xs = [float(x_of(v)) for v in sweep]
    p = float(claim.constants[opts["exponent"]])
    px, py, pi, extras = [], [], [], []
    for i, (v, x) in enumerate(zip(sweep, xs)):
        out = claim.func(v, ctx, **claim.constants)
        xr = None
        if isinstance(out, Sample):  # per-replicate x (say κ(X₀) of each run)
            extras.append(jsonable(out.details))
            out, xr = out.y, out.x
        elif isinstance(out, Observation):  # a measure may return details with its value
            extras.append(jsonable(out.details))
            out = out.observed
        ys = np.atleast_1d(np.asarray(out, dtype=float))
        xv = np.full(ys.shape, x) if xr is None else np.atleast_1d(np.asarray(xr, dtype=float))
        if xv.shape != ys.shape:
            raise ValueError(f"{claim.id}: Sample at {v:g} has {xv.size} x values for {ys.size} y values")
        for name, arr in (("measurement", ys), ("x", xv)):
            if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
                raise NonFiniteObservation(
                    f"{claim.id}: {name} at {opts['x_label']}={x:g} gave {arr.tolist()} "
                    "(need finite positive values to fit an exponent)")
        px += xv.tolist()
        py += ys.tolist()
        pi += [i] * ys.size
    x, y, idx = np.array(px), np.array(py), np.array(pi)
    if len(set(px)) < 2:
        raise ValueError(f"{claim.id}: the sweep needs at least two distinct x values")
    fit = fit_exponent(x, y, opts["confidence"])
    span = math.log(x.max() / x.min())
    direction = opts["direction"]
    lo, hi = fit["ci_low"], fit["ci_high"]
    # margin: growth of the implied constant y/x^p over the sweep, at the end of the interval
    # most favourable to the claim; > 1 exactly when the interval excludes the claim.
    up, down = math.exp((lo - p) * span), math.exp((p - hi) * span)
    margin = {"upper": up, "lower": down, "tight": max(up, down)}[direction]
    violated = margin > 1
    # implied constant y/x^p: its median at each sweep point, and how much it moves
    implied = [float(np.median(y[idx == i] / x[idx == i] ** p)) for i in sorted(set(pi))]
    fit.update({
        "claimed_exponent": p, "direction": direction, "x_label": opts["x_label"],
        "y_label": opts["y_label"], "points": [[float(a), float(b)] for a, b in zip(x, y)],
        "implied_constant": {"min": min(implied), "max": max(implied),
                             "ratio": max(implied) / min(implied)},
    })
    if extras:
        fit["measurement_details"] = extras
    rel = {"upper": "<=", "lower": ">=", "tight": "=="}[direction]
    msg = (f"fitted exponent {fit['slope']:.3f} [{lo:.3f}, {hi:.3f}] ({int(100 * fit['confidence'])}% CI, "
           f"{fit['n_points']} points) vs claimed {rel} {p:g}; implied constant "
           f"{min(implied):.3g}..{max(implied):.3g} (ratio {max(implied) / min(implied):.3g})")
    grid = np.geomspace(x.min(), x.max(), 50)
    anchor = math.exp(fit["intercept"] + fit["slope"] * math.log(x.min()))  # both lines start together
    fig = Figure(
        title=f"{claim.id}: {opts['y_label']} against {opts['x_label']}",
        xlabel=opts["x_label"], ylabel=opts["y_label"], logx=True, logy=True,
        series=[
            {"label": "measured", "x": x.tolist(), "y": y.tolist(), "style": "points"},
            {"label": f"fit: slope {fit['slope']:.2f}", "x": grid.tolist(),
             "y": np.exp(fit["intercept"] + fit["slope"] * np.log(grid)).tolist(), "style": "line"},
            {"label": f"claimed: slope {p:g}", "x": grid.tolist(),
             "y": (anchor * (grid / x.min()) ** p).tolist(), "style": "dashed"},
        ],
    )
    cex = None
    if violated:
        cex = {"fit": {k: fit[k] for k in ("slope", "ci_low", "ci_high")}, "claimed_exponent": p}
    return Verdict("violated" if violated else "holds", "statistical", len(x), margin, msg,
                   counterexample=cex, extra={"fit": fit}, figures=[fig])


# --------------------------------------------------------------------------------- probability
def judge_probability(claim: Claim, ctx: Context) -> Verdict:
    opts = claim.options
    n = int(by_profile(opts.get("trials"), ctx.profile) or ctx.profile.trials)
    out = claim.func(n, ctx, **claim.constants)
    trials = out if isinstance(out, Trials) else Trials(successes=out)
    succ = np.asarray(trials.successes, dtype=bool)
    n = int(succ.size)
    if n == 0:
        return Verdict("inconclusive", "statistical", 0, None, "no trials were run")
    failures = int(n - succ.sum())
    delta = float(claim.constants[opts["delta"]])
    if not 0 < delta < 1:
        raise ValueError(f"{claim.id}: delta must be in (0, 1), got {delta}")
    alpha = float(opts["alpha"])
    test = stats.binomtest(failures, n, delta, alternative="greater")
    ci = stats.binomtest(failures, n).proportion_ci(confidence_level=0.95, method="exact")
    # one-sided exact (Clopper-Pearson) lower bound: > delta exactly when p-value < alpha
    lower = 0.0 if failures == 0 else float(stats.beta.ppf(alpha, failures, n - failures + 1))
    margin = lower / delta
    violated = test.pvalue < alpha
    record = {"test": "exact binomial test (scipy.stats.binomtest), one-sided, H1: failure rate > delta",
              "n": n, "failures": failures, "delta": delta, "alpha": alpha,
              "p_value": float(test.pvalue), "failure_rate": failures / n,
              "ci95_failure_rate": [float(ci.low), float(ci.high)],
              "details": jsonable(trials.details)}
    msg = (f"{failures}/{n} failures (rate {failures / n:.3g}, 95% CI [{ci.low:.3g}, {ci.high:.3g}]) "
           f"vs claimed failure probability <= {delta:g}: exact binomial p = {test.pvalue:.3g} "
           f"(alpha {alpha:g})")
    cex = None
    if violated:  # the failing draws replay from the claim seed; a claim may name one of them
        cex = {"failures": failures, "n": n, "claim_seed": ctx.seed,
               "example": jsonable(trials.failure_example)}
    return Verdict("violated" if violated else "holds", "statistical", n, margin, msg,
                   counterexample=cex, extra={"test": record}, figures=list(trials.figures))


# ------------------------------------------------------------------------------------ symbolic
def _z3_value(v: Any) -> Any:
    import z3

    if z3.is_rational_value(v):
        return {"exact": str(v), "approx": float(v.numerator_as_long()) / float(v.denominator_as_long())}
    if z3.is_algebraic_value(v):
        return {"exact": str(v), "approx": float(v.approx(20).as_fraction())}
    if z3.is_int_value(v):
        return v.as_long()
    return str(v)


def judge_symbolic(claim: Claim, ctx: Context) -> Verdict:
    import z3

    problem = claim.func(**claim.constants)
    if not isinstance(problem, SymbolicProblem):
        raise TypeError(f"{claim.id}: a symbolic claim must return a SymbolicProblem")
    solver = z3.Solver()
    solver.set("timeout", int(ctx.profile.symbolic_timeout_ms))
    solver.set("random_seed", ctx.seed % (2**31))
    solver.add(*problem.assumptions)
    solver.add(z3.Not(problem.goal))
    answer = solver.check()
    proof = {"solver": f"z3 {z3.get_version_string()}", "query": "assumptions and not(goal)",
             "answer": str(answer), "reduction": problem.reduction,
             "goal": str(problem.goal), "assumptions": [str(a) for a in problem.assumptions]}
    if answer == z3.unsat:
        return Verdict("holds", "proved", 1, None,
                       "proved by z3: assumptions together with the negated goal are unsatisfiable"
                       + (f" ({problem.reduction})" if problem.reduction else ""),
                       extra={"proof": proof})
    if answer == z3.sat:
        model = solver.model()
        cex = {str(d.name()): _z3_value(model[d]) for d in model.decls()}
        return Verdict("violated", "refuted", 1, None,
                       f"z3 found a counterexample to the goal: {cex}",
                       counterexample=cex, extra={"proof": proof})
    return Verdict("inconclusive", "no-counterexample", 0, None,
                   f"z3 answered unknown ({solver.reason_unknown()})", extra={"proof": proof})


# --------------------------------------------------------------------------------- consistency
def judge_consistency(claim: Claim, ctx: Context) -> Verdict:
    out = claim.func(ctx, **claim.constants)
    observations = [out] if isinstance(out, Observation) else list(out)
    if not observations:
        raise ValueError(f"{claim.id}: the check returned no observation")
    observations = [_checked(o, claim) for o in observations]
    if any(o.scenario is not None for o in observations):
        return _judge_scenarios(claim, observations)
    worst = max(observations, key=lambda o: o.margin)
    violated = worst.margin > 1
    bad = [o for o in observations if o.margin > 1]
    evidence = _consistency_evidence(bad if violated else observations, violated)
    head = bad[0] if bad else worst
    msg = (f"{head.note + ' ' if head.note else ''}(observed {head.observed:.6g} vs claimed "
           f"{head.claimed:.6g}, margin {head.margin:.4g})")
    if violated and len(bad) > 1:
        msg += f"; {len(bad)} of {len(observations)} checks disagree"
    elif not violated:
        msg = f"all {len(observations)} check(s) agree; closest: " + msg
    figures = [f for o in observations for f in o.figures]
    return Verdict("violated" if violated else "holds", evidence, len(observations), worst.margin,
                   msg, counterexample=_obs_record(head) if violated else None,
                   extra={"observations": [_obs_record(o) for o in observations]},
                   figures=figures)


def _consistency_evidence(observations: list[Observation], violated: bool) -> str:
    """Exact arithmetic on reported numbers proves or refutes; a statistical test is statistical;
    a simulation or a grid that finds no failure is only 'no-counterexample' (the check says so
    by setting evidence on its observations)."""
    kinds = {o.evidence for o in observations}
    if "statistical" in kinds:
        return "statistical"
    if violated:
        return "refuted"
    return "no-counterexample" if "no-counterexample" in kinds else "proved"


def _judge_scenarios(claim: Claim, observations: list[Observation]) -> Verdict:
    """Observations under alternative readings of what the paper leaves open (GB or GiB, a
    spread, a pairing): the claim is violated only if it fails under every plausible reading,
    holds only if it holds under every one, and is inconclusive otherwise, naming the readings."""
    if any(o.scenario is None for o in observations):
        raise ValueError(f"{claim.id}: either every observation names its scenario or none does")
    names = list(dict.fromkeys(o.scenario for o in observations))
    fails = {s: [o for o in observations if o.scenario == s and o.margin > 1] for s in names}
    failing = [s for s in names if fails[s]]
    worst = max(observations, key=lambda o: o.margin)
    records = [{**_obs_record(o), "scenario": o.scenario} for o in observations]
    extra = {"observations": records, "scenarios": {s: ("fails" if fails[s] else "holds") for s in names}}
    figures = [f for o in observations for f in o.figures]
    if not failing:
        best = min(observations, key=lambda o: -o.margin)
        return Verdict("holds", _consistency_evidence(observations, False), len(observations),
                       worst.margin, f"holds under all {len(names)} readings; closest: "
                       f"{best.note or ''} (margin {best.margin:.4g})", extra=extra, figures=figures)
    head = fails[failing[0]][0]
    if len(failing) == len(names):
        return Verdict("violated", _consistency_evidence(observations, True), len(observations),
                       worst.margin, f"fails under every reading ({', '.join(names)}): {head.note} "
                       f"(margin {head.margin:.4g})", counterexample=_obs_record(head),
                       extra=extra, figures=figures)
    holding = [s for s in names if not fails[s]]
    statistical = any(o.evidence == "statistical" for o in observations)
    return Verdict("inconclusive", "statistical" if statistical else "no-counterexample",
                   len(observations), worst.margin,
                   f"depends on what the paper leaves open: fails under {', '.join(failing)} "
                   f"({head.note}), holds under {', '.join(holding)}",
                   extra=extra, figures=figures)


JUDGES = {
    "bound": judge_bound,
    "rate": judge_rate,
    "probability": judge_probability,
    "symbolic": judge_symbolic,
    "consistency": judge_consistency,
}
