"""Arithmetic on the reported numbers of language-model papers.

Parameter counts from an architecture configuration (under every embedding convention, side by
side), weight memory under a quantization, training compute 6·N·D against hardware and time,
table arithmetic (an Average row against its column under the rounding rules a table might use),
and rounding of stated numbers (abstract vs table, "3.8B" vs a count). Exact decimal arithmetic
(:class:`fractions.Fraction`) is used wherever a rounding boundary is at stake, so that 69.715
never turns into 69.71499999 on the way to a verdict.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

Number = int | float | Decimal | Fraction | str

#: the rounding rules a table or an abstract might use
ROUNDING_RULES = ("nearest", "truncate")
#: how the embedding matrices enter a parameter count
EMBEDDING_CONVENTIONS = ("untied", "tied", "no-embeddings")


# ------------------------------------------------------------------------------ exact numbers
def exact(x: Number) -> Fraction:
    """The exact rational value of a printed number (floats go through their repr, so 68.32
    is 6832/100 and not the binary double nearest to it)."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, float):
        return Fraction(Decimal(repr(x)))
    if isinstance(x, str):
        return Fraction(Decimal(x))
    return Fraction(x)


def stated_unit(stated: Number) -> Fraction:
    """The last printed digit of a stated number: 0.1 for 73.6, 1 for 14, 0.01 for 68.32."""
    d = stated if isinstance(stated, Decimal) else Decimal(repr(stated) if isinstance(stated, float) else str(stated))
    exp = d.as_tuple().exponent
    return Fraction(10) ** int(exp)


def rounding_interval(stated: Number, rule: str = "nearest",
                      unit: Number | None = None) -> tuple[Fraction, Fraction]:
    """The values that print as ``stated`` under ``rule`` at the stated precision (or ``unit``):
    ``nearest`` gives [s − u/2, s + u/2], ``truncate`` gives [s, s + u)."""
    if rule not in ROUNDING_RULES:
        raise ValueError(f"unknown rounding rule {rule!r} (choose from {ROUNDING_RULES})")
    s = exact(stated)
    u = exact(unit) if unit is not None else stated_unit(stated)
    return (s - u / 2, s + u / 2) if rule == "nearest" else (s, s + u)


def rounding_margin(value: Number, stated: Number, rule: str = "nearest",
                    unit: Number | None = None) -> float:
    """|value − centre| / half-width of the rounding interval of ``stated``: ≤ 1 exactly when
    ``value`` prints as ``stated`` (the boundary counts as agreeing: a half rounds either way)."""
    lo, hi = rounding_interval(stated, rule, unit)
    centre, half = (lo + hi) / 2, (hi - lo) / 2
    return float(abs(exact(value) - centre) / half)


def rounds_to(value: Number, stated: Number, rule: str = "nearest", unit: Number | None = None) -> bool:
    return rounding_margin(value, stated, rule, unit) <= 1


def exact_mean(values: Iterable[Number]) -> Fraction:
    vals = [exact(v) for v in values]
    if not vals:
        raise ValueError("mean of no values")
    return sum(vals, Fraction(0)) / len(vals)


@dataclass(frozen=True)
class AverageCheck:
    """One column's Average cell against the mean of its cells, under one rounding rule."""

    column: str
    mean: Fraction
    reported: Fraction
    rule: str
    margin: float  # rounding_margin(mean, reported, rule)
    n_cells: int

    @property
    def gap(self) -> float:
        """Signed distance from the reported cell to the exact column mean."""
        return float(self.mean - self.reported)


def average_row(columns: Mapping[str, Sequence[Number | None]], reported: Mapping[str, Number | None],
                rule: str) -> list[AverageCheck]:
    """Every column with a reported Average: the exact mean of its non-missing cells against the
    Average cell under ``rule``. Columns without an Average, or with a missing cell where others
    have a value (the table cannot have averaged what it does not report), are skipped."""
    out = []
    for name, cells in columns.items():
        rep = reported.get(name)
        if rep is None or any(c is None for c in cells):
            continue
        m = exact_mean(cells)
        out.append(AverageCheck(name, m, exact(rep), rule, rounding_margin(m, rep, rule), len(cells)))
    return out


def best_rule(columns: Mapping[str, Sequence[Number | None]], reported: Mapping[str, Number | None],
              rules: Sequence[str] = ROUNDING_RULES) -> tuple[str, list[AverageCheck]]:
    """The single rounding rule under which most Average cells agree (a table uses one rule);
    ties go to the earlier rule in ``rules``."""
    scored = [(sum(c.margin <= 1 for c in average_row(columns, reported, r)), -i, r)
              for i, r in enumerate(rules)]
    _, _, rule = max(scored)
    return rule, average_row(columns, reported, rule)


def reachable_percentage(stated: Number, n: int) -> tuple[int, float]:
    """The count k of n closest to a printed percentage and its rounding margin (≤ 1 when k/n
    prints as ``stated`` at the stated precision). Informative only when the precision is finer
    than one item (two decimals on n = 1319)."""
    s = exact(stated)
    k0 = int(math.floor(s * n / 100))
    best = min((abs(Fraction(100 * k, n) - s), k) for k in range(max(k0 - 2, 0), min(k0 + 3, n) + 1))
    k = best[1]
    return k, rounding_margin(Fraction(100 * k, n), stated, "nearest")


def closest_difference(stated: Number, candidates: Mapping[str, Number],
                       rule: str = "nearest") -> tuple[str, float, float]:
    """Among differences the text could mean (label → value), the one that best prints as the
    stated difference: (label, value, rounding margin). Margin > 1: no candidate matches."""
    label, value = min(candidates.items(), key=lambda kv: rounding_margin(kv[1], stated, rule))
    return label, float(value), rounding_margin(value, stated, rule)


