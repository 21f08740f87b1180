"""The command line contract: exit codes, one-line errors, report files, determinism."""

import json
import subprocess
import sys

import pytest

from claimaudit.cli import main
from claimaudit.schema import validate_mutants, validate_report

PAPER = "agd-matrix-factorization"


@pytest.mark.parametrize("argv, bad", [
    (["audit", "--paper", "nope"], "nope"),
    (["audit", "--claim", "agd-matrix-factorization/no-such"], "no-such"),
    (["audit", "--profile", "turbo"], "turbo"),
    (["audit", "--frobnicate"], "--frobnicate"),
    (["list", "--paper", "nope"], "nope"),
    (["mutants", "--paper", "nope"], "nope"),
    (["audit", "--jobs", "0"], "--jobs"),
    (["audit", "--seed", "abc"], "abc"),
    ([], "command"),
])
def test_usage_errors_are_one_line_exit_2(argv, bad, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert bad in err[0]


def test_list_json(capsys):
    assert main(["list", "--paper", PAPER, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) >= 6 and all(r["id"].startswith(PAPER + "/") for r in rows)
    assert {"id", "kind", "reference"} <= set(rows[0])


@pytest.fixture(scope="module")
def two_audits(tmp_path_factory):
    outs = []
    for i in range(2):
        out = tmp_path_factory.mktemp(f"audit{i}")
        code = main(["audit", "--paper", PAPER, "--profile", "quick", "--seed", "3",
                     "--out", str(out), "--jobs", "2", "--quiet"])
        outs.append((code, out))
    return outs


def test_audit_writes_valid_report(two_audits):
    code, out = two_audits[0]
    assert code == 0
    report = json.loads((out / "report.json").read_text())
    validate_report(report)
    assert report["summary"]["selected"] == report["summary"]["run"] >= 6
    assert report["summary"]["holds"] == report["summary"]["run"]
    html = (out / "report.html").read_text()
    assert html.count("data:image/png;base64,") >= sum(c["kind"] == "rate" for c in report["claims"])
    md = (out / "report.md").read_text()
    assert "| claim |" in md and "selected" in md


def test_same_seed_same_verdicts_and_counterexamples(two_audits):
    (_, a), (_, b) = two_audits
    keep = ("id", "status", "evidence", "examples", "worst_margin", "counterexample", "message")
    ra = [{k: c[k] for k in keep} for c in json.loads((a / "report.json").read_text())["claims"]]
    rb = [{k: c[k] for k in keep} for c in json.loads((b / "report.json").read_text())["claims"]]
    assert ra == rb


def test_mutants_command_kills_every_agd_mutant(tmp_path):
    code = main(["mutants", "--paper", PAPER, "--profile", "quick", "--out", str(tmp_path),
                 "--jobs", "2", "--quiet"])
    doc = json.loads((tmp_path / "mutants.json").read_text())
    validate_mutants(doc)
    assert doc["summary"]["run"] >= 6
    assert code == 0 and doc["summary"]["surviving"] == 0


def test_console_script_runs():
    out = subprocess.run([sys.executable, "-m", "claimaudit.cli", "list", "--paper", PAPER],
                         capture_output=True, text=True, check=True)
    assert f"{PAPER}/iteration-count-kappa" in out.stdout
