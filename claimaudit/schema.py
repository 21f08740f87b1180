"""JSON Schemas of report.json (claimaudit.report/1) and mutants.json (claimaudit.mutants/1).

These encode the contract of ARCHITECTURE.md; records may carry more fields, never fewer.
"""

from __future__ import annotations

from typing import Any

from claimaudit.model import EVIDENCE, FIDELITIES, ID_RE, KINDS, SLUG_RE, STATUSES

_NUM_OR_NULL = {"type": ["number", "null"]}

CLAIM_RECORD: dict[str, Any] = {
    "type": "object",
    "required": ["id", "paper", "reference", "statement", "kind", "fidelity", "status", "evidence",
                 "examples", "worst_margin", "counterexample", "replay", "duration_s", "message"],
    "properties": {
        "id": {"type": "string", "pattern": ID_RE.pattern},
        "paper": {"type": "string", "pattern": SLUG_RE.pattern},
        "reference": {"type": "string", "minLength": 1},
        "statement": {"type": "string", "minLength": 1},
        "kind": {"enum": list(KINDS)},
        "fidelity": {"enum": list(FIDELITIES)},
        "status": {"enum": list(STATUSES)},
        "evidence": {"enum": list(EVIDENCE)},
        "examples": {"type": "integer", "minimum": 0},
        "worst_margin": _NUM_OR_NULL,
        "counterexample": {},
        "replay": {"type": "object", "required": ["seed"],
                   "properties": {"seed": {"type": "integer"}}},
        "duration_s": {"type": "number", "minimum": 0},
        "message": {"type": "string"},
    },
}

REPORT: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["schema", "claimaudit_version", "seed", "profile", "started", "duration_s",
                 "environment", "claims", "summary"],
    "properties": {
        "schema": {"const": "claimaudit.report/1"},
        "claimaudit_version": {"type": "string"},
        "seed": {"type": "integer"},
        "profile": {"type": "string"},
        "started": {"type": "string", "format": "date-time"},
        "duration_s": {"type": "number", "minimum": 0},
        "environment": {"type": "object",
                        "required": ["python", "numpy", "hypothesis", "platform"]},
        "claims": {"type": "array", "items": CLAIM_RECORD},
        "summary": {"type": "object",
                    "required": [*STATUSES, "selected", "run", "skipped"],
                    "additionalProperties": {"type": "integer", "minimum": 0}},
    },
}

MUTANTS: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["schema", "seed", "profile", "mutants", "summary"],
    "properties": {
        "schema": {"const": "claimaudit.mutants/1"},
        "seed": {"type": "integer"},
        "profile": {"type": "string"},
        "mutants": {"type": "array", "items": {
            "type": "object",
            "required": ["claim", "mutant", "description", "killed", "status", "duration_s"],
            "properties": {"claim": {"type": "string", "pattern": ID_RE.pattern},
                           "mutant": {"type": "string"}, "description": {"type": "string"},
                           "killed": {"type": "boolean"}, "status": {"enum": list(STATUSES)},
                           "duration_s": {"type": "number", "minimum": 0}}}},
        "summary": {"type": "object", "required": ["run", "killed", "surviving"]},
    },
}


def validate_report(doc: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError if ``doc`` breaks the report contract (needs jsonschema)."""
    import jsonschema

    jsonschema.validate(doc, REPORT)


def validate_mutants(doc: dict[str, Any]) -> None:
    import jsonschema

    jsonschema.validate(doc, MUTANTS)
