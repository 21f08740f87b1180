"""Running claims: one verdict per claim, each in its own process so that a claim that raises,
crashes or hangs cannot take the others (or the report) down with it."""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import time
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import wait
from typing import Any

import numpy as np

from claimaudit.judges import JUDGES, NonFiniteObservation, Verdict, finite_or_none, jsonable
from claimaudit.model import Claim
from claimaudit.profiles import Context, Profile, by_profile


def claim_seed(run_seed: int, key: str) -> int:
    """The seed of one claim: a stable hash of the run seed and the claim key (not Python's hash)."""
    digest = hashlib.sha256(f"{run_seed}:{key}".encode()).digest()
    return int.from_bytes(digest[:4], "little")


def budget_for(claim: Claim, profile: Profile) -> float:
    return float(by_profile(claim.options.get("budget_s"), profile) or profile.claim_budget_s)


def base_record(claim: Claim, profile: Profile, run_seed: int) -> dict[str, Any]:
    cs = claim_seed(run_seed, claim.key)
    rec: dict[str, Any] = {
        "id": claim.id,
        "paper": claim.paper,
        "reference": claim.reference,
        "statement": claim.statement,
        "kind": claim.kind,
        "fidelity": claim.fidelity,
        "constants": jsonable(dict(claim.constants)),
        "replay": {"seed": run_seed, "claim_seed": cs, "profile": profile.name,
                   "command": f"claimaudit audit --claim {claim.id} --seed {run_seed} "
                              f"--profile {profile.name}"},
    }
    if claim.mutant_name:
        rec["mutant"] = claim.mutant_name
        rec["replay"]["command"] = (f"claimaudit mutants --paper {claim.paper} --seed {run_seed} "
                                    f"--profile {profile.name}")
    return rec


def _finish(rec: dict[str, Any], v: Verdict, duration: float, claim: Claim) -> dict[str, Any]:
    rec.update({
        "status": v.status,
        "evidence": v.evidence,
        "examples": int(v.examples),
        "worst_margin": finite_or_none(v.worst_margin),
        "counterexample": jsonable(v.counterexample),
        "duration_s": round(duration, 4),
        "message": v.message,
    })
    if claim.fidelity == "reconstructed":
        why = claim.fidelity_note or claim.doc.split("\n\n")[0].replace("\n", " ")
        rec["message"] += f" [reconstructed: {why}]"
    if claim.finding:
        rec["finding"] = claim.finding
        if v.status == "violated":
            rec["message"] += f" [known finding: {claim.finding}]"
        elif v.status == "holds":
            rec["message"] += " [declared as a known finding, but it did not reproduce on this run]"
    rec["doc"] = claim.doc
    rec["replay"].update(jsonable(v.replay))
    rec.update(jsonable(v.extra))
    rec["figures"] = [f.to_json() for f in v.figures]
    return rec


def failed_record(claim: Claim, profile: Profile, run_seed: int, status: str, message: str,
                  duration: float) -> dict[str, Any]:
    rec = base_record(claim, profile, run_seed)
    return _finish(rec, Verdict(status, "no-counterexample", 0, None, message), duration, claim)


def evaluate(claim: Claim, profile: Profile, run_seed: int) -> dict[str, Any]:
    """Judge one claim in this process and return its report record (never raises)."""
    rec = base_record(claim, profile, run_seed)
    cs = rec["replay"]["claim_seed"]
    ctx = Context(profile=profile, seed=cs, rng=np.random.default_rng(cs))
    start = time.perf_counter()
    try:
        with np.errstate(all="ignore"):  # non-finite results are judged, not warned about
            v = JUDGES[claim.kind](claim, ctx)
    except NonFiniteObservation as exc:
        v = Verdict("error", "no-counterexample", 0, None, f"non-finite result: {exc}")
    except Exception as exc:
        tb = traceback.extract_tb(exc.__traceback__)
        where = f" at {tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno}" if tb else ""
        v = Verdict("error", "no-counterexample", 0, None,
                    f"the check raised {type(exc).__name__}: {exc}{where}")
    return _finish(rec, v, time.perf_counter() - start, claim)


