from claimaudit import Observation, consistency


@consistency(id="broken-paper/good", reference="Table 1", statement="Good.", fidelity="quoted")
def good(ctx):
    return Observation(0.0, 1.0)
