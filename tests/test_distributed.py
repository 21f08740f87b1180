"""--scheduler sends claims to a Dask cluster; the records merge into one report of the same schema."""

import json

import pytest

from claimaudit.cli import main
from claimaudit.schema import validate_report

distributed = pytest.importorskip("distributed")


def test_audit_on_a_local_dask_cluster(tmp_path):
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        code = main(["audit", "--claim", "agd-matrix-factorization/overparameterization-sandwich",
                     "--claim", "agd-matrix-factorization/scale-covariance", "--profile", "quick",
                     "--scheduler", cluster.scheduler_address, "--out", str(tmp_path), "--quiet"])
    assert code == 0
    report = json.loads((tmp_path / "report.json").read_text())
    validate_report(report)
    assert [c["status"] for c in report["claims"]] == ["holds", "holds"]


def test_unreachable_scheduler_is_a_usage_error(capsys):
    code = main(["audit", "--claim", "agd-matrix-factorization/overparameterization-sandwich",
                 "--scheduler", "tcp://127.0.0.1:1", "--quiet"])
    assert code == 2
    assert "127.0.0.1:1" in capsys.readouterr().err
