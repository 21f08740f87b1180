"""Profiles trade time for power: quick (CI), default (before a submission), thorough (overnight)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Profile:
    name: str
    max_examples: int  # Hypothesis examples per bound claim
    trials: int  # independent draws per probability claim, unless the claim says otherwise
    symbolic_timeout_ms: int  # z3 timeout per query
    claim_budget_s: float  # wall-clock budget per claim before it is called inconclusive


PROFILES: dict[str, Profile] = {
    "quick": Profile("quick", max_examples=30, trials=60, symbolic_timeout_ms=20_000, claim_budget_s=120),
    "default": Profile("default", max_examples=120, trials=200, symbolic_timeout_ms=60_000, claim_budget_s=600),
    "thorough": Profile("thorough", max_examples=600, trials=1000, symbolic_timeout_ms=300_000, claim_budget_s=3600),
}


class UnknownProfile(ValueError):
    pass


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise UnknownProfile(
            f"unknown profile {name!r} (choose from {', '.join(PROFILES)})"
        ) from None


def by_profile(value: Any, profile: Profile) -> Any:
    """A claim setting given per profile ({"quick": ..., "default": ...}) or once for all."""
    if isinstance(value, dict) and set(value) <= set(PROFILES) and value:
        if profile.name in value:
            return value[profile.name]
        order = list(PROFILES)
        # fall back to the nearest cheaper profile that is given
        for name in reversed(order[: order.index(profile.name)]):
            if name in value:
                return value[name]
        return value[next(iter(value))]
    return value


@dataclass
class Context:
    """What a claim's function may use besides its constants: the profile and its random stream."""

    profile: Profile
    seed: int  # this claim's seed, derived from the run seed and the claim id
    rng: np.random.Generator

    def pick(self, **by_name: Any) -> Any:
        """``ctx.pick(quick=5, default=20, thorough=80)``: the value for this profile."""
        return by_profile(by_name, self.profile)

    def child_rngs(self, n: int) -> list[np.random.Generator]:
        """n independent generators, reproducible from the claim seed."""
        return [np.random.default_rng(s) for s in np.random.SeedSequence(self.seed).spawn(n)]
