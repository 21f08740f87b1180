"""The claim model: what a claim declares, what its predicate returns, and its mutants.

A claim is declared with one of the decorators in :mod:`claimaudit.declare` (``bound``, ``rate``,
``probability``, ``symbolic``, ``consistency``). Everything here is plain data; the judging lives
in :mod:`claimaudit.judges` and the orchestration in :mod:`claimaudit.runner`.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

KINDS = ("bound", "rate", "probability", "symbolic", "consistency")
FIDELITIES = ("quoted", "reconstructed", "derived")
STATUSES = ("holds", "violated", "inconclusive", "error")
EVIDENCE = ("proved", "refuted", "statistical", "no-counterexample")

_WORDS = r"[a-z0-9]+(?:-[a-z0-9]+)*"
SLUG_RE = re.compile(rf"^{_WORDS}$")
ID_RE = re.compile(rf"^({_WORDS})/({_WORDS})$")


class ClaimDefinitionError(ValueError):
    """A claim (or mutant) is malformed: the message names the claim and the bad field."""


@dataclass(frozen=True)
class Figure:
    """Plot data a claim attaches to its verdict; the report renders it (never the claim)."""

    title: str
    series: Sequence[Mapping[str, Any]]  # each: {"label", "x", "y", optional "style": "line"|"points"|"dashed"}
    xlabel: str = ""
    ylabel: str = ""
    logx: bool = False
    logy: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "xlabel": self.xlabel,
            "ylabel": self.ylabel,
            "logx": self.logx,
            "logy": self.logy,
            "series": [
                {**s, "x": [float(v) for v in s["x"]], "y": [float(v) for v in s["y"]]}
                for s in self.series
            ],
        }


@dataclass(frozen=True)
class Observation:
    """One evaluation of a claim: observed value, claimed value and the margin between them.

    ``margin`` is observed/claimed for an upper bound (> 1 means the claim failed on this
    instance). Where the claimed value is zero or the claim is a lower bound, the predicate must
    give the margin itself, because a relative gap to zero is meaningless.
    """

    observed: float
    claimed: float
    margin: float | None = None
    instance: Mapping[str, Any] | None = None
    details: Mapping[str, Any] = field(default_factory=dict)
    evidence: str | None = None
    figures: Sequence[Figure] = ()
    note: str = ""
    # For consistency checks whose verdict depends on something the paper does not give (a unit,
    # a spread, a convention): the reading this observation assumes. See judge_consistency.
    scenario: str | None = None

    def __post_init__(self) -> None:
        if self.margin is None:
            if self.claimed == 0:
                raise ValueError(
                    "Observation with claimed == 0 needs an explicit margin "
                    "(a relative gap to zero is meaningless)"
                )
            object.__setattr__(self, "margin", float(self.observed) / float(self.claimed))
        if self.evidence is not None and self.evidence not in EVIDENCE:
            raise ValueError(f"evidence must be one of {EVIDENCE}, got {self.evidence!r}")

    @property
    def finite(self) -> bool:
        return all(math.isfinite(float(v)) for v in (self.observed, self.claimed, self.margin))


@dataclass(frozen=True)
class Trials:
    """What a probability claim's ``trials`` function returns: one success flag per draw."""

    successes: Sequence[bool]
    details: Mapping[str, Any] = field(default_factory=dict)
    figures: Sequence[Figure] = ()
    failure_example: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Sample:
    """What a rate claim's measure may return: replicates y, each with its own x if the fit
    should run against a per-run quantity (κ(X₀) of each initialization, say)."""

    y: Sequence[float]
    x: Sequence[float] | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SymbolicProblem:
    """An inequality over a parameter box for z3: under ``assumptions``, ``goal`` holds."""

    assumptions: Sequence[Any]
    goal: Any
    variables: Mapping[str, Any] = field(default_factory=dict)
    reduction: str = ""  # how the paper's statement was made polynomial, said in the report


@dataclass(frozen=True)
class Mutant:
    """A deliberately wrong variant of a claim that the suite must flag (status ``violated``).

    ``constants`` overrides named constants of the claim (a smaller constant, a better exponent);
    ``options`` overrides kind options (a strategy that drops an assumption, another direction).
    """

    name: str
    description: str
    constants: Mapping[str, Any] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Claim:
    """A paper's quantitative claim as an executable predicate, with its metadata and mutants."""

    id: str
    reference: str
    statement: str
    kind: str
    fidelity: str
    func: Callable[..., Any]
    constants: Mapping[str, Any] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)
    mutants: Sequence[Mutant] = ()
    doc: str = ""
    fidelity_note: str = ""  # what was reconstructed or derived, and how; said in the message
    # A known finding: the paper's claim was investigated and is violated, for the reason given.
    # The claim is still judged every run; pytest expects the violation (strict xfail), so a
    # finding that stops reproducing fails loudly instead of staying silently green.
    finding: str = ""
    module: str = ""
    mutant_of: str | None = None  # the claim id when this is a mutant
    mutant_name: str | None = None

    @property
    def paper(self) -> str:
        return self.id.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.id.split("/", 1)[1]

    @property
    def key(self) -> str:
        """Unique key across claims and mutants (used for seeds and worker lookup)."""
        return self.id if self.mutant_name is None else f"{self.id}#{self.mutant_name}"

    def validate(self) -> None:
        where = f"claim {self.id!r}" + (f" ({self.module})" if self.module else "")
        if not isinstance(self.id, str) or not ID_RE.match(self.id):
            raise ClaimDefinitionError(
                f"{where}: id must be '<paper-slug>/<name>' in lower-case words joined by '-'"
            )
        for attr in ("reference", "statement"):
            value = getattr(self, attr)
            if not isinstance(value, str) or not value.strip():
                raise ClaimDefinitionError(f"{where}: missing {attr}")
        if self.kind not in KINDS:
            raise ClaimDefinitionError(f"{where}: kind {self.kind!r} is not one of {KINDS}")
        if self.fidelity not in FIDELITIES:
            raise ClaimDefinitionError(
                f"{where}: fidelity {self.fidelity!r} is not one of {FIDELITIES}"
            )
        if not callable(self.func):
            raise ClaimDefinitionError(f"{where}: the predicate is not callable")
        names = [m.name for m in self.mutants]
        for m in self.mutants:
            if not isinstance(m, Mutant):
                raise ClaimDefinitionError(f"{where}: mutants must be Mutant objects, got {m!r}")
            if not SLUG_RE.match(m.name):
                raise ClaimDefinitionError(f"{where}: mutant name {m.name!r} is not lower-case-words")
            if not m.description.strip():
                raise ClaimDefinitionError(f"{where}: mutant {m.name!r} has no description")
            unknown = set(m.constants) - set(self.constants)
            if unknown:
                raise ClaimDefinitionError(
                    f"{where}: mutant {m.name!r} overrides unknown constants {sorted(unknown)}"
                )
            if not m.constants and not m.options:
                raise ClaimDefinitionError(f"{where}: mutant {m.name!r} changes nothing")
        if len(set(names)) != len(names):
            raise ClaimDefinitionError(f"{where}: duplicate mutant names {names}")

    def mutant_claims(self) -> list[Claim]:
        """The claim's mutants, each as a Claim of its own (same id, mutant_name set)."""
        return [
            dataclasses.replace(
                self,
                constants={**self.constants, **m.constants},
                options={**self.options, **m.options},
                mutants=(),
                finding="",
                mutant_of=self.id,
                mutant_name=m.name,
            )
            for m in self.mutants
        ]
