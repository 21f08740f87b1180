"""The command line: claimaudit list | audit | mutants (contract in ARCHITECTURE.md)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

from claimaudit.profiles import PROFILES, UnknownProfile, get_profile
from claimaudit.registry import Catalogue, discover
from claimaudit.report import build_mutants, build_report, now_iso, write_json, write_report
from claimaudit.runner import run_claims, run_claims_dask

EXIT_OK, EXIT_VIOLATED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="claimaudit", description="Audit the quantitative claims of papers.")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    ls = sub.add_parser("list", help="list the registered claims")
    ls.add_argument("--paper", action="append", default=[], metavar="SLUG")
    ls.add_argument("--json", action="store_true")
    for name in ("audit", "mutants"):
        a = sub.add_parser(name, help="check claims" if name == "audit" else "run every mutant")
        a.add_argument("--paper", action="append", default=[], metavar="SLUG")
        if name == "audit":
            a.add_argument("--claim", action="append", default=[], metavar="ID")
        a.add_argument("--profile", default="default", metavar="|".join(PROFILES))
        a.add_argument("--seed", type=int, default=0)
        a.add_argument("--out", default="claimaudit-report", metavar="DIR")
        a.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                       help="claims run in N local processes (default: the number of cores)")
        a.add_argument("--scheduler", default=None, metavar="ADDRESS")
        a.add_argument("--quiet", action="store_true", help="no progress lines")
    return p


def _progress(quiet: bool) -> Any:
    def show(rec: dict[str, Any]) -> None:
        if not quiet:
            tag = f"{rec['id']}" + (f" [{rec['mutant']}]" if rec.get("mutant") else "")
            print(f"{rec['status']:>12}  {tag}  ({rec['duration_s']:.1f} s)", file=sys.stderr, flush=True)
    return show


def _run(args: argparse.Namespace, claims: list[Any]) -> list[dict[str, Any]]:
    profile = get_profile(args.profile)
    if args.scheduler:
        return run_claims_dask(claims, profile, args.seed, args.scheduler)
    return run_claims(claims, profile, args.seed, jobs=args.jobs, on_result=_progress(args.quiet))


def cmd_list(args: argparse.Namespace, cat: Catalogue) -> int:
    claims = cat.select(args.paper)
    rows = [{"id": c.id, "kind": c.kind, "reference": c.reference, "fidelity": c.fidelity,
             "paper": c.paper, "statement": c.statement, "mutants": [m.name for m in c.mutants]}
            for c in claims]
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        for r in rows:
            print(f"{r['id']}\t{r['kind']}\t{r['reference']}")
    return EXIT_OK


def cmd_audit(args: argparse.Namespace, cat: Catalogue) -> int:
    claims = cat.select(args.paper, args.claim)
    started, t0 = now_iso(), time.perf_counter()
    records = _run(args, claims)
    report = build_report(records, seed=args.seed, profile=args.profile, started=started,
                          duration_s=time.perf_counter() - t0, registered=len(cat.claims),
                          selected=len(claims), discovery_errors=cat.errors)
    out = Path(args.out)
    write_report(report, out)
    s = report["summary"]
    print(f"{s['selected']} selected, {s['run']} run, {s['skipped']} skipped: {s['holds']} hold, "
          f"{s['violated']} violated, {s['inconclusive']} inconclusive, {s['error']} errored "
          f"-> {out / 'report.json'}")
    for r in records:
        if r["status"] == "violated" and r.get("finding"):
            print(f"  FINDING: {r['id']}: {r['finding']}")
        elif r["status"] in ("violated", "error"):
            print(f"  {r['status'].upper()}: {r['id']}: {r['message']}")
    if s["error"] or cat.errors:
        return EXIT_USAGE
    return EXIT_VIOLATED if s["violated"] else EXIT_OK


def cmd_mutants(args: argparse.Namespace, cat: Catalogue) -> int:
    claims = cat.select(args.paper)
    mutants = [m for c in claims for m in c.mutant_claims()]
    desc = {(c.id, m.name): m.description for c in claims for m in c.mutants}
    records = _run(args, mutants)
    doc = build_mutants(records, seed=args.seed, profile=args.profile, descriptions=desc)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_json(doc, out / "mutants.json")
    s = doc["summary"]
    print(f"{s['run']} mutants of {len(claims)} claims: {s['killed']} killed, {s['surviving']} "
          f"surviving -> {out / 'mutants.json'}")
    for e in doc["mutants"]:
        if not e["killed"]:
            print(f"  SURVIVED: {e['claim']} [{e['mutant']}] ({e['status']}): {e['message']}")
    unencoded = [c.id for c in claims if not c.mutants]
    if unencoded:
        print(f"  claims without any mutant: {', '.join(unencoded)}")
    return EXIT_OK if s["surviving"] == 0 and s["run"] > 0 else EXIT_VIOLATED


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        if args.command is None:
            raise UsageError("a command is required: list, audit or mutants")
        if getattr(args, "profile", None) is not None:
            get_profile(args.profile)
        if getattr(args, "jobs", 1) < 1:
            raise UsageError(f"--jobs must be at least 1, got {args.jobs}")
        cat = discover()
        for err in cat.errors:
            print(f"claimaudit: discovery error: {err}", file=sys.stderr)
        return {"list": cmd_list, "audit": cmd_audit, "mutants": cmd_mutants}[args.command](args, cat)
    except (UsageError, UnknownProfile) as exc:
        print(f"claimaudit: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyError as exc:  # unknown slug or id from Catalogue.select
        print(f"claimaudit: error: {exc.args[0]}", file=sys.stderr)
        return EXIT_USAGE
    except RuntimeError as exc:
        print(f"claimaudit: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
