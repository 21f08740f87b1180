from claimaudit.cli import main


def test_unknown_paper_is_usage_error(capsys):
    assert main(["audit", "--paper", "nope"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "nope" in err[0]
