"""Published claim ids never disappear (ARCHITECTURE.md: ids are stable once published)."""

from pathlib import Path

from claimaudit.registry import discover


def test_published_ids_are_still_registered():
    listed = Path(__file__).with_name("published_ids.txt").read_text().splitlines()
    published = {ln.strip() for ln in listed if ln.strip() and not ln.startswith("#")}
    missing = published - set(discover().claims)
    assert not missing, f"published claim ids removed or renamed: {sorted(missing)}"
