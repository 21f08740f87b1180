"""pytest plugin: every registered claim is one test item named ``theorem[<claim id>]``.

``pytest -k theorem`` runs all claims, ``pytest -k "theorem and tinygsm"`` one paper. A violated
claim fails with its counterexample; an inconclusive one is skipped with the reason.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from claimaudit.profiles import PROFILES, get_profile

_RECORDS = pytest.StashKey[list]()
_STARTED = pytest.StashKey[tuple]()


def register_hypothesis_profiles() -> None:
    from hypothesis import HealthCheck, settings

    for p in PROFILES.values():
        settings.register_profile(p.name, max_examples=p.max_examples, deadline=None,
                                  suppress_health_check=[HealthCheck.too_slow])


def pytest_addoption(parser: pytest.Parser) -> None:
    g = parser.getgroup("claimaudit")
    g.addoption("--claimaudit-profile", default="quick", choices=list(PROFILES),
                help="profile for the theorem items (default: quick)")
    g.addoption("--claimaudit-seed", type=int, default=0, help="run seed (default 0)")
    g.addoption("--claimaudit-report", default=None, metavar="DIR",
                help="write report.json/md/html of the theorem items to DIR")
    g.addoption("--claimaudit-package", default="theorems", metavar="PACKAGE",
                help="package whose modules hold the claims (default: theorems)")
    g.addoption("--claimaudit-claims", action="store_true",
                help="collect the theorem items even when test paths are given explicitly")


def pytest_configure(config: pytest.Config) -> None:
    register_hypothesis_profiles()
    config.stash[_RECORDS] = []
    config.stash[_STARTED] = (time.perf_counter(), None)
    config.addinivalue_line("markers", "theorem: a registered claimaudit claim")


class ClaimFailed(Exception):
    pass


class ClaimItem(pytest.Item):
    def __init__(self, *, claim: Any, **kw: Any) -> None:
        super().__init__(**kw)
        self.claim = claim
        self.add_marker("theorem")
        if claim.finding:
            self.add_marker(pytest.mark.xfail(reason=f"known finding: {claim.finding}",
                                              raises=ClaimFailed, strict=True))

    def runtest(self) -> None:
        from claimaudit.runner import run_claims

        cfg = self.config
        profile = get_profile(cfg.getoption("claimaudit_profile"))
        rec = run_claims([self.claim], profile, cfg.getoption("claimaudit_seed"))[0]
        self.user_properties.append(("claimaudit_record", json.dumps(rec)))
        if rec["status"] == "violated":
            raise ClaimFailed(
                f"{rec['id']} ({rec['reference']}) is violated: {rec['message']}\n"
                f"counterexample: {json.dumps(rec['counterexample'])[:3000]}\n"
                f"replay: {rec['replay'].get('command')} {rec['replay'].get('hypothesis_blob') or ''}")
        if rec["status"] == "error":
            raise ClaimFailed(f"{rec['id']} errored: {rec['message']}")
        if rec["status"] == "inconclusive":
            pytest.skip(f"{rec['id']} inconclusive: {rec['message']}")

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, ClaimFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[str, int, str]:
        return self.claim.module or "theorems", 0, f"theorem[{self.claim.id}]"


class ClaimCollector(pytest.Collector):
    def collect(self) -> list[pytest.Item]:
        from claimaudit.registry import DiscoveryError, discover

        try:
            cat = discover(self.config.getoption("claimaudit_package"))
        except DiscoveryError as exc:
            raise pytest.Collector.CollectError(str(exc)) from None
        if cat.errors:
            raise pytest.Collector.CollectError("claim discovery failed: " + "; ".join(cat.errors))
        return [ClaimItem.from_parent(self, name=f"theorem[{c.id}]", claim=c)
                for c in sorted(cat.claims.values(), key=lambda c: c.id)]


def _wants_claims(config: pytest.Config) -> bool:
    if config.getoption("claimaudit_claims"):
        return True
    return config.args_source != pytest.Config.ArgsSource.ARGS


@pytest.hookimpl(tryfirst=True)  # before -k/-m deselection, so that those filter our items too
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config,
                                  items: list[pytest.Item]) -> None:
    if not _wants_claims(config):
        return
    collector = ClaimCollector.from_parent(session, name="claimaudit")
    try:
        items.extend(collector.collect())
    except pytest.Collector.CollectError as exc:
        raise pytest.UsageError(str(exc)) from None


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "call":
        return
    for key, value in report.user_properties:
        if key == "claimaudit_record":
            _CONFIG[0].stash[_RECORDS].append(json.loads(value)) if _CONFIG else None


_CONFIG: list[pytest.Config] = []


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    _CONFIG[:] = [session.config]


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    out = config.getoption("claimaudit_report")
    if not out or hasattr(config, "workerinput"):  # the xdist controller writes it once
        return
    from claimaudit.registry import discover
    from claimaudit.report import build_report, now_iso, write_report

    records = sorted(config.stash[_RECORDS], key=lambda r: r["id"])
    t0 = config.stash[_STARTED][0]
    report = build_report(records, seed=config.getoption("claimaudit_seed"),
                          profile=config.getoption("claimaudit_profile"), started=now_iso(),
                          duration_s=time.perf_counter() - t0,
                          registered=len(discover(config.getoption("claimaudit_package")).claims),
                          selected=len(records))
    write_report(report, Path(out))
