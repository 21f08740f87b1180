"""Discovery: every module of the ``theorems`` package is imported and its Claim objects collected."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from dataclasses import dataclass, field

from claimaudit.model import Claim


class DiscoveryError(Exception):
    """Claims could not be discovered: a module failed to import, an id is used twice, ..."""


@dataclass
class Catalogue:
    claims: dict[str, Claim] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def papers(self) -> list[str]:
        return sorted({c.paper for c in self.claims.values()})

    def select(self, papers: Iterable[str] = (), ids: Iterable[str] = ()) -> list[Claim]:
        papers, ids = list(papers), list(ids)
        for slug in papers:
            if slug not in self.papers:
                raise KeyError(f"unknown paper slug {slug!r} (known: {', '.join(self.papers)})")
        for cid in ids:
            if cid not in self.claims:
                raise KeyError(f"unknown claim id {cid!r} (see 'claimaudit list')")
        chosen = [
            c for c in self.claims.values()
            if (not papers and not ids) or c.paper in papers or c.id in ids
        ]
        return sorted(chosen, key=lambda c: c.id)

    def find(self, key: str) -> Claim:
        """A claim or mutant by key ('<id>' or '<id>#<mutant>')."""
        cid, _, mutant = key.partition("#")
        claim = self.claims[cid]
        if not mutant:
            return claim
        for m in claim.mutant_claims():
            if m.mutant_name == mutant:
                return m
        raise KeyError(f"claim {cid!r} has no mutant {mutant!r}")


def claims_in_module(module: object) -> list[Claim]:
    seen: dict[int, Claim] = {}
    for value in vars(module).values():
        if isinstance(value, Claim) and value.mutant_name is None:
            seen[id(value)] = value
    return list(seen.values())


def discover(package: str = "theorems", *, strict: bool = False) -> Catalogue:
    """Import every module of ``package`` and collect its claims.

    A module that fails to import, or an id claimed twice, is recorded in ``errors`` with a
    message naming it (or raised as DiscoveryError with ``strict``); the other claims survive.
    """
    cat = Catalogue()
    origin: dict[str, str] = {}
    try:
        pkg = importlib.import_module(package)
    except ImportError as exc:
        raise DiscoveryError(f"cannot import the claims package {package!r}: {exc}") from None
    for info in sorted(pkgutil.iter_modules(pkg.__path__, prefix=f"{package}."), key=lambda i: i.name):
        if info.name.rsplit(".", 1)[-1].startswith("_"):
            continue
        try:
            module = importlib.import_module(info.name)
        except Exception as exc:  # a malformed claim raises at definition: name the module
            cat.errors.append(f"{info.name}: {type(exc).__name__}: {exc}")
            continue
        for claim in claims_in_module(module):
            if claim.id in cat.claims:
                cat.errors.append(
                    f"duplicate claim id {claim.id!r}: defined in {origin[claim.id]} and {info.name}")
                continue
            cat.claims[claim.id] = claim
            origin[claim.id] = info.name
    if strict and cat.errors:
        raise DiscoveryError("; ".join(cat.errors))
    return cat
