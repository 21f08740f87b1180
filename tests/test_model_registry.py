"""Claim definitions are validated at declaration; discovery names bad modules and duplicates."""

import pytest

from claimaudit import Mutant, Observation, consistency
from claimaudit.model import ClaimDefinitionError
from claimaudit.registry import DiscoveryError, discover


def _ok(ctx):
    return Observation(0.0, 1.0)


@pytest.mark.parametrize("kw, fragment", [
    ({"id": "NoSlash"}, "id must be"),
    ({"reference": " "}, "missing reference"),
    ({"statement": ""}, "missing statement"),
    ({"fidelity": "guessed"}, "fidelity"),
])
def test_malformed_claims_are_rejected_with_their_name(kw, fragment):
    args = {"id": "x-paper/ok", "reference": "Table 1", "statement": "S.", "fidelity": "quoted", **kw}
    with pytest.raises(ClaimDefinitionError, match=fragment):
        consistency(**args)(_ok)


def test_mutant_must_change_a_known_constant():
    with pytest.raises(ClaimDefinitionError, match="unknown constants"):
        consistency(id="x-paper/ok", reference="T", statement="S.", fidelity="quoted",
                    constants={"a": 1}, mutants=[Mutant("m", "d", constants={"b": 2})])(_ok)
    with pytest.raises(ClaimDefinitionError, match="changes nothing"):
        consistency(id="x-paper/ok", reference="T", statement="S.", fidelity="quoted",
                    constants={"a": 1}, mutants=[Mutant("m", "d")])(_ok)


def test_observation_needs_margin_when_claimed_is_zero():
    with pytest.raises(ValueError, match="explicit margin"):
        Observation(1.0, 0.0)


def test_duplicate_ids_are_reported_and_the_rest_survive():
    cat = discover("bad_catalogues.dup")
    assert any("duplicate claim id 'dup-paper/same'" in e for e in cat.errors)
    assert "dup-paper/fine" in cat.claims
    with pytest.raises(DiscoveryError, match="dup-paper/same"):
        discover("bad_catalogues.dup", strict=True)


def test_malformed_module_is_named_and_the_rest_survive():
    cat = discover("bad_catalogues.broken")
    assert any("missing_reference" in e and "missing reference" in e for e in cat.errors)
    assert "broken-paper/good" in cat.claims


def test_catalogue_has_no_errors_and_every_claim_has_a_mutant():
    cat = discover()
    assert cat.errors == []
    assert len(cat.claims) >= 6
    for claim in cat.claims.values():
        assert claim.mutants, f"{claim.id} ships no mutant"