def orders_of_magnitude(big: float, small: float) -> float:
    """log10 of a size ratio; "orders of magnitude" (plural) needs it to round to ≥ 2."""
    if big <= 0 or small <= 0:
        raise ValueError("sizes must be positive")
    return math.log10(big / small)


# -------------------------------------------------------------------------- parameter counts
@dataclass(frozen=True)
class TransformerConfig:
    """The architecture numbers that determine a decoder-only transformer's parameter count."""

    hidden: int
    layers: int
    heads: int
    kv_heads: int
    intermediate: int
    vocab: int
    gated_mlp: bool = True  # SwiGLU/GEGLU: gate and up projections, then down
    experts: int = 1  # mixture-of-experts FFNs per layer (1 = dense)
    experts_per_token: int = 1
    norm: str = "rms"  # "rms" (a weight) or "layer" (weight and bias)
    attention_bias: bool = False
    tied: bool = False  # what the checkpoint does; every convention is still reported

    @property
    def head_dim(self) -> int:
        if self.hidden % self.heads:
            raise ValueError(f"hidden {self.hidden} is not divisible by {self.heads} heads")
        return self.hidden // self.heads

    @property
    def queries_per_kv_head(self) -> int:
        return self.heads // self.kv_heads


def config_from_dict(d: Mapping[str, Any]) -> TransformerConfig:
    """A TransformerConfig from a HF-style config mapping (keys as in our data files)."""
    return TransformerConfig(
        hidden=int(d["hidden_size"]), layers=int(d["num_hidden_layers"]),
        heads=int(d["num_attention_heads"]), kv_heads=int(d["num_key_value_heads"]),
        intermediate=int(d["intermediate_size"]), vocab=int(d["vocab_size"]),
        gated_mlp=bool(d.get("gated_mlp", True)), experts=int(d.get("num_experts", 1)),
        experts_per_token=int(d.get("experts_per_token", 1)), norm=str(d.get("norm", "rms")),
        attention_bias=bool(d.get("attention_bias", False)),
        tied=bool(d.get("tie_word_embeddings", False)),
    )


@dataclass(frozen=True)
class ParameterCount:
    """A parameter count broken down by part; ``total(convention)`` gives the headline number."""

    embedding: int  # one vocab × hidden matrix
    attention: int  # all layers
    mlp_total: int  # all layers, every expert
    mlp_active: int  # all layers, the experts one token uses
    router: int
    norms: int

    def total(self, convention: str = "untied", active: bool = False) -> int:
        if convention not in EMBEDDING_CONVENTIONS:
            raise ValueError(f"unknown convention {convention!r} (choose from {EMBEDDING_CONVENTIONS})")
        emb = {"untied": 2, "tied": 1, "no-embeddings": 0}[convention] * self.embedding
        mlp = self.mlp_active if active else self.mlp_total
        return emb + self.attention + mlp + self.router + self.norms

    def side_by_side(self) -> dict[str, int]:
        """Every convention (and the active count if the model is an MoE)."""
        out = {c: self.total(c) for c in EMBEDDING_CONVENTIONS}
        if self.mlp_active != self.mlp_total:
            out.update({f"active-{c}": self.total(c, active=True) for c in EMBEDDING_CONVENTIONS})
        return out


def parameter_count(cfg: TransformerConfig) -> ParameterCount:
    """Exact count for a pre-norm decoder: q/k/v/o projections (k, v at kv_heads × head_dim),
    a (gated) MLP per expert, a router per MoE layer, two norms per layer and a final norm."""
    h, hd = cfg.hidden, cfg.head_dim
    q, kv = cfg.heads * hd, cfg.kv_heads * hd
    attn = h * q + 2 * h * kv + q * h
    if cfg.attention_bias:
        attn += q + 2 * kv + h
    expert = (3 if cfg.gated_mlp else 2) * h * cfg.intermediate
    router = h * cfg.experts if cfg.experts > 1 else 0
    per_norm = h * (2 if cfg.norm == "layer" else 1)
    return ParameterCount(
        embedding=cfg.vocab * h,
        attention=cfg.layers * attn,
        mlp_total=cfg.layers * cfg.experts * expert,
        mlp_active=cfg.layers * min(cfg.experts_per_token, cfg.experts) * expert,
        router=cfg.layers * router,
        norms=(2 * cfg.layers + 1) * per_norm,
    )


# ------------------------------------------------------------------------- memory and compute
BYTES_PER = {"GB": 10**9, "GiB": 2**30}


def weight_memory(n_params: int, bits: float, unit: str = "GB") -> float:
    """Bytes of n_params weights stored at ``bits`` per weight, in GB (10⁹) or GiB (2³⁰)."""
    if unit not in BYTES_PER:
        raise ValueError(f"unknown unit {unit!r} (choose from {tuple(BYTES_PER)})")
    return n_params * bits / 8 / BYTES_PER[unit]


def training_flops(n_params: float, tokens: float) -> float:
    """The standard estimate of dense-transformer training compute: 6·N·D."""
    return 6.0 * n_params * tokens


def implied_utilization(flops: float, gpus: int, peak_flops_per_gpu: float, days: float) -> float:
    """The fraction of the hardware's peak that ``flops`` needs in the stated time (model FLOPs
    utilization); above 1 the stated hardware and time cannot have done the stated training."""
    return flops / (gpus * peak_flops_per_gpu * days * 86400.0)
