"""The plugin collects one item per claim, ids contain 'theorem' and the claim id."""

pytest_plugins = ["pytester"]


def test_items_selected_by_k_and_violations_fail(pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(__import__("pathlib").Path(__file__).parent))
    result = pytester.runpytest_subprocess(
        "--claimaudit-package", "bad_catalogues.mixed",
        "-k", "theorem and mixed", "-q", "--claimaudit-report", "rep")
    # a declared finding is an expected failure; one that no longer reproduces fails (strict)
    result.assert_outcomes(passed=1, failed=2, xfailed=1)
    result.stdout.fnmatch_lines(["*mixed-paper/false-bound*violated*counterexample*"])
    result.stdout.fnmatch_lines(["*stale-finding*XPASS(strict)*"])
    assert (pytester.path / "rep" / "report.json").exists()


def test_collects_every_catalogue_claim(pytester):
    result = pytester.runpytest_subprocess("--collect-only",
                                           "-q", "-k", "theorem and agd-matrix-factorization")
    lines = [ln for ln in result.outlines if "theorem[agd-matrix-factorization/" in ln]
    assert len(lines) >= 6


def test_unimportable_package_is_a_usage_error(pytester):
    result = pytester.runpytest_subprocess("--claimaudit-package", "no_such_pkg", "-q")
    assert result.ret == 4  # pytest's usage-error exit code
    result.stderr.fnmatch_lines(["*cannot import the claims package 'no_such_pkg'*"])