def _child(conn: Any, claim: Claim, profile: Profile, run_seed: int) -> None:
    try:
        conn.send(evaluate(claim, profile, run_seed))
    except BaseException as exc:  # even a failure to send must not hang the parent
        conn.send({"__crash__": f"{type(exc).__name__}: {exc}"})
    finally:
        conn.close()


def run_claims(
    claims: Sequence[Claim],
    profile: Profile,
    run_seed: int,
    *,
    jobs: int = 1,
    isolate: bool = True,
    on_result: Callable[[dict[str, Any]], None] | None = None,
) -> list[dict[str, Any]]:
    """Judge every claim, at most ``jobs`` at a time, each within its time budget.

    A claim past its budget is killed and reported ``inconclusive``; one whose process dies is
    reported ``error``. Records come back in the order of ``claims``.
    """
    results: dict[int, dict[str, Any]] = {}

    def done(i: int, rec: dict[str, Any]) -> None:
        results[i] = rec
        if on_result:
            on_result(rec)

    if not isolate:
        for i, c in enumerate(claims):
            done(i, evaluate(c, profile, run_seed))
        return [results[i] for i in range(len(claims))]

    ctx = mp.get_context("fork")
    pending = list(enumerate(claims))
    active: dict[int, tuple[Any, Any, float, float]] = {}  # i -> (process, conn, start, deadline)
    while pending or active:
        while pending and len(active) < max(1, jobs):
            i, c = pending.pop(0)
            parent, child = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(child, c, profile, run_seed), daemon=True)
            proc.start()
            child.close()
            now = time.perf_counter()
            active[i] = (proc, parent, now, now + budget_for(c, profile))
        nearest = min(d for (_, _, _, d) in active.values())
        ready = wait([conn for (_, conn, _, _) in active.values()],
                     timeout=max(0.0, nearest - time.perf_counter()))
        now = time.perf_counter()
        for i, (proc, conn, start, deadline) in list(active.items()):
            c = claims[i]
            if conn in ready:
                try:
                    rec = conn.recv()
                except EOFError:
                    proc.join(5)
                    rec = failed_record(c, profile, run_seed, "error",
                                        f"the check's process died (exit code {proc.exitcode})",
                                        now - start)
                if "__crash__" in rec:
                    rec = failed_record(c, profile, run_seed, "error",
                                        f"the check's process failed: {rec['__crash__']}", now - start)
                proc.join(5)
                conn.close()
                del active[i]
                done(i, rec)
            elif now >= deadline:
                proc.kill()
                proc.join(5)
                conn.close()
                del active[i]
                done(i, failed_record(
                    c, profile, run_seed, "inconclusive",
                    f"no verdict: the check ran past its time budget of {budget_for(c, profile):g} s "
                    f"(profile {profile.name}) and was stopped", now - start))
    return [results[i] for i in range(len(claims))]


def _remote(key: str, profile_name: str, run_seed: int) -> dict[str, Any]:
    """Dask task: look the claim up by key on the worker and judge it in an isolated process."""
    from claimaudit.profiles import get_profile
    from claimaudit.registry import discover

    claim = discover().find(key)
    # Dask's worker processes are daemonic and may not fork: there the claim runs in-process.
    isolate = not mp.current_process().daemon
    return run_claims([claim], get_profile(profile_name), run_seed, jobs=1, isolate=isolate)[0]


def run_claims_dask(claims: Sequence[Claim], profile: Profile, run_seed: int,
                    address: str) -> list[dict[str, Any]]:
    """Send each claim to an existing Dask cluster; the records merge into one report."""
    try:
        from distributed import Client
    except ImportError as exc:  # the core install does not pull Dask in
        raise RuntimeError("--scheduler needs the 'distributed' extra: pip install 'claimaudit[distributed]'") from exc
    try:
        client = Client(address, timeout="10s")
    except OSError as exc:
        raise RuntimeError(f"cannot reach the Dask scheduler {address}: {exc}") from None
    with client:
        futures = client.map(_remote, [c.key for c in claims], profile_name=profile.name,
                             run_seed=run_seed, pure=False)
        return client.gather(futures)
