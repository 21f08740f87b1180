"""claimaudit: every quantitative claim of a paper as an executable, falsifiable predicate."""

__version__ = "0.1.0"

from claimaudit.declare import bound, consistency, probability, rate, symbolic  # noqa: E402
from claimaudit.model import (  # noqa: E402
    Claim,
    Figure,
    Mutant,
    Observation,
    Sample,
    SymbolicProblem,
    Trials,
)
from claimaudit.profiles import Context  # noqa: E402

__all__ = [
    "Claim", "Context", "Figure", "Mutant", "Observation", "Sample", "SymbolicProblem", "Trials",
    "bound", "consistency", "probability", "rate", "symbolic", "__version__",
]
