"""The README's 'encode a claim of your own paper' example runs as written, and its mutant dies."""

import re
import types
from pathlib import Path

from claimaudit.model import Claim
from claimaudit.profiles import get_profile
from claimaudit.runner import evaluate

README = Path(__file__).resolve().parents[1] / "README.md"


def _example_claim() -> Claim:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert blocks, "README has no python example"
    module = types.ModuleType("readme_example")
    exec(compile(blocks[0], "README.md", "exec"), module.__dict__)
    claims = [v for v in vars(module).values() if isinstance(v, Claim)]
    assert len(claims) == 1
    return claims[0]


def test_readme_claim_holds_and_its_mutant_is_killed():
    claim = _example_claim()
    quick = get_profile("quick")
    assert evaluate(claim, quick, 0)["status"] == "holds"
    for m in claim.mutant_claims():
        assert evaluate(m, quick, 0)["status"] == "violated"
